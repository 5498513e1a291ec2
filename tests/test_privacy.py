"""Personal data stays in its scope: no message tells who holds a number, exports of
personal data are for officers, and pages with it are not kept by browsers or proxies."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from admission.models import Candidate
from members.models import Member
from partyorg.models import ImportBatch
from tests.factories import make_member
from tests.factories_admission import WALK, make_candidate, make_officials, walk
from tests.factories_imports import member_row, xlsx_bytes
from tests.form_data import candidate_form, member_form
from tests.test_imports_candidates import candidate_row

pytestmark = pytest.mark.django_db

NATIONAL_ID = "001080000123"
CARD = "09000777"
NUMBER = "30000777"
HOLDER = "Đinh Văn Kín"
NATIONAL_ID_TAKEN = "This national ID number is already registered."
CARD_TAKEN = "This party card number is already registered."
NUMBER_TAKEN = "This member number is already registered."


@pytest.fixture
def holder(world):
    """A member of another district holding the numbers."""
    return make_member(
        world.other_branch,
        member_number=NUMBER,
        national_id=NATIONAL_ID,
        party_card_number=CARD,
        full_name=HOLDER,
    )


def new_member_data(world, **overrides):
    return member_form(branch=world.branch_a.pk, **overrides)


def new_candidate_data(world, **overrides):
    return candidate_form(gender="female", branch=world.branch_a.pk, **overrides)


def assert_tells_nobody(page: str, *, typed=""):
    """Neither the holder's name nor their member number (unless the user typed it)."""
    assert HOLDER not in page and "Constraint" not in page
    assert typed == NUMBER or NUMBER not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("national_id", NATIONAL_ID, NATIONAL_ID_TAKEN),
        ("party_card_number", CARD, CARD_TAKEN),
        ("member_number", NUMBER, NUMBER_TAKEN),
    ],
)
def test_the_new_member_form_says_a_number_is_registered_on_its_field(
    world, holder, as_user, field, value, message
):
    response = as_user(world.secretary).post(
        reverse("members:create"), new_member_data(world, **{field: value})
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert_tells_nobody(response.content.decode(), typed=value)
    assert not Member.objects.filter(full_name="Hà Văn Sơn").exists()


def test_the_edit_form_says_a_number_is_registered_in_vietnamese(world, holder, as_user):
    member = make_member(world.branch_a, full_name="Hà Văn Sơn")
    client = as_user(world.secretary)
    client.cookies["django_language"] = "vi"
    url = reverse("members:edit", args=[member.member_number])
    form = client.get(url).context["form"]
    data = {
        name: value.strftime("%d/%m/%Y") if hasattr(value, "strftime") else value
        for name, value in ((f.html_name, f.value()) for f in form)
        if value is not None
    }
    response = client.post(url, data | {"national_id": NATIONAL_ID, "party_card_number": CARD})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["national_id"] == ["Số định danh cá nhân (CCCD) này đã được đăng ký."]
    assert errors["party_card_number"] == ["Số thẻ đảng viên này đã được đăng ký."]
    assert_tells_nobody(response.content.decode())
    member.refresh_from_db()
    assert member.national_id == ""


def test_the_candidate_form_says_a_national_id_is_registered(world, as_user):
    make_candidate(world.other_branch, national_id=NATIONAL_ID, full_name=HOLDER)
    response = as_user(world.secretary).post(
        reverse("admission:create"), new_candidate_data(world, national_id=NATIONAL_ID)
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {"national_id": [NATIONAL_ID_TAKEN]}
    assert HOLDER not in response.content.decode()
    assert not Candidate.objects.filter(full_name="Võ Thị Hạnh").exists()


def test_the_ceremony_refuses_a_national_id_registered_to_a_member(world, holder, as_user):
    officials = make_officials(world.branch_a)
    candidate = walk(
        make_candidate(world.branch_a, national_id=NATIONAL_ID), "decided", officials=officials
    )
    response = as_user(world.officer).post(
        reverse("admission:step", args=[candidate.pk, "ceremony"]),
        {"on": WALK["ceremony"].strftime("%d/%m/%Y"), "member_number": "70000001"},
    )
    assert response.status_code == 200
    assert NATIONAL_ID_TAKEN in response.content.decode()
    assert_tells_nobody(response.content.decode())
    assert not Member.objects.filter(member_number="70000001").exists()


def import_errors(client, rows, kind="members"):
    name = "dang-vien.xlsx" if kind == "members" else "quan-chung.xlsx"
    client.post(
        reverse("imports:index"),
        {"kind": kind, "file": SimpleUploadedFile(name, xlsx_bytes(rows))},
    )
    batch = ImportBatch.objects.latest("pk")
    page = client.get(batch.get_absolute_url()).content.decode()
    return {(error["column"], error["message"]) for error in batch.errors}, page


def test_a_member_import_tells_nobody_who_holds_a_number(world, holder, as_user):
    client = as_user(world.officer)
    rows = [
        member_row("10000001", **{"Số CCCD": NATIONAL_ID}),
        member_row("10000002", **{"Số thẻ đảng viên": CARD}),
        member_row(NUMBER),
    ]
    errors, page = import_errors(client, rows)
    assert errors == {
        ("Số CCCD", NATIONAL_ID_TAKEN),
        ("Số thẻ đảng viên", CARD_TAKEN),
        ("Số lý lịch", NUMBER_TAKEN),
    }
    assert HOLDER not in page and "SEC" not in page
    assert not any(NUMBER in message for _column, message in errors)


def test_a_candidate_import_tells_nobody_who_holds_a_national_id(world, as_user):
    make_candidate(world.other_branch, national_id=NATIONAL_ID, full_name=HOLDER)
    errors, page = import_errors(
        as_user(world.officer), [candidate_row(NATIONAL_ID)], kind="candidates"
    )
    assert errors == {("Số CCCD", NATIONAL_ID_TAKEN)}
    assert HOLDER not in page


PERSONAL_COLUMNS = {"Số CCCD", "Ngày sinh", "Dân tộc", "Tôn giáo", "Quê quán", "Nơi ở hiện nay"}


def exported(client, file_format="csv"):
    response = client.get(reverse("imports:export_members"), {"format": file_format})
    assert response.status_code == 200
    return response, list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_officers_export_personal_data(world, as_user):
    make_member(world.branch_a, national_id=NATIONAL_ID, full_name="Hà Văn Sơn")
    _response, rows = exported(as_user(world.officer))
    assert set(rows[0]) >= PERSONAL_COLUMNS
    assert rows[0]["Số CCCD"] == NATIONAL_ID


@pytest.mark.parametrize("role", ["viewer", "secretary"])
def test_others_export_without_personal_data(world, as_user, role):
    make_member(
        world.branch_a, national_id=NATIONAL_ID, full_name="Hà Văn Sơn", residence="Xóm Bến Đò"
    )
    response, rows = exported(as_user(getattr(world, role)))
    assert rows[0]["Họ và tên"] == "Hà Văn Sơn"
    assert not PERSONAL_COLUMNS & set(rows[0])
    content = response.content.decode("utf-8-sig")
    assert NATIONAL_ID not in content and "17/05/1980" not in content
    assert "Xóm Bến Đò" not in content


def test_the_xlsx_export_leaves_out_personal_data_too(world, as_user):
    import openpyxl

    make_member(world.branch_a, national_id=NATIONAL_ID)
    response = as_user(world.viewer).get(reverse("imports:export_members"), {"format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    headers = {cell.value for cell in sheet[1]}
    assert "Họ và tên" in headers and not PERSONAL_COLUMNS & headers
    values = {cell.value for row in sheet.iter_rows() for cell in row}
    assert NATIONAL_ID not in values


def test_pages_and_files_for_signed_in_users_are_not_stored(world, as_user):
    member = make_member(world.branch_a, national_id=NATIONAL_ID)
    candidate = make_candidate(world.branch_a)
    client = as_user(world.officer)
    urls = [
        reverse("home"),
        reverse("members:list"),
        reverse("members:detail", args=[member.member_number]),
        reverse("members:edit", args=[member.member_number]),
        reverse("imports:export_members") + "?format=csv",
        reverse("imports:export_members") + "?format=xlsx",
        reverse("admission:list"),
        reverse("admission:detail", args=[candidate.pk]),
        reverse("admission:checklist", args=[candidate.pk]),
        reverse("reports:figure_members", args=[world.district.code, 2025, "women"]),
        reverse("password_change"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response.get("Cache-Control", ""), url


def test_the_login_page_is_not_stored_either(client):
    assert "no-store" in client.get(reverse("login"))["Cache-Control"]
