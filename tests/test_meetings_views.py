import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from branchwork import panels
from branchwork.enums import AttendanceStatus, MeetingKind, MeetingStatus
from branchwork.meeting_queries import meeting_header
from branchwork.models import Attendance, Meeting
from branchwork.months import previous_month, previous_quarter
from tests.factories import make_member
from tests.factories_meetings import minutes_data, record

pytestmark = pytest.mark.django_db

# Saving counts three more than it did: the savepoint around the minutes' row, which
# turns a lost race for the month's regular meeting into a message
# (branchwork.meetings._save_meeting), and the version read on the locked row. A
# correction counts one more: the meeting's attendance totals, from its rows once locked.
MAX_QUERIES = 19
# The page, its base and includes, the guests' management form and an error list.
MAX_TEMPLATES = 10


def last_month_day(day=5):
    return previous_month(timezone.localdate())[0].replace(day=day)


def new_url(branch):
    return reverse("meetings:create", args=[branch.code])


@pytest.fixture
def branch_members(world):
    return [
        make_member(world.branch_a, full_name=name)
        for name in ["Nguyễn Văn An", "Trần Thị Bình", "Lê Đức Cường", "Phạm Thị Dung"]
    ]


def test_new_minutes_marks_everyone_present(world, as_user, branch_members):
    response = as_user(world.secretary).get(new_url(world.branch_a))
    assert response.status_code == 200
    page = response.content.decode()
    for member in branch_members:
        assert member.full_name in page
        assert f'name="att_{member.pk}" value="present" id="id_att_{member.pk}_0" checked' in page
    assert page.count(" checked required>") == len(branch_members)


def test_secretary_saves_minutes_and_attendance_in_one_submit(world, as_user, branch_members):
    an, binh, cuong, dung = branch_members
    day = last_month_day()
    data = minutes_data(
        branch_members,
        date=day,
        absences={
            binh: (AttendanceStatus.EXCUSED, "Ốm"),
            cuong: (AttendanceStatus.UNEXCUSED, ""),
        },
        chair=str(an.pk),
        minute_taker=str(dung.pk),
        conclusion="Thống nhất nghị quyết tháng.",
    )
    response = as_user(world.secretary).post(new_url(world.branch_a), data)
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == meeting.get_absolute_url()
    assert meeting.status == MeetingStatus.DRAFT
    assert meeting.month == day.replace(day=1)
    assert meeting.chair == an
    statuses = dict(Attendance.objects.values_list("member__full_name", "status"))
    assert statuses == {
        "Nguyễn Văn An": "present",
        "Trần Thị Bình": "excused",
        "Lê Đức Cường": "unexcused",
        "Phạm Thị Dung": "present",
    }
    header = meeting_header(meeting.pk)
    assert (header["members"], header["present"], header["excused"], header["unexcused"]) == (
        4,
        2,
        1,
        1,
    )
    assert header["rate"] == 50
    assert meeting.history.get().history_user == world.secretary


