"""A step that issues its paper in the app asks who signs when nobody holds the issuing
body's secretary or deputy secretary post on the day, and issues nothing until told."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from admission.enums import Stage
from admission.models import BranchVote
from members.enums import PositionRole
from members.models import Position
from papers.enums import SignerCapacity
from papers.models import Document
from tests.factories_admission import WALK, make_candidate, walk

pytestmark = pytest.mark.django_db

VOTE = {"on": "01/07/2024", "agreeing": 3, "disagreeing": 0, "resolution_number": ""}


def vote_url(candidate):
    return reverse("admission:step", args=[candidate.pk, "branch-vote"])


def test_the_vote_asks_for_a_signer_when_nobody_holds_the_post(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a, full_name="Lê Thị Hoa"), Stage.VERIFIED)
    client = as_user(world.secretary)
    client.cookies["django_language"] = "vi"

    response = client.post(vote_url(candidate), VOTE)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Không ai giữ chức bí thư hoặc phó bí thư của Chi bộ thôn 1" in errors["signer"][0]
    assert not BranchVote.objects.exists() and not Document.objects.exists()
    assert officials[1].full_name in response.content.decode(), "the members are offered"

    untitled = client.post(vote_url(candidate), VOTE | {"signer": officials[1].pk})
    assert "signer_title" in untitled.context["form"].errors
    assert not Document.objects.exists()

    done = client.post(
        vote_url(candidate), VOTE | {"signer": officials[1].pk, "signer_title": "Chi ủy viên"}
    )
    assert done.status_code == 302
    document = Document.objects.get()
    assert (document.signer, document.signer_capacity, document.signer_title) == (
        officials[1],
        SignerCapacity.OTHER,
        "Chi ủy viên",
    )
    pdf = client.get(reverse("admission:branch_resolution", args=[candidate.pk]))
    text = re.sub(r"\s+", " ", PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text())
    assert "T/M CHI BỘ CHI ỦY VIÊN " + officials[1].full_name in text


def test_a_post_holder_signs_under_the_post_and_a_holder_needs_no_prompt(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    Position.objects.create(
        member=officials[2],
        role=PositionRole.COMMITTEE_MEMBER,
        node=world.branch_a,
        start_date=WALK["course"],
    )
    client = as_user(world.secretary)
    assert client.post(vote_url(candidate), VOTE | {"signer": officials[2].pk}).status_code == 302
    assert Document.objects.get().signer_title == "Cấp ủy viên"


def test_no_prompt_when_the_secretary_holds_the_post(world, as_user, officials):
    Position.objects.create(
        member=officials[0],
        role=PositionRole.SECRETARY,
        node=world.branch_a,
        start_date=WALK["course"],
    )
    candidate = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    client = as_user(world.secretary)
    assert client.post(vote_url(candidate), VOTE).status_code == 302
    assert Document.objects.get().signer == officials[0]
