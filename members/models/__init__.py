"""Member records and their history, one module a feature: records (the member, their
memberships, status events, positions), transfers, the member behind an account, and the
member counts kept per branch."""

from members.models.accounts import PersonAccount
from members.models.counts import BranchMemberCount
from members.models.records import (
    MEMBER_NUMBER,
    MEMBER_NUMBER_REGISTERED,
    NATIONAL_ID_REGISTERED,
    PARTY_CARD_REGISTERED,
    PERSONAL_FIELDS,
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
    "PERSONAL_FIELDS",
    "BranchMemberCount",
    "Member",
    "Membership",
    "PersonAccount",
    "PersonalRecord",
    "Position",
    "StatusEvent",
    "Transfer",
]
