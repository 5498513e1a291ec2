"""Demo data of the member lifecycle, bulk-inserted after the members: exits, transfers
(some waiting in inboxes), badges already awarded (leaving some due), last year's
evaluations of members and organizations, this year's dues with some unpaid months,
and inspections. Dues and inspections cover the first district only, so the province
scale stays quick to seed."""

import datetime
import random

from branches.models import NodePlacement, OrganizationNode
from branchwork.badges import award_days
from branchwork.dues import amount_due, default_basis, rule_for_month
from branchwork.enums import BADGE_YEARS, DuesBasis, EvaluationLevel, NotClassifiedReason
from branchwork.evaluations import level_for_score
from branchwork.models import (
    BadgeAward,
    Dues,
    Evaluation,
    Inspection,
    OrganizationEvaluation,
)
from demo.members import HISTORY_START
from members.enums import EventKind, MembershipKind, MemberStatus, TransferKind, TransferState
from members.models import Member, Membership, StatusEvent, Transfer
from partyorg.bulk import insert, insert_rows
from partyorg.rules import NoRuleInForce, evaluation_rule
from partyorg.workdays import add_working_days

# Exits a year, as shares of the members.
EXITS = [
    (MemberStatus.DECEASED, EventKind.DECEASED, 0.008),
    (MemberStatus.TRANSFERRED_OUT, EventKind.TRANSFERRED_OUT, 0.004),
    (MemberStatus.REMOVED, EventKind.REMOVED, 0.0012),
    (MemberStatus.LEFT, EventKind.LEFT, 0.0005),
    (MemberStatus.EXPELLED, EventKind.EXPELLED, 0.0003),
]
# Members' scores: about 13% excellent (within the quota), 81% good, as the press reports.
SCORE_MEAN = 83
EXIT_NOTES = {
    EventKind.DECEASED: "Từ trần",
    EventKind.TRANSFERRED_OUT: "Chuyển công tác ngoài tỉnh",
}
FIRST_DISTRICT = "H01"
SUBJECTS = [
    "Việc chấp hành Điều lệ Đảng và nghị quyết của chi bộ",
    "Việc thu, nộp và quản lý đảng phí",
    "Việc thực hiện nhiệm vụ đảng viên được phân công",
    "Việc giữ gìn phẩm chất đạo đức, lối sống của đảng viên",
]


