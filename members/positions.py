"""Posts and concurrent roles held over a period (Position): the committee and officers of
an organization, and the village head and head of the front work committee of a village
or residential group. Pages and imports appoint and end them through these functions.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.enums import PARTY_POSITIONS, PositionRole
from members.models import Membership, Position
from partyorg.dated import last_day, overlap

AREA_ROLES = {PositionRole.VILLAGE_HEAD, PositionRole.FRONT_COMMITTEE_HEAD}
# Posts one person holds at a time on a place; a committee has several members and may
# have several deputies.
SINGLE_HOLDER = {
    PositionRole.SECRETARY,
    PositionRole.VILLAGE_HEAD,
    PositionRole.FRONT_COMMITTEE_HEAD,
}


def place_of(position: Position):
    return position.node if position.role in PARTY_POSITIONS else position.residential_area


def _clashes(position: Position, other: Position) -> bool:
    same_place = (
        other.role == position.role
        and other.node_id == position.node_id
        and other.residential_area_id == position.residential_area_id
    )
    if not same_place or (
        other.member_id != position.member_id and position.role not in SINGLE_HOLDER
    ):
        return False
    return overlap(position.start_date, position.end_date, other.start_date, other.end_date)


def _clash_message(position: Position, other: Position) -> str:
    if other.member_id == position.member_id:
        return _("The member already holds this post from %(start)s.") % {
            "start": other.start_date.strftime("%d/%m/%Y")
        }
    return _("%(name)s holds this post from %(start)s; end that term first.") % {
        "name": other.member.full_name,
        "start": other.start_date.strftime("%d/%m/%Y"),
    }


def position_errors(position: Position, *, also=(), replaced=frozenset()) -> dict[str, list[str]]:
    """The rule errors of a post about to be saved, by field. `also`: posts not yet saved
    (the other rows of an import) that it must not clash with either; `replaced`: ids of
    stored posts that `also` holds as they will be."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    if position.role in PARTY_POSITIONS:
        if position.node is None or position.residential_area_id is not None:
            add("node", _("A party post is held in an organization."))
    elif position.residential_area is None or position.node_id is not None:
        add("residential_area", _("This role is held in a village or residential group."))
    if position.end_date and position.end_date < position.start_date:
        add("end_date", _("The term cannot end before it starts."))
    if errors:
        return errors
    member = position.member
    if position.start_date < member.admission_date and position.role in PARTY_POSITIONS:
        add("start_date", _("A party post starts after the member's admission."))
    if position.role in PARTY_POSITIONS:
        node = position.node
        inside = (
            Membership.objects.on(position.start_date)
            .filter(member=member, branch__path__startswith=node.path)
            .exists()
        )
        if not inside:
            add(
                "member",
                _("On %(day)s the member was not in %(name)s or an organization below it.")
                % {"day": position.start_date.strftime("%d/%m/%Y"), "name": node.name},
            )
    if position.node_id:
        place = {"node": position.node}
    else:
        place = {"residential_area": position.residential_area}
    stored = (
        Position.objects.filter(role=position.role, **place)
        .during(position.start_date, last_day(position.start_date, position.end_date))
        .exclude(pk__in={position.pk, *replaced} - {None})
        .select_related("member")
    )
    for other in [*stored, *(p for p in also if p is not position)]:
        if _clashes(position, other):
            add("start_date", _clash_message(position, other))
            break
    return errors


def _save(position: Position, by) -> Position:
    errors = position_errors(position)
    if errors:
        raise ValidationError(errors)
    position.full_clean()
    if by is not None:
        position._history_user = by
    position.save()
    return position


@transaction.atomic
def appoint(
    member,
    role: str,
    *,
    start: datetime.date,
    node=None,
    residential_area=None,
    end: datetime.date | None = None,
    document_number: str = "",
    by=None,
) -> Position:
    """Record that `member` holds `role` from `start` (until `end` when known).

    Effects: a Position row and its history row with `by`; refused (ValidationError) when
    the place does not fit the role, or the post is held by someone else then.
    """
    position = Position(
        member=member,
        role=role,
        node=node,
        residential_area=residential_area,
        start_date=start,
        end_date=end,
        document_number=document_number,
    )
    return _save(position, by)


@transaction.atomic
def end_term(position: Position, *, on: datetime.date, by=None) -> Position:
    """End a post on `on` (its first day out of office).

    Effects: the Position's end date and a history row with `by`.
    """
    position.end_date = on
    return _save(position, by)


@transaction.atomic
def save_positions(positions: list[Position], *, by=None) -> None:
    """Store new and changed posts (an import's rows), each checked as it is saved; the
    ends of terms first, so that a successor's term finds the post free."""
    for position in sorted(positions, key=lambda p: p.pk is None):
        _save(position, by)
