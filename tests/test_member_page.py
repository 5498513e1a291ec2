"""The member's own page: a branch secretary opens a member's own account, which sees
its own record (party age, next badge, dues by month, evaluations, the branch's
meetings with its attendance) and gets 404 for everyone else's and every office page.
The URL × role matrix (tests/test_access_matrix.py) checks every page for this role."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from branches.enums import RoleKind
from branches.models import UserRole
from branches.queries import accounts_for
from branchwork.badges import NextBadge, next_badge
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.models import BadgeAward
from members import restructuring, transfers
from members.accounts import end_member_roles
from members.enums import TransferKind
from members.models import PersonAccount
from tests.factories import make_member
from tests.factories_lifecycle import dated_member, unpaid_dues
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dai-1"
TODAY = timezone.localdate()
# A month whose dues were entered, paid and unpaid, before today.
LAST_MONTH = (TODAY.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
TWO_MONTHS_AGO = (LAST_MONTH - datetime.timedelta(days=1)).replace(day=1)


def open_through_the_page(secretary, member, username="dang-vien-1"):
    client = Client()
    client.force_login(secretary)
    return client.post(
        reverse("account_create"),
        {
            "member_number": member.member_number,
            "username": username,
            "role": RoleKind.MEMBER,
            "started_on": TODAY.isoformat(),
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )


@pytest.fixture
def member(world):
    return dated_member(world.branch_a, datetime.date(2000, 1, 10), full_name="Trần Thị Mai")


@pytest.fixture
def member_client(world, member):
    response = open_through_the_page(world.secretary, member)
    assert response.status_code == 302
    client = Client()
    assert client.login(username="dang-vien-1", password=PASSWORD)
    return client


def test_a_secretary_opens_a_member_own_account_on_the_member_branch(world, member):
    response = open_through_the_page(world.secretary, member)
    assert response["Location"] == member.get_absolute_url()
    link = PersonAccount.objects.get(member=member)
    role = UserRole.objects.get(user=link.account)
    assert (role.role, role.node) == (RoleKind.MEMBER, world.branch_a)
    assert role.history.latest().history_user == world.secretary


def test_a_secretary_cannot_open_an_officer_account(world):
    client = Client()
    client.force_login(world.secretary)
    other = make_member(world.branch_a)
    response = client.post(
        reverse("account_create"),
        {
            "member_number": other.member_number,
            "username": "can-bo-gia",
            "role": RoleKind.OFFICER,
            "node": world.district.code,
            "started_on": TODAY.isoformat(),
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert not PersonAccount.objects.filter(member=other).exists()


def test_a_secretary_cannot_open_an_account_for_a_member_of_another_branch(world):
    stranger = make_member(world.branch_b)
    response = open_through_the_page(world.secretary, stranger)
    assert response.status_code == 200
    assert "No member of your organization has this number." in response.content.decode()
    assert not PersonAccount.objects.filter(member=stranger).exists()


def test_the_member_sees_their_own_record(world, member, member_client):
    make_member(world.branch_a, full_name="Lê Văn Khác")
    unpaid_dues(member, LAST_MONTH.year, [LAST_MONTH.month])
    unpaid_dues(member, TWO_MONTHS_AGO.year, [TWO_MONTHS_AGO.month], paid=True)
    meeting_day = LAST_MONTH.replace(day=10)
    record(
        world.branch_a,
        meeting_day,
        kind=MeetingKind.REGULAR,
        topic="Học tập nghị quyết",
        absences={member: (AttendanceStatus.EXCUSED, "Đi công tác")},
    )
    response = member_client.get(reverse("home"), follow=True)
    assert response.redirect_chain == [(reverse("personal:record"), 302)]
    page = response.content.decode()
    assert "Trần Thị Mai" in page
    age = response.context["own"].party_age
    assert age.years == TODAY.year - 2000 - (datetime.date(TODAY.year, 1, 10) > TODAY)
    assert "Chi bộ thôn 1" in page
    # Dues by month: last month unpaid (owed), the month before paid.
    months = {m.first: m for m in response.context["own"].dues}
    assert months[LAST_MONTH].owed == months[LAST_MONTH].record.amount_due > 0
    assert months[TWO_MONTHS_AGO].owed == 0
    assert response.context["own"].owed == months[LAST_MONTH].owed
    # The branch's meeting, with the member's own attendance and reason.
    assert "Học tập nghị quyết" in page
    assert "Đi công tác" in page
    assert "Lê Văn Khác" not in page
    # The header offers the member's own record, none of the office's pages.
    for office_page in ("members:list", "organizations:tree", "reports:index", "audit:index"):
        assert f'href="{reverse(office_page)}"' not in page, office_page


def test_the_member_gets_404_for_every_other_page(world, member, member_client):
    other = make_member(world.branch_a)
    for url in (
        reverse("members:detail", args=[other.member_number]),
        reverse("members:detail", args=[member.member_number]),
        reverse("members:list"),
        reverse("organizations:tree"),
        reverse("meetings:list", args=[world.branch_a.code]),
        reverse("account_create"),
        reverse("reports:index"),
        reverse("audit:index"),
    ):
        assert member_client.get(url).status_code == 404, url


def test_an_account_that_is_not_a_member_gets_404_on_the_member_page(world):
    client = Client()
    client.force_login(world.officer)
    assert client.get(reverse("personal:record")).status_code == 404


def test_the_member_page_has_a_fixed_number_of_queries(
    world, member, member_client, django_assert_max_num_queries
):
    for month in range(3, 6):
        record(world.branch_a, datetime.date(TODAY.year - 1, month, 10))
    with django_assert_max_num_queries(20):
        member_client.get(reverse("personal:record"))


def test_the_member_role_ends_when_the_member_leaves(world, member, member_client):
    end_member_roles(member, on=TODAY, by=world.secretary)
    assert member_client.get(reverse("personal:record")).status_code == 404


@pytest.mark.parametrize(
    ("decided", "held", "today", "expected"),
    [
        # Reaches 30 years on 10/05/2026: the next award day is 19/05/2026.
        (
            datetime.date(1996, 5, 10),
            [],
            datetime.date(2026, 1, 10),
            NextBadge(30, datetime.date(2026, 5, 19)),
        ),
        # Holding 30: the next is 40, on the first award day after 10/05/2036.
        (
            datetime.date(1996, 5, 10),
            [30],
            datetime.date(2026, 6, 1),
            NextBadge(40, datetime.date(2036, 5, 19)),
        ),
        # Reached 40 without a badge: the highest milestone, on the next award day.
        (
            datetime.date(1980, 1, 5),
            [],
            datetime.date(2026, 2, 10),
            NextBadge(45, datetime.date(2026, 5, 19)),
        ),
    ],
)
def test_next_badge(world, decided, held, today, expected):
    member = dated_member(world.branch_a, decided)
    for years in held:
        BadgeAward.objects.create(
            member=member, years=years, award_date=datetime.date(2026, 5, 19), decision_number="1"
        )
    assert next_badge(member, [], today) == expected


def test_the_secretary_reaches_the_form_from_the_member_page(world, member):
    client = Client()
    client.force_login(world.secretary)
    page = client.get(member.get_absolute_url()).content.decode()
    url = f"{reverse('account_create')}?member={member.member_number}"
    assert url in page
    form = client.get(url).context["form"]
    assert form["member_number"].value() == member.member_number
    open_through_the_page(world.secretary, member)
    assert url not in client.get(member.get_absolute_url()).content.decode()
    client.force_login(world.viewer)
    assert url not in client.get(member.get_absolute_url()).content.decode()


def test_the_member_account_follows_an_official_transfer(world, member, member_client):
    """After the transfer the receiving branch's committee manages the account, the old
    branch's secretary no longer does, and the member still sees their own page."""
    account = PersonAccount.objects.get(member=member).account
    transfer = transfers.request_transfer(
        member,
        kind=TransferKind.OFFICIAL,
        to_branch=world.other_branch,
        letter_number="7-GGT",
        letter_date=TODAY,
    )
    transfers.accept_transfer(transfer, on=TODAY, by=world.outsider)
    role = UserRole.objects.get(user=account)
    assert (role.role, role.node) == (RoleKind.MEMBER, world.other_branch)
    assert role.history.latest().history_user == world.outsider
    assert accounts_for(world.outsider).filter(pk=account.pk).exists()
    assert not accounts_for(world.officer).filter(pk=account.pk).exists()
    assert member_client.get(reverse("personal:record")).status_code == 200


def test_a_secretary_role_stays_when_its_holder_is_transferred(world):
    """Only the member's own account moves: a role given on a node stays where it was."""
    holder = dated_member(world.branch_a, datetime.date(2001, 3, 1))
    PersonAccount.objects.create(member=holder, account=world.secretary)
    transfer = transfers.request_transfer(
        holder,
        kind=TransferKind.OFFICIAL,
        to_branch=world.branch_b,
        letter_number="8-GGT",
        letter_date=TODAY,
    )
    transfers.accept_transfer(transfer, on=TODAY, by=world.officer)
    role = UserRole.objects.get(user=world.secretary)
    assert (role.role, role.node) == (RoleKind.SECRETARY, world.branch_a)


def test_the_member_account_follows_a_merge_of_its_branch(world, member, member_client):
    account = PersonAccount.objects.get(member=member).account
    restructuring.merge_nodes(
        [world.branch_a],
        into=world.branch_b,
        on=TODAY,
        document_number="12-QĐ/HU",
        by=world.officer,
    )
    assert UserRole.objects.get(user=account).node == world.branch_b
    assert member_client.get(reverse("personal:record")).status_code == 200
