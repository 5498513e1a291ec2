import datetime
import random
import time

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from faker import Faker

from branches.enums import RoleKind
from branches.models import OrganizationNode
from demo.admission import build_admissions
from demo.lifecycle import build_lifecycle
from demo.meetings import build_meetings
from demo.members import build_members
from demo.tree import TreeScale, build_tree
from members.accounts import open_account
from members.enums import MemberStatus, PositionRole
from members.models import Member, Position
from partyorg.bulk import analyze, foreign_keys_checked_at_end, vacuum

SCALES = {
    "demo": (TreeScale(2, (10, 15), 0.35, (2, 5)), (12, 34)),
    # About 300 branches and 6,000 members.
    "district": (TreeScale(1, (50, 50), 0.5, (6, 10)), (14, 34)),
    # About 8,000 branches, 150,000 members and two million attendance rows a year.
    "province": (TreeScale(9, (95, 105), 0.5, (9, 15)), (13, 31)),
}
DEMO_PASSWORD = "partyorg-demo-2026"
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
        tree_scale, per_branch = SCALES[scale]
        started = time.monotonic()

        def step(label, build, *args):
            result = build(*args)
            if options["verbosity"] > 1:
                self.stdout.write(f"{label:<12} {time.monotonic() - started:7.1f} s")
            return result

        with foreign_keys_checked_at_end(tables):
            branches, areas = step("tree", build_tree, rng, tree_scale, datetime.date(2015, 1, 1))
            members = step("members", build_members, rng, fake, branches, areas, today, per_branch)
            step("lifecycle", build_lifecycle, rng, members, today)
            step("meetings", build_meetings, rng, branches, today)
            step("admission", build_admissions, rng, fake, branches, members, today)
        step("keys", lambda: None)
        step("statistics", analyze, tables)
        accounts = self._accounts(branches, today)
        self.stdout.write(
            f"Seeded {len(branches)} branches and {len(members)} members (scale {scale}, "
            f"seed {seed})."
        )
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for username, description in accounts:
            self.stdout.write(f"  {username:<16} {description}")

    def _accounts(self, branches, today):
        """The demo's accounts, each but the superuser opened for a party member of its
        subtree (members.accounts.open_account), so that documents print people's names:
        the branch secretary's account is the member who holds that post."""
        province = OrganizationNode.objects.get(code="TU")
        district = OrganizationNode.objects.get(code="H01")
        branch = next(b for b in branches if b.code.startswith("H01.001."))
        admin = get_user_model().objects.create_superuser("admin", password=DEMO_PASSWORD)
        secretary = Position.objects.on(today).get(node=branch, role=PositionRole.SECRETARY).member
        plan = [
            ("tinh.canbo", province, RoleKind.OFFICER, f"officer of {province.name}"),
            ("huyen.canbo", district, RoleKind.OFFICER, f"officer of {district.name}"),
            ("huyen.xem", district, RoleKind.VIEWER, f"read-only viewer of {district.name}"),
            ("chibo.bithu", branch, RoleKind.SECRETARY, f"secretary of {branch.name}"),
        ]
        accounts = [("admin", "superuser: everything, Django admin")]
        for username, node, role, description in plan:
            member = secretary if node == branch else _staff_member(node, exclude=secretary)
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
        return accounts


def _staff_member(node, exclude):
    """An official member of `node`'s subtree who has no account yet, the same for a seed."""
    return (
        Member.objects.filter(
            status=MemberStatus.OFFICIAL,
            branch__path__startswith=node.path,
            account__isnull=True,
        )
        .exclude(pk=exclude.pk)
        .order_by("member_number")
        .first()
    )
