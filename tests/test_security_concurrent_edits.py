"""Two people editing the same record from the same version, one saving after the other:
the second save is refused with who saved and when, the second person keeps what they
typed with the record's new version, and saving again replaces the first change
knowingly. Every way a record is written raises its version, so a form opened before
any of them is refused. (The same at the same moment, in threads: test_concurrent_edits.)
"""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from admission.models import Candidate
from branches.enums import NodeKind, RoleKind
from branchwork.enums import AttendanceStatus, EvaluationLevel, MeetingKind
from branchwork.models import Attendance, Dues, Evaluation, Meeting, OrganizationEvaluation
from members import lifecycle, restructuring
from members.enums import Occupation
from members.models import Member
from partyorg.locking import OUT_OF_DATE
from tests.factories import form_data, make_member, make_node, make_user, sheet_data, transfer
from tests.factories_admission import make_candidate
from tests.factories_imports import member_row, xlsx_bytes
from tests.factories_meetings import minutes_data, record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 10)
SCORED_YEAR = 2025  # 366-QĐ/TW: the level follows a 100-point score


@pytest.fixture
def colleague(world):
    return make_user(
        world.district, RoleKind.OFFICER, username="lan", first_name="Lan", last_name="Trần Thị"
    )


def browser(user, language="en") -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(user)
    return client


def saved_at(model, pk) -> str:
    """The local time (HH:MM) of the latest save of a record."""
    latest = model.history.filter(id=pk).order_by("-history_id").first()
    return f"{timezone.localtime(latest.history_date):%H:%M}"


def refusal(response) -> str:
    assert response.status_code == 200
    return " ".join(str(error) for error in response.context["form"].non_field_errors())


def row_form(response, prefix):
    return next(line["form"] for line in response.context["lines"] if line["form"].prefix == prefix)


# --- records edited in a form --------------------------------------------------------------


def test_member_second_save_is_refused_with_who_and_when_and_keeps_the_input(world, colleague):
    member = make_member(world.branch_a, residence="Thôn 1")
    url = reverse("members:edit", args=[member.member_number])
    first, second = browser(colleague), browser(world.officer)
    first_data = form_data(first.get(url).context["form"])
    second_data = form_data(second.get(url).context["form"])
    assert first_data["version"] == second_data["version"] == 1

    assert first.post(url, first_data | {"residence": "Thôn 2"}).status_code == 302
    response = second.post(url, second_data | {"hometown": "Huế"})

    assert f"changed by Trần Thị Lan at {saved_at(Member, member.pk)}" in refusal(response)
    form = response.context["form"]
    assert (form["hometown"].value(), form["residence"].value()) == ("Huế", "Thôn 1")
    assert form["version"].value() == "2"
    page = response.content.decode()
    assert 'value="Huế"' in page and 'name="version" value="2"' in page
    stored = Member.objects.get(pk=member.pk)
    assert (stored.residence, stored.hometown, stored.version) == ("Thôn 2", "", 2)

    # Saving the refused page again replaces the first change, knowingly.
    assert second.post(url, form_data(form)).status_code == 302
    stored = Member.objects.get(pk=member.pk)
    assert (stored.residence, stored.hometown, stored.version) == ("Thôn 1", "Huế", 3)


def test_the_refusal_names_who_and_when_in_vietnamese(world, colleague):
    member = make_member(world.branch_a)
    url = reverse("members:edit", args=[member.member_number])
    first, second = browser(colleague, "vi"), browser(world.officer, "vi")
    first_data = form_data(first.get(url).context["form"])
    second_data = form_data(second.get(url).context["form"])
    assert first.post(url, first_data | {"residence": "Thôn 2"}).status_code == 302
    response = second.post(url, second_data | {"hometown": "Huế"})
    expected = f"đã được Trần Thị Lan sửa lúc {saved_at(Member, member.pk)}"
    assert expected in refusal(response)
    assert expected in response.content.decode()


