"""Documents before a meeting, on the secretary's side: the branch's list of published
documents with who opened them, publishing, adding to and withdrawing files, and the
files themselves for the branch's writers and readers above."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models import OrganizationNode
from branches.queries import organizations_for, require_write
from branchwork import notices as domain
from branchwork.meeting_forms import NoticeForm
from branchwork.meeting_queries import notices_with_files
from branchwork.models import MeetingNotice, NoticeFile
from partyorg.locking import Stale, show_conflict
from partyorg.stored_files import open_stored

NOTICES_PER_PAGE = 20


def _branch(request, code) -> OrganizationNode:
    branch = get_object_or_404(organizations_for(request.user), code=code)
    if not branch.is_branch:
        raise Http404
    return branch


def _notice(request, code, pk) -> MeetingNotice:
    branch = _branch(request, code)
    notice = get_object_or_404(
        notices_with_files(MeetingNotice.objects.filter(branch=branch)), pk=pk
    )
    notice.branch = branch
    return notice


def _publish_messages(request, notice: MeetingNotice, message: str) -> None:
    messages.success(request, message)
    warning = domain.late_warning(notice.meeting_date, timezone.localdate())
    if warning:
        messages.warning(request, warning)


def _form_page(request, context):
    context["limit"] = domain.max_file_bytes() // 2**20
    return render(request, "branchwork/meetings/notice_form.html", context)


@login_required
@require_GET
def notice_list(request, code):
    """The branch's published documents, newest meeting first; who has not yet opened
    the files is shown for the newest (each notice's page shows it for its own)."""
    branch = _branch(request, code)
    notices = notices_with_files(branch.meeting_notices.order_by("-meeting_date"))
    page = Paginator(notices, NOTICES_PER_PAGE).get_page(request.GET.get("page"))
    items = list(page)
    for notice in items:
        notice.branch = branch
    if items and page.number == 1:
        domain.with_readers(items[0])
    context = {"branch": branch, "page": page, "notices": items}
    return render(request, "branchwork/meetings/notice_list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def notice_publish(request, code):
    branch = _branch(request, code)
    require_write(request.user)
    if not branch.is_active:
        raise Http404
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        published=False,
        initial={"meeting_date": request.GET.get("date")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = domain.publish(branch, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            notice.branch = branch
            _publish_messages(request, notice, _("The documents were shared with the members."))
            return redirect(notice)
    return _form_page(request, {"branch": branch, "form": form})


@login_required
@require_GET
def notice_detail(request, code, pk):
    notice = domain.with_readers(_notice(request, code, pk))
    return render(
        request,
        "branchwork/meetings/notice_detail.html",
        {"branch": notice.branch, "notice": notice},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_edit(request, code, pk):
    notice = _notice(request, code, pk)
    require_write(request.user)
    form = NoticeForm(
        request.POST or None,
        request.FILES or None,
        published=True,
        initial={"agenda": notice.agenda, "version": notice.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.add_to(notice, **form.cleaned_data, by=request.user)
        except Stale as stale:
            show_conflict(form, stale)
        except ValidationError as error:
            form.add_error("files", error.message_dict["files"])
        else:
            _publish_messages(request, notice, _("The documents were saved."))
            return redirect(notice)
    return _form_page(request, {"branch": notice.branch, "form": form, "notice": notice})


def _file(request, code, pk) -> NoticeFile:
    branch = _branch(request, code)
    return get_object_or_404(NoticeFile.objects.filter(notice__branch=branch), pk=pk)


@login_required
@require_GET
def notice_file(request, code, pk):
    """A file as the branch's writers and the committees above keep it (withdrawn ones
    too); opening it here is not a member's reading and is not recorded."""
    file = _file(request, code, pk)
    opened = open_stored(file.file)
    return FileResponse(opened, content_type=file.content_type, filename=file.name)


@login_required
@require_POST
def notice_withdraw(request, code, pk):
    file = _file(request, code, pk)
    require_write(request.user)
    domain.withdraw(file, by=request.user)
    messages.success(request, _("The file was withdrawn: members no longer see it."))
    return redirect("meetings:notice", code, file.notice_id)
