"""The report's tables, defined once for the PDF and the Excel workbook.

Cells are ints (counts), Percent (a share), floats (one decimal), strings or None (no
figure). Labels are Vietnamese: the tables belong to the printed party document.
"""

from dataclasses import dataclass, field

from branches.enums import NodeKind, Sector
from members.enums import GeneralEducation, Occupation
from reports import narrative
from reports.definitions import BY_KEY, NO_DATA, figure, figures, leading_occupation
from reports.numbers import number, percent, share
from reports.sections import LOCALITY_WORDS
from reports.service import AnnualReport

# Short level names for the narrow column of the children's table.
SHORT_LEVELS = {
    "excellent": "Xuất sắc",
    "good": "Tốt",
    "completed": "Hoàn thành",
    "not_completed": "Không hoàn thành",
}


# Beyond this many children the admissions chart's names no longer fit beside its bars:
# the report prints them as a table sorted by the share of the target instead.
MAX_BARS = 15


class Percent(float):
    """A share in percent (81.25 → 81,3%)."""


@dataclass
class Table:
    key: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    # Rows (by index) printed as group headings.
    groups: set[int] = field(default_factory=set)

    def group(self, label: str) -> None:
        self.groups.add(len(self.rows))
        self.rows.append([label] + [""] * (len(self.columns) - 1))


def cell_text(value) -> str:
    """A cell as printed in the PDF, in Vietnamese number format."""
    if value is None:
        return "–"
    if isinstance(value, Percent):
        return percent(value)
    if isinstance(value, float):
        return number(value, 1)
    if isinstance(value, int):
        return number(value)
    return str(value)


def _pct(part, whole) -> Percent | None:
    value = share(part, whole)
    return None if value is None else Percent(value)


def _ratio_cells(report: AnnualReport, key: str) -> list:
    """A defined figure as [part, whole, share], or NO_DATA in each when never entered."""
    ratio = figure(report, key)
    if not ratio.recorded:
        return [NO_DATA, None, None]
    return [ratio.part, ratio.whole, _pct(ratio.part, ratio.whole)]


EDUCATION = {
    GeneralEducation.UPPER_SECONDARY: "Trung học phổ thông",
    GeneralEducation.LOWER_SECONDARY: "Trung học cơ sở",
    GeneralEducation.PRIMARY: "Tiểu học",
}


def organizations(report: AnnualReport) -> Table:
    o = report.organizations
    table = Table("organizations", "Tổ chức đảng", ["Loại tổ chức", "Số lượng"])
    if o["district_committees"]:
        table.rows.append(["Đảng bộ huyện, quận, thị xã", o["district_committees"]])
    if o["commune_committees"]:
        table.rows.append(["Đảng bộ xã, phường, đặc khu", o["commune_committees"]])
        if o["special_zones"]:
            table.rows.append(["– trong đó đặc khu", o["special_zones"]])
    table.rows.append(["Tổ chức cơ sở đảng", o["grassroots"]])
    for sector in Sector.values:
        n = o["by_sector"].get(sector, {}).get(NodeKind.GRASSROOTS_COMMITTEE)
        if n:
            table.rows.append([f"– {narrative.COMMITTEES_BY_SECTOR[Sector(sector)]}", n])
    table.rows.append(["– chi bộ cơ sở", o["grassroots_branches"]])
    for key, word in LOCALITY_WORDS.items():
        if report.localities[key]:
            table.rows.append([f"Trong đó đảng bộ {word}", report.localities[key]])
    table.rows.append(["Đảng bộ bộ phận", o["partial_committees"]])
    table.rows.append(["Chi bộ trực thuộc đảng ủy cơ sở", o["branches_under_committees"]])
    return table


def members(report: AnnualReport) -> Table:
    c, total = report.composition, report.composition["total"]
    table = Table(
        "members",
        f"Đảng viên đến ngày {report.end:%d/%m/%Y}",
        ["Chỉ tiêu", "Số lượng", "Tỷ lệ"],
    )

    def row(label, n):
        table.rows.append([label, n, _pct(n, total)])

    row("Tổng số đảng viên", total)
    row("Đảng viên chính thức", c["official"])
    row("Đảng viên dự bị", c["probationary"])
    row("Đảng viên nữ", c["women"])
    row("Đảng viên người dân tộc thiểu số", c["minorities"])
    row("Đảng viên có đạo", c["religious"])
    row("Được miễn công tác và sinh hoạt đảng", report.totals.exempted)
    table.group("Độ tuổi")
    for band, label in narrative.AGE_BANDS.items():
        row(label[0].upper() + label[1:], c[f"age_{band.value}"])
    table.rows.append(["Tuổi bình quân", c["average_age"], None])
    table.group("Trình độ giáo dục phổ thông")
    for value, label in EDUCATION.items():
        row(label, c["general_education"].get(value, 0))
    table.group("Lý luận chính trị (cao nhất)")
    for value, label in narrative.THEORY.items():
        row(label[0].upper() + label[1:], c["political_theory"].get(value, 0))
    table.group("Nghề nghiệp")
    for value in Occupation.values:
        n = c["occupation"].get(value, 0)
        if n:
            label = narrative.OCCUPATIONS[Occupation(value)]
            row(label[0].upper() + label[1:], n)
    r = report.residential
    if r["areas"]:
        table.group("Dân cư các thôn, tổ dân phố")
        table.rows.append(["Thôn (ấp, bản)", r["villages"], None])
        table.rows.append(["Tổ dân phố (khu phố)", r["residential_groups"], None])
        for key, label in (("households", "Số hộ"), ("population", "Nhân khẩu")):
            table.rows.append([label, NO_DATA if r[key] is None else r[key], None])
        population = figure(report, "population_share")
        table.rows.append(
            [
                "Đảng viên so với dân số",
                None,
                Percent(population.percent) if population.recorded else NO_DATA,
            ]
        )
    return table


