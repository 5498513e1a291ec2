"""The papers printed from the records: the member record sheet and the attendance sheet
of a meeting to sign, scoped like the member and the meeting."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from members.enums import PositionRole
from members.models import Position
from tests.factories import make_member, transfer
from tests.factories_meetings import exempt, record

pytestmark = pytest.mark.django_db

D = datetime.date


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_the_attendance_sheet_lists_the_roll_of_the_meeting_day(world, as_user):
    here = [make_member(world.branch_a, full_name=n) for n in ("Trần Văn Ánh", "Lê Thị Bé")]
    gone = make_member(world.branch_a, full_name="Phạm Văn Đi")
    transfer(gone, world.branch_b, D(2025, 2, 1))
    exempt(here[1], D(2025, 1, 10))
    meeting = record(world.branch_a, D(2025, 3, 5), chair=here[0])

    response = as_user(world.secretary).get(
        reverse("papers:attendance_sheet", args=["X1-B1", meeting.pk])
    )
    text = pdf_text(response)
    assert "DANH SÁCH" in text and "Ký tên" in text
    assert "ĐẢNG BỘ XÃ CHI BỘ THÔN 1" in text
    assert "Trần Văn Ánh" in text and "Lê Thị Bé" in text
    assert "Phạm Văn Đi" not in text, "transferred away before the meeting"
    assert "Miễn sinh hoạt" in text
    assert "Tổng số: 2 đồng chí." in text

    outsider = as_user(world.outsider)
    url = reverse("papers:attendance_sheet", args=["X1-B1", meeting.pk])
    assert outsider.get(url).status_code == 404


def test_the_member_record_sheet_prints_the_record(world, as_user):
    member = make_member(
        world.branch_a,
        full_name="Nguyễn Thị Hồng",
        party_card_number="12345678",
        hometown="Hương Phú, Nam Đông",
    )
    Position.objects.create(
        member=member, role=PositionRole.SECRETARY, node=world.branch_a, start_date=D(2020, 5, 1)
    )
    text = pdf_text(
        as_user(world.viewer).get(reverse("papers:member_record", args=[member.member_number]))
    )
    for expected in (
        "PHIẾU ĐẢNG VIÊN",
        "Mẫu 2-HSĐV",
        "NGUYỄN THỊ HỒNG",
        "Số thẻ đảng viên: 12345678",
        "Hương Phú, Nam Đông",
        "01/03/2010",
        "Chi bộ thôn 1",
        "01/05/2020",
    ):
        assert expected in text, expected
    url = reverse("papers:member_record", args=[member.member_number])
    assert as_user(world.other_secretary).get(url).status_code == 404
