"""Every step of an admission file, from identified candidate to official member.

Each step checks the rules of its time, runs in one transaction, leaves dated rows and a
history record with the user, and moves the cached `stage` of the candidate.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.deadlines import WorkCalendar, decision_due, passed_vote, probation_end
from admission.enums import (
    AWAITING_DECISION,
    BEFORE_VOTE_DOCUMENTS,
    CANDIDATE_STAGES,
    STEP_DOCUMENTS,
    DocumentCode,
    IntroducerKind,
    Stage,
    VoteKind,
)
from admission.models import (
    AdmissionDecision,
    AdmissionTarget,
    BranchVote,
    Candidate,
    DossierDocument,
    GrassrootsResolution,
    Introducer,
)
from admission.rules import (
    course_valid_until,
    eligibility_problems,
    introducer_problems,
    rule_on,
)
from branches.enums import COMMITTEE_KINDS, GRASSROOTS_KINDS
from branches.models import OrganizationNode
from members import domain as members_domain
from members.enums import EventKind, MembershipKind
from members.models import Member, Membership, StatusEvent
from partyorg.locking import check_unchanged

# Events after which a member no longer counts in a branch vote (transfers end the membership).
_OUT_OF_PARTY = [EventKind.REMOVED, EventKind.EXPELLED, EventKind.LEFT, EventKind.DECEASED]


def _save(obj, by, **kwargs):
    if by is not None:
        obj._history_user = by
    obj.save(**kwargs)
    return obj


def _check_not_future(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _check_not_before(day: datetime.date, earlier: datetime.date | None, field: str, what) -> None:
    if earlier and day < earlier:
        raise ValidationError(
            {
                field: _("This date is before %(what)s (%(day)s).")
                % {"what": what, "day": f"{earlier:%d/%m/%Y}"}
            }
        )


def _require_stage(candidate: Candidate, *stages: str) -> None:
    if candidate.stage not in stages:
        raise ValidationError(
            _("This step is not possible while the file is at “%(stage)s”.")
            % {"stage": candidate.get_stage_display()}
        )


def _lock(candidate: Candidate) -> Candidate:
    """Lock the file's row for the step and read it afresh into the caller's instance."""
    list(Candidate.objects.select_for_update().filter(pk=candidate.pk).values_list("pk"))
    candidate.refresh_from_db()
    return candidate


def _record_document(candidate, *, code, number, date, by, note="") -> DossierDocument:
    document = candidate.documents.filter(code=code).first() or DossierDocument(
        candidate=candidate, code=code
    )
    document.number, document.date, document.note, document.checked_by = number, date, note, by
    return _save(document, by)


def _advance(candidate: Candidate, stage: str, by, fields: list[str]) -> None:
    candidate.stage = stage
    _save(candidate, by, update_fields=[*fields, "stage"])


def official_members_on(branch: OrganizationNode, on: datetime.date) -> int:
    """Official members whose home membership in `branch` covers `on`, from the dated rows."""
    left = StatusEvent.objects.filter(
        member=OuterRef("member"), kind__in=_OUT_OF_PARTY, date__lte=on
    )
    return (
        Membership.objects.filter(
            branch=branch,
            kind=MembershipKind.HOME,
            start_date__lte=on,
            member__official_date__lte=on,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .exclude(Exists(left))
        .values("member")
        .distinct()
        .count()
    )


def two_thirds_agree(agreeing: int, official_members: int) -> bool:
    return official_members > 0 and agreeing * 3 >= official_members * 2


def grassroots_of(branch: OrganizationNode) -> OrganizationNode:
    """The grassroots organization a branch belongs to (itself for a grassroots branch)."""
    if branch.kind in GRASSROOTS_KINDS:
        return branch
    ancestors = OrganizationNode.objects.get_ancestors(branch).filter(kind__in=GRASSROOTS_KINDS)
    return ancestors.last() or OrganizationNode.objects.get_parent(branch)


def deciding_bodies(branch: OrganizationNode):
    """Committees above the branch that may sign an admission decision, nearest first."""
    ancestors = OrganizationNode.objects.get_ancestors(branch)
    return ancestors.filter(kind__in=COMMITTEE_KINDS).order_by("-depth")


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


@transaction.atomic
def identify_candidate(candidate: Candidate, *, by=None) -> Candidate:
    """Open the file of an outstanding non-member identified by a branch.

    Effects: the Candidate row at stage "identified"; a history row. Checks the branch,
    the dates and the eligibility rules that already apply (over 60, education).
    """
    if not candidate.branch.is_branch or not candidate.branch.is_active:
        raise ValidationError({"branch": _("Choose an active branch.")})
    _check_not_future(candidate.identified_on, "identified_on")
    problems = eligibility_problems(candidate, candidate.identified_on, at_vote=False)
    if problems:
        raise ValidationError(problems)
    candidate.stage = Stage.IDENTIFIED
    candidate.full_clean()
    return _save(candidate, by)


@transaction.atomic
def update_candidate(candidate: Candidate, *, version: str | None = None, by=None) -> Candidate:
    """Save corrected personal data of a candidate.

    Effects: the Candidate row and a history row. The eligibility rules are checked again.
    `version` (partyorg.locking.history_version when the form was opened) refuses the save
    when someone changed the file since.
    """
    check_unchanged(candidate, version)
    if candidate.stage in CANDIDATE_STAGES:
        problems = eligibility_problems(candidate, timezone.localdate(), at_vote=False)
        if problems:
            raise ValidationError(problems)
    candidate.full_clean()
    return _save(candidate, by)


@transaction.atomic
def record_course(
    candidate: Candidate, *, course_date: datetime.date, certificate_number: str, by=None
) -> Candidate:
    """Record the party-awareness course (certificate valid 5 years).

    Effects: course date and certificate number on the file; the CN-NTVĐ checklist row;
    stage "identified" -> "course completed" (later stages keep their stage, as a renewed
    certificate may be entered before the vote).
    """
    candidate = _lock(candidate)
    _require_stage(candidate, *CANDIDATE_STAGES)
    _check_not_future(course_date, "course_date")
    candidate.course_date = course_date
    candidate.course_certificate = certificate_number
    _record_document(
        candidate,
        code=DocumentCode.COURSE_CERTIFICATE,
        number=certificate_number,
        date=course_date,
        by=by,
    )
    stage = Stage.TRAINED if candidate.stage == Stage.IDENTIFIED else candidate.stage
    _advance(candidate, stage, by, ["course_date", "course_certificate"])
    return candidate


@transaction.atomic
def assign_introducers(
    candidate: Candidate, *, on: datetime.date, introducers: list[Introducer], by=None
) -> list[Introducer]:
    """Assign the two who help and introduce the candidate.

    Effects: introducers assigned before are released on `on`; the new Introducer rows;
    stage "course completed" -> "introducers assigned".
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.TRAINED, Stage.INTRODUCED, Stage.VERIFIED)
    _check_not_future(on, "on")
    _check_not_before(on, candidate.identified_on, "on", _("the candidate was identified"))
    problems = introducer_problems(candidate, introducers, on)
    if problems:
        raise ValidationError(problems)
    for current in candidate.introducers.filter(released_on__isnull=True):
        current.released_on = on
        _save(current, by)
    for introducer in introducers:
        introducer.candidate = candidate
        introducer.assigned_on = on
        introducer.full_clean()
        _save(introducer, by)
    if candidate.stage == Stage.TRAINED:
        _advance(candidate, Stage.INTRODUCED, by, [])
    return introducers


