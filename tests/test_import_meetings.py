"""Past meetings imported through the import pages and the command, in the two forms an
office keeps them (attendance per member, or the minutes book's header counts), and the
annual report counting them like minutes entered by form."""

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from branchwork import meeting_resources
from branchwork.meeting_queries import rate
from branchwork.meeting_resources import AttendanceResource, MeetingTotalsResource
from branchwork.meetings import update_meeting
from branchwork.models import Attendance, Meeting
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories import make_member
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
PER_MEMBER = [f.column_name for f in AttendanceResource().get_export_fields()]
TOTALS = [f.column_name for f in MeetingTotalsResource().get_export_fields()]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def members(world):
    return [make_member(world.branch_a, member_number=f"M-{n}") for n in range(4)]


def attendance(number, status="Có mặt", reason="", *, day="05/03/2021", kind="Thường kỳ"):
    values = ["X1-B1", day, kind, number, "", status, reason]
    return dict(zip(PER_MEMBER, values, strict=True))


def totals(counts, *, branch="X1-B2", day="05/04/2021", kind="Thường kỳ"):
    return dict(zip(TOTALS, [branch, day, kind, *counts], strict=True))


MARCH = [
    attendance("M-0"),
    attendance("M-1"),
    attendance("M-2", "Vắng có lý do", "Ốm"),
    attendance("M-3", "Vắng không lý do"),
]
THEMATIC = [attendance(f"M-{n}", day="20/03/2021", kind="Chuyên đề") for n in range(4)]
# official, probationary, exempted absent, present, absent with / without a reason
BOOK = [
    totals([20, 2, 1, 18, 3, 1]),
    totals([22, 0, 0, 22, 0, 0], day="07/05/2021"),
]


def imported(client, kind, content):
    client.post(
        reverse("imports:index"), {"kind": kind, "file": SimpleUploadedFile("f.xlsx", content)}
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


def test_attendance_per_member_makes_final_meetings_once_and_exports_back(world, as_user, members):
    client = as_user(world.officer)
    batch = imported(client, "attendance", xlsx_bytes(MARCH + THEMATIC, PER_MEMBER))
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 8), batch.errors
    regular = Meeting.objects.get(kind="regular")
    assert regular.is_final and regular.finalized_by == world.officer
    counts = (regular.present_count, regular.counted_count)
    assert (*counts, regular.excused_count, regular.unexcused_count) == (2, 4, 1, 1)
    assert Meeting.objects.get(kind="thematic").present_count == 4
    assert regular.attendances.get(member__member_number="M-2").reason == "Ốm"
    assert Meeting.history.filter(history_user=world.officer).exists()
    written = (Meeting.history.count(), Attendance.history.count())
    again = imported(client, "attendance", xlsx_bytes(MARCH + THEMATIC, PER_MEMBER))
    assert (again.status, again.rows_unchanged) == (ImportStatus.APPLIED, 8), again.errors
    exported = client.get(reverse("imports:export", args=["attendance"]))
    back = imported(client, "attendance", exported.content)
    assert (back.status, back.rows_unchanged) == (ImportStatus.APPLIED, 8), back.errors
    assert (Meeting.history.count(), Attendance.history.count()) == written


def test_totals_make_meetings_without_rows_counted_as_the_form_counts(world, as_user):
    client = as_user(world.officer)
    batch = imported(client, "meeting_totals", xlsx_bytes(BOOK, TOTALS))
    assert (batch.status, batch.rows_new) == (ImportStatus.APPLIED, 2), batch.errors
    first = Meeting.objects.get(date__month=4)
    assert first.is_final and not first.attendances.exists()
    stored = (first.present_count, first.excused_count, first.unexcused_count)
    # The exempted member who stayed away is absent with a reason, not counted.
    assert (*stored, first.counted_count) == (18, 3, 1, 21)
    again = imported(client, "meeting_totals", xlsx_bytes(BOOK, TOTALS))
    assert (again.status, again.rows_unchanged) == (ImportStatus.APPLIED, 2), again.errors
    exported = client.get(reverse("imports:export", args=["meeting_totals"]))
    back = imported(client, "meeting_totals", exported.content)
    assert (back.status, back.rows_unchanged) == (ImportStatus.APPLIED, 2), back.errors
    assert Meeting.history.count() == 2


def test_the_report_counts_both_forms_as_the_files_imply(world, as_user, members):
    client = as_user(world.officer)
    imported(client, "attendance", xlsx_bytes(MARCH + THEMATIC, PER_MEMBER))
    imported(client, "meeting_totals", xlsx_bytes(BOOK, TOTALS))
    report = lambda code: client.get(  # noqa: E731
        reverse("reports:dashboard", args=[code, 2021])
    ).context["report"]
    # Regular meetings only: March of branch 1 (2 of 4), April and May of branch 2.
    branch_a, branch_b, commune = report("X1-B1"), report("X1-B2"), report("X1")
    assert (branch_a.totals.present, branch_a.totals.counted) == (2, 4)
    assert (branch_b.totals.present, branch_b.totals.counted) == (18 + 22, 21 + 22)
    assert (commune.totals.present, commune.totals.counted) == (42, 47)
    assert (branch_a.totals.regular_held, branch_b.totals.regular_held) == (1, 2)
    assert branch_a.totals.thematic_held == 1
    months = {row["month"]: row["rate"] for row in commune.meetings["attendance_by_month"]}
    assert (months[3], months[4], months[5]) == (50, rate(18, 21), 100)


