"""Import a spreadsheet as an operator, with the checks and report of the import page."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from branches.queries import require_write
from office.imports.registry import RESOURCES, available_kinds, resource_class
from partyorg.enums import ImportKind
from partyorg.imports import services
from partyorg.imports.files import FileProblem, store_bytes, workbook
from partyorg.models import ImportBatch


class Command(BaseCommand):
    help = (
        "Import any kind the import pages offer from an .xlsx or .csv file; --list names "
        "the kinds, KIND --template FILE writes a kind's template."
    )

    def add_arguments(self, parser):
        parser.add_argument("kind", nargs="?", choices=[str(kind) for kind in RESOURCES])
        parser.add_argument("file", nargs="?", type=Path)
        parser.add_argument("--user", help="Username the import runs as.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Check every row and save nothing."
        )
        parser.add_argument(
            "--list", action="store_true", dest="list_kinds", help="Name the kinds and stop."
        )
        parser.add_argument("--template", type=Path, help="Write the kind's template here.")

    def handle(self, *args, kind, file, user, dry_run, list_kinds, template, **options):
        if list_kinds:
            for value, label in available_kinds():
                self.stdout.write(f"{value}\t{label}")
            return
        if kind is None:
            raise CommandError("Name the kind to import (--list names them).")
        if template is not None:
            content = workbook(resource_class(kind)(), title=str(ImportKind(kind).label))
            template.write_bytes(content)
            return
        if file is None or not user:
            raise CommandError("Give the file to import and --user.")
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
