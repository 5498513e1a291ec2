"""Delegations (ủy quyền): a committee above grassroots organizations hands a decision to a
grassroots committee under it, from a date, by a document, until it ends the delegation.
branches.competence reads them; these functions record them."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from branches import competence
from branches.models import Delegation, OrganizationNode


@transaction.atomic
def delegate(
    delegating: OrganizationNode,
    *,
    delegate: OrganizationNode,
    step: str,
    document: str,
    start_date: datetime.date,
    by,
) -> Delegation:
    """Record that `delegating` delegates `step` to the grassroots organization `delegate`
    from `start_date`, by `document`.

    Refused (ValidationError, nothing saved): a delegate whose `step` `delegating` does not
    decide; a delegation of the step to it that runs on or after `start_date`. Effects: the
    Delegation row and its history row naming `by`.
    """
    if delegate not in competence.delegates_of(delegating, step):
        raise ValidationError(
            {
                "delegate": _("%(body)s does not decide this for %(delegate)s.")
                % {"body": delegating.name, "delegate": delegate.name}
            }
        )
    running = Delegation.objects.filter(delegate=delegate, step=step).during(
        start_date, datetime.date.max
    )
    if running.exists():
        raise ValidationError(
            {
                "start_date": _(
                    "%(delegate)s already holds this delegation on or after that day; end it first."
                )
                % {"delegate": delegate.name}
            }
        )
    delegation = Delegation(
        delegating=delegating,
        delegate=delegate,
        step=step,
        document=document,
        start_date=start_date,
    )
    delegation._history_user = by
    delegation.save()
    return delegation


@transaction.atomic
def end_delegation(delegation: Delegation, *, on: datetime.date, by) -> Delegation:
    """End `delegation` on `on` (its last day is the day before): from then the committee
    above decides again. Refused: a day before its start, or a delegation already ended."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if delegation.end_date is not None:
        raise ValidationError(_("This delegation has already ended."))
    if on < delegation.start_date:
        raise ValidationError(
            {
                "end_date": _("A delegation cannot end before it starts (%(day)s).")
                % {"day": f"{delegation.start_date:%d/%m/%Y}"}
            }
        )
    delegation.end_date = on
    delegation._history_user = by
    delegation.save(update_fields=["end_date"])
    return delegation
