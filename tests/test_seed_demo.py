import datetime
import functools
import io
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from admission.models import AdmissionDecision
from branches.enums import BRANCH_KINDS, NodeKind, RoleKind
from branches.models import (
    NodeName,
    NodePlacement,
    OrganizationNode,
    RestructuringStep,
    UserRole,
)
from branchwork.models import Attendance, Evaluation, NoticeFile
from members.enums import PositionRole
from members.models import Member, PersonAccount, Position
from partyorg.enums import ImportKind, ImportStatus
from partyorg.models import ImportBatch
from reports import narrative
from reports.service import build_annual_report

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed_demo")]
D = datetime.date
REFORM = D(2025, 7, 1)
TODAY = D(2026, 12, 3)


class Rollback(Exception):
    pass


def seeded(seed, today, describe):
    """Run seed_demo inside a transaction that is rolled back; `describe(output)` reads
    what it made before the rollback."""
    try:
        with transaction.atomic():
            out = io.StringIO()
            call_command("seed_demo", scale="demo", seed=seed, today=today, stdout=out)
            result = describe(out.getvalue())
            raise Rollback
    except Rollback:
        pass
    return result


def seed_snapshot(seed):
    """A seed of a short, pre-reform history (quick to make), described."""

    def describe(output):
        snapshot = {}
        snapshot["members"] = list(
            Member.objects.order_by("member_number").values_list(
                "member_number",
                "full_name",
                "date_of_birth",
                "branch__code",
                "status",
                "gender",
            )
        )
        snapshot["branches"] = OrganizationNode.objects.filter(kind__in=BRANCH_KINDS).count()
        snapshot["grassroots_per_district"] = [
            OrganizationNode.objects.filter(depth=3, path__startswith=d.path).count()
            for d in OrganizationNode.objects.filter(depth=2).order_by("path")
        ]
        snapshot["roles"] = sorted(UserRole.objects.values_list("user__username", "role"))
        snapshot["output"] = output
        snapshot["notices"] = list(
            NoticeFile.objects.values_list(
                "notice__published_by__username",
                "notice__meeting_date",
                "content_type",
            )
        )
        snapshot["people"] = {
            link.account.username: (link.member.full_name, link.account.get_full_name())
            for link in PersonAccount.objects.select_related("account", "member")
        }
        snapshot["secretary_holds_the_post"] = (
            Position.objects.open()
            .filter(
                member__account__account__username="chibo.bithu",
                role=PositionRole.SECRETARY,
                node__user_roles__user__username="chibo.bithu",
            )
            .exists()
        )
        return snapshot

    return seeded(seed, D(2021, 8, 1), describe)


def test_same_seed_same_data_and_realistic_size():
    first, again, other = seed_snapshot(7), seed_snapshot(7), seed_snapshot(8)
    assert first["members"] == again["members"]
    assert first["members"] != other["members"]
    assert 1000 <= len(first["members"]) <= 2000
    assert 45 <= first["branches"] <= 90
    # Two districts and the island district (the special zone of the reform).
    assert len(first["grassroots_per_district"]) == 3
    assert all(10 <= n <= 15 for n in first["grassroots_per_district"][:2])
    assert first["grassroots_per_district"][2] == 3
    assert {role for _, role in first["roles"]} == {"officer", "viewer", "secretary", "member"}
    assert "chibo.bithu" in first["output"]
    # The secretary's branch shared the next meeting's agenda and a PDF (its members see it).
    assert first["notices"] == again["notices"]
    assert ("chibo.bithu", D(2021, 8, 4), "application/pdf") in first["notices"]
    # Every account but the superuser is a person, whose name documents print.
    assert sorted(first["people"]) == [
        "chibo.bithu",
        "dangvien",
        "huyen.canbo",
        "tinh.canbo",
        "xa.canbo",
        "xa.xem",
    ]
    assert all(member == shown for member, shown in first["people"].values())
    assert len({member for member, _ in first["people"].values()}) == 6
    assert first["secretary_holds_the_post"]
    assert first["people"]["chibo.bithu"][0] in first["output"]
    women = sum(1 for row in first["members"] if row[5] == "female") / len(first["members"])
    assert 0.25 < women < 0.45
    statuses = {row[4] for row in first["members"]}
    assert {"official", "probationary"} <= statuses


