"""The members behind a number of the report: who was counted, from the same dated rows."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from admission.queries import admissions
from branches.enums import BRANCH_KINDS
from branches.models import NodePlacement, OrganizationNode
from branches.queries import subtree_placements
from members.enums import AgeBand, Ethnicity, EventKind, Gender, MembershipKind, Religion
from members.exemptions import exempted_on
from members.models import Member, Membership, StatusEvent
from members.queries import official_on

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
    members = Member.objects.select_related("branch").order_by("sort_key", "member_number")
    windows = subtree_placements(node.placements.all(), start, end)
    if windows is None:
        return members.none()
    # The branches as subqueries, as the report's sections take them: a province's 8,000
    # branch ids written into the query took longer to build than the query to run.
    branches = NodePlacement.objects.filter(windows, node__kind__in=BRANCH_KINDS).values("node_id")
    home = Membership.objects.filter(kind=MembershipKind.HOME)
    if figure in AT_END:
        on_end = home.on(end).filter(branch_id__in=branches.on(end))
        members = members.filter(pk__in=on_end.values("member_id"))
        filters = {
            "total": Q(),
            "official": official_on(end),
            "probationary": ~official_on(end),
            "women": Q(gender=Gender.FEMALE),
            "minorities": ~Q(ethnicity=Ethnicity.KINH),
            "religious": ~Q(religion=Religion.NONE),
        }
        if figure in filters:
            return members.filter(filters[figure])
        if figure == "exempted":
            return members.filter(pk__in=exempted_on(end))
        return members.in_age_band(figure.removeprefix("age_"), end)
    if figure == "admitted":
        first_rows = admissions(start, end).filter(branch_id__in=branches)
        return members.filter(pk__in=first_rows.values("member_id"))
    home = home.filter(branch_id__in=branches)
    ended = home.filter(member_id=OuterRef("member_id"), end_date=OuterRef("date"))
    events = StatusEvent.objects.filter(
        Exists(ended), kind=EXITS[figure], date__gt=start, date__lte=end
    )
    # A year's exits are a few dozen members; as a subquery PostgreSQL expected a hundred
    # thousand and walked the whole name index to fill a page (0.3 s for a province).
    return members.filter(pk__in=list(events.values_list("member_id", flat=True)))
