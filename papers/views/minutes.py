"""Minutes filed in the branch's register: a finalized meeting's minutes take the next
number ("Số 05-BB/CB") and the place the meeting was held; the printed minutes carry both."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from branches.issuers import issuer_lines
from branches.queries import require_write
from branchwork.models import Meeting
from branchwork.views.meetings import minutes_context
from papers import domain
from papers.enums import DocumentType
from papers.models import Document
from partyorg.documents import pdf_response
from reports.views.common import scoped_node


class PlaceForm(forms.Form):
    place = forms.CharField(label=gettext_lazy("Meeting place"), max_length=200)


def _meeting(request, code, pk) -> tuple:
    branch = scoped_node(request, code)
    meeting = get_object_or_404(
        Meeting.objects.filter(branch=branch).select_related("chair", "minute_taker"), pk=pk
    )
    return branch, meeting


@login_required
@require_POST
def number_minutes(request, code, pk):
    branch, meeting = _meeting(request, code, pk)
    require_write(request.user)
    form = PlaceForm(request.POST)
    if not meeting.is_final:
        messages.error(request, _("Finalize the minutes before they take a number."))
    elif Document.objects.filter(meeting=meeting).exists():
        messages.error(request, _("These minutes have a number already."))
    elif not form.is_valid():
        messages.error(request, _("Enter the place where the meeting was held."))
    else:
        document = Document(
            node=branch,
            doc_type=DocumentType.MINUTES,
            meeting=meeting,
            place=form.cleaned_data["place"],
            summary=f"Biên bản sinh hoạt chi bộ ngày {meeting.date:%d/%m/%Y}",
            created_by=request.user,
        )
        domain.issue(document, on=meeting.date, signer=None, by=request.user)
        messages.success(
            request, _("The minutes were numbered %(number)s.") % {"number": document.number_text}
        )
    return redirect(meeting)


@login_required
@require_GET
def minutes_pdf(request, code, pk):
    """The minutes as the branch filed them, with their number and place (without them
    while the minutes are not numbered)."""
    branch, meeting = _meeting(request, code, pk)
    document = Document.objects.filter(meeting=meeting).first()
    context = {
        **minutes_context(branch, meeting),
        "heading": issuer_lines(branch, meeting.date),
        "filed": document,
    }
    number = f"-so-{document.number:02d}" if document else ""
    filename = f"bien-ban-{branch.code}-{meeting.date:%Y-%m-%d}{number}.pdf"
    return pdf_response("branchwork/meetings/minutes_pdf.html", context, filename, request)