def _share(part, whole):
    return 100 * part / whole


def _figures(output):
    """What the 2026 demo shows, read before its rollback."""
    get = OrganizationNode.objects.get
    district = get(code="H01")
    province = get(code="TU")
    new = OrganizationNode.objects.filter(kind=NodeKind.COMMUNE_COMMITTEE, code="X001").get()
    predecessors = list(OrganizationNode.objects.filter(merged_into=new))
    report_2023 = build_annual_report(district, 2023)
    report_2025 = build_annual_report(district, 2025)
    new_2025 = build_annual_report(new, 2025)
    province_2024 = build_annual_report(province, 2024)
    province_2026 = build_annual_report(province, 2026, as_of=TODAY)
    evaluated = province_2024.member_evaluations
    rated = sum(evaluated[level] for level in narrative.LEVELS)
    client = Client()
    client.force_login(get_user_model().objects.get(username="huyen.canbo"))
    commune = OrganizationNode.objects.get_parent(
        OrganizationNode.objects.filter(code__startswith="H01.001.").order_by("path").first()
    )
    # A branch of a merged commune: it moved on with its members, out of the district.
    moved_branch = OrganizationNode.objects.filter(
        code__startswith=f"{predecessors[0].code}."
    ).first()
    predecessors_in_h01 = [p.code for p in predecessors if p.path.startswith(district.path)]
    minors = sum(
        1
        for born, decided in Member.objects.values_list("date_of_birth", "admission_decision_date")
        if (decided.year - born.year - ((decided.month, decided.day) < (born.month, born.day))) < 18
    )
    return {
        "admitted under 18": minors,
        "output": output,
        "2023": (
            report_2023.node.kind,
            report_2023.is_whole_year,
            sorted({c.node.kind for c in report_2023.children}),
            all(c.node.code.startswith("H01.") for c in report_2023.children),
            report_2023.organizations["grassroots"],
        ),
        "2025 district": (report_2025.first, report_2025.end, report_2025.ended_on),
        "2025 district balances": report_2025.balances,
        "new commune": (new.name, new.established_on, [p.code for p in predecessors]),
        "restructured in": new_2025.movement.ins["restructured_in"],
        "predecessors out": sum(
            build_annual_report(p, 2025).movement.outs["restructured_out"] for p in predecessors
        ),
        "new commune 2025": (new_2025.first, new_2025.movement.start, new_2025.established_on),
        "new balances": new_2025.balances,
        "2026 children": sorted({c.node.kind for c in province_2026.children}),
        "open districts": OrganizationNode.objects.open()
        .filter(kind=NodeKind.DISTRICT_COMMITTEE)
        .count(),
        "special zones": province_2026.organizations["special_zones"],
        "attendance 2023": build_annual_report(province, 2023).totals.attendance,
        "excellent 2024": _share(evaluated["excellent"], rated),
        "good 2024": _share(evaluated["good"], rated),
        "regulations": dict(
            Evaluation.objects.values_list("year", "regulation").distinct().order_by("year")
        ),
        "deciders": {
            era: set(
                AdmissionDecision.objects.filter(**{f"date__{op}": REFORM}).values_list(
                    "issuing_body__kind", flat=True
                )
            )
            for era, op in (("before", "lt"), ("after", "gte"))
        },
        "plan": (
            RestructuringStep.objects.count(),
            set(RestructuringStep.history.values_list("history_user__username", flat=True)),
            list(ImportBatch.objects.values_list("kind", "status", "user__username")),
        ),
        "partial": (
            narrative.summary(province_2026),
            narrative.sections(province_2026)[0].paragraphs[0],
        ),
        "signers": set(
            Position.objects.on(TODAY)
            .filter(
                role=PositionRole.SECRETARY,
                node__kind__in=["province_committee", "commune_committee"],
            )
            .values_list("node__code", flat=True)
        ),
        "committees": set(
            OrganizationNode.objects.open()
            .filter(kind__in=["province_committee", "commune_committee"])
            .values_list("code", flat=True)
        ),
        "former role": (
            UserRole.objects.filter(user__username="huyen.canbo").values_list(
                "node__code", "role", "started_on", "ended_on"
            )[0],
            list(
                UserRole.history.filter(user__username="huyen.canbo")
                .order_by("history_id")
                .values_list("role", "ended_on")
            ),
        ),
        "former reads": [
            client.get(f"/reports/H01/{year}/").status_code for year in (2021, 2023, 2025)
        ],
        "former district name": "Đảng bộ huyện Nam Đông"
        in client.get("/reports/H01/2023/").content.decode(),
        "former elsewhere": [
            client.get(f"/organizations/{code}/").status_code
            for code in (commune.code, "TU", moved_branch.code)
        ],
        "former sees the merged communes": [
            client.get(f"/organizations/{code}/").status_code for code in predecessors_in_h01
        ],
        "commune 2023 place": NodePlacement.objects.on(D(2023, 6, 1)).get(node=commune).parent.code,
        "same name under one parent": _duplicates(OrganizationNode.objects.open()),
        "branches renamed on the reform day": NodeName.objects.filter(
            valid_to=REFORM, kind=NodeKind.BRANCH
        ).count(),
    }


