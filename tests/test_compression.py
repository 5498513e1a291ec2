"""Pages travel gzip-compressed to browsers that accept it (partyorg.middleware.
CompressPagesMiddleware); files travel as they are."""

import gzip

import pytest
from django.urls import reverse
from django.utils import timezone

from branchwork.months import previous_month
from tests.factories import make_member
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

BROWSER = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}


def test_a_page_is_compressed_for_a_browser_that_accepts_gzip(world, as_user):
    client = as_user(world.officer)
    plain = client.get(reverse("organizations:tree"))
    compressed = client.get(reverse("organizations:tree"), **BROWSER)
    assert "Content-Encoding" not in plain
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    page = gzip.decompress(compressed.content).decode()
    assert "Chi bộ thôn 1" in page
    assert len(compressed.content) < len(plain.content)


def test_a_pdf_is_sent_as_it_is(world, as_user):
    members = [make_member(world.branch_a, full_name=f"Trần Văn Ất {n}") for n in range(3)]
    day = previous_month(timezone.localdate())[0].replace(day=5)
    meeting = record(world.branch_a, day, chair=members[0], minute_taker=members[1])
    response = as_user(world.secretary).get(
        reverse("meetings:pdf", args=[world.branch_a.code, meeting.pk]), **BROWSER
    )
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert response.content.startswith(b"%PDF-")
