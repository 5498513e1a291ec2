"""The panels of the home page about the work of the branches: meetings, and the member
lifecycle (letters, dues, badges). What a secretary or an officer should act on."""

from django.utils import timezone

from branchwork.badges import next_award_day
from branchwork.dues import members_with_unpaid_months
from branchwork.meeting_queries import branches_without_meeting, unexcused_absentees
from branchwork.months import previous_month, previous_quarter
from members.queries import members_for
from members.transfers import inbox_for
from partyorg.pagination import first_rows_and_count
from partyorg.rules import removal_rule

MEETINGS_SHOWN = 10
LIFECYCLE_SHOWN = 5


def meetings_panel(request, root):
    """Branches of the subtree without last month's regular meeting or last quarter's
    thematic one, and members absent without reason in as many months this year as the
    removal rule allows."""
    if root is None:
        return None
    today = timezone.localdate()
    return {
        "template": "branchwork/meetings/home_panel.html",
        "root": root,
        "month": previous_month(today)[0],
        "quarter": previous_quarter(today),
        "removal_months": removal_rule(today.year).months,
        **meeting_lists(root, today),
    }


def meeting_lists(root, today) -> dict:
    """The meetings panel's lists and counts, as of `today`: five queries at most."""
    absentees, absentees_count = unexcused_absentees(root, today.year, MEETINGS_SHOWN)
    no_regular, no_regular_count = first_rows_and_count(
        branches_without_meeting(root, previous_month(today)[0], thematic=False), MEETINGS_SHOWN
    )
    no_thematic, no_thematic_count = first_rows_and_count(
        branches_without_meeting(root, previous_quarter(today)[0], thematic=True), MEETINGS_SHOWN
    )
    return {
        "no_regular": no_regular,
        "no_regular_count": no_regular_count,
        "no_thematic": no_thematic,
        "no_thematic_count": no_thematic_count,
        "absentees": absentees,
        "absentees_count": absentees_count,
    }


def lifecycle_panel(request, root):
    """Letters waiting in the inbox, members under the dues half of the removal rule this
    year, and the next badge day. Three queries."""
    if root is None:
        return None
    today = timezone.localdate()
    inbox = list(inbox_for(request.user)[: LIFECYCLE_SHOWN + 1])
    unpaid_count = len(members_with_unpaid_months(members_for(request.user), today.year))
    return {
        "template": "branchwork/lifecycle/home_panel.html",
        "root": root,
        "inbox": inbox[:LIFECYCLE_SHOWN],
        "inbox_more": len(inbox) > LIFECYCLE_SHOWN,
        "unpaid_count": unpaid_count,
        "year": today.year,
        "award_day": next_award_day(today),
    }
