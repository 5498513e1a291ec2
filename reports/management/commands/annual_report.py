from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from branches.models import OrganizationNode
from partyorg.documents import DocumentFailed
from partyorg.routers import reading_for_reports
from reports.output import FORMATS, NotBalanced, render
from reports.service import build_annual_report


class Command(BaseCommand):
    help = "Write the annual report of an organization's subtree for a year."

    def add_arguments(self, parser):
        parser.add_argument("code", help="Code of the organization (e.g. H01).")
        parser.add_argument("year", type=int)
        parser.add_argument("--format", choices=FORMATS, default="pdf")
        parser.add_argument("--output", required=True, type=Path, help="File to write.")

    def handle(self, *args, code, year, format, output, **options):
        node = OrganizationNode.objects.filter(code=code).first()
        if node is None:
            raise CommandError(f"No organization has the code {code!r}.")
        try:
            with reading_for_reports():
                report = build_annual_report(node, year)
                content = render(report, format)
        except NotBalanced as error:
            raise CommandError(f"{error.report.imbalance_message_vi()}\n{error}") from error
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        except DocumentFailed as error:
            raise CommandError(f"{error} ({error.__cause__!r})") from error
        output.write_bytes(content)
        self.stdout.write(
            f"Wrote {output} ({len(content):,} bytes): {node.name}, {year}, "
            f"{report.totals.members} members."
        )
