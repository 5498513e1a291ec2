"""The 12-digit national ID check is one validator (partyorg.validators.NATIONAL_ID),
and the member form, the candidate form, both imports and the models all apply it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from admission.models import Candidate
from members.models import Member
from tests.factories import MemberFactory
from tests.factories_imports import member_row
from tests.test_imports_candidates import candidate_row
from tests.test_privacy import import_errors, new_candidate_data, new_member_data

pytestmark = pytest.mark.django_db

SAID = {"A national ID has 12 digits.", "Số định danh cá nhân gồm 12 chữ số."}
BAD = ["04620000000A", "04620000000", "04620000 001"]


@pytest.mark.parametrize("value", BAD)
def test_member_form_refuses(world, as_user, value):
    response = as_user(world.officer).post(
        reverse("members:create"), new_member_data(world, national_id=value)
    )
    assert set(response.context["form"].errors["national_id"]) <= SAID
    assert not Member.objects.filter(member_number="55555555").exists()


@pytest.mark.parametrize("value", BAD)
def test_candidate_form_refuses(world, as_user, value):
    response = as_user(world.secretary).post(
        reverse("admission:create"), new_candidate_data(world, national_id=value)
    )
    assert set(response.context["form"].errors["national_id"]) <= SAID
    assert not Candidate.objects.exists()


def test_imports_refuse_with_the_same_message(world, as_user):
    client = as_user(world.officer)
    errors, _page = import_errors(client, [member_row("10000001", **{"Số CCCD": BAD[0]})])
    assert {message for column, message in errors if column == "Số CCCD"} <= SAID
    assert {column for column, _message in errors} == {"Số CCCD"}
    errors, _page = import_errors(client, [candidate_row(BAD[0])], kind="candidates")
    assert {column for column, _message in errors} == {"Số CCCD"}
    assert {message for _column, message in errors} <= SAID


def test_the_model_refuses():
    with pytest.raises(ValidationError) as refused:
        MemberFactory.build(national_id=BAD[0]).clean_fields(exclude=["branch"])
    assert set(refused.value.message_dict["national_id"]) <= SAID
