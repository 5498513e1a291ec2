"""Monthly party dues (đảng phí).

The rule in force on the first day of a month (partyorg.rules: 342-QĐ/TW of 28 Dec 2010,
then 01-QĐ/TW of 3 Feb 2026) gives the default amount: a share of the salary subject to
social insurance, a share of the pension, a fixed amount for students, and a fixed amount
for members with neither (unconfirmed, a field of the rule). Members may pay more.
A branch keeps one collection sheet per month, saved all or nothing: a sheet with a row
someone else saved since it was opened is refused whole (partyorg.locking), like a sheet
with a wrong row.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from branches.models import OrganizationNode
from branchwork.enums import DuesBasis
from branchwork.models import Dues
from branchwork.models.dues import UNPAID, unpaid
from branchwork.months import month_end, month_start
from members.enums import MembershipKind, Occupation
from members.models import Member, Membership
from partyorg.bulk import update_objects
from partyorg.dated import during_q
from partyorg.locking import first_save_wins, locked_versions, split_sheet, stale_rows
from partyorg.rules import DuesRule, NoRuleInForce, RuleKind, removal_rule, rule_in_force

SALARIED = {
    Occupation.CIVIL_SERVANT,
    Occupation.TEACHER,
    Occupation.HEALTH_WORKER,
    Occupation.WORKER,
    Occupation.ARMED_FORCES,
}
SHEET_FIELDS = ["basis", "income", "amount_due", "extra", "paid_on", "excused"]


def rule_for_month(year: int, month: int) -> DuesRule:
    """The dues rule in force on the first day of the month (partyorg.rules)."""
    try:
        return rule_in_force(RuleKind.DUES, month_start(year, month))
    except NoRuleInForce:
        raise ValidationError(_("No dues rule is in force for this month.")) from None


def default_basis(member: Member) -> str:
    if member.occupation == Occupation.STUDENT:
        return DuesBasis.STUDENT
    if member.occupation == Occupation.RETIRED:
        return DuesBasis.PENSION
    if member.occupation in SALARIED:
        return DuesBasis.SALARY
    return DuesBasis.OTHER


def amount_due(rule: DuesRule, basis: str, income: int | None) -> int:
    """The monthly dues the rule asks, in đồng, rounded to the nearest đồng."""
    if basis == DuesBasis.SALARY:
        return round((income or 0) * rule.salary_permille / 1000)
    if basis == DuesBasis.PENSION:
        return round((income or 0) * rule.pension_permille / 1000)
    if basis == DuesBasis.STUDENT:
        return rule.student_amount
    return rule.flat_amount


def sheet_members(branch: OrganizationNode, year: int, month: int) -> QuerySet[Member]:
    """Members whose home membership in `branch` covers part of the month."""
    return (
        Member.objects.filter(
            during_q(
                Membership, month_start(year, month), month_end(year, month), via="memberships"
            ),
            memberships__branch=branch,
            memberships__kind=MembershipKind.HOME,
        )
        .distinct()
        .order_by("sort_key", "member_number")
    )


@dataclass
class SheetRow:
    """A member's line of the sheet; `version` is the version of the member's Dues row of
    the month when the sheet was opened (None: there was none)."""

    member: Member
    basis: str
    income: int | None
    extra: int = 0
    paid_on: datetime.date | None = None
    excused: bool = False
    amount_due: int = 0
    record: Dues | None = None
    version: int | None = None


def sheet(branch: OrganizationNode, year: int, month: int) -> tuple[DuesRule, list[SheetRow]]:
    """The collection sheet: each member's row for the month, or a new one carrying the
    basis and income of the member's latest earlier month. Three queries."""
    rule = rule_for_month(year, month)
    members = list(sheet_members(branch, year, month))
    rows_of = {
        d.member_id: d for d in Dues.objects.filter(year=year, month=month, member__in=members)
    }
    latest = {}
    earlier = Dues.objects.filter(member__in=members).filter(
        Q(year__lt=year) | Q(year=year, month__lt=month)
    )
    for record in earlier.order_by("year", "month").only("member_id", "basis", "income"):
        latest[record.member_id] = record
    rows = []
    for member in members:
        record = rows_of.get(member.pk)
        if record is not None:
            rows.append(
                SheetRow(
                    member,
                    record.basis,
                    record.income,
                    record.extra,
                    record.paid_on,
                    record.excused,
                    record.amount_due,
                    record,
                    record.version,
                )
            )
            continue
        before = latest.get(member.pk)
        basis = before.basis if before else default_basis(member)
        income = before.income if before else None
        rows.append(SheetRow(member, basis, income, amount_due=amount_due(rule, basis, income)))
    return rule, rows


