"""What the offline minutes form relies on from the server: an entry sent again is applied
once (its entry key), a refused entry shows what is saved next to what was entered, and
the service worker and the pages it keeps."""

import datetime
import uuid

import pytest
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection
from django.test import Client, override_settings
from django.urls import reverse

from branches.enums import RoleKind
from branchwork import meetings as domain
from branchwork.enums import AttendanceStatus
from branchwork.models import Attendance, Meeting
from tests.factories import make_member, make_user
from tests.factories_meetings import minutes_data, record
from tests.test_concurrent_edits import post_together
from tests.test_imports_concurrency import InThread

DAY = datetime.date(2024, 3, 6)


@pytest.fixture
def members(world):
    return [make_member(world.branch_a, full_name=n) for n in ["Lý Văn Một", "Lý Thị Hai"]]


def test_a_new_entry_sent_twice_makes_one_meeting(world, members, as_user):
    client = as_user(world.secretary)
    url = reverse("meetings:create", args=["X1-B1"])
    key = str(uuid.uuid4())
    absent = {members[1]: (AttendanceStatus.EXCUSED, "Ốm")}
    data = minutes_data(members, date=DAY, absences=absent, conclusion="Kết luận", entry_key=key)

    first = client.post(url, data)
    meeting = Meeting.objects.get()
    assert first.url == meeting.get_absolute_url()
    again = client.post(url, data)

    assert again.status_code == 302 and again.url == meeting.get_absolute_url()
    assert "already been received" in str(list(get_messages(again.wsgi_request))[-1])
    assert Meeting.objects.count() == 1
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert meeting.history.count() == 1
    # Without a key (a form posted without its script) nothing is recognised: the
    # month's regular meeting is refused as before.
    del data["entry_key"]
    assert "already has a regular meeting" in client.post(url, data).content.decode()


def test_a_script_sending_the_form_is_told_the_address_and_the_message_waits(
    world, members, as_user
):
    client = as_user(world.secretary)
    url = reverse("meetings:create", args=["X1-B1"])
    data = minutes_data(members, date=DAY, entry_key=str(uuid.uuid4()))

    answer = client.post(url, data, HTTP_ACCEPT="application/json")

    meeting = Meeting.objects.get()
    assert answer.json() == {"url": meeting.get_absolute_url()}
    shown = client.get(answer.json()["url"])
    assert "The minutes were saved as a draft." in [str(m) for m in shown.context["messages"]]
    again = client.post(url, data, HTTP_ACCEPT="application/json")
    assert again.json() == {"url": meeting.get_absolute_url()}
    assert Meeting.objects.count() == 1


def test_an_entry_sent_again_after_the_roll_changed_is_still_recognised(world, members, as_user):
    client = as_user(world.secretary)
    url = reverse("meetings:create", args=["X1-B1"])
    data = minutes_data(members, date=DAY, entry_key=str(uuid.uuid4()))
    assert client.post(url, data).status_code == 302
    make_member(world.branch_a, joined_branch_on=DAY.replace(day=1))  # not in the entry

    assert client.post(url, data).status_code == 302
    assert Meeting.objects.count() == 1


def test_an_edit_sent_twice_is_applied_once_and_not_called_a_conflict(world, members, as_user):
    meeting = record(world.branch_a, DAY, conclusion="Bản đầu")
    client = as_user(world.secretary)
    url = reverse("meetings:edit", args=["X1-B1", meeting.pk])
    absent = {members[0]: (AttendanceStatus.UNEXCUSED, "")}
    data = minutes_data(members, date=DAY, conclusion="Bản sửa", absences=absent, version=1) | {
        "entry_key": str(uuid.uuid4())
    }

    assert client.post(url, data).status_code == 302
    again = client.post(url, data)

    assert again.status_code == 302 and again.url == meeting.get_absolute_url()
    assert meeting.history.count() == 2
    stored = Meeting.objects.get()
    assert (stored.conclusion, stored.version) == ("Bản sửa", 2)


def test_a_late_resend_after_a_later_save_changes_nothing(world, members, as_user):
    """The key of each version stays in the history: an old entry arriving after the
    minutes were saved again does not overwrite that save."""
    meeting = record(world.branch_a, DAY)
    client = as_user(world.secretary)
    url = reverse("meetings:edit", args=["X1-B1", meeting.pk])
    late = minutes_data(members, date=DAY, conclusion="Bản 1", version=1, entry_key=uuid.uuid4())
    assert client.post(url, late).status_code == 302
    later = late | {"conclusion": "Bản 2", "version": 2, "entry_key": str(uuid.uuid4())}
    assert client.post(url, later).status_code == 302

    assert client.post(url, late).status_code == 302
    assert Meeting.objects.get().conclusion == "Bản 2"


