"""The daily reminders: counted for a fixture from the functions the pages use, scoped to
each person, kept in the inbox of the home page, emailed once a day to those who want it."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branches.enums import RoleKind
from branchwork.badges import next_award_day
from branchwork.enums import MeetingKind
from branchwork.months import previous_month
from members import transfers
from members.accounts import open_account
from members.enums import MemberStatus, TransferKind
from members.models import Transfer
from personal.enums import ReminderKind
from personal.models import Reminder, ReminderEmail, ReminderSettings
from personal.reminders import dues_warning_months, reminders_for, send_reminders
from tests.factories import make_member
from tests.factories_lifecycle import dated_member, unpaid_dues
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def counts(user) -> dict[str, int]:
    return {found.kind: found.count for found in reminders_for(user, TODAY)}


@pytest.fixture
def due(world):
    """Something of every kind due in branch_a; dues and a meeting in branch_b."""
    # Dues: unpaid in as many months as earn a reminder, in both branches.
    months = list(range(1, dues_warning_months(TODAY.year) + 1))
    world.late_payer = make_member(world.branch_a, full_name="Phạm Văn Nợ")
    unpaid_dues(world.late_payer, TODAY.year, months)
    unpaid_dues(make_member(world.branch_b), TODAY.year, months)
    # Paid, or one month short: no reminder.
    unpaid_dues(make_member(world.branch_a), TODAY.year, months, paid=True)
    unpaid_dues(make_member(world.branch_a), TODAY.year, months[1:])
    # A badge: 30 years of party age reached by the next award day.
    award_day = next_award_day(TODAY)
    dated_member(world.branch_a, award_day.replace(year=award_day.year - 30))
    # Probation ended more than a month ago.
    make_member(
        world.branch_a,
        status=MemberStatus.PROBATIONARY,
        admission_decision_date=TODAY - datetime.timedelta(days=440),
        admission_date=TODAY - datetime.timedelta(days=430),
        official_date=None,
    )
    # A transfer letter from branch_b to branch_a, waiting.
    transfers.request_transfer(
        make_member(world.branch_b),
        kind=TransferKind.OFFICIAL,
        letter_number="5-GGT/X1",
        letter_date=TODAY - datetime.timedelta(days=3),
        to_branch=world.branch_a,
        by=world.officer,
    )
    # branch_b held last month's meeting (a thematic one too, this quarter); branch_a none.
    record(world.branch_b, previous_month(TODAY)[0].replace(day=12))
    record(world.branch_b, TODAY.replace(day=1), kind=MeetingKind.THEMATIC)
    return world


def test_reminders_of_a_branch_secretary_are_of_their_branch(due):
    found = counts(due.secretary)
    assert found[ReminderKind.DUES_UNPAID] == 1
    assert found[ReminderKind.BADGES] == 1
    assert found[ReminderKind.CONVERSION] == 1
    assert found[ReminderKind.TRANSFERS] == 1
    assert found[ReminderKind.MEETING_MISSING] == 1
    quarter_ends_this_month = TODAY.month % 3 == 0
    assert found.get(ReminderKind.THEMATIC_MISSING) == (1 if quarter_ends_this_month else None)


def test_an_officer_hears_of_the_whole_subtree_and_an_outsider_of_nothing(due):
    found = counts(due.officer)
    assert found[ReminderKind.DUES_UNPAID] == 2
    # branch_b held its meeting: only branch_a is missing.
    assert found[ReminderKind.MEETING_MISSING] == 1
    # The other district hears only that its own branch met neither (nor shared this
    # month's documents).
    outside = counts(due.outsider)
    assert outside[ReminderKind.MEETING_MISSING] == 1
    assert outside[ReminderKind.DOCUMENTS] == 1
    assert set(outside) <= {
        ReminderKind.MEETING_MISSING,
        ReminderKind.THEMATIC_MISSING,
        ReminderKind.DOCUMENTS,
    }
    assert ReminderKind.DUES_UNPAID not in counts(due.other_secretary)


def test_a_read_only_viewer_gets_no_reminder_of_work(due):
    assert counts(due.viewer) == {}


def test_a_member_own_account_hears_of_their_own_dues_only(due):
    account = open_account(
        member=due.late_payer,
        username="no-dues",
        password="a-long-password-1",
        node=due.branch_a,
        role=RoleKind.MEMBER,
        started_on=TODAY,
        by=due.secretary,
    )
    assert counts(account) == {ReminderKind.OWN_DUES: dues_warning_months(TODAY.year)}


def test_the_run_keeps_the_inbox_and_emails_once_a_day(due, settings):
    settings.SITE_URL = "https://dang.example.vn"
    ReminderSettings.objects.create(user=due.secretary, email="bithu@example.vn")
    first = send_reminders(TODAY)
    kept = set(Reminder.objects.filter(user=due.secretary, day=TODAY).values_list("kind", "count"))
    assert (ReminderKind.TRANSFERS.value, 1) in kept
    assert first.emails == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bithu@example.vn"]
    assert "https://dang.example.vn" + reverse("record_work:transfers") in message.body
    # A second run the same day: the same inbox, no second email.
    second = send_reminders(TODAY)
    assert second.emails == 0
    assert len(mail.outbox) == 1
    assert (
        set(Reminder.objects.filter(user=due.secretary, day=TODAY).values_list("kind", "count"))
        == kept
    )
    assert ReminderEmail.objects.filter(user=due.secretary).count() == 1
    assert first.people_by_kind == second.people_by_kind


def test_a_reminder_no_longer_due_leaves_the_inbox_on_the_next_run(due):
    send_reminders(TODAY)
    assert Reminder.objects.filter(user=due.secretary, kind=ReminderKind.TRANSFERS).exists()
    transfers.cancel_transfer(Transfer.objects.get(), by=due.officer)
    send_reminders(TODAY)
    assert not Reminder.objects.filter(user=due.secretary, kind=ReminderKind.TRANSFERS).exists()


def test_email_turned_off_on_the_settings_page_is_honoured(due):
    client = Client()
    client.force_login(due.secretary)
    response = client.post(
        reverse("reminder_settings"), {"email": "bithu@example.vn", "send_email": ""}
    )
    assert response.status_code == 302
    choice = ReminderSettings.objects.get(user=due.secretary)
    assert (choice.email, choice.send_email) == ("bithu@example.vn", False)
    assert choice.history.latest().history_user == due.secretary
    send_reminders(TODAY)
    assert mail.outbox == []
    # The inbox is kept all the same, and shown on the home page.
    assert Reminder.objects.filter(user=due.secretary, day=TODAY).exists()
    page = client.get(reverse("home")).content.decode()
    assert "Transfer letters to receive" in page


def test_a_bad_address_is_refused_and_changes_nothing(due):
    client = Client()
    client.force_login(due.secretary)
    response = client.post(reverse("reminder_settings"), {"email": "not an address"})
    assert response.status_code == 200
    assert "Enter a valid email address." in response.content.decode()
    assert not ReminderSettings.objects.exists()


def test_the_command_runs_the_task_and_says_how_many(due, capsys):
    call_command("send_reminders")
    out = capsys.readouterr().out
    assert f"Reminders of {TODAY:%d/%m/%Y}:" in out
    assert "dues_unpaid" in out
    assert Reminder.objects.filter(day=TODAY).exists()