@transaction.atomic
def check_document(
    candidate: Candidate,
    *,
    code: str,
    number: str = "",
    date: datetime.date,
    note: str = "",
    by=None,
) -> DossierDocument:
    """Record that a dossier form is on file and was checked, with its number and date.

    Effects: the checklist row of that form is created or corrected (history kept).
    """
    candidate = _lock(candidate)
    if candidate.stage in {Stage.OFFICIAL, Stage.REMOVAL_PROPOSED}:
        _require_stage(candidate, *CANDIDATE_STAGES)
    if code in STEP_DOCUMENTS:
        raise ValidationError({"code": _("This document is recorded by its own step.")})
    _check_not_future(date, "date")
    _check_not_before(date, candidate.date_of_birth, "date", _("the date of birth"))
    return _record_document(candidate, code=code, number=number, date=date, note=note, by=by)


@transaction.atomic
def record_verification(
    candidate: Candidate, *, on: datetime.date, number: str = "", findings: str = "", by=None
) -> Candidate:
    """Record the background verification of the candidate.

    Effects: verification date and findings; the verification checklist row; stage
    "introducers assigned" -> "background verified".
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.INTRODUCED, Stage.VERIFIED)
    _check_not_future(on, "on")
    _check_not_before(on, candidate.identified_on, "on", _("the candidate was identified"))
    candidate.verified_on = on
    candidate.verification_note = findings
    _record_document(candidate, code=DocumentCode.VERIFICATION, number=number, date=on, by=by)
    _advance(candidate, Stage.VERIFIED, by, ["verified_on", "verification_note"])
    return candidate


@transaction.atomic
def record_branch_vote(
    candidate: Candidate,
    *,
    on: datetime.date,
    agreeing: int,
    disagreeing: int,
    resolution_number: str = "",
    by=None,
) -> BranchVote:
    """Record the branch's vote on admitting the candidate.

    Checks again, on the vote date: age and education, the course certificate, the
    documents the branch must hold. Counts the branch's official members on that date.
    Effects: the BranchVote row with the rule version; when at least two thirds of the
    official members agree, the 6-KNĐ checklist row and stage "branch resolution".
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.VERIFIED)
    _check_not_future(on, "on")
    _check_not_before(on, candidate.verified_on, "on", _("the background verification"))
    errors = eligibility_problems(candidate, on, at_vote=True)
    if course_valid_until(candidate.course_date, candidate.course_date) < on:
        errors["course_date"] = _("The course certificate has expired (valid 5 years).")
    held = set(candidate.documents.values_list("code", flat=True))
    missing = missing_before_vote(candidate, held)
    if missing:
        errors["__all__"] = _("Documents missing before the vote: %(forms)s.") % {
            "forms": ", ".join(str(DocumentCode(code).label) for code in missing)
        }
    if errors:
        raise ValidationError(errors)
    vote = _vote(candidate, VoteKind.ADMISSION, on, agreeing, disagreeing, resolution_number, by)
    if vote.passed:
        _record_document(
            candidate, code=DocumentCode.BRANCH_RESOLUTION, number=resolution_number, date=on, by=by
        )
        _advance(candidate, Stage.BRANCH_RESOLVED, by, [])
    return vote


