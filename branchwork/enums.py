from django.db import models
from django.utils.translation import gettext_lazy as _

# Meetings and attendance


class MeetingKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly meeting")
    THEMATIC = "thematic", _("Thematic meeting")
    EXTENDED = "extended", _("Extended meeting")
    EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")
    COMMITTEE = "committee", _("Branch committee meeting")


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Finalized")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with a reason")
    UNEXCUSED = "unexcused", _("Absent without a reason")


# Evaluations, dues and party badges


class EvaluationLevel(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")


class NotClassifiedReason(models.TextChoices):
    EXEMPTED = "exempted", _("Exempted from party work")
    SUSPENDED = "suspended", _("Suspended from party activity")
    NEW_MEMBER = "new_member", _("Admitted less than the rule's minimum before")
    OTHER = "other", _("Other reason")


class DuesBasis(models.TextChoices):
    SALARY = "salary", _("Salary subject to social insurance")
    PENSION = "pension", _("Pension")
    STUDENT = "student", _("Student")
    OTHER = "other", _("No salary or pension")


# Party age milestones (years) for the party badge, and the days badges are awarded.
BADGE_YEARS = (30, 40, 45, 50, 55, 60, 65, 70, 75, 80, 85, 90)
BADGE_AWARD_DAYS = ((3, 2), (19, 5), (2, 9), (7, 11))  # (day, month)
