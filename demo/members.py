"""Demo members with realistic distributions, bulk-inserted."""

import datetime
import random

from faker import Faker

from branches.enums import Sector
from branches.models import OrganizationNode, ResidentialArea
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
    for branch in branches:
        sector = sector_of.get(branch.path[: 3 * OrganizationNode.steplen], Sector.OTHER)
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
            if rng.random() < 0.035 and age < 45:
                # About 3% of members were admitted in the last year or so.
                decided = today - datetime.timedelta(days=rng.randint(25, 420))
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
                national_id=f"0460{rng.randint(0, 99):02d}{number % 1_000_000:06d}",
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
    insert(Member, members)
    # Plain rows, no model instances: three of them per member at province scale.
    for member in members:
        memberships.append((member.pk, member.branch_id, member.admission_date))
        events.append(
            (
                member.pk,
                EventKind.ADMITTED,
                member.admission_decision_date,
                f"{rng.randint(1, 400)}-QĐ/HU",
                member.branch_id,
                "",
            )
        )
        if member.official_date:
            events.append(
                (
                    member.pk,
                    EventKind.CONVERTED,
                    member.official_date,
                    f"{rng.randint(1, 400)}-QĐ/HU",
                    None,
                    "",
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
                )
            )
    insert_rows(Membership, ("member_id", "branch_id", "start_date"), memberships, ids=False)
    insert_rows(
        StatusEvent,
        ("member_id", "kind", "date", "document_number", "to_branch_id", "note"),
        events,
        ids=False,
    )
    insert(Position, list(_positions(rng, members, areas, today)))
    return members


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
