"""Recount the totals the database keeps where they are written (the members of each
branch by status, gender and standing; the meetings of each branch and year; each
member's absences without reason per branch and month; each open admission file's next
deadline) and report any that differ:
`manage.py check_totals`, nightly and after a restore (docs/deploy.md); `--rebuild`
writes them again from their tables."""

from django.core.management.base import BaseCommand, CommandError

from admission.kept_deadlines import KEPT_DEADLINES
from branchwork.absence_months import ABSENCE_MONTHS
from branchwork.meeting_years import MEETING_YEARS
from members.counts import MEMBER_TOTALS

KEPT = (MEMBER_TOTALS, MEETING_YEARS, ABSENCE_MONTHS, KEPT_DEADLINES)


class Command(BaseCommand):
    help = "Recount the totals the database keeps; --rebuild writes them again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Write the totals again from their tables."
        )

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            for totals in KEPT:
                written = totals.rebuild()
                self.stdout.write(f"{totals.name.capitalize()} written again: {written} rows.")
            return
        failed = 0
        for totals in KEPT:
            found = totals.differences()
            for key, kept, recounted in found:
                self.stdout.write(f"{totals.name}, {key}: kept {kept}, recounted {recounted}")
            if found:
                failed += len(found)
            else:
                self.stdout.write(f"{totals.name.capitalize()} agree with a recount.")
        if failed:
            raise CommandError(
                f"{failed} kept totals differ from a recount; "
                "run `manage.py check_totals --rebuild`."
            )
