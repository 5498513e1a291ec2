"""Layout faults seen on the printed pages: a justified first line broken after its
first word, a heading left alone at the foot of a page."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from admission.enums import Stage
from tests.factories_admission import make_candidate, walk

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
