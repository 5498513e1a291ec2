"""The lifecycle section of a member's page: transfers, badges, evaluations, dues."""

from django import template
from django.db.models import Count
from django.utils import timezone

from branchwork.models.dues import UNPAID

register = template.Library()


@register.inclusion_tag("branchwork/lifecycle/member_panel.html", takes_context=True)
def member_lifecycle(context, member):
    """Four small queries, whatever the member's history."""
    year = timezone.localdate().year
    dues = member.dues.filter(year=year).aggregate(
        months=Count("id"), unpaid=Count("id", filter=UNPAID)
    )
    return {
        "member": member,
        "user_can_write": context.get("user_can_write"),
        "transfers": member.transfers.select_related("from_branch", "to_branch")[:10],
        "badges": list(member.badges.all()),
        "evaluations": list(member.evaluations.order_by("-year")[:5]),
        "dues": dues,
        "year": year,
    }
