from django.db import models

from branches.models import OrganizationNode


class BranchMeetingYear(models.Model):
    """The meetings a branch held in one year, kept by the database in the statement that
    writes the meetings: triggers on branchwork_meeting (migration 0010) add each
    statement's changes, so every path that writes minutes keeps it, imports and COPY
    included. The meetings pages group a subtree's branches with these rows instead of
    reading the meetings (branchwork.meeting_queries.node_year and children_year);
    `manage.py check_totals` recounts them."""

    branch = models.ForeignKey(
        OrganizationNode, on_delete=models.CASCADE, related_name="meeting_years", db_index=False
    )
    year = models.IntegerField()
    meetings = models.IntegerField()  # of every kind
    # The sum of 2^(month - 1) over its regular meetings. A branch holds one regular
    # meeting a month at most (one_regular_meeting_per_branch_month), so this is the set
    # of months held, as bits.
    regular_months = models.IntegerField()
    # Thematic meetings, or regular ones with a thematic part, in each quarter.
    thematic_1 = models.IntegerField()
    thematic_2 = models.IntegerField()
    thematic_3 = models.IntegerField()
    thematic_4 = models.IntegerField()
    # The attendance totals of its regular meetings.
    present = models.IntegerField()
    counted = models.IntegerField()

    class Meta:
        constraints = [
            # Year first: a page reads one year of a subtree's branches.
            models.UniqueConstraint(fields=["year", "branch"], name="meeting_year_key")
        ]

    def __str__(self):
        return f"{self.branch_id} {self.year}: {self.meetings}"
