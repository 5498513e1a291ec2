"""The import page (upload, preview, confirm), templates and the member export."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.queries import oversees, require_write, role_of
from branchwork import badge_document
from members.forms import MemberFilterForm
from office.imports import exporting, tasks
from office.imports.forms import UploadForm
from office.imports.registry import RESOURCES, TEMPLATE_NAMES, resource_class
from partyorg.enums import ExportKind, ImportKind, ImportStatus, PreparedExportStatus
from partyorg.exports import record_export
from partyorg.imports import services
from partyorg.imports.files import store_bytes, workbook
from partyorg.models import ImportBatch
from partyorg.stored_files import open_stored
from partyorg.work import shown_after_ending_stopped

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "csv": "text/csv; charset=utf-8", "pdf": "application/pdf"}
RECENT_EXPORTS = 5


def batches_for(user):
    """Imports a user may see: their own, and for a user who writes, those of the people
    who work inside the user's part of the tree (all of them for superusers)."""
    batches = ImportBatch.objects.select_related("user", "user__party_role__node")
    if user.is_superuser:
        return batches
    role = role_of(user)
    if role is None or not role.can_write:
        return batches.filter(user=user)
    return batches.filter(Q(user=user) | Q(user__party_role__node__path__startswith=role.node.path))


def may_manage(user, batch: ImportBatch) -> bool:
    """Retry and cancel: the person who uploaded the file, or one who writes above them."""
    role = role_of(batch.user)
    return batch.user_id == user.pk or oversees(user, role.node if role else None)


def _check(batch: ImportBatch, size: int) -> None:
    if services.check_in_background(size):
        tasks.check_import.enqueue(batch.pk)
    else:
        services.check_batch(batch, resource_class=resource_class(batch.kind))


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    require_write(request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = ImportBatch.objects.create(
            kind=form.cleaned_data["kind"],
            file_name=form.file_name,
            stored_file=store_bytes(form.file_name, form.content),
            user=request.user,
        )
        _check(batch, len(form.content))
        return redirect(batch)
    recent = shown_after_ending_stopped(
        lambda: list(batches_for(request.user)[:20]), services.end_stopped_batches
    )
    kinds = [
        (kind, ImportKind(kind).label, hasattr(resource_class(kind), "exported"))
        for kind in RESOURCES
    ]
    exports = shown_after_ending_stopped(
        lambda: list(exporting.prepared_exports_for(request.user)[:RECENT_EXPORTS]),
        exporting.end_stopped_exports,
    )
    context = {"form": form, "recent": recent, "kinds": kinds, "exports": exports}
    return render(request, "imports/index.html", context)


@login_required
@require_GET
def template(request, kind):
    require_write(request.user)
    if kind not in RESOURCES:
        raise Http404
    resource = resource_class(kind)()
    content = workbook(resource, title=str(ImportKind(kind).label))
    return _download(content, f"{TEMPLATE_NAMES[ImportKind(kind)]}.xlsx", XLSX_TYPE)


@login_required
@require_GET
def detail(request, pk):
    (batch,) = shown_after_ending_stopped(
        lambda: [get_object_or_404(batches_for(request.user), pk=pk)],
        services.end_stopped_batches,
    )
    require_write(request.user)
    context = {
        "batch": batch,
        "may_apply": batch.user_id == request.user.pk or request.user.is_superuser,
        "may_manage": may_manage(request.user, batch),
    }
    return render(request, "imports/detail.html", context)


@login_required
@require_GET
def plan_preview(request, pk):
    """A checked restructuring plan rehearsed against the tree as it is now (and rolled
    back): the tree before and after, what each row moves, the errors by row. Any other
    import, or a plan no longer waiting to be applied, is shown on its own page."""
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    require_write(request.user)
    waiting = batch.status in {ImportStatus.CHECKED, ImportStatus.REJECTED}
    if batch.kind != ImportKind.PLAN or not waiting:
        return redirect(batch)
    report, resource = services.check_rows(
        resource_class(batch.kind), batch.stored_file, user=batch.user, label=batch.label
    )
    context = {"batch": batch, "preview": getattr(resource, "preview", None), "report": report}
    return render(request, "imports/plan_preview.html", context)


@login_required
@require_POST
def apply(request, pk):
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    require_write(request.user)
    if batch.user_id != request.user.pk and not request.user.is_superuser:
        raise PermissionDenied
    try:
        services.start_apply(batch)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(batch)
    if services.apply_in_background(batch):
        tasks.apply_import.enqueue(batch.pk)
    else:
        services.apply_batch(batch, resource_class=resource_class(batch.kind))
    return redirect(batch)


def _managed_batch(request, pk) -> ImportBatch:
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    require_write(request.user)
    if not may_manage(request.user, batch):
        raise PermissionDenied
    return batch


@login_required
@require_POST
def retry(request, pk):
    """Check the same stored file again, after a failure; applying it stays a second step."""
    batch = _managed_batch(request, pk)
    try:
        size = services.requeue(batch)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
        return redirect(batch)
    _check(batch, size)
    return redirect(batch)


@login_required
@require_POST
def cancel(request, pk):
    batch = _managed_batch(request, pk)
    try:
        services.cancel(batch)
    except services.Refused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("The import was cancelled; nothing was imported."))
    return redirect(batch)


