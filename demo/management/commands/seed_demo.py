import datetime
import random
import time
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from branches.accounts import give_role
from branches.enums import BRANCH_KINDS, NodeKind, RoleKind
from branches.models import OrganizationNode
from demo.admission import build_admissions
from demo.lifecycle import FIRST_DISTRICT, build_evaluations, build_lifecycle
from demo.meetings import build_meetings, publish_documents
from demo.members import HISTORY_START, build_committee_posts, build_members
from demo.reform import REFORM_DAY, perform_reform
from demo.tree import TreeScale, build_tree
from members.accounts import open_account
from members.enums import MemberStatus, PositionRole
from members.models import Member, Position
from partyorg.bulk import analyze, foreign_keys_checked_at_end, vacuum


@dataclass(frozen=True)
class Scale:
    tree: TreeScale
    members_per_branch: tuple[int, int]
    # Calendar years, up to today's, whose meetings have attendance lists (None: all of
    # them); the meetings before as an office brings them in, the minutes book's totals
    # without lists, so that large scales stay quick to seed.
    list_years: int | None = None
    provinces: int = 1


PROVINCE = TreeScale(9, (95, 105), 0.5, (9, 15))
SCALES = {
    "demo": Scale(TreeScale(2, (10, 15), 0.35, (2, 5)), (12, 34)),
    # About 300 branches and 6,000 members.
    "district": Scale(TreeScale(1, (50, 50), 0.5, (6, 10)), (14, 34)),
    # About 8,000 branches, 150,000 members and two million attendance rows a year.
    "province": Scale(PROVINCE, (13, 31), list_years=2),
    # Seven provinces, each its own root: about a million members, fifteen million
    # attendance rows in the one year with lists.
    "national-slice": Scale(PROVINCE, (13, 31), list_years=1, provinces=7),
}
DEMO_PASSWORD = "partyorg-demo-2026"
FORMER_OFFICER = "huyen.canbo"
PRE_REFORM_COMMITTEES = [NodeKind.PROVINCE_COMMITTEE, NodeKind.DISTRICT_COMMITTEE]
SEEDED_APPS = ("branches", "members", "branchwork", "admission")


