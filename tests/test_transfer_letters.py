"""The letter of introduction a transfer needs (giấy giới thiệu sinh hoạt đảng): left without
a number, the app issues it from the issuing committee's register and prints it; a number
typed from a paper letter is kept and takes nothing from the register."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from branches.enums import NodeKind, RoleKind
from members.enums import PositionRole
from members.models import Position, Transfer
from papers.models import Document
from tests.factories import make_member, make_node, make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
LETTER_DAY = TODAY - datetime.timedelta(days=3)


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def secretary_of(node, member):
    Position.objects.create(
        member=member, role=PositionRole.SECRETARY, node=node, start_date=datetime.date(2020, 1, 1)
    )


def send_letter(client, member, to_branch, number=""):
    return client.post(
        reverse("members:transfer_new", args=[member.member_number]),
        {
            "kind": "official",
            "to_branch": to_branch.code,
            "letter_number": number,
            "letter_date": LETTER_DAY.strftime("%d/%m/%Y"),
        },
    )


@pytest.fixture
def member(world):
    return make_member(world.branch_a, full_name="Đỗ Văn Chuyển")


def test_a_letter_left_without_a_number_is_issued_from_the_register_and_printed(
    world, as_user, member
):
    # Out of the district: the letter is the district committee's (branches.competence).
    secretary_of(world.district, make_member(world.branch_b, full_name="Phạm Văn Huyện"))
    client = as_user(world.officer)
    assert send_letter(client, member, world.other_branch).status_code == 302
    transfer = Transfer.objects.get()
    document = Document.objects.get(node=world.district)
    assert transfer.letter_number == document.number_text
    assert document.doc_type == "GGT" and document.issued_on == LETTER_DAY
    assert document.number_text.startswith("01-GGT/")

    page = client.get(transfer.get_absolute_url()).content.decode()
    letter_url = reverse("record_work:transfer_letter", args=[transfer.pk])
    assert letter_url in page
    text = pdf_text(client.get(letter_url).content)
    assert "GIẤY GIỚI THIỆU SINH HOẠT ĐẢNG" in text
    assert f"Số {transfer.letter_number}" in text
    assert "HUYỆN ỦY" in text and "Phạm Văn Huyện" in text
    assert "Đỗ Văn Chuyển" in text and world.other_branch.name in text

    # The receiving branch reads it too; an officer of neither side gets 404.
    assert as_user(world.other_secretary).get(letter_url).status_code == 200
    elsewhere = make_node(world.province, NodeKind.DISTRICT_COMMITTEE, "Đảng bộ huyện Ba")
    stranger = make_user(elsewhere, RoleKind.OFFICER, username="stranger")
    assert as_user(stranger).get(letter_url).status_code == 404


def test_a_number_typed_from_paper_takes_nothing_from_the_register(world, as_user, member):
    secretary_of(world.district, make_member(world.branch_b))
    client = as_user(world.officer)
    assert send_letter(client, member, world.other_branch, "15-GGT/HU").status_code == 302
    transfer = Transfer.objects.get()
    assert transfer.letter_number == "15-GGT/HU"
    assert not Document.objects.exists()
    letter_url = reverse("record_work:transfer_letter", args=[transfer.pk])
    assert letter_url not in client.get(transfer.get_absolute_url()).content.decode()
    assert client.get(letter_url).status_code == 404


def test_without_a_secretary_the_letter_is_refused_and_nothing_is_written(world, as_user, member):
    client = as_user(world.officer)
    response = send_letter(client, member, world.other_branch)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["letter_number"])
    assert "Đảng bộ huyện" in errors
    assert not Transfer.objects.exists() and not Document.objects.exists()
