"""The member lifecycle panel of the home page."""

from django.utils import timezone

from members.badges import next_award_day
from members.dues import members_with_unpaid_months
from members.queries import members_for
from members.transfers import inbox_for

SHOWN = 5


def lifecycle_panel(request, root, kept):
    """Letters waiting in the inbox, members under the dues half of the removal rule this
    year, and the next badge day. Three queries, the dues one kept for large subtrees."""
    if root is None:
        return None
    today = timezone.localdate()
    inbox = list(inbox_for(request.user)[: SHOWN + 1])
    unpaid_count = kept.get(
        "unpaid-dues",
        lambda: len(members_with_unpaid_months(members_for(request.user), today.year)),
        today.year,
    )
    return {
        "template": "members/lifecycle/home_panel.html",
        "root": root,
        "inbox": inbox[:SHOWN],
        "inbox_more": len(inbox) > SHOWN,
        "unpaid_count": unpaid_count,
        "year": today.year,
        "award_day": next_award_day(today),
    }
