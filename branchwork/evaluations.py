"""Annual quality evaluation of members and organizations (đánh giá, xếp loại chất lượng).

Steps: self-assessment → appraisal (by the branch, or the level above for organizations) →
decision. The rule of the year (partyorg.rules: 132-QĐ/TW for 2018–2022, 124-QĐ/TW, then
366-QĐ/TW) gives the score bands and the conditions of "excellent", the quota (excellent
at most N% of those rated good in the same organization) and who is not classified.
A whole year is entered at once and checked as a whole before anything is saved; a sheet
with a row someone else saved since it was opened is refused whole (partyorg.locking), as
the quota is checked over all its rows together.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches.models import NodePlacement, OrganizationNode
from branchwork.enums import EvaluationLevel, NotClassifiedReason
from branchwork.models import Evaluation, OrganizationEvaluation
from members.enums import EventKind, MembershipKind
from members.exemptions import exemption_events
from members.models import Member, Membership
from partyorg.bulk import update_objects
from partyorg.dated import add_months, on_q
from partyorg.locking import first_save_wins, locked_versions, split_sheet, stale_rows
from partyorg.rules import EvaluationRule, NoRuleInForce, evaluation_rule

Level = EvaluationLevel
STEP_FIELDS = [
    "self_assessment",
    "appraisal",
    "score",
    "excellent_conditions",
    "level",
    "not_classified",
]


def rule_for_year(year: int) -> EvaluationRule:
    """The rule of `year` (partyorg.rules.evaluation_rule), or a message saying there is none."""
    try:
        return evaluation_rule(year)
    except NoRuleInForce:
        raise ValidationError(
            {"year": _("No evaluation rule is in force for %(year)s.") % {"year": year}}
        ) from None


def levels_for_score(rule: EvaluationRule, score: Decimal) -> list[str]:
    """The levels a score allows, the highest first. Under a rule with conditions for
    "excellent" a score in its band allows "good" too: the score is necessary, the
    conditions decide (366-QĐ/TW Art. 11)."""
    if score >= rule.excellent_min_score:
        return [Level.EXCELLENT, Level.GOOD] if rule.excellent_conditions else [Level.EXCELLENT]
    if score >= rule.good_min_score:
        return [Level.GOOD]
    if score >= rule.completed_min_score:
        return [Level.COMPLETED]
    return [Level.NOT_COMPLETED]


def level_for_score(rule: EvaluationRule, score: Decimal, *, conditions_met: bool) -> str:
    """The level a score gives when no level is entered."""
    allowed = levels_for_score(rule, score)
    if allowed[0] == Level.EXCELLENT and rule.excellent_conditions and not conditions_met:
        return Level.GOOD
    return allowed[0]


def quota_error(rule: EvaluationRule, levels) -> str | None:
    """The quota message when too many are rated excellent for those rated good (the
    excellent counted among them when the rule's base includes them)."""
    levels = list(levels)
    excellent, good = levels.count(Level.EXCELLENT), levels.count(Level.GOOD)
    if rule.quota_base_includes_excellent:
        good += excellent
    if excellent * 100 <= rule.excellent_quota_percent * good:
        return None
    return _(
        "%(excellent)s rated excellent, but under %(rule)s at most %(percent)s%% of those "
        "rated good (%(good)s) may be: at most %(allowed)s."
    ) % {
        "excellent": excellent,
        "rule": rule.regulation.number,
        "percent": rule.excellent_quota_percent,
        "good": good,
        "allowed": rule.excellent_quota_percent * good // 100,
    }


def year_end(year: int) -> datetime.date:
    return min(datetime.date(year, 12, 31), timezone.localdate())


def members_to_evaluate(branch: OrganizationNode, year: int) -> QuerySet[Member]:
    """Members whose home membership in `branch` covers the end of `year`, with the
    exemption events up to then (for the exclusions) and their evaluation of the year."""
    end = year_end(year)
    return (
        Member.objects.filter(
            on_q(Membership, end, via="memberships"),
            memberships__branch=branch,
            memberships__kind=MembershipKind.HOME,
        )
        .distinct()
        .prefetch_related(
            Prefetch(
                "events",
                queryset=exemption_events().filter(date__lte=end).order_by("date", "id"),
                to_attr="exemption_events",
            ),
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.filter(year=year),
                to_attr="year_evaluations",
            ),
        )
        .order_by("sort_key", "member_number")
    )


