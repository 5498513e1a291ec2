"""Admission files built through the domain functions, step by step, on fixed past dates."""

import datetime

from admission import domain
from admission.enums import (
    BEFORE_CONVERSION_VOTE_DOCUMENTS,
    DocumentCode,
    IntroducerKind,
    Stage,
    stage_at_least,
)
from admission.models import Candidate, Introducer
from members.enums import Gender, GeneralEducation, Occupation
from tests.factories import make_member

D = datetime.date
# The dates of each step in the standard walk.
WALK = {
    "identified": D(2024, 3, 1),
    "course": D(2024, 4, 1),
    "introducers": D(2024, 5, 2),
    "documents": D(2024, 5, 10),
    "verification": D(2024, 6, 3),
    "vote": D(2024, 7, 1),
    "grassroots": D(2024, 7, 15),
    "decision": D(2024, 8, 1),
    "ceremony": D(2024, 8, 19),
    "conversion_vote": D(2025, 8, 19),
    "conversion": D(2025, 8, 25),
    "conversion_dossier": D(2025, 8, 5),
}
FILED_FORMS = [
    DocumentCode.APPLICATION,
    DocumentCode.PERSONAL_HISTORY,
    DocumentCode.INTRODUCTION,
    DocumentCode.COMMENTS_SUMMARY,
    DocumentCode.RESIDENCE_WORKPLACE_COMMENTS,
]
_numbers = iter(range(1, 10**6))


OFFICIAL_SINCE = D(2015, 1, 1)


def make_officials(branch, count=3, since=OFFICIAL_SINCE):
    """Official members of `branch` since `since` (home memberships from then)."""
    return [
        make_member(
            branch,
            full_name=f"Trần Văn Chính {next(_numbers)}",
            admission_decision_date=since - datetime.timedelta(days=380),
            admission_date=since - datetime.timedelta(days=366),
            official_date=since - datetime.timedelta(days=1),
            joined_branch_on=since - datetime.timedelta(days=1),
        )
        for _ in range(count)
    ]


def make_candidate(branch, by=None, **fields) -> Candidate:
    values = {
        "full_name": f"Lê Thị Quần {next(_numbers)}",
        "gender": Gender.FEMALE,
        "date_of_birth": D(2000, 5, 10),
        "general_education": GeneralEducation.UPPER_SECONDARY,
        "occupation": Occupation.TEACHER,
        "source": "youth_union",
        "identified_on": WALK["identified"],
    } | fields
    return domain.identify_candidate(Candidate(branch=branch, **values), by=by)


def walk(candidate, to: str, *, by=None, officials=None, district=None, agreeing=None):
    """Take `candidate` through the standard steps until it reaches stage `to`."""
    officials = officials or list(
        candidate.branch.members.filter(status="official").order_by("pk")[:2]
    )
    steps = [
        (
            Stage.TRAINED,
            lambda: domain.record_course(
                candidate, course_date=WALK["course"], certificate_number="CN-01", by=by
            ),
        ),
        (
            Stage.INTRODUCED,
            lambda: domain.assign_introducers(
                candidate,
                on=WALK["introducers"],
                introducers=[
                    Introducer(
                        kind=IntroducerKind.MEMBER, member=m, working_with_since=D(2023, 1, 1)
                    )
                    for m in officials[:2]
                ],
                by=by,
            ),
        ),
        (Stage.VERIFIED, lambda: _documents_and_verification(candidate, by)),
        (
            Stage.BRANCH_RESOLVED,
            lambda: domain.record_branch_vote(
                candidate,
                on=WALK["vote"],
                agreeing=agreeing
                if agreeing is not None
                else domain.official_members_on(candidate.branch, WALK["vote"]),
                disagreeing=0,
                resolution_number="03-NQ/CB",
                by=by,
            ),
        ),
        (
            Stage.GRASSROOTS_RESOLVED,
            lambda: domain.record_grassroots_resolution(
                candidate, number="12-NQ/ĐU", date=WALK["grassroots"], by=by
            ),
        ),
        (
            Stage.DECIDED,
            lambda: domain.record_decision(
                candidate,
                number="45-QĐ/HU",
                date=WALK["decision"],
                issuing_body=district or domain.deciding_bodies(candidate.branch).first(),
                by=by,
            ),
        ),
        (
            Stage.PROBATION,
            lambda: domain.hold_ceremony(
                candidate, on=WALK["ceremony"], member_number=f"7{next(_numbers):07d}", by=by
            ),
        ),
    ]
    for stage, step in steps:
        if candidate.stage == to:
            break
        if not stage_at_least(candidate.stage, stage):
            step()
    assert candidate.stage == to, candidate.stage
    return candidate


def _documents_and_verification(candidate, by):
    for code in FILED_FORMS:
        domain.check_document(
            candidate, code=code, number=f"{code}-1", date=WALK["documents"], by=by
        )
    domain.record_verification(candidate, on=WALK["verification"], number="XM-1", by=by)


def file_conversion_dossier(candidate, *, by=None):
    """Check in the conversion dossier a probationary member needs before the vote."""
    for code in BEFORE_CONVERSION_VOTE_DOCUMENTS:
        domain.check_document(
            candidate, code=code, number=f"{code}-1", date=WALK["conversion_dossier"], by=by
        )
    return candidate


def convert(candidate, *, by=None):
    """Take a probationary member's file to official membership, with paper numbers."""
    file_conversion_dossier(candidate, by=by)
    domain.record_conversion_vote(
        candidate,
        on=WALK["conversion_vote"],
        agreeing=domain.official_members_on(candidate.branch, WALK["conversion_vote"]),
        disagreeing=0,
        resolution_number="07-NQ/CB",
        by=by,
    )
    domain.convert_member(
        candidate,
        number="88-QĐ/HU",
        date=WALK["conversion"],
        issuing_body=domain.deciding_bodies(candidate.branch).first(),
        by=by,
    )
    return candidate
