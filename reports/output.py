"""The report as a file: PDF (party document), standalone HTML, or Excel. A report whose
movement table does not balance is refused, with the figures that disagree."""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone

from branches.issuers import issuer_lines, issuer_of
from members.enums import PositionRole
from members.models import Position
from partyorg.documents import read_static, render_pdf
from reports import charts, excel, narrative, tables
from reports.service import AnnualReport

FORMATS = ("pdf", "html", "xlsx")
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCUMENT_TEMPLATE = "reports/annual_report_document.html"
DOCUMENT_CSS = ("css/document.css", "css/report_document.css")


class NotBalanced(Exception):
    """The movement table does not balance; the report must not be printed."""

    def __init__(self, report: AnnualReport):
        self.report = report
        super().__init__(report.imbalance_message())


@dataclass
class Signer:
    on_behalf: str
    title: str
    name: str


def signer(report: AnnualReport) -> Signer:
    node, day = report.node, report.end
    secretary = (
        Position.objects.on(day)
        .filter(node=node, role=PositionRole.SECRETARY)
        .select_related("member")
        .order_by("-start_date")
        .first()
    )
    return Signer(
        issuer_of(node).signs_for,
        "BÍ THƯ",
        secretary.member.full_name if secretary else "",
    )


def file_name(report: AnnualReport, fmt: str) -> str:
    return f"bao-cao-{report.node.code}-{report.year}.{fmt}"


def document_context(report: AnnualReport, *, issued: datetime.date | None = None) -> dict:
    issued = issued or timezone.localdate()
    return {
        "report": report,
        "node": report.node,
        "heading": issuer_lines(report.node, issued),
        "issued": issued,
        "summary": narrative.summary(report),
        "sections": narrative.sections(report),
        "tables": tables.tables(report),
        "charts": charts.charts(report),
        "signer": signer(report),
    }


def render(report: AnnualReport, fmt: str) -> bytes:
    """The report in `fmt` ("pdf", "html" or "xlsx"); NotBalanced when it must not print."""
    if not report.balances:
        raise NotBalanced(report)
    if fmt == "xlsx":
        return excel.workbook(report)
    context = document_context(report)
    if fmt == "pdf":
        return render_pdf(DOCUMENT_TEMPLATE, context)
    # A file to open without the server: its stylesheets go inside it.
    styles = "\n".join(read_static(path).decode("utf-8") for path in DOCUMENT_CSS)
    return render_to_string(DOCUMENT_TEMPLATE, {**context, "inline_css": styles}).encode()