def test_a_page_without_its_version_is_out_of_date_and_saves_nothing(world, as_user):
    member = make_member(world.branch_a)
    url = reverse("members:edit", args=[member.member_number])
    client = as_user(world.officer)
    data = form_data(client.get(url).context["form"])
    del data["version"]
    response = client.post(url, data | {"residence": "Thôn 9"})
    assert response.status_code == 200
    assert str(OUT_OF_DATE) in response.content.decode()
    assert Member.objects.get(pk=member.pk).residence == ""


def test_minutes_second_save_is_refused_and_nothing_is_lost(world, colleague):
    members = [make_member(world.branch_a, full_name=n) for n in ["Lý Văn Một", "Lý Thị Hai"]]
    meeting = record(world.branch_a, DAY, conclusion="Bản đầu")
    url = reverse("meetings:edit", args=[world.branch_a.code, meeting.pk])
    first, second = browser(colleague), browser(world.officer)
    version = first.get(url).context["form"]["version"].value()
    assert second.get(url).context["form"]["version"].value() == version == 1

    data = minutes_data(members, date=DAY, conclusion="Bản sửa", version=version)
    assert first.post(url, data).status_code == 302
    absent = {members[1]: (AttendanceStatus.EXCUSED, "Ốm")}
    posted = minutes_data(members, date=DAY, conclusion="Bản đầu", absences=absent, version=1)
    response = second.post(url, posted)

    assert f"changed by Trần Thị Lan at {saved_at(Meeting, meeting.pk)}" in refusal(response)
    form = response.context["form"]
    page = response.content.decode()
    assert f'name="why_{members[1].pk}" id="id_why_{members[1].pk}" value="Ốm"' in page
    assert f'value="excused" id="id_att_{members[1].pk}_1" checked' in page
    assert form["version"].value() == "2"
    assert Meeting.objects.get().conclusion == "Bản sửa"
    assert Attendance.objects.get(member=members[1]).status == AttendanceStatus.PRESENT
    assert Meeting.history.count() == 2  # recorded, then the first edit only

    # The second person puts the first one's conclusion back in and saves again.
    # The attendance, drawn without a field per member, as the browser posts it back.
    roll = {k: v for k, v in posted.items() if k.startswith(("att_", "why_"))}
    again = form_data(form) | roll | {"conclusion": "Bản sửa"}
    assert second.post(url, again | guest_management()).status_code == 302
    assert Meeting.objects.get().conclusion == "Bản sửa"
    attendance = Attendance.objects.get(member=members[1])
    assert (attendance.status, attendance.reason) == (AttendanceStatus.EXCUSED, "Ốm")


def guest_management() -> dict:
    return {key: value for key, value in minutes_data([], date=DAY).items() if "guest" in key}


def test_finalizing_in_between_also_makes_an_open_minutes_form_stale(world, colleague):
    members = [make_member(world.branch_a)]
    meeting = record(world.branch_a, DAY)
    url = reverse("meetings:edit", args=[world.branch_a.code, meeting.pk])
    first, second = browser(colleague), browser(world.officer)
    version = second.get(url).context["form"]["version"].value()
    finalize = reverse("meetings:finalize", args=[world.branch_a.code, meeting.pk])
    assert first.post(finalize).status_code == 302
    response = second.post(
        url,
        minutes_data(members, date=DAY, topic="Đổi", change_reason="Sửa", version=version),
    )
    assert "changed by Trần Thị Lan" in refusal(response)
    assert Meeting.objects.get().topic == ""