def _day(rng, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def build_lifecycle(rng: random.Random, members: list[Member], today: datetime.date) -> None:
    """Exits and transfers since 2021, badges, this year's dues and the inspections of
    the years: what does not depend on the tree of the day (built before the reform)."""
    in_party = [m for m in members if m.status in {MemberStatus.OFFICIAL, MemberStatus.EXEMPTED}]
    _exits(rng, in_party, today)
    active = [
        m
        for m in members
        if m.status in {MemberStatus.OFFICIAL, MemberStatus.PROBATIONARY, MemberStatus.EXEMPTED}
    ]
    _transfers(rng, active, today)
    _badges(rng, active, today)
    district = _district_path()
    first = [m for m in active if m.branch.path.startswith(district)]
    _dues(rng, first, today)
    _inspections(rng, first, today)


def build_evaluations(rng: random.Random, today: datetime.date) -> None:
    """The evaluations of every year since 2021 that has ended, each under the rule of its
    year, of the members and organizations as they stood at its end."""
    for year in range(HISTORY_START.year, today.year):
        _evaluations(rng, year)


def _district_path() -> str:
    return OrganizationNode.objects.get(code=FIRST_DISTRICT).path


def _exits(rng, members, today):
    events, changed = [], []
    closing: dict[int, datetime.date] = {}
    years = max(0, (today - HISTORY_START).days) / 365
    # A member leaves the branch they are in: after their present membership began.
    since = dict(
        Membership.objects.open()
        .filter(kind=MembershipKind.HOME)
        .values_list("member_id", "start_date")
    )
    for member in members:
        roll = rng.random()
        for status, kind, share in EXITS:
            if roll < share * years:
                on = _day(
                    rng,
                    max(since[member.pk] + datetime.timedelta(days=1), HISTORY_START),
                    today - datetime.timedelta(days=10),
                )
                member.status = status
                changed.append(member)
                closing[member.pk] = on
                events.append(
                    StatusEvent(
                        member=member,
                        kind=kind,
                        date=on,
                        document_number=f"{rng.randint(1, 300)}-QĐ/ĐU",
                        from_branch_id=member.branch_id,
                        note=EXIT_NOTES.get(kind, ""),
                    )
                )
                break
            roll -= share * years
    # Seeding an empty database (seed_demo refuses any other): no form can be open on
    # these records, so their version (partyorg.locking) stays as inserted.
    Member.objects.bulk_update(changed, ["status"], batch_size=2000)
    insert(StatusEvent, events)
    rows = list(Membership.objects.open().filter(member_id__in=closing))
    for row in rows:
        row.end_date = closing[row.member_id]
    Membership.objects.bulk_update(rows, ["end_date"], batch_size=2000)


def _transfers(rng, members, today):
    by_branch: dict[int, list[Member]] = {}
    for member in members:
        by_branch.setdefault(member.branch_id, []).append(member)
    branch_ids = sorted(by_branch)
    district = _district_path()
    local = [b for b in branch_ids if by_branch[b][0].branch.path.startswith(district)]
    transfers, memberships = [], []
    # Letters waiting in the inboxes of the first district's branches.
    for target in local[:8]:
        source = rng.choice([b for b in branch_ids if b != target])
        member = rng.choice(by_branch[source])
        letter = _day(rng, today - datetime.timedelta(days=50), today - datetime.timedelta(days=2))
        transfers.append(
            Transfer(
                member=member,
                kind=TransferKind.OFFICIAL if rng.random() < 0.7 else TransferKind.TEMPORARY,
                state=TransferState.PENDING,
                from_branch_id=source,
                to_branch_id=target,
                letter_number=f"{rng.randint(1, 200)}-GGT/ĐU",
                letter_date=letter,
                change_date=letter - datetime.timedelta(days=rng.randint(5, 60)),
                request_due=add_working_days(letter - datetime.timedelta(days=30), 60),
                present_by=add_working_days(letter, 30),
                reason="Chuyển nơi cư trú",
            )
        )
        last = transfers[-1]
        if last.kind == TransferKind.TEMPORARY:
            last.planned_until = letter + datetime.timedelta(days=200)
    # Members studying elsewhere on an accepted temporary transfer.
    for source in local[8:12]:
        member = rng.choice(by_branch[source])
        if any(t.member is member for t in transfers):
            continue
        host = rng.choice([b for b in local if b != source])
        letter = _day(
            rng, today - datetime.timedelta(days=150), today - datetime.timedelta(days=60)
        )
        accepted = letter + datetime.timedelta(days=rng.randint(3, 20))
        transfers.append(
            Transfer(
                member=member,
                kind=TransferKind.TEMPORARY,
                state=TransferState.ACCEPTED,
                from_branch_id=source,
                to_branch_id=host,
                letter_number=f"{rng.randint(1, 200)}-GGT/ĐU",
                letter_date=letter,
                present_by=add_working_days(letter, 30),
                planned_until=letter + datetime.timedelta(days=330),
                for_study=True,
                reason="Đi học tập trung",
                accepted_on=accepted,
            )
        )
        memberships.append(
            Membership(
                member=member, branch_id=host, kind=MembershipKind.TEMPORARY, start_date=accepted
            )
        )
    insert(Transfer, transfers)
    insert(Membership, memberships)


def _badges(rng, members, today):
    """Past awards: each member's highest milestone reached by an award day a year or more
    ago, for most of them, so that this year's days have members due."""
    cutoff = [d for d in award_days(today.year - 1) if d <= today.replace(year=today.year - 1)]
    last_round = cutoff[-1] if cutoff else datetime.date(today.year - 2, 11, 7)
    awards = []
    for member in members:
        years = (last_round - member.admission_decision_date).days // 365
        reached = [y for y in BADGE_YEARS if y <= years]
        if not reached or rng.random() < 0.1:
            continue
        milestone = reached[-1]
        day = (
            member.admission_decision_date.replace(
                year=member.admission_decision_date.year + milestone
            )
            if not (
                member.admission_decision_date.month == 2
                and member.admission_decision_date.day == 29
            )
            else member.admission_decision_date.replace(
                year=member.admission_decision_date.year + milestone, day=28
            )
        )
        award = next(d for y in (day.year, day.year + 1) for d in award_days(y) if d >= day)
        if award > today:
            continue
        awards.append(
            BadgeAward(
                member=member,
                years=milestone,
                award_date=award,
                decision_number=f"{rng.randint(1, 900)}-QĐ/TU",
            )
        )
    insert(BadgeAward, awards)


def _with_quota(rule, levels: list[str]) -> list[str]:
    allowed = rule.excellent_quota_percent * levels.count(EvaluationLevel.GOOD) // 100
    result, excellent = [], 0
    for level in levels:
        if level == EvaluationLevel.EXCELLENT:
            excellent += 1
            if excellent > allowed:
                level = EvaluationLevel.GOOD
        result.append(level)
    return result


def _evaluations(rng, year):
    try:
        rule = evaluation_rule(year)
    except NoRuleInForce:
        return
    year_end = datetime.date(year, 12, 31)
    new_since = year_end - datetime.timedelta(days=183)
    admitted = dict(Member.objects.values_list("pk", "admission_date"))
    by_branch: dict[int, list[tuple[int, datetime.date]]] = {}
    for member_id, branch_id in (
        Membership.objects.on(year_end)
        .filter(kind=MembershipKind.HOME)
        .order_by("member_id")
        .values_list("member_id", "branch_id")
    ):
        by_branch.setdefault(branch_id, []).append((member_id, admitted[member_id]))
    rows = []
    for branch_id, branch_members in sorted(by_branch.items()):
        drafts = []
        for member, admission_date in branch_members:
            # The demo's exemptions are dated this year, so in past years everyone took part.
            if admission_date > new_since:
                drafts.append((member, None, NotClassifiedReason.NEW_MEMBER))
            else:
                score = min(100, max(40, round(rng.gauss(SCORE_MEAN, 8))))
                drafts.append((member, score, ""))
        levels = _with_quota(
            rule,
            [
                level_for_score(rule, s, conditions_met=True) if s is not None else ""
                for _, s, _ in drafts
            ],
        )
        for (member, score, reason), level in zip(drafts, levels, strict=True):
            if (
                score is not None
                and level == EvaluationLevel.GOOD
                and score >= rule.excellent_min_score
            ):
                score = rule.excellent_min_score - 1
            rows.append(
                (
                    member,
                    branch_id,
                    year,
                    rule.regulation.number,
                    level if not reason else "",
                    level,
                    score if rule.scored else None,
                    level,
                    reason,
                    f"{rng.randint(1, 90)}-QĐ/ĐU",
                )
            )
    insert_rows(
        Evaluation,
        (
            "member_id",
            "branch_id",
            "year",
            "regulation",
            "self_assessment",
            "appraisal",
            "score",
            "level",
            "not_classified",
            "decision_number",
        ),
        rows,
        ids=False,
    )
    # Each organization among its siblings of the year's end, as the tree stood then.
    by_parent: dict[int, list[int]] = {}
    for node_id, parent_id in (
        NodePlacement.objects.on(year_end)
        .filter(parent__isnull=False)
        .order_by("path")
        .values_list("node_id", "parent_id")
    ):
        by_parent.setdefault(parent_id, []).append(node_id)
    org_rows = []
    for siblings in by_parent.values():
        levels = [
            rng.choices(
                [
                    EvaluationLevel.EXCELLENT,
                    EvaluationLevel.GOOD,
                    EvaluationLevel.COMPLETED,
                    EvaluationLevel.NOT_COMPLETED,
                ],
                weights=[18, 70, 10, 2],
            )[0]
            for _ in siblings
        ]
        for node, level in zip(siblings, _with_quota(rule, levels), strict=True):
            low = {
                EvaluationLevel.EXCELLENT: rule.excellent_min_score,
                EvaluationLevel.GOOD: rule.good_min_score,
                EvaluationLevel.COMPLETED: rule.completed_min_score,
            }.get(level, 30)
            high = {
                EvaluationLevel.EXCELLENT: 100,
                EvaluationLevel.GOOD: rule.excellent_min_score - 1,
                EvaluationLevel.COMPLETED: rule.good_min_score - 1,
            }.get(level, rule.completed_min_score - 1)
            org_rows.append(
                OrganizationEvaluation(
                    node_id=node,
                    year=year,
                    regulation=rule.regulation.number,
                    self_assessment=level,
                    appraisal=level,
                    score=rng.randint(int(low), int(high)) if rule.scored else None,
                    level=level,
                )
            )
    insert(OrganizationEvaluation, org_rows)


def _dues(rng, members, today):
    rows = []
    for member in members:
        basis = default_basis(member)
        income = None
        if basis == DuesBasis.SALARY:
            income = rng.randrange(4_500_000, 14_000_000, 50_000)
        elif basis == DuesBasis.PENSION:
            income = rng.randrange(3_500_000, 9_000_000, 50_000)
        late = rng.random() < 0.04
        skipped = (
            set(rng.sample(range(1, today.month + 1), k=min(today.month, rng.randint(3, 4))))
            if late
            else set()
        )
        for month in range(1, today.month + 1):
            first = datetime.date(today.year, month, 1)
            if first < member.admission_date:
                continue
            rule = rule_for_month(today.year, month)
            current = month == today.month and rng.random() < 0.4
            paid = (
                None
                if (month in skipped or current)
                else min(today, first + datetime.timedelta(days=rng.randint(2, 20)))
            )
            rows.append(
                (
                    member.pk,
                    member.branch_id,
                    today.year,
                    month,
                    rule.regulation.number,
                    basis,
                    income,
                    amount_due(rule, basis, income),
                    rng.choice([0, 0, 0, 0, 5_000, 10_000]),
                    paid,
                )
            )
    insert_rows(
        Dues,
        (
            "member_id",
            "branch_id",
            "year",
            "month",
            "regulation",
            "basis",
            "income",
            "amount_due",
            "extra",
            "paid_on",
        ),
        rows,
        ids=False,
    )


def _inspections(rng, members, today):
    branch_ids = sorted({m.branch_id for m in members})
    by_branch: dict[int, list[Member]] = {}
    for member in members:
        by_branch.setdefault(member.branch_id, []).append(member)
    rows = []
    for branch_id in branch_ids:
        for year in range(HISTORY_START.year, today.year + 1):
            end = today if year == today.year else datetime.date(year, 12, 31)
            for _ in range(rng.choice([0, 1, 1, 2, 2, 3])):
                rows.append(
                    Inspection(
                        date=_day(rng, datetime.date(year, 1, 10), end),
                        inspecting_node_id=branch_id,
                        inspected_member=rng.choice(by_branch[branch_id]),
                        subject=rng.choice(SUBJECTS),
                        conclusion="Đảng viên chấp hành tốt; cần phát huy."
                        if rng.random() < 0.8
                        else "Còn thiếu sót, đề nghị khắc phục.",
                        document_number=f"{rng.randint(1, 40)}-KL/CB",
                    )
                )
    insert(Inspection, rows)
