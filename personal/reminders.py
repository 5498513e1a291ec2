"""What is due or overdue for each person, found once a day and told to them: in the
inbox of the home page and, when they have an address and want it, in one email a day.

Every count comes from the rule or deadline function the pages use (admission
deadlines, the transfer inbox, the meeting checks, the badge list, the dues of the
removal rule), over the person's own scope: a branch secretary hears of their branch,
an officer of their subtree, a member's own account of their own dues.
"""

import datetime
import logging
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from admission.enums import Stage
from admission.queries import candidates_for, late_files
from branches.models import UserRole
from branches.queries import role_of, scope_root
from branchwork.badges import badge_rows, next_award_day
from branchwork.dues import unpaid_months
from branchwork.meeting_queries import branches_without_documents, branches_without_meeting
from branchwork.months import current_quarter, previous_month
from members.models import Member
from members.queries import conversion_due, members_for
from members.transfers import inbox_for
from partyorg.rules import removal_rule
from personal.enums import ReminderKind
from personal.models import Reminder, ReminderEmail, ReminderSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Found:
    kind: str
    count: int
    link: str = ""


def dues_warning_months(year: int) -> int:
    """Unpaid months that earn a reminder: one month before the removal rule's count
    (Charter Art. 8, partyorg.rules), so the member can still pay."""
    return max(1, removal_rule(year).months - 1)


def _with_node(name: str, node) -> str:
    return f"{reverse(name)}?node={node.code}"


def _dues_link(root, today: datetime.date) -> str:
    """A branch's collection sheet of last month; the subtree's overview above it."""
    if root.is_branch:
        last = previous_month(today)[0]
        return reverse("record_work:dues_sheet", args=[root.code, last.year, last.month])
    return _with_node("record_work:overview", root)


def _documents_link(root) -> str:
    """A branch's documents page; the subtree's page above it."""
    if root.is_branch:
        return reverse("meetings:notices", args=[root.code])
    return root.get_absolute_url()


def subtree_reminders(user, today: datetime.date) -> list[Found]:
    """What the user's subtree owes, for a user who writes there (officer, secretary)."""
    root = scope_root(user)
    if root is None:
        return []
    candidates = candidates_for(user)
    admission = late_files(candidates.exclude(stage=Stage.PROBATION), today)
    members = members_for(user)
    # A quarter's thematic meeting is asked for once its last month has begun.
    thematic = (
        branches_without_meeting(root, today, thematic=True).count()
        if today.month == current_quarter(today)[1].month
        else 0
    )
    due_badges, _early = badge_rows(members, next_award_day(today))
    counts = [
        Found(
            ReminderKind.ADMISSION,
            len(admission.overdue) + len(admission.due_soon),
            _with_node("admission:pipeline", root),
        ),
        Found(
            ReminderKind.CONVERSION,
            conversion_due(members, today).count(),
            _with_node("admission:pipeline", root),
        ),
        Found(ReminderKind.TRANSFERS, inbox_for(user).count(), reverse("record_work:transfers")),
        Found(
            ReminderKind.MEETING_MISSING,
            branches_without_meeting(root, previous_month(today)[0], thematic=False).count(),
            root.get_absolute_url(),
        ),
        Found(ReminderKind.THEMATIC_MISSING, thematic, root.get_absolute_url()),
        Found(
            ReminderKind.DOCUMENTS,
            branches_without_documents(root, today).count(),
            _documents_link(root),
        ),
        Found(ReminderKind.BADGES, len(due_badges), _with_node("record_work:badges", root)),
        Found(
            ReminderKind.DUES_UNPAID,
            unpaid_months(members, today.year)
            .filter(unpaid__gte=dues_warning_months(today.year))
            .count(),
            _dues_link(root, today),
        ),
    ]
    return [found for found in counts if found.count]


def own_reminders(user, today: datetime.date) -> list[Found]:
    """What the person owes themselves: their own dues (for every account of a member)."""
    member = Member.objects.filter(account__account=user).first()
    if member is None:
        return []
    months = sum(
        row["unpaid"] for row in unpaid_months(Member.objects.filter(pk=member.pk), today.year)
    )
    if months < dues_warning_months(today.year):
        return []
    return [Found(ReminderKind.OWN_DUES, months, reverse("personal:record"))]


def reminders_for(user, today: datetime.date) -> list[Found]:
    role = role_of(user)
    if role is None:
        return []
    found = subtree_reminders(user, today) if role.can_write else []
    return found + own_reminders(user, today)


def _keep(user, today: datetime.date, found: list[Found]) -> None:
    """The day's inbox rows of `user`, rewritten: a second run leaves the same rows."""
    with transaction.atomic():
        Reminder.objects.filter(user=user, day=today).exclude(
            kind__in=[f.kind for f in found]
        ).delete()
        for item in found:
            Reminder.objects.update_or_create(
                user=user,
                day=today,
                kind=item.kind,
                defaults={"count": item.count, "link": item.link},
            )


def _email(user, today: datetime.date, found: list[Found]) -> bool:
    """Send the day's email unless it was sent already; True when sent now."""
    choice = ReminderSettings.objects.filter(user=user).first()
    if not found or choice is None or not choice.emails:
        return False
    try:
        with transaction.atomic():
            ReminderEmail.objects.create(user=user, day=today, address=choice.email)
    except IntegrityError:
        return False  # sent earlier today
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "day": today,
            "reminders": [
                (ReminderKind(item.kind).label, item.count, settings.SITE_URL + item.link)
                for item in found
            ],
            "settings_url": settings.SITE_URL + reverse("reminder_settings"),
        }
        subject = _("Reminders of %(day)s") % {"day": f"{today:%d/%m/%Y}"}
        body = render_to_string("personal/reminder_email.txt", context)
    try:
        send_mail(subject, body, None, [choice.email])
    except Exception:
        # Not sent: the next run of the day tries again.
        ReminderEmail.objects.filter(user=user, day=today).delete()
        log.exception("Reminder email to user %s not sent", user.pk)
        return False
    return True


@dataclass
class RunSummary:
    day: datetime.date
    people: int = 0  # people with at least one reminder
    emails: int = 0  # emails sent in this run
    by_kind: Counter = field(default_factory=Counter)  # kind: things due
    people_by_kind: Counter = field(default_factory=Counter)  # kind: people told


def send_reminders(today: datetime.date) -> RunSummary:
    """The daily run: for every person holding a role today, the day's reminders.

    Effects: the day's Reminder rows of each person, rewritten (idempotent); one email
    per person and day to those with an address who did not turn email off
    (ReminderEmail makes a second run send nothing). A person with nothing due gets
    no row and no email.
    """
    summary = RunSummary(today)
    holders = UserRole.objects.on(today).values_list("user_id", flat=True)
    users = get_user_model().objects.filter(pk__in=holders, is_active=True).order_by("pk")
    for user in users.select_related("party_role__node"):
        found = reminders_for(user, today)
        _keep(user, today, found)
        if found:
            summary.people += 1
        for item in found:
            summary.by_kind[item.kind] += item.count
            summary.people_by_kind[item.kind] += 1
        summary.emails += _email(user, today, found)
    return summary


def inbox(user, today: datetime.date) -> list[Reminder]:
    """The person's reminders found by today's run (none before it ran: it runs early)."""
    return list(Reminder.objects.filter(user=user, day=today))
