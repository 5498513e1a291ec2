from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from admission.panels import admission_panel
from branches.enums import BRANCH_KINDS, GRASSROOTS_KINDS
from branches.panels import meetings_panel
from branches.queries import organizations_for, start_node
from branches.stats import branches_needing_attention
from members.enums import ACTIVE_STATUSES, MemberStatus
from members.panels import lifecycle_panel
from members.queries import conversion_due, members_for

# Each feature adds a function (request, root) -> {"template": ..., **context} or None.
HOME_PANELS = [meetings_panel, admission_panel, lifecycle_panel]


@login_required
def home(request):
    """What needs attention in the user's subtree, with its headline figures."""
    root = start_node(request.user)
    members = members_for(request.user)
    figures = members.aggregate(
        active=Count("id", filter=Q(status__in=ACTIVE_STATUSES)),
        official=Count("id", filter=Q(status=MemberStatus.OFFICIAL)),
        probationary=Count("id", filter=Q(status=MemberStatus.PROBATIONARY)),
        women=Count("id", filter=Q(status__in=ACTIVE_STATUSES, gender="female")),
    )
    figures |= (
        organizations_for(request.user)
        .filter(dissolved_on__isnull=True)
        .aggregate(
            grassroots=Count("id", filter=Q(kind__in=GRASSROOTS_KINDS)),
            branches=Count("id", filter=Q(kind__in=BRANCH_KINDS)),
        )
    )
    due = conversion_due(members, timezone.localdate()).order_by("admission_date")
    panels = [panel for build in HOME_PANELS if (panel := build(request, root)) is not None]
    context = {
        "panels": panels,
        "root": root,
        "figures": figures,
        "conversion_due": due[:20],
        "conversion_due_count": due.count(),
        "attention_branches": branches_needing_attention(root)[:50] if root else [],
    }
    return render(request, "home.html", context)
