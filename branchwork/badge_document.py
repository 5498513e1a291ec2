"""The printed list of members proposed for the party badge on an award day.

The print page and its PDF show the members due a badge (not those who could receive it
early). A PDF of more than PDF_BACKGROUND_ROWS members takes longer than a request may
(a province's list: 11,894 members on 567 pages, 74 s): its page offers to have it
written by the task worker instead (office.imports.exporting, from `filters`)."""

import datetime

from django.conf import settings
from django.template.loader import render_to_string

from branches.models import OrganizationNode
from branches.queries import organizations_for
from branchwork import badges
from members.queries import members_for
from partyorg.documents import write_pdf

TEMPLATE = "branchwork/badges/badge_print.html"


def is_long(rows: list[badges.BadgeRow]) -> bool:
    """Too many rows for a PDF written while the user waits."""
    return len(rows) > settings.PDF_BACKGROUND_ROWS


def context(members, node: OrganizationNode, award_date: datetime.date, rows) -> dict:
    """What the list shows: `rows` (badge_rows' due members) with their members loaded,
    and the organization above `node` for the heading."""
    return {
        "node": node,
        "award_date": award_date,
        "due": badges.with_members(rows, members),
        "parent": OrganizationNode.objects.get_parent(node),
    }


def pdf(shown: dict) -> bytes:
    html = render_to_string(TEMPLATE, shown | {"pdf": True})
    return write_pdf(html, template_name=TEMPLATE, stylesheets=["css/lifecycle-print.css"])


def file_name(node_code: str, award_date: datetime.date) -> str:
    return f"huy-hieu-{node_code}-{award_date.isoformat()}.pdf"


def filters(node: OrganizationNode, award_date: datetime.date) -> dict:
    """How a list to be written later is asked for: the organization's code and the day."""
    return {"node": node.code, "date": award_date.isoformat()}


def filters_asked(user, data) -> dict | None:
    """filters() of the organization and award day a form sent (`data`), or None when the
    organization is not one of the user's or the day is not an award day."""
    node = organizations_for(user).filter(code=data.get("node", "")).first()
    try:
        award_date = datetime.date.fromisoformat(data.get("date", ""))
    except ValueError:
        return None
    if node is None or not badges.is_award_day(award_date):
        return None
    return filters(node, award_date)


def written_later(user, asked: dict) -> tuple[bytes, str, int]:
    """The PDF asked for by `filters`, as `user` sees the organization's members now: its
    content, its name and its number of members. OrganizationNode.DoesNotExist when the
    organization is no longer in the user's scope."""
    node = organizations_for(user).get(code=asked["node"])
    award_date = datetime.date.fromisoformat(asked["date"])
    members = members_for(user).in_subtree(node)
    rows, _early = badges.badge_rows(members, award_date)
    content = pdf(context(members, node, award_date, rows))
    return content, file_name(node.code, award_date), len(rows)
