"""The running year's report says it is partial: the dashboard's title gives the day its
figures stop at, and the narrative's first paragraph says the year is not over."""

import datetime

import pytest
from django.utils import timezone

from reports import narrative
from reports.service import build_annual_report
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_the_running_year_is_labelled_partial_a_past_year_is_not(world, as_user):
    make_member(world.branch_a)
    client = as_user(world.officer)
    today = timezone.localdate()
    running = client.get(f"/reports/H1/{today.year}/").content.decode()
    past = client.get(f"/reports/H1/{today.year - 1}/").content.decode()
    label = f'<span class="partial">(to {today:%d/%m/%Y})</span>'  # the client reads English
    assert (label in running) == (today != datetime.date(today.year, 12, 31))
    assert 'class="partial"' not in past


def test_the_narrative_of_a_year_taken_before_its_end_says_so(world):
    make_member(world.branch_a)
    partial = build_annual_report(world.province, 2025, as_of=datetime.date(2025, 9, 30))
    whole = build_annual_report(world.province, 2025, as_of=datetime.date(2025, 12, 31))
    first = narrative.sections(partial)[0].paragraphs[0]
    assert first == (
        "Năm 2025 chưa kết thúc: số liệu của báo cáo tính từ ngày 01/01/2025 đến ngày 30/09/2025."
    )
    assert not narrative.sections(whole)[0].paragraphs[0].startswith("Năm 2025 chưa kết thúc")
