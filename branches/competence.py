"""Who decides what: the level of the party that decides each workflow step, and whether
a user's role lets them record it.

A branch proposes, the grassroots committee resolves, the committee directly above
grassroots organizations decides (DOMAIN.md §11), unless it delegated the decision to the
grassroots committee (branches.models.Delegation) for the day in question. A role on a
node records what that node's level decides for the nodes of its subtree; an officer above
the deciding body may record the step on its behalf, and every history row written for it
says so.
"""

import contextlib
import contextvars
import dataclasses
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.signals import pre_create_historical_record

from branches.enums import GRASSROOTS_KINDS, DelegatedStep, NodeKind
from branches.models import Delegation, OrganizationNode
from branches.queries import require_write, role_of


class Level(models.IntegerChoices):
    BRANCH = 1, gettext_lazy("Branch")
    GRASSROOTS = 2, gettext_lazy("Grassroots committee")
    SUPERIOR = 3, gettext_lazy("Committee above grassroots organizations")


class Step(models.TextChoices):
    # Admission and probation
    CANDIDATE_FILE = "candidate_file", gettext_lazy("Candidate file and dossier")
    ADMISSION_VOTE = "admission_vote", gettext_lazy("Branch resolution on admission")
    ADMISSION_RESOLUTION = (
        "admission_resolution",
        gettext_lazy("Grassroots resolution on admission"),
    )
    ADMISSION_DECISION = "admission_decision", gettext_lazy("Admission decision")
    CEREMONY = "ceremony", gettext_lazy("Admission ceremony")
    CONVERSION_VOTE = "conversion_vote", gettext_lazy("Branch resolution on conversion")
    CONVERSION_DECISION = "conversion_decision", gettext_lazy("Conversion decision")
    PROBATION_REMOVAL_PROPOSAL = (
        "probation_removal_proposal",
        gettext_lazy("Proposal to remove a probationary member"),
    )
    # Member lifecycle
    EXEMPTION = "exemption", gettext_lazy("Exemption and resumption")
    DEATH = "death", gettext_lazy("Recording a death")
    TRANSFER_WITHIN = (
        "transfer_within",
        gettext_lazy("Transfer inside a grassroots organization, or temporary"),
    )
    TRANSFER_BETWEEN = (
        "transfer_between",
        gettext_lazy("Official transfer between grassroots organizations"),
    )
    DISCIPLINE_EXIT = "discipline_exit", gettext_lazy("Removal, expulsion, leaving the party")
    READMISSION = "readmission", gettext_lazy("Readmission")
    # Evaluations
    MEMBER_EVALUATION = "member_evaluation", gettext_lazy("Branch appraisal of its members")
    ORGANIZATION_EVALUATION = (
        "organization_evaluation",
        gettext_lazy("Evaluation of the organizations below"),
    )
    # Officers
    POSITIONS = "positions", gettext_lazy("Officers and concurrent roles")
    # The tree
    NODE_FORM = "node_form", gettext_lazy("New sub-organization and restructuring")


# The one table of competence: which level decides each step.
DECIDED_BY: dict[str, Level] = {
    Step.CANDIDATE_FILE: Level.BRANCH,
    Step.ADMISSION_VOTE: Level.BRANCH,
    Step.ADMISSION_RESOLUTION: Level.GRASSROOTS,
    Step.ADMISSION_DECISION: Level.SUPERIOR,
    Step.CEREMONY: Level.BRANCH,
    Step.CONVERSION_VOTE: Level.BRANCH,
    Step.CONVERSION_DECISION: Level.SUPERIOR,
    Step.PROBATION_REMOVAL_PROPOSAL: Level.BRANCH,
    Step.EXEMPTION: Level.BRANCH,
    Step.DEATH: Level.BRANCH,
    Step.TRANSFER_WITHIN: Level.GRASSROOTS,
    Step.TRANSFER_BETWEEN: Level.SUPERIOR,
    Step.DISCIPLINE_EXIT: Level.SUPERIOR,
    Step.READMISSION: Level.SUPERIOR,
    Step.MEMBER_EVALUATION: Level.BRANCH,
    Step.ORGANIZATION_EVALUATION: Level.GRASSROOTS,
    Step.NODE_FORM: Level.SUPERIOR,
    # Kept by the organization itself (a party cell's by its branch); those above may
    # record them on its behalf.
    Step.POSITIONS: Level.BRANCH,
}

# The highest level each kind of node decides at. A grassroots branch is its own
# grassroots organization; a commune-level committee is the grassroots committee of the
# branches directly under it and the committee above the grassroots organizations in it.
LEVEL_OF_KIND: dict[str, int] = {
    NodeKind.PARTY_CELL: 0,
    NodeKind.BRANCH: Level.BRANCH,
    NodeKind.PARTIAL_COMMITTEE: Level.BRANCH,
    NodeKind.GRASSROOTS_BRANCH: Level.GRASSROOTS,
    NodeKind.GRASSROOTS_COMMITTEE: Level.GRASSROOTS,
    NodeKind.COMMUNE_COMMITTEE: Level.SUPERIOR,
    NodeKind.DISTRICT_COMMITTEE: Level.SUPERIOR,
    NodeKind.PROVINCE_COMMITTEE: Level.SUPERIOR,
}


