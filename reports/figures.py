"""The members behind a number of the report: who was counted, from the same dated rows."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from admission.queries import admissions
from branches.models import OrganizationNode
from members.enums import AgeBand, Ethnicity, EventKind, Gender, MembershipKind, Religion
from members.exemptions import latest_exemption
from members.models import Member, Membership, StatusEvent
from reports.period import subtree_nodes

AT_END = {
    "total": _("Members"),
    "official": _("Official members"),
    "probationary": _("Probationary members"),
    "women": _("Women"),
    "minorities": _("Ethnic minorities"),
    "religious": _("Religious members"),
    "exempted": _("Exempted from party work"),
    **{f"age_{band.value}": band.label for band in AgeBand},
}
EXITS = {
    "deceased": EventKind.DECEASED,
    "removed": EventKind.REMOVED,
    "expelled": EventKind.EXPELLED,
    "left": EventKind.LEFT,
}
FLOWS = {
    "admitted": _("Admitted in the year"),
    "deceased": _("Deceased"),
    "removed": _("Removed from the roll"),
    "expelled": _("Expelled"),
    "left": _("Left the party"),
}
FIGURES = {**AT_END, **FLOWS}


def members_behind(
    node: OrganizationNode, figure: str, first: datetime.date, end: datetime.date
) -> QuerySet[Member]:
    """Members counted in `figure` of the report of `node` for `first`..`end`."""
    start = first - datetime.timedelta(days=1)
    nodes = subtree_nodes(node, start, end)
    home = Membership.objects.filter(kind=MembershipKind.HOME)
    members = Member.objects.select_related("branch").order_by("sort_key", "member_number")
    if figure in AT_END:
        # Only the branches still in the subtree at the end: a province's full list of
        # branch ids, twice, took longer to plan than the page took to run.
        at_end = [n.id for n in nodes.values() if n.is_branch and n.at_end]
        on_end = home.on(end).filter(branch_id__in=at_end)
        members = members.filter(pk__in=on_end.values("member_id"))
        filters = {
            "total": Q(),
            "official": Q(official_date__lte=end),
            "probationary": Q(official_date__isnull=True) | Q(official_date__gt=end),
            "women": Q(gender=Gender.FEMALE),
            "minorities": ~Q(ethnicity=Ethnicity.KINH),
            "religious": ~Q(religion=Religion.NONE),
        }
        if figure in filters:
            return members.filter(filters[figure])
        if figure == "exempted":
            return members.alias(exemption=latest_exemption(end, "pk")).filter(
                exemption=EventKind.EXEMPTED
            )
        return members.in_age_band(figure.removeprefix("age_"), end)
    branches = [n.id for n in nodes.values() if n.is_branch]
    if figure == "admitted":
        first_rows = admissions(start, end).filter(branch_id__in=branches)
        return members.filter(pk__in=first_rows.values("member_id"))
    home = home.filter(branch_id__in=branches)
    ended = home.filter(member_id=OuterRef("member_id"), end_date=OuterRef("date"))
    events = StatusEvent.objects.filter(
        Exists(ended), kind=EXITS[figure], date__gt=start, date__lte=end
    )
    return members.filter(pk__in=events.values("member_id"))
