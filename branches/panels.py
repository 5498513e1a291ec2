"""The meetings panel of the home page: what a secretary or an officer should act on."""

from django.utils import timezone

from branches.meeting_queries import (
    branches_without_meeting,
    previous_month,
    previous_quarter,
    unexcused_absentees,
)

SHOWN = 10


def meetings_panel(request, root, kept):
    """Branches of the subtree without last month's regular meeting or last quarter's
    thematic one, and members absent without reason three times this year."""
    if root is None:
        return None
    today = timezone.localdate()
    month = previous_month(today)
    quarter = previous_quarter(today)

    def lists():
        absentees = unexcused_absentees(root, today.year)
        # Aggregated once for the count; the members shown are read again by id, which
        # costs little, rather than aggregating the year's attendance a second time.
        absentee_ids = list(absentees.values_list("pk", flat=True))
        no_regular = branches_without_meeting(root, *month, thematic=False)
        no_thematic = branches_without_meeting(root, *quarter, thematic=True)
        return {
            "no_regular": list(no_regular[:SHOWN]),
            "no_regular_count": no_regular.count(),
            "no_thematic": list(no_thematic[:SHOWN]),
            "no_thematic_count": no_thematic.count(),
            "absentees": list(absentees.filter(pk__in=absentee_ids[:SHOWN])),
            "absentees_count": len(absentee_ids),
        }

    return {
        "template": "branches/meetings/home_panel.html",
        "root": root,
        "month": month[0],
        "quarter": quarter,
        **kept.get("meetings-panel", lists, today),
    }