def movement(report: AnnualReport) -> Table:
    m = report.movement
    table = Table("movement", "Biến động đảng viên", ["Chỉ tiêu", "Số lượng"])
    table.rows.append([f"Đầu kỳ (ngày {report.start:%d/%m/%Y})", m.start])
    for key, label in narrative.INS.items():
        table.rows.append([f"+ {label[0].upper() + label[1:]}", m.ins[key]])
    for key, label in narrative.OUTS.items():
        table.rows.append([f"− {label[0].upper() + label[1:]}", m.outs[key]])
    if report.ended_on:
        table.rows.append([f"Khi kết thúc hoạt động (ngày {report.ended_on:%d/%m/%Y})", m.end])
    else:
        table.rows.append([f"Cuối kỳ (ngày {report.end:%d/%m/%Y})", m.end])
    return table


def admissions(report: AnnualReport) -> Table:
    t = report.totals
    table = Table("admissions", "Phát triển đảng viên", ["Chỉ tiêu", "Số lượng"])
    target, growth = figure(report, "target"), figure(report, "growth_rate")
    table.rows.append(["Kết nạp đảng viên mới (theo ngày quyết định kết nạp)", t.admitted])
    table.rows.append(["Kế hoạch năm", t.target if target.recorded else NO_DATA])
    table.rows.append(
        ["Đạt so với kế hoạch", Percent(target.percent) if target.recorded else NO_DATA]
    )
    table.rows.append([f"Đảng viên đầu kỳ (ngày {report.start:%d/%m/%Y})", report.movement.start])
    table.rows.append(
        [
            "Tỷ lệ phát triển (kết nạp / đảng viên đầu kỳ)",
            Percent(growth.percent) if growth.recorded else NO_DATA,
        ]
    )
    return table


def meetings(report: AnnualReport) -> Table:
    m = report.meetings
    table = Table(
        "meetings", "Sinh hoạt chi bộ", ["Chỉ tiêu", "Thực hiện", "Phải thực hiện", "Tỷ lệ"]
    )
    table.rows.append(
        ["Sinh hoạt thường kỳ (lượt chi bộ × tháng)", *_ratio_cells(report, "meetings")]
    )
    for row in m["thematic_by_quarter"]:
        cells = [row["held"], row["due"], _pct(row["held"], row["due"])]
        table.rows.append(
            [
                f"Sinh hoạt chuyên đề quý {row['quarter']} (chi bộ)",
                *(cells if m["recorded"] else [NO_DATA, row["due"], None]),
            ]
        )
    for key in ("attendance", "village_attendance", "branches_90", "branches_100"):
        table.rows.append([BY_KEY[key].label, *_ratio_cells(report, key)])
    table.rows.append(["Lượt cấp ủy cấp trên dự sinh hoạt chi bộ", m["visits"], None, None])
    return table


def evaluations(report: AnnualReport) -> Table:
    e = report.member_evaluations
    org = report.organization_evaluations
    table = Table(
        "evaluations",
        f"Đánh giá, xếp loại chất lượng năm {report.year}",
        ["Mức xếp loại", "Đảng viên", "Tỷ lệ", "Tổ chức cơ sở đảng", "Chi bộ"],
    )
    classified = sum(e[level] for level in narrative.LEVELS)
    for level, label in narrative.LEVELS.items():
        table.rows.append(
            [
                label[0].upper() + label[1:],
                e[level],
                _pct(e[level], classified),
                org["grassroots"].get(level, 0),
                org["branches"].get(level, 0),
            ]
        )
    table.rows.append(
        [
            "Không xếp loại",
            e["not_classified"],
            None,
            org["grassroots"].get("not_classified", 0),
            org["branches"].get("not_classified", 0),
        ]
    )
    return table


