"""The rule registry: every regulation's values, looked up by the day they apply to.

`rule_in_force(kind, day)` returns a frozen rule object naming its regulation and the
dates it was in force. Every value is written here once; apps ask for it. A value our
sources leave unconfirmed says so in its rule's `unconfirmed` note and can be changed
without code in the PARTYORG_RULES setting, by kind and regulation number:

    PARTYORG_RULES = {"evaluation": {"366-QĐ/TW": {"excellent_quota_percent": 15}}}

docs/rules.md lists every rule with its source and its callers.
"""

import bisect
import dataclasses
import datetime
import functools
from decimal import Decimal
from enum import StrEnum
from operator import attrgetter

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from partyorg import regulations as reg
from partyorg.dated import add_months


class RuleKind(StrEnum):
    ADMISSION = "admission"
    TRANSFER = "transfer"
    EVALUATION = "evaluation"
    DUES = "dues"
    MEETINGS = "meetings"
    REMOVAL = "removal"
    INSPECTION = "inspection"
    BRANCH_SIZE = "branch_size"


class NoRuleInForce(LookupError):
    """No version of the rule applies to the day (records older than the first one)."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Rule:
    regulation: reg.Regulation
    in_force_from: datetime.date
    in_force_until: datetime.date | None = None  # the registry sets it from the next version
    unconfirmed: str = ""

    def __str__(self):
        return str(self.regulation)


@dataclasses.dataclass(frozen=True, kw_only=True)
class AdmissionRule(Rule):
    version: str  # stored on each branch vote (admission.enums.RuleVersion)
    min_age_months: int = 18 * 12
    max_age_months: int = 60 * 12
    primary_education_exception: bool = True
    course_valid_years: int = 5
    introducers: int = 2
    introducer_min_official_months: int = 12
    introducer_min_acquaintance_months: int = 12
    youth_union_age_below: int = 30
    vote_share: tuple[int, int] = (2, 3)
    # Whether members temporarily transferred away and absent exempted members are left
    # out of the vote's base, as in the election rules (unconfirmed for admission).
    vote_base_excludes_away: bool = True
    decision_working_days: int = 60
    decision_extension_working_days: int = 30
    ceremony_working_days: int = 30  # counted from the receipt of the decision (4.1)
    probation_months: int = 12
    conversion_vote_working_days: int = 30


@dataclasses.dataclass(frozen=True, kw_only=True)
class TransferRule(Rule):
    official_due_working_days: int = 60  # after the change of job or residence
    letter_presentation_working_days: int = 30
    temporary_min_months: int = 3
    temporary_max_months: int = 12  # exclusive: "3 months to under 1 year"
    study_max_months: int = 24  # inclusive: "study 3 months to 2 years"


@dataclasses.dataclass(frozen=True, kw_only=True)
class EvaluationRule(Rule):
    scored: bool = False
    excellent_min_score: Decimal = Decimal(90)
    good_min_score: Decimal = Decimal(70)
    completed_min_score: Decimal = Decimal(50)
    # Excellent needs, besides the score, every task on time, at least 30% of tasks
    # beyond requirements and no discipline (366-QĐ/TW Art. 11).
    excellent_conditions: bool = False
    excellent_quota_percent: int = 20
    quota_base_includes_excellent: bool = False
    exclude_exempted: bool = True
    exclude_suspended: bool = True
    exclude_new_months: int = 6


@dataclasses.dataclass(frozen=True, kw_only=True)
class DuesRule(Rule):
    salary_permille: int = 10
    pension_permille: int = 5
    student_amount: int = 5000
    flat_amount: int = 5000


@dataclasses.dataclass(frozen=True, kw_only=True)
class MeetingRule(Rule):
    regular_per_month: int = 1
    thematic_per_quarter: int = 1
    minimum_minutes: int | None = None
    minimum_with_thematic: int | None = None
    # Days before the meeting its documents are shared with the members (None: no rule).
    documents_days_ahead: int | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class RemovalRule(Rule):
    # Months of a year with an unexcused absence, or with dues unpaid without good reason.
    months: int = 3


@dataclasses.dataclass(frozen=True, kw_only=True)
class InspectionRule(Rule):
    with_committee: int = 2
    without_committee: int = 1


@dataclasses.dataclass(frozen=True, kw_only=True)
class BranchSizeRule(Rule):
    branch_min_official: int = 3
    committee_min_official: int = 9
    committee_max_size: int = 7
    grassroots_committee_min_members: int = 30


_UNCONFIRMED_366 = (
    "Quota, its base and the exclusions under 366-QĐ/TW: the values of 124-QĐ/TW are kept "
    "until confirmed (DOMAIN.md §6)."
)

_VERSIONS: dict[RuleKind, list[Rule]] = {
    RuleKind.ADMISSION: [
        AdmissionRule(
            regulation=reg.QD24_2021,
            in_force_from=reg.QD24_2021.signed_on,
            version="24-QD-TW-2021",
            unconfirmed="The vote base without members away: taken from the election rules.",
        ),
        AdmissionRule(
            regulation=reg.QD232_2025,
            in_force_from=reg.QD232_2025.signed_on,
            version="232-QD-TW-2025",
            unconfirmed="The vote base without members away: taken from the election rules.",
        ),
        AdmissionRule(
            regulation=reg.QD294_2025,
            in_force_from=datetime.date(2025, 7, 1),
            version="294-QD-TW-2025",
            unconfirmed="The vote base without members away: taken from the election rules.",
        ),
    ],
    RuleKind.TRANSFER: [
        TransferRule(regulation=reg.QD24_2021, in_force_from=reg.QD24_2021.signed_on),
    ],
    RuleKind.EVALUATION: [
        EvaluationRule(regulation=reg.QD132_2018, in_force_from=reg.QD132_2018.signed_on),
        EvaluationRule(regulation=reg.QD124_2023, in_force_from=reg.QD124_2023.signed_on),
        EvaluationRule(
            regulation=reg.QD366_2025,
            in_force_from=reg.QD366_2025.signed_on,
            scored=True,
            excellent_conditions=True,
            unconfirmed=_UNCONFIRMED_366,
        ),
    ],
    RuleKind.DUES: [
        DuesRule(regulation=reg.QD342_2010, in_force_from=reg.QD342_2010.signed_on),
        DuesRule(
            regulation=reg.QD01_2026,
            in_force_from=datetime.date(2026, 2, 1),
            unconfirmed="In force from 1 Feb 2026; the amount for members with neither "
            "salary nor pension (DOMAIN.md §7).",
        ),
    ],
    RuleKind.MEETINGS: [
        MeetingRule(regulation=reg.CHARTER, in_force_from=reg.CHARTER.signed_on),
        MeetingRule(
            regulation=reg.HD42_2025,
            in_force_from=reg.HD42_2025.signed_on,
            minimum_minutes=90,
            minimum_with_thematic=120,
            documents_days_ahead=1,
        ),
    ],
    RuleKind.REMOVAL: [RemovalRule(regulation=reg.CHARTER, in_force_from=reg.CHARTER.signed_on)],
    RuleKind.INSPECTION: [
        InspectionRule(
            regulation=reg.HD11_2021,
            in_force_from=reg.HD11_2021.signed_on,
            unconfirmed="The yearly target (2 with a committee, 1 without) is the articles' "
            "figure (DOMAIN.md §9).",
        )
    ],
    RuleKind.BRANCH_SIZE: [
        BranchSizeRule(regulation=reg.CHARTER, in_force_from=reg.CHARTER.signed_on)
    ],
}
# Rules whose first version also judges older records (the values did not change with
# it); the others have nothing to say about days before their first version.
_FIRST_VERSION_COVERS_EARLIER = {
    RuleKind.ADMISSION,
    RuleKind.TRANSFER,
    RuleKind.MEETINGS,
    RuleKind.REMOVAL,
    RuleKind.INSPECTION,
    RuleKind.BRANCH_SIZE,
}


def _with_end_dates(versions: list[Rule]) -> tuple[Rule, ...]:
    ends = [following.in_force_from - datetime.timedelta(days=1) for following in versions[1:]]
    return tuple(
        dataclasses.replace(rule, in_force_until=end)
        for rule, end in zip(versions, [*ends, None], strict=True)
    )


RULES: dict[RuleKind, tuple[Rule, ...]] = {
    kind: _with_end_dates(sorted(versions, key=lambda rule: rule.in_force_from))
    for kind, versions in _VERSIONS.items()
}


def _overridden(kind: RuleKind, rule: Rule) -> Rule:
    values = getattr(settings, "PARTYORG_RULES", {}).get(kind, {}).get(rule.regulation.number)
    if not values:
        return rule
    try:
        return dataclasses.replace(rule, **values)
    except TypeError as error:
        raise ImproperlyConfigured(f"PARTYORG_RULES[{kind!r}]: {error}") from None


_IN_FORCE_FROM = attrgetter("in_force_from")


@functools.cache
def versions(kind: RuleKind) -> tuple[Rule, ...]:
    """Every version of a rule, oldest first, with the settings' overrides. Kept until
    the setting changes: an import asks for the rule of each of its rows' dates."""
    return tuple(_overridden(kind, rule) for rule in RULES[kind])


