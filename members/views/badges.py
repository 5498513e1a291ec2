"""Party badges: the list for an award day, its printable version, recording the awards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from weasyprint import CSS, HTML

from branches.models import OrganizationNode
from branches.queries import require_write
from members import badges
from members.forms_lifecycle import AwardForm
from members.queries import members_for
from members.views.lifecycle import node_in_scope, parse_date


def _list_context(request):
    node = node_in_scope(request)
    today = timezone.localdate()
    award_date = parse_date(request.GET.get("date") or request.POST.get("date"))
    if award_date is None or not badges.is_award_day(award_date):
        award_date = badges.next_award_day(today)
    members = members_for(request.user).in_subtree(node)
    due, early = badges.badge_list(members, award_date)
    days = badges.award_days(award_date.year - 1) + badges.award_days(award_date.year)
    return {
        "node": node,
        "award_date": award_date,
        "award_days": days + badges.award_days(award_date.year + 1),
        "due": due,
        "early": early,
        "members": members,
    }


# A province's award day has thousands of members: the page lists this many of each
# list (a page of 16,000 rows weighed 7 MB) and says how to see the rest.
LISTED = 500


@login_required
def badge_list(request):
    context = _list_context(request)
    context["form"] = AwardForm()
    context["listed"] = LISTED
    for name in ("due", "early"):
        context[f"{name}_count"] = len(context[name])
        context[name] = context[name][:LISTED]
    return render(request, "members/badges/badge_list.html", context)


@login_required
def badge_print(request):
    context = _list_context(request)
    context["parent"] = OrganizationNode.objects.get_parent(context["node"])
    if request.GET.get("format") != "pdf":
        return render(request, "members/badges/badge_print.html", context)
    html = render_to_string(
        "members/badges/badge_print.html", context | {"pdf": True}, request=request
    )
    stylesheet = CSS(filename=finders.find("css/lifecycle-print.css"))
    response = HttpResponse(
        HTML(string=html).write_pdf(stylesheets=[stylesheet]), content_type="application/pdf"
    )
    name = f"huy-hieu-{context['node'].code}-{context['award_date'].isoformat()}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
@require_POST
def badge_award(request):
    context = _list_context(request)
    require_write(request.user)
    form = AwardForm(request.POST)
    target = (
        reverse("members:badges")
        + f"?node={context['node'].code}&date={context['award_date'].isoformat()}"
    )
    if not form.is_valid():
        messages.error(request, _("Enter the number of the award decision."))
        return redirect(target)

    def ids(name):
        return [int(v) for v in request.POST.getlist(name) if v.isdigit()]

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
