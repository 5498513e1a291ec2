"""Recount the totals the database keeps (the members of each branch by status, gender and
standing) and report any that differ: `manage.py check_totals`, nightly and after a
restore (docs/deploy.md); `--rebuild` writes them again from the members."""

from django.core.management.base import BaseCommand, CommandError

from members import counts


class Command(BaseCommand):
    help = "Recount the member totals kept per branch; --rebuild writes them again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Write the totals again from the members."
        )

    def handle(self, *args, rebuild=False, **options):
        if rebuild:
            written = counts.rebuild()
            self.stdout.write(f"Member totals written again: {written} rows.")
            return
        found = counts.differences()
        for (branch, status, gender, official), kept, recounted in found:
            self.stdout.write(
                f"branch {branch}, {status}, {gender}, official={official}: "
                f"kept {kept}, recounted {recounted}"
            )
        if found:
            raise CommandError(
                f"{len(found)} member totals differ from a recount; "
                "run `manage.py check_totals --rebuild`."
            )
        self.stdout.write("Member totals agree with a recount.")
