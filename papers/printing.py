"""The PDF of a document: an issued one from what it froze when it was issued, never
recomputed; a draft from today's data, marked "DỰ THẢO" and without a number."""

import dataclasses

from django.utils import timezone

from branches.issuers import issuer_lines
from papers.annual import assessment_of, current_figures
from papers.enums import SignerCapacity
from papers.models import Document
from papers.signers import CAPACITY_OF_ROLE, holders, signature
from partyorg.documents import render_pdf

ANNUAL_REPORT_TEMPLATE = "papers/documents/annual_report.html"


def annual_report_context(document: Document) -> dict:
    if document.is_issued:
        heading = document.snapshot["heading"]
        return {
            "document": document,
            "heading": heading,
            "issued": document.issued_on,
            "figures": document.snapshot["report"],
            "assessment": document.snapshot["assessment"],
            "signature": signature(
                heading["signs_for"],
                document.signer_capacity,
                document.signer_name,
                document.signer_title,
            ),
            "original": document.corrects,
        }
    today = timezone.localdate()
    lines = issuer_lines(document.node, today)
    _report, figures = current_figures(document.node, document.report_year)
    first = holders(document.node, today).first()
    capacity = CAPACITY_OF_ROLE[first.role] if first else SignerCapacity.SECRETARY
    return {
        "document": document,
        "heading": dataclasses.asdict(lines),
        "issued": today,
        "figures": figures,
        "assessment": assessment_of(document),
        "signature": signature(lines.signs_for, capacity, first.member.full_name if first else ""),
        "original": document.corrects,
    }


def annual_report_pdf(document: Document) -> bytes:
    return render_pdf(ANNUAL_REPORT_TEMPLATE, annual_report_context(document))