def test_candidate_second_save_is_refused_and_nothing_is_lost(world, colleague):
    candidate = make_candidate(world.branch_a, residence="Thôn 1")
    url = reverse("admission:edit", args=[candidate.pk])
    first, second = browser(colleague), browser(world.officer)
    first_data = form_data(first.get(url).context["form"])
    second_data = form_data(second.get(url).context["form"])

    assert first.post(url, first_data | {"residence": "Thôn 2"}).status_code == 302
    response = second.post(url, second_data | {"hometown": "Huế"})

    assert f"changed by Trần Thị Lan at {saved_at(Candidate, candidate.pk)}" in refusal(response)
    assert response.context["form"]["hometown"].value() == "Huế"
    stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.residence, stored.hometown) == ("Thôn 2", "")
    reloaded = form_data(second.get(url).context["form"])
    assert second.post(url, reloaded | {"hometown": "Huế"}).status_code == 302
    stored = Candidate.objects.get(pk=candidate.pk)
    assert (stored.residence, stored.hometown) == ("Thôn 2", "Huế")


def test_a_step_recorded_in_between_makes_the_open_candidate_form_stale(world, colleague):
    candidate = make_candidate(world.branch_a)
    url = reverse("admission:edit", args=[candidate.pk])
    first, second = browser(colleague), browser(world.officer)
    data = form_data(second.get(url).context["form"])
    step = reverse("admission:step", args=[candidate.pk, "course"])
    response = first.post(step, {"course_date": "01/04/2024", "certificate_number": "CN-9"})
    assert response.status_code == 302
    assert "changed by Trần Thị Lan" in refusal(second.post(url, data | {"residence": "Thôn 5"}))
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.residence == "" and candidate.course_certificate == "CN-9"


# --- sheets --------------------------------------------------------------------------------


@pytest.fixture
def scored_sheet(world, colleague):
    """The 2025 member evaluations of branch A, saved once: An 74, Bình 80."""
    an = make_member(world.branch_a, full_name="Nguyễn Văn An")
    binh = make_member(world.branch_a, full_name="Trần Văn Bình")
    url = reverse("record_work:evaluation_members", args=[world.branch_a.code, SCORED_YEAR])
    client = browser(world.officer)
    data = sheet_data(client.get(url)) | {f"r{an.pk}-score": "74", f"r{binh.pk}-score": "80"}
    assert client.post(url, data).status_code == 302
    return url, an, binh


def scores():
    return dict(Evaluation.objects.values_list("member__full_name", "score"))


def test_a_stale_evaluation_sheet_does_not_revert_a_score(world, colleague, scored_sheet):
    url, an, binh = scored_sheet
    first, second = browser(colleague), browser(world.officer)
    stale = sheet_data(second.get(url))
    assert stale[f"r{an.pk}-version"] == 1
    assert (
        first.post(url, sheet_data(first.get(url)) | {f"r{an.pk}-score": "88"}).status_code == 302
    )

    # The second person changed Bình only; An's row still shows the 74 they opened.
    response = second.post(url, stale | {f"r{binh.pk}-score": "82"})

    assert response.status_code == 200
    assert response.context["problems"] == [
        "1 row was saved by someone else after you opened this page: it is marked below with "
        "who saved it, when, and what it holds now. What you entered is kept: check it, then "
        "save again to replace what is saved."
    ]
    an_row, binh_row = row_form(response, f"r{an.pk}"), row_form(response, f"r{binh.pk}")
    message = " ".join(an_row.non_field_errors())
    assert f"Changed by Trần Thị Lan at {saved_at(Evaluation, an.evaluations.get().pk)}" in message
    assert "Score: 88" in message
    assert not binh_row.errors
    assert (an_row["score"].value(), binh_row["score"].value()) == ("74", "82")
    assert (an_row["version"].value(), binh_row["version"].value()) == ("2", "1")
    assert scores() == {"Nguyễn Văn An": 88, "Trần Văn Bình": 80}  # nothing saved

    # They take the new score into their sheet and save again: both changes are kept.
    again = sheet_data(response) | {f"r{an.pk}-score": "88"}
    assert second.post(url, again).status_code == 302
    assert scores() == {"Nguyễn Văn An": 88, "Trần Văn Bình": 82}


