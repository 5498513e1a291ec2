"""A district office brings two years of history in through the import pages, one file
per kind of record (meetings both with their attendance lists and as the minutes book's
totals), and the annual report of each year prints the figures the files imply: counted
here from the rows themselves, not from the database."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from branches.enums import NodeKind, RoleKind
from office.imports.registry import resource_class
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from reports.definitions import figure
from reports.service import build_annual_report
from tests.factories import make_node, make_user
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db
D = datetime.date
YEARS = (2023, 2024)
VILLAGE_BRANCHES = ("X1-B1", "X1-B2", "T1-B1")
BRANCH_SIZES = {"X1-B1": 10, "X1-B2": 6, "T1-B1": 5, "S1": 4}


def headers(kind: str) -> list[str]:
    return [f.column_name for f in resource_class(kind)().get_export_fields()]


def rows_of(kind: str, values: list[list]) -> list[dict]:
    names = headers(kind)
    return [dict(zip(names, row, strict=True)) for row in values]


def imported(client, kind: str, values: list[list]):
    content = xlsx_bytes(rows_of(kind, values), headers(kind))
    client.post(
        reverse("imports:index"),
        {"kind": kind, "file": SimpleUploadedFile(f"{kind}.xlsx", content)},
    )
    batch = ImportBatch.objects.latest("pk")
    assert batch.kind == kind and batch.status == ImportStatus.CHECKED, batch.errors
    client.post(reverse("imports:apply", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED, batch.errors
    return batch


@dataclass
class Person:
    number: str
    branch: str
    woman: bool
    decided: D
    held: D
    official: D | None
    teacher: bool = False


def people() -> list[Person]:
    """Members of 2010 in every branch, two admitted in 2023 (official since 2024) and
    three in 2024 (still probationary); a veteran of 1990 in the first village."""
    found = []
    for branch, size in BRANCH_SIZES.items():
        for n in range(size):
            found.append(
                Person(
                    f"{branch}.{n}",
                    branch,
                    woman=n % 3 == 1,
                    decided=D(2010, 3, 1),
                    held=D(2010, 3, 15),
                    official=D(2011, 3, 15),
                    teacher=branch == "S1" and n > 0,
                )
            )
    found[0].decided, found[0].held, found[0].official = (
        D(1990, 1, 5),
        D(1990, 1, 20),
        D(1991, 1, 20),
    )
    admitted = {"X1-B2.4": 2023, "S1.3": 2023, "X1-B1.6": 2024, "X1-B1.7": 2024, "T1-B1.4": 2024}
    for person in found:
        year = admitted.get(person.number)
        if year:
            person.decided, person.held = D(year, 5, 10), D(year, 5, 20)
            person.official = D(year + 1, 5, 20) if year + 1 in YEARS else None
    return found


PEOPLE = people()
DECEASED = ("X1-B2.5", D(2024, 9, 12))
MOVED = ("X1-B1.5", "T1-B1", D(2024, 3, 10))
TARGETS = {2023: 2, 2024: 4}
# Secretaries are each branch's member 0; heads of villages and front committees below.
VILLAGE_HEADS = {"TH1": "X1-B1.0", "TH2": "X1-B2.1", "TDP1": "T1-B1.0"}
FRONT_HEADS = {"TH2": "X1-B2.0"}
AREAS = {"TH1": ("Thôn 1", "Thôn", "X1-B1"), "TH2": ("Thôn 2", "Thôn", "X1-B2")}
AREAS["TDP1"] = ("Tổ dân phố 1", "Tổ dân phố", "T1-B1")
HOUSEHOLDS = {2023: {"TH1": 210, "TH2": 180, "TDP1": 320}, 2024: {"TH1": 214, "TH2": 183}}
HOUSEHOLDS[2024]["TDP1"] = 331
# Excellent, good; everyone else rated in the year "completed" (new members of the year
# are not rated). One excellent needs five good in its branch (124-QĐ/TW's 20%).
GOOD_IN_X1_B1 = {2023: ("0", "2", "3", "4", "5"), 2024: ("0", "2", "3", "4", "8")}
LEVELS = {
    year: {"X1-B1.1": "E", "X1-B2.0": "G", "S1.1": "G"}
    | {f"X1-B1.{n}": "G" for n in GOOD_IN_X1_B1[year]}
    for year in YEARS
}
INSPECTIONS = {
    2023: [["X1-B1", "15/10/2023", "", "X1-B1.2", "Việc chấp hành nghị quyết", "", "03-TB/CB"]],
    2024: [
        ["H1", "15/10/2024", "X1", "", "Việc thực hiện Điều lệ Đảng", "Thực hiện tốt", "8-TB/HU"],
        ["X1", "20/11/2024", "X1-B1", "", "Công tác phát triển đảng viên", "", "12-TB/ĐU"],
    ],
}


def dmy(day: D | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


def node_rows() -> list[list]:
    rows = [
        ["X1", "Đảng bộ xã Hương Phú", "Đảng bộ cơ sở", "Xã", "H1"],
        ["X1-B1", "Chi bộ thôn 1", "Chi bộ", "", "X1"],
        ["X1-B2", "Chi bộ thôn 2", "Chi bộ", "", "X1"],
        ["T1", "Đảng bộ thị trấn Khe Tre", "Đảng bộ cơ sở", "Xã", "H1"],
        ["T1-B1", "Chi bộ tổ dân phố 1", "Chi bộ", "", "T1"],
        ["S1", "Chi bộ Trường THCS Hương Phú", "Chi bộ cơ sở", "Trường học", "H1"],
    ]
    return [[*row, "Nam Đông", "01/01/2005", "", ""] for row in rows]


def member_rows() -> list[list]:
    rows = []
    for p in PEOPLE:
        rows.append(
            [
                p.number,
                f"Đảng viên {p.number}",
                "Nữ" if p.woman else "Nam",
                "17/05/1965",
                "Kinh",
                "Không",
                "Hương Phú",
                "Thôn 1",
                "",
                "12/12",
                "Đại học",
                "Sơ cấp",
                "Giáo viên" if p.teacher else "Nông dân",
                "",
                dmy(p.decided),
                dmy(p.held),
                dmy(p.official),
                p.branch,
                "Chính thức" if p.official else "Dự bị",
                dmy(max(p.held, D(2005, 1, 1))),
            ]
        )
    return rows


def evaluation_rows(year: int) -> list[list]:
    words = {"E": "Hoàn thành xuất sắc nhiệm vụ", "G": "Hoàn thành tốt nhiệm vụ"}
    rows = []
    for p in rated(year):
        level = words.get(LEVELS[year].get(p.number, ""), "Hoàn thành nhiệm vụ")
        rows.append([year, p.number, "", branch_on(p, year), "", "", level, "", f"5-QĐ/{year}"])
    return rows


def branch_on(person: Person, year: int) -> str:
    number, to, day = MOVED
    return to if person.number == number and day.year <= year else person.branch


def in_party_on(person: Person, day: D) -> bool:
    gone = person.number == DECEASED[0] and DECEASED[1] <= day
    return person.held <= day and not gone


def rated(year: int) -> list[Person]:
    """Members at the end of the year, but those admitted in it and the one who died."""
    end = D(year, 12, 31)
    return [
        p for p in PEOPLE if in_party_on(p, end) and p.held.year < year and p.number != DECEASED[0]
    ]


def members_of(branch: str, day: D) -> list[Person]:
    """The branch's roll on `day`, as the files were written from."""
    number, to, moved_on = MOVED

    def branch_then(p: Person) -> str:
        return to if p.number == number and moved_on <= day else p.branch

    return [p for p in PEOPLE if in_party_on(p, day) and branch_then(p) == branch]