def _duplicates(nodes) -> list:
    step = OrganizationNode.steplen
    seen = Counter((path[:-step], name) for path, name in nodes.values_list("path", "name"))
    return [key for key, count in seen.items() if count > 1]


@functools.cache
def demo_2026():
    return seeded(1, TODAY, _figures)


def test_the_demo_lives_in_2026():
    f = demo_2026()
    # 2023: the district era, the district's grassroots organizations under it.
    kind, whole, child_kinds, own_children, grassroots = f["2023"]
    assert kind == NodeKind.DISTRICT_COMMITTEE and whole and own_children
    assert child_kinds == sorted({NodeKind.GRASSROOTS_COMMITTEE, NodeKind.GRASSROOTS_BRANCH})
    assert grassroots >= 10
    assert f["commune 2023 place"] == "H01"
    # 2025: the dissolved district is reported from 1/1 to 30/6.
    assert f["2025 district"] == (D(2025, 1, 1), D(2025, 6, 30), REFORM)
    assert f["2025 district balances"] and f["new balances"]
    name, established, predecessors = f["new commune"]
    assert name.startswith("Đảng ủy xã ") and established == REFORM and len(predecessors) >= 2
    # 2026: commune-level committees (and the special zone) under the province, no district.
    assert f["open districts"] == 0
    assert NodeKind.DISTRICT_COMMITTEE not in f["2026 children"]
    assert NodeKind.COMMUNE_COMMITTEE in f["2026 children"]
    assert f["special zones"] == 1
    # A past year reads like the press: attendance about 90%, 81% good and 13% excellent.
    assert 85 <= f["attendance 2023"] <= 97
    assert 9 <= f["excellent 2024"] <= 17
    assert 75 <= f["good 2024"] <= 88
    # Each year under its rule; admissions decided by the competent level of their era.
    regulations = f["regulations"]
    assert regulations[2021] == regulations[2022] != regulations[2023] == regulations[2024]
    assert regulations[2025] not in {regulations[2022], regulations[2024]}
    assert f["deciders"] == {
        "before": {NodeKind.DISTRICT_COMMITTEE},
        "after": {NodeKind.COMMUNE_COMMITTEE},
    }
    # The reform is a plan applied through the import engine by the demo superuser.
    steps, appliers, batches = f["plan"]
    assert steps >= 8 and appliers == {"admin"}
    assert batches == [(ImportKind.PLAN, ImportStatus.APPLIED, "admin")]
    # The running year is labelled partial, and its narrative says so.
    summary, first_paragraph = f["partial"]
    assert summary.endswith("đến ngày 03/12/2026")
    assert first_paragraph.startswith("Năm 2026 chưa kết thúc")
    # The province and every commune-level committee have a secretary to sign.
    assert f["signers"] == f["committees"]
    # The former district officer: the officer's role ended with the district, and a
    # read-only role on the dissolved district reads its history, nothing else.
    # Admissions spread over the years stay within the age rule (18 at the decision).
    assert f["admitted under 18"] == 0
    assert f["former role"][0] == ("H01", RoleKind.VIEWER, REFORM, None)
    assert (RoleKind.OFFICER, REFORM) in f["former role"][1]
    assert f["former reads"] == [200, 200, 200] and f["former district name"]
    assert f["former elsewhere"] == [404, 404, 404]
    # The communes merged away ended inside the district: their history is the district's.
    assert f["former sees the merged communes"] == [200] * len(predecessors)
    assert "huyen.canbo" in f["output"] and "xa.canbo" in f["output"]
    # The branches merged communes bring along are renamed on the reform day, as offices
    # do, so no parent holds two organizations of one name.
    assert f["same name under one parent"] == []
    assert f["branches renamed on the reform day"] > 0