@pytest.mark.parametrize("size", [5, 50])
def test_minutes_form_query_count_does_not_grow(
    world, as_user, django_assert_max_num_queries, size
):
    members = [make_member(world.branch_a) for _ in range(size)]
    client = as_user(world.secretary)
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(new_url(world.branch_a)).status_code == 200
    data = minutes_data(
        members,
        date=last_month_day(),
        absences={members[0]: (AttendanceStatus.EXCUSED, "Đi công tác")},
        **{"guest-0-name": "Hoàng Văn Tư", "guest-0-title": "Huyện ủy viên"},
    )
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(new_url(world.branch_a), data)
    assert response.status_code == 302
    assert Attendance.objects.count() == size
    meeting = Meeting.objects.get()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("meetings:edit", args=["X1-B1", meeting.pk]))
    assert response.status_code == 200
    data[f"att_{members[1].pk}"] = AttendanceStatus.UNEXCUSED
    data["guest-INITIAL_FORMS"] = "1"
    data["version"] = response.context["form"]["version"].value()
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.post(reverse("meetings:edit", args=["X1-B1", meeting.pk]), data)
    assert response.status_code == 302
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get(meeting.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_minutes_form_draws_no_template_per_member_or_field(world, as_user, size):
    """The form's drawing does not grow with the branch, and its widgets are written
    without templates (partyorg/widgets.py): drawn through them, a template or three
    per member, option or field were most of the page's time."""
    members = [make_member(world.branch_a) for _ in range(size)]
    client = as_user(world.secretary)
    response = client.get(new_url(world.branch_a))
    assert len(response.templates) <= MAX_TEMPLATES
    data = minutes_data(members, date=last_month_day(), end="25:00")
    data[f"why_{members[0].pk}"] = "x" * 201
    response = client.post(new_url(world.branch_a), data)
    assert response.status_code == 200
    assert response.content.decode().count('<li class="roll-row has-error">') == 1
    assert len(response.templates) <= MAX_TEMPLATES


@pytest.fixture
def post_bad(world, as_user, branch_members):
    """Posts the secretary's new minutes with the given changes; they must be refused."""

    def post(**changes):
        data = minutes_data(branch_members, date=last_month_day()) | changes
        response = as_user(world.secretary).post(new_url(world.branch_a), data)
        assert response.status_code == 200
        assert not Meeting.objects.exists()
        assert not Attendance.objects.exists()
        return response

    return post


def test_end_before_start_is_refused(post_bad):
    response = post_bad(start_time="20:00", end_time="19:00")
    assert "The meeting must end after it starts." in response.context["form"].errors["end_time"]


def test_date_in_the_future_is_refused(post_bad):
    future = timezone.localdate() + datetime.timedelta(days=400)
    response = post_bad(date=future.isoformat())
    assert "taken place" in str(response.context["form"].errors["date"])


def test_member_not_in_the_branch_is_refused(world, post_bad):
    stranger = make_member(world.branch_b, full_name="Đỗ Văn Lạ")
    response = post_bad(**{f"att_{stranger.pk}": "present", f"why_{stranger.pk}": ""})
    assert "not a member of the branch" in str(response.context["form"].non_field_errors())


def test_chair_not_in_the_branch_is_refused(world, post_bad):
    stranger = make_member(world.branch_b)
    response = post_bad(chair=stranger.pk)
    assert response.context["form"].errors["chair"]


def test_absence_with_reason_needs_the_reason(branch_members, post_bad):
    response = post_bad(**{f"att_{branch_members[0].pk}": AttendanceStatus.EXCUSED})
    assert "give the reason" in str(response.context["form"].non_field_errors())


def test_second_regular_meeting_in_a_month_is_refused(world, as_user, branch_members):
    first = record(world.branch_a, last_month_day(3))
    data = minutes_data(branch_members, date=last_month_day(20))
    response = as_user(world.secretary).post(new_url(world.branch_a), data)
    assert response.status_code == 200
    assert "already has a regular meeting" in str(response.context["form"].errors["kind"])
    assert list(Meeting.objects.all()) == [first]
    assert Attendance.objects.filter(meeting=first).count() == 4
    # A thematic meeting in the same month is fine.
    data["kind"] = MeetingKind.THEMATIC
    assert as_user(world.secretary).post(new_url(world.branch_a), data).status_code == 302


def test_finalized_minutes_need_a_reason_and_keep_the_old_version(world, as_user, branch_members):
    binh = branch_members[1]
    meeting = record(world.branch_a, last_month_day(), conclusion="Bản đầu")
    client = as_user(world.secretary)
    finalize = reverse("meetings:finalize", args=["X1-B1", meeting.pk])
    assert client.post(finalize).status_code == 302
    meeting.refresh_from_db()
    assert meeting.is_final and meeting.finalized_by == world.secretary
    edit = reverse("meetings:edit", args=["X1-B1", meeting.pk])
    data = minutes_data(
        branch_members,
        date=meeting.date,
        conclusion="Bản sửa",
        absences={binh: (AttendanceStatus.EXCUSED, "Ốm")},
        version=meeting.version,
    )
    response = client.post(edit, data)
    assert response.status_code == 200
    assert response.context["form"].errors["change_reason"]
    meeting.refresh_from_db()
    assert meeting.conclusion == "Bản đầu"
    assert Attendance.objects.get(member=binh).status == AttendanceStatus.PRESENT

    response = client.post(edit, {**data, "change_reason": "Ghi sót người vắng"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.conclusion == "Bản sửa"
    latest = meeting.history.order_by("-history_date", "-history_id").first()
    assert latest.history_change_reason == "Ghi sót người vắng"
    assert Attendance.history.filter(member=binh).first().history_change_reason == (
        "Ghi sót người vắng"
    )
    previous = meeting.history.order_by("-history_date", "-history_id")[1]
    page = client.get(
        reverse("meetings:version", args=["X1-B1", meeting.pk, previous.history_id])
    ).content.decode()
    assert "Bản đầu" in page and "Bản sửa" not in page
    assert "Ốm" not in page  # the previous version had Bình present
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert "Ghi sót người vắng" in detail


def test_short_meeting_warns_but_saves(world, as_user, branch_members):
    client = as_user(world.secretary)

    def page_after_saving(**minutes):
        data = minutes_data(branch_members, **minutes)
        return client.post(new_url(world.branch_a), data, follow=True).content.decode()

    page = page_after_saving(date=last_month_day(), start="19:30", end="20:40")
    assert Meeting.objects.count() == 1
    assert "at least 90 minutes" in page
    page = page_after_saving(
        date=last_month_day(20), kind=MeetingKind.THEMATIC, start="14:00", end="15:40"
    )
    assert "at least 120 minutes" in page
    page = page_after_saving(
        date=last_month_day(21), kind=MeetingKind.EXTENDED, start="14:00", end="15:40"
    )
    assert "at least" not in page


def test_outsider_gets_404(world, as_user, branch_members):
    meeting = record(world.branch_a, last_month_day())
    client = as_user(world.outsider)
    for url in [
        reverse("meetings:list", args=["X1-B1"]),
        new_url(world.branch_a),
        meeting.get_absolute_url(),
        reverse("meetings:edit", args=["X1-B1", meeting.pk]),
        reverse("meetings:pdf", args=["X1-B1", meeting.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    # The secretary of another branch neither.
    assert as_user(world.other_secretary).get(meeting.get_absolute_url()).status_code == 404


def test_meeting_of_another_branch_is_404_through_this_branch(world, as_user):
    meeting = record(world.branch_b, last_month_day())
    url = reverse("meetings:detail", args=["X1-B1", meeting.pk])
    assert as_user(world.officer).get(url).status_code == 404


def test_viewer_reads_but_cannot_write(world, as_user, branch_members):
    meeting = record(world.branch_a, last_month_day())
    client = as_user(world.viewer)
    assert client.get(meeting.get_absolute_url()).status_code == 200
    assert client.get(new_url(world.branch_a)).status_code == 403
    data = minutes_data(branch_members, date=last_month_day(20), kind=MeetingKind.THEMATIC)
    assert client.post(new_url(world.branch_a), data).status_code == 403
    finalize = reverse("meetings:finalize", args=["X1-B1", meeting.pk])
    assert client.post(finalize).status_code == 403
    assert Meeting.objects.count() == 1
    assert not Meeting.objects.get().is_final


def test_finalize_is_post_only(world, as_user, branch_members):
    meeting = record(world.branch_a, last_month_day())
    finalize = reverse("meetings:finalize", args=["X1-B1", meeting.pk])
    assert as_user(world.secretary).get(finalize).status_code == 405


def test_anonymous_goes_to_login(world, client):
    response = client.get(reverse("meetings:list", args=["X1-B1"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("count", [1, 3])
def test_branch_meetings_page_query_count(world, as_user, django_assert_max_num_queries, count):
    members = [make_member(world.branch_a) for _ in range(3)]
    for month in range(count):
        day = timezone.localdate().replace(day=1) - datetime.timedelta(days=31 * month + 1)
        record(world.branch_a, day.replace(day=5), absences={members[0]: ("unexcused", "")})
    client = as_user(world.secretary)
    # The absentees take three: their months, then the names of those shown, then them.
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:list", args=["X1-B1"]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_overview_and_home_query_count(world, as_user, django_assert_max_num_queries, count):
    branches = [world.branch_a, world.branch_b, world.branch_a][:count]
    for branch in branches[: min(count, 2)]:
        make_member(branch)
        record(branch, last_month_day())
    client = as_user(world.officer)
    # Session, user, role, scope, node; branch count; figures (3); absentees; children.
    with django_assert_max_num_queries(11):
        assert client.get(reverse("meetings:list", args=["H1"])).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(reverse("home")).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("organizations:node_detail", args=["X1-B1"])).status_code == 200


def test_home_panel_lists_missing_meetings_and_absentees(world, as_user):
    today = timezone.localdate()
    often_away = make_member(world.branch_a, full_name="Vũ Văn Vắng")
    make_member(world.branch_b)
    jan = datetime.date(today.year, 1, 1)
    months = [jan.replace(month=m) for m in range(1, 4)]
    if today < datetime.date(today.year, 4, 15):
        pytest.skip("needs three past months of this year")
    for first in months:
        record(
            world.branch_a,
            first.replace(day=6),
            absences={often_away: (AttendanceStatus.UNEXCUSED, "")},
        )
    record(world.branch_a, last_month_day())
    page = as_user(world.officer).get(reverse("home")).content.decode()
    assert "Vũ Văn Vắng" in page
    assert "Chi bộ thôn 2" in page  # branch_b held no regular meeting last month
    secretary_page = (
        as_user(world.secretary).get(reverse("meetings:list", args=["X1-B1"])).content.decode()
    )
    assert "Vũ Văn Vắng" in secretary_page


def test_home_panel_names_the_branches_without_last_months_or_last_quarters_meeting(world, as_user):
    """A meeting held in the month or quarter before the one asked about does not count."""
    today = timezone.localdate()
    last_month = previous_month(today)[0]
    last_quarter = previous_quarter(today)[0]
    quarter_before = previous_quarter(last_quarter)[0]
    make_member(world.branch_a)
    make_member(world.branch_b)
    record(world.branch_a, last_month.replace(day=6))
    record(world.branch_b, previous_month(last_month)[0].replace(day=6))
    record(world.branch_a, last_quarter.replace(day=20), kind=MeetingKind.THEMATIC)
    record(world.branch_b, quarter_before.replace(day=20), kind=MeetingKind.THEMATIC)
    panel = next(
        p
        for p in as_user(world.officer).get(reverse("home")).context["panels"]
        if p["template"] == "branchwork/meetings/home_panel.html"
    )
    assert (panel["no_regular"], panel["no_regular_count"]) == ([world.branch_b], 1)
    assert (panel["no_thematic"], panel["no_thematic_count"]) == ([world.branch_b], 1)


def test_home_panel_shows_the_most_absent_first_and_counts_all(world, as_user, monkeypatch):
    today = timezone.localdate()
    if today < datetime.date(today.year, 5, 15):
        pytest.skip("needs four past months of this year")
    four = make_member(world.branch_a, full_name="Vũ Văn Bốn")
    three = make_member(world.branch_a, full_name="Lê Thị Ba")
    for month in range(1, 5):
        absent = [four, three] if month < 4 else [four]
        record(
            world.branch_a,
            datetime.date(today.year, month, 6),
            absences={m: (AttendanceStatus.UNEXCUSED, "") for m in absent},
        )
    monkeypatch.setattr(panels, "MEETINGS_SHOWN", 1)
    panel = next(
        p
        for p in as_user(world.officer).get(reverse("home")).context["panels"]
        if p["template"] == "branchwork/meetings/home_panel.html"
    )
    assert panel["absentees_count"] == 2
    assert [(m.pk, m.absent_months, m.branch) for m in panel["absentees"]] == [
        (four.pk, 4, world.branch_a)
    ]


def test_branch_page_shows_attendance_rate(world, as_user, branch_members):
    record(
        world.branch_a,
        last_month_day(),
        absences={branch_members[0]: (AttendanceStatus.UNEXCUSED, "")},
    )
    client = as_user(world.officer)
    client.cookies["django_language"] = "vi"
    page = client.get(reverse("organizations:node_detail", args=["X1-B1"]))
    assert "75,0%" in page.content.decode()


def test_a_refused_form_is_drawn_again_with_what_was_entered(branch_members, post_bad):
    an, binh, cuong, dung = branch_members
    response = post_bad(
        start_time="20:00",
        end_time="19:00",
        chair=str(an.pk),
        minute_taker=str(dung.pk),
        **{
            f"att_{binh.pk}": AttendanceStatus.EXCUSED,
            f"why_{binh.pk}": "Ốm",
            f"att_{cuong.pk}": AttendanceStatus.UNEXCUSED,
            f"why_{cuong.pk}": "x" * 201,
        },
    )
    page = response.content.decode()
    chair = page[page.index('<select name="chair"') : page.index('<select name="minute_taker"')]
    assert chair.count(" selected") == 1
    assert f'<option value="{an.pk}" selected>{an.full_name}</option>' in chair
    taker = page[page.index('<select name="minute_taker"') :]
    assert f'<option value="{dung.pk}" selected>{dung.full_name}</option>' in taker
    assert f'name="att_{binh.pk}" value="excused" id="id_att_{binh.pk}_1" checked required>' in page
    assert f'name="why_{binh.pk}" id="id_why_{binh.pk}" value="Ốm"' in page
    # The row with a reason too long is marked, with the field's message.
    row = page[page.index(f'name="att_{cuong.pk}"') :]
    row = row[: row.index("</li>")]
    assert '<small class="error">' in row
    assert page.count('<li class="roll-row has-error">') == 1
