"""Two people saving the same minutes or the same candidate file: the second save is
refused with a clear message, nothing of either is lost, and reloading lets the second
person apply their change on top of the first."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from admission.models import Candidate
from branches.enums import AttendanceStatus, RoleKind
from branches.models import Attendance, Meeting
from partyorg.locking import STALE
from tests.factories import form_data, make_member, make_user
from tests.factories_admission import make_candidate
from tests.factories_meetings import minutes_data, record

pytestmark = pytest.mark.django_db

DAY = datetime.date(2025, 3, 10)


def two_clients(world):
    first, second = Client(), Client()
    first.force_login(world.officer)
    second.force_login(world.secretary)
    for client in (first, second):
        client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return first, second


def opened_version(client, url) -> str:
    return client.get(url).context["form"]["version"].value()


def test_second_save_of_the_same_minutes_is_refused_and_nothing_is_lost(world):
    members = [make_member(world.branch_a, full_name=n) for n in ["Lý Văn Một", "Lý Thị Hai"]]
    meeting = record(world.branch_a, DAY, conclusion="Bản đầu")
    url = reverse("branches:meeting_edit", args=[world.branch_a.code, meeting.pk])
    first, second = two_clients(world)
    first_version, second_version = opened_version(first, url), opened_version(second, url)
    assert first_version == second_version != ""

    response = first.post(
        url, minutes_data(members, date=DAY, conclusion="Bản sửa", version=first_version)
    )
    assert response.status_code == 302
    absent = {members[1]: (AttendanceStatus.EXCUSED, "Ốm")}
    response = second.post(
        url,
        minutes_data(
            members, date=DAY, conclusion="Bản đầu", absences=absent, version=second_version
        ),
    )

    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].non_field_errors()] == [str(STALE)]
    assert str(STALE) in response.content.decode()
    assert Meeting.objects.get().conclusion == "Bản sửa"
    assert Attendance.objects.get(member=members[1]).status == AttendanceStatus.PRESENT
    assert Meeting.history.count() == 2  # recorded, then the first edit only

    reloaded = opened_version(second, url)
    response = second.post(
        url,
        minutes_data(members, date=DAY, conclusion="Bản sửa", absences=absent, version=reloaded),
    )
    assert response.status_code == 302
    assert Meeting.objects.get().conclusion == "Bản sửa"
    attendance = Attendance.objects.get(member=members[1])
    assert (attendance.status, attendance.reason) == (AttendanceStatus.EXCUSED, "Ốm")


def test_finalizing_in_between_also_makes_an_open_minutes_form_stale(world):
    members = [make_member(world.branch_a)]
    meeting = record(world.branch_a, DAY)
    url = reverse("branches:meeting_edit", args=[world.branch_a.code, meeting.pk])
    first, second = two_clients(world)
    version = opened_version(second, url)
    finalize = reverse("branches:meeting_finalize", args=[world.branch_a.code, meeting.pk])
    assert first.post(finalize).status_code == 302
    response = second.post(
        url,
        minutes_data(members, date=DAY, topic="Đổi", change_reason="Sửa", version=version),
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    assert Meeting.objects.get().topic == ""


def test_second_save_of_the_same_candidate_file_is_refused_and_nothing_is_lost(world):
    candidate = make_candidate(world.branch_a, residence="Thôn 1")
    colleague = make_user(world.district, RoleKind.OFFICER, username="colleague")
    url = reverse("admission:edit", args=[candidate.pk])
    first, second = two_clients(world)
    second.force_login(colleague)
    first_data = form_data(first.get(url).context["form"])
    second_data = form_data(second.get(url).context["form"])

    first_data["residence"] = "Thôn 2"
    assert first.post(url, first_data).status_code == 302
    second_data["hometown"] = "Huế"
    response = second.post(url, second_data)

    assert response.status_code == 200
    assert [str(e) for e in response.context["form"].non_field_errors()] == [str(STALE)]
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert (candidate.residence, candidate.hometown) == ("Thôn 2", "")
    reloaded = form_data(second.get(url).context["form"])
    reloaded["hometown"] = "Huế"
    assert second.post(url, reloaded).status_code == 302
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert (candidate.residence, candidate.hometown) == ("Thôn 2", "Huế")


def test_a_step_recorded_in_between_makes_the_open_candidate_form_stale(world):
    candidate = make_candidate(world.branch_a)
    url = reverse("admission:edit", args=[candidate.pk])
    first, second = two_clients(world)
    data = form_data(second.get(url).context["form"])
    step = reverse("admission:step", args=[candidate.pk, "course"])
    response = first.post(step, {"course_date": "01/04/2024", "certificate_number": "CN-9"})
    assert response.status_code == 302
    data["residence"] = "Thôn 5"
    assert second.post(url, data).status_code == 200
    candidate = Candidate.objects.get(pk=candidate.pk)
    assert candidate.residence == "" and candidate.course_certificate == "CN-9"
