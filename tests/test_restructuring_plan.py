"""A restructuring plan from a spreadsheet through the import pages: errors by row,
the rehearsed preview, all-or-nothing apply, the plan kept with who applied it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from admission.restructuring_plan import PlanRun
from branches.enums import NodeKind, RoleKind
from branches.models import OrganizationNode, ResidentialArea, RestructuringStep
from branches.restructuring import dissolve_node
from members.enums import EventKind
from members.models import Member, StatusEvent
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_area, make_member, make_node, make_user
from tests.factories_imports import xlsx_bytes
from tests.test_imports_tree import run

pytestmark = pytest.mark.django_db

D = datetime.date


def step(
    operation, old="", new="", name="", kind="", parent="", on="01/07/2025", sector="", parts=""
):
    return {
        "Thao tác": operation,
        "Mã tổ chức cũ": old,
        "Mã tổ chức mới": new,
        "Tên tổ chức": name,
        "Loại tổ chức": kind,
        "Khối": sector,
        "Mã tổ chức cấp trên": parent,
        "Thành phần chuyển sang": parts,
        "Ngày hiệu lực": on,
        "Số quyết định": "QĐ-1",
    }


REFORM_PLAN = [
    step("Hợp nhất", "X1", "XM", "Đảng ủy xã Mới", "Đảng ủy xã", "TU", sector="Xã"),
    step("Giải thể", "H1"),
]


@pytest.fixture
def province_officer(world):
    return make_user(world.province, RoleKind.OFFICER, username="tinh")


def test_a_plan_is_applied_all_at_once_and_kept(world, as_user, province_officer):
    members = [make_member(world.branch_a) for _ in range(2)]
    batch = run(as_user(province_officer), "plan", REFORM_PLAN, name="phu-luc.xlsx")
    assert batch.status == ImportStatus.APPLIED, batch.errors

    new = OrganizationNode.objects.get(code="XM")
    assert new.kind == NodeKind.COMMUNE_COMMITTEE
    assert OrganizationNode.objects.get_parent(new) == world.province
    world.branch_a.refresh_from_db()
    assert OrganizationNode.objects.get_parent(world.branch_a) == new
    assert OrganizationNode.objects.get(code="H1").dissolved_on == D(2025, 7, 1)
    assert Member.objects.filter(pk__in=[m.pk for m in members], branch=world.branch_a).count() == 2
    steps = RestructuringStep.objects.order_by("row")
    assert [(s.row, s.operation, s.node.code) for s in steps] == [
        (2, "merge", "XM"),
        (3, "dissolve", "H1"),
    ]
    record = steps[0].history.get()
    assert (record.history_user, record.history_change_reason) == (province_officer, batch.label)


def test_a_step_failing_in_order_names_its_row(world, as_user, province_officer):
    plan = [*REFORM_PLAN, step("Đổi tên", "X1", name="Hồi sinh")]
    batch = run(as_user(province_officer), "plan", plan)
    assert batch.status == ImportStatus.REJECTED
    assert [e["row"] for e in batch.errors] == [4]
    assert batch.rows_invalid == 1  # the batch page's "rows with errors"
    assert "ended" in batch.errors[0]["message"]
    assert not OrganizationNode.objects.filter(code="XM").exists()
    assert OrganizationNode.objects.get(code="H1").dissolved_on is None


def test_rows_are_checked_for_scope_and_columns(world, as_user):
    batch = run(
        as_user(world.officer), "plan", [step("Chuyển", "X1", parent="H2"), step("Hợp nhất", "X1")]
    )
    assert batch.status == ImportStatus.REJECTED
    assert {(e["row"], e["column"]) for e in batch.errors} == {
        (2, "Mã tổ chức cấp trên"),
        (3, "Mã tổ chức mới"),
    }


def test_a_secretary_cannot_restructure_by_plan(world, as_user):
    batch = run(as_user(world.secretary), "plan", [step("Đổi tên", "X1-B1", name="Chi bộ A")])
    assert batch.status == ImportStatus.REJECTED
    assert "officer" in batch.errors[0]["message"]


def test_the_preview_shows_trees_and_moves(world, as_user, province_officer):
    make_member(world.branch_a)
    client = as_user(province_officer)
    client.post(
        reverse("imports:index"),
        {"kind": "plan", "file": _upload(REFORM_PLAN)},
    )
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportStatus.CHECKED, batch.errors
    page = client.get(reverse("imports:plan_preview", args=[batch.pk]))
    preview = page.context["preview"]
    assert "H1" in {r["code"] for r in preview.before}
    assert {"XM"} <= {r["code"] for r in preview.after} and "H1" not in {
        r["code"] for r in preview.after
    }
    merge_moves = preview.steps[0][1]
    assert [(m.code, m.branches, m.members) for m in merge_moves] == [("X1", 2, 1)]
    assert not OrganizationNode.objects.filter(code="XM").exists()


def _upload(rows):
    return SimpleUploadedFile("plan.xlsx", xlsx_bytes(rows))


def split_plan(first, second, area):
    """Branch X1-B1 split in two new branches: the first takes a member and the area,
    the second the rest."""
    return [
        step(
            "Tách",
            "X1-B1",
            "X1-B1A",
            "Chi bộ thôn 1A",
            "Chi bộ",
            "X1",
            parts=f"{first.member_number}, {area.code.lower()}",
        ),
        step("Tách", "X1-B1", "X1-B1B", "Chi bộ thôn 1B", "Chi bộ", "X1"),
    ]


def test_a_split_by_plan_moves_each_part_where_its_row_says(world, as_user, province_officer):
    first, second, third = (make_member(world.branch_a) for _ in range(3))
    area = make_area(world.branch_a)
    batch = run(as_user(province_officer), "plan", split_plan(first, second, area))
    assert batch.status == ImportStatus.APPLIED, batch.errors

    left, right = (
        OrganizationNode.objects.get(code="X1-B1A"),
        OrganizationNode.objects.get(code="X1-B1B"),
    )
    assert Member.objects.get(pk=first.pk).branch == left
    assert set(Member.objects.filter(branch=right)) == {second, third}
    assert ResidentialArea.objects.get(pk=area.pk).branch == left
    world.branch_a.refresh_from_db()
    assert world.branch_a.dissolved_on == D(2025, 7, 1)
    events = StatusEvent.objects.filter(member__in=[first, second, third])
    assert {e.kind for e in events if e.date == D(2025, 7, 1)} == {EventKind.RESTRUCTURED}
    assert [s.operation for s in RestructuringStep.objects.order_by("row")] == ["split", "split"]


def test_the_split_preview_lists_what_each_row_receives(world, as_user, province_officer):
    first, second = make_member(world.branch_a), make_member(world.branch_a)
    area = make_area(world.branch_a, name="Thôn Đông")
    client = as_user(province_officer)
    client.post(
        reverse("imports:index"), {"kind": "plan", "file": _upload(split_plan(first, second, area))}
    )
    batch = ImportBatch.objects.latest("pk")
    page = client.get(reverse("imports:plan_preview", args=[batch.pk]))
    (_, moved2, errors2), (_, moved3, errors3) = page.context["preview"].steps
    assert (errors2, errors3) == ([], [])
    assert [(m.code, m.members, m.areas) for m in moved2] == [("X1-B1A", 1, 1)]
    assert [(m.code, m.members, m.areas) for m in moved3] == [("X1-B1B", 1, 0)]
    assert moved2[0].names == [first.full_name, "Thôn Đông"]
    assert "Thôn Đông" in page.content.decode()
    assert not OrganizationNode.objects.filter(code="X1-B1A").exists()


def test_split_rows_report_every_error_by_row_and_change_nothing(world, as_user, province_officer):
    first = make_member(world.branch_a)
    plan = [
        step("Tách", "X1-B1", "X1-B1A", "Chi bộ thôn 1A", "Chi bộ", "X1", parts="NOBODY"),
        step(
            "Tách", "X1-B1", "X1-B1B", "Chi bộ thôn 1B", "Chi bộ", "X1", parts=first.member_number
        ),
        step(
            "Tách", "X1-B1", "X1-B1C", "Chi bộ thôn 1C", "Chi bộ", "X1", parts=first.member_number
        ),
    ]
    batch = run(as_user(province_officer), "plan", plan)
    assert batch.status == ImportStatus.REJECTED
    messages = {e["row"]: e["message"] for e in batch.errors}
    assert "NOBODY" in messages[2] and "neither" in messages[2]
    assert "row 3" in messages[4]
    assert Member.objects.get(pk=first.pk).branch == world.branch_a
    assert (
        not OrganizationNode.objects.filter(code__startswith="X1-B1")
        .exclude(code="X1-B1")
        .exclude(code="X1-B2")
        .exists()
    )


def test_a_split_left_without_a_row_for_the_rest_is_refused(world, as_user, province_officer):
    first, second = make_member(world.branch_a), make_member(world.branch_a)
    plan = [
        step("Tách", "X1-B1", "X1-B2", parts=first.member_number),
    ]
    batch = run(as_user(province_officer), "plan", plan)
    assert batch.status == ImportStatus.REJECTED
    assert second.full_name in batch.errors[0]["message"]
    assert Member.objects.get(pk=first.pk).branch == world.branch_a


def test_a_dissolution_row_per_target_sends_children_apart(world, as_user, province_officer):
    third = make_node(world.district, NodeKind.GRASSROOTS_COMMITTEE, "Đảng bộ xã Ba", code="X3")
    plan = [
        step(
            "Thành lập",
            new="XM",
            name="Đảng ủy xã Mới",
            kind="Đảng ủy xã",
            parent="TU",
            sector="Xã",
        ),
        step("Giải thể", "H1", parent="XM", parts="X1"),
        step("Giải thể", "H1", parent="TU"),
    ]
    batch = run(as_user(province_officer), "plan", plan)
    assert batch.status == ImportStatus.APPLIED, batch.errors
    parent_of = OrganizationNode.objects.get_parent
    assert parent_of(OrganizationNode.objects.get(code="X1")).code == "XM"
    assert parent_of(OrganizationNode.objects.get(pk=third.pk)).code == "TU"
    assert OrganizationNode.objects.get(code="H1").dissolved_on == D(2025, 7, 1)


def test_a_dissolution_part_row_needs_its_target(world, as_user, province_officer):
    batch = run(as_user(province_officer), "plan", [step("Giải thể", "H1", parts="X1")])
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "Mã tổ chức cấp trên")]


def test_the_apply_carries_out_each_step_once(world, as_user, province_officer, monkeypatch):
    """The check before the apply does not rehearse the plan: write() performs it."""
    performed = []
    perform = PlanRun.perform
    monkeypatch.setattr(
        PlanRun, "perform", lambda run, step: performed.append(step.row) or perform(run, step)
    )
    client = as_user(province_officer)
    client.post(reverse("imports:index"), {"kind": "plan", "file": _upload(REFORM_PLAN)})
    batch = ImportBatch.objects.latest("pk")
    assert (batch.status, performed) == (ImportStatus.CHECKED, [2, 3])

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, performed) == (ImportStatus.APPLIED, [2, 3, 2, 3])


def test_a_step_the_tree_no_longer_allows_at_the_apply_names_its_row(
    world, as_user, province_officer
):
    """Checked against yesterday's tree, refused against today's: nothing is applied."""
    client = as_user(province_officer)
    plan = [REFORM_PLAN[0], step("Đổi tên", "H2", name="Đảng bộ huyện Mới")]
    client.post(reverse("imports:index"), {"kind": "plan", "file": _upload(plan)})
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportStatus.CHECKED, batch.errors
    dissolve_node(world.other_district, on=D(2025, 6, 1), by=province_officer)

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert [e["row"] for e in batch.errors] == [3], batch.errors
    assert "ended" in batch.errors[0]["message"]
    assert batch.rows_invalid == 1  # the batch page's "rows with errors"
    assert not OrganizationNode.objects.filter(code="XM").exists()
    assert not RestructuringStep.objects.exists()