def required_exclusion(rule: EvaluationRule, member: Member, year: int) -> str:
    """The reason the rule leaves this member unclassified, found from the record."""
    events = member.exemption_events
    if rule.exclude_exempted and events and events[-1].kind == EventKind.EXEMPTED:
        return NotClassifiedReason.EXEMPTED
    if rule.exclude_new_months and member.admission_date > add_months(
        year_end(year), -rule.exclude_new_months
    ):
        return NotClassifiedReason.NEW_MEMBER
    return ""


@dataclass
class Row:
    """One line of the year's entry screen; `target` is a Member or an OrganizationNode,
    `version` the version of its evaluation when the screen was opened (None: it had none)."""

    target: object
    self_assessment: str = ""
    appraisal: str = ""
    score: Decimal | None = None
    excellent_conditions: bool = False
    level: str = ""
    not_classified: str = ""
    version: int | None = None
    required_exclusion: str = ""
    errors: list[str] = field(default_factory=list)


def check_rows(rule: EvaluationRule, rows: list[Row]) -> list[str]:
    """Fill levels from scores and check every row and the quota. Returns the errors of
    the whole sheet (row errors are also kept on each row)."""
    problems = []
    for row in rows:
        if row.required_exclusion:
            if row.level or row.score is not None:
                row.errors.append(
                    _("Not classified under %(rule)s: %(reason)s.")
                    % {
                        "rule": rule.regulation.number,
                        "reason": NotClassifiedReason(row.required_exclusion).label,
                    }
                )
            row.not_classified = row.required_exclusion
        elif row.not_classified == NotClassifiedReason.SUSPENDED and not rule.exclude_suspended:
            row.errors.append(
                _("Under %(rule)s suspended members are classified.")
                % {"rule": rule.regulation.number}
            )
        elif row.not_classified and (row.level or row.score is not None):
            row.errors.append(_("A member who is not classified gets no level or score."))
        if row.score is not None:
            if not rule.scored:
                row.errors.append(
                    _("%(rule)s has no 100-point score; leave it empty.")
                    % {"rule": rule.regulation.number}
                )
            elif not 0 <= row.score <= 100:
                row.errors.append(_("The score is between 0 and 100."))
            elif not row.not_classified:
                row.errors.extend(_score_errors(rule, row))
        elif rule.scored and row.level and not row.not_classified:
            row.errors.append(
                _("Under %(rule)s the level comes from the 100-point score: enter the score.")
                % {"rule": rule.regulation.number}
            )
        for error in row.errors:
            problems.append(f"{row.target}: {error}")
    quota = quota_error(rule, (row.level for row in rows if not row.not_classified))
    if quota:
        problems.append(quota)
    return problems


def _score_errors(rule: EvaluationRule, row: Row) -> list[str]:
    """Check a scored row's level against its score and the conditions of "excellent";
    an empty level is filled from them."""
    allowed = levels_for_score(rule, row.score)
    if not row.level:
        row.level = level_for_score(rule, row.score, conditions_met=row.excellent_conditions)
        return []
    if row.level not in allowed:
        return [
            _("A score of %(score)s means “%(level)s”.")
            % {"score": row.score, "level": Level(allowed[0]).label}
        ]
    if row.level == Level.EXCELLENT and rule.excellent_conditions and not row.excellent_conditions:
        return [
            _(
                "Under %(rule)s “excellent” also needs every task done on time, at least 30%% "
                "of tasks beyond requirements and no discipline: tick them, or rate “good”."
            )
            % {"rule": rule.regulation.number}
        ]
    return []


def describe(evaluation) -> str:
    """What an evaluation holds, in a few words."""
    parts = [
        f"{capfirst(evaluation._meta.get_field(name).verbose_name)}: {shown}"
        for name in STEP_FIELDS
        if (shown := _shown(evaluation, name)) != ""
    ]
    return "; ".join(parts) or _("nothing")


def _shown(evaluation, name: str) -> str:
    value = getattr(evaluation, name)
    if value is None or value == "":
        return ""
    if name == "score":
        return str(value)
    if name == "excellent_conditions":
        return _("yes") if value else ""
    return str(getattr(evaluation, f"get_{name}_display")())


