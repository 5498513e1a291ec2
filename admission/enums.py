from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    """Where a candidate file stands. Kept by admission.domain; the dated rows are the truth."""

    IDENTIFIED = "identified", _("Identified")
    TRAINED = "trained", _("Course completed")
    INTRODUCED = "introduced", _("Introducers assigned")
    VERIFIED = "verified", _("Background verified")
    BRANCH_RESOLVED = "branch_resolved", _("Branch resolution")
    GRASSROOTS_RESOLVED = "grassroots_resolved", _("Grassroots resolution")
    DECIDED = "decided", _("Admission decided")
    PROBATION = "probation", _("Probationary member")
    CONVERSION_VOTED = "conversion_voted", _("Conversion voted")
    OFFICIAL = "official", _("Official member")
    REMOVAL_PROPOSED = "removal_proposed", _("Removal proposed")


STAGE_ORDER = list(Stage)
# Files still moving through admission or probation.
OPEN_STAGES = [s for s in Stage if s not in {Stage.OFFICIAL, Stage.REMOVAL_PROPOSED}]
# Stages before the admission decision, while the candidate is not yet a member.
CANDIDATE_STAGES = STAGE_ORDER[: STAGE_ORDER.index(Stage.DECIDED)]
AWAITING_DECISION = {Stage.BRANCH_RESOLVED, Stage.GRASSROOTS_RESOLVED}


def stage_at_least(stage: str, wanted: str) -> bool:
    if stage == Stage.REMOVAL_PROPOSED:
        return wanted in STAGE_ORDER[: STAGE_ORDER.index(Stage.PROBATION) + 1]
    return STAGE_ORDER.index(Stage(stage)) >= STAGE_ORDER.index(Stage(wanted))


class SourceOrganization(models.TextChoices):
    YOUTH_UNION = "youth_union", _("Youth Union")
    VETERANS = "veterans", _("Veterans' Association")
    FARMERS = "farmers", _("Farmers' Association")
    WOMENS_UNION = "womens_union", _("Women's Union")
    DEMOBILIZED = "demobilized", _("Demobilized soldier")
    SCHOOL = "school", _("School (teachers, students)")
    HEALTH = "health", _("Health service")
    ENTERPRISE = "enterprise", _("Enterprise (workers)")
    OTHER = "other", _("Other")


class DocumentCode(models.TextChoices):
    """Forms of the admission dossier (guide 12-HD/BTCTW) and the verification slips."""

    COURSE_CERTIFICATE = "CN-NTVD", "CN-NTVĐ"
    APPLICATION = "1-KND", "1-KNĐ"
    PERSONAL_HISTORY = "2-KND", "2-KNĐ"
    INTRODUCTION = "3-KND", "3-KNĐ / 3A-KNĐ"
    YOUTH_UNION_INTRODUCTION = "4-KND", "4-KNĐ"
    COMMENTS_SUMMARY = "5-KND", "5-KNĐ"
    RESIDENCE_WORKPLACE_COMMENTS = "5BC-KND", "5B/5C-KNĐ"
    BRANCH_RESOLUTION = "6-KND", "6-KNĐ"
    GRASSROOTS_RESOLUTION = "8-KND", "8-KNĐ"
    DECISION = "9-KND", "9-KNĐ"
    VERIFICATION = "verification", _("Background verification")
    # The conversion dossier (form numbers unconfirmed, DOMAIN.md §4).
    SELF_REVIEW = "self-review", _("Self-review")
    HELPERS_COMMENTS = "helper-comments", _("Helpers' comments")
    BRANCH_COMMENTS = "branch-comments", _("Branch's comments")
    MASS_ORGANIZATION_COMMENTS = "mass-comments", _("Mass organizations' comments")


