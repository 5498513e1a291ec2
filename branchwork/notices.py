"""Documents before a meeting (Hướng dẫn 42-HD/BTCTW, 28 Oct 2025): a branch's secretary,
or an officer above, shares the agenda and files of a coming meeting with the members of
the branch, at least a day ahead; the app keeps who opened each file. Nothing is
deleted: a file shared by mistake is withdrawn."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from branches.models import OrganizationNode
from branchwork.meetings import branch_roll
from branchwork.models import MeetingNotice, NoticeFile, NoticeFileOpening
from members.models import Member
from partyorg import uploads
from partyorg.locking import check_version
from partyorg.rules import NoRuleInForce, RuleKind, rule_in_force

NOTICE_TYPES = (uploads.PDF, uploads.DOCX, uploads.PNG, uploads.JPEG)


def max_file_bytes() -> int:
    return settings.PARTYORG.get("NOTICE_FILE_MAX_BYTES", 10 * 2**20)


def file_type(upload) -> str:
    """The content type of a file to share: a PDF, DOCX, PNG or JPEG by its name and its
    first bytes, within the size limit; ValidationError naming the file otherwise."""
    try:
        content_type = uploads.upload_type(upload, NOTICE_TYPES, limit=max_file_bytes())
    except ValidationError as error:
        raise ValidationError(f"{upload.name}: {' '.join(error.messages)}") from error
    if content_type is None:
        raise ValidationError(
            _("%(name)s: share a document as a PDF, DOCX, PNG or JPEG file.")
            % {"name": upload.name}
        )
    return content_type


def late_warning(meeting_date: datetime.date, published_on: datetime.date) -> str | None:
    """A warning (publishing is still allowed) when documents are shared later than the
    guideline in force on the meeting date asks."""
    try:
        rule = rule_in_force(RuleKind.MEETINGS, meeting_date)
    except NoRuleInForce:
        return None
    days = rule.documents_days_ahead
    if days is None or published_on <= meeting_date - datetime.timedelta(days=days):
        return None
    return ngettext(
        "Guide %(regulation)s: the documents must be sent at least %(days)d day before "
        "the meeting.",
        "Guide %(regulation)s: the documents must be sent at least %(days)d days before "
        "the meeting.",
        days,
    ) % {"regulation": rule.regulation.number, "days": days}


def _checked_files(uploads_: list) -> list[tuple[object, str]]:
    """Every upload with its type; ValidationError listing every refused file."""
    checked, errors = [], []
    for upload in uploads_:
        try:
            checked.append((upload, file_type(upload)))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"files": errors})
    return checked


def _keep_files(notice: MeetingNotice, checked: list, by) -> None:
    for upload, content_type in checked:
        kept = NoticeFile(
            notice=notice,
            file=upload,
            name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
        )
        kept._history_user = by
        kept.save()


def publish(
    branch: OrganizationNode, *, meeting_date: datetime.date, agenda: str, files: list, by
) -> MeetingNotice:
    """Share the agenda and `files` of the meeting `branch` plans on `meeting_date`.

    Effects, in one transaction: a MeetingNotice (published now by `by`) and a NoticeFile
    per file, each with its history row. ValidationError, with nothing kept, for a node
    that is not an open branch, a date before the branch existed, a date whose documents
    were already published (they are added to on their own page), or any refused file.
    """
    errors = {}
    if not branch.is_branch or not branch.is_active:
        errors["meeting_date"] = _("Only an open branch shares documents for its meetings.")
    elif meeting_date < branch.established_on:
        errors["meeting_date"] = _("The branch did not exist yet on this date.")
    elif MeetingNotice.objects.filter(branch=branch, meeting_date=meeting_date).exists():
        errors["meeting_date"] = _(
            "Documents for the meeting of this date were already published: add to them on "
            "their page."
        )
    try:
        checked = _checked_files(files)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            notice = MeetingNotice(
                branch=branch,
                meeting_date=meeting_date,
                agenda=agenda,
                published_at=timezone.now(),
                published_by=by,
            )
            notice._history_user = by
            notice.save()
            _keep_files(notice, checked, by)
    except IntegrityError as error:  # published for the same date a moment ago
        raise ValidationError(
            {"meeting_date": _("Documents for the meeting of this date were already published.")}
        ) from error
    return notice


def add_to(notice: MeetingNotice, *, agenda: str, files: list, version: int, by) -> None:
    """Change the agenda of published documents and add `files` to them.

    Effects, in one transaction: the notice's agenda (its version raised, a history row
    by `by`) and a NoticeFile per file. ValidationError with nothing kept for a refused
    file; Stale when someone changed the notice since `version`."""
    checked = _checked_files(files)
    with transaction.atomic():
        check_version(notice, version)
        notice.agenda = agenda
        notice._history_user = by
        notice.save(update_fields=["agenda"])
        _keep_files(notice, checked, by)


def withdraw(file: NoticeFile, *, by) -> None:
    """Take a file back from the members (it stays, marked withdrawn, with a history row
    by `by`). Withdrawing it again changes nothing."""
    if file.withdrawn_at is not None:
        return
    file.withdrawn_at = timezone.now()
    file.withdrawn_by = by
    file._history_user = by
    file.save(update_fields=["withdrawn_at", "withdrawn_by"])


def record_opening(file: NoticeFile, member: Member) -> NoticeFileOpening:
    """The member's first opening of `file` (kept once: opening it again changes nothing)."""
    opening, _created = NoticeFileOpening.objects.get_or_create(file=file, member=member)
    return opening


def with_readers(notice: MeetingNotice) -> MeetingNotice:
    """Mark on each file of `notice` (read through meeting_queries.notices_with_files) who
    of the branch's members on the meeting day opened it (`file.opened`, openings) and
    who has not (`file.unopened`, members): one query more, for the roll."""
    roll = [entry.member for entry in branch_roll(notice.branch, notice.meeting_date)]
    for file in notice.files.all():
        file.opened = list(file.openings.all())
        readers = {opening.member_id for opening in file.opened}
        file.unopened = [member for member in roll if member.pk not in readers]
    notice.readers_shown = True
    return notice