def test_the_same_change_made_twice_is_no_conflict(world, colleague, scored_sheet):
    url, an, _binh = scored_sheet
    first, second = browser(colleague), browser(world.officer)
    stale = sheet_data(second.get(url))
    assert (
        first.post(url, sheet_data(first.get(url)) | {f"r{an.pk}-score": "88"}).status_code == 302
    )
    assert second.post(url, stale | {f"r{an.pk}-score": "88"}).status_code == 302
    assert Evaluation.objects.get(member=an).version == 2


def test_a_first_evaluation_saved_meanwhile_is_reported_as_already_recorded(world, colleague):
    an = make_member(world.branch_a, full_name="Nguyễn Văn An")
    url = reverse("record_work:evaluation_members", args=[world.branch_a.code, SCORED_YEAR])
    first, second = browser(colleague), browser(world.officer)
    blank = sheet_data(second.get(url))
    assert blank.get(f"r{an.pk}-version") is None
    assert (
        first.post(url, sheet_data(first.get(url)) | {f"r{an.pk}-score": "85"}).status_code == 302
    )

    response = second.post(url, blank | {f"r{an.pk}-score": "75"})

    message = " ".join(row_form(response, f"r{an.pk}").non_field_errors())
    when = saved_at(Evaluation, an.evaluations.get().pk)
    assert f"Already recorded by Trần Thị Lan at {when}" in message
    assert row_form(response, f"r{an.pk}")["score"].value() == "75"
    assert scores() == {"Nguyễn Văn An": 85}
    assert second.post(url, sheet_data(response)).status_code == 302
    assert scores() == {"Nguyễn Văn An": 75}


def test_organization_evaluations_refuse_a_stale_row(world, colleague):
    url = reverse("record_work:evaluation_organizations", args=[world.commune.code, 2024])
    first, second = browser(colleague), browser(world.officer)
    prefix = f"r{world.branch_a.pk}"
    levels = {prefix + "-level": "good", f"r{world.branch_b.pk}-level": "good"}
    assert first.post(url, sheet_data(first.get(url)) | levels).status_code == 302
    stale = sheet_data(second.get(url))
    assert first.post(url, stale | {f"{prefix}-level": "completed"}).status_code == 302

    response = second.post(url, stale | {f"{prefix}-level": EvaluationLevel.NOT_COMPLETED})

    assert "Changed by Trần Thị Lan" in " ".join(row_form(response, prefix).non_field_errors())
    assert OrganizationEvaluation.objects.get(node=world.branch_a).level == "completed"


@pytest.fixture
def dues_sheet(world):
    """This month's dues sheet of a branch of two students, saved once (nothing paid)."""
    branch = make_node(world.commune, NodeKind.BRANCH, "Chi bộ sinh viên")
    one = make_member(branch, full_name="Sinh Viên Một", occupation=Occupation.STUDENT)
    two = make_member(branch, full_name="Sinh Viên Hai", occupation=Occupation.STUDENT)
    today = timezone.localdate()
    url = reverse("record_work:dues_sheet", args=[branch.code, today.year, today.month])
    return url, one, two


def test_a_stale_dues_sheet_is_refused_on_the_changed_row(world, colleague, dues_sheet):
    url, one, two = dues_sheet
    first, second = browser(colleague), browser(world.officer)
    assert first.post(url, sheet_data(first.get(url))).status_code == 302
    stale = sheet_data(second.get(url))
    assert (
        first.post(url, sheet_data(first.get(url)) | {f"m{one.pk}-extra": "5000"}).status_code
        == 302
    )
    paid = timezone.localdate().strftime("%d/%m/%Y")

    response = second.post(url, stale | {f"m{two.pk}-paid_on": paid})

    assert response.status_code == 200
    message = " ".join(row_form(response, f"m{one.pk}").non_field_errors())
    assert f"Changed by Trần Thị Lan at {saved_at(Dues, one.dues.get().pk)}" in message
    assert "extra 5,000 đ" in message
    assert row_form(response, f"m{two.pk}")["paid_on"].value() == paid
    assert not Dues.objects.filter(paid_on__isnull=False).exists()
    page = response.content.decode()
    assert "Changed by Trần Thị Lan" in page and f'value="{paid}"' in page

    # Saving the refused sheet again replaces the extra, knowingly.
    assert second.post(url, sheet_data(response)).status_code == 302
    assert dict(Dues.objects.values_list("member_id", "extra")) == {one.pk: 0, two.pk: 0}
    assert Dues.objects.get(member=two).paid_on == timezone.localdate()


