"""After the ceremony: the conversion vote, conversion to official member, or a
proposal to remove the probationary member."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from admission.deadlines import passed_vote
from admission.domain.common import (
    advance,
    check_documents_held,
    check_not_before,
    check_not_future,
    issued_number,
    lock_file,
    missing_before_conversion_vote,
    require_stage,
    save_by,
)
from admission.domain.votes import check_issuing_body, number_resolution, save_vote
from admission.enums import (
    Stage,
    VoteKind,
)
from admission.models import (
    AdmissionDecision,
    BranchVote,
    Candidate,
)
from branches import competence
from branches.models import OrganizationNode
from members import domain as members_domain
from partyorg.rules import probation_end


@transaction.atomic
def record_conversion_vote(
    candidate: Candidate,
    *,
    on: datetime.date,
    agreeing: int,
    disagreeing: int,
    resolution_number: str = "",
    exempted_absent: int = 0,
    signer=None,
    by=None,
) -> BranchVote:
    """Record the branch's vote on converting the probationary member to official.

    Refused while the conversion dossier is incomplete (the member's self-review, the
    helpers', the branch's and the mass organizations' comments): the message names
    every missing form. Effects: the BranchVote row (official members counted on that
    date); when two thirds agree, stage "conversion voted". A failed vote leaves the
    member on probation, where the branch may propose removal.
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.PROBATION)
    check_not_future(on, "on")
    check_not_before(on, probation_end(candidate.ceremony_date), "on", _("the end of probation"))
    held = set(candidate.documents.values_list("code", flat=True))
    check_documents_held(
        missing_before_conversion_vote(held),
        _("The conversion dossier lacks: %(forms)s. Check them in before the vote."),
    )
    vote = save_vote(
        candidate,
        VoteKind.CONVERSION,
        on,
        agreeing,
        disagreeing,
        resolution_number,
        exempted_absent,
        by,
    )
    if vote.passed:
        number_resolution(
            vote,
            f"Nghị quyết đề nghị công nhận đảng viên chính thức: {candidate.full_name}",
            signer,
        )
        advance(candidate, Stage.CONVERSION_VOTED, by, [])
    return vote


@transaction.atomic
def convert_member(
    candidate: Candidate,
    *,
    number: str,
    date: datetime.date,
    issuing_body: OrganizationNode,
    signer=None,
    by=None,
) -> AdmissionDecision:
    """Record the conversion decision. Conversion takes effect exactly 12 months after the
    ceremony, however late the paperwork.

    Effects: the conversion AdmissionDecision row; the member becomes official from the
    end of probation (members.domain.convert_to_official: status, official date, a
    "converted" event); the official date on the file; stage "official member".
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.CONVERSION_VOTED)
    check_not_future(date, "date")
    vote = passed_vote(candidate, VoteKind.CONVERSION)
    check_not_before(date, vote.date, "date", _("the conversion vote"))
    check_issuing_body(candidate, issuing_body, competence.Step.CONVERSION_DECISION, date)
    number = issued_number(
        number,
        issuing_body,
        code="QĐ",
        on=date,
        summary=f"Quyết định công nhận đảng viên chính thức: {candidate.full_name}",
        by=by,
        signer=signer,
    )
    decision = AdmissionDecision(
        candidate=candidate,
        kind=VoteKind.CONVERSION,
        number=number,
        date=date,
        issuing_body=issuing_body,
    )
    save_by(decision, by)
    official_on = probation_end(candidate.ceremony_date)
    members_domain.convert_to_official(
        candidate.member, on=official_on, document_number=number, by=by
    )
    candidate.official_date = official_on
    advance(candidate, Stage.OFFICIAL, by, ["official_date"])
    return decision


@transaction.atomic
def propose_removal(
    candidate: Candidate, *, on: datetime.date, reason: str, document_number: str = "", by=None
) -> Candidate:
    """The branch proposes removing a probationary member who does not qualify.

    Effects: the proposal date, reason and number on the file; stage "removal proposed".
    The member's status changes only with the competent committee's decision.
    """
    candidate = lock_file(candidate)
    require_stage(candidate, Stage.PROBATION)
    check_not_future(on, "on")
    check_not_before(on, candidate.ceremony_date, "on", _("the admission ceremony"))
    candidate.removal_proposed_on = on
    candidate.removal_reason = reason
    candidate.removal_document = document_number
    advance(
        candidate,
        Stage.REMOVAL_PROPOSED,
        by,
        ["removal_proposed_on", "removal_reason", "removal_document"],
    )
    return candidate