def _vote(candidate, kind, on, agreeing, disagreeing, resolution_number, by) -> BranchVote:
    official = official_members_on(candidate.branch, on)
    if agreeing + disagreeing > official:
        raise ValidationError(
            {
                "agreeing": _(
                    "The branch had %(count)s official members on that date; agreeing and "
                    "disagreeing together cannot be more."
                )
                % {"count": official}
            }
        )
    vote = BranchVote(
        candidate=candidate,
        kind=kind,
        date=on,
        resolution_number=resolution_number,
        official_members=official,
        agreeing=agreeing,
        disagreeing=disagreeing,
        passed=two_thirds_agree(agreeing, official),
        rule_version=rule_on(on).version,
        recorded_by=by,
    )
    return _save(vote, by)


@transaction.atomic
def extend_decision_deadline(
    candidate: Candidate, *, on: datetime.date, reason: str, by=None
) -> Candidate:
    """Extend the time for the admission decision by 30 working days, once.

    Effects: the extension date and reason on the file; the decision deadline moves.
    """
    candidate = _lock(candidate)
    _require_stage(candidate, *AWAITING_DECISION)
    if candidate.decision_extended_on:
        raise ValidationError(_("The decision deadline has already been extended once."))
    _check_not_future(on, "on")
    vote = passed_vote(candidate, VoteKind.ADMISSION)
    if on > decision_due(vote.date, extended=False, cal=WorkCalendar()):
        raise ValidationError({"on": _("The deadline had already passed on that date.")})
    candidate.decision_extended_on = on
    candidate.decision_extension_reason = reason
    _save(candidate, by, update_fields=["decision_extended_on", "decision_extension_reason"])
    return candidate


@transaction.atomic
def record_grassroots_resolution(
    candidate: Candidate, *, number: str, date: datetime.date, by=None
) -> GrassrootsResolution:
    """Record the grassroots committee's resolution approving the branch's proposal.

    Effects: the GrassrootsResolution row; the 8-KNĐ checklist row; stage "grassroots
    resolution".
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.BRANCH_RESOLVED)
    _check_not_future(date, "date")
    vote = passed_vote(candidate, VoteKind.ADMISSION)
    _check_not_before(date, vote.date, "date", _("the branch resolution"))
    resolution = GrassrootsResolution(
        candidate=candidate, number=number, date=date, node=grassroots_of(candidate.branch)
    )
    _save(resolution, by)
    _record_document(
        candidate, code=DocumentCode.GRASSROOTS_RESOLUTION, number=number, date=date, by=by
    )
    _advance(candidate, Stage.GRASSROOTS_RESOLVED, by, [])
    return resolution


def _check_issuing_body(candidate, issuing_body):
    if not deciding_bodies(candidate.branch).filter(pk=issuing_body.pk).exists():
        raise ValidationError(
            {"issuing_body": _("The decision is issued by a party committee above the branch.")}
        )


@transaction.atomic
def record_decision(
    candidate: Candidate,
    *,
    number: str,
    date: datetime.date,
    issuing_body: OrganizationNode,
    by=None,
) -> AdmissionDecision:
    """Record the decision admitting the candidate (9-KNĐ).

    Effects: the AdmissionDecision row; the 9-KNĐ checklist row; stage "admission decided".
    A decision after its deadline is recorded and shown as late.
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.GRASSROOTS_RESOLVED)
    _check_not_future(date, "date")
    resolution = candidate.grassroots_resolutions.get(kind=VoteKind.ADMISSION)
    _check_not_before(date, resolution.date, "date", _("the grassroots resolution"))
    _check_issuing_body(candidate, issuing_body)
    decision = AdmissionDecision(
        candidate=candidate, number=number, date=date, issuing_body=issuing_body
    )
    _save(decision, by)
    _record_document(candidate, code=DocumentCode.DECISION, number=number, date=date, by=by)
    _advance(candidate, Stage.DECIDED, by, [])
    return decision


