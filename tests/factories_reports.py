"""A small district for the annual report of 2025, every figure countable by hand.

H1 district
├── X1 grassroots committee (commune sector)
│   ├── branch_a: a1 (woman, born 31/12/1995), a2, a3 (secretary, village head of area 1),
│   │            a4 (transferred to H2 on 01/05), a5 (removed 01/07), a6 (exempted 01/03)
│   ├── branch_b: b1 (died 01/06), b2 (admitted 01/04, probationary), b3 (village head
│   │            of area 2; temporarily active in H2 from 01/02, still counted here);
│   │            an H2 member temporarily active here (not counted)
│   └── branch_c: c1; dissolved 30/06 by merging into branch_a
└── school (grassroots branch, school sector): s1, s2 (woman), both teachers
"""

import datetime

from admission.models import AdmissionTarget
from branches.enums import NodeKind, Sector
from branches.models import ResidentialAreaYear
from branchwork.enums import EvaluationLevel, MeetingKind
from branchwork.evaluations import rule_for_year
from branchwork.models import (
    BadgeAward,
    Evaluation,
    Inspection,
    MeetingGuest,
    OrganizationEvaluation,
)
from members import lifecycle, restructuring
from members.enums import ExitKind, Gender, MembershipKind, Occupation, PositionRole
from members.models import Membership, Position
from tests.factories import make_area, make_member, make_node, transfer
from tests.factories_meetings import record

D = datetime.date
YEAR = 2025


class District:
    pass


def build_district(world) -> District:
    d = District()
    d.world = world
    d.district, d.commune = world.district, world.commune
    d.branch_a, d.branch_b = world.branch_a, world.branch_b
    d.branch_c = make_node(d.commune, NodeKind.BRANCH, "Chi bộ thôn 3", code="X1-B3")
    d.school = make_node(
        d.district, NodeKind.GRASSROOTS_BRANCH, "Chi bộ Trường THCS", Sector.SCHOOL, code="H1-TH"
    )
    a = d.branch_a
    d.a1 = make_member(
        a, full_name="Lê Thị Hoa", gender=Gender.FEMALE, date_of_birth=D(1995, 12, 31)
    )
    d.a2, d.a3, d.a4, d.a5, d.a6 = (make_member(a) for _ in range(5))
    d.b1, d.b3 = make_member(d.branch_b), make_member(d.branch_b)
    d.c1 = make_member(d.branch_c)
    d.s1 = make_member(d.school, occupation=Occupation.TEACHER)
    d.s2 = make_member(d.school, occupation=Occupation.TEACHER, gender=Gender.FEMALE)
    d.guest_member = make_member(world.other_branch)

    # Meetings before anyone moves: branch_a in January (all 6 present) and February
    # (a2 absent without reason), a thematic meeting in March; branch_b in January.
    january = record(a, D(YEAR, 1, 15))
    MeetingGuest.objects.create(meeting=january, name="Trần Văn Bình", title="Huyện ủy viên")
    record(a, D(YEAR, 2, 15), absences={d.a2: ("unexcused", "")})
    record(a, D(YEAR, 3, 20), kind=MeetingKind.THEMATIC)
    record(d.branch_b, D(YEAR, 1, 20))

    # The year's events, through the domain functions.
    lifecycle.exempt(d.a6, on=D(YEAR, 3, 1), document_number="MS-1")
    transfer(d.a4, world.other_branch, D(YEAR, 5, 1), letter="T1")
    lifecycle.record_exit(d.a5, kind=ExitKind.REMOVED, on=D(YEAR, 7, 1), document_number="XT-1")
    lifecycle.record_exit(d.b1, kind=ExitKind.DECEASED, on=D(YEAR, 6, 1), document_number="TT-1")
    d.b2 = make_member(
        d.branch_b,
        admission_decision_date=D(YEAR, 4, 1),
        admission_date=D(YEAR, 4, 20),
        official_date=None,
    )
    Membership.objects.create(
        member=d.b3,
        branch=world.other_branch,
        kind=MembershipKind.TEMPORARY,
        start_date=D(YEAR, 2, 1),
    )
    Membership.objects.create(
        member=d.guest_member,
        branch=d.branch_b,
        kind=MembershipKind.TEMPORARY,
        start_date=D(YEAR, 3, 1),
    )
    restructuring.merge_nodes([d.branch_c], into=a, on=D(YEAR, 6, 30), document_number="QĐ-9")

    AdmissionTarget.objects.create(node=d.district, year=YEAR, target=2)
    AdmissionTarget.objects.create(node=d.commune, year=YEAR, target=1)

    rule = rule_for_year(YEAR).regulation.number
    for member, level in (
        (d.a1, EvaluationLevel.EXCELLENT),
        (d.a2, EvaluationLevel.GOOD),
        (d.a3, EvaluationLevel.GOOD),
        (d.s1, EvaluationLevel.GOOD),
    ):
        Evaluation.objects.create(
            member=member, branch=member.branch, year=YEAR, regulation=rule, level=level
        )
    Evaluation.objects.create(
        member=d.b2, branch=d.branch_b, year=YEAR, regulation=rule, not_classified="new_member"
    )
    for node, level in (
        (d.commune, EvaluationLevel.GOOD),
        (d.school, EvaluationLevel.EXCELLENT),
        (d.branch_a, EvaluationLevel.GOOD),
        (d.branch_b, EvaluationLevel.COMPLETED),
    ):
        OrganizationEvaluation.objects.create(node=node, year=YEAR, regulation=rule, level=level)

    Inspection.objects.create(
        inspecting_node=a, inspected_member=d.a1, date=D(YEAR, 5, 5), subject="Đảng phí"
    )
    Inspection.objects.create(
        inspecting_node=d.commune,
        inspected_node=d.branch_b,
        date=D(YEAR, 8, 1),
        subject="Sinh hoạt",
    )

    d.area1, d.area2 = make_area(a, "Thôn 1"), make_area(d.branch_b, "Thôn 2")
    ResidentialAreaYear.objects.create(area=d.area1, year=YEAR, households=100, population=400)
    ResidentialAreaYear.objects.create(area=d.area2, year=YEAR, households=120, population=500)
    since = D(2020, 1, 1)
    Position.objects.create(member=d.a3, role=PositionRole.SECRETARY, node=a, start_date=since)
    Position.objects.create(
        member=d.a3, role=PositionRole.VILLAGE_HEAD, residential_area=d.area1, start_date=since
    )
    Position.objects.create(
        member=d.b3, role=PositionRole.VILLAGE_HEAD, residential_area=d.area2, start_date=since
    )
    BadgeAward.objects.create(member=d.a2, years=30, award_date=D(YEAR, 9, 2))
    return d
