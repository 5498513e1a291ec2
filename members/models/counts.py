from django.db import models

from branches.models import OrganizationNode
from members.enums import Gender, MemberStatus


class BranchMemberCount(models.Model):
    """How many members a branch has of one status, gender and standing (official or
    probationary), kept by the database in the statement that writes the members: triggers
    on members_member (migration 0008) add each statement's changes, so every write path
    keeps it, COPY and bulk updates included. Pages add these rows up instead of counting
    members (members.queries.counts_in); `manage.py check_totals` recounts them."""

    branch = models.ForeignKey(
        OrganizationNode, on_delete=models.CASCADE, related_name="member_counts", db_index=False
    )
    status = models.CharField(max_length=16, choices=MemberStatus.choices)
    gender = models.CharField(max_length=8, choices=Gender.choices)
    # Converted or admitted as official: an official date (never in the future) is set.
    official = models.BooleanField()
    members = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "status", "gender", "official"], name="member_count_key"
            )
        ]

    def __str__(self):
        return f"{self.branch_id} {self.status} {self.gender} {self.official}: {self.members}"
