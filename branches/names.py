"""The name and kind a node had on a day: its NodeName row covering the day, else the
node's own (present) name and kind. As expressions, so a query of nodes (or of rows
pointing to nodes) reads them without a query more."""

import datetime

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from branches.models import NodeName


def _on(field: str, day: datetime.date, node: str):
    # In the order of the unique index on (node, valid_to), so that reading a province's
    # thousands of nodes sorts none of their names (the periods do not overlap).
    past = (
        NodeName.objects.on(day)
        .filter(node_id=OuterRef(f"{node}_id" if node else "pk"))
        .order_by("valid_to")
    )
    return Coalesce(Subquery(past.values(field)[:1]), F(f"{node}__{field}" if node else field))


def name_on(day: datetime.date, node: str = ""):
    """The name on `day` of the node a query reads (or of its foreign key `node`)."""
    return _on("name", day, node)


def kind_on(day: datetime.date, node: str = ""):
    """The kind on `day` of the node a query reads (or of its foreign key `node`)."""
    return _on("kind", day, node)
