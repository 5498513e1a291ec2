"""Pages of the member list read in two steps: the page's ids, then those rows
(partyorg.pagination)."""

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from members.models import Member
from members.views import records as member_views
from partyorg.pagination import IdsFirstPaginator, first_rows_and_count, has_at_least
from tests.factories import make_member

pytestmark = pytest.mark.django_db

IDS_ONLY = 'SELECT "members_member"."id" AS "pk" FROM "members_member" '
NAMES = ["Vũ Thị Yến", "Lê Văn An", "Đặng Minh Châu", "Bùi Thị Hoa", "Nguyễn Văn Bình"]


def test_member_list_pages_follow_the_name_order(world, as_user, monkeypatch):
    for name in [*NAMES, "Trần Văn Dũng", "Phạm Thị Lan"]:
        make_member(world.branch_a, full_name=name)
    monkeypatch.setattr(member_views, "PAGE_SIZE", 3)
    client = as_user(world.officer)
    in_order = list(
        Member.objects.filter(branch__path__startswith=world.district.path)
        .order_by("sort_key", "member_number")
        .values_list("full_name", flat=True)
    )
    shown = []
    for number in (1, 2, 3):
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("members:list"), {"page": number}).context["page"]
        shown.append([member.full_name for member in page])
        assert any(q["sql"].startswith(IDS_ONLY) for q in queries.captured_queries)
    assert shown == [in_order[0:3], in_order[3:6], in_order[6:]]
    assert len(in_order) == 7


def test_a_page_reads_its_ids_then_only_those_rows(world):
    for name in NAMES:
        make_member(world.branch_a, full_name=name)
    members = Member.objects.select_related("branch").order_by("sort_key", "member_number")
    expected = Paginator(members, 2)
    paginator = IdsFirstPaginator(members, 2)
    assert paginator.count == 5
    for number in paginator.page_range:
        with CaptureQueriesContext(connection) as queries:
            rows = list(paginator.page(number))
        assert rows == list(expected.page(number))
        ids, page_rows = (query["sql"] for query in queries.captured_queries)
        assert ids.startswith(IDS_ONLY)
        assert '"branches_organizationnode"' in page_rows  # the rows, with their branch


@pytest.mark.parametrize(
    "template, param",
    [("includes/pagination.html", "page"), ("includes/list_pagination.html", "overdue_page")],
)
def test_page_links_beyond_a_thousand_stay_numbers_in_vietnamese(template, param):
    """A province's member list has 3,000 pages; "page=1.001" (the Vietnamese thousands
    separator) would open page 1."""
    page = Paginator(range(60_000), 50).page(1_000)
    with translation.override("vi"):
        html = render_to_string(template, {"page": page, "param": param})
    assert f'{param}=999"' in html and f'{param}=1001"' in html
    assert '1.001"' not in html


def test_has_at_least_answers_at_the_threshold_and_on_either_side_of_it(world):
    for name in NAMES:
        make_member(world.branch_a, full_name=name)
    members = Member.objects.order_by("full_name")
    assert has_at_least(members, 4)
    assert has_at_least(members, 5)
    assert not has_at_least(members, 6)
    assert has_at_least(members.none(), 0)


@pytest.mark.parametrize("made", [0, 2, 5])
def test_first_rows_and_count_in_one_query(world, django_assert_num_queries, made):
    for name in NAMES[:made]:
        make_member(world.branch_a, full_name=name)
    members = Member.objects.filter(branch=world.branch_a).order_by("sort_key")
    with django_assert_num_queries(1):
        first, count = first_rows_and_count(members, 3)
    assert [m.pk for m in first] == [m.pk for m in members][:3]
    assert count == made