def test_a_stale_entry_shows_what_is_saved_next_to_what_was_entered(world, members, as_user):
    meeting = record(world.branch_a, DAY, conclusion="Bản đầu", topic="Chủ đề")
    rows = list(meeting.attendances.all())
    domain.update_meeting(
        meeting,
        data={"conclusion": "Bản của xã"},
        attendance={row.member_id: (row.status, row.reason) for row in rows},
        rows=rows,
        version=1,
        by=world.officer,
    )
    client = as_user(world.secretary)
    url = reverse("meetings:edit", args=["X1-B1", meeting.pk])
    absent = {members[1]: (AttendanceStatus.EXCUSED, "Đi công tác")}
    data = minutes_data(
        members, date=DAY, topic="Chủ đề", conclusion="Bản của chi bộ", absences=absent
    ) | {"version": 1, "entry_key": str(uuid.uuid4())}

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["differences"] == [
        ("Conclusion or resolution", "Bản của xã", "Bản của chi bộ"),
        ("Lý Thị Hai", "Present", "Absent with a reason: Đi công tác"),
    ]
    page = response.content.decode()
    assert 'data-outcome="conflict"' in page and "Keep mine" in page
    assert Meeting.objects.get().conclusion == "Bản của xã"
    # Keeping mine is saving again with the version the conflict carries.
    assert response.context["form"]["version"].value() == "2"
    assert client.post(url, data | {"version": 2}).status_code == 302
    assert Meeting.objects.get().conclusion == "Bản của chi bộ"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_the_same_entry_sent_twice_at_once_makes_one_meeting(world, members):
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(world.secretary)
    url = reverse("meetings:create", args=["X1-B1"])
    data = minutes_data(members, date=DAY, entry_key=str(uuid.uuid4()))

    responses = post_together([(client, url, data) for client in clients])

    assert [getattr(r, "status_code", r) for r in responses] == [302, 302]
    meeting = Meeting.objects.get()
    assert {r.url for r in responses} == {meeting.get_absolute_url()}
    assert Attendance.objects.count() == 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_an_entry_its_twin_saved_during_the_checks_is_told_received(world, members, monkeypatch):
    """The same entry sent twice at once: the second finds no entry with its key, then the
    first is saved before the second checks the month. The second is told the entry was
    received, not that the month already has minutes."""
    key = uuid.uuid4()
    checked_date = domain.date_error
    twin = []

    def twin_saved_meanwhile(branch, day):
        if not twin:  # the second sending's check; the twin's own check passes through
            twin.append(InThread(lambda: record(world.branch_a, DAY, entry_key=key)))
            twin[0].start()
            twin[0].outcome()
        return checked_date(branch, day)

    monkeypatch.setattr(domain, "date_error", twin_saved_meanwhile)
    with pytest.raises(domain.AlreadyReceived) as received:
        record(world.branch_a, DAY, entry_key=key)
    assert received.value.meeting_id == Meeting.objects.get().pk


def test_the_minutes_form_is_marked_for_keeping_offline(world, as_user):
    client = as_user(world.secretary)
    url = reverse("meetings:create", args=["X1-B1"])
    assert client.get(url)["Offline-Page"] == "1"
    assert "Offline-Page" not in client.post(url, {"date": "x"})


def test_the_service_worker_is_served_at_the_root_to_anyone(client):
    response = client.get(reverse("service_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"].startswith("max-age=0")
    body = response.content.decode()
    assert '"/static/css/app.css"' in body and '"/static/js/offline.js"' in body
    assert "const HASHED_NAMES = false;" in body
    assert client.post(reverse("service_worker")).status_code == 405


def test_the_service_worker_keeps_the_hashed_files_of_a_deployment(tmp_path, client):
    """DEBUG off, with the manifest storage and collected files: the worker names the
    files under their hashed names, and serves them from what it kept."""
    storages = {
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages, DEBUG=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        body = client.get(reverse("service_worker")).content.decode()
    assert "const HASHED_NAMES = true;" in body
    for name in ("css/app.css", "js/offline.js"):
        stem, suffix = name.rsplit(".", 1)
        assert f'"/static/{stem}.' in body and f'.{suffix}"' in body
        assert f'"/static/{name}"' not in body


def test_a_secretary_page_asks_for_the_branch_form_to_be_kept(world, as_user):
    page = as_user(world.secretary).get(reverse("home")).content.decode()
    assert f'data-offline-prefetch="{reverse("meetings:create", args=["X1-B1"])}"' in page
    viewer = make_user(world.branch_a, RoleKind.VIEWER, username="chi-xem")
    assert "data-offline-prefetch" not in as_user(viewer).get(reverse("home")).content.decode()
