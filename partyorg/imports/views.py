"""The import page (upload, preview, confirm), templates and the member export."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.enums import BRANCH_KINDS
from branches.queries import organizations_for, require_write
from members.forms import ACTIVE, MemberFilterForm
from members.queries import members_for
from members.resources import MemberResource
from partyorg.enums import ExportKind, ImportKind, ImportStatus
from partyorg.exports import record_export
from partyorg.imports import services, tasks
from partyorg.imports.files import csv_bytes, store_bytes, workbook
from partyorg.imports.forms import UploadForm
from partyorg.imports.registry import RESOURCES, resource_class
from partyorg.models import DeletedUpload, ImportBatch

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
TEMPLATE_NAMES = {
    ImportKind.NODES: "mau-to-chuc-dang",
    ImportKind.MEMBERS: "mau-dang-vien",
    ImportKind.AREAS: "mau-thon-to-dan-pho",
    ImportKind.CANDIDATES: "mau-quan-chung-uu-tu",
}


def batches_for(user):
    """Imports a user may see: their own (all of them for superusers)."""
    batches = ImportBatch.objects.select_related("user")
    return batches if user.is_superuser else batches.filter(user=user)


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
        if services.check_in_background(len(form.content)):
            tasks.check_import.enqueue(batch.pk)
        else:
            services.check_batch(batch)
        return redirect(batch)
    recent = batches_for(request.user)[:20]
    kinds = [(kind, ImportKind(kind).label) for kind in RESOURCES]
    return render(request, "imports/index.html", {"form": form, "recent": recent, "kinds": kinds})


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
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    require_write(request.user)
    return render(request, "imports/detail.html", {"batch": batch})


@login_required
@require_POST
def apply(request, pk):
    batch = get_object_or_404(batches_for(request.user), pk=pk)
    require_write(request.user)
    if batch.status != ImportStatus.CHECKED:
        messages.error(request, _("Only a checked file without errors can be imported."))
        return redirect(batch)
    if DeletedUpload.objects.filter(batch=batch).exists():
        messages.error(
            request,
            _("This file was deleted %(days)d days after its upload: upload it again.")
            % {"days": settings.UPLOAD_RETENTION_DAYS},
        )
        return redirect(batch)
    if services.apply_in_background(batch):
        ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.APPLYING)
        tasks.apply_import.enqueue(batch.pk)
    else:
        services.apply_batch(batch)
    return redirect(batch)


@login_required
@require_GET
def export_members(request):
    """The member list with its current filters, as xlsx or csv in the template's columns."""
    data = request.GET.copy()
    file_format = data.pop("format", ["xlsx"])[-1]
    if file_format not in {"xlsx", "csv"}:
        raise Http404
    data.pop("page", None)
    branches = organizations_for(request.user).filter(
        kind__in=BRANCH_KINDS, dissolved_on__isnull=True
    )
    filters = MemberFilterForm(data or {"status": ACTIVE}, branches=branches)
    members = members_for(request.user)
    members = filters.filter(members) if filters.is_valid() else members.none()
    resource = MemberResource(user=request.user)
    dataset = resource.export(members)
    name = f"dang-vien-{timezone.localdate():%Y%m%d}.{file_format}"
    record_export(request, ExportKind.MEMBERS, rows=len(dataset))
    if file_format == "csv":
        return _download(csv_bytes(dataset), name, "text/csv; charset=utf-8")
    return _download(workbook(resource, dataset, title="Đảng viên"), name, XLSX_TYPE)
