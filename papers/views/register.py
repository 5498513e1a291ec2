"""The register of documents a body issued in a year, and each document's PDF."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from papers import domain
from papers.enums import DocumentType
from papers.printing import annual_report_pdf
from papers.queries import documents_for
from partyorg.documents import pdf_file_response
from reports.views.common import check_year, scoped_node


@login_required
@require_GET
def register(request, code, year):
    node = scoped_node(request, code)
    check_year(year)
    documents = (
        documents_for(request.user)
        .filter(node=node, year=year, number__isnull=False)
        .select_related("node")
        .order_by("number")
    )
    return render(
        request,
        "papers/register.html",
        {"node": node, "year": year, "documents": documents},
    )


@login_required
@require_GET
def document_pdf(request, pk):
    document = get_object_or_404(
        documents_for(request.user).select_related("node", "corrects"),
        pk=pk,
        doc_type=DocumentType.REPORT,
        report_year__isnull=False,
    )
    state = f"so-{document.number:02d}" if document.is_issued else "du-thao"
    filename = f"bao-cao-{document.node.code}-{document.report_year}-{state}.pdf"
    return pdf_file_response(annual_report_pdf(document), filename)


@login_required
@require_GET
def draft_pdf(request, code, year):
    node = scoped_node(request, code)
    check_year(year)
    draft = domain.annual_report_draft(node, year, by=request.user, save=False)
    return pdf_file_response(annual_report_pdf(draft), f"bao-cao-{node.code}-{year}-du-thao.pdf")
