"""Printable documents of a file in the party document format (Hướng dẫn 36-HD/VPTW)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone, translation

from admission.deadlines import passed_vote
from admission.domain.common import deciding_bodies, grassroots_of
from admission.enums import DOCUMENT_DESCRIPTIONS, VoteKind
from admission.queries import (
    candidates_for,
    checklist_codes,
    missing_for_next_step,
    with_file,
)
from admission.rules import rule_on
from branches.issuers import issuer_lines, issuer_of, place_of
from members.enums import PositionRole
from partyorg import registers
from partyorg.documents import pdf_file_response, write_pdf
from partyorg.registers import IssuedSignature

STYLESHEET = "css/party_documents.css"


def _secretary(node, day) -> str:
    position = (
        node.positions.on(day)
        .filter(role=PositionRole.SECRETARY)
        .select_related("member")
        .order_by("-start_date")
        .first()
    )
    return position.member.full_name if position else ""


def _respond(request, template, context, filename):
    """The document as a PDF, or as HTML for a preview with ?format=html."""
    if request.GET.get("format") == "html":
        return render(request, template, context)
    with translation.override("vi"):
        html = render_to_string(template, context | {"pdf": True}, request=request)
    pdf = write_pdf(html, template_name=template, stylesheets=[STYLESHEET])
    return pdf_file_response(pdf, filename)


def _common(candidate, day):
    branch = candidate.branch
    heading = issuer_lines(branch, day)
    return {
        "candidate": candidate,
        "branch": branch,
        "heading": heading,
        "place": place_of(branch),
        "signature": IssuedSignature((heading.signs_for, "BÍ THƯ"), _secretary(branch, day)),
    }


@login_required
def branch_resolution(request, pk):
    """The branch resolution proposing admission (6-KNĐ)."""
    candidate = get_object_or_404(with_file(candidates_for(request.user)), pk=pk)
    vote = passed_vote(candidate, VoteKind.ADMISSION)
    if vote is None:
        raise Http404
    context = _common(candidate, vote.date)
    # Issued by the app: signed as its register says; a number entered from paper keeps
    # the secretary of the vote date; no number at all prints as a draft.
    issued = registers.signature_of(candidate.branch, vote.resolution_number, vote.date)
    context |= {
        "signature": issued or context["signature"],
        "vote": vote,
        "percent": vote.agreeing * 100 / vote.base,
        "date": vote.date,
    }
    return _respond(
        request, "admission/documents/branch_resolution.html", context, f"6-KND-{pk}.pdf"
    )


@login_required
def dossier_checklist(request, pk):
    """The checklist of the dossier: every form, its number and date, who checked it."""
    candidate = get_object_or_404(with_file(candidates_for(request.user)), pk=pk)
    held = {
        document.code: document for document in candidate.documents.select_related("checked_by")
    }
    missing = set(missing_for_next_step(candidate))
    rows = [
        {
            "label": code.label,
            "description": DOCUMENT_DESCRIPTIONS[code],
            "document": held.get(code),
            "missing": code in missing,
        }
        for code in checklist_codes(candidate)
    ]
    today = timezone.localdate()
    context = _common(candidate, today) | {"rows": rows, "date": today}
    return _respond(
        request, "admission/documents/dossier_checklist.html", context, f"ho-so-{pk}.pdf"
    )


def _committee_paper(candidate, body, number: str, day) -> dict:
    """What a committee's resolution or decision on a file prints: the heading of `body` on
    `day`, and the signature the register holds for `number` (a number typed from paper, or
    none yet, prints the secretary of that day)."""
    heading = issuer_lines(body, day)
    signature = registers.signature_of(body, number, day) or IssuedSignature(
        (heading.signs_for, "BÍ THƯ"), _secretary(body, day)
    )
    deciding = heading.issuer
    if heading.signs_for == "T/M BAN THƯỜNG VỤ":
        deciding = f"BAN THƯỜNG VỤ {heading.issuer}"
    return {
        "candidate": candidate,
        "branch": candidate.branch,
        "grassroots": issuer_of(grassroots_of(candidate.branch)).name,
        "heading": heading,
        "issuer_name": issuer_of(body).name,
        "deciding": deciding,
        "place": place_of(body),
        "signature": signature,
        "number": number,
        "date": day,
        "rule": rule_on(day),
        "branch_vote": passed_vote(candidate, VoteKind.ADMISSION),
    }


@login_required
def grassroots_resolution(request, pk):
    """The grassroots committee's resolution on an admission (8-KNĐ)."""
    candidate = get_object_or_404(candidates_for(request.user), pk=pk)
    resolution = candidate.grassroots_resolutions.filter(kind=VoteKind.ADMISSION).first()
    if resolution is None:
        raise Http404
    context = _committee_paper(candidate, resolution.node, resolution.number, resolution.date)
    context["decider"] = issuer_of(
        deciding_bodies(candidate.branch).first() or resolution.node
    ).recipient
    return _respond(
        request,
        "admission/documents/grassroots_resolution.html",
        context,
        f"8-KND-{pk}.pdf",
    )


@login_required
def decision(request, pk, kind):
    """The admission decision (9-KNĐ) or the decision recognizing an official member."""
    candidate = get_object_or_404(candidates_for(request.user), pk=pk)
    found = candidate.decisions.filter(kind=kind).select_related("issuing_body").first()
    if found is None:
        raise Http404
    context = _committee_paper(candidate, found.issuing_body, found.number, found.date)
    context["resolution"] = candidate.grassroots_resolutions.filter(kind=VoteKind.ADMISSION).first()
    if kind == VoteKind.CONVERSION:
        context["conversion_vote"] = passed_vote(candidate, VoteKind.CONVERSION)
        template, filename = "conversion_decision.html", f"QD-chinh-thuc-{pk}.pdf"
    else:
        template, filename = "admission_decision.html", f"9-KND-{pk}.pdf"
    return _respond(request, f"admission/documents/{template}", context, filename)
