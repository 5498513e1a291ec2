from django.db import models

from branches.models import OrganizationNode
from members.models import Member


class MemberAbsenceMonth(models.Model):
    """A member's absences without reason from one branch's meetings in one month, kept by
    the database in the statement that writes the attendance: triggers on
    branchwork_attendance, and on branchwork_meeting for a meeting moved to another month
    or branch (migration 0011), so every path that writes minutes keeps it, imports and
    COPY included. The removal rule counts a member's months with such an absence in a
    year (branchwork.meeting_queries.unexcused_absentees) from these rows instead of the
    attendance; `manage.py check_totals` recounts them."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="absence_months")
    branch = models.ForeignKey(
        OrganizationNode, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    month = models.DateField()  # the first day, as Meeting.month
    absences = models.IntegerField()  # 0 once they were all corrected or deleted

    class Meta:
        constraints = [
            # Branch first: a page reads one year of its subtree's branches.
            models.UniqueConstraint(fields=["branch", "month", "member"], name="absence_month_key")
        ]

    def __str__(self):
        return f"{self.member_id} {self.branch_id} {self.month:%m/%Y}: {self.absences}"