@transaction.atomic
def save_sheet(
    *, branch: OrganizationNode, year: int, month: int, rows: list[SheetRow], by=None
) -> int:
    """Save a branch's collection sheet for a month, all or nothing.

    Effects: one Dues row per member for the month (created or updated, with history,
    its version raised) with the amount the rule in force asks, the voluntary extra and
    the payment date. Nothing is saved when a row is wrong, nor when a row changes a Dues
    row someone saved after the sheet was opened, or recorded at the same moment
    (partyorg.locking.Stale, keyed by member id).
    """
    today = timezone.localdate()
    if month_start(year, month) > today:
        raise ValidationError(_("Dues cannot be entered for a month that has not begun."))
    rule = rule_for_month(year, month)
    problems = []
    for row in rows:
        if row.basis in {DuesBasis.SALARY, DuesBasis.PENSION} and not row.income:
            problems.append(
                _("%(name)s: enter the salary or pension the dues are counted on.")
                % {"name": row.member}
            )
        if row.paid_on and row.paid_on > today:
            problems.append(
                _("%(name)s: the payment date is in the future.") % {"name": row.member}
            )
        if row.paid_on and row.excused:
            problems.append(
                _("%(name)s: a member who paid needs no reason for not paying.")
                % {"name": row.member}
            )
        row.amount_due = amount_due(rule, row.basis, row.income)
    if problems:
        raise ValidationError(problems)

    def write() -> int:
        members = [row.member for row in rows]
        locked = locked_versions(Dues.objects.filter(year=year, month=month, member__in=members))
        new, changed, stale = split_sheet(
            rows,
            {record.member_id: record for record in locked},
            key=lambda row: row.member.pk,
            changes=lambda record, row: any(
                getattr(record, name) != getattr(row, name) for name in SHEET_FIELDS
            ),
        )
        if stale:
            raise stale_rows(Dues, stale, describe)
        for record, row in changed:
            for name in SHEET_FIELDS:
                setattr(record, name, getattr(row, name))
            record.regulation = rule.regulation.number
            record.recorded_by = by
        created = [
            Dues(
                member=row.member,
                branch=branch,
                year=year,
                month=month,
                regulation=rule.regulation.number,
                recorded_by=by,
                **{name: getattr(row, name) for name in SHEET_FIELDS},
            )
            for row in new
        ]
        if created:
            bulk_create_with_history(created, Dues, default_user=by)
        records = [record for record, _row in changed]
        update_objects(records, Dues, [*SHEET_FIELDS, "regulation", "recorded_by"], by=by)
        return len(created) + len(records)

    return first_save_wins(write)


def describe(dues: Dues) -> str:
    """What a month's Dues row holds, in a few words."""
    parts = [dues.get_basis_display()]
    if dues.income:
        parts.append(_("income %(amount)s đ") % {"amount": _amount(dues.income)})
    if dues.extra:
        parts.append(_("extra %(amount)s đ") % {"amount": _amount(dues.extra)})
    if dues.paid_on:
        parts.append(_("paid on %(date)s") % {"date": f"{dues.paid_on:%d/%m/%Y}"})
    elif dues.excused:
        parts.append(_("not paid, with a good reason"))
    else:
        parts.append(_("not paid"))
    return ", ".join(parts)


def _amount(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def sheet_totals(rows: list[SheetRow]) -> dict[str, int]:
    paid = [r for r in rows if r.paid_on]
    return {
        "members": len(rows),
        "paid": len(paid),
        "collected": sum(r.amount_due + r.extra for r in paid),
        "expected": sum(r.amount_due for r in rows),
    }


def unpaid_months(members: QuerySet[Member], year: int) -> QuerySet:
    """Per member of `members`: months of `year` entered as unpaid without a good reason,
    and the total paid; one aggregate query (values of member_id)."""
    return (
        Dues.objects.filter(year=year, member__in=members)
        .values("member_id")
        .annotate(
            unpaid=Count("id", filter=UNPAID),
            paid_total=Sum("amount_due", filter=Q(paid_on__isnull=False)),
        )
    )


def members_with_unpaid_months(members: QuerySet[Member], year: int) -> dict[int, int]:
    """Member id → unpaid months, for members with as many in `year` as the removal rule
    allows."""
    rows = (
        # Grouped from the members, so that PostgreSQL joins the year's few unpaid rows to
        # their members rather than hash every member of the scope (a province: 16 ms
        # rather than 62).
        members.order_by()
        .filter(unpaid("dues__"), dues__year=year)
        .values_list("pk")
        # COUNT(*) rather than of the ids: the unpaid rows' index then answers without
        # reading the table (9 → 4 ms for a commune of 4,500 members).
        .annotate(unpaid=Count("*"))
        .filter(unpaid__gte=removal_rule(year).months)
    )
    return dict(rows)
