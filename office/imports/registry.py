"""Which resource imports which kind. Adding a kind is one line here and one resources.py."""

from django.utils.module_loading import import_string

from partyorg.enums import ImportKind

RESOURCES = {
    ImportKind.NODES: "branches.resources.NodeResource",
    ImportKind.MEMBERS: "members.resources.MemberResource",
    ImportKind.AREAS: "branches.resources.AreaResource",
    ImportKind.CANDIDATES: "admission.resources.CandidateResource",
    ImportKind.PLAN: "admission.restructuring_plan.PlanResource",
    ImportKind.POSITIONS: "members.position_resources.PositionResource",
    ImportKind.TARGETS: "admission.target_resources.TargetResource",
    ImportKind.EVALUATIONS: "branchwork.evaluation_resources.EvaluationResource",
    ImportKind.EVENTS: "members.event_resources.EventResource",
    ImportKind.INSPECTIONS: "branchwork.inspection_resources.InspectionResource",
    ImportKind.BADGES: "branchwork.badge_resources.BadgeResource",
    ImportKind.ATTENDANCE: "branchwork.meeting_resources.AttendanceResource",
    ImportKind.MEETING_TOTALS: "branchwork.meeting_resources.MeetingTotalsResource",
    ImportKind.ORG_EVALUATIONS: "branchwork.evaluation_resources.OrganizationEvaluationResource",
}

# The file names of the templates; an export of a kind is named after its template.
TEMPLATE_NAMES = {
    ImportKind.NODES: "mau-to-chuc-dang",
    ImportKind.MEMBERS: "mau-dang-vien",
    ImportKind.AREAS: "mau-thon-to-dan-pho",
    ImportKind.CANDIDATES: "mau-quan-chung-uu-tu",
    ImportKind.PLAN: "mau-phuong-an-sap-xep",
    ImportKind.POSITIONS: "mau-chuc-vu",
    ImportKind.TARGETS: "mau-chi-tieu-ket-nap",
    ImportKind.EVALUATIONS: "mau-danh-gia-dang-vien",
    ImportKind.EVENTS: "mau-bien-dong-dang-vien",
    ImportKind.INSPECTIONS: "mau-kiem-tra",
    ImportKind.BADGES: "mau-huy-hieu-dang",
    ImportKind.ATTENDANCE: "mau-diem-danh-sinh-hoat",
    ImportKind.MEETING_TOTALS: "mau-so-bien-ban-sinh-hoat",
    ImportKind.ORG_EVALUATIONS: "mau-danh-gia-to-chuc-dang",
}


def available_kinds() -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in ImportKind if kind in RESOURCES]


def resource_class(kind: str):
    return import_string(RESOURCES[ImportKind(kind)])
