"""One rule for organization codes, whichever way a code arrives: the organization form,
an import, the domain function, Django admin, the demo seed. Codes are normalized to
upper case, hold only letters A–Z, digits, dots and hyphens, and are unique without
regard to case (a database constraint too)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import resolve, reverse
from hypothesis import given
from hypothesis import strategies as st

from branches import domain
from branches.enums import NodeKind
from branches.models import NODE_CODE, OrganizationNode
from members.models import Member
from partyorg.enums import ImportStatus
from tests.factories_imports import member_row
from tests.test_imports_tree import node_row, run

pytestmark = pytest.mark.django_db
BAD_CODES = ["H01.001/X", "X1_B9", "X1 B9", "ĐU.01", ".X1", "X1?B9", "X1#9", "X1%2F"]


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def create_on_page(client, code):
    return client.post(
        reverse("organizations:node_create", args=["X1"]),
        {"code": code, "name": "Chi bộ thôn 9", "kind": "branch", "established_on": "01/01/2020"},
    )


def test_the_form_stores_codes_in_upper_case(world, as_user):
    response = create_on_page(as_user(world.officer), " x1-b9.a ")
    assert response.status_code == 302
    node = OrganizationNode.objects.get(name="Chi bộ thôn 9")
    assert node.code == "X1-B9.A" and response["Location"] == node.get_absolute_url()


@pytest.mark.parametrize("code", BAD_CODES)
def test_the_form_refuses_other_characters(world, as_user, code):
    response = create_on_page(as_user(world.officer), code)
    assert response.status_code == 200
    assert "only letters A–Z, digits, dots and hyphens" in str(response.context["form"].errors)
    assert not OrganizationNode.objects.filter(name="Chi bộ thôn 9").exists()


def test_the_form_refuses_a_lower_case_copy_of_a_code(world, as_user):
    response = create_on_page(as_user(world.officer), "x1-b1")
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == [
        "An organization with this code exists already."
    ]


@pytest.mark.parametrize("code", BAD_CODES)
def test_an_import_refuses_other_characters(world, as_user, code):
    batch = run(as_user(world.officer), "nodes", [node_row(code, "Chi bộ 9", "Chi bộ", "X1")])
    assert batch.status == ImportStatus.REJECTED
    assert [e["column"] for e in batch.errors] == ["Mã tổ chức"]
    assert "only letters A–Z, digits, dots and hyphens" in batch.errors[0]["message"]
    assert not OrganizationNode.objects.filter(name="Chi bộ 9").exists()


def test_an_import_reads_codes_in_any_case_as_the_same_code(world, as_user):
    client = as_user(world.officer)
    batch = run(client, "nodes", [node_row("x1-b9", "Chi bộ 9", "Chi bộ", "x1")])
    assert batch.status == ImportStatus.APPLIED, batch.errors
    assert OrganizationNode.objects.get(name="Chi bộ 9").code == "X1-B9"

    # The lower-case code of a stored node is that node, not a new one.
    batch = run(client, "nodes", [node_row("x1-b9", "Chi bộ thôn 9", "Chi bộ", "X1")])
    assert (batch.status, batch.rows_new, batch.rows_updated) == (ImportStatus.APPLIED, 0, 1)
    assert OrganizationNode.objects.get(code="X1-B9").name == "Chi bộ thôn 9"

    rows = [
        node_row("X1-B8", "Chi bộ 8", "Chi bộ", "X1"),
        node_row("x1-b8", "Chi bộ 8", "Chi bộ", "X1"),
    ]
    batch = run(client, "nodes", rows)
    assert batch.status == ImportStatus.REJECTED
    assert "“X1-B8” appears 2 times in the file." in batch.errors[0]["message"]

    batch = run(client, "members", [member_row("10000001", branch="x1-b1")])
    assert batch.status == ImportStatus.APPLIED, batch.errors
    assert Member.objects.get().branch == world.branch_a


@pytest.mark.parametrize("code", ["a/b", "X1_B9", ""])
def test_the_domain_function_refuses_bad_codes(world, code):
    with pytest.raises(ValidationError) as refused:
        domain.create_node(
            parent=world.commune,
            code=code,
            name="Chi bộ 9",
            kind=NodeKind.BRANCH,
            established_on=datetime.date(2020, 1, 1),
        )
    assert "code" in refused.value.message_dict


def test_the_database_refuses_a_copy_that_differs_only_in_case(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        OrganizationNode.objects.filter(pk=world.branch_b.pk).update(code="x1-b1")


@given(st.from_regex(NODE_CODE.regex))
def test_every_allowed_code_makes_a_page_address(code):
    for name in ("organizations:node_detail", "meetings:list", "record_work:inspections"):
        url = reverse(name, args=[code])
        assert resolve(url).kwargs["code"] == code
