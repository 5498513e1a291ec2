"""One issued document: its facts, its PDF, and the scanned signed copies attached to it."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from branches.queries import require_write
from papers.models import ScannedCopy
from papers.queries import documents_for
from papers.scans import attach_scan
from partyorg.stored_files import open_stored


class ScanForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Scanned signed copy (PDF, PNG or JPEG)"))


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request, pk):
    document = get_object_or_404(
        documents_for(request.user).select_related("node", "meeting"), pk=pk, number__isnull=False
    )
    form = ScanForm()
    if request.method == "POST":
        require_write(request.user)
        form = ScanForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                attach_scan(document, form.cleaned_data["file"], by=request.user)
            except ValidationError as error:
                form.add_error("file", error)
            else:
                messages.success(request, _("The scanned copy was attached."))
                return redirect("papers:document", document.pk)
    context = {"document": document, "scans": document.scans.all(), "form": form}
    return render(request, "papers/document.html", context)


@login_required
@require_GET
def scan_download(request, pk):
    scan = get_object_or_404(
        ScannedCopy.objects.filter(document__in=documents_for(request.user)), pk=pk
    )
    return FileResponse(open_stored(scan.file), content_type=scan.content_type)
