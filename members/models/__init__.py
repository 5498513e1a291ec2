"""Member records and their history, one module a feature: records (the member, their
memberships, status events, positions), transfers, evaluations, dues and badges."""

from members.models.badges import BadgeAward
from members.models.dues import Dues, DuesRule
from members.models.evaluations import Evaluation, EvaluationRule, OrganizationEvaluation
from members.models.records import (
    MEMBER_NUMBER,
    MEMBER_NUMBER_REGISTERED,
    NATIONAL_ID_REGISTERED,
    PARTY_CARD_REGISTERED,
    Member,
    Membership,
    PersonalRecord,
    Position,
    StatusEvent,
)
from members.models.transfers import Transfer

__all__ = [
    "MEMBER_NUMBER",
    "MEMBER_NUMBER_REGISTERED",
    "NATIONAL_ID_REGISTERED",
    "PARTY_CARD_REGISTERED",
    "BadgeAward",
    "Dues",
    "DuesRule",
    "Evaluation",
    "EvaluationRule",
    "Member",
    "Membership",
    "OrganizationEvaluation",
    "PersonalRecord",
    "Position",
    "StatusEvent",
    "Transfer",
]
