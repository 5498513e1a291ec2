"""Issuing a document: its number from the body's register, its signer, its frozen content."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from branches.issuers import issuer_lines
from members.models import Position
from papers.annual import ASSESSMENT_FIELDS as ASSESSMENT
from papers.annual import assessment_of, figures_of
from papers.enums import DocumentType, SignerCapacity
from papers.models import Document, Register
from papers.signers import CAPACITY_OF_ROLE
from partyorg.registers import ChosenSigner
from reports.service import build_annual_report


def next_number(node, year: int) -> int:
    """The next number of `node`'s register for `year`, taken under a row lock so that two
    documents issued at the same moment never share a number nor leave a gap. Call inside
    the issuing transaction: a rollback gives the number back."""
    Register.objects.get_or_create(node=node, year=year)
    register = Register.objects.select_for_update().get(node=node, year=year)
    register.last_number += 1
    register.save(update_fields=["last_number"])
    return register.last_number


def issue(
    document: Document,
    *,
    on: datetime.date,
    signer: Position | None,
    by,
    content: dict | None = None,
    chosen: ChosenSigner | None = None,
) -> Document:
    """Issue the draft `document` on `on`, signed by the holder of `signer` (None for
    minutes, which their chair and minute-taker sign), or by the member `chosen` under the
    title typed when nobody held the post.

    Effects, in one transaction: the next number of the issuing body's register for the
    year of `on`; the issuer's heading as it stood on `on` and `content` (what the
    document prints, e.g. a report's figures) frozen in the snapshot; the signer's name
    and capacity (secretary, or deputy for the secretary); a history row naming `by`.
    """
    assert not document.is_issued, "an issued document is never issued again"
    lines = issuer_lines(document.node, on)
    with transaction.atomic():
        document.number = next_number(document.node, on.year)
        document.year = on.year
        document.issued_on = on
        document.symbol = lines.symbol
        if chosen is not None:
            document.signer = chosen.member
            document.signer_name = chosen.member.full_name
            document.signer_capacity = SignerCapacity.OTHER
            document.signer_title = chosen.title
        elif signer is not None:
            document.signer = signer.member
            document.signer_name = signer.member.full_name
            document.signer_capacity = CAPACITY_OF_ROLE[signer.role]
        document.snapshot = {
            "heading": {
                "parent": lines.parent,
                "issuer": lines.issuer,
                "signs_for": lines.signs_for,
                "recipients": list(lines.recipients),
                "place": lines.place,
            },
            **(content or {}),
        }
        document.issued_by = by
        document._history_user = by
        document._change_reason = "issued"
        document.save()
    return document


def annual_report_draft(node, year: int, *, by, save: bool = True) -> Document:
    """The draft of `node`'s report on `year`, saved on first use (left unsaved with
    `save=False`, for pages that only read). After a report was filed, the new draft
    corrects the latest one and starts from its assessment."""
    filed = filed_reports(node, year).first()
    draft = Document.objects.filter(
        node=node, report_year=year, doc_type=DocumentType.REPORT, number__isnull=True
    ).first()
    if draft is None:
        draft = Document(
            node=node,
            doc_type=DocumentType.REPORT,
            report_year=year,
            summary=f"Tình hình tổ chức đảng, đảng viên năm {year}",
            corrects=filed,
            created_by=by,
        )
        if filed is not None:
            for name in ASSESSMENT:
                setattr(draft, name, getattr(filed, name))
        if save:
            draft._history_user = by
            draft.save()
    return draft


def filed_reports(node, year: int):
    """The annual reports `node` issued on `year`, the latest first."""
    return Document.objects.filter(
        node=node, report_year=year, doc_type=DocumentType.REPORT, number__isnull=False
    ).order_by("-issued_on", "-id")


def issue_annual_report(document: Document, *, on: datetime.date, signer: Position, by):
    """Issue the annual report draft `document`: its figures, narrative and assessment as
    they print today are frozen with it (see `issue`). A report whose movement table does
    not balance is refused (ValidationError) and nothing is issued."""
    report = build_annual_report(document.node, document.report_year)
    if not report.balances:
        raise ValidationError(report.imbalance_message())
    figures = figures_of(report)
    document.summary = figures["summary"]
    content = {"report": figures, "assessment": assessment_of(document)}
    return issue(document, on=on, signer=signer, by=by, content=content)
