"""Rules of the member lifecycle, through the domain functions users' actions call."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from branchwork import badges, dues, removal
from branchwork.enums import AttendanceStatus, DuesBasis, MeetingKind
from branchwork.models import BadgeAward
from members import lifecycle, transfers
from members.enums import (
    EventKind,
    ExitKind,
    MembershipKind,
    MemberStatus,
    TransferKind,
    TransferState,
)
from members.models import Member, Membership, StatusEvent, Transfer
from members.party_age import party_age
from members.stats import rolled_up_counts
from tests.factories import make_member
from tests.factories_lifecycle import dated_member, unpaid_dues
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db
D = datetime.date


def test_party_age_leaves_out_the_gap_between_removal_and_readmission(world):
    member = dated_member(world.branch_a, D(2000, 1, 1))
    lifecycle.record_exit(
        member, kind=ExitKind.REMOVED, on=D(2005, 1, 1), document_number="12-QĐ/ĐU"
    )
    lifecycle.readmit(member, branch=world.branch_b, on=D(2007, 1, 1), document_number="3-QĐ/HU")
    events = list(member.events.all())
    age = party_age(member.admission_decision_date, events, D(2020, 1, 1))
    assert (age.years, age.months) == (18, 0)
    assert age.days_outside == (D(2007, 1, 1) - D(2005, 1, 1)).days
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert member.branch == world.branch_b


def test_readmission_is_allowed_once(world):
    member = dated_member(world.branch_a, D(2000, 1, 1))
    lifecycle.record_exit(member, kind=ExitKind.LEFT, on=D(2005, 1, 1), document_number="1")
    lifecycle.readmit(member, branch=world.branch_a, on=D(2006, 1, 1), document_number="2")
    lifecycle.record_exit(member, kind=ExitKind.LEFT, on=D(2008, 1, 1), document_number="3")
    with pytest.raises(ValidationError, match="already been readmitted once"):
        lifecycle.readmit(member, branch=world.branch_a, on=D(2009, 1, 1), document_number="4")
    assert Member.objects.get(pk=member.pk).status == MemberStatus.LEFT


def test_expelled_member_cannot_be_readmitted(world):
    member = dated_member(world.branch_a, D(2000, 1, 1))
    lifecycle.record_exit(member, kind=ExitKind.EXPELLED, on=D(2005, 1, 1), document_number="1")
    with pytest.raises(ValidationError):
        lifecycle.readmit(member, branch=world.branch_a, on=D(2009, 1, 1), document_number="4")


def test_an_exit_keeps_the_members_history(world):
    member = dated_member(world.branch_a, D(2000, 1, 1))
    lifecycle.exempt(member, on=D(2020, 3, 1), document_number="5-QĐ/CB")
    lifecycle.record_exit(
        member, kind=ExitKind.DECEASED, on=D(2024, 6, 1), document_number="GCT 77"
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.DECEASED
    kinds = list(member.events.values_list("kind", flat=True))
    assert kinds == [
        EventKind.ADMITTED,
        EventKind.CONVERTED,
        EventKind.EXEMPTED,
        EventKind.DECEASED,
    ]
    membership = member.memberships.get()
    assert membership.end_date == D(2024, 6, 1)
    assert member.history.count() >= 3


def test_exemption_keeps_the_member_counted_and_resumes(world):
    member = dated_member(world.branch_a, D(2000, 1, 1))
    lifecycle.exempt(member, on=D(2020, 3, 1), document_number="5")
    assert rolled_up_counts(world.branch_a, [world.branch_a])[world.branch_a.pk]["members"] == 1
    lifecycle.resume(member, on=D(2021, 3, 1), document_number="6")
    assert Member.objects.get(pk=member.pk).status == MemberStatus.OFFICIAL


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (
            lifecycle.record_exit,
            {"kind": ExitKind.REMOVED, "on": D(2099, 1, 1), "document_number": "1"},
            "future",
        ),
        (
            lifecycle.record_exit,
            {"kind": ExitKind.REMOVED, "on": D(2020, 1, 1), "document_number": " "},
            "number",
        ),
        (
            lifecycle.record_exit,
            {"kind": ExitKind.REMOVED, "on": D(2001, 1, 1), "document_number": "1"},
            "last recorded",
        ),
        (lifecycle.resume, {"on": D(2020, 1, 1), "document_number": "1"}, "not exempted"),
    ],
)
def test_bad_exit_input_changes_nothing_and_says_why(world, change, kwargs, message):
    member = dated_member(world.branch_a, D(2000, 1, 1))
    events_before = StatusEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        change(member, **kwargs)
    assert message in str(error.value)
    member.refresh_from_db()
    assert member.status == MemberStatus.OFFICIAL
    assert StatusEvent.objects.count() == events_before
    assert member.memberships.get().end_date is None


def test_temporary_transfer_is_not_counted_in_the_host_total(world):
    guest = dated_member(world.branch_a, D(2010, 1, 1))
    dated_member(world.branch_b, D(2010, 1, 1))
    transfer = transfers.request_transfer(
        guest,
        kind=TransferKind.TEMPORARY,
        to_branch=world.branch_b,
        letter_number="15-GGT",
        letter_date=D(2026, 1, 5),
        planned_until=D(2026, 9, 30),
    )
    transfers.accept_transfer(transfer, on=D(2026, 1, 20))
    counts = rolled_up_counts(world.commune, [world.branch_a, world.branch_b])
    assert counts[world.branch_b.pk]["members"] == 1
    assert counts[world.branch_a.pk]["members"] == 1
    assert guest.memberships.get(kind=MembershipKind.TEMPORARY).branch == world.branch_b
    transfers.end_temporary(transfer, on=D(2026, 9, 30))
    assert not guest.memberships.open().filter(kind=MembershipKind.TEMPORARY)


def test_official_transfer_waits_in_the_inbox_then_moves_the_member(world):
    member = dated_member(world.branch_a, D(2010, 1, 1))
    transfer = transfers.request_transfer(
        member,
        kind=TransferKind.OFFICIAL,
        to_branch=world.other_branch,
        letter_number="20-GGT",
        letter_date=D(2026, 3, 2),
        change_date=D(2026, 2, 2),
    )
    assert transfer.present_by > D(2026, 4, 10)  # 30 working days, holidays skipped
    assert transfer.request_due > D(2026, 4, 27)  # 60 working days from the change
    assert list(transfers.inbox_for(world.other_secretary)) == [transfer]
    assert list(transfers.inbox_for(world.secretary)) == []
    assert not transfers.can_decide(world.secretary, transfer)
    transfers.accept_transfer(transfer, on=D(2026, 3, 20))
    member.refresh_from_db()
    assert member.branch == world.other_branch
    assert [(m.branch, m.end_date) for m in member.memberships.order_by("start_date")] == [
        (world.branch_a, D(2026, 3, 20)),
        (world.other_branch, None),
    ]


def test_bad_transfer_input_changes_nothing(world):
    member = dated_member(world.branch_a, D(2010, 1, 1))
    bad = [
        {"kind": "official", "to_branch": world.branch_a},
        {"kind": "official", "to_branch": world.branch_b, "to_outside": "Tỉnh khác"},
        {"kind": "temporary", "to_branch": world.branch_b, "planned_until": D(2026, 2, 1)},
        {"kind": "temporary", "to_branch": world.branch_b, "planned_until": D(2027, 3, 1)},
        {"kind": "official", "to_branch": world.commune},
    ]
    for fields in bad:
        with pytest.raises(ValidationError):
            transfers.request_transfer(
                member, letter_number="1", letter_date=D(2026, 1, 5), **fields
            )
    assert not Transfer.objects.exists()
    assert Membership.objects.filter(member=member).count() == 1


def away_and_back(member, left: datetime.date, back: datetime.date, branch) -> None:
    """An official transfer to another province on `left`, and back into `branch`."""
    transfers.request_transfer(
        member,
        kind=TransferKind.OFFICIAL,
        to_outside="Đảng bộ tỉnh Quảng Nam",
        letter_number="9-GGT",
        letter_date=left,
    )
    member.refresh_from_db()
    assert member.status == MemberStatus.TRANSFERRED_OUT
    transfers.receive_from_outside(
        member,
        branch=branch,
        from_outside="Đảng bộ tỉnh Quảng Nam",
        letter_number="30-GGT",
        letter_date=back,
        on=back,
    )
    member.refresh_from_db()


def test_official_transfer_outside_ends_membership_and_is_not_time_outside(world):
    member = dated_member(world.branch_a, D(2000, 1, 1))
    away_and_back(member, D(2010, 1, 1), D(2012, 1, 1), world.branch_b)
    assert member.status == MemberStatus.OFFICIAL
    age = party_age(member.admission_decision_date, member.events.all(), D(2020, 1, 1))
    assert age.years == 20


AWARD = D(2025, 9, 2)


def test_a_member_transferred_away_2010_to_2016_keeps_thirty_years_and_the_badge(world):
    member = dated_member(world.branch_a, D(1995, 9, 2), full_name="Đi Xa Sáu Năm")
    away_and_back(member, D(2010, 1, 1), D(2016, 1, 1), world.branch_b)
    assert party_age(member.admission_decision_date, member.events.all(), AWARD).years == 30
    due, _early = badges.badge_list(Member.objects.all(), AWARD)
    assert _names(due) == {"Đi Xa Sáu Năm": 30}


def _names(candidates):
    return {c.member.full_name: c.years for c in candidates}


def test_badge_list_at_the_edges_of_an_award_day(world):
    dated_member(world.branch_a, D(1995, 9, 2), full_name="Đúng Ba Mươi")
    dated_member(world.branch_a, D(1995, 9, 3), full_name="Thiếu Một Ngày")
    dated_member(world.branch_a, D(1996, 9, 2), full_name="Sớm Mười Hai Tháng")
    dated_member(world.branch_a, D(1996, 9, 3), full_name="Quá Sớm")
    dated_member(world.branch_a, D(1957, 9, 2), full_name="Sớm Hai Mươi Bốn Tháng")
    dated_member(world.branch_a, D(1957, 9, 3), full_name="Quá Sớm Bảy Mươi")
    dated_member(world.branch_a, D(1985, 9, 2), full_name="Đã Có Bốn Mươi")
    gap = dated_member(world.branch_a, D(1990, 1, 1), full_name="Có Khoảng Trống")
    lifecycle.record_exit(gap, kind=ExitKind.REMOVED, on=D(2000, 1, 1), document_number="1")
    lifecycle.readmit(gap, branch=world.branch_a, on=D(2006, 1, 1), document_number="2")
    forty = Member.objects.get(full_name="Đã Có Bốn Mươi")
    BadgeAward.objects.create(member=forty, years=40, award_date=D(2025, 9, 2))
    for name in ["Sớm Hai Mươi Bốn Tháng", "Quá Sớm Bảy Mươi"]:
        BadgeAward.objects.create(
            member=Member.objects.get(full_name=name), years=65, award_date=D(2022, 9, 2)
        )

    due, early = badges.badge_list(Member.objects.all(), AWARD)
    assert _names(due) == {"Đúng Ba Mươi": 30}
    assert _names(early) == {
        "Thiếu Một Ngày": 30,
        "Sớm Mười Hai Tháng": 30,
        "Sớm Hai Mươi Bốn Tháng": 70,
        "Có Khoảng Trống": 30,
    }


def test_badge_award_is_recorded_and_checks_the_list(world):
    due_member = dated_member(world.branch_a, D(1995, 9, 2))
    early_member = dated_member(world.branch_a, D(1995, 12, 1))
    members = Member.objects.all()
    with pytest.raises(ValidationError):
        badges.award_badges(
            members=members,
            award_date=D(2025, 9, 3),
            member_ids=[due_member.pk],
            early_ids=[],
            decision_number="1",
        )
    with pytest.raises(ValidationError):  # an early candidate ticked as due
        badges.award_badges(
            members=members,
            award_date=AWARD,
            member_ids=[early_member.pk],
            early_ids=[],
            decision_number="1",
        )
    assert not BadgeAward.objects.exists()
    badges.award_badges(
        members=members,
        award_date=AWARD,
        member_ids=[due_member.pk],
        early_ids=[early_member.pk],
        decision_number="85-QĐ/TU",
    )
    assert sorted(BadgeAward.objects.values_list("years", "early")) == [(30, False), (30, True)]
    assert badges.badge_list(members, AWARD) == ([], [])


def test_dues_default_amounts_follow_the_rule_of_the_month(world):
    old = dues.rule_for_month(2026, 1)
    new = dues.rule_for_month(2026, 2)
    assert (old.regulation.number, new.regulation.number) == ("342-QĐ/TW", "01-QĐ/TW")
    assert dues.amount_due(old, DuesBasis.SALARY, 6_000_000) == 60_000
    assert dues.amount_due(old, DuesBasis.PENSION, 5_000_000) == 25_000
    assert dues.amount_due(old, DuesBasis.STUDENT, None) == 5_000
    with override_settings(PARTYORG_RULES={"dues": {"01-QĐ/TW": {"student_amount": 10_000}}}):
        assert dues.amount_due(dues.rule_for_month(2026, 3), DuesBasis.STUDENT, None) == 10_000
    assert dues.amount_due(dues.rule_for_month(2026, 1), DuesBasis.STUDENT, None) == 5_000


def test_removal_rule_lists_unpaid_dues_and_unexcused_absences(world):
    late = make_member(world.branch_a, full_name="Chậm Đóng")
    almost = make_member(world.branch_a, full_name="Gần Đủ")
    absent = make_member(world.branch_b, full_name="Vắng Họp")
    unpaid_dues(late, 2026, [1, 2, 3])
    unpaid_dues(almost, 2026, [1, 2])
    unpaid_dues(almost, 2026, [3, 4], paid=True)
    unpaid_dues(almost, 2026, [5], excused=True)
    unexcused = (AttendanceStatus.UNEXCUSED, "")
    for month in (1, 2, 3):
        record(world.branch_b, D(2026, month, 10), absences={absent: unexcused})
        # Two absences in one month count as one month.
        record(
            world.branch_a,
            D(2026, 1, 10 + month),
            kind=MeetingKind.THEMATIC,
            absences={almost: unexcused},
        )
    record(world.branch_a, D(2026, 2, 10), absences={almost: unexcused})

    candidates = removal.RemovalCandidates(Member.objects.all(), 2026)
    assert {(c.member.full_name, c.unpaid_months, c.absent_months) for c in candidates} == {
        ("Chậm Đóng", 3, 0),
        ("Vắng Họp", 0, 3),
    }
    assert list(removal.RemovalCandidates(Member.objects.all(), 2025)) == []


def test_pending_transfer_is_withdrawn_when_the_member_exits(world):
    member = dated_member(world.branch_a, D(2010, 1, 1))
    transfer = transfers.request_transfer(
        member,
        kind="official",
        to_branch=world.branch_b,
        letter_number="1",
        letter_date=D(2026, 1, 5),
    )
    lifecycle.record_exit(member, kind="left", on=D(2026, 2, 1), document_number="2")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.CANCELLED
