"""The grassroots committee's resolution on an admission (8-KNĐ), the admission decision
(9-KNĐ) and the decision recognizing an official member print in the party format from
the candidate's page: the number from the issuing body's register, its heading, its
signer on the issue day and the member's name; scoped like the file."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from admission.enums import Stage
from admission.models import AdmissionDecision
from members.enums import PositionRole
from members.models import Position
from tests.factories import make_member
from tests.factories_admission import WALK, file_conversion_dossier, make_candidate, walk

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def post_step(client, candidate, name, data):
    response = client.post(reverse("admission:step", args=[candidate.pk, name]), data)
    assert response.status_code == 302, response.context["form"].errors
    return response


def secretary_of(node, member):
    Position.objects.create(
        member=member, role=PositionRole.SECRETARY, node=node, start_date=WALK["identified"]
    )
    return member


@pytest.fixture
def official_file(world, as_user, officials):
    """A file taken to official membership through the pages, every paper issued by the app."""
    secretary_of(world.branch_a, officials[0])
    secretary_of(world.commune, make_member(world.branch_b, full_name="Hoàng Thị Ủy"))
    secretary_of(world.district, make_member(world.branch_b, full_name="Phạm Văn Huyện"))
    candidate = walk(make_candidate(world.branch_a, full_name="Lê Thị Hoa"), Stage.VERIFIED)
    post_step(
        as_user(world.secretary),
        candidate,
        "branch-vote",
        {"on": "01/07/2024", "agreeing": 3, "disagreeing": 0},
    )
    officer = as_user(world.officer)
    post_step(officer, candidate, "grassroots", {"number": "", "date": "15/07/2024"})
    post_step(
        officer,
        candidate,
        "decision",
        {"number": "", "date": "01/08/2024", "issuing_body": world.district.pk},
    )
    candidate.refresh_from_db()
    walk(candidate, Stage.PROBATION)
    file_conversion_dossier(candidate)
    post_step(
        officer,
        candidate,
        "conversion-vote",
        {"on": "20/08/2025", "agreeing": 3, "disagreeing": 0},
    )
    post_step(
        officer,
        candidate,
        "conversion",
        {"number": "", "date": "25/08/2025", "issuing_body": world.district.pk},
    )
    return candidate


PAPERS = {
    "admission:grassroots_resolution": (
        ["NGHỊ QUYẾT", "Số 01-NQ/ĐU", "ĐẢNG ỦY XÃ", "T/M ĐẢNG ỦY", "Hoàng Thị Ủy"],
        "ngày 15 tháng 07 năm 2024",
    ),
    "admission:admission_decision": (
        ["QUYẾT ĐỊNH", "kết nạp đảng viên", "Số 01-QĐ/HU", "HUYỆN ỦY", "T/M BAN THƯỜNG VỤ"],
        "ngày 01 tháng 08 năm 2024",
    ),
    "admission:conversion_decision": (
        ["công nhận đảng viên chính thức", "Số 01-QĐ/HU", "HUYỆN ỦY", "T/M BAN THƯỜNG VỤ"],
        "ngày 25 tháng 08 năm 2025",
    ),
}


def test_each_committee_paper_prints_from_the_candidate_page(world, as_user, official_file):
    client = as_user(world.officer)
    page = client.get(official_file.get_absolute_url()).content.decode()
    for name, (expected, day) in PAPERS.items():
        url = reverse(name, args=[official_file.pk])
        assert url in page, name
        text = pdf_text(client.get(url))
        for words in [*expected, day, "Lê Thị Hoa", "ĐẢNG CỘNG SẢN VIỆT NAM", "Nơi nhận"]:
            assert words in text, (name, words)
        assert "DỰ THẢO" not in text
    decision = pdf_text(
        client.get(reverse("admission:admission_decision", args=[official_file.pk]))
    )
    assert "Phạm Văn Huyện" in decision and "BAN THƯỜNG VỤ HUYỆN ỦY QUYẾT ĐỊNH" in decision


def test_a_decision_without_a_number_prints_as_a_draft(world, as_user, official_file):
    AdmissionDecision.objects.filter(candidate=official_file, kind="admission").update(number="")
    text = pdf_text(
        as_user(world.officer).get(reverse("admission:admission_decision", args=[official_file.pk]))
    )
    assert "DỰ THẢO" in text and "Số" not in text.split("ĐẢNG CỘNG SẢN")[0]


def test_papers_are_scoped_like_the_file(world, as_user, official_file):
    for name in PAPERS:
        url = reverse(name, args=[official_file.pk])
        assert as_user(world.outsider).get(url).status_code == 404
        assert as_user(world.other_secretary).get(url).status_code == 404
        assert as_user(world.secretary).get(url).status_code == 200


def test_no_paper_before_its_step(world, as_user, officials):
    candidate = walk(make_candidate(world.branch_a), Stage.BRANCH_RESOLVED)
    client = as_user(world.officer)
    for name in PAPERS:
        assert client.get(reverse(name, args=[candidate.pk])).status_code == 404
