"""Positions and concurrent roles imported through the import pages: preview with every
error by row and column, all or nothing, the same file twice, the importer's subtree,
history, and the export that imports back unchanged."""

import datetime
import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.enums import PositionRole
from members.models import Position
from members.position_resources import PositionResource
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_area, make_member
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [f.column_name for f in PositionResource().get_export_fields()]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def people(world):
    area = make_area(world.branch_a, code="T01")
    far_area = make_area(world.other_branch, code="T99")
    an = make_member(world.branch_a, member_number="P-1", full_name="Nguyễn Văn An")
    binh = make_member(world.branch_a, member_number="P-2", full_name="Trần Thị Bình")
    far = make_member(world.other_branch, member_number="P-9", full_name="Lê Văn Xa")
    return {"area": area, "far_area": far_area, "an": an, "binh": binh, "far": far}


def row(number, role, *, node="", area="", start="15/06/2020", end="", doc="", name=""):
    values = [number, name, role, node, area, start, end, doc]
    return dict(zip(HEADERS, values, strict=True))


def imported(client, rows, *, apply=True):
    """Upload a generated workbook on the import page; apply it when it checks clean."""
    client.post(
        reverse("imports:index"),
        {
            "kind": "positions",
            "file": SimpleUploadedFile("chuc-vu.xlsx", xlsx_bytes(rows, HEADERS)),
        },
    )
    batch = ImportBatch.objects.latest("pk")
    if apply and batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


GOOD = [
    row("P-1", "Bí thư", node="X1-B1", doc="12-QĐ/ĐU", name="Nguyễn Văn An"),
    row("P-2", "Phó Bí thư", node="X1-B1"),
    row("P-1", "Trưởng thôn", area="T01", start="01/01/2019", end="01/01/2024"),
    row("P-2", "Trưởng ban công tác Mặt trận", area="T01", start="01/01/2021"),
]


def test_a_file_of_posts_is_previewed_applied_and_recorded(world, as_user, people):
    client = as_user(world.officer)
    batch = imported(client, GOOD, apply=False)
    assert (batch.status, batch.rows_new) == (ImportStatus.CHECKED, 4)
    assert not Position.objects.exists()
    batch = imported(client, GOOD)
    assert batch.status == ImportStatus.APPLIED
    secretary = Position.objects.get(role=PositionRole.SECRETARY)
    assert (secretary.member, secretary.node, secretary.document_number) == (
        people["an"],
        world.branch_a,
        "12-QĐ/ĐU",
    )
    head = Position.objects.get(role=PositionRole.VILLAGE_HEAD)
    assert (head.residential_area, head.end_date) == (people["area"], D(2024, 1, 1))
    record = secretary.history.get()
    assert record.history_user == world.officer and batch.label in record.history_change_reason


