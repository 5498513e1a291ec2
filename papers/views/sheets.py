"""Papers an office prints from its records to keep or to have signed: the member's
record sheet (phiếu đảng viên, Hướng dẫn 12-HD/BTCTW, with the fields the app holds)
and the attendance sheet of a meeting, to sign."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from branches.issuers import issuer_lines
from branchwork.meetings import branch_roll
from branchwork.models import Meeting
from members.queries import members_for
from partyorg.documents import pdf_file_response, write_pdf
from reports.views.common import scoped_node

STYLESHEETS = ("css/document.css", "css/papers_documents.css")


def _pdf(template: str, context: dict, filename: str):
    with translation.override("vi"):
        html = render_to_string(template, context)
    return pdf_file_response(
        write_pdf(html, template_name=template, stylesheets=STYLESHEETS), filename
    )


@login_required
@require_GET
def attendance_sheet(request, code, pk):
    branch = scoped_node(request, code)
    meeting = get_object_or_404(Meeting.objects.filter(branch=branch), pk=pk)
    context = {
        "branch": branch,
        "meeting": meeting,
        "heading": issuer_lines(branch, meeting.date),
        "roll": branch_roll(branch, meeting.date),
    }
    filename = f"danh-sach-ky-{branch.code}-{meeting.date:%Y-%m-%d}.pdf"
    return _pdf("papers/documents/attendance_sheet.html", context, filename)


@login_required
@require_GET
def member_record(request, number):
    member = get_object_or_404(members_for(request.user), member_number=number)
    today = timezone.localdate()
    context = {
        "member": member,
        "heading": issuer_lines(member.branch, today),
        "today": today,
        "positions": member.positions.select_related("node", "residential_area"),
        "events": member.events.select_related("from_branch", "to_branch").order_by("date", "id"),
    }
    return _pdf("papers/documents/member_record.html", context, f"phieu-dang-vien-{number}.pdf")