@receiver(setting_changed)
def _forget_overrides(*, setting, **kwargs):
    if setting == "PARTYORG_RULES":
        versions.cache_clear()


def rule_in_force(kind: RuleKind, day: datetime.date) -> Rule:
    """The version of the `kind` rule that applies to `day`."""
    found = bisect.bisect_right(versions(kind), day, key=_IN_FORCE_FROM)
    if found:
        return versions(kind)[found - 1]
    if kind in _FIRST_VERSION_COVERS_EARLIER:
        return versions(kind)[0]
    raise NoRuleInForce(kind, day)


def evaluation_rule(year: int) -> EvaluationRule:
    """The evaluation rule of `year`: the one in force at its end, when evaluations are made."""
    return rule_in_force(RuleKind.EVALUATION, datetime.date(year, 12, 31))


def removal_rule(year: int) -> RemovalRule:
    """The removal rule that judges the months of `year`."""
    return rule_in_force(RuleKind.REMOVAL, datetime.date(year, 12, 31))


def inspection_target(official: int, day: datetime.date) -> int:
    """Inspections a branch with `official` official members owes for the year ending on
    `day`: more when it is large enough to have a committee (the branch size rule)."""
    rule = rule_in_force(RuleKind.INSPECTION, day)
    has_committee = official >= rule_in_force(RuleKind.BRANCH_SIZE, day).committee_min_official
    return rule.with_committee if has_committee else rule.without_committee


def probation_end(ceremony: datetime.date) -> datetime.date:
    """The day a probationary member becomes official: the probation's months after the
    ceremony (29 Feb 2024 → 28 Feb 2025), however late the paperwork."""
    months = rule_in_force(RuleKind.ADMISSION, ceremony).probation_months
    return add_months(ceremony, months)


def last_ceremony_with_probation_ended(on: datetime.date) -> datetime.date:
    """The latest ceremony day whose probation has ended by `on`, so "probation ended" can
    be a date filter that agrees with probation_end."""
    months = rule_in_force(RuleKind.ADMISSION, on).probation_months
    ceremony = add_months(on, -months)
    while probation_end(ceremony + datetime.timedelta(days=1)) <= on:
        ceremony += datetime.timedelta(days=1)
    return ceremony
