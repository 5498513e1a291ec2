"""Officers record the announced days off and swaps on a page; every change keeps who
made it, and deadlines follow at once."""

import datetime

import pytest
from django.urls import reverse

from partyorg.models import Holiday
from partyorg.workdays import add_working_days

pytestmark = pytest.mark.django_db
D = datetime.date


def test_an_officer_adds_a_day_off_and_deadlines_move(world, as_user):
    before = add_working_days(D(2027, 3, 1), 5)
    client = as_user(world.officer)
    page = client.get(reverse("holidays"), {"year": 2026})
    assert page.status_code == 200
    assert D(2026, 4, 27) in [day for day, _name in page.context["statutory"]]
    response = client.post(
        reverse("holidays"), {"date": "03/03/2027", "name": "Nghỉ theo thông báo"}
    )
    assert response.status_code == 302
    holiday = Holiday.objects.get()
    assert holiday.history.get().history_user == world.officer
    assert add_working_days(D(2027, 3, 1), 5) == add_working_days(before, 1)


def test_a_swapped_saturday_becomes_a_working_day(world, as_user):
    client = as_user(world.officer)
    data = {"date": "06/03/2027", "name": "Làm bù", "working_day": "on"}
    assert client.post(reverse("holidays"), data).status_code == 302
    assert add_working_days(D(2027, 3, 5), 1) == D(2027, 3, 6)


def test_a_correction_entered_by_mistake_is_removed_with_history(world, as_user):
    client = as_user(world.officer)
    client.post(reverse("holidays"), {"date": "03/03/2027", "name": "Nhầm"})
    holiday = Holiday.objects.get()
    assert client.post(reverse("holidays"), {"remove": holiday.pk}).status_code == 302
    assert not Holiday.objects.exists()
    assert holiday.history.latest().history_type == "-"
    assert holiday.history.latest().history_user == world.officer


def test_bad_input_changes_nothing(world, as_user):
    response = as_user(world.officer).post(reverse("holidays"), {"date": "31/02/2027", "name": ""})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date", "name"}
    assert not Holiday.objects.exists()


@pytest.mark.parametrize("username", ["viewer", "secretary", "other_secretary"])
def test_only_officers_edit(world, as_user, username):
    client = as_user(getattr(world, username))
    assert client.get(reverse("holidays")).status_code == 403
    response = client.post(reverse("holidays"), {"date": "03/03/2027", "name": "x"})
    assert response.status_code == 403
    assert not Holiday.objects.exists()