DOCUMENT_DESCRIPTIONS = {
    DocumentCode.COURSE_CERTIFICATE: _("Party-awareness course certificate"),
    DocumentCode.APPLICATION: _("Application to join the party"),
    DocumentCode.PERSONAL_HISTORY: _("Personal history"),
    DocumentCode.INTRODUCTION: _("Introduction by party members"),
    DocumentCode.YOUTH_UNION_INTRODUCTION: _("Introduction by the Youth Union"),
    DocumentCode.COMMENTS_SUMMARY: _("Summary of comments"),
    DocumentCode.RESIDENCE_WORKPLACE_COMMENTS: _("Comments of residence and workplace"),
    DocumentCode.BRANCH_RESOLUTION: _("Branch resolution proposing admission"),
    DocumentCode.GRASSROOTS_RESOLUTION: _("Grassroots committee resolution"),
    DocumentCode.DECISION: _("Admission decision"),
    DocumentCode.VERIFICATION: _("Background verification slips"),
    DocumentCode.SELF_REVIEW: _("The probationary member's self-review"),
    DocumentCode.HELPERS_COMMENTS: _("Comments of the members assigned to help"),
    DocumentCode.BRANCH_COMMENTS: _("Comments of the branch committee"),
    DocumentCode.MASS_ORGANIZATION_COMMENTS: _(
        "Comments of the mass organizations where the member works and lives"
    ),
}

# Documents the branch must hold before it votes (4-KNĐ only with a Youth Union introducer).
BEFORE_VOTE_DOCUMENTS = [
    DocumentCode.COURSE_CERTIFICATE,
    DocumentCode.APPLICATION,
    DocumentCode.PERSONAL_HISTORY,
    DocumentCode.INTRODUCTION,
    DocumentCode.YOUTH_UNION_INTRODUCTION,
    DocumentCode.COMMENTS_SUMMARY,
    DocumentCode.RESIDENCE_WORKPLACE_COMMENTS,
    DocumentCode.VERIFICATION,
]
# Documents the branch must hold before it votes on converting a probationary member.
BEFORE_CONVERSION_VOTE_DOCUMENTS = [
    DocumentCode.SELF_REVIEW,
    DocumentCode.HELPERS_COMMENTS,
    DocumentCode.BRANCH_COMMENTS,
    DocumentCode.MASS_ORGANIZATION_COMMENTS,
]
# Documents written by a step: the domain function records them, not the checklist form.
STEP_DOCUMENTS = {
    DocumentCode.COURSE_CERTIFICATE,
    DocumentCode.VERIFICATION,
    DocumentCode.BRANCH_RESOLUTION,
    DocumentCode.GRASSROOTS_RESOLUTION,
    DocumentCode.DECISION,
}
# Which documents a file must hold once it has reached a stage.
DOCUMENTS_AFTER = {
    Stage.BRANCH_RESOLVED: [DocumentCode.BRANCH_RESOLUTION],
    Stage.GRASSROOTS_RESOLVED: [DocumentCode.GRASSROOTS_RESOLUTION],
    Stage.DECIDED: [DocumentCode.DECISION],
    Stage.CONVERSION_VOTED: BEFORE_CONVERSION_VOTE_DOCUMENTS,
}


class RuleVersion(models.TextChoices):
    QD24_2021 = "24-QD-TW-2021", "24-QĐ/TW (30/07/2021)"
    QD232_2025 = "232-QD-TW-2025", "232-QĐ/TW (20/01/2025)"
    QD294_2025 = "294-QD-TW-2025", "294-QĐ/TW (26/05/2025)"


class IntroducerKind(models.TextChoices):
    MEMBER = "member", _("Official party member")
    YOUTH_UNION = "youth_union", _("Youth Union committee")


class EducationException(models.TextChoices):
    MOUNTAIN = "mountain", _("Mountain area")
    BORDER = "border", _("Border area")
    ISLAND = "island", _("Island")
    ETHNIC_MINORITY = "ethnic_minority", _("Ethnic-minority area")
    DISADVANTAGED = "disadvantaged", _("Disadvantaged area")


class DeadlineKind(models.TextChoices):
    """The deadlines of an admission file (admission.deadlines), in the order they come."""

    COURSE_VALID_UNTIL = "course", _("Course certificate valid until")
    ADMISSION_DECISION = "decision", _("Admission decision")
    ADMISSION_CEREMONY = "ceremony", _("Admission ceremony")
    CONVERSION_VOTE = "conversion_vote", _("Conversion vote")


class VoteKind(models.TextChoices):
    ADMISSION = "admission", _("Admission")
    CONVERSION = "conversion", _("Conversion to official member")
