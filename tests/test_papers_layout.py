"""Layout faults seen on the printed pages: a justified first line broken after its
first word, a heading left alone at the foot of a page."""

import datetime
import io
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from pypdf import PdfReader

from admission.enums import Stage
from branches.issuers import issuer_lines
from branchwork.views.meetings import minutes_context
from partyorg.documents import write_pdf
from tests.factories import make_member
from tests.factories_admission import make_candidate, walk
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db


def pdf_lines(response) -> list[str]:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return [line.strip() for page in pages for line in page.extract_text().splitlines()]


def test_the_branch_resolution_opens_with_a_full_line(world, as_user, officials):
    # The vote day written 01/07/2024 let WeasyPrint break the indented first line after
    # "Ngày" when the bold name came at the end of it.
    candidate = walk(make_candidate(world.branch_a, full_name="Lê Thị Hoa"), Stage.BRANCH_RESOLVED)
    response = as_user(world.secretary).get(
        reverse("admission:branch_resolution", args=[candidate.pk])
    )
    lines = pdf_lines(response)
    opening = next(line for line in lines if line.startswith("Ngày"))
    assert opening.startswith("Ngày 01 tháng 07 năm 2024, Chi bộ thôn 1 đã họp"), lines


def test_the_list_of_members_keeps_its_heading_with_three_rows(world):
    # Lines added before "III. DANH SÁCH ĐẢNG VIÊN" walk it down to the foot of page 2
    # and over; at every step at least three rows print under it.
    names = [make_member(world.branch_a, full_name=f"Nguyễn Văn Thành {i}") for i in range(8)]
    meeting = record(world.branch_a, datetime.date(2025, 3, 5), chair=names[0])
    context = minutes_context(world.branch_a, meeting) | {
        "heading": issuer_lines(world.branch_a, meeting.date)
    }
    html = render_to_string("branchwork/meetings/minutes_pdf.html", context)
    heading = '<p class="heading">III. DANH SÁCH ĐẢNG VIÊN</p>'
    for lines in range(22, 34):
        padded = html.replace(heading, "<p>Chi bộ thảo luận.</p>" * lines + heading)
        pages = PdfReader(io.BytesIO(write_pdf(padded, template_name="minutes"))).pages
        text = next(t for t in (p.extract_text() for p in pages) if "III. DANH SÁCH" in t)
        rows = re.findall(r"Nguyễn Văn Thành \d", text.split("III. DANH SÁCH")[1])
        assert len(rows) >= 3, (lines, rows)
