"""The resolutions and decisions of the admission steps, issued in the app: numbered from
the issuing body's register when the step is recorded, signed by the secretary on that
day, listed on the register page and printed with their number; a number typed from a
paper document is kept as it is; an unnumbered resolution prints as a draft."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from admission.enums import Stage
from admission.models import AdmissionDecision, BranchVote, GrassrootsResolution
from members.enums import PositionRole
from members.models import Position
from papers.models import Document
from tests.factories_admission import WALK, make_candidate, make_officials, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def officials(world):
    members = make_officials(world.branch_a, 3)
    # The secretaries who sign what the branch, the grassroots and the district committee issue.
    for member, node in zip(members, [world.branch_a, world.commune, world.district], strict=True):
        Position.objects.create(
            member=member, role=PositionRole.SECRETARY, node=node, start_date=WALK["course"]
        )
    return members


def step(client, candidate, name, data):
    response = client.post(reverse("admission:step", args=[candidate.pk, name]), data)
    assert response.status_code == 302, response.context["form"].errors
    return response


def pdf_text(client, candidate) -> str:
    response = client.get(reverse("admission:branch_resolution", args=[candidate.pk]))
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    return " ".join(text.split())


def register_page(client, code, year=2024) -> str:
    return client.get(reverse("papers:register", args=[code, year])).content.decode()


def test_each_level_issues_its_paper_with_the_next_number_of_its_register(
    world, as_user, officials
):
    candidate = walk(make_candidate(world.branch_a, full_name="Lê Thị Hoa"), Stage.VERIFIED)
    secretary = as_user(world.secretary)
    step(secretary, candidate, "branch-vote", {"on": "01/07/2024", "agreeing": 3, "disagreeing": 0})
    vote = BranchVote.objects.get(candidate=candidate)
    assert vote.resolution_number == "01-NQ/CB"
    text = pdf_text(secretary, candidate)
    assert "Số 01-NQ/CB" in text and "DỰ THẢO" not in text
    assert "T/M CHI BỘ BÍ THƯ" in text and officials[0].full_name in text
    page = register_page(secretary, "X1-B1")
    assert "01-NQ/CB" in page and "Nghị quyết đề nghị kết nạp đảng viên: Lê Thị Hoa" in page

    officer = as_user(world.officer)
    step(officer, candidate, "grassroots", {"number": "", "date": "15/07/2024"})
    step(
        officer,
        candidate,
        "decision",
        {"number": "", "date": "01/08/2024", "issuing_body": world.district.pk},
    )
    assert GrassrootsResolution.objects.get(candidate=candidate).number == "01-NQ/ĐU"
    assert AdmissionDecision.objects.get(candidate=candidate).number == "01-QĐ/HU"
    assert "Quyết định kết nạp đảng viên: Lê Thị Hoa" in register_page(officer, "H1")
    issued = Document.objects.get(node=world.district)
    assert (issued.issued_on, issued.issued_by) == (WALK["decision"], world.officer)


def test_a_number_from_paper_is_kept_and_takes_none_from_the_register(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.VERIFIED)
    client = as_user(world.secretary)
    step(
        client,
        candidate,
        "branch-vote",
        {"on": "01/07/2024", "agreeing": 3, "disagreeing": 0, "resolution_number": "07-NQ/CB"},
    )
    assert BranchVote.objects.get(candidate=candidate).resolution_number == "07-NQ/CB"
    assert not Document.objects.exists()
    text = pdf_text(client, candidate)
    assert "Số 07-NQ/CB" in text and officials[0].full_name in text


def test_an_unnumbered_resolution_prints_as_a_draft(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED)
    BranchVote.objects.filter(candidate=candidate).update(resolution_number="")
    text = pdf_text(as_user(world.secretary), candidate)
    assert "DỰ THẢO" in text and "Số" not in text.split("ĐẢNG CỘNG SẢN")[0]
