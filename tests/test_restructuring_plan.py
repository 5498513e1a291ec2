"""A restructuring plan from a spreadsheet through the import pages: errors by row,
the rehearsed preview, all-or-nothing apply, the plan kept with who applied it."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches.enums import NodeKind, RoleKind
from branches.models import OrganizationNode, RestructuringStep
from members.models import Member
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_member, make_user
from tests.factories_imports import xlsx_bytes
from tests.test_imports_tree import run

pytestmark = pytest.mark.django_db

D = datetime.date


def step(operation, old="", new="", name="", kind="", parent="", on="01/07/2025", sector=""):
    return {
        "Thao tác": operation,
        "Mã tổ chức cũ": old,
        "Mã tổ chức mới": new,
        "Tên tổ chức": name,
        "Loại tổ chức": kind,
        "Khối": sector,
        "Mã tổ chức cấp trên": parent,
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