def test_the_new_commune_receives_what_its_predecessors_gave():
    f = demo_2026()
    assert f["restructured in"] == f["predecessors out"] > 0


def test_the_new_commune_is_reported_from_the_day_it_was_established():
    f = demo_2026()
    first, at_start, established_on = f["new commune 2025"]
    assert first == established_on == f["new commune"][1] == REFORM
    assert at_start == 0


def test_the_national_slice_seeds_each_province_as_its_own_root(monkeypatch):
    """The national slice's shape on a tiny tree: three provinces, each a root reformed by
    its own plan, with codes, member numbers, card and ID numbers unique across them."""
    from demo.management.commands import seed_demo

    tiny = seed_demo.Scale(seed_demo.SCALES["demo"].tree, (12, 34), list_years=1, provinces=3)
    monkeypatch.setitem(seed_demo.SCALES, "national-slice", tiny)

    def describe(_output):
        roots = list(OrganizationNode.objects.get_root_nodes())
        codes = list(OrganizationNode.objects.values_list("code", flat=True))
        members = Member.objects.all()
        plans = ImportBatch.objects.filter(kind=ImportKind.PLAN, status=ImportStatus.APPLIED)
        communes = {
            root.code: sorted(
                c.code
                for c in OrganizationNode.objects.get_children(root)
                if c.kind == NodeKind.COMMUNE_COMMITTEE
            )
            for root in roots
        }
        listed = D(2026, 1, 1)
        return {
            "roots": [(r.code, r.kind) for r in roots],
            "codes unique": len(codes) == len(set(codes)),
            "foreign codes": [
                c for c in codes if not c.startswith(("QT", "QN")) and c[0] not in "THXD"
            ],
            "numbers": [
                len(set(members.values_list(f, flat=True)))
                for f in ("member_number", "national_id")
            ],
            "members": members.count(),
            "cards unique": members.exclude(party_card_number="")
            .values("party_card_number")
            .distinct()
            .count()
            == members.exclude(party_card_number="").count(),
            "plans": plans.count(),
            "communes": communes,
            "lists before": Attendance.objects.filter(meeting__date__lt=listed).count(),
            "lists since": Attendance.objects.filter(meeting__date__gte=listed).count(),
        }

    try:
        with transaction.atomic():
            call_command(
                "seed_demo", scale="national-slice", seed=1, today=TODAY, stdout=io.StringIO()
            )
            shape = describe("")
            raise Rollback
    except Rollback:
        pass
    assert shape["roots"] == [(c, NodeKind.PROVINCE_COMMITTEE) for c in ("TU", "QT", "QN")]
    assert shape["codes unique"] and shape["foreign codes"] == []
    assert shape["numbers"] == [shape["members"]] * 2
    assert shape["cards unique"]
    assert shape["plans"] == 3
    first = shape["communes"]["TU"]
    assert "DK01" in first and any(c.startswith("H01.") for c in first)
    for code in ("QT", "QN"):
        assert shape["communes"][code] and all(
            c.startswith(f"{code}-") for c in shape["communes"][code]
        )
    assert shape["lists before"] == 0 and shape["lists since"] > 0
