"""The rule registry (partyorg.rules): versions by date, overrides, and the rules that
used to be written twice now agreeing with themselves."""

import dataclasses
import datetime
import itertools

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from branchwork import inspections, removal
from branchwork.enums import AttendanceStatus, MeetingKind
from branchwork.meeting_queries import unexcused_absentees
from branchwork.models import Inspection
from members.domain import member_record_errors
from members.enums import MemberStatus
from members.models import Member
from members.queries import conversion_due
from partyorg.rules import (
    NoRuleInForce,
    RuleKind,
    evaluation_rule,
    last_ceremony_with_probation_ended,
    probation_end,
    rule_in_force,
    versions,
)
from tests.factories import make_member
from tests.factories_meetings import record

D = datetime.date


@pytest.mark.parametrize(
    ("kind", "day", "regulation"),
    [
        (RuleKind.ADMISSION, D(2025, 6, 30), "232-QĐ/TW"),
        (RuleKind.ADMISSION, D(2025, 7, 1), "294-QĐ/TW"),
        (RuleKind.DUES, D(2026, 1, 31), "342-QĐ/TW"),
        (RuleKind.DUES, D(2026, 2, 1), "01-QĐ/TW"),
        (RuleKind.MEETINGS, D(2025, 10, 27), "Điều lệ Đảng"),
        (RuleKind.MEETINGS, D(2025, 10, 28), "42-HD/BTCTW"),
    ],
)
def test_the_version_in_force_changes_on_its_first_day(kind, day, regulation):
    assert rule_in_force(kind, day).regulation.number == regulation


@pytest.mark.parametrize(
    ("year", "regulation"),
    [(2018, "132-QĐ/TW"), (2022, "132-QĐ/TW"), (2023, "124-QĐ/TW"), (2025, "366-QĐ/TW")],
)
def test_an_evaluation_year_is_judged_by_the_rule_in_force_at_its_end(year, regulation):
    assert evaluation_rule(year).regulation.number == regulation


def test_no_evaluation_rule_before_132():
    with pytest.raises(NoRuleInForce):
        evaluation_rule(2017)


def test_each_version_ends_the_day_before_the_next_begins():
    for kind in RuleKind:
        rules = versions(kind)
        for rule, following in itertools.pairwise(rules):
            assert rule.in_force_until == following.in_force_from - datetime.timedelta(days=1)
        assert rules[-1].in_force_until is None


def test_rules_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule_in_force(RuleKind.REMOVAL, D(2026, 1, 1)).months = 2


def test_a_setting_corrects_one_version_only():
    with override_settings(
        PARTYORG_RULES={"evaluation": {"366-QĐ/TW": {"excellent_quota_percent": 15}}}
    ):
        assert evaluation_rule(2025).excellent_quota_percent == 15
        assert evaluation_rule(2024).excellent_quota_percent == 20
    with (
        override_settings(PARTYORG_RULES={"removal": {"Điều lệ Đảng": {"weeks": 3}}}),
        pytest.raises(ImproperlyConfigured),
    ):
        rule_in_force(RuleKind.REMOVAL, D(2026, 1, 1))


@pytest.mark.parametrize(
    ("ceremony", "official"),
    [
        (D(2024, 2, 29), D(2025, 2, 28)),
        (D(2024, 2, 28), D(2025, 2, 28)),
        (D(2024, 3, 1), D(2025, 3, 1)),
        (D(2025, 1, 31), D(2026, 1, 31)),
    ],
)
def test_probation_ends_twelve_calendar_months_after_the_ceremony(ceremony, official):
    assert probation_end(ceremony) == official


def test_last_ceremony_agrees_with_probation_end():
    day = D(2024, 1, 1)
    while day < D(2026, 1, 1):
        cutoff = last_ceremony_with_probation_ended(day)
        assert probation_end(cutoff) <= day < probation_end(cutoff + datetime.timedelta(days=1))
        day += datetime.timedelta(days=1)


def test_conversion_due_lists_a_leap_day_ceremony_on_the_day_it_ends(world):
    member = make_member(
        world.branch_a,
        status=MemberStatus.PROBATIONARY,
        admission_decision_date=D(2024, 2, 20),
        admission_date=D(2024, 2, 29),
        official_date=None,
    )
    assert member not in conversion_due(Member.objects.all(), D(2025, 2, 27))
    assert member in conversion_due(Member.objects.all(), D(2025, 2, 28))


def test_member_record_takes_minimum_age_and_probation_from_the_rule():
    errors = member_record_errors(
        date_of_birth=D(2006, 3, 1),
        admission_decision_date=D(2024, 2, 29),
        admission_date=D(2024, 2, 29),
        official_date=D(2025, 2, 28),
        today=D(2026, 1, 1),
    )
    assert "18" in errors["admission_decision_date"]
    assert "official_date" not in errors
    with override_settings(PARTYORG_RULES={"admission": {"24-QĐ/TW": {"min_age_months": 17 * 12}}}):
        assert "admission_decision_date" not in member_record_errors(
            date_of_birth=D(2006, 3, 1),
            admission_decision_date=D(2024, 2, 29),
            admission_date=None,
            official_date=None,
            today=D(2026, 1, 1),
        )


def test_home_panel_and_removal_list_count_the_same_months(world):
    """Three absences in one month are one month: neither list names the member; a third
    month puts the member on both."""
    member = make_member(world.branch_a, full_name="Vắng Ba Lần")
    unexcused = {member: (AttendanceStatus.UNEXCUSED, "")}
    for day in (5, 12, 19):
        record(world.branch_a, D(2026, 1, day), kind=MeetingKind.THEMATIC, absences=unexcused)
    record(world.branch_a, D(2026, 2, 10), absences=unexcused)
    members = Member.objects.all()
    assert unexcused_absentees(world.commune, 2026, 10) == ([], 0)
    assert list(removal.RemovalCandidates(members, 2026)) == []

    record(world.branch_a, D(2026, 3, 10), absences=unexcused)
    assert [m.absent_months for m in unexcused_absentees(world.commune, 2026, 10)[0]] == [3]
    assert [c.absent_months for c in removal.RemovalCandidates(members, 2026)] == [3]


def test_inspection_target_follows_the_rule_and_its_setting(world):
    for n in range(9):
        make_member(world.branch_a, full_name=f"Chính Thức {n}", status=MemberStatus.OFFICIAL)
    make_member(world.branch_b, full_name="Một Mình", status=MemberStatus.OFFICIAL)
    Inspection.objects.create(
        inspecting_node=world.branch_b,
        inspected_node=world.branch_b,
        date=D(2026, 3, 1),
        subject="Đảng phí",
    )
    rows = inspections.inspection_targets(world.commune, 2026)
    targets = {b.code: b.target for b in inspections.with_targets(rows, 2026)}
    assert targets == {"X1-B1": 2, "X1-B2": 1}
    assert inspections.target_summary(rows, 2026) == {"branches": 2, "met": 1}
    with override_settings(PARTYORG_RULES={"inspection": {"11-HD/BTCTW": {"with_committee": 3}}}):
        targets = {b.code: b.target for b in inspections.with_targets(rows, 2026)}
        assert targets["X1-B1"] == 3
    sizes = {"branch_size": {"Điều lệ Đảng": {"committee_min_official": 10}}}
    with override_settings(PARTYORG_RULES=sizes):
        targets = {b.code: b.target for b in inspections.with_targets(rows, 2026)}
        assert targets["X1-B1"] == 1
