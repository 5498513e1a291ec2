import base64
import datetime
import hashlib
import pickle
import unicodedata

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from members.enums import Gender, MemberStatus
from members.models import Member, Membership, StatusEvent
from office.imports.registry import resource_class
from partyorg.enums import ImportStatus
from partyorg.imports import cleaned, files, services
from partyorg.models import ImportBatch
from tests.factories import make_member
from tests.factories_imports import MEMBER_HEADERS, csv_bytes, member_row, xlsx_bytes
from tests.factories_work import members_batch

pytestmark = pytest.mark.django_db
CACHE_TABLE = settings.CACHES["default"]["LOCATION"]


@pytest.fixture(autouse=True)
def english(client):
    """Messages are checked in English, whatever the Vietnamese catalogue says."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def upload(client, content, name="dang-vien.xlsx", kind="members"):
    return client.post(
        reverse("imports:index"), {"kind": kind, "file": SimpleUploadedFile(name, content)}
    )


def last_batch():
    return ImportBatch.objects.latest("pk")


def nothing_saved():
    return not Member.objects.exists() and not Member.history.exists()


def test_upload_previews_then_applies_with_history(world, as_user):
    client = as_user(world.officer)
    rows = [member_row("10000001"), member_row("10000002", **{"Họ và tên": "Lê Thị Hoa"})]
    response = upload(client, xlsx_bytes(rows))
    batch = last_batch()
    assert response.status_code == 302 and response["Location"] == batch.get_absolute_url()
    assert batch.status == ImportStatus.CHECKED
    assert (batch.rows_total, batch.rows_new, batch.rows_invalid) == (2, 2, 0)
    assert nothing_saved()
    page = client.get(batch.get_absolute_url()).content.decode()
    assert reverse("imports:apply", args=[batch.pk]) in page

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.applied_at
    member = Member.objects.get(member_number="10000002")
    assert member.branch == world.branch_a and member.status == MemberStatus.OFFICIAL
    assert Membership.objects.filter(member=member, branch=world.branch_a).exists()
    assert set(member.events.values_list("kind", flat=True)) == {"admitted", "converted"}
    record = member.history.get()
    assert record.history_change_reason == f"import #{batch.pk} dang-vien.xlsx"
    assert record.history_user == world.officer
    detail = client.get(member.get_absolute_url()).content.decode()
    assert f"import #{batch.pk} dang-vien.xlsx" in detail


def test_same_file_twice_changes_nothing(world, as_user):
    client = as_user(world.officer)
    content = xlsx_bytes([member_row("10000001"), member_row("10000002")])
    upload(client, content)
    client.post(reverse("imports:apply", args=[last_batch().pk]))
    counts = (Member.history.count(), Membership.objects.count(), StatusEvent.objects.count())

    upload(client, content)
    batch = last_batch()
    assert (batch.rows_new, batch.rows_updated, batch.rows_unchanged) == (0, 0, 2)
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert (
        Member.history.count(),
        Membership.objects.count(),
        StatusEvent.objects.count(),
    ) == counts


def test_changed_row_updates_the_record_with_history(world, as_user):
    member = make_member(world.branch_a, member_number="10000001", full_name="Nguyễn Văn An")
    client = as_user(world.officer)
    upload(client, xlsx_bytes([member_row("10000001", **{"Họ và tên": "Nguyễn Văn Ân"})]))
    batch = last_batch()
    assert (batch.rows_new, batch.rows_updated) == (0, 1)
    client.post(reverse("imports:apply", args=[batch.pk]))
    member.refresh_from_db()
    assert member.full_name == "Nguyễn Văn Ân"
    assert member.history.first().history_change_reason == batch.label
    assert Member.objects.search("nguyen van an").get() == member


def test_tolerant_values(world, as_user):
    nfd_name = unicodedata.normalize("NFD", "  Trần   Thị Bình ")
    row = member_row(
        "10000003",
        **{
            "Họ và tên": nfd_name,
            "Giới tính": "nu",
            "Ngày sinh": datetime.datetime(1985, 2, 1),
            "Ngày quyết định kết nạp": 40238,  # an Excel serial date: 01/03/2010
            "Ngày chính thức": "",
            "Trạng thái": " dự  bị ",
            "Nghề nghiệp": "giáo viên",
            "Giáo dục phổ thông": "THPT",
        },
    )
    client = as_user(world.officer)
    upload(client, xlsx_bytes([row]))
    client.post(reverse("imports:apply", args=[last_batch().pk]))
    member = Member.objects.get(member_number="10000003")
    assert member.full_name == "Trần Thị Bình"
    assert unicodedata.is_normalized("NFC", member.full_name)
    assert member.gender == Gender.FEMALE
    assert member.date_of_birth == datetime.date(1985, 2, 1)
    assert member.admission_decision_date == datetime.date(2010, 3, 1)
    assert member.status == MemberStatus.PROBATIONARY


def test_csv_file_is_accepted(world, as_user):
    client = as_user(world.officer)
    upload(client, csv_bytes([member_row("10000001")]), name="dang-vien.csv")
    assert last_batch().status == ImportStatus.CHECKED


def drop(column):
    row = member_row()
    del row[column]
    return [row]


BAD_FILES = {
    "missing column": (drop("Ngày sinh"), 1, "Ngày sinh", "required column is missing"),
    "unknown column": ([member_row() | {"Ghi chú": "x"}], 1, "Ghi chú", "Unknown column"),
    "bad date": (
        [member_row(**{"Ngày sinh": "31/02/1980"})],
        2,
        "Ngày sinh",
        "is not a date",
    ),
    "number twice": (
        [member_row("10000001"), member_row("10000001")],
        3,
        "Số lý lịch",
        "appears 2 times",
    ),
    "unknown branch": (
        [member_row(branch="KHONG-CO")],
        2,
        "Mã chi bộ",
        "no organization with code",
    ),
    "branch outside subtree": (
        [member_row(branch="H2-CB")],
        2,
        "Mã chi bộ",
        "outside your part of the tree",
    ),
    "very large cell": (
        [member_row(**{"Quê quán": "x" * 5000})],
        2,
        "Quê quán",
        "5000 characters",
    ),
    "not allowed word": (
        [member_row(**{"Giới tính": "Khác"})],
        2,
        "Giới tính",
        "Nam; Nữ",
    ),
    "under 18 at admission": (
        [member_row(**{"Ngày sinh": "01/01/2000"})],
        2,
        "Ngày quyết định kết nạp",
        "18 years",
    ),
}


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_file_reports_errors_and_saves_nothing(world, as_user, case):
    rows, row_number, column, text = BAD_FILES[case]
    good = member_row("10000009", **{"Số thẻ đảng viên": "09000009"})
    client = as_user(world.officer)
    # Header problems are shown on row 1; row problems follow a good first row.
    upload(client, xlsx_bytes(rows if row_number == 1 else [good, *rows]))
    batch = last_batch()
    assert batch.status == ImportStatus.REJECTED
    expected_row = row_number if row_number == 1 else row_number + 1
    assert any(
        e["row"] == expected_row and e["column"] == column and text in e["message"]
        for e in batch.errors
    ), batch.errors
    page = client.get(batch.get_absolute_url()).content.decode()
    assert column in page and reverse("imports:apply", args=[batch.pk]) not in page
    response = client.post(reverse("imports:apply", args=[batch.pk]))
    assert response.status_code == 302
    assert nothing_saved()


def test_empty_spreadsheet(world, as_user):
    client = as_user(world.officer)
    upload(client, xlsx_bytes([], headers=MEMBER_HEADERS))
    batch = last_batch()
    assert batch.status == ImportStatus.REJECTED
    assert "no data rows" in batch.errors[0]["message"]
    upload(client, b"\n\n", name="trong.csv")
    assert "The file is empty" in last_batch().errors[0]["message"]


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("dang-vien.xlsx", b"", "empty"),
        ("dang-vien.xlsx", b"Ho va ten,Ngay sinh\nAn,1/1/1980\n", "not an Excel workbook"),
        ("dang-vien.xlsx", b"PK\x03\x04not really a zip", "not an Excel workbook"),
        ("dang-vien.xls", b"\xd0\xcf\x11\xe0old excel", ".xlsx"),
        ("dang-vien.csv", "Họ và tên".encode("utf-16"), "CSV"),
    ],
)
def test_not_a_spreadsheet(world, as_user, name, content, text):
    response = upload(as_user(world.officer), content, name=name)
    assert response.status_code == 200
    assert text in str(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_existing_member_elsewhere_cannot_be_moved_or_touched(world, as_user):
    make_member(world.branch_a, member_number="10000001")
    make_member(world.other_branch, member_number="20000001")
    client = as_user(world.officer)
    upload(
        client,
        xlsx_bytes(
            [
                member_row("10000001", branch="X1-B2"),
                member_row("20000001", branch="X1-B1"),
                member_row("10000002", **{"Trạng thái": "Từ trần"}),
            ]
        ),
    )
    errors = {(e["row"], e["column"]): e["message"] for e in last_batch().errors}
    assert "transfer" in errors[(2, "Mã chi bộ")]
    assert errors[(3, "Số lý lịch")] == "This member number is already registered."
    assert "official or probationary" in errors[(4, "Trạng thái")]


def test_party_card_number_is_a_natural_key(world, as_user):
    make_member(world.branch_a, member_number="10000001", party_card_number="01000001")
    client = as_user(world.officer)
    upload(client, xlsx_bytes([member_row("10000002", **{"Số thẻ đảng viên": "01000001"})]))
    errors = last_batch().errors
    assert errors[0]["column"] == "Số thẻ đảng viên"
    assert errors[0]["message"] == "This party card number is already registered."


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_export_imports_back_unchanged(world, as_user, file_format):
    make_member(world.branch_a, member_number="10000001", full_name="Nguyễn Văn An")
    make_member(
        world.branch_b,
        member_number="10000002",
        full_name="Lê Thị Hoa",
        gender=Gender.FEMALE,
        official_date=None,
        party_card_number="00001234",
        national_id="046090001234",
    )
    client = as_user(world.officer)
    export = client.get(reverse("imports:export_members"), {"format": file_format})
    assert export.status_code == 200
    upload(client, export.content, name=f"export.{file_format}")
    batch = last_batch()
    assert batch.status == ImportStatus.CHECKED, batch.errors
    assert (batch.rows_total, batch.rows_new, batch.rows_updated, batch.rows_unchanged) == (
        2,
        0,
        0,
        2,
    )


def test_export_follows_filters_and_scope(world, as_user):
    make_member(world.branch_a, full_name="Nguyễn Văn An")
    make_member(world.branch_a, full_name="Lê Thị Hoa", gender=Gender.FEMALE)
    make_member(world.other_branch, full_name="Trần Thị Mai", gender=Gender.FEMALE)
    client = as_user(world.viewer)
    response = client.get(reverse("imports:export_members"), {"format": "csv", "gender": "female"})
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].split(",")[:3] == ["Số lý lịch", "Họ và tên", "Giới tính"]
    assert "Lê Thị Hoa" in text and "Nguyễn Văn An" not in text and "Trần Thị Mai" not in text
    list_page = client.get(reverse("members:list"), {"gender": "female"}).content.decode()
    assert "gender=female&amp;format=xlsx" in list_page


def test_template_has_headers_and_a_guide(world, as_user):
    import io

    import openpyxl

    response = as_user(world.officer).get(reverse("imports:template", args=["members"]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    data, guide = book.worksheets
    assert [c.value for c in data[1]] == MEMBER_HEADERS
    documented = [row[0] for row in guide.iter_rows(min_row=2, values_only=True)]
    assert documented == MEMBER_HEADERS
    gender = next(r for r in guide.iter_rows(min_row=2, values_only=True) if r[0] == "Giới tính")
    assert "Nam; Nữ" in gender[3]


def test_large_file_runs_as_a_task(world, as_user, monkeypatch):
    monkeypatch.setattr(services, "BACKGROUND_BYTES", 0)
    monkeypatch.setattr(services, "BACKGROUND_ROWS", 0)
    client = as_user(world.officer)
    upload(client, xlsx_bytes([member_row("10000001")]))
    batch = last_batch()
    assert batch.status == ImportStatus.CHECKED and batch.rows_done == 1
    client.post(reverse("imports:apply", args=[batch.pk]))
    assert Member.objects.filter(member_number="10000001").exists()


def test_running_import_shows_progress(world, as_user):
    client = as_user(world.officer)
    batch = members_batch(
        world.officer, status=ImportStatus.CHECKING, rows_total=10000, rows_done=2500
    )
    page = client.get(batch.get_absolute_url()).content.decode()
    assert 'value="25"' in page and 'http-equiv="refresh"' in page


# --- access -----------------------------------------------------------------------------------


def test_viewer_gets_403(world, as_user):
    client = as_user(world.viewer)
    assert client.get(reverse("imports:index")).status_code == 403
    assert upload(client, xlsx_bytes([member_row()])).status_code == 403
    assert client.get(reverse("imports:template", args=["members"])).status_code == 403
    assert not ImportBatch.objects.exists()


def test_other_users_batch_is_404_and_get_on_apply_is_405(world, as_user):
    upload(as_user(world.officer), xlsx_bytes([member_row()]))
    batch = last_batch()
    client = as_user(world.outsider)
    assert client.get(batch.get_absolute_url()).status_code == 404
    assert client.post(reverse("imports:apply", args=[batch.pk])).status_code == 404
    officer = as_user(world.officer)
    assert officer.get(reverse("imports:apply", args=[batch.pk])).status_code == 405
    assert nothing_saved()


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("imports:index"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_secretary_imports_only_into_own_branch(world, as_user):
    client = as_user(world.secretary)
    upload(client, xlsx_bytes([member_row(branch="X1-B1"), member_row("10000002", branch="X1-B2")]))
    errors = last_batch().errors
    assert [(e["row"], e["column"]) for e in errors] == [(3, "Mã chi bộ")]


@pytest.mark.parametrize("count", [1, 3])
def test_import_list_query_count(world, as_user, get_page, count):
    for number in range(count):
        members_batch(world.officer, file_name=f"{number}.xlsx")
    client = as_user(world.officer)
    response = get_page(client, 8, reverse("imports:index"))
    assert len(response.context["recent"]) == count


@pytest.mark.parametrize(
    "language, text",
    [("en", "This file has been imported already."), ("vi", "Tệp này đã được nhập rồi.")],
)
def test_a_second_press_on_import_is_refused_with_a_message(world, as_user, language, text):
    client = as_user(world.officer)
    upload(client, xlsx_bytes([member_row("10000001")]))
    batch = last_batch()
    client.post(reverse("imports:apply", args=[batch.pk]))

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("imports:apply", args=[batch.pk]), follow=True)

    assert response.status_code == 200 and text in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and Member.objects.count() == 1


@pytest.mark.parametrize(
    "meanwhile, column, message",
    [
        (
            lambda world: make_member(
                world.branch_a, member_number="30000001", party_card_number="01000001"
            ),
            "Số thẻ đảng viên",
            "This party card number is already registered.",
        ),
        (
            lambda world: make_member(world.other_branch, member_number="10000002"),
            "Số lý lịch",
            "This member number is already registered.",
        ),
    ],
)
def test_apply_checks_again_what_the_database_holds_since_the_preview(
    world, as_user, meanwhile, column, message
):
    client = as_user(world.officer)
    rows = [member_row("10000001"), member_row("10000002", **{"Số thẻ đảng viên": "01000001"})]
    upload(client, xlsx_bytes(rows))
    batch = last_batch()
    assert batch.status == ImportStatus.CHECKED
    meanwhile(world)

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["column"], e["message"]) for e in batch.errors] == [(3, column, message)]
    assert not Member.objects.filter(member_number="10000001").exists()


def test_apply_reuses_the_cells_its_check_cleaned(world, as_user, monkeypatch):
    """The apply does not read and clean the file again (half the time of a check)."""
    reads = []
    read = files.FirstSheetXLSX.create_dataset
    monkeypatch.setattr(
        files.FirstSheetXLSX,
        "create_dataset",
        lambda reader, content: reads.append(1) or read(reader, content),
    )
    client = as_user(world.officer)
    upload(client, xlsx_bytes([member_row("10000001"), member_row("10000002")]))
    batch = last_batch()
    assert (batch.status, len(reads)) == (ImportStatus.CHECKED, 1)

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.rows_new, len(reads)) == (ImportStatus.APPLIED, 2, 1)
    assert set(Member.objects.values_list("member_number", flat=True)) == {"10000001", "10000002"}


@pytest.mark.parametrize(("retention_days", "kept_days"), [(90, 7), (2, 2)])
def test_the_cleaned_cells_go_no_later_than_the_file(
    world, as_user, settings, retention_days, kept_days
):
    """They hold the same names and ID numbers as the upload."""
    settings.UPLOAD_RETENTION_DAYS = retention_days
    upload(as_user(world.officer), xlsx_bytes([member_row("10000001")]))
    assert last_batch().status == ImportStatus.CHECKED
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, expires FROM {CACHE_TABLE}")
        kept = [expires for key, expires in cursor.fetchall() if "import-cells" in key]
    assert len(kept) == 1
    expires = kept[0] if timezone.is_aware(kept[0]) else timezone.make_aware(kept[0], datetime.UTC)
    left = expires - timezone.now()
    assert (
        datetime.timedelta(days=kept_days, minutes=-5) < left <= datetime.timedelta(days=kept_days)
    )


def test_the_cleaned_cells_are_kept_compressed(world, as_user):
    """A province's file would otherwise be tens of megabytes of base64 in one cache row."""
    rows = [
        member_row(f"{10000001 + n}", **{"Số thẻ đảng viên": f"0100{n:04d}"}) for n in range(300)
    ]
    content = xlsx_bytes(rows)
    upload(as_user(world.officer), content)
    assert last_batch().status == ImportStatus.CHECKED
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT cache_key, value FROM {CACHE_TABLE}")
        stored = [value for key, value in cursor.fetchall() if "import-cells" in key]
    kept = cleaned.kept(resource_class("members"), content)
    assert len(kept.cells) == 300
    uncompressed = base64.b64encode(pickle.dumps(kept, pickle.HIGHEST_PROTOCOL))
    assert len(stored) == 1
    assert len(stored[0]) < len(uncompressed) / 3


def test_cells_kept_uncompressed_before_an_upgrade_are_read_again_at_the_apply(world, as_user):
    """An upload checked by the version that kept its cells as objects, applied after."""
    content = xlsx_bytes([member_row("10000001")])
    client = as_user(world.officer)
    upload(client, content)
    batch = last_batch()
    kind = resource_class("members")
    as_kept_before = cleaned.kept(kind, content)
    cache.clear()
    name = f"{kind.__module__}.{kind.__qualname__}"
    cache.set(f"import-cells:{name}:{hashlib.sha256(content).hexdigest()}", as_kept_before)

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 1)