def _exported_kind(kind: str) -> str:
    if kind not in RESOURCES or not hasattr(resource_class(kind), "exported"):
        raise Http404
    return kind


def _send_or_offer(request, asked: exporting.Request) -> HttpResponse:
    """The file at once; past EXPORT_BACKGROUND_ROWS rows, a page offering to have it
    prepared in the background instead."""
    rows = exporting.row_count(asked, request.user)
    if exporting.is_large(rows):
        context = {"asked": asked, "label": ExportKind(asked.kind).label, "rows": rows}
        return render(request, "imports/export_large.html", context)
    exported = exporting.export_file(asked, request.user)
    record_export(request, ExportKind(asked.kind), rows=exported.rows)
    return _download(exported.content, exported.name, CONTENT_TYPES[asked.file_format])


@login_required
@require_GET
def export(request, export_kind):
    """The records of a kind that has an export, in the user's subtree, in its template's
    columns: the file imports back unchanged."""
    require_write(request.user)
    return _send_or_offer(request, exporting.Request(_exported_kind(export_kind)))


def _member_list_export(data) -> exporting.Request:
    """The member list's export as its page's query asks: its filters and ?format=."""
    file_format = data.get("format", "xlsx")
    if file_format not in exporting.FILE_FORMATS:
        raise Http404
    filters = {name: value for name, value in data.items() if name in MemberFilterForm.base_fields}
    return exporting.Request(exporting.MEMBERS, filters, file_format)


@login_required
@require_GET
def export_members(request):
    """The member list with its current filters, as xlsx or csv in the template's columns;
    national ID, birth date, ethnicity, religion, hometown and residence for officers only."""
    return _send_or_offer(request, _member_list_export(request.GET))


@login_required
@require_POST
def prepare_export(request, export_kind):
    """Queue a large export; the member list (which read-only users may export too) with
    the filters the offering page passed on, and a badge list's PDF (which they may print)
    for the organization and award day it passed on."""
    if export_kind == exporting.MEMBERS:
        asked = _member_list_export(request.POST)
    elif export_kind == exporting.BADGE_LIST:
        if (filters := badge_document.filters_asked(request.user, request.POST)) is None:
            raise Http404
        asked = exporting.Request(exporting.BADGE_LIST, filters, "pdf")
    else:
        require_write(request.user)
        asked = exporting.Request(_exported_kind(export_kind))
    prepared, new = exporting.request_export(asked, request.user)
    if new:
        tasks.prepare_export.enqueue(prepared.pk)
    return redirect(prepared)


@login_required
@require_GET
def prepared_export(request, pk):
    (prepared,) = shown_after_ending_stopped(
        lambda: [get_object_or_404(exporting.prepared_exports_for(request.user), pk=pk)],
        exporting.end_stopped_exports,
    )
    context = {"prepared": prepared, "described": exporting.described(prepared)}
    return render(request, "imports/prepared_export.html", context)


@login_required
@require_GET
def prepared_export_download(request, pk):
    prepared = get_object_or_404(
        exporting.prepared_exports_for(request.user), pk=pk, status=PreparedExportStatus.DONE
    )
    opened = open_stored(prepared.file)
    record_export(
        request,
        ExportKind(prepared.kind),
        rows=prepared.rows,
        prepared=prepared.pk,
        **prepared.filters,
    )
    return FileResponse(
        opened,
        as_attachment=True,
        filename=exporting.download_name(prepared),
        content_type=CONTENT_TYPES[prepared.file_format],
    )