def test_dues_recorded_meanwhile_are_reported_as_already_recorded(world, colleague, dues_sheet):
    url, one, _two = dues_sheet
    first, second = browser(colleague), browser(world.officer)
    blank = sheet_data(second.get(url))
    assert (
        first.post(url, sheet_data(first.get(url)) | {f"m{one.pk}-extra": "1000"}).status_code
        == 302
    )
    response = second.post(url, blank | {f"m{one.pk}-extra": "2000"})
    message = " ".join(row_form(response, f"m{one.pk}").non_field_errors())
    assert "Already recorded by Trần Thị Lan" in message
    assert Dues.objects.get(member=one).extra == 1000


def test_regular_minutes_of_a_month_taken_meanwhile_name_who_recorded_them(world, colleague):
    members = [make_member(world.branch_a)]
    url = reverse("meetings:create", args=[world.branch_a.code])
    first, second = browser(colleague), browser(world.officer)
    assert second.get(url).status_code == 200
    data = minutes_data(members, date=DAY, kind=MeetingKind.REGULAR)
    assert first.post(url, data | {"conclusion": "Của Lan"}).status_code == 302

    response = second.post(url, data | {"conclusion": "Của tôi"})

    meeting = Meeting.objects.get()
    errors = " ".join(response.context["form"].errors["kind"])
    assert f"recorded by Trần Thị Lan at {saved_at(Meeting, meeting.pk)}" in errors
    assert response.context["form"]["conclusion"].value() == "Của tôi"
    assert meeting.conclusion == "Của Lan"


# --- every write raises the version --------------------------------------------------------


def test_every_way_of_writing_a_member_raises_its_version(world, tmp_path):
    member = make_member(world.branch_a, member_number="10000001", full_name="Nguyễn Văn An")
    seen = [member.version]

    def version():
        seen.append(Member.objects.get(pk=member.pk).version)

    transfer(member, world.branch_b, DAY, letter="1")
    version()
    lifecycle.exempt(member, on=DAY, document_number="2", by=world.officer)
    version()
    lifecycle.resume(member, on=DAY, document_number="3", by=world.officer)
    version()
    # An import's bulk update.
    path = tmp_path / "members.xlsx"
    row = member_row("10000001", branch="X1-B2", **{"Họ và tên": "Nguyễn Văn Ân"})
    path.write_bytes(xlsx_bytes([row]))
    call_command("import_xlsx", "members", str(path), "--user", "officer")
    version()
    # A merge of branches moves the members in bulk.
    restructuring.merge_nodes([world.branch_b], into=world.branch_a, on=DAY, document_number="4")
    version()
    # Two copies read before either saved: the second still moves the version on.
    one, two = Member.objects.get(pk=member.pk), Member.objects.get(pk=member.pk)
    one.residence, two.hometown = "Thôn 1", "Huế"
    one.save()
    two.save()
    version()
    assert two.version == seen[-1]
    assert seen == [1, 2, 3, 4, 5, 6, 8]


def test_saving_a_sheet_raises_the_version_of_changed_rows_only(colleague, dues_sheet):
    url, one, two = dues_sheet
    client = browser(colleague)
    assert client.post(url, sheet_data(client.get(url))).status_code == 302
    assert (
        client.post(url, sheet_data(client.get(url)) | {f"m{one.pk}-extra": "10"}).status_code
        == 302
    )
    assert dict(Dues.objects.values_list("member_id", "version")) == {one.pk: 2, two.pk: 1}
    assert Dues.history.filter(member_id=one.pk).first().history_user.username == "lan"
