from django.db import models
from django.utils.translation import gettext_lazy as _


class NodeKind(models.TextChoices):
    PROVINCE_COMMITTEE = "province_committee", _("Provincial party committee")
    DISTRICT_COMMITTEE = "district_committee", _("District party committee")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune-level party committee")
    GRASSROOTS_COMMITTEE = "grassroots_committee", _("Grassroots party committee")
    GRASSROOTS_BRANCH = "grassroots_branch", _("Grassroots branch")
    PARTIAL_COMMITTEE = "partial_committee", _("Partial committee")
    BRANCH = "branch", _("Branch")
    PARTY_CELL = "party_cell", _("Party cell")


class Sector(models.TextChoices):
    COMMUNE = "commune", _("Commune, ward, town")
    SPECIAL_ZONE = "special_zone", _("Special zone")
    AGENCY = "agency", _("Agency")
    ENTERPRISE = "enterprise", _("Enterprise")
    SCHOOL = "school", _("School")
    ARMED_FORCES = "armed_forces", _("Armed forces")
    OTHER = "other", _("Other")


class RoleKind(models.TextChoices):
    OFFICER = "officer", _("Officer")
    VIEWER = "viewer", _("Viewer (read only)")
    SECRETARY = "secretary", _("Branch secretary")
    # A party member's own account: their own record and reminders, nothing of anyone else.
    MEMBER = "member", _("Party member (own record only)")


class Operation(models.TextChoices):
    """Restructuring operations a plan's rows name. A split (and a dissolution that
    sends its organizations to several places) takes one row per receiving organization,
    each naming the parts it receives."""

    CREATE = "create", _("Create")
    RENAME = "rename", _("Rename or change kind")
    MOVE = "move", _("Move")
    MERGE = "merge", _("Merge")
    DISSOLVE = "dissolve", _("Dissolve")
    SPLIT = "split", _("Split")


class AreaKind(models.TextChoices):
    VILLAGE = "village", _("Village (thôn, ấp, bản)")
    RESIDENTIAL_GROUP = "residential_group", _("Residential group (tổ dân phố, khu phố)")


# Which kinds of node may sit directly under which (Party Charter; Quy định 294-QĐ/TW).
ALLOWED_CHILDREN: dict[str, set[str]] = {
    NodeKind.PROVINCE_COMMITTEE: {
        NodeKind.DISTRICT_COMMITTEE,
        NodeKind.COMMUNE_COMMITTEE,
        NodeKind.GRASSROOTS_COMMITTEE,
        NodeKind.GRASSROOTS_BRANCH,
    },
    NodeKind.DISTRICT_COMMITTEE: {NodeKind.GRASSROOTS_COMMITTEE, NodeKind.GRASSROOTS_BRANCH},
    NodeKind.COMMUNE_COMMITTEE: {
        NodeKind.GRASSROOTS_COMMITTEE,
        NodeKind.GRASSROOTS_BRANCH,
        NodeKind.PARTIAL_COMMITTEE,
        NodeKind.BRANCH,
    },
    NodeKind.GRASSROOTS_COMMITTEE: {NodeKind.PARTIAL_COMMITTEE, NodeKind.BRANCH},
    NodeKind.PARTIAL_COMMITTEE: {NodeKind.BRANCH},
    NodeKind.GRASSROOTS_BRANCH: {NodeKind.PARTY_CELL},
    NodeKind.BRANCH: {NodeKind.PARTY_CELL},
    NodeKind.PARTY_CELL: set(),
}
ROOT_KINDS = {NodeKind.PROVINCE_COMMITTEE, NodeKind.DISTRICT_COMMITTEE}

# Members are attached to these kinds only.
BRANCH_KINDS = {NodeKind.GRASSROOTS_BRANCH, NodeKind.BRANCH}
# Grassroots party organizations (TCCSĐ), the unit the statistics count.
GRASSROOTS_KINDS = {NodeKind.GRASSROOTS_COMMITTEE, NodeKind.GRASSROOTS_BRANCH}
# Kinds that carry a sector in the reports.
SECTOR_KINDS = GRASSROOTS_KINDS | {NodeKind.COMMUNE_COMMITTEE}
# Kinds that issue documents and sign "T/M BAN THƯỜNG VỤ" rather than "T/M CHI BỘ".
COMMITTEE_KINDS = {
    NodeKind.PROVINCE_COMMITTEE,
    NodeKind.DISTRICT_COMMITTEE,
    NodeKind.COMMUNE_COMMITTEE,
    NodeKind.GRASSROOTS_COMMITTEE,
    NodeKind.PARTIAL_COMMITTEE,
}


class DelegatedStep(models.TextChoices):
    """Decisions the committee above grassroots organizations may delegate (ủy quyền) to a
    grassroots committee, DOMAIN.md §11: the admission decision only; the values are those
    of branches.competence.Step."""

    ADMISSION_DECISION = "admission_decision", _("Admission decision")
