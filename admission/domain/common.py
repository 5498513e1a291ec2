"""What every admission step shares: checks of dates and stages, the row lock, saving
with the user for the history, and the counts the rules are applied to."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.enums import (
    BEFORE_CONVERSION_VOTE_DOCUMENTS,
    BEFORE_VOTE_DOCUMENTS,
    DocumentCode,
    IntroducerKind,
)
from admission.models import (
    Candidate,
    DossierDocument,
)
from branches import competence
from branches.enums import COMMITTEE_KINDS, GRASSROOTS_KINDS
from branches.models import OrganizationNode
from members.enums import EventKind, MembershipKind
from members.exemptions import latest_exemption
from members.models import Member, Membership, StatusEvent
from members.queries import official_on
from partyorg import registers

# Events after which a member no longer counts in a branch vote (transfers end the membership).
_OUT_OF_PARTY = [EventKind.REMOVED, EventKind.EXPELLED, EventKind.LEFT, EventKind.DECEASED]


def save_by(obj, by, **kwargs):
    if by is not None:
        obj._history_user = by
    obj.save(**kwargs)
    return obj


def issued_number(
    number: str, node, *, code: str, on: datetime.date, summary: str, by, signer=None
) -> str:
    """`number` as typed, for a document issued outside the app (entered from paper); left
    empty, the app issues the document: the next number of `node`'s register for the year
    of `on`, signed by the holder of its secretary post on `on`, or when nobody holds it by
    `signer` (a partyorg.registers.ChosenSigner; without one, a ValidationError on
    "signer")."""
    if number.strip():
        return number.strip()
    return registers.issue_number(node, code=code, on=on, summary=summary, by=by, signer=signer)


def check_not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def check_not_before(day: datetime.date, earlier: datetime.date | None, field: str, what) -> None:
    if earlier and day < earlier:
        raise ValidationError(
            {
                field: _("This date is before %(what)s (%(day)s).")
                % {"what": what, "day": f"{earlier:%d/%m/%Y}"}
            }
        )


def require_stage(candidate: Candidate, *stages: str) -> None:
    if candidate.stage not in stages:
        raise ValidationError(
            _("This step is not possible while the file is at “%(stage)s”.")
            % {"stage": candidate.get_stage_display()}
        )


def lock_file(candidate: Candidate) -> Candidate:
    """Lock the file's row for the step and read it afresh into the caller's instance."""
    list(Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("pk"))
    candidate.refresh_from_db()
    return candidate


def record_document(candidate, *, code, number, date, by, note="") -> DossierDocument:
    document = candidate.documents.filter(code=code).first() or DossierDocument(
        candidate=candidate, code=code
    )
    document.number, document.date, document.note, document.checked_by = number, date, note, by
    return save_by(document, by)


def advance(candidate: Candidate, stage: str, by, fields: list[str]) -> None:
    candidate.stage = stage
    save_by(candidate, by, update_fields=[*fields, "stage"])


def _official_members(branch: OrganizationNode, on: datetime.date) -> QuerySet:
    """Ids of the official members whose home membership in `branch` covers `on`, from
    the dated rows."""
    left = StatusEvent.objects.filter(
        member=OuterRef("member"), kind__in=_OUT_OF_PARTY, date__lte=on
    )
    return (
        Membership.objects.on(on)
        .filter(official_on(on, "member__"), branch=branch, kind=MembershipKind.HOME)
        .exclude(Exists(left))
        .values("member")
        .distinct()
    )


def official_members_on(branch: OrganizationNode, on: datetime.date) -> int:
    return _official_members(branch, on).count()


def away_on(branch: OrganizationNode, on: datetime.date) -> int:
    """Official members of `branch` active elsewhere on a temporary transfer on `on`."""
    return (
        Membership.objects.on(on)
        .filter(member__in=_official_members(branch, on), kind=MembershipKind.TEMPORARY)
        .exclude(branch=branch)
        .values("member")
        .distinct()
        .count()
    )


def exempted_on(branch: OrganizationNode, on: datetime.date) -> int:
    """Official members of `branch` exempted from party work on `on`."""
    return (
        Member.objects.filter(pk__in=_official_members(branch, on))
        .annotate(last_change=latest_exemption(on, "pk"))
        .filter(last_change=EventKind.EXEMPTED)
        .count()
    )


def two_thirds_agree(agreeing: int, base: int) -> bool:
    return base > 0 and agreeing * 3 >= base * 2


def grassroots_of(branch: OrganizationNode) -> OrganizationNode:
    """The grassroots organization a branch belongs to (itself for a grassroots branch)."""
    if branch.kind in GRASSROOTS_KINDS:
        return branch
    ancestors = OrganizationNode.objects.get_ancestors(branch).filter(kind__in=GRASSROOTS_KINDS)
    return ancestors.last() or OrganizationNode.objects.get_parent(branch)


def deciding_bodies(
    branch: OrganizationNode,
    step: str = competence.Step.ADMISSION_DECISION,
    day: datetime.date | None = None,
):
    """Committees that may sign the admission or conversion decision (`step`) for the
    branch on `day` (today by default), nearest first: the committee competent for it
    (branches.competence, which knows delegations) and those above it."""
    body = competence.deciding_body(step, branch, day)
    if body is None:
        return OrganizationNode.objects.none()
    line = [*OrganizationNode.objects.get_ancestors(body), body]
    return OrganizationNode.objects.filter(
        pk__in=[node.pk for node in line], kind__in=COMMITTEE_KINDS
    ).order_by("-depth")


def missing_before_vote(candidate: Candidate, held: set[str]) -> list[str]:
    youth = any(
        i.kind == IntroducerKind.YOUTH_UNION and i.released_on is None
        for i in candidate.introducers.all()
    )
    return [
        code
        for code in BEFORE_VOTE_DOCUMENTS
        if code not in held and (youth or code != DocumentCode.YOUTH_UNION_INTRODUCTION)
    ]


def missing_before_conversion_vote(held: set[str]) -> list[str]:
    """The conversion dossier forms not yet on file."""
    return [code for code in BEFORE_CONVERSION_VOTE_DOCUMENTS if code not in held]


def check_documents_held(missing: list[str], message) -> None:
    """Refuse a vote while forms are missing, naming every one of them."""
    if missing:
        raise ValidationError(
            message % {"forms": ", ".join(str(DocumentCode(code).label) for code in missing)}
        )
