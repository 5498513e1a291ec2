import pytest
from django.test import Client
from django.urls import reverse

from branches.enums import RoleKind
from members.models import Member
from tests.factories import form_data, make_member, make_user

pytestmark = pytest.mark.django_db


def test_second_save_of_the_same_member_is_refused_and_nothing_is_lost(world):
    member = make_member(world.branch_a, residence="Thôn 1")
    colleague = make_user(world.district, RoleKind.OFFICER, username="colleague")
    url = reverse("members:edit", args=[member.member_number])
    first, second = Client(), Client()
    first.force_login(world.officer)
    second.force_login(colleague)
    first_data = form_data(first.get(url).context["form"])
    second_data = form_data(second.get(url).context["form"])

    first_data["residence"] = "Thôn 2"
    assert first.post(url, first_data).status_code == 302
    second_data["hometown"] = "Huế"
    response = second.post(url, second_data)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    member = Member.objects.get(pk=member.pk)
    assert (member.residence, member.hometown) == ("Thôn 2", "")
    # Reloading shows the first change and lets the second person save theirs.
    reloaded = form_data(second.get(url).context["form"])
    reloaded["hometown"] = "Huế"
    assert second.post(url, reloaded).status_code == 302
    member = Member.objects.get(pk=member.pk)
    assert (member.residence, member.hometown) == ("Thôn 2", "Huế")
