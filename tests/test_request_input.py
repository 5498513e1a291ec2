"""Input no one types: a NUL character in any part of the address or of a form answers
400 (or 404), never a server error, and changes nothing; undecodable bytes (%ff) are
harmless. Every URL pattern is swept, from the access matrix's table."""

import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.models import Member
from tests.factories import make_member
from tests.factories_security import inside_and_outside
from tests.test_access_matrix import (
    KWARGS,
    POST,
    READ,
    READER_POST,
    SKIPPED_NAMES,
    SKIPPED_NAMESPACES,
    URLS,
)

pytestmark = pytest.mark.django_db

# The query parameters the views read, and the fields of the filter forms bound to GET.
QUERY_PARAMETERS = [
    "q", "page", "year", "node", "date", "format", "branch", "status", "kind", "state",
    "version", "next", "sheet", "before", "after", "due_page", "early_page",
]  # fmt: skip
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")


def routes(entries=None, prefix="", namespaces=()):
    """(name, route) of every URL pattern, with the routes of its includes before it."""
    for entry in entries if entries is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name not in SKIPPED_NAMES:
            yield ":".join((*namespaces, entry.name)), prefix + str(entry.pattern)


def path_with(route: str, values: dict[str, str]) -> str:
    return "/" + CONVERTER.sub(lambda match: quote(values[match[1]], safe="%"), route)


@pytest.fixture
def officer(world):
    client = Client(raise_request_exception=False)
    client.force_login(world.officer)
    return client


def test_every_pattern_with_a_nul_in_each_parameter_and_in_the_query(world, officer):
    inside, _outside = inside_and_outside(world)
    swept, failures = 0, []
    for name, route in routes():
        spec = URLS[name]
        values = {
            keyword: str(KWARGS[keyword](inside, spec)) for keyword in CONVERTER.findall(route)
        }
        sound = path_with(route, values)
        poisoned = [path_with(route, values | {k: v + "%00"}) for k, v in values.items()]
        query = "&".join(f"{parameter}=%00" for parameter in QUERY_PARAMETERS)
        poisoned.append(f"{sound}?{query}")
        for url in poisoned:
            methods = ["get"] if spec.access == READ else ["get", "post"]
            if spec.access in {POST, READER_POST}:
                methods = ["post"]
            for method in methods:
                status = getattr(officer, method)(url).status_code
                swept += 1
                if status not in {400, 404}:
                    failures.append(f"{method.upper()} {url} ({name}): {status}")
    assert swept > 150
    assert not failures, "\n".join(failures)


def test_the_examples_of_the_issue(world, officer):
    make_member(world.branch_a, member_number="12345678")
    for url in ["/members/%00/", "/members/?q=%00", "/members/12345678%00/"]:
        response = officer.get(url)
        assert response.status_code == 400, url
        assert 'id="error-page"' in response.content.decode()
    for url in ["/members/%ff/", "/members/%C0%AF/", "/organizations/%ff%fe/"]:
        assert officer.get(url).status_code == 404, url
    assert officer.get("/members/?q=%ff").status_code == 200
    assert officer.get("/members/?q=%ff%00").status_code == 400


def test_a_nul_in_a_form_changes_nothing(world, officer):
    member = make_member(world.branch_a, full_name="Lê Văn Tám")
    response = officer.post(
        reverse("members:edit", args=[member.member_number]),
        {"full_name": "Lê Văn\x00 Tám", "branch": str(world.branch_a.pk)},
    )
    assert response.status_code == 400
    member.refresh_from_db()
    assert member.full_name == "Lê Văn Tám"
    response = officer.post(reverse("record_work:badges_award"), {"node\x00": world.branch_a.code})
    assert response.status_code == 400
    assert Member.objects.count() == 1
