"""Import a spreadsheet as an operator, with the checks and report of the import page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from branches.queries import require_write
from office.imports.registry import RESOURCES, resource_class
from partyorg.imports import services
from partyorg.imports.files import FileProblem, store_bytes
from partyorg.models import ImportBatch


class Command(BaseCommand):
    help = "Import organizations, members or residential areas from an .xlsx or .csv file."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=[str(kind) for kind in RESOURCES])
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="Username the import runs as.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and save nothing."
        )

    def handle(self, *args, kind, file, user, dry_run, **options):
        try:
            account = get_user_model().objects.get(username=user)
            require_write(account)
        except (get_user_model().DoesNotExist, PermissionDenied) as error:
            raise CommandError(f"User {user!r} does not exist or may not import.") from error
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            stored = store_bytes(file.name, file.read_bytes())
        except FileProblem as problem:
            raise CommandError(str(problem)) from problem
        batch = ImportBatch.objects.create(
            kind=kind, file_name=file.name[-200:], stored_file=stored, user=account
        )
        resource = resource_class(kind)
        report = services.check_batch(batch, resource_class=resource)
        if report.ok and not dry_run:
            services.start_apply(batch)
            report = services.apply_batch(batch, resource_class=resource)
        self._print(batch, report, dry_run)
        if not report.ok:
            raise CommandError(f"{len(report.errors)} error(s); nothing was imported.")

    def _print(self, batch, report, dry_run):
        for error in report.errors:
            where = f"row {error['row']}" if error["row"] else "file"
            column = f", {error['column']}" if error["column"] else ""
            self.stderr.write(f"{where}{column}: {error['message']}")
        verb = "checked (dry run)" if dry_run else "imported"
        if report.ok:
            self.stdout.write(
                f"{batch.label}: {report.total} rows {verb}: {report.new} new, "
                f"{report.updated} updated, {report.unchanged} unchanged."
            )