def _line(node: OrganizationNode) -> list[OrganizationNode]:
    """The node and its ancestors, nearest first (one query)."""
    return [node, *reversed(OrganizationNode.objects.get_ancestors(node))]


def _body(
    step: str, line: list[OrganizationNode], day: datetime.date | None = None
) -> OrganizationNode | None:
    level = DECIDED_BY[step]
    body = next((n for n in line if LEVEL_OF_KIND[n.kind] >= level), None)
    if body is None or step not in DelegatedStep.values:
        return body
    grassroots = [n for n in line if n.kind in GRASSROOTS_KINDS]
    delegate = (
        Delegation.objects.on(day or timezone.localdate())
        .filter(step=step, delegating=body, delegate__in=grassroots)
        .values_list("delegate_id", flat=True)
        .first()
    )
    return next((n for n in grassroots if n.pk == delegate), body)


def deciding_body(
    step: str, node: OrganizationNode, day: datetime.date | None = None
) -> OrganizationNode | None:
    """The organization that decides `step` for `node` on `day` (today by default): the
    nearest of the node and its ancestors whose kind decides at the step's level, or the
    grassroots committee it delegated the step to for that day (None when the tree has
    none)."""
    return _body(step, _line(node), day)


def delegates_of(body: OrganizationNode, step: str):
    """The grassroots organizations under `body` whose `step` it decides, to which it may
    delegate it (two queries): those with no committee of its level between them and it."""
    below = OrganizationNode.objects.filter(path__startswith=body.path).exclude(pk=body.pk)
    levels = [kind for kind, level in LEVEL_OF_KIND.items() if level >= DECIDED_BY[step]]
    deciding_below = list(below.filter(kind__in=levels).values_list("path", flat=True))
    return [
        node
        for node in below.filter(kind__in=GRASSROOTS_KINDS).order_by("name")
        if not any(node.path.startswith(path) for path in deciding_below)
    ]


def transfer_step(from_branch: OrganizationNode, to_branch, *, official: bool) -> str:
    """An official transfer that leaves the grassroots organization (to another one, or
    out of the system) is decided above it; the rest by the grassroots committee."""
    if not official:
        return Step.TRANSFER_WITHIN
    within = Step.TRANSFER_WITHIN
    if to_branch is not None and deciding_body(within, to_branch) == deciding_body(
        within, from_branch
    ):
        return within
    return Step.TRANSFER_BETWEEN


@dataclasses.dataclass(frozen=True)
class Competence:
    allowed: bool
    body: OrganizationNode | None
    on_behalf: bool

    @property
    def note(self) -> str:
        """What the history rows of a step recorded on behalf say."""
        if not self.on_behalf or self.body is None:
            return ""
        return _("On behalf of %(body)s") % {"body": self.body.name}


def competence(user, step: str, node: OrganizationNode, *, ancestors=None) -> Competence:
    """Whether `user` may record `step` for `node` (a node they see), and on whose behalf.

    Allowed to a writing role on the deciding body or above it; above it (and for
    superusers) the step is recorded on the body's behalf. A page that has read the
    node's `ancestors` (root first) passes them to save the query.
    """
    line = _line(node) if ancestors is None else [node, *reversed(ancestors)]
    return _competence(user, _body(step, line))


def recordable(user, steps, node: OrganizationNode) -> set[str]:
    """Those of `steps` that `user` may record for `node`, with one query for the tree."""
    line = _line(node)
    return {step for step in steps if _competence(user, _body(step, line)).allowed}


def _competence(user, body: OrganizationNode | None) -> Competence:
    if user.is_superuser:
        return Competence(allowed=True, body=body, on_behalf=body is not None)
    role = role_of(user)
    if body is None or role is None or not role.can_write:
        return Competence(allowed=False, body=body, on_behalf=False)
    allowed = body.path.startswith(role.node.path)
    return Competence(allowed=allowed, body=body, on_behalf=allowed and body.pk != role.node_id)


def require_competence(user, step: str, node: OrganizationNode) -> Competence:
    """403 for read-only roles and for a step decided above the user's node; call after
    the object was found in the user's scope."""
    require_write(user)
    found = competence(user, step, node)
    if not found.allowed:
        raise PermissionDenied
    return found


def check_competence(user, step: str, node: OrganizationNode) -> Competence:
    """Like require_competence, for a step that depends on what a form says: a clear
    message (a ValidationError) instead of a 403."""
    found = competence(user, step, node)
    if not found.allowed:
        raise ValidationError(
            _("%(step)s is decided by %(body)s; your role does not record it.")
            % {
                "step": Step(step).label,
                "body": found.body.name if found.body else DECIDED_BY[step].label,
            }
        )
    return found


_on_behalf_note: contextvars.ContextVar[str] = contextvars.ContextVar("on_behalf_note", default="")


@contextlib.contextmanager
def recording(found: Competence):
    """Mark every history row written inside the block as recorded on behalf of the
    deciding body, when it is."""
    token = _on_behalf_note.set(found.note)
    try:
        yield
    finally:
        _on_behalf_note.reset(token)


@receiver(pre_create_historical_record)
def _mark_on_behalf(sender, history_instance, **kwargs):
    note = _on_behalf_note.get()
    if note and not history_instance.history_change_reason:
        max_length = sender._meta.get_field("history_change_reason").max_length
        history_instance.history_change_reason = note[:max_length]
