"""Yearly admission targets of the organizations."""

from django.db import transaction

from admission.domain.common import save_by
from admission.models import (
    AdmissionTarget,
)
from branches.models import OrganizationNode


@transaction.atomic
def set_target(node: OrganizationNode, *, year: int, target: int, by=None) -> AdmissionTarget:
    """Set how many admissions `node` plans for `year`.

    Effects: the AdmissionTarget row is created or changed (history kept).
    """
    row = AdmissionTarget.objects.filter(node=node, year=year).first() or AdmissionTarget(
        node=node, year=year
    )
    row.target = target
    row.full_clean()
    return save_by(row, by)