@pytest.mark.parametrize(
    ("kind", "rows", "column", "words"),
    [
        ("attendance", [attendance("M-0") | {"Mã chi bộ": "H2-CB"}], "Mã chi bộ", "outside your"),
        ("attendance", [attendance("M-0") | {"Mã chi bộ": "X1"}], "Mã chi bộ", "not a branch"),
        ("attendance", [attendance("M-9")], "Số lý lịch", "no member with number"),
        ("attendance", MARCH[:3], "Số lý lịch", "Attendance is missing for"),
        ("attendance", [*MARCH, MARCH[0]], "Số lý lịch", "appears twice"),
        ("attendance", [*MARCH[:2], attendance("M-2", "Vắng có lý do")], "Lý do vắng", "reason"),
        (
            "attendance",
            [attendance(f"M-{n}", day="05/03/2014") for n in range(4)],
            "Ngày họp",
            "did not exist yet",
        ),
        (
            "attendance",
            [*MARCH, *(attendance(f"M-{n}", day="25/03/2021") for n in range(4))],
            "Loại sinh hoạt",
            "already has a regular meeting",
        ),
        (
            "meeting_totals",
            [totals([20, 2, 1, 18, 3, 1], branch="H2-CB")],
            "Mã chi bộ",
            "outside your",
        ),
        ("meeting_totals", [totals([10, 0, 0, 9, 2, 0])], "Có mặt", "more than the members"),
        (
            "meeting_totals",
            [totals([10, 0, 2, 8, 1, 0])],
            "Miễn sinh hoạt vắng mặt",
            "among the absent",
        ),
        ("meeting_totals", [BOOK[0], BOOK[0]], "Ngày họp", "appears twice"),
        (
            "meeting_totals",
            [totals([10, 0, 0, 9, 2, 0], day="05/04/2099")],
            "Ngày họp",
            "taken place",
        ),
        ("meeting_totals", [totals(["x", 0, 0, 9, 1, 0])], "Đảng viên chính thức", "whole number"),
    ],
)
def test_errors_by_row_and_column_and_nothing_written(
    world, as_user, members, kind, rows, column, words
):
    headers = PER_MEMBER if kind == "attendance" else TOTALS
    batch = imported(as_user(world.officer), kind, xlsx_bytes(rows, headers))
    assert batch.status == ImportStatus.REJECTED
    assert column in {e["column"] for e in batch.errors}, batch.errors
    assert any(words in e["message"] for e in batch.errors), batch.errors
    assert all(e["row"] for e in batch.errors)
    assert not Meeting.objects.exists() and not Meeting.history.exists()


def test_a_member_of_another_branch_that_day_is_refused(world, as_user, members):
    make_member(world.branch_b, member_number="M-B")
    rows = [*MARCH, attendance("M-B")]
    batch = imported(as_user(world.officer), "attendance", xlsx_bytes(rows, PER_MEMBER))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(6, "Số lý lịch")], batch.errors
    assert "was not in Chi bộ thôn 1" in batch.errors[0]["message"]


def test_a_meeting_recorded_otherwise_is_not_rewritten(world, as_user, members):
    client = as_user(world.officer)
    imported(client, "attendance", xlsx_bytes(MARCH, PER_MEMBER))
    changed = [attendance("M-0", "Vắng không lý do"), *MARCH[1:]]
    batch = imported(client, "attendance", xlsx_bytes(changed, PER_MEMBER))
    assert batch.status == ImportStatus.REJECTED
    assert [(e["row"], e["column"]) for e in batch.errors] == [(2, "Tham dự")]
    as_totals = totals([4, 0, 0, 2, 1, 1], branch="X1-B1", day="05/03/2021")
    batch = imported(client, "meeting_totals", xlsx_bytes([as_totals], TOTALS))
    assert batch.status == ImportStatus.REJECTED
    assert "already recorded otherwise" in batch.errors[0]["message"]
    assert Meeting.objects.get().present_count == 2


def test_a_branch_secretary_imports_only_their_branch(world, as_user, members):
    client = as_user(world.secretary)
    batch = imported(client, "meeting_totals", xlsx_bytes(BOOK, TOTALS))
    assert batch.status == ImportStatus.REJECTED
    assert {e["column"] for e in batch.errors} == {"Mã chi bộ"}
    mine = imported(client, "attendance", xlsx_bytes(MARCH, PER_MEMBER))
    assert mine.status == ImportStatus.APPLIED, mine.errors
    outsider = as_user(world.outsider).get(reverse("imports:export", args=["attendance"]))
    assert outsider.status_code == 200
    assert not ImportBatch.objects.filter(user=world.outsider).exists()


