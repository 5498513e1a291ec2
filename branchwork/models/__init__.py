"""The work done in branches, one module a feature: meetings and their attendance,
inspections, member and organization evaluations, dues and party badges."""

from branchwork.models.absence_months import MemberAbsenceMonth
from branchwork.models.badges import BadgeAward
from branchwork.models.dues import Dues
from branchwork.models.evaluations import Evaluation, OrganizationEvaluation
from branchwork.models.inspections import Inspection
from branchwork.models.meeting_years import BranchMeetingYear
from branchwork.models.meetings import Attendance, Meeting, MeetingGuest
from branchwork.models.notices import MeetingNotice, NoticeFile, NoticeFileOpening

__all__ = [
    "Attendance",
    "BadgeAward",
    "BranchMeetingYear",
    "Dues",
    "Evaluation",
    "Inspection",
    "Meeting",
    "MeetingGuest",
    "MeetingNotice",
    "MemberAbsenceMonth",
    "NoticeFile",
    "NoticeFileOpening",
    "OrganizationEvaluation",
]
