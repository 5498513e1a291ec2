"""Party badges: the list for an award day, its printable version, recording the awards."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from branches.queries import require_write
from branchwork import badge_document, badges
from branchwork.forms import AwardForm
from branchwork.views.overview import node_in_scope, parse_date
from members.queries import members_for
from partyorg.documents import pdf_file_response
from partyorg.enums import ExportKind
from partyorg.exports import record_export
from partyorg.refusals import AddressRefused


class NotAwardDay(AddressRefused):
    """A day asked for that is not an award day; the message names the award days."""


def _award_date(asked: str | None) -> datetime.date:
    """The award day asked for, the next one when none is; NotAwardDay for anything else,
    never another day in its place (badges recorded on a day not asked for)."""
    if not asked:
        return badges.next_award_day(timezone.localdate())
    day = parse_date(asked)
    if day is None or not badges.is_award_day(day):
        days = ", ".join(f"{d:%d/%m}" for d in badges.award_days(timezone.localdate().year))
        raise NotAwardDay(
            _("“%(value)s” is not an award day of the party badge; they are %(days)s.")
            % {"value": asked[:20], "days": days}
        )
    return day


def _scope(request, node_code: str | None = None) -> dict:
    """The node, the award day (the next one unless one is asked for) and the members of
    the node's subtree."""
    node = node_in_scope(request, node_code)
    award_date = _award_date(request.GET.get("date") or request.POST.get("date"))
    days = [badges.award_days(award_date.year + offset) for offset in (-1, 0, 1)]
    return {
        "node": node,
        "award_date": award_date,
        "award_days": [day for year in days for day in year],
        "members": members_for(request.user).in_subtree(node),
    }


# A province's award day has thousands of members (a page of 16,000 rows weighed 7 MB):
# each list is shown this many at a time, the ticked members of a page recorded together.
PAGE_SIZE = 50


@login_required
def badge_list(request):
    context = _scope(request)
    due, early = badges.badge_rows(context["members"], context["award_date"])
    pages = {
        name: Paginator(rows, PAGE_SIZE).get_page(request.GET.get(f"{name}_page"))
        for name, rows in [("due", due), ("early", early)]
    }
    listed = badges.with_members([*pages["due"], *pages["early"]], context["members"])
    shown = len(pages["due"].object_list)
    query = {}
    for name in pages:
        others = request.GET.copy()
        others.pop(f"{name}_page", None)
        query[name] = others.urlencode()
    context |= {
        "form": AwardForm(),
        "due": listed[:shown],
        "early": listed[shown:],
        "pages": pages,
        "page_query": query,
    }
    return render(request, "branchwork/badges/badge_list.html", context)


@login_required
def badge_print(request):
    """The printable list of the members due a badge, or its PDF; a PDF too long to write
    while the user waits gets a page offering to have it prepared in the background."""
    scope = _scope(request)
    node, award_date, members = scope["node"], scope["award_date"], scope["members"]
    rows, _early = badges.badge_rows(members, award_date)
    wants_pdf = request.GET.get("format") == "pdf"
    if wants_pdf and badge_document.is_long(rows):
        asked = {
            "kind": ExportKind.BADGE_LIST,
            "filters": badge_document.filters(node, award_date),
            "file_format": "pdf",
        }
        offer = {"asked": asked, "label": ExportKind.BADGE_LIST.label, "rows": len(rows)}
        return render(request, "imports/export_large.html", offer)
    shown = badge_document.context(members, node, award_date, rows)
    if not wants_pdf:
        return render(request, badge_document.TEMPLATE, shown)
    content = badge_document.pdf(shown)
    record_export(request, ExportKind.BADGE_LIST, rows=len(rows))
    return pdf_file_response(content, badge_document.file_name(node.code, award_date))


@login_required
@require_POST
def badge_award(request):
    context = _scope(request, request.POST.get("node"))
    require_write(request.user)
    form = AwardForm(request.POST)
    target = (
        reverse("record_work:badges")
        + f"?node={context['node'].code}&date={context['award_date'].isoformat()}"
    )
    if not form.is_valid():
        messages.error(request, _("Enter the number of the award decision."))
        return redirect(target)

    def ids(name):
        # The page sends plain ids; anything else is refused, never skipped unsaid.
        values = request.POST.getlist(name)
        if not all(value.isdigit() for value in values):
            raise BadRequest
        return [int(value) for value in values]

    try:
        awards = badges.award_badges(
            members=context["members"],
            award_date=context["award_date"],
            member_ids=ids("member"),
            early_ids=ids("early"),
            decision_number=form.cleaned_data["decision_number"],
            by=request.user,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("%(count)s badges were recorded.") % {"count": len(awards)})
    return redirect(target)
