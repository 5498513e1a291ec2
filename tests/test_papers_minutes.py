"""Finalized minutes take a number from the branch's register and their meeting place;
the filed minutes print "Số 01-BB/CB" and the place."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from branches.restructuring import rename_node
from branchwork.meetings import finalize_meeting
from papers.models import Document
from tests.factories import make_member
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

D = datetime.date


def pdf_text(response) -> str:
    pages = PdfReader(io.BytesIO(response.content)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def test_finalized_minutes_take_the_next_number_and_their_place(world, as_user):
    chair = make_member(world.branch_a, full_name="Trần Văn Ánh")
    march = record(world.branch_a, D(2025, 3, 5), chair=chair)
    april = record(world.branch_a, D(2025, 4, 5), chair=chair)
    client = as_user(world.secretary)
    number = reverse("papers:number_minutes", args=["X1-B1", march.pk])

    client.post(number, {"place": "Nhà văn hóa thôn 1"})
    assert not Document.objects.exists(), "a draft is not numbered"

    finalize_meeting(march, by=world.secretary)
    finalize_meeting(april, by=world.secretary)
    assert client.post(number, {"place": ""}).status_code == 302
    assert not Document.objects.exists(), "the place is required"
    client.post(number, {"place": "Nhà văn hóa thôn 1"})
    client.post(number, {"place": "Nhà văn hóa thôn 1"})  # twice: one number only
    client.post(
        reverse("papers:number_minutes", args=["X1-B1", april.pk]), {"place": "Hội trường xã"}
    )
    filed = Document.objects.order_by("number")
    assert [d.number_text for d in filed] == ["01-BB/CB", "02-BB/CB"]
    assert filed[0].history.first().history_user == world.secretary

    text = pdf_text(client.get(reverse("papers:minutes_pdf", args=["X1-B1", march.pk])))
    assert "Số 01-BB/CB" in text
    assert "Chi bộ thôn 1 tiến hành sinh hoạt tại Nhà văn hóa thôn 1." in text
    detail = client.get(march.get_absolute_url()).content.decode()
    assert reverse("papers:minutes_pdf", args=["X1-B1", march.pk]) in detail
    assert "Filed minutes 01-BB/CB" in detail
    register = client.get(reverse("papers:register", args=["X1-B1", 2025])).content.decode()
    assert "02-BB/CB" in register

    viewer = as_user(world.viewer)
    assert viewer.post(number, {"place": "X"}).status_code == 403
    outsider = as_user(world.outsider)
    assert outsider.get(reverse("papers:minutes_pdf", args=["X1-B1", march.pk])).status_code == 404


def test_minutes_print_the_branch_name_of_the_meeting_day(world, as_user):
    chair = make_member(world.branch_a, full_name="Trần Văn Ánh")
    march = record(world.branch_a, D(2025, 3, 5), chair=chair)
    rename_node(world.branch_a, on=D(2025, 7, 1), name="Chi bộ khu phố Một")
    client = as_user(world.secretary)
    text = pdf_text(client.get(reverse("papers:minutes_pdf", args=["X1-B1", march.pk])))
    assert "CHI BỘ THÔN 1" in text and "Chi bộ thôn 1 tiến hành sinh hoạt" in text
    assert "Một" not in text
    august = record(world.branch_a, D(2025, 8, 5), chair=chair)
    text = pdf_text(client.get(reverse("papers:minutes_pdf", args=["X1-B1", august.pk])))
    assert "CHI BỘ KHU PHỐ MỘT" in text and "Chi bộ khu phố Một tiến hành" in text
