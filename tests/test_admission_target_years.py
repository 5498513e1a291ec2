"""Admission targets of any year an office keeps; a year it does not is refused, never
swapped for another year's form."""

import pytest
from django.urls import reverse
from django.utils import timezone

from admission.models import AdmissionTarget


def test_a_past_year_opens_and_saves_its_own_targets(world, as_user):
    url = f"{reverse('admission:targets')}?node={world.commune.code}&year=2020"
    client = as_user(world.officer)
    page = client.get(url)
    assert page.status_code == 200 and page.context["year"] == 2020
    assert client.post(url, {"X1": "4"}).status_code == 302
    assert list(AdmissionTarget.objects.values_list("year", "target")) == [(2020, 4)]
    board = client.get(f"{reverse('admission:pipeline')}?node=X1&year=2020")
    assert board.context["targets"][0].target == 4


@pytest.mark.parametrize("view", ["admission:targets", "admission:pipeline"])
@pytest.mark.parametrize("year", ["1999", "abc", str(timezone.localdate().year + 2)])
def test_a_year_not_kept_is_refused_and_nothing_is_saved(world, as_user, view, year):
    url = f"{reverse(view)}?node={world.commune.code}&year={year}"
    client = as_user(world.officer)
    page = client.get(url)
    assert page.status_code == 400
    assert "2000" in page.content.decode() and "year" not in page.context
    assert client.post(url, {"X1": "4"}).status_code == 400
    assert not AdmissionTarget.objects.exists()