MEETING_DAYS = [D(year, month, 5) for year in YEARS for month in range(1, 13)]
# X1-B1 keeps its attendance list (one member away each month, with a reason); the others
# only the minutes book's header: one excused absence a month in X1-B2, one in January in
# T1-B1, and the school's branch always full.
PER_MEMBER_BRANCH = "X1-B1"
TOTALS_ABSENT = {"X1-B2": lambda day: 1, "T1-B1": lambda day: int(day.month == 1)}
TOTALS_ABSENT["S1"] = lambda day: 0


def attendance_rows() -> list[list]:
    rows = []
    for day in MEETING_DAYS:
        roll = members_of(PER_MEMBER_BRANCH, day)
        away = roll[day.month % len(roll)]
        for p in roll:
            status, why = ("Vắng có lý do", "Ốm") if p is away else ("Có mặt", "")
            rows.append([PER_MEMBER_BRANCH, dmy(day), "Thường kỳ", p.number, "", status, why])
    return rows


def totals_rows() -> list[list]:
    rows = []
    for branch, absent in TOTALS_ABSENT.items():
        for day in MEETING_DAYS:
            roll = members_of(branch, day)
            official = sum(1 for p in roll if p.official and p.official <= day)
            away = absent(day)
            header = [official, len(roll) - official, 0, len(roll) - away, away, 0]
            rows.append([branch, dmy(day), "Thường kỳ", *header])
    return rows


