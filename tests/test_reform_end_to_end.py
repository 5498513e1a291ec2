"""The 2025 reform walked end to end as a province office would: a pre-reform province
(districts, communes as grassroots committees, village branches), its 2023 and 2024
reports taken; the reform done through the plan import and the restructuring pages
(communes merged into new commune-level committees from 1/7/2025, districts dissolved,
their last day 30/6/2025, a branch merged the same day); then the past reports are
unchanged, the 2025 reports balance and add up, and 2026 shows only existing nodes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from branches.enums import NodeKind, RoleKind
from branches.models import OrganizationNode
from members.enums import EventKind
from members.models import Membership, StatusEvent
from partyorg.enums import ImportStatus
from reports.narrative import partial_year, summary
from reports.service import build_annual_report
from tests.factories import make_member, make_node, make_user
from tests.test_imports_tree import run
from tests.test_restructuring_plan import step

pytestmark = pytest.mark.django_db

D = datetime.date
REFORM = D(2025, 7, 1)


class Province:
    """TU → H1 (X1: B1, B2; X2: B3), H2 (X3: B4), members in every branch."""


@pytest.fixture
def province(db):
    p = Province()
    p.province = make_node(name="Đảng bộ tỉnh Hòa Bình", code="TU")
    p.h1 = make_node(p.province, NodeKind.DISTRICT_COMMITTEE, "Đảng bộ huyện Đông", code="H1")
    p.h2 = make_node(p.province, NodeKind.DISTRICT_COMMITTEE, "Đảng bộ huyện Tây", code="H2")
    p.x1 = make_node(p.h1, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã An", code="X1")
    p.x2 = make_node(p.h1, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Bình", code="X2")
    p.x3 = make_node(p.h2, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Cát", code="X3")
    p.branches = {
        code: make_node(parent, NodeKind.BRANCH, f"Chi bộ thôn {code}", code=code)
        for code, parent in (("B1", p.x1), ("B2", p.x1), ("B3", p.x2), ("B4", p.x3))
    }
    for code, count in (("B1", 4), ("B2", 3), ("B3", 5), ("B4", 2)):
        for _ in range(count):
            make_member(p.branches[code])
    # Movement before the reform: an admission in 2023, a death in 2024.
    make_member(
        p.branches["B3"],
        admission_decision_date=D(2023, 3, 1),
        admission_date=D(2023, 3, 20),
        official_date=D(2024, 3, 20),
    )
    died = make_member(p.branches["B1"])
    Membership.objects.filter(member=died).update(end_date=D(2024, 5, 1))
    StatusEvent.objects.create(member=died, kind=EventKind.DECEASED, date=D(2024, 5, 1))
    p.officer = make_user(p.province, RoleKind.OFFICER, username="tinh.canbo")
    return p


def snapshot(report) -> dict:
    m = report.movement
    return {
        "name": report.node.name,
        "kind": report.node.kind,
        "period": (report.first, report.end),
        "members": report.totals.members,
        "movement": (m.start, dict(m.ins), dict(m.outs), m.end),
        "organizations": report.organizations,
        "children": [(c.node.code, c.node.name, c.figures.members) for c in report.children],
    }


PAST = [("TU", 2023), ("TU", 2024), ("H1", 2024), ("X1", 2023), ("X1", 2024), ("B1", 2024)]


def reports_of(codes_years):
    return {
        (code, year): snapshot(build_annual_report(OrganizationNode.objects.get(code=code), year))
        for code, year in codes_years
    }


def perform_the_reform(client):
    """The plan (annex of the resolution), then one operation on the pages."""
    plan = [
        step("Hợp nhất", "X1, X2", "XM", "Đảng ủy xã An Bình", "Đảng ủy xã", "TU", sector="Xã"),
        step("Chuyển", "X3", parent="TU"),
        step("Đổi tên", "X3", name="Đảng ủy xã Cát", kind="Đảng ủy xã"),
        step("Giải thể", "H1"),
        step("Giải thể", "H2"),
    ]
    batch = run(client, "plan", plan, name="phu-luc-sap-xep.xlsx")
    assert batch.status == ImportStatus.APPLIED, batch.errors
    b2 = OrganizationNode.objects.get(code="B2")
    response = client.post(
        reverse("organizations:node_merge", args=["B2"]),
        {
            "into": OrganizationNode.objects.get(code="B1").pk,
            "on": "01/07/2025",
            "document_number": "QĐ-15",
        },
    )
    assert response.status_code == 302
    b2.refresh_from_db()
    assert b2.dissolved_on == REFORM
    return batch


def test_the_reform_end_to_end(province, client):
    before = reports_of(PAST)
    client.force_login(province.officer)
    perform_the_reform(client)

    # 2023 and 2024: identical, names and kinds of their time included.
    assert reports_of(PAST) == before
    assert before[("TU", 2024)]["organizations"]["district_committees"] == 2

    get = OrganizationNode.objects.get
    province_2025 = build_annual_report(get(code="TU"), 2025)
    district = build_annual_report(get(code="H1"), 2025)
    merged = build_annual_report(get(code="X1"), 2025)
    merged_too = build_annual_report(get(code="X2"), 2025)
    new = build_annual_report(get(code="XM"), 2025)
    renamed = build_annual_report(get(code="X3"), 2025)
    for report in (province_2025, district, merged, merged_too, new, renamed):
        assert report.balances, (report.node.code, report.movement)

    # The dissolved district: 1/1–30/6/2025, everyone leaves it on the restructuring line.
    assert (district.first, district.end, district.ended_on) == (
        D(2025, 1, 1),
        D(2025, 6, 30),
        REFORM,
    )
    assert district.totals.members == 13
    assert (district.movement.outs["restructured_out"], district.movement.end) == (13, 0)
    # The new commune received what its predecessors gave, and no one "transferred".
    given = merged.movement.outs["restructured_out"] + merged_too.movement.outs["restructured_out"]
    assert new.movement.ins["restructured_in"] == given == 13
    assert new.movement.ins["transferred_in"] == 0 and new.totals.members == 13
    # It is reported from the day it was established, and says so.
    assert (new.first, new.movement.start, new.established_on) == (REFORM, 0, REFORM)
    assert summary(new) == (
        "Tình hình tổ chức đảng, đảng viên từ ngày 01/07/2025 đến ngày 31/12/2025"
    )
    assert "được thành lập ngày 01/07/2025" in partial_year(new)
    # The province: the reform is internal; its figures add up over its children.
    assert province_2025.movement.start == province_2025.movement.end == 15
    assert sum(province_2025.movement.ins.values()) == 0
    assert (
        sum(c.figures.members for c in province_2025.children if c.node.code in {"XM", "X3"}) == 15
    )
    assert province_2025.organizations["commune_committees"] == 2
    assert renamed.node.name == "Đảng ủy xã Cát"

    # 2026: only the organizations that exist.
    province_2026 = build_annual_report(get(code="TU"), 2026)
    assert {c.node.code for c in province_2026.children} == {"XM", "X3"}
    assert province_2026.organizations["district_committees"] == 0
    assert province_2026.organizations["grassroots_committees"] == 0
    for code in ("H1", "X1", "B2"):
        with pytest.raises(ValidationError, match="existed until 30/06/2025"):
            build_annual_report(get(code=code), 2026)
