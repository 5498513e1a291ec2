"""Building the file: identifying the candidate, the course, the introducers, the
documents and the verification."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from admission.domain.common import (
    advance,
    check_not_before,
    check_not_future,
    lock_file,
    record_document,
    require_stage,
    save_by,
)
from admission.enums import (
    CANDIDATE_STAGES,
    STEP_DOCUMENTS,
    DocumentCode,
    Stage,
)
from admission.models import (
    Candidate,
    DossierDocument,
    Introducer,
)
from admission.rules import (
    eligibility_problems,
    introducer_problems,
)
from partyorg.locking import check_version


@transaction.atomic
def identify_candidate(candidate: Candidate, *, by=None) -> Candidate:
    """Open the file of an outstanding non-member identified by a branch.

    Effects: the Candidate row at stage "identified"; a history row. Checks the branch,
    the dates and the eligibility rules that already apply (over 60, education).
    """
    if not candidate.branch.is_branch or not candidate.branch.is_active:
        raise ValidationError({"branch": _("Choose an active branch.")})
    check_not_future(candidate.identified_on, "identified_on")
    problems = eligibility_problems(candidate, candidate.identified_on, at_vote=False)
    if problems:
        raise ValidationError(problems)
    candidate.stage = Stage.IDENTIFIED
    candidate.full_clean()
    return save_by(candidate, by)


@transaction.atomic
def update_candidate(candidate: Candidate, *, version: int | None = None, by=None) -> Candidate:
    """Save corrected personal data of a candidate.

    Effects: the Candidate row (its version raised) and a history row. The eligibility
    rules are checked again. `version`, the one the form was opened on, refuses the save
    (partyorg.locking.Stale) when someone changed the file since; an import passes none,
    as the file's values replace the record's by design.
    """
    check_version(candidate, version)
    if candidate.stage in CANDIDATE_STAGES:
        problems = eligibility_problems(candidate, timezone.localdate(), at_vote=False)
        if problems:
            raise ValidationError(problems)
    candidate.full_clean()
    return save_by(candidate, by)


@transaction.atomic
def record_course(
    candidate: Candidate, *, course_date: datetime.date, certificate_number: str, by=None
) -> Candidate:
    """Record the party-awareness course (certificate valid 5 years).

    Effects: course date and certificate number on the file; the CN-NTVĐ checklist row;
    stage "identified" -> "course completed" (later stages keep their stage, as a renewed
    certificate may be entered before the vote).
    """
    candidate = lock_file(candidate)
    require_stage(candidate, *CANDIDATE_STAGES)
    check_not_future(course_date, "course_date")
    candidate.course_date = course_date
    candidate.course_certificate = certificate_number
    record_document(
        candidate,
        code=DocumentCode.COURSE_CERTIFICATE,
        number=certificate_number,
        date=course_date,
        by=by,
    )
    stage = Stage.TRAINED if candidate.stage == Stage.IDENTIFIED else candidate.stage
    advance(candidate, stage, by, ["course_date", "course_certificate"])
    return candidate


@transaction.atomic
def assign_introducers(
    candidate: Candidate, *, on: datetime.date, introducers: list[Introducer], by=None
) -> list[Introducer]:
    """Assign the two who help and introduce the candidate.

    Effects: introducers assigned before are released on `on`; the new Introducer rows;
    stage "course completed" -> "introducers assigned".
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.TRAINED, Stage.INTRODUCED, Stage.VERIFIED)
    check_not_future(on, "on")
    check_not_before(on, candidate.identified_on, "on", _("the candidate was identified"))
    problems = introducer_problems(candidate, introducers, on)
    if problems:
        raise ValidationError(problems)
    for current in candidate.introducers.open():
        current.released_on = on
        save_by(current, by)
    for introducer in introducers:
        introducer.candidate = candidate
        introducer.assigned_on = on
        introducer.full_clean()
        save_by(introducer, by)
    if candidate.stage == Stage.TRAINED:
        advance(candidate, Stage.INTRODUCED, by, [])
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
    candidate = lock_file(candidate)
    if candidate.stage in {Stage.OFFICIAL, Stage.REMOVAL_PROPOSED}:
        require_stage(candidate, *CANDIDATE_STAGES)
    if code in STEP_DOCUMENTS:
        raise ValidationError({"code": _("This document is recorded by its own step.")})
    check_not_future(date, "date")
    check_not_before(date, candidate.date_of_birth, "date", _("the date of birth"))
    return record_document(candidate, code=code, number=number, date=date, note=note, by=by)


@transaction.atomic
def record_verification(
    candidate: Candidate, *, on: datetime.date, number: str = "", findings: str = "", by=None
) -> Candidate:
    """Record the background verification of the candidate.

    Effects: verification date and findings; the verification checklist row; stage
    "introducers assigned" -> "background verified".
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.INTRODUCED, Stage.VERIFIED)
    check_not_future(on, "on")
    check_not_before(on, candidate.identified_on, "on", _("the candidate was identified"))
    candidate.verified_on = on
    candidate.verification_note = findings
    record_document(candidate, code=DocumentCode.VERIFICATION, number=number, date=on, by=by)
    advance(candidate, Stage.VERIFIED, by, ["verified_on", "verification_note"])
    return candidate
