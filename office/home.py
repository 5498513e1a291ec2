"""The home page: what needs attention in the user's subtree, with its headline figures
and the panels of each feature."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from admission.panels import admission_panel
from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS
from branches.queries import organizations_for, own_record_only, start_node
from branchwork.panels import lifecycle_panel, meetings_panel
from members.enums import ACTIVE_STATUSES, Gender
from members.queries import conversion_due, member_counts_for, members_for, summed
from members.stats import branches_needing_attention
from partyorg.pagination import first_rows_and_count
from personal.reminders import inbox

# Each feature adds a function (request, root) -> {"template": ..., **context} or None.
HOME_PANELS = [meetings_panel, admission_panel, lifecycle_panel]
CONVERSIONS_SHOWN = 20
SIZE_RULE_BRANCHES_SHOWN = 50


def headline_figures(user) -> dict[str, int]:
    figures = (
        member_counts_for(user)
        .filter(status__in=ACTIVE_STATUSES)
        .aggregate(
            active=summed(),
            official=summed(Q(official=True)),
            women=summed(Q(gender=Gender.FEMALE)),
        )
    )
    figures["probationary"] = figures["active"] - figures["official"]
    return figures | (
        organizations_for(user)
        .open()
        .aggregate(
            grassroots=Count("id", filter=Q(kind__in=GRASSROOTS_KINDS)),
            branches=Count("id", filter=Q(kind__in=BRANCH_KINDS)),
        )
    )


@login_required
def home(request):
    """What needs attention in the user's subtree, with its headline figures. A member's
    own account is sent to the member's page."""
    if own_record_only(request.user):
        return redirect("personal:record")
    root = start_node(request.user)
    today = timezone.localdate()
    conversion_list, conversion_count = first_rows_and_count(
        conversion_due(members_for(request.user), today).order_by("admission_date"),
        CONVERSIONS_SHOWN,
    )
    context = {
        "root": root,
        "figures": headline_figures(request.user),
        "conversion_due": conversion_list,
        "conversion_due_count": conversion_count,
        "attention_branches": (
            list(branches_needing_attention(root)[:SIZE_RULE_BRANCHES_SHOWN]) if root else []
        ),
    }
    context["panels"] = [
        panel for build in HOME_PANELS if (panel := build(request, root)) is not None
    ]
    context["inbox"] = inbox(request.user, today)
    return render(request, "home.html", context)