def attendance_implied(year: int, branches) -> tuple[int, int]:
    """(present, counted) over the year's meetings of `branches`, from the files."""
    present = counted = 0
    for day in (d for d in MEETING_DAYS if d.year == year):
        for branch in branches:
            roll = len(members_of(branch, day))
            away = 1 if branch == PER_MEMBER_BRANCH else TOTALS_ABSENT[branch](day)
            present, counted = present + roll - away, counted + roll
    return present, counted


# Organizations rated by the committee above them; T1 and its branch only "completed".
ORG_LEVELS = {"X1": "G", "T1": "C", "S1": "G", "X1-B1": "G", "X1-B2": "G", "T1-B1": "C"}


def org_evaluation_rows() -> list[list]:
    words = {"G": "Hoàn thành tốt nhiệm vụ", "C": "Hoàn thành nhiệm vụ"}
    return [
        [code, year, "", "", words[level], "", f"9-QĐ/{year}"]
        for year in YEARS
        for code, level in ORG_LEVELS.items()
    ]


@pytest.fixture
def district_office(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    province = make_node(name="Đảng bộ tỉnh", code="TU", established=D(2000, 1, 1))
    district = make_node(
        province,
        NodeKind.DISTRICT_COMMITTEE,
        "Đảng bộ huyện Nam Đông",
        code="H1",
        established=D(2000, 1, 1),
    )
    client.force_login(make_user(district, RoleKind.OFFICER, username="huyen"))
    imported(client, "nodes", node_rows())
    area_rows = [
        [
            code,
            name,
            kind,
            branch,
            "01/01/2020",
            year,
            HOUSEHOLDS[year][code],
            HOUSEHOLDS[year][code] * 4,
        ]
        for year in YEARS
        for code, (name, kind, branch) in AREAS.items()
    ]
    imported(client, "areas", area_rows)
    imported(client, "members", member_rows())
    posts = [[f"{b}.0", "", "Bí thư", b, "", "01/01/2020", "", "1-QĐ/ĐU"] for b in BRANCH_SIZES]
    posts += [
        [who, "", "Trưởng thôn, tổ trưởng tổ dân phố", "", area, "01/01/2020", "", ""]
        for area, who in VILLAGE_HEADS.items()
    ]
    posts += [
        [who, "", "Trưởng ban công tác Mặt trận", "", area, "01/01/2020", "", ""]
        for area, who in FRONT_HEADS.items()
    ]
    imported(client, "positions", posts)
    number, to, day = MOVED
    imported(
        client,
        "events",
        [
            [number, "", "Chuyển sinh hoạt", dmy(day), "15-GGT", to, "", ""],
            [DECEASED[0], "", "Từ trần", dmy(DECEASED[1]), "05-TB/CB", "", "", ""],
        ],
    )
    imported(client, "targets", [["H1", "", y, t] for y, t in TARGETS.items()])
    for year in YEARS:
        imported(client, "evaluations", evaluation_rows(year))
    imported(client, "inspections", INSPECTIONS[2023] + INSPECTIONS[2024])
    imported(client, "badges", [["X1-B1.0", "", "30", "03/02/2021", "125-QĐ/TU", ""]])
    imported(client, "attendance", attendance_rows())
    imported(client, "meeting_totals", totals_rows())
    imported(client, "org_evaluations", org_evaluation_rows())
    return district


def ratio(report, key):
    found = figure(report, key)
    return (found.part, found.whole)


def test_the_report_prints_what_the_files_imply(district_office):
    for year in YEARS:
        check_report(district_office, year)


def check_report(district, year):
    report = build_annual_report(district, year)
    end, start = D(year, 12, 31), D(year - 1, 12, 31)
    at_end = [p for p in PEOPLE if in_party_on(p, end)]
    admitted = [p for p in PEOPLE if p.decided.year == year]
    assert ratio(report, "members") == (len(at_end), None)
    assert ratio(report, "women") == (sum(p.woman for p in at_end), len(at_end))
    assert ratio(report, "admitted") == (len(admitted), None)
    assert ratio(report, "target") == (len(admitted), TARGETS[year])
    at_start = sum(in_party_on(p, start) for p in PEOPLE)
    assert ratio(report, "growth_rate") == (len(admitted), at_start)

    grades = [LEVELS[year].get(p.number, "C") for p in rated(year)]
    good = sum(g in "EG" for g in grades)
    assert ratio(report, "members_good") == (good, len(grades))
    assert ratio(report, "members_excellent") == (grades.count("E"), len(grades))

    assert ratio(report, "grassroots") == (3, None)
    assert ratio(report, "communes") == (1, None) and ratio(report, "towns") == (1, None)
    villages = sum(kind == "Thôn" for _, kind, _ in AREAS.values())
    assert ratio(report, "villages") == (villages, None)
    assert ratio(report, "residential_groups") == (len(AREAS) - villages, None)
    assert ratio(report, "households") == (sum(HOUSEHOLDS[year].values()), None)

    assert ratio(report, "inspections") == (len(INSPECTIONS[year]), None)
    assert ratio(report, "village_heads") == (len(VILLAGE_HEADS), len(AREAS))
    secretaries_heads = sum(who.endswith(".0") for who in VILLAGE_HEADS.values())
    assert ratio(report, "secretaries_village_heads") == (
        secretaries_heads,
        len(VILLAGE_BRANCHES),
    )
    assert ratio(report, "secretaries_front_heads") == (len(FRONT_HEADS), len(VILLAGE_BRANCHES))

    print(
        year,
        [
            (k, ratio(report, k))
            for k in (
                "meetings",
                "attendance",
                "village_attendance",
                "branches_100",
                "grassroots_good",
                "branches_good",
            )
        ],
    )
    due = 12 * len(BRANCH_SIZES)
    assert ratio(report, "meetings") == (due, due)
    assert ratio(report, "attendance") == attendance_implied(year, BRANCH_SIZES)
    assert ratio(report, "village_attendance") == attendance_implied(year, VILLAGE_BRANCHES)
    full = [
        b
        for b in BRANCH_SIZES
        if b != PER_MEMBER_BRANCH
        and not any(TOTALS_ABSENT[b](d) for d in MEETING_DAYS if d.year == year)
    ]
    assert ratio(report, "branches_100") == (len(full), len(BRANCH_SIZES))

    grassroots = ("X1", "T1", "S1")
    branches = [code for code in ORG_LEVELS if code not in ("X1", "T1")]  # S1 is both
    good = [code for code, level in ORG_LEVELS.items() if level == "G"]
    assert ratio(report, "grassroots_good") == (len(set(good) & set(grassroots)), 3)
    assert ratio(report, "branches_good") == (len(set(good) & set(branches)), len(branches))


def test_each_kind_exported_imports_back_unchanged(district_office, client):
    for kind in (
        "members",
        "positions",
        "events",
        "evaluations",
        "badges",
        "targets",
        "inspections",
    ):
        check_round_trip(client, kind)


def check_round_trip(client, kind):
    export = "imports:export_members" if kind == "members" else "imports:export"
    response = client.get(reverse(export, args=[] if kind == "members" else [kind]))
    assert response.status_code == 200
    client.post(
        reverse("imports:index"),
        {"kind": kind, "file": SimpleUploadedFile(f"{kind}.xlsx", response.content)},
    )
    batch = ImportBatch.objects.latest("pk")
    assert batch.status == ImportStatus.CHECKED, batch.errors
    assert (batch.rows_new, batch.rows_updated) == (0, 0)
