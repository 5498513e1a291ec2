"""Branch meetings: the secretary's list and one-screen minutes form, the minutes page
with its versions and PDF, and the year overview of a committee's branches."""

import datetime
import functools
import itertools
import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from branches.issuers import issuer_lines
from branches.models import OrganizationNode
from branches.queries import organizations_for, require_write
from branchwork import meetings as domain
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.meeting_forms import GuestFormSet, MeetingForm, guest_choices, guest_initial
from branchwork.meeting_queries import (
    book_header,
    children_year,
    meeting_header,
    notices_with_files,
    rate,
    unexcused_absentees,
)
from branchwork.models import Attendance, Meeting, MeetingGuest, MeetingNotice
from branchwork.notices import with_readers
from partyorg.documents import pdf_response
from partyorg.locking import Stale, last_change, show_conflict
from partyorg.rules import removal_rule
from partyorg.years import parse_year

ABSENTEES_SHOWN = 100
CHILDREN_PER_PAGE = 50


def _node(request, code) -> OrganizationNode:
    return get_object_or_404(organizations_for(request.user), code=code)


def _branch_meeting(request, code, pk) -> tuple[OrganizationNode, Meeting]:
    branch = _node(request, code)
    meeting = get_object_or_404(
        Meeting.objects.filter(branch=branch)
        .select_related("chair", "minute_taker", "finalized_by")
        .prefetch_related("guests"),
        pk=pk,
    )
    meeting.branch = branch
    return branch, meeting


# Meetings are shown from the first year an office's history may hold to the next year,
# whose notices may be published ahead.
FIRST_MEETING_YEAR = 1930


def _last_meeting_year() -> int:
    return timezone.localdate().year + 1


def _year(request) -> int:
    return parse_year(
        request.GET.get("year"),
        first=FIRST_MEETING_YEAR,
        last=_last_meeting_year(),
        kept=_(
            "Meetings are shown for the years %(first)d to %(last)d; "
            "“%(value)s” is not one of them."
        ),
    )


def _parse_date(value) -> datetime.date | None:
    try:
        return forms.DateField().clean(value)
    except ValidationError:
        return None