def test_the_command_imports_both_forms(world, members, tmp_path, capsys):
    per_member, book = tmp_path / "diem-danh.xlsx", tmp_path / "so-bien-ban.xlsx"
    per_member.write_bytes(xlsx_bytes(MARCH, PER_MEMBER))
    book.write_bytes(xlsx_bytes(BOOK, TOTALS))
    call_command("import_xlsx", "attendance", str(per_member), "--dry-run", "--user", "officer")
    assert not Meeting.objects.exists()
    call_command("import_xlsx", "attendance", str(per_member), "--user", "officer")
    call_command("import_xlsx", "meeting_totals", str(book), "--user", "officer")
    assert Meeting.objects.count() == 3
    call_command("import_xlsx", "meeting_totals", str(book), "--user", "officer")
    assert "0 new, 0 updated, 2 unchanged" in capsys.readouterr().out
    call_command("import_xlsx", "--list")
    listed = capsys.readouterr().out
    assert "attendance" in listed and "meeting_totals" in listed and "org_evaluations" in listed


def test_minutes_brought_in_as_totals_show_and_keep_their_counts(world, as_user):
    client = as_user(world.officer)
    imported(client, "meeting_totals", xlsx_bytes(BOOK[:1], TOTALS))
    meeting = Meeting.objects.get()
    page = client.get(meeting.get_absolute_url())
    assert page.status_code == 200
    header = page.context["header"]
    assert (header["members"], header["exempted"], header["present"]) == (22, 1, 18)
    data = {"date": meeting.date, "kind": meeting.kind, "topic": "Nghị quyết tháng 4"}
    update_meeting(meeting, data=data, attendance={}, rows=[], reason="Bổ sung", by=world.officer)
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.present_count, meeting.counted_count) == (
        "Nghị quyết tháng 4",
        18,
        21,
    )


def test_the_command_writes_a_kinds_template(world, tmp_path):
    path = tmp_path / "mau.xlsx"
    call_command("import_xlsx", "meeting_totals", "--template", str(path))
    book = openpyxl.load_workbook(path)
    assert [cell.value for cell in book.worksheets[0][1]] == TOTALS
    assert "Hướng dẫn" in book.sheetnames


def test_attendance_import_queries_do_not_grow_with_its_meetings(world, as_user, members):
    """The rolls are drawn and the meetings written together: a year of meetings costs
    the queries of one (a query per meeting made a district's year take ten minutes)."""
    client = as_user(world.officer)

    def queries(months):
        rows = [
            attendance(f"M-{n}", day=f"05/{month:02d}/2021") for month in months for n in range(4)
        ]
        with CaptureQueriesContext(connection) as captured:
            batch = imported(client, "attendance", xlsx_bytes(rows, PER_MEMBER))
        assert batch.status == ImportStatus.APPLIED, batch.errors
        return len(captured)

    assert queries([1]) == queries(range(2, 13))
    assert Meeting.objects.filter(status="final").count() == 12
    assert Attendance.objects.count() == 48
    assert set(Meeting.objects.values_list("present_count", "counted_count")) == {(4, 4)}


def test_the_apply_checks_the_meetings_once(world, as_user, members, monkeypatch):
    """write() checks the meetings against the branch's record itself; the check before
    it does not do that work a second time."""
    checks = []
    check = meeting_resources.check_past_meetings
    monkeypatch.setattr(
        meeting_resources,
        "check_past_meetings",
        lambda past: checks.append(len(past)) or check(past),
    )
    batch = imported(as_user(world.officer), "attendance", xlsx_bytes(MARCH + THEMATIC, PER_MEMBER))
    assert (batch.status, checks) == (ImportStatus.APPLIED, [2, 2]), batch.errors


def test_a_meeting_recorded_meanwhile_is_refused_at_the_apply_on_its_row(world, as_user, members):
    client = as_user(world.officer)
    upload = SimpleUploadedFile("f.xlsx", xlsx_bytes(MARCH, PER_MEMBER))
    client.post(reverse("imports:index"), {"kind": "attendance", "file": upload})
    first = ImportBatch.objects.latest("pk")
    assert first.status == ImportStatus.CHECKED, first.errors
    changed = [attendance("M-0", "Vắng không lý do"), *MARCH[1:]]
    assert (
        imported(client, "attendance", xlsx_bytes(changed, PER_MEMBER)).status
        == ImportStatus.APPLIED
    )

    client.post(reverse("imports:apply", args=[first.pk]))
    first.refresh_from_db()
    assert first.status == ImportStatus.FAILED
    assert [(e["row"], e["column"]) for e in first.errors] == [(2, "Tham dự")], first.errors
    assert first.rows_invalid == 1
    assert Meeting.objects.get().present_count == 1