def _differs(record, values: dict) -> bool:
    """Whether saving `values` would change `record` (related rows compared by id)."""
    return any(
        getattr(record, record._meta.get_field(name).attname) != getattr(value, "pk", value)
        for name, value in values.items()
    )


def _save(model, key: str, rows: list[Row], extra: dict, by) -> int:
    """Write a checked sheet: each target's evaluation of `extra["year"]` created or
    updated. The targets' evaluations are locked and read first; a row that would change
    an evaluation someone saved after the sheet was opened refuses the whole sheet
    (partyorg.locking.Stale keyed by target), and so does a first save someone else made
    at the same moment."""

    def values(row: Row) -> dict:
        return {name: getattr(row, name) for name in STEP_FIELDS} | extra

    def write() -> int:
        targets = [row.target for row in rows]
        locked = locked_versions(
            model.objects.filter(year=extra["year"], **{f"{key}__in": targets})
        )
        new, changed, stale = split_sheet(
            rows,
            {getattr(record, f"{key}_id"): record for record in locked},
            key=lambda row: row.target.pk,
            changes=lambda record, row: _differs(record, values(row)),
        )
        if stale:
            raise stale_rows(model, stale, describe)
        for record, row in changed:
            for name, value in values(row).items():
                setattr(record, name, value)
            record.recorded_by = by
        created = [model(**{key: row.target}, **values(row), recorded_by=by) for row in new]
        if created:
            bulk_create_with_history(created, model, default_user=by)
        records = [record for record, _row in changed]
        update_objects(records, model, [*STEP_FIELDS, *extra, "recorded_by"], by=by)
        return len(created) + len(records)

    return first_save_wins(write)


@transaction.atomic
def save_member_year(
    *, branch: OrganizationNode, year: int, rows: list[Row], decision_number: str = "", by=None
) -> int:
    """Save a branch's evaluations of its members for `year`, all or nothing.

    Effects: one Evaluation per member (created or updated, with history, its version
    raised) holding the self-assessment, the branch's appraisal, the score and the
    decision, under the rule of that year. Nothing is saved when a row or the quota is
    wrong, nor when a row changes an evaluation someone saved after the sheet was opened
    (partyorg.locking.Stale, keyed by member id).
    """
    rule = rule_for_year(year)
    problems = check_rows(rule, rows)
    if problems:
        raise ValidationError(problems)
    extra = {
        "year": year,
        "regulation": rule.regulation.number,
        "branch": branch,
        "decision_number": decision_number,
    }
    return _save(Evaluation, "member", rows, extra, by)


def organizations_to_evaluate(node: OrganizationNode, year: int) -> QuerySet[OrganizationNode]:
    """The organizations directly below `node` at the end of `year`, as the tree stood
    then: a past year's sheet is that of the organizations this committee evaluated,
    wherever a restructuring has moved them since."""
    below = NodePlacement.objects.on(year_end(year)).filter(parent=node).values("node_id")
    return (
        OrganizationNode.objects.filter(pk__in=below)
        .order_by("path")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=OrganizationEvaluation.objects.filter(year=year),
                to_attr="year_evaluations",
            )
        )
    )


@transaction.atomic
def save_organization_year(
    *, node: OrganizationNode, year: int, rows: list[Row], decision_number: str = "", by=None
) -> int:
    """Save the evaluations of the organizations below `node` for `year`, all or nothing.

    Effects: one OrganizationEvaluation each (created or updated, with history, its
    version raised); refused as save_member_year when someone saved a row since.
    """
    rule = rule_for_year(year)
    problems = check_rows(rule, rows)
    if problems:
        raise ValidationError(problems)
    extra = {"year": year, "regulation": rule.regulation.number, "decision_number": decision_number}
    return _save(OrganizationEvaluation, "node", rows, extra, by)


def distribution(evaluations: QuerySet) -> dict[str, int]:
    """Counts per level (and not classified) in one query."""
    return evaluations.aggregate(
        total=Count("id"),
        not_classified=Count("id", filter=~Q(not_classified="")),
        **{level: Count("id", filter=Q(level=level)) for level in Level.values},
    )
