"""Who signs a document: the holder of the issuing body's secretary post on the issue day,
or a deputy signing for the secretary ("K/T BÍ THƯ / PHÓ BÍ THƯ")."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from branches.models import OrganizationNode
from members.enums import PositionRole
from members.models import Position
from papers.enums import SignerCapacity

CAPACITY_OF_ROLE = {
    PositionRole.SECRETARY: SignerCapacity.SECRETARY,
    PositionRole.DEPUTY_SECRETARY: SignerCapacity.DEPUTY,
}


@dataclass(frozen=True)
class Signature:
    lines: tuple[str, ...]
    name: str


def holders(node: OrganizationNode, day: datetime.date) -> QuerySet[Position]:
    """The secretary and deputy secretaries of `node` on `day`, the secretary first."""
    return (
        Position.objects.on(day)
        .filter(node=node, role__in=CAPACITY_OF_ROLE)
        .select_related("member")
        .order_by("-role", "member__full_name")  # "secretary" sorts after "deputy_…"
    )


def signature(signs_for: str, capacity: str, name: str, title: str = "") -> Signature:
    if capacity == SignerCapacity.DEPUTY:
        return Signature((signs_for, "K/T BÍ THƯ", "PHÓ BÍ THƯ"), name)
    if capacity == SignerCapacity.OTHER:
        return Signature((signs_for, title.upper()), name)
    return Signature((signs_for, "BÍ THƯ"), name)