class Command(BaseCommand):
    help = "Fill an empty database with deterministic demo data for the given scale and seed."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            default=None,
            help="Date the data is generated as of (default: today), for repeatable data.",
        )

    def handle(self, *args, **options):
        tables = [m for m in apps.get_models() if m._meta.app_label in SEEDED_APPS]
        self._seed(tables, **options)
        vacuum(tables)

    @transaction.atomic
    def _seed(self, tables, *, scale, seed, today, **options):
        if OrganizationNode.objects.exists():
            raise CommandError("The database already has organizations; seed an empty one.")
        today = today or timezone.localdate()
        rng = random.Random(seed)
        fake = Faker("vi_VN")
        fake.seed_instance(seed)
        chosen = SCALES[scale]
        lists_since = (
            datetime.date(today.year - chosen.list_years + 1, 1, 1)
            if chosen.list_years
            else HISTORY_START
        )
        reform = today >= REFORM_DAY
        started = time.monotonic()

        def step(label, build, *args, **kwargs):
            result = build(*args, **kwargs)
            if options["verbosity"] > 1:
                self.stdout.write(f"{label:<12} {time.monotonic() - started:7.1f} s")
            return result

        admin = get_user_model().objects.create_superuser("admin", password=DEMO_PASSWORD)
        years = range(HISTORY_START.year, today.year + 1)
        with foreign_keys_checked_at_end(tables):
            branches, areas = step(
                "tree",
                build_tree,
                rng,
                chosen.tree,
                datetime.date(2015, 1, 1),
                today,
                chosen.provinces,
            )
            members = step(
                "members",
                build_members,
                rng,
                fake,
                branches,
                areas,
                today,
                chosen.members_per_branch,
            )
            step("lifecycle", build_lifecycle, rng, members, today)
            step("meetings", build_meetings, rng, branches, today, HISTORY_START, lists_since)
            # What the tree of the day decides: until the reform, then after it.
            step(
                "admission",
                build_admissions,
                rng,
                fake,
                members,
                today,
                decided=(HISTORY_START, REFORM_DAY if reform else today),
                target_years=range(years.start, min(years.stop, REFORM_DAY.year + 1)),
                candidates=not reform,
            )
            step("posts", build_committee_posts, today, PRE_REFORM_COMMITTEES)
            former = self._district_officer(admin)
            if reform:
                # The plan is rehearsed and applied with the queries of the pages: they need
                # the statistics of the tables just loaded.
                step("statistics", analyze, tables)
                for province in OrganizationNode.objects.get_root_nodes():
                    step(f"reform {province.code}", perform_reform, rng, admin, province)
                step(
                    "admission",
                    build_admissions,
                    rng,
                    fake,
                    members,
                    today,
                    decided=(REFORM_DAY, today + datetime.timedelta(days=1)),
                    target_years=range(REFORM_DAY.year + 1, years.stop),
                    candidates=True,
                )
                step("posts", build_committee_posts, today, [NodeKind.COMMUNE_COMMITTEE])
            step("evaluations", build_evaluations, rng, today)
        step("keys", lambda: None)
        step("statistics", analyze, tables)
        accounts = self._accounts(admin, former, today, reform)
        secretary = get_user_model().objects.get(username="chibo.bithu")
        step("documents", publish_documents, secretary.party_role.node, secretary, today)
        self.stdout.write(
            f"Seeded {len(branches)} branches and {len(members)} members (scale {scale}, "
            f"seed {seed}), with their history since {HISTORY_START.year}"
            + (f" and the reform of {REFORM_DAY:%d/%m/%Y}." if reform else ".")
        )
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<16} {description}")

    def _district_officer(self, admin):
        """The first district's officer since 2021, whose role the reform ends."""
        district = OrganizationNode.objects.get(code=FIRST_DISTRICT)
        member = _staff_member(district, exclude=None)
        account = open_account(
            member=member,
            username=FORMER_OFFICER,
            password=DEMO_PASSWORD,
            node=district,
            role=RoleKind.OFFICER,
            started_on=HISTORY_START,
            by=admin,
        )
        return member, account

    def _accounts(self, admin, former, today, reform):
        """The demo's accounts, each but the superuser opened for a party member of its
        subtree (members.accounts.open_account), so that documents print people's names:
        the branch secretary's account is the member who holds that post. They follow
        the tree of `today`: after the reform a commune-level committee holds the branch;
        the former district officer keeps a read-only role on the dissolved district:
        its reports up to 30/06/2025 and the communes that ended inside it, not the
        organizations that moved on (out of that scope, 404)."""
        province = OrganizationNode.objects.get(code="TU")
        district = OrganizationNode.objects.get(code=FIRST_DISTRICT)
        branch = (
            OrganizationNode.objects.open()
            .filter(code__startswith=f"{FIRST_DISTRICT}.001.", kind__in=BRANCH_KINDS)
            .order_by("path")
            .first()
        )
        commune = OrganizationNode.objects.get_parent(branch)
        secretary = Position.objects.on(today).get(node=branch, role=PositionRole.SECRETARY).member
        plan = [
            ("tinh.canbo", province, RoleKind.OFFICER, f"officer of {province.name}"),
            ("xa.canbo", commune, RoleKind.OFFICER, f"officer of {commune.name}"),
            ("xa.xem", commune, RoleKind.VIEWER, f"read-only viewer of {commune.name}"),
            ("chibo.bithu", branch, RoleKind.SECRETARY, f"secretary of {branch.name}"),
            ("dangvien", branch, RoleKind.MEMBER, f"own record of a member of {branch.name}"),
        ]
        accounts = [("admin", "superuser: everything, Django admin")]
        for username, node, role, description in plan:
            holds_the_post = role == RoleKind.SECRETARY
            member = secretary if holds_the_post else _staff_member(node, exclude=secretary)
            open_account(
                member=member,
                username=username,
                password=DEMO_PASSWORD,
                node=node,
                role=role,
                started_on=today,
                by=admin,
            )
            accounts.append((username, f"{description}: {member.full_name}"))
        member, account = former
        if not reform:
            accounts.append((FORMER_OFFICER, f"officer of {district.name}: {member.full_name}"))
            return accounts
        give_role(account, node=district, role=RoleKind.VIEWER, started_on=REFORM_DAY, by=admin)
        accounts.append(
            (
                FORMER_OFFICER,
                f"officer of {district.name} until 30/06/2025, since then reads its history: "
                f"{member.full_name}",
            )
        )
        return accounts


def _staff_member(node, exclude):
    """An official member of `node`'s subtree who has no account yet, the same for a seed."""
    return (
        Member.objects.filter(
            status=MemberStatus.OFFICIAL,
            branch__path__startswith=node.path,
            account__isnull=True,
        )
        .exclude(pk=getattr(exclude, "pk", None))
        .order_by("member_number")
        .first()
    )
