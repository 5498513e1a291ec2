"""The pages of one person: their own record, and their reminder settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from branches.queries import role_of
from branchwork.models import NoticeFile
from branchwork.notices import record_opening
from members.models import Member
from partyorg.stored_files import open_stored
from personal.forms import ReminderSettingsForm
from personal.models import ReminderSettings
from personal.record import own_record
from personal.reminders import inbox


def _own_member(request) -> Member:
    """The signed-in account's member; 404 for an account that is not a member's, or
    whose role ended."""
    member = Member.objects.select_related("branch").filter(account__account=request.user).first()
    if member is None or role_of(request.user) is None:
        raise Http404
    return member


@login_required
@require_GET
def record(request):
    """The signed-in member's own record: no number in the address, so there is no one
    else's to ask for."""
    member = _own_member(request)
    today = timezone.localdate()
    context = {"own": own_record(member, today), "inbox": inbox(request.user, today)}
    return render(request, "personal/record.html", context)


@login_required
@require_GET
def document(request, pk):
    """A file shared before a meeting of the member's own branch (404 for any other, and
    for a withdrawn one); the member's first opening of it is recorded."""
    member = _own_member(request)
    file = get_object_or_404(
        NoticeFile.objects.filter(notice__branch_id=member.branch_id, withdrawn_at__isnull=True),
        pk=pk,
    )
    opened = open_stored(file.file)
    record_opening(file, member)
    return FileResponse(opened, content_type=file.content_type, filename=file.name)


@login_required
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """The address the daily email of reminders goes to, and whether to send it."""
    current = ReminderSettings.objects.filter(user=request.user).first()
    form = ReminderSettingsForm(
        request.POST or None, instance=current or ReminderSettings(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        choice = form.save(commit=False)
        choice._history_user = request.user
        choice.save()
        messages.success(request, _("Your reminder settings were saved."))
        return redirect("home")
    return render(request, "personal/reminder_settings.html", {"form": form})
