"""Member events of a period imported through the import pages, each through the
member page's domain function: transfers, exemption, exits, readmission."""

import datetime
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from members import lifecycle
from members.enums import EventKind, MemberStatus
from members.event_resources import EventResource
from members.models import Member, Membership, StatusEvent
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
HEADERS = [f.column_name for f in EventResource().get_export_fields()]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def members(world):
    return {n: make_member(world.branch_a, member_number=f"V-{n}") for n in range(5)}


def row(number, event, day, doc="01-QĐ", *, branch="", outside=""):
    return dict(zip(HEADERS, [number, "", event, day, doc, branch, outside, ""], strict=True))


def imported(client, rows):
    content = xlsx_bytes(rows, HEADERS)
    client.post(
        reverse("imports:index"),
        {"kind": "events", "file": SimpleUploadedFile("bien-dong.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


PERIOD = [
    row("V-0", "Chuyển sinh hoạt", "10/03/2022", "15-GGT", branch="X1-B2"),
    row("V-1", "Miễn sinh hoạt", "01/07/2021"),
    row("V-1", "Trở lại sinh hoạt", "01/07/2023"),
    row("V-2", "Từ trần", "12/12/2023"),
    row("V-3", "Ra khỏi Đảng", "01/02/2020"),
    row("V-3", "Kết nạp lại", "01/02/2024", branch="X1-B1"),
    row("V-4", "Chuyển đi ngoài hệ thống", "05/05/2022", "20-GGT", outside="Đảng bộ tỉnh B"),
]


def status(number):
    return Member.objects.get(member_number=number).status


def test_a_period_of_events_is_applied_in_order_once(world, as_user, members):
    client = as_user(world.officer)
    batch = imported(client, PERIOD)
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 7), batch.errors
    moved = Member.objects.get(member_number="V-0")
    assert moved.branch == world.branch_b
    assert Membership.objects.open().get(member=moved).start_date.isoformat() == "2022-03-10"
    assert status("V-1") == MemberStatus.OFFICIAL and status("V-2") == MemberStatus.DECEASED
    assert status("V-3") == MemberStatus.OFFICIAL and status("V-4") == MemberStatus.TRANSFERRED_OUT
    kinds = set(
        StatusEvent.objects.filter(member__member_number="V-3").values_list("kind", flat=True)
    )
    assert {EventKind.LEFT, EventKind.READMITTED} <= kinds
    death = StatusEvent.objects.get(kind=EventKind.DECEASED)
    assert death.history.get().history_user == world.officer
    count = StatusEvent.objects.count()
    again = imported(client, PERIOD)
    assert (again.status, again.rows_new, again.rows_unchanged) == (ImportStatus.APPLIED, 0, 7)
    assert StatusEvent.objects.count() == count


@pytest.mark.parametrize(
    ("bad", "column", "words"),
    [
        (row("V-2", "Kết nạp lại", "01/01/2024", branch="X1-B1"), "Biến động", "readmitted"),
        (row("V-1", "Miễn sinh hoạt", "01/01/2021"), "Ngày", "before the member's last"),
        (row("V-0", "Chuyển sinh hoạt", "01/01/2023", branch="H2-CB"), "Mã chi bộ đến", "outside"),
        (row("V-0", "Chuyển sinh hoạt", "01/01/2023"), "Mã chi bộ đến", "needs the branch"),
        (row("V-0", "Từ trần", "01/01/2023", outside="X"), "Nơi chuyển đến", "leave it empty"),
        (row("V-9", "Từ trần", "01/01/2023"), "Số lý lịch", "no member with number"),
        (row("V-0", "Mất tích", "01/01/2023"), "Biến động", "not allowed"),
        (row("V-0", "Từ trần", "01/01/2999"), "Ngày", "future"),
    ],
)
def test_errors_by_row_and_column_and_nothing_written(world, as_user, members, bad, column, words):
    before = StatusEvent.objects.count()
    batch = imported(as_user(world.officer), [*PERIOD, bad])
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(9, column)], batch.errors
    assert words in batch.errors[0]["message"]
    assert StatusEvent.objects.count() == before
    assert set(Member.objects.values_list("status", flat=True)) == {MemberStatus.OFFICIAL}


def test_a_branch_secretary_records_a_death_but_not_an_expulsion(world, as_user, members):
    client = as_user(world.secretary)
    batch = imported(client, [row("V-0", "Khai trừ", "01/01/2023")])
    assert batch.status == ImportStatus.REJECTED and batch.errors[0]["column"] == "Biến động"
    assert imported(client, [row("V-0", "Từ trần", "01/01/2023")]).status == ImportStatus.APPLIED


def test_the_period_exports_in_the_same_format_and_imports_back_unchanged(world, as_user, members):
    client = as_user(world.officer)
    assert imported(client, PERIOD).status == ImportStatus.APPLIED
    exported = client.get(reverse("imports:export", args=["events"]))
    assert exported.status_code == 200
    sheet = load_workbook(BytesIO(exported.content)).active
    rows = [[cell or "" for cell in r] for r in sheet.iter_rows(min_row=2, values_only=True)]
    by_event = {(r[0], r[2]): r for r in rows}
    assert by_event["V-0", "Chuyển sinh hoạt"][5] == "X1-B2"
    assert by_event["V-4", "Chuyển đi ngoài hệ thống"][6] == "Đảng bộ tỉnh B"
    assert len(rows) == len(PERIOD)
    again = imported(client, [dict(zip(HEADERS, r, strict=True)) for r in rows])
    assert (again.status, again.rows_unchanged) == (ImportStatus.APPLIED, len(PERIOD))


def test_the_export_leaves_out_events_of_other_subtrees(world, as_user, members):
    assert imported(as_user(world.officer), PERIOD).status == ImportStatus.APPLIED
    exported = as_user(world.outsider).get(reverse("imports:export", args=["events"]))
    sheet = load_workbook(BytesIO(exported.content)).active
    assert sheet.max_row == 1


def test_the_apply_carries_out_each_row_once(world, as_user, members, monkeypatch):
    """Rehearsed at the upload's check, carried out by the apply's write(): not rehearsed
    again before it."""
    performed = []
    perform = EventResource.perform
    monkeypatch.setattr(
        EventResource,
        "perform",
        lambda resource, row: performed.append(row._import_row) or perform(resource, row),
    )
    batch = imported(as_user(world.officer), PERIOD)
    assert batch.status == ImportStatus.APPLIED, batch.errors
    assert sorted(performed) == sorted([*range(2, 9)] * 2)


def test_a_row_the_record_no_longer_allows_at_the_apply_is_refused_on_its_row(
    world, as_user, members
):
    """Checked against yesterday's records, refused against today's: the apply reports
    the row and its column as the check would, and writes nothing."""
    client = as_user(world.officer)
    rows = [row("V-1", "Miễn sinh hoạt", "01/07/2021"), row("V-2", "Từ trần", "12/12/2023")]
    client.post(
        reverse("imports:index"),
        {"kind": "events", "file": SimpleUploadedFile("bien-dong.xlsx", xlsx_bytes(rows, HEADERS))},
    )
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportStatus.CHECKED, batch.errors
    died = Member.objects.get(member_number="V-2")
    lifecycle.record_exit(died, kind=EventKind.DECEASED, on=D(2023, 11, 1), document_number="x")

    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(3, "Biến động")], batch.errors
    assert batch.rows_invalid == 1
    assert status("V-1") == MemberStatus.OFFICIAL  # row 2 was carried out, then undone