@transaction.atomic
def hold_ceremony(
    candidate: Candidate, *, on: datetime.date, member_number: str, by=None
) -> Member:
    """Record the admission ceremony: the candidate becomes a probationary member.

    Effects: a Member record (probationary) through members.domain.register_member, with
    its home Membership in the candidate's branch and an "admitted" event carrying the
    decision number; the ceremony date and the member link on the file; stage
    "probationary member".
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.DECIDED)
    _check_not_future(on, "on")
    decision = candidate.decisions.get(kind=VoteKind.ADMISSION)
    _check_not_before(on, decision.date, "on", _("the admission decision"))
    if Member.objects.filter(member_number=member_number).exists():
        raise ValidationError({"member_number": _("This member number is already used.")})
    member = Member(
        member_number=member_number,
        **{field: getattr(candidate, field) for field in PERSONAL_FIELDS},
        admission_decision_date=decision.date,
        admission_date=on,
    )
    members_domain.register_member(
        member, branch=candidate.branch, admission_document=decision.number, by=by
    )
    candidate.member = member
    candidate.ceremony_date = on
    _advance(candidate, Stage.PROBATION, by, ["member", "ceremony_date"])
    return member


PERSONAL_FIELDS = [
    "full_name",
    "gender",
    "date_of_birth",
    "ethnicity",
    "religion",
    "hometown",
    "residence",
    "national_id",
    "general_education",
    "qualification",
    "political_theory",
    "occupation",
]


@transaction.atomic
def record_conversion_vote(
    candidate: Candidate,
    *,
    on: datetime.date,
    agreeing: int,
    disagreeing: int,
    resolution_number: str = "",
    by=None,
) -> BranchVote:
    """Record the branch's vote on converting the probationary member to official.

    Effects: the BranchVote row (official members counted on that date); when two thirds
    agree, stage "conversion voted". A failed vote leaves the member on probation, where
    the branch may propose removal.
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.PROBATION)
    _check_not_future(on, "on")
    _check_not_before(on, probation_end(candidate.ceremony_date), "on", _("the end of probation"))
    vote = _vote(candidate, VoteKind.CONVERSION, on, agreeing, disagreeing, resolution_number, by)
    if vote.passed:
        _advance(candidate, Stage.CONVERSION_VOTED, by, [])
    return vote


@transaction.atomic
def convert_member(
    candidate: Candidate,
    *,
    number: str,
    date: datetime.date,
    issuing_body: OrganizationNode,
    by=None,
) -> AdmissionDecision:
    """Record the conversion decision. Conversion takes effect exactly 12 months after the
    ceremony, however late the paperwork.

    Effects: the conversion AdmissionDecision row; the member becomes official from the
    end of probation (members.domain.convert_to_official: status, official date, a
    "converted" event); the official date on the file; stage "official member".
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.CONVERSION_VOTED)
    _check_not_future(date, "date")
    vote = passed_vote(candidate, VoteKind.CONVERSION)
    _check_not_before(date, vote.date, "date", _("the conversion vote"))
    _check_issuing_body(candidate, issuing_body)
    decision = AdmissionDecision(
        candidate=candidate,
        kind=VoteKind.CONVERSION,
        number=number,
        date=date,
        issuing_body=issuing_body,
    )
    _save(decision, by)
    official_on = probation_end(candidate.ceremony_date)
    members_domain.convert_to_official(
        candidate.member, on=official_on, document_number=number, by=by
    )
    candidate.official_date = official_on
    _advance(candidate, Stage.OFFICIAL, by, ["official_date"])
    return decision


@transaction.atomic
def propose_removal(
    candidate: Candidate, *, on: datetime.date, reason: str, document_number: str = "", by=None
) -> Candidate:
    """The branch proposes removing a probationary member who does not qualify.

    Effects: the proposal date, reason and number on the file; stage "removal proposed".
    The member's status changes only with the competent committee's decision.
    """
    candidate = _lock(candidate)
    _require_stage(candidate, Stage.PROBATION)
    _check_not_future(on, "on")
    _check_not_before(on, candidate.ceremony_date, "on", _("the admission ceremony"))
    candidate.removal_proposed_on = on
    candidate.removal_reason = reason
    candidate.removal_document = document_number
    _advance(
        candidate,
        Stage.REMOVAL_PROPOSED,
        by,
        ["removal_proposed_on", "removal_reason", "removal_document"],
    )
    return candidate


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
    return _save(row, by)
