import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches.enums import NodeKind
from branches.models import (
    NodeName,
    NodePlacement,
    OrganizationNode,
    ResidentialArea,
    ResidentialAreaYear,
)
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def node_row(code, name, kind, parent, sector="", established="01/01/2020"):
    return {
        "Mã tổ chức": code,
        "Tên tổ chức": name,
        "Loại tổ chức": kind,
        "Khối": sector,
        "Mã tổ chức cấp trên": parent,
        "Địa danh": "Nam Đông",
        "Ngày thành lập": established,
        "Ngày giải thể": "",
    }


def area_row(code, branch="X1-B1", year=2024, households=120, population=480, name="Thôn 3"):
    return {
        "Mã thôn, tổ dân phố": code,
        "Tên thôn, tổ dân phố": name,
        "Loại": "Thôn",
        "Mã chi bộ": branch,
        "Năm": year,
        "Số hộ": households,
        "Số nhân khẩu": population,
    }


def run(client, kind, rows, name="file.xlsx"):
    client.post(
        reverse("imports:index"),
        {"kind": kind, "file": SimpleUploadedFile(name, xlsx_bytes(rows))},
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


def test_nodes_are_created_through_the_domain_parents_first(world, as_user):
    client = as_user(world.officer)
    rows = [
        node_row("X2", "Đảng bộ xã Hương Sơn", "Đảng bộ cơ sở", "H1", sector="Xã"),
        node_row("X2-B1", "Chi bộ thôn 1", "chi bo", "X2"),
        node_row("X2-B2", "Chi bộ thôn 2", "Chi bộ", "X2"),
    ]
    batch = run(client, "nodes", rows, name="to-chuc.xlsx")
    assert batch.status == ImportStatus.APPLIED, batch.errors
    branch = OrganizationNode.objects.get(code="X2-B1")
    assert OrganizationNode.objects.get_parent(branch).code == "X2"
    assert branch.kind == NodeKind.BRANCH
    assert NodePlacement.objects.filter(node=branch).open().exists()
    record = branch.history.get()
    assert record.history_change_reason == f"import #{batch.pk} to-chuc.xlsx"
    assert record.history_user == world.officer

    again = run(client, "nodes", rows)
    assert (again.rows_new, again.rows_unchanged, again.status) == (0, 3, ImportStatus.APPLIED)
    assert OrganizationNode.objects.filter(code__startswith="X2").count() == 3


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        (node_row("Z1", "Chi bộ", "Chi bộ", "H2"), "Mã tổ chức cấp trên", "outside your part"),
        (node_row("Z1", "Chi bộ", "Chi bộ", "NOPE"), "Mã tổ chức cấp trên", "no organization"),
        (node_row("Z1", "Chi bộ", "Chi bộ", "H1"), "Loại tổ chức", "cannot be placed"),
        (node_row("Z1", "Đảng bộ", "Đảng bộ cơ sở", "H1"), "Khối", "sector"),
        (node_row("X1-B1", "Chi bộ", "Chi bộ", "X1-B2"), "Mã tổ chức cấp trên", "restructuring"),
        (node_row("H2-CB", "Đổi tên", "Chi bộ cơ sở", "H2"), "Mã tổ chức", "outside your part"),
    ],
)
def test_bad_node_rows(world, as_user, row, column, text):
    before = OrganizationNode.objects.count()
    batch = run(as_user(world.officer), "nodes", [row])
    assert batch.status == ImportStatus.REJECTED
    assert any(e["column"] == column and text in e["message"] for e in batch.errors), batch.errors
    assert OrganizationNode.objects.count() == before
    assert OrganizationNode.objects.get(code="H2-CB").name == "Chi bộ trường"


def test_node_rename_is_an_update_with_history(world, as_user):
    row = node_row("X1-B1", "Chi bộ thôn Một", "Chi bộ", "X1", established="01/01/2015")
    batch = run(as_user(world.officer), "nodes", [row])
    assert (batch.status, batch.rows_updated) == (ImportStatus.APPLIED, 1), batch.errors
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "Chi bộ thôn Một"
    assert world.branch_a.history.first().history_change_reason == batch.label


def test_areas_with_figures_per_year(world, as_user):
    client = as_user(world.officer)
    rows = [area_row("T3", year=2023, households=110), area_row("T3", year=2024)]
    batch = run(client, "areas", rows)
    assert batch.status == ImportStatus.APPLIED, batch.errors
    area = ResidentialArea.objects.get(code="T3")
    assert area.branch == world.branch_a
    assert list(area.years.values_list("year", "households")) == [(2024, 120), (2023, 110)]
    assert area.history.get().history_change_reason == batch.label

    assert run(client, "areas", rows).rows_unchanged == 2
    changed = run(client, "areas", [area_row("T3", year=2024, population=500)])
    assert changed.rows_updated == 1
    assert ResidentialAreaYear.objects.get(area=area, year=2024).population == 500


@pytest.mark.parametrize(
    ("rows", "column", "text"),
    [
        ([area_row("T4", population=10)], "Số nhân khẩu", "smaller"),
        ([area_row("T4", branch="H2-CB")], "Mã chi bộ", "outside your part"),
        ([area_row("T4", branch="X1")], "Mã chi bộ", "not a branch"),
        ([area_row("T4"), area_row("T4")], "Năm", "appear twice"),
        ([area_row("T4", year=2999)], "Năm", "2100"),
    ],
)
def test_bad_area_rows(world, as_user, rows, column, text):
    batch = run(as_user(world.officer), "areas", rows)
    assert batch.status == ImportStatus.REJECTED
    assert any(e["column"] == column and text in e["message"] for e in batch.errors), batch.errors
    assert not ResidentialArea.objects.exists()


def test_pre_reform_names_and_dated_renames(world, as_user):
    """ "Đảng bộ xã" under a district is a grassroots committee of the commune sector; a
    row with a valid-from date renames (and may change the kind) from that day on."""
    client = as_user(world.officer)
    batch = run(client, "nodes", [node_row("X5", "Đảng bộ xã Hương Hòa", "Đảng bộ xã", "H1")])
    assert batch.status == ImportStatus.APPLIED, batch.errors
    commune = OrganizationNode.objects.get(code="X5")
    assert (commune.kind, commune.sector) == (NodeKind.GRASSROOTS_COMMITTEE, "commune")

    row = node_row("X1-B1", "Chi bộ thôn Một", "Chi bộ", "X1", established="01/01/2015")
    row["Tên, loại có hiệu lực từ ngày"] = "01/01/2024"
    batch = run(client, "nodes", [row])
    assert batch.status == ImportStatus.APPLIED, batch.errors
    former = NodeName.objects.get(node=world.branch_a)
    assert (former.name, former.valid_to) == ("Chi bộ thôn 1", datetime.date(2024, 1, 1))
    assert OrganizationNode.objects.get(pk=world.branch_a.pk).name == "Chi bộ thôn Một"