def _add_errors(form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _year_links(year: int) -> dict:
    """The years before and after `year` the pages show, None past either end."""
    return {
        "previous_year": year - 1 if year > FIRST_MEETING_YEAR else None,
        "next_year": year + 1 if year < _last_meeting_year() else None,
    }


@login_required
def meeting_list(request, code):
    """A branch: its meetings of the year by month, with attendance; a committee: the
    figures of its subtree and of each child organization, meetings held against expected."""
    node = _node(request, code)
    year = _year(request)
    if not node.is_branch:
        return _overview(request, node, year)
    absentees = unexcused_absentees(node, year, ABSENTEES_SHOWN)[0]
    context = {
        "node": node,
        "year": year,
        **_year_links(year),
        "absentees": absentees,
        "removal_rule": removal_rule(year),
    }
    meetings = list(node.meetings.filter(date__year=year).order_by("date", "start_time"))
    months = {m: [] for m in range(1, 13)}
    for meeting in meetings:
        meeting.rate = rate(meeting.present_count, meeting.counted_count)
        months[meeting.date.month].append(meeting)
    today = timezone.localdate()
    context["months"] = [
        {
            "number": number,
            "first": datetime.date(year, number, 1),
            "meetings": items,
            "met": any(m.kind == MeetingKind.REGULAR for m in items),
            "past": datetime.date(year, number, 1) <= today,
            "over": (datetime.date(year, number, 1) + datetime.timedelta(days=31)).replace(day=1)
            <= today,
        }
        for number, items in months.items()
    ]
    return render(request, "branchwork/meetings/branch_meetings.html", context)


def _overview(request, node, year):
    figures = children_year(node, year, timezone.localdate())
    children = [
        child
        for child in OrganizationNode.objects.get_children(node)
        if child.path in figures["children"]
    ]
    for child in children:
        child.figures = figures["children"][child.path]
    context = {
        "node": node,
        "year": year,
        **_year_links(year),
        "absentees": unexcused_absentees(node, year, ABSENTEES_SHOWN)[0],
        "removal_rule": removal_rule(year),
        "totals": figures["totals"],
        "page": Paginator(children, CHILDREN_PER_PAGE).get_page(request.GET.get("page")),
        # Months met or missed are shown for the branches among the children only.
        "with_months": any("month_flags" in child.figures for child in children),
        "query": urlencode({"year": year}),
    }
    return render(request, "branchwork/meetings/overview.html", context)


def _entry_key(request) -> uuid.UUID | None:
    try:
        return uuid.UUID(request.POST.get("entry_key", ""))
    except ValueError:
        return None


def _already_received(request, branch, meeting_id):
    """A save sent again (static/js/offline-minutes.js resends after a dropped
    connection): the minutes it made, unchanged."""
    meeting = get_object_or_404(Meeting.objects.filter(branch=branch), pk=meeting_id)
    meeting.branch = branch
    change = last_change(meeting)
    messages.info(
        request,
        _("These minutes had already been received (saved by %(name)s at %(time)s).")
        % {"name": change.who, "time": change.at},
    )
    return _saved(request, meeting)


def _saved(request, meeting):
    """The answer to saved minutes: their page. The script that sends the form
    (static/js/offline.js) asks for JSON and is told the page's address instead of being
    redirected there, so the page's messages still wait for the secretary."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse({"url": meeting.get_absolute_url()})
    return redirect(meeting)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request, code):
    branch = _node(request, code)
    require_write(request.user)
    if not branch.is_branch or not branch.is_active:
        raise Http404
    if request.method == "POST":
        # Before the form: the roll may have changed since the entry was first sent.
        done = domain.received(_entry_key(request), branch_id=branch.pk)
        if done is not None:
            return _already_received(request, branch, done)
    today = timezone.localdate()
    source = request.POST if request.method == "POST" else request.GET
    on = _parse_date(source.get("date")) or today
    roll = domain.branch_roll(branch, on)
    people = functools.cache(lambda: guest_choices(branch))
    form = MeetingForm(
        request.POST or None,
        roll=roll,
        initial={"date": on, "kind": request.GET.get("kind", MeetingKind.REGULAR)},
    )
    guests = GuestFormSet(request.POST or None, prefix="guest", form_kwargs={"people": people})
    if request.method == "POST" and form.is_valid() and guests.is_valid():
        try:
            meeting = domain.record_meeting(
                branch=branch,
                data=form.meeting_data(),
                attendance=form.attendance(),
                roll=roll,
                guests=[e for g in guests if (e := g.entry())],
                entry_key=form.cleaned_data["entry_key"],
                by=request.user,
            )
        except domain.AlreadyReceived as done:
            return _already_received(request, branch, done.meeting_id)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            meeting.branch = branch
            _warn_duration(request, meeting)
            messages.success(request, _("The minutes were saved as a draft."))
            return _saved(request, meeting)
    return _form_page(request, {"form": form, "guests": guests, "branch": branch, "roll_date": on})


def _form_page(request, context):
    """The minutes form; opened (GET), it is kept by the service worker for use without
    a connection (office/offline.py)."""
    response = render(request, "branchwork/meetings/meeting_form.html", context)
    if request.method == "GET":
        response["Offline-Page"] = "1"
    return response


def _warn_duration(request, meeting):
    warning = domain.duration_warning(meeting)
    if warning:
        messages.warning(request, warning)


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request, code, pk):
    branch, meeting = _branch_meeting(request, code, pk)
    require_write(request.user)
    rows = list(meeting.attendances.select_related("member").order_by("member__sort_key"))
    roll = [
        domain.RollEntry(row.member, row.exempted, row.probationary, row.temporary) for row in rows
    ]
    initial = {name: getattr(meeting, name) for name in domain.MEETING_FIELDS}
    initial["chair"] = meeting.chair_id
    initial["minute_taker"] = meeting.minute_taker_id
    for row in rows:
        initial[f"att_{row.member_id}"] = row.status
        initial[f"why_{row.member_id}"] = row.reason
    form = MeetingForm(request.POST or None, roll=roll, meeting=meeting, initial=initial)
    guests = GuestFormSet(
        request.POST or None,
        prefix="guest",
        initial=guest_initial(meeting),
        form_kwargs={"people": functools.cache(lambda: guest_choices(branch))},
    )
    differences = None
    if request.method == "POST" and form.is_valid() and guests.is_valid():
        try:
            domain.update_meeting(
                meeting,
                data=form.meeting_data(),
                attendance=form.attendance(),
                rows=rows,
                guests=[e for g in guests if (e := g.entry())],
                reason=form.cleaned_data.get("change_reason", ""),
                version=form.cleaned_data["version"],
                entry_key=form.cleaned_data["entry_key"],
                by=request.user,
            )
        except domain.AlreadyReceived as done:
            return _already_received(request, branch, done.meeting_id)
        except Stale as stale:
            show_conflict(form, stale)
            differences = form.differences(
                Meeting.objects.get(pk=meeting.pk),
                list(meeting.attendances.select_related("member")),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            _warn_duration(request, meeting)
            messages.success(request, _("The minutes were saved."))
            return _saved(request, meeting)
    return _form_page(
        request,
        {
            "form": form,
            "guests": guests,
            "branch": branch,
            "meeting": meeting,
            "differences": differences,
        },
    )


@login_required
def meeting_detail(request, code, pk):
    branch, meeting = _branch_meeting(request, code, pk)
    versions = list(meeting.history.select_related("history_user").order_by("-history_date"))
    for newer, older in itertools.pairwise(versions):
        newer.changed = [
            Meeting._meta.get_field(change.field).verbose_name
            for change in newer.diff_against(older).changes
            if change.field not in {"month", "finalized_at", "finalized_by"}
        ]
    notice = (
        notices_with_files(MeetingNotice.objects.filter(branch=branch, meeting_date=meeting.date))
        .select_related("branch")
        .first()
    )
    context = {
        **minutes_context(branch, meeting),
        "versions": versions,
        "notice": notice and with_readers(notice),
    }
    return render(request, "branchwork/meetings/meeting_detail.html", context)


def minutes_context(branch, meeting) -> dict:
    rows = list(meeting.attendances.select_related("member").order_by("member__sort_key"))
    return {
        "branch": branch,
        "meeting": meeting,
        "header": book_header(meeting) or meeting_header(meeting.pk),
        "rows": [r for r in rows if not r.exempted],
        "exempted_rows": [r for r in rows if r.exempted],
        "guests": list(meeting.guests.all()),
        "duration_warning": domain.duration_warning(meeting),
        "statuses": AttendanceStatus,
    }


@login_required
@require_POST
def meeting_finalize(request, code, pk):
    _branch, meeting = _branch_meeting(request, code, pk)
    require_write(request.user)
    try:
        domain.finalize_meeting(meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The minutes were finalized."))
    return redirect(meeting)


@login_required
def meeting_pdf(request, code, pk):
    branch, meeting = _branch_meeting(request, code, pk)
    context = {**minutes_context(branch, meeting), "heading": issuer_lines(branch, meeting.date)}
    filename = f"bien-ban-{branch.code}-{meeting.date:%Y-%m-%d}.pdf"
    return pdf_response("branchwork/meetings/minutes_pdf.html", context, filename, request)


@login_required
def meeting_version(request, code, pk, history_id):
    branch, meeting = _branch_meeting(request, code, pk)
    version = get_object_or_404(
        meeting.history.select_related("history_user", "chair", "minute_taker"),
        history_id=history_id,
    )
    rows = sorted(
        Attendance.history.as_of(version.history_date)
        .filter(meeting_id=meeting.pk)
        .select_related("member"),
        key=lambda row: row.member.sort_key,
    )
    guests = MeetingGuest.history.as_of(version.history_date).filter(meeting_id=meeting.pk)
    return render(
        request,
        "branchwork/meetings/meeting_version.html",
        {
            "branch": branch,
            "meeting": meeting,
            "version": version,
            "rows": rows,
            "guests": guests,
            "statuses": AttendanceStatus,
        },
    )
