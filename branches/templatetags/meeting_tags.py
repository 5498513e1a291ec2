from django import template
from django.db.models import Count
from django.utils import timezone

from branches.enums import MeetingKind
from branches.meeting_queries import counted, node_year, present, rate

register = template.Library()


@register.inclusion_tag("branches/meetings/_node_summary.html")
def meeting_summary(node):
    """Attendance and meetings held this year, for the organization page."""
    year = timezone.localdate().year
    context = {"node": node, "year": year}
    if node.is_branch:
        last = (
            node.meetings.filter(kind=MeetingKind.REGULAR)
            .annotate(
                present=Count("attendances", filter=present("attendances__")),
                counted=Count("attendances", filter=counted("attendances__")),
            )
            .order_by("-date")
            .first()
        )
        if last is not None:
            last.rate = rate(last.present, last.counted)
        context["last"] = last
    context["totals"] = node_year(node, year)
    return context