def test_the_same_file_twice_changes_nothing_and_a_later_end_updates_the_term(
    world, as_user, people
):
    client = as_user(world.officer)
    imported(client, GOOD)
    again = imported(client, GOOD)
    assert (again.status, again.rows_new, again.rows_updated, again.rows_unchanged) == (
        ImportStatus.APPLIED,
        0,
        0,
        4,
    )
    assert Position.history.count() == 4
    ended = [row("P-1", "Bí thư", node="X1-B1", end="01/07/2025", doc="12-QĐ/ĐU")]
    successor = [row("P-2", "Bí thư", node="X1-B1", start="01/07/2025")]
    batch = imported(client, successor + ended)
    assert (batch.status, batch.rows_new, batch.rows_updated) == (ImportStatus.APPLIED, 1, 1)
    holders = Position.objects.filter(role=PositionRole.SECRETARY, node=world.branch_a)
    assert [p.member.member_number for p in holders.on(D(2025, 7, 1))] == ["P-2"]
    assert [p.member.member_number for p in holders.on(D(2025, 6, 30))] == ["P-1"]


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (row("P-9", "Bí thư", node="X1-B2"), "Số lý lịch", "no member with number"),
        (row("P-404", "Bí thư", node="X1-B2"), "Số lý lịch", "no member with number"),
        (row("P-1", "Bí thư", node="H2-CB"), "Mã tổ chức", "outside your part"),
        (row("P-1", "Trưởng thôn", area="T99"), "Mã thôn, tổ dân phố", "no village"),
        (row("P-1", "Trưởng thôn", node="X1-B1", area="T01"), "Mã tổ chức", "leave it empty"),
        (row("P-1", "Bí thư"), "Mã tổ chức", "needs the organization"),
        (row("P-1", "Thủ quỹ", node="X1-B1"), "Chức vụ", "not allowed"),
        (row("P-1", "Bí thư", node="X1-B2"), "Số lý lịch", "was not in Chi bộ thôn 2"),
        (row("P-1", "Bí thư", node="X1-B1", start="31/02/2020"), "Từ ngày", "not a date"),
        (
            row("P-1", "Bí thư", node="X1-B1", start="01/01/2021", end="01/01/2020"),
            "Đến ngày",
            "cannot end before",
        ),
        (row("P-1", "Cấp ủy viên", node="X1-B1", name="Lê Văn Khác"), "Họ và tên", "is Nguyễn"),
        # A second secretary while the first is in office, in the same file.
        (row("P-2", "Bí thư", node="X1-B1", start="01/01/2023"), "Từ ngày", "holds this post"),
        (row("P-1", "Bí thư", node="X1-B1", doc="x"), "Số lý lịch", "appears twice"),
    ],
)
def test_each_error_names_its_row_and_column_and_nothing_is_written(
    world, as_user, people, bad, column, words
):
    client = as_user(world.officer)
    batch = imported(client, [*GOOD, bad])
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(6, column)], batch.errors
    assert words in batch.errors[0]["message"]
    assert not Position.objects.exists() and not Position.history.exists()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert column in page and words in page


def test_a_post_held_by_someone_else_in_the_database_is_refused(world, as_user, people):
    client = as_user(world.officer)
    imported(client, GOOD)
    batch = imported(client, [row("P-2", "Bí thư", node="X1-B1", start="01/01/2024")])
    assert batch.status == ImportStatus.REJECTED
    assert "Nguyễn Văn An holds this post" in batch.errors[0]["message"]
    assert Position.objects.count() == 4


def test_a_branch_secretary_imports_only_inside_the_branch(world, as_user, people):
    batch = imported(as_user(world.secretary), [row("P-1", "Bí thư", node="X1")])
    assert batch.status == ImportStatus.REJECTED
    assert batch.errors[0]["column"] == "Mã tổ chức"


def test_template_documents_and_exemplifies_and_the_export_imports_back(world, as_user, people):
    client = as_user(world.officer)
    template = client.get(reverse("imports:template", args=["positions"]))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    data, guide, examples = book.worksheets
    assert [c.value for c in data[1]] == HEADERS == [c.value for c in examples[1]]
    assert examples.max_row > 1 and guide.max_row == len(HEADERS) + 1
    imported(client, GOOD)
    exported = client.get(reverse("imports:export", args=["positions"]))
    rows = list(openpyxl.load_workbook(io.BytesIO(exported.content)).worksheets[0].values)
    assert list(rows[0]) == HEADERS and len(rows) == 5
    client.post(
        reverse("imports:index"),
        {"kind": "positions", "file": SimpleUploadedFile("x.xlsx", exported.content)},
    )
    batch = ImportBatch.objects.latest("pk")
    assert (batch.status, batch.rows_unchanged) == (ImportStatus.CHECKED, 4), batch.errors
    outsider = as_user(world.outsider).get(reverse("imports:export", args=["positions"]))
    assert len(list(openpyxl.load_workbook(io.BytesIO(outsider.content)).worksheets[0].values)) == 1