def other(report: AnnualReport) -> Table:
    table = Table(
        "other",
        "Kiểm tra, kiêm nhiệm, Huy hiệu Đảng",
        ["Chỉ tiêu", "Số lượng", "Trên tổng số", "Tỷ lệ"],
    )
    for key in (
        "inspections",
        "inspection_target",
        "village_heads",
        "secretaries_village_heads",
        "secretaries_front_heads",
        "grassroots_good",
        "branches_good",
        "village_branches_excellent",
    ):
        table.rows.append([BY_KEY[key].label, *_ratio_cells(report, key)])
    table.rows.append(["Huy hiệu Đảng đã trao", report.badges_total, None, None])
    for years, n in sorted(report.badges.items()):
        table.rows.append([f"– Huy hiệu {years} năm tuổi Đảng", n, None, None])
    return table


def branch_kinds(report: AnnualReport) -> Table | None:
    """The branches by kind: village and residential branches apart from the others."""
    if not report.branch_groups:
        return None
    table = Table(
        "branch_kinds",
        "Chi bộ theo loại hình",
        [
            "Loại hình",
            "Chi bộ",
            "Đảng viên",
            "Nghề nghiệp đông nhất",
            "Tỷ lệ",
            "Dự sinh hoạt",
            "Chi bộ dự sinh hoạt 100%",
            "Chi bộ xuất sắc",
        ],
    )
    for row in report.branch_groups:
        f = row.figures
        leading = leading_occupation(row)
        table.rows.append(
            [
                narrative.BRANCH_GROUPS[row.key][0].upper() + narrative.BRANCH_GROUPS[row.key][1:],
                row.branches,
                f.members,
                narrative.OCCUPATIONS[leading[0]] if leading else None,
                Percent(leading[1].percent) if leading else None,
                Percent(f.attendance) if f.counted else NO_DATA,
                f"{number(row.full_attendance)}/{number(row.attendance_recorded)}"
                if row.attendance_recorded
                else NO_DATA,
                f"{number(row.levels['excellent'])}/{number(row.rated)}" if row.rated else NO_DATA,
            ]
        )
    return table


def admissions_by_child(report: AnnualReport) -> Table | None:
    """Admissions against the target of each child, the best first: the admissions chart of
    many children (MAX_BARS) as a table, readable at any number."""
    if len(report.children) <= MAX_BARS:
        return None
    table = Table(
        "admissions_by_child",
        "Kết nạp đảng viên so với kế hoạch",
        ["Tổ chức", "Kết nạp", "Kế hoạch", "Đạt so với kế hoạch"],
    )
    rows = sorted(
        report.children,
        key=lambda row: (
            row.figures.target_percent is None,
            -(row.figures.target_percent or 0),
            -row.figures.admitted,
            row.node.path,
        ),
    )
    for row in rows:
        f = row.figures
        table.rows.append(
            [
                row.node.name,
                f.admitted,
                f.target if f.target else NO_DATA,
                None if f.target_percent is None else Percent(f.target_percent),
            ]
        )
    return table


def definitions(report: AnnualReport) -> Table:
    """Every defined figure: what it counts, what it is divided by, its value."""
    table = Table(
        "definitions", "Định nghĩa các chỉ tiêu", ["Chỉ tiêu", "Tử số", "Mẫu số", "Giá trị"]
    )
    for definition, ratio in figures(report):
        value = ratio.text() if ratio else "xem biểu Chi bộ theo loại hình"
        table.rows.append(
            [definition.label, definition.numerator, definition.denominator or "(số đếm)", value]
        )
    return table


def children(report: AnnualReport) -> Table | None:
    if not report.children:
        return None
    table = Table(
        "children",
        "Các tổ chức đảng trực thuộc",
        [
            "Tổ chức",
            "Đảng viên",
            "Nữ",
            "Kết nạp",
            "Kế hoạch",
            "Sinh hoạt thường kỳ",
            "Dự sinh hoạt",
            "Đảng viên xuất sắc, tốt",
            "Xếp loại tổ chức",
            "Kiểm tra",
        ],
    )
    for row in report.children:
        f = row.figures
        name = row.node.name
        if not row.node.at_end:
            name += f" (giải thể {row.node.dissolved_on:%d/%m/%Y})" if row.node.dissolved_on else ""
        table.rows.append(
            [
                name,
                f.members,
                f.women,
                f.admitted,
                f.target,
                f"{number(f.regular_held)}/{number(f.expected_regular)}",
                None if f.attendance is None else Percent(f.attendance),
                None if f.good_or_better_percent is None else Percent(f.good_or_better_percent),
                SHORT_LEVELS.get(row.evaluation, ""),
                f.inspections,
            ]
        )
    t = report.totals
    table.rows.append(
        [
            "Cộng",
            t.members,
            t.women,
            t.admitted,
            t.target,
            f"{number(t.regular_held)}/{number(t.expected_regular)}",
            None if t.attendance is None else Percent(t.attendance),
            None if t.good_or_better_percent is None else Percent(t.good_or_better_percent),
            "",
            t.inspections,
        ]
    )
    return table


def tables(report: AnnualReport) -> list[Table]:
    result = [
        organizations(report),
        members(report),
        movement(report),
        admissions(report),
        meetings(report),
        evaluations(report),
        other(report),
    ]
    for table in (branch_kinds(report), admissions_by_child(report), children(report)):
        if table:
            result.append(table)
    return result
