"""Documents before a meeting (Hướng dẫn 42-HD/BTCTW): the secretary (or an officer above)
shares a coming meeting's agenda and files through the page; refused files change
nothing; a late publication is warned about; each member of the branch opens them from
their own page (the first opening recorded, once), nobody else's; the secretary sees who
has not opened them; after the meeting they show with the minutes; branches still to
share this month's documents are a reminder."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branches.enums import RoleKind
from branchwork import notices
from branchwork.models import MeetingNotice, NoticeFile, NoticeFileOpening
from members.accounts import open_account
from personal.enums import ReminderKind
from personal.reminders import reminders_for
from tests.factories import make_member, make_user
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
AHEAD = TODAY + datetime.timedelta(days=3)
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00" * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
PUBLISH = reverse("meetings:notice_publish", args=["X1-B1"])
NOTICES = reverse("meetings:notices", args=["X1-B1"])


def publish_page(client, day, files=(), agenda="1. Thông tin thời sự\n2. Nhiệm vụ tháng tới"):
    return client.post(
        PUBLISH,
        {
            "meeting_date": day.isoformat(),
            "agenda": agenda,
            "files": [SimpleUploadedFile(name, content) for name, content in files],
        },
    )


def shared(branch, *, by, day=AHEAD, name="chuong-trinh.pdf"):
    return notices.publish(
        branch,
        meeting_date=day,
        agenda=f"Chương trình {branch.name}",
        files=[SimpleUploadedFile(name, PDF)],
        by=by,
    )


def member_account(member, by, username="dang-vien"):
    user = open_account(
        member=member,
        username=username,
        password="a-long-password-1",
        node=member.branch,
        role=RoleKind.MEMBER,
        started_on=TODAY,
        by=by,
    )
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def members(world):
    return [
        make_member(world.branch_a, full_name="Trần Thị Mai"),
        make_member(world.branch_a, full_name="Lê Văn Bình"),
    ]


def test_the_secretary_publishes_through_the_page(world, as_user):
    client = as_user(world.secretary)
    assert f'href="{NOTICES}"' in client.get(reverse("meetings:list", args=["X1-B1"])).text
    response = publish_page(client, AHEAD, [("chuong-trinh.pdf", PDF), ("du-thao.DOCX", DOCX)])
    notice = MeetingNotice.objects.get()
    assert response["Location"] == notice.get_absolute_url()
    assert (notice.branch, notice.meeting_date, notice.published_by) == (
        world.branch_a,
        AHEAD,
        world.secretary,
    )
    files = list(notice.files.order_by("id"))
    assert [(f.name, f.content_type) for f in files] == [
        ("chuong-trinh.pdf", "application/pdf"),
        (
            "du-thao.DOCX",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
    ]
    assert notice.history.get().history_user == world.secretary
    assert files[0].history.get().history_user == world.secretary
    page = client.get(response["Location"]).text
    assert "shared with the members" in page
    assert "42-HD/BTCTW: the documents" not in page, "three days ahead: no warning"
    download = client.get(reverse("meetings:notice_file", args=["X1-B1", files[0].pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert not NoticeFileOpening.objects.exists(), "the secretary's copy is not a reading"


def test_an_officer_above_publishes_for_a_branch_below(world, as_user):
    response = publish_page(as_user(world.officer), AHEAD, [("a.png", PNG)])
    assert response.status_code == 302
    assert MeetingNotice.objects.get().files.get().content_type == "image/png"


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("virus.pdf", b"MZ\x90\x00" + b"\x00" * 20)], "virus.pdf: share a document as a PDF"),
        ([("anh.docx", PNG)], "anh.docx: share a document as a PDF"),
        ([("bang.xlsx", DOCX)], "bang.xlsx: share a document as a PDF"),
        ([("ok.pdf", PDF), ("lon.pdf", b"%PDF-" + b"0" * 2048)], "lon.pdf: The file is larger"),
    ],
)
def test_a_refused_file_changes_nothing(world, as_user, settings, files, message):
    settings.PARTYORG = {**settings.PARTYORG, "NOTICE_FILE_MAX_BYTES": 1024}
    response = publish_page(as_user(world.secretary), AHEAD, files)
    assert response.status_code == 200
    assert message in response.text
    assert not MeetingNotice.objects.exists()
    assert not NoticeFile.objects.exists()


def test_refusals_are_in_vietnamese(world, as_user, settings):
    client = as_user(world.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = publish_page(client, AHEAD, [("virus.pdf", b"MZ" + b"\x00" * 20)])
    assert "virus.pdf: tài liệu phải là tệp PDF, DOCX, PNG hoặc JPEG." in response.text


def test_a_second_publication_for_the_same_day_is_refused(world, as_user):
    shared(world.branch_a, by=world.secretary)
    response = publish_page(as_user(world.secretary), AHEAD, [("b.pdf", PDF)])
    assert "already published" in response.text
    assert NoticeFile.objects.count() == 1


@pytest.mark.parametrize(("days_ahead", "late"), [(3, False), (1, False), (0, True), (-2, True)])
def test_publishing_less_than_a_day_ahead_is_allowed_with_a_warning(
    world, as_user, settings, days_ahead, late
):
    client = as_user(world.secretary)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    response = publish_page(client, TODAY + datetime.timedelta(days=days_ahead))
    assert response.status_code == 302
    page = client.get(response["Location"]).text
    warning = "Hướng dẫn 42-HD/BTCTW: tài liệu phải gửi trước ít nhất 1 ngày."
    assert (warning in page) is late


def test_the_agenda_is_changed_and_files_added_with_the_version(world, as_user):
    notice = shared(world.branch_a, by=world.secretary)
    client = as_user(world.secretary)
    edit = reverse("meetings:notice_edit", args=["X1-B1", notice.pk])
    stale = {"agenda": "Cũ", "version": 1, "files": [SimpleUploadedFile("c.pdf", PDF)]}
    fresh = {"agenda": "Mới", "version": 1, "files": [SimpleUploadedFile("b.pdf", PDF)]}
    assert client.post(edit, fresh).status_code == 302
    response = client.post(edit, stale)
    assert "after you opened it" in response.text
    notice.refresh_from_db()
    assert notice.agenda == "Mới"
    assert sorted(notice.files.values_list("name", flat=True)) == ["b.pdf", "chuong-trinh.pdf"]


def test_a_member_sees_and_opens_only_their_own_branch_documents(world, members):
    mine = shared(world.branch_a, by=world.secretary)
    theirs = shared(world.branch_b, name="khac.pdf", by=world.officer)
    client = member_account(members[0], world.secretary)
    page = client.get(reverse("personal:record")).text
    assert "Meeting documents" in page
    own_file, other_file = mine.files.get(), theirs.files.get()
    assert reverse("personal:document", args=[own_file.pk]) in page
    assert "Chương trình Chi bộ thôn 1" in page
    assert "khac.pdf" not in page and "Chi bộ thôn 2" not in page
    response = client.get(reverse("personal:document", args=[own_file.pk]))
    assert b"".join(response.streaming_content) == PDF
    assert client.get(reverse("personal:document", args=[other_file.pk])).status_code == 404
    # The office's copy of the same file is not the member's to open.
    office = reverse("meetings:notice_file", args=["X1-B1", own_file.pk])
    assert client.get(office).status_code == 404
    assert "opened" in client.get(reverse("personal:record")).text


def test_opening_is_recorded_once_and_shown_to_the_secretary(world, members, as_user):
    notice = shared(world.branch_a, by=world.secretary)
    file = notice.files.get()
    client = member_account(members[0], world.secretary)
    url = reverse("personal:document", args=[file.pk])
    client.get(url)
    first = NoticeFileOpening.objects.get()
    client.get(url)
    assert NoticeFileOpening.objects.get() == first
    assert NoticeFileOpening.objects.get().opened_at == first.opened_at
    assert (first.file, first.member) == (file, members[0])

    page = as_user(world.secretary).get(notice.get_absolute_url()).text
    opened, unopened = page.split("Not opened yet")
    assert "Trần Thị Mai" in opened and "Lê Văn Bình" not in opened
    assert "Lê Văn Bình" in unopened and "Trần Thị Mai" not in unopened


def test_a_withdrawn_file_is_kept_but_no_longer_shared(world, members, as_user):
    notice = shared(world.branch_a, by=world.secretary)
    file = notice.files.get()
    secretary = as_user(world.secretary)
    withdraw = reverse("meetings:notice_withdraw", args=["X1-B1", file.pk])
    assert secretary.get(withdraw).status_code == 405
    assert secretary.post(withdraw).status_code == 302
    file.refresh_from_db()
    assert file.withdrawn_by == world.secretary
    assert file.history.first().history_user == world.secretary
    assert "withdrawn" in secretary.get(notice.get_absolute_url()).text
    member = member_account(members[0], world.secretary)
    assert member.get(reverse("personal:document", args=[file.pk])).status_code == 404
    assert "chuong-trinh.pdf" not in member.get(reverse("personal:record")).text


def test_outside_the_branch_404_and_read_only_403(world, as_user):
    notice = shared(world.branch_a, by=world.secretary)
    file = notice.files.get()
    pages = [
        NOTICES,
        notice.get_absolute_url(),
        reverse("meetings:notice_file", args=["X1-B1", file.pk]),
        PUBLISH,
    ]
    neighbour = make_user(world.branch_b, RoleKind.SECRETARY, username="bi-thu-thon-2")
    for user in (world.other_secretary, neighbour, world.outsider):
        client = Client()
        client.force_login(user)
        for url in pages:
            assert client.get(url).status_code == 404, (user, url)
        withdraw = reverse("meetings:notice_withdraw", args=["X1-B1", file.pk])
        assert client.post(withdraw).status_code == 404
    viewer = as_user(world.viewer)
    assert viewer.get(NOTICES).status_code == 200
    assert viewer.get(PUBLISH).status_code == 403
    assert publish_page(viewer, TODAY + datetime.timedelta(days=9)).status_code == 403
    edit = reverse("meetings:notice_edit", args=["X1-B1", notice.pk])
    assert viewer.post(edit, {"agenda": "x", "version": 1}).status_code == 403
    assert MeetingNotice.objects.count() == 1


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_and_the_member_page_in_fixed_queries(world, members, as_user, get_page, count):
    client = member_account(members[0], world.secretary)
    for days in range(count):
        day = AHEAD - datetime.timedelta(days=7 * days)
        notice = shared(world.branch_a, day=day, by=world.secretary)
        client.get(reverse("personal:document", args=[notice.files.get().pk]))
    secretary = as_user(world.secretary)
    page = get_page(secretary, 12, NOTICES).text
    assert page.count("notice-card") == count
    assert page.count("Not opened yet by 1 member") == 1, "the newest notice's readers"
    get_page(secretary, 11, notice.get_absolute_url())
    get_page(client, 17, reverse("personal:record"))


def test_the_documents_stay_with_the_minutes(world, members, as_user):
    day = TODAY - datetime.timedelta(days=2)
    notice = shared(world.branch_a, day=day, by=world.secretary)
    meeting = record(world.branch_a, day, by=world.secretary)
    page = as_user(world.secretary).get(meeting.get_absolute_url()).text
    assert "Documents shared before the meeting" in page
    assert reverse("meetings:notice_file", args=["X1-B1", notice.files.get().pk]) in page
    other = record(world.branch_a, day - datetime.timedelta(days=40), by=world.secretary)
    assert (
        "Documents shared before the meeting"
        not in as_user(world.secretary).get(other.get_absolute_url()).text
    )


def documents_due(user) -> int | None:
    found = {f.kind: f for f in reminders_for(user, TODAY)}
    return found[ReminderKind.DOCUMENTS].count if ReminderKind.DOCUMENTS in found else None


def test_the_reminder_names_branches_still_to_share_this_months_documents(world):
    # Both branches of the commune, neither met nor shared this month: two for the officer.
    assert documents_due(world.officer) == 2
    assert documents_due(world.secretary) == 1
    found = {f.kind: f for f in reminders_for(world.secretary, TODAY)}
    assert found[ReminderKind.DOCUMENTS].link == NOTICES
    # Documents shared for a meeting of this month: branch_a is done.
    shared(world.branch_a, day=TODAY.replace(day=1), by=world.secretary)
    assert documents_due(world.secretary) is None
    assert documents_due(world.officer) == 1
    # This month's meeting recorded without documents: nothing more to share.
    record(world.branch_b, TODAY.replace(day=1))
    assert documents_due(world.officer) is None
    # A viewer hears of no work; the other district of its own branch.
    assert documents_due(world.viewer) is None
    assert documents_due(world.outsider) == 1
