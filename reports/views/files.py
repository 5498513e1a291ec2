"""The report as a file: at once for small subtrees, prepared in the background for
large ones (a GeneratedReport row with its progress, then the download)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partyorg.enums import ExportKind
from partyorg.exports import record_export
from partyorg.routers import reading_for_reports
from partyorg.stored_files import open_stored
from partyorg.work import shown_after_ending_stopped
from reports import generation, tasks
from reports.enums import ReportFormat, ReportStatus
from reports.output import CONTENT_TYPES, NotBalanced, file_name
from reports.output import render as render_file
from reports.service import build_annual_report
from reports.views.common import check_year, scoped_node


def _check_format(fmt: str) -> str:
    if fmt not in ReportFormat.values:
        raise Http404
    return fmt


def _refusal(request, node, year, message: str, message_vi: str, status: int) -> HttpResponse:
    return render(
        request,
        "reports/refused.html",
        {"node": node, "year": year, "message": message, "message_vi": message_vi},
        status=status,
    )


@login_required
@require_GET
def report_file(request, code, year, fmt):
    """The PDF, Excel or HTML file of a small subtree's report; a large subtree is sent
    back to its dashboard to have the file prepared in the background."""
    node = scoped_node(request, code)
    check_year(year)
    _check_format(fmt)
    if generation.is_large(node):
        messages.info(
            request,
            _("This organization is large: its report is prepared in the background."),
        )
        return redirect(reverse("reports:dashboard", args=[code, year]) + "#files")
    try:
        with reading_for_reports():
            report = build_annual_report(node, year)
            content = render_file(report, fmt)
    except NotBalanced as error:
        return _refusal(
            request, node, year, str(error), error.report.imbalance_message_vi(), status=409
        )
    except ValidationError as error:
        message = " ".join(error.messages)
        return _refusal(request, node, year, message, "", status=400)
    record_export(request, ExportKind.ANNUAL_REPORT)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{file_name(report, fmt)}"'
    return response


@login_required
@require_POST
def generate(request, code, year):
    """Queue the preparation of the report file. Reading a report changes no record, so a
    read-only viewer may ask for one too."""
    node = scoped_node(request, code)
    check_year(year)
    fmt = request.POST.get("format", "")
    if fmt not in ReportFormat.values:
        messages.error(request, _("Choose PDF, Excel or HTML."))
        return redirect("reports:dashboard", code, year)
    generated = generation.GeneratedReport.objects.create(
        node=node, year=year, format=fmt, requested_by=request.user
    )
    tasks.generate_report.enqueue(generated.pk)
    return redirect(generated)


@login_required
@require_GET
def file_status(request, pk):
    scoped = generation.generated_reports_for(request.user)
    (generated,) = shown_after_ending_stopped(
        lambda: [get_object_or_404(scoped, pk=pk)], generation.end_stopped_reports
    )
    context = {
        "generated": generated,
        "may_manage": generation.may_manage(request.user, generated),
    }
    return render(request, "reports/file_status.html", context)


def _managed_report(request, pk):
    generated = get_object_or_404(generation.generated_reports_for(request.user), pk=pk)
    if not generation.may_manage(request.user, generated):
        raise PermissionDenied
    return generated


def _taken(request, step, generated) -> bool:
    """Take the step on the report file; when its state refuses it, tell the user why."""
    try:
        step(generated)
    except generation.Refused as refusal:
        messages.error(request, str(refusal))
        return False
    return True


@login_required
@require_POST
def file_retry(request, pk):
    generated = _managed_report(request, pk)
    if _taken(request, generation.requeue, generated):
        tasks.generate_report.enqueue(generated.pk)
    return redirect(generated)


@login_required
@require_POST
def file_cancel(request, pk):
    generated = _managed_report(request, pk)
    if _taken(request, generation.cancel, generated):
        messages.success(request, _("The report file was cancelled."))
    return redirect(generated)


@login_required
@require_GET
def file_download(request, pk):
    generated = get_object_or_404(
        generation.generated_reports_for(request.user), pk=pk, status=ReportStatus.DONE
    )
    opened = open_stored(generated.file)
    record_export(request, ExportKind.ANNUAL_REPORT, code=generated.node.code, year=generated.year)
    return FileResponse(
        opened,
        as_attachment=generated.format != ReportFormat.PDF,
        filename=generated.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[generated.format],
    )
