"""Every step of an admission file, from identified candidate to official member.

Each step checks the rules of its time, runs in one transaction, leaves dated rows and a
history record with the user, and moves the cached `stage` of the candidate. The steps
live in one module per part of the pipeline; this package gives them one name.
"""

from admission.domain.common import (
    deciding_bodies,
    missing_before_conversion_vote,
    missing_before_vote,
    official_members_on,
    two_thirds_agree,
)
from admission.domain.file import (
    assign_introducers,
    check_document,
    identify_candidate,
    record_course,
    record_verification,
    update_candidate,
)
from admission.domain.probation import convert_member, propose_removal, record_conversion_vote
from admission.domain.targets import set_target
from admission.domain.votes import (
    extend_decision_deadline,
    hold_ceremony,
    record_branch_vote,
    record_decision,
    record_grassroots_resolution,
)

__all__ = [
    "assign_introducers",
    "check_document",
    "convert_member",
    "deciding_bodies",
    "extend_decision_deadline",
    "hold_ceremony",
    "identify_candidate",
    "missing_before_conversion_vote",
    "missing_before_vote",
    "official_members_on",
    "propose_removal",
    "record_branch_vote",
    "record_conversion_vote",
    "record_course",
    "record_decision",
    "record_grassroots_resolution",
    "record_verification",
    "set_target",
    "two_thirds_agree",
    "update_candidate",
]
