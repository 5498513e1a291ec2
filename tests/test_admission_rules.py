import datetime

import pytest
from django.core.exceptions import ValidationError

from admission import domain
from admission.deadlines import (
    ceremony_due,
    conversion_vote_due,
    decision_due,
    probation_end,
)
from admission.enums import RuleVersion, Stage
from admission.models import BranchVote, Candidate
from admission.rules import eligibility_problems, rule_on
from members.enums import GeneralEducation
from partyorg.dated import add_months
from partyorg.models import Holiday
from partyorg.workdays import WorkingCalendar, add_working_days
from tests.factories_admission import WALK, make_candidate, make_officials, walk

D = datetime.date
VOTE = WALK["vote"]  # 01/07/2024


def candidate_born(born, **fields):
    fields.setdefault("general_education", GeneralEducation.UPPER_SECONDARY)
    return Candidate(date_of_birth=born, **fields)


@pytest.mark.parametrize(
    ("born", "field"),
    [
        (D(2006, 8, 1), "date_of_birth"),  # 17 years 11 months on the vote date
        (D(2006, 7, 2), "date_of_birth"),  # one day short of 18
        (D(2006, 7, 1), None),  # 18 exactly
        (D(1964, 7, 1), None),  # 60 years exactly
        (D(1964, 6, 2), None),  # 60 years and 29 days: still 60 counted in months
        (D(1964, 6, 1), "over_age_approval"),  # 60 years 1 month
    ],
)
def test_age_counted_in_months_on_the_vote_date(born, field):
    problems = eligibility_problems(candidate_born(born), VOTE, at_vote=True)
    assert list(problems) == ([field] if field else [])


def test_over_sixty_with_a_recorded_approval_is_eligible():
    candidate = candidate_born(D(1964, 6, 1), over_age_approval="15-CV/HU ngày 02/05/2024")
    assert eligibility_problems(candidate, VOTE, at_vote=True) == {}


def test_under_eighteen_may_be_identified_but_not_voted():
    candidate = candidate_born(D(2006, 8, 1))
    assert eligibility_problems(candidate, D(2024, 3, 1), at_vote=False) == {}


@pytest.mark.parametrize(
    ("education", "exception", "document", "eligible"),
    [
        (GeneralEducation.LOWER_SECONDARY, "", "", True),
        (GeneralEducation.PRIMARY, "", "", False),
        (GeneralEducation.PRIMARY, "mountain", "", False),
        (GeneralEducation.PRIMARY, "ethnic_minority", "QĐ 861/QĐ-TTg", True),
    ],
)
def test_education_exception(education, exception, document, eligible):
    candidate = candidate_born(
        D(1990, 1, 1),
        general_education=education,
        education_exception=exception,
        education_exception_document=document,
    )
    assert (eligibility_problems(candidate, VOTE, at_vote=True) == {}) is eligible


@pytest.mark.parametrize(
    ("day", "version"),
    [
        (D(2023, 5, 1), RuleVersion.QD24_2021),
        (D(2025, 1, 20), RuleVersion.QD232_2025),
        (D(2025, 6, 30), RuleVersion.QD232_2025),
        (D(2025, 7, 1), RuleVersion.QD294_2025),
    ],
)
def test_rule_chosen_by_date(day, version):
    assert rule_on(day).version == version


def test_add_months_keeps_the_day_or_takes_the_month_end():
    assert add_months(D(2024, 8, 19), 12) == D(2025, 8, 19)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)


def test_two_thirds_edges():
    assert domain.two_thirds_agree(6, 9)
    assert not domain.two_thirds_agree(5, 9)
    assert domain.two_thirds_agree(2, 3)
    assert not domain.two_thirds_agree(1, 3)
    assert domain.two_thirds_agree(20, 30)
    assert not domain.two_thirds_agree(19, 30)
    assert not domain.two_thirds_agree(0, 0)


@pytest.mark.django_db
def test_deadline_crossing_tet_skips_the_holidays():
    # Tết 2026 is 16–20 February in the holidays package's Vietnam calendar.
    cal = WorkingCalendar()
    assert add_working_days(D(2026, 2, 10), 5) == D(2026, 2, 24)
    assert ceremony_due(D(2026, 2, 12), cal) == D(2026, 4, 2)
    assert decision_due(D(2026, 1, 5), extended=False, cal=cal) == D(2026, 4, 6)
    # Giỗ Tổ falls on Sunday 26/4/2026: Monday 27/4 is the day off in compensation.
    assert decision_due(D(2026, 1, 5), extended=True, cal=cal) == D(2026, 5, 21)


@pytest.mark.django_db
def test_an_added_holiday_moves_the_deadline():
    before = ceremony_due(D(2027, 3, 1), WorkingCalendar())
    Holiday.objects.create(date=D(2027, 3, 3), name="Ngày nghỉ bù")
    assert ceremony_due(D(2027, 3, 1), WorkingCalendar()) == add_working_days(before, 1)


@pytest.mark.django_db
def test_conversion_vote_due_thirty_working_days_after_twelve_months():
    cal = WorkingCalendar()
    assert probation_end(D(2025, 1, 15)) == D(2026, 1, 15)
    # 15/01/2026 + 30 working days, across Tết 2026.
    assert conversion_vote_due(D(2025, 1, 15), cal) == D(2026, 3, 5)


@pytest.mark.django_db
def test_vote_refused_for_candidate_under_eighteen_changes_nothing(world):
    make_officials(world.branch_a)
    candidate = make_candidate(world.branch_a, date_of_birth=D(2006, 8, 1))
    walk(candidate, Stage.VERIFIED)
    with pytest.raises(ValidationError) as error:
        domain.record_branch_vote(candidate, on=VOTE, agreeing=3, disagreeing=0)
    assert "date_of_birth" in error.value.message_dict
    candidate.refresh_from_db()
    assert candidate.stage == Stage.VERIFIED
    assert not BranchVote.objects.exists()


@pytest.mark.django_db
def test_working_days_follow_the_package_calendar_and_the_table():
    cal = WorkingCalendar()
    # Compensatory day off: Giỗ Tổ on Sunday 26/4/2026 moves to Monday 27/4.
    assert not cal.is_working_day(D(2026, 4, 27))
    # Any year, Tết included: 2040's lunar new year is 12 February.
    assert not cal.is_working_day(D(2040, 2, 13))
    # Saturday 22/8/2026 is worked for the bridged day off of Monday 31/8.
    assert cal.is_working_day(D(2026, 8, 22)) and not cal.is_working_day(D(2026, 8, 31))
    Holiday.objects.create(date=D(2026, 6, 2), name="Ngày nghỉ được công bố")
    Holiday.objects.create(date=D(2026, 6, 6), name="Làm bù", working_day=True)
    cal = WorkingCalendar()
    assert not cal.is_working_day(D(2026, 6, 2)) and cal.is_working_day(D(2026, 6, 6))
    assert cal.between(D(2026, 6, 1), D(2026, 6, 7)) == 4
