"""Demo members with realistic distributions, bulk-inserted."""

import datetime
import random

from faker import Faker

from branches.enums import NodeKind, Sector
from branches.models import OrganizationNode, ResidentialArea
from demo.reform import REFORM_DAY
from demo.tree import province_of
from members.enums import (
    Ethnicity,
    EventKind,
    Gender,
    GeneralEducation,
    MemberStatus,
    Occupation,
    PoliticalTheory,
    PositionRole,
    Qualification,
    Religion,
)
from members.models import Member, Membership, Position, StatusEvent
from partyorg.bulk import insert, insert_rows

MALE_MIDDLE = ["Văn", "Hữu", "Đức", "Minh", "Quang", "Công", "Xuân", "Thanh", "Ngọc", "Đình"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Minh", "Hồng", "Mỹ"]
MINORITIES = [Ethnicity.CO_TU, Ethnicity.TA_OI, Ethnicity.BRU_VAN_KIEU, Ethnicity.MUONG]
# The first day of the demo's history: its reports start with 2021.
HISTORY_START = datetime.date(2021, 1, 1)
# Share of members under 45 admitted in a year (about 3% of all members: the press's
# "growth rate"), and of all members transferred in from outside, or between branches.
ADMITTED_A_YEAR = 0.06
TRANSFERRED_IN_A_YEAR = 0.006
MOVED_A_YEAR = 0.004


def decision_number(rng: random.Random, day: datetime.date) -> str:
    """An admission or conversion decision's number: the district committee's (HU) until
    the reform, the commune-level committee's (ĐU) since."""
    return f"{rng.randint(1, 400)}-QĐ/{'HU' if day < REFORM_DAY else 'ĐU'}"


def _weighted(rng: random.Random, table: dict):
    return rng.choices(list(table), weights=list(table.values()))[0]


def _occupation(rng, sector, age):
    if age >= 62:
        return Occupation.RETIRED
    if sector == Sector.SCHOOL:
        return _weighted(rng, {Occupation.TEACHER: 85, Occupation.CIVIL_SERVANT: 15})
    if sector == Sector.ARMED_FORCES:
        return Occupation.ARMED_FORCES
    if sector == Sector.ENTERPRISE:
        return _weighted(rng, {Occupation.WORKER: 70, Occupation.BUSINESS: 30})
    if sector == Sector.AGENCY:
        return _weighted(rng, {Occupation.CIVIL_SERVANT: 75, Occupation.HEALTH_WORKER: 25})
    return _weighted(
        rng,
        {
            Occupation.FARMER: 45,
            Occupation.BUSINESS: 12,
            Occupation.WORKER: 10,
            Occupation.CIVIL_SERVANT: 10,
            Occupation.TEACHER: 8,
            Occupation.HEALTH_WORKER: 3,
            Occupation.STUDENT: 2,
            Occupation.OTHER: 10,
        },
    )


def _days_after(rng, day: datetime.date, low: int, high: int) -> datetime.date:
    return day + datetime.timedelta(days=rng.randint(low, high))


def build_members(
    rng: random.Random,
    fake: Faker,
    branches: list[OrganizationNode],
    areas: list[ResidentialArea],
    today: datetime.date,
    members_per_branch: tuple[int, int],
) -> list[Member]:
    """Members for every branch, with memberships, admission and conversion events,
    secretaries, deputies and village heads."""
    sector_of = {n.path: n.sector for n in OrganizationNode.objects.filter(depth=3)}
    members, memberships, events = [], [], []
    number = 10_000_000
    span_years = max(0, (today - HISTORY_START).days) / 365
    for branch in branches:
        sector = sector_of.get(branch.path[: 3 * OrganizationNode.steplen], Sector.OTHER)
        # A province has fewer than a million members: its numbers' last six digits differ.
        id_code = province_of(branch.path).id_code
        village = sector == Sector.COMMUNE
        low, high = members_per_branch
        count = rng.randint(low, high) if village else rng.randint(max(5, low // 2), high // 2 + 5)
        if village and rng.random() < 0.02:
            count = rng.randint(40, 60)  # a large ward or village branch
        for _ in range(count):
            number += 1
            female = rng.random() < (0.45 if sector == Sector.SCHOOL else 0.33)
            age = int(rng.triangular(24, 88, 62)) if village else int(rng.triangular(23, 60, 38))
            born = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
            admitted_at = rng.randint(19, max(19, min(age - 1, 45)))
            decided = born + datetime.timedelta(days=admitted_at * 365 + rng.randint(0, 364))
            if age < 45 and rng.random() < ADMITTED_A_YEAR * span_years:
                # Admissions spread over the years the demo's history covers.
                adult = born + datetime.timedelta(days=18 * 366 + 30)
                first = max(HISTORY_START, adult)
                decided = _days_after(rng, first, 0, max(0, (today - first).days - 25))
            decided = min(decided, today - datetime.timedelta(days=20))
            ceremony = _days_after(rng, decided, 5, 19)
            official = _days_after(
                rng,
                ceremony.replace(year=ceremony.year + 1)
                if (ceremony.month, ceremony.day) != (2, 29)
                else ceremony.replace(year=ceremony.year + 1, day=28),
                0,
                20,
            )
            if official > today:
                official = None
            family = fake.last_name()
            given = fake.first_name_female() if female else fake.first_name_male()
            middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
            minority = rng.random() < 0.08
            status = MemberStatus.OFFICIAL if official else MemberStatus.PROBATIONARY
            if official and age >= 75 and rng.random() < 0.25:
                status = MemberStatus.EXEMPTED
            member = Member(
                member_number=str(number),
                full_name=f"{family} {middle} {given}",
                gender=Gender.FEMALE if female else Gender.MALE,
                date_of_birth=born,
                ethnicity=rng.choice(MINORITIES) if minority else Ethnicity.KINH,
                religion=_weighted(
                    rng, {Religion.NONE: 88, Religion.BUDDHISM: 9, Religion.CATHOLICISM: 3}
                ),
                hometown=f"{branch.place_name}",
                residence=f"{branch.place_name}",
                national_id=f"{id_code}0{rng.randint(0, 99):02d}{number % 1_000_000:06d}",
                general_education=_weighted(
                    rng,
                    {
                        GeneralEducation.UPPER_SECONDARY: 78,
                        GeneralEducation.LOWER_SECONDARY: 20,
                        GeneralEducation.PRIMARY: 2,
                    },
                ),
                qualification=_weighted(
                    rng,
                    {
                        Qualification.NONE: 30 if village else 3,
                        Qualification.VOCATIONAL: 15,
                        Qualification.COLLEGE: 15,
                        Qualification.BACHELOR: 35 if village else 65,
                        Qualification.MASTER: 3 if village else 15,
                    },
                ),
                political_theory=_weighted(
                    rng,
                    {
                        PoliticalTheory.NONE: 20,
                        PoliticalTheory.ELEMENTARY: 55,
                        PoliticalTheory.INTERMEDIATE: 20,
                        PoliticalTheory.ADVANCED: 4,
                        PoliticalTheory.BACHELOR: 1,
                    },
                ),
                occupation=_occupation(rng, sector, age),
                party_card_number=f"0{number % 10_000_000:07d}" if official else "",
                admission_decision_date=decided,
                admission_date=ceremony,
                official_date=official,
                status=status,
                branch=branch,
            )
            member.refresh_name_keys()
            members.append(member)
    moves = _moves(rng, members, branches, today, span_years)
    insert(Member, members)
    # Plain rows, no model instances: three of them per member at province scale.
    for member in members:
        arrived, moved = moves.get(id(member), (None, None))
        if moved:
            day, source = moved
            memberships.append((member.pk, source.pk, member.admission_date, day))
            memberships.append((member.pk, member.branch_id, day, None))
            events.append(
                (member.pk, EventKind.TRANSFERRED, day, "", member.branch_id, "", source.pk)
            )
        else:
            start = arrived or member.admission_date
            memberships.append((member.pk, member.branch_id, start, None))
        if arrived:
            events.append(
                (
                    member.pk,
                    EventKind.TRANSFERRED_IN,
                    arrived,
                    f"{rng.randint(1, 200)}-GGT/TU",
                    member.branch_id,
                    "",
                    None,
                )
            )
        events.append(
            (
                member.pk,
                EventKind.ADMITTED,
                member.admission_decision_date,
                decision_number(rng, member.admission_decision_date),
                member.branch_id,
                "",
                None,
            )
        )
        if member.official_date:
            events.append(
                (
                    member.pk,
                    EventKind.CONVERTED,
                    member.official_date,
                    decision_number(rng, member.official_date),
                    None,
                    "",
                    None,
                )
            )
        if member.status == MemberStatus.EXEMPTED:
            events.append(
                (
                    member.pk,
                    EventKind.EXEMPTED,
                    _days_after(rng, today.replace(month=1, day=1), 0, 200),
                    "",
                    None,
                    "Tuổi cao, sức yếu",
                    None,
                )
            )
    insert_rows(
        Membership, ("member_id", "branch_id", "start_date", "end_date"), memberships, ids=False
    )
    insert_rows(
        StatusEvent,
        ("member_id", "kind", "date", "document_number", "to_branch_id", "note", "from_branch_id"),
        events,
        ids=False,
    )
    insert(Position, list(_positions(rng, members, areas, today)))
    return members


def _moves(rng, members, branches, today, span_years):
    """Members who came from outside the province after their admission year (their
    membership starts on arrival), and members who moved to another branch of the
    province: by id(member), (arrival, (day, branch left))."""
    moves = {}
    for member in members:
        first = max(HISTORY_START, member.admission_date.replace(month=12, day=31))
        room = (today - first).days - 10
        if room <= 0:
            continue
        draw = rng.random()
        if draw < TRANSFERRED_IN_A_YEAR * span_years:
            moves[id(member)] = (_days_after(rng, first, 1, room), None)
        elif draw < (TRANSFERRED_IN_A_YEAR + MOVED_A_YEAR) * span_years:
            source = member.branch
            member.branch = rng.choice(branches)
            if member.branch is not source:
                moves[id(member)] = (None, (_days_after(rng, first, 1, room), source))
    return moves


def _positions(rng, members, areas, today):
    by_branch: dict[int, list[Member]] = {}
    for member in members:
        if member.status == MemberStatus.OFFICIAL:
            by_branch.setdefault(member.branch_id, []).append(member)
    term_start = datetime.date(2025, 7, 1) if today >= datetime.date(2025, 7, 1) else today
    secretaries = {}
    for branch_id, official in by_branch.items():
        chosen = sorted(official, key=lambda m: m.admission_decision_date)
        secretary = chosen[0]
        secretaries[branch_id] = secretary
        yield Position(
            member=secretary, role=PositionRole.SECRETARY, node_id=branch_id, start_date=term_start
        )
        if len(chosen) > 1:
            yield Position(
                member=chosen[1],
                role=PositionRole.DEPUTY_SECRETARY,
                node_id=branch_id,
                start_date=term_start,
            )
        if len(chosen) >= 9:
            for extra in chosen[2:5]:
                yield Position(
                    member=extra,
                    role=PositionRole.COMMITTEE_MEMBER,
                    node_id=branch_id,
                    start_date=term_start,
                )
    for area in areas:
        official = by_branch.get(area.branch_id, [])
        if not official or rng.random() > 0.73:
            continue
        secretary = secretaries[area.branch_id]
        head = secretary if rng.random() < 0.45 else rng.choice(official)
        yield Position(
            member=head,
            role=PositionRole.VILLAGE_HEAD,
            residential_area=area,
            start_date=term_start,
        )


# The province's congress of the 2020–2025 term.
PROVINCE_TERM_START = datetime.date(2020, 10, 15)


def build_committee_posts(today: datetime.date, kinds: list[str]) -> None:
    """A secretary for the committees of `kinds` in the tree as it stands: the province
    committee's since its congress, a district committee's until the reform, a
    commune-level committee's since it stood; the signer of their documents. Each is an
    official member of the committee's subtree, the longest in the party, holding no
    other committee's post."""
    committees = OrganizationNode.objects.open().filter(kind__in=kinds).order_by("path")
    reformed = today >= REFORM_DAY
    taken: set[int] = set()
    posts = []
    for node in committees:
        start = max(PROVINCE_TERM_START, node.established_on)
        if node.kind == NodeKind.COMMUNE_COMMITTEE:
            start = max(start, REFORM_DAY)
        if start > today:
            continue
        member = (
            Member.objects.filter(status=MemberStatus.OFFICIAL, branch__path__startswith=node.path)
            .exclude(pk__in=taken)
            .order_by("admission_decision_date", "member_number")
            .first()
        )
        if member is None:
            continue
        taken.add(member.pk)
        posts.append(
            Position(
                member=member,
                role=PositionRole.SECRETARY,
                node=node,
                start_date=start,
                end_date=REFORM_DAY
                if reformed and node.kind == NodeKind.DISTRICT_COMMITTEE
                else None,
            )
        )
    insert(Position, posts)
