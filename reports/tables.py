"""The report's tables, defined once for the PDF and the Excel workbook.

Cells are ints (counts), Percent (a share), floats (one decimal), strings or None (no
figure). Labels are Vietnamese: the tables belong to the printed party document.
"""

from dataclasses import dataclass, field

from branches.enums import NodeKind, Sector
from members.enums import GeneralEducation, Occupation
from reports import narrative
from reports.numbers import number, percent, share
from reports.service import AnnualReport

# Short level names for the narrow column of the children's table.
SHORT_LEVELS = {
    "excellent": "Xuất sắc",
    "good": "Tốt",
    "completed": "Hoàn thành",
    "not_completed": "Không hoàn thành",
}


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
    if r["population"]:
        table.group("Dân cư các thôn, tổ dân phố")
        table.rows.append(["Nhân khẩu", r["population"], None])
        table.rows.append(["Đảng viên so với dân số", None, Percent(report.population_share)])
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
    table.rows.append(["Kết nạp đảng viên mới", t.admitted])
    table.rows.append(["Kế hoạch năm", t.target])
    table.rows.append(
        ["Đạt so với kế hoạch", Percent(t.target_percent) if t.target_percent else None]
    )
    table.rows.append(
        [
            "Tỷ lệ phát triển (so với đảng viên đầu năm)",
            None if report.growth_rate is None else Percent(report.growth_rate),
        ]
    )
    return table


def meetings(report: AnnualReport) -> Table:
    t, m = report.totals, report.meetings
    table = Table(
        "meetings", "Sinh hoạt chi bộ", ["Chỉ tiêu", "Thực hiện", "Phải thực hiện", "Tỷ lệ"]
    )
    table.rows.append(
        [
            "Sinh hoạt thường kỳ (lượt chi bộ × tháng)",
            t.regular_held,
            t.expected_regular,
            _pct(t.regular_held, t.expected_regular),
        ]
    )
    for row in m["thematic_by_quarter"]:
        table.rows.append(
            [
                f"Sinh hoạt chuyên đề quý {row['quarter']} (chi bộ)",
                row["held"],
                row["due"],
                _pct(row["held"], row["due"]),
            ]
        )
    table.rows.append(
        [
            "Tỷ lệ đảng viên dự sinh hoạt bình quân",
            None,
            None,
            None if t.attendance is None else Percent(t.attendance),
        ]
    )
    table.rows.append(
        [
            "Chi bộ có tỷ lệ dự sinh hoạt từ 90% trở lên",
            m["branches_90"],
            m["branches_rated"],
            _pct(m["branches_90"], m["branches_rated"]),
        ]
    )
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
    t, r = report.totals, report.residential
    table = Table(
        "other",
        "Kiểm tra, kiêm nhiệm, Huy hiệu Đảng",
        ["Chỉ tiêu", "Số lượng", "Trên tổng số", "Tỷ lệ"],
    )
    table.rows.append(["Cuộc kiểm tra đã tiến hành", t.inspections, None, None])
    table.rows.append(
        [
            "Chi bộ đạt chỉ tiêu kiểm tra",
            t.inspection_met,
            t.inspection_branches,
            _pct(t.inspection_met, t.inspection_branches),
        ]
    )
    table.rows.append(
        [
            "Trưởng thôn, tổ trưởng tổ dân phố là đảng viên",
            r["village_heads_members"],
            r["areas"],
            _pct(r["village_heads_members"], r["areas"]),
        ]
    )
    table.rows.append(
        [
            "Bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng",
            r["secretaries_village_heads"],
            r["secretaries"],
            _pct(r["secretaries_village_heads"], r["secretaries"]),
        ]
    )
    table.rows.append(["Huy hiệu Đảng đã trao", report.badges_total, None, None])
    for years, n in sorted(report.badges.items()):
        table.rows.append([f"– Huy hiệu {years} năm tuổi Đảng", n, None, None])
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
    child_table = children(report)
    if child_table:
        result.append(child_table)
    return result
