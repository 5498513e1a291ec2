"""The report's paragraphs, written from the figures the way the press reports them
("Đảng bộ huyện hiện có 53 tổ chức cơ sở đảng … với 5.921 đảng viên. Năm 2022, toàn Đảng bộ
kết nạp 121 đảng viên mới, đạt 101% kế hoạch …").

The report is a Vietnamese party document, so the text is Vietnamese whatever the
interface language; numbers use reports.numbers (5.921; 81,3%).
"""

from dataclasses import dataclass, field

from branches.enums import BRANCH_KINDS, NodeKind, Sector
from branchwork.enums import EvaluationLevel
from members.enums import AgeBand, Occupation, PoliticalTheory
from reports.definitions import NO_DATA, figure, leading_occupation
from reports.numbers import count, number, percent, share
from reports.sections import LOCALITY_WORDS, VILLAGE_GROUPS
from reports.service import AnnualReport

COMMITTEES_BY_SECTOR = {
    Sector.COMMUNE: "đảng bộ xã, thị trấn",
    Sector.SPECIAL_ZONE: "đảng bộ đặc khu",
    Sector.AGENCY: "đảng bộ cơ quan",
    Sector.ENTERPRISE: "đảng bộ doanh nghiệp",
    Sector.SCHOOL: "đảng bộ trường học",
    Sector.ARMED_FORCES: "đảng bộ lực lượng vũ trang",
    Sector.OTHER: "đảng bộ khác",
}
AGE_BANDS = {
    AgeBand.UP_TO_30: "từ 30 tuổi trở xuống",
    AgeBand.FROM_31_TO_40: "từ 31 đến 40 tuổi",
    AgeBand.FROM_41_TO_50: "từ 41 đến 50 tuổi",
    AgeBand.FROM_51_TO_60: "từ 51 đến 60 tuổi",
    AgeBand.FROM_61: "từ 61 tuổi trở lên",
}
LEVELS = {
    EvaluationLevel.EXCELLENT: "hoàn thành xuất sắc nhiệm vụ",
    EvaluationLevel.GOOD: "hoàn thành tốt nhiệm vụ",
    EvaluationLevel.COMPLETED: "hoàn thành nhiệm vụ",
    EvaluationLevel.NOT_COMPLETED: "không hoàn thành nhiệm vụ",
}
THEORY = {
    PoliticalTheory.BACHELOR: "cử nhân",
    PoliticalTheory.ADVANCED: "cao cấp",
    PoliticalTheory.INTERMEDIATE: "trung cấp",
    PoliticalTheory.ELEMENTARY: "sơ cấp",
}
OCCUPATIONS = {
    Occupation.CIVIL_SERVANT: "cán bộ, công chức, viên chức",
    Occupation.TEACHER: "giáo viên",
    Occupation.HEALTH_WORKER: "nhân viên y tế",
    Occupation.FARMER: "nông dân",
    Occupation.WORKER: "công nhân",
    Occupation.BUSINESS: "kinh doanh",
    Occupation.STUDENT: "học sinh, sinh viên",
    Occupation.ARMED_FORCES: "lực lượng vũ trang",
    Occupation.RETIRED: "hưu trí",
    Occupation.OTHER: "nghề nghiệp khác",
}
BRANCH_GROUPS = {
    "village": "chi bộ thôn",
    "residential_group": "chi bộ tổ dân phố",
    Sector.AGENCY: "chi bộ cơ quan",
    Sector.SCHOOL: "chi bộ trường học",
    Sector.ENTERPRISE: "chi bộ doanh nghiệp",
    Sector.ARMED_FORCES: "chi bộ lực lượng vũ trang",
    "other": "chi bộ khác",
}
INS = {
    "admitted": "kết nạp mới",
    "admitted_earlier": "lễ kết nạp trong kỳ theo quyết định kỳ trước",
    "readmitted": "kết nạp lại",
    "transferred_in": "chuyển đến",
    "restructured_in": "nhận từ sắp xếp tổ chức",
}
OUTS = {
    "deceased": "từ trần",
    "removed": "xóa tên",
    "expelled": "khai trừ",
    "left": "xin ra khỏi Đảng",
    "transferred_out": "chuyển đi",
    "restructured_out": "chuyển theo sắp xếp tổ chức",
}


@dataclass
class Section:
    heading: str
    paragraphs: list[str] = field(default_factory=list)


def _with_share(part: int, whole: int) -> str:
    """ "1.234 (20,8%)"."""
    return f"{number(part)} ({percent(share(part, whole))})"


def _listing(parts: list[str]) -> str:
    return ", ".join(p for p in parts if p)


def _date(day) -> str:
    return day.strftime("%d/%m/%Y")


def period_phrase(report: AnnualReport) -> str:
    if report.is_whole_year:
        return f"Năm {report.year}"
    return f"Từ ngày {_date(report.first)} đến ngày {_date(report.end)}"


def whole_body(report: AnnualReport) -> str:
    """ "toàn Đảng bộ" / "toàn Chi bộ", as the press writes of the organization itself."""
    return "toàn Chi bộ" if report.node.kind in BRANCH_KINDS else "toàn Đảng bộ"


def localities(report: AnnualReport) -> str | None:
    """ "Trong đó: 20 đảng bộ xã, 03 đảng bộ thị trấn; các chi bộ quản lý 60 thôn và 12 tổ
    dân phố với 12.345 hộ." """
    parts = [
        f"{count(report.localities[key])} đảng bộ {word}"
        for key, word in LOCALITY_WORDS.items()
        if report.localities[key]
    ]
    r = report.residential
    areas = [
        f"{number(r[key])} {word}"
        for key, word in (("villages", "thôn"), ("residential_groups", "tổ dân phố"))
        if r[key]
    ]
    sentences = []
    if parts:
        sentences.append(f"Khối xã, phường, thị trấn gồm {_listing(parts)}.")
    if areas:
        households = figure(report, "households")
        sentences.append(f"Các chi bộ quản lý {' và '.join(areas)}; số hộ: {households.text()}.")
    return " ".join(sentences) or None


def organizations(report: AnnualReport) -> str:
    orgs = report.organizations
    members = report.totals.members
    name = report.node.name
    if orgs["commune_committees"]:
        text = f"{name} hiện có {count(orgs['commune_committees'])} đảng bộ xã, phường, đặc khu"
        if orgs["special_zones"]:
            text += f" (trong đó {count(orgs['special_zones'])} đặc khu)"
        if orgs["grassroots"]:
            text += f" và {number(orgs['grassroots'])} tổ chức cơ sở đảng khác"
        return f"{text}, với {number(members)} đảng viên."
    if orgs["grassroots"]:
        parts = [
            f"{count(n)} {COMMITTEES_BY_SECTOR[Sector(sector)]}"
            for sector in Sector.values
            if (n := orgs["by_sector"].get(sector, {}).get(NodeKind.GRASSROOTS_COMMITTEE))
        ]
        if orgs["grassroots_branches"]:
            parts.append(f"{count(orgs['grassroots_branches'])} chi bộ cơ sở")
        grassroots = number(orgs["grassroots"])
        text = f"{name} hiện có {grassroots} tổ chức cơ sở đảng (gồm {_listing(parts)})"
        if orgs["branches_under_committees"]:
            text += (
                f" và {number(orgs['branches_under_committees'])} chi bộ trực thuộc đảng ủy cơ sở"
            )
        return f"{text}, với {number(members)} đảng viên."
    if orgs["all_branches"]:
        return (
            f"{name} hiện có {number(orgs['all_branches'])} chi bộ trực thuộc, "
            f"với {number(members)} đảng viên."
        )
    return f"{name} hiện có {number(members)} đảng viên."


def members(report: AnnualReport) -> list[str]:
    c = report.composition
    total = c["total"]
    if not total:
        return [f"Đến ngày {_date(report.end)}, {report.node.name} không có đảng viên."]
    first = (
        f"Tổng số đảng viên đến ngày {_date(report.end)} là {number(total)} đồng chí "
        f"(chính thức {number(c['official'])}, dự bị {number(c['probationary'])}); "
        f"đảng viên nữ {_with_share(c['women'], total)}; đảng viên là người dân tộc thiểu số "
        f"{_with_share(c['minorities'], total)}; đảng viên có đạo "
        f"{_with_share(c['religious'], total)}"
    )
    if report.totals.exempted:
        first += f"; được miễn công tác và sinh hoạt đảng {number(report.totals.exempted)}"
    first += "."
    ages = _listing(
        f"{label} {_with_share(c[f'age_{band.value}'], total)}" for band, label in AGE_BANDS.items()
    )
    second = f"Về độ tuổi: {ages}; tuổi bình quân {number(c['average_age'], 1)}."
    theory = c["political_theory"]
    levels = _listing(
        f"{label} {_with_share(theory.get(value, 0), total)}"
        for value, label in THEORY.items()
        if theory.get(value)
    )
    education = c["general_education"]
    third = (
        "Về trình độ: tốt nghiệp trung học phổ thông "
        f"{_with_share(education.get('upper_secondary', 0), total)}"
    )
    if levels:
        third += f"; lý luận chính trị {levels}"
    third += "."
    occupations = sorted(c["occupation"].items(), key=lambda item: -item[1])[:3]
    fourth = "Về nghề nghiệp: " + _listing(
        f"{OCCUPATIONS[Occupation(value)]} chiếm {percent(share(n, total))}"
        for value, n in occupations
    )
    teachers = c["occupation"].get(Occupation.TEACHER, 0)
    if teachers and Occupation.TEACHER not in dict(occupations):
        fourth += f", giáo viên chiếm {percent(share(teachers, total))}"
    fourth += "."
    paragraphs = [first, second, third, fourth]
    r = report.residential
    if r["areas"]:
        population = figure(report, "population_share")
        if population.recorded:
            paragraphs.append(
                f"Đảng viên chiếm {percent(population.percent)} dân số các thôn, tổ dân phố "
                f"({number(r['population'])} nhân khẩu, {number(r['households'])} hộ)."
            )
        else:
            paragraphs.append(f"Đảng viên so với dân số các thôn, tổ dân phố: {NO_DATA}.")
    paragraphs.extend(sector_composition(report))
    return paragraphs


def sector_composition(report: AnnualReport) -> list[str]:
    """ "Trong các chi bộ trường học, giáo viên chiếm 65% đảng viên (26/40)." """
    parts = []
    for row in report.branch_groups:
        found = leading_occupation(row)
        if found and row.key not in VILLAGE_GROUPS:
            occupation, ratio = found
            parts.append(
                f"trong {BRANCH_GROUPS[row.key]}, {OCCUPATIONS[occupation]} chiếm "
                f"{percent(ratio.percent)} đảng viên ({number(ratio.part)}/{number(ratio.whole)})"
            )
    if not parts:
        return []
    sentence = "; ".join(parts)
    return [f"Cơ cấu theo loại hình chi bộ: {sentence}."]


def movement(report: AnnualReport) -> str:
    m = report.movement
    ins = _listing(f"{label} {number(m.ins[key])}" for key, label in INS.items() if m.ins[key])
    outs = _listing(f"{label} {number(m.outs[key])}" for key, label in OUTS.items() if m.outs[key])
    word = "năm" if report.is_whole_year else "kỳ"
    text = (
        f"Đầu {word} có {number(m.start)} đảng viên. Trong {word} tăng "
        f"{number(sum(m.ins.values()))}"
    )
    if ins:
        text += f" ({ins})"
    text += f"; giảm {number(sum(m.outs.values()))}"
    if outs:
        text += f" ({outs})"
    if report.ended_on:
        return (
            f"{text}. Ngày {_date(report.ended_on)}, {report.node.name} kết thúc hoạt động do "
            f"sắp xếp tổ chức bộ máy, {number(m.outs['restructured_out'])} đảng viên được "
            "chuyển sang tổ chức đảng tiếp nhận."
        )
    return f"{text}. Đến ngày {_date(report.end)} có {number(m.end)} đảng viên."


def admissions(report: AnnualReport) -> str:
    t = report.totals
    text = (
        f"{period_phrase(report)}, {whole_body(report)} kết nạp {number(t.admitted)} đảng viên mới"
    )
    target = figure(report, "target")
    if target.recorded:
        text += f", đạt {percent(target.percent)} kế hoạch (kế hoạch {number(t.target)})"
    else:
        text += f"; kế hoạch kết nạp: {NO_DATA}"
    growth = figure(report, "growth_rate")
    if growth.recorded:
        text += (
            f"; tỷ lệ phát triển đảng viên đạt {percent(growth.percent)} so với "
            f"{number(growth.whole)} đảng viên đầu {'năm' if report.is_whole_year else 'kỳ'} "
            f"(ngày {_date(report.start)})"
        )
    return text + "."


def meetings(report: AnnualReport) -> list[str]:
    t, m = report.totals, report.meetings
    if not t.expected_regular:
        return ["Trong kỳ chưa có kỳ sinh hoạt chi bộ nào đến hạn."]
    held = figure(report, "meetings")
    if not held.recorded:
        return [f"Sinh hoạt chi bộ thường kỳ, chuyên đề và tỷ lệ dự sinh hoạt: {NO_DATA}."]
    text = f"Các chi bộ tổ chức {held.text('kỳ sinh hoạt thường kỳ')}"
    if t.expected_thematic:
        text += (
            f" và sinh hoạt chuyên đề đủ {number(t.thematic_held)}/"
            f"{number(t.expected_thematic)} lượt chi bộ theo quý"
        )
    text += "."
    second = [f"tỷ lệ đảng viên dự sinh hoạt bình quân{_rate(figure(report, 'attendance'))}"]
    village = figure(report, "village_attendance")
    if village.recorded:
        second.append(f"của các chi bộ thôn, tổ dân phố{_rate(village)}")
    if m["branches_rated"]:
        second.append(
            f"{figure(report, 'branches_90').text('chi bộ')} có tỷ lệ đảng viên dự "
            "sinh hoạt từ 90% trở lên"
        )
        second.append(f"{figure(report, 'branches_100').text('chi bộ')} đạt 100%")
    if m["visits"]:
        second.append(
            f"các đồng chí cấp ủy cấp trên dự sinh hoạt chi bộ {number(m['visits'])} lượt"
        )
    paragraphs = [text]
    if second:
        sentence = "; ".join(second)
        paragraphs.append(sentence[0].upper() + sentence[1:] + ".")
    return paragraphs


def _rate(ratio) -> str:
    """ " đạt 92,9%", or ": chưa có số liệu"."""
    return f" đạt {percent(ratio.percent)}" if ratio.recorded else f": {NO_DATA}"


def _distribution(counts: dict, total: int) -> str:
    return _listing(
        f"{label} {_with_share(counts.get(level, 0), total)}" for level, label in LEVELS.items()
    )


def evaluations(report: AnnualReport) -> list[str]:
    e = report.member_evaluations
    classified = sum(e[level] for level in LEVELS)
    paragraphs = []
    if classified:
        text = f"Kết quả đánh giá, xếp loại chất lượng đảng viên năm {report.year}: "
        text += _distribution(e, classified)
        if e["not_classified"]:
            text += f"; không xếp loại {number(e['not_classified'])}"
        paragraphs.append(text + ".")
    for key, label in (("grassroots", "tổ chức cơ sở đảng"), ("branches", "chi bộ")):
        counts = report.organization_evaluations[key]
        rated = sum(counts.get(level, 0) for level in LEVELS)
        if rated:
            good = figure(report, f"{key}_good")
            if good.part == good.whole:
                summary = f"tất cả {number(rated)} {label} hoàn thành tốt nhiệm vụ trở lên"
            else:
                summary = f"{good.text(label)} hoàn thành tốt nhiệm vụ trở lên"
            paragraphs.append(
                f"Xếp loại {label} ({number(rated)}): {_distribution(counts, rated)}; {summary}."
            )
    village = figure(report, "village_branches_excellent")
    if village.recorded:
        paragraphs.append(
            f"Chi bộ thôn, tổ dân phố hoàn thành xuất sắc nhiệm vụ: {village.text('chi bộ')}."
        )
    return paragraphs or [f"Chưa có kết quả đánh giá, xếp loại chất lượng năm {report.year}."]


def inspections(report: AnnualReport) -> str:
    t = report.totals
    if not figure(report, "inspections").recorded:
        return f"Kiểm tra của các cấp ủy, chi bộ: {NO_DATA}."
    text = f"Các cấp ủy, chi bộ tiến hành {number(t.inspections)} cuộc kiểm tra"
    if t.inspection_branches:
        text += (
            f"; {number(t.inspection_met)}/{number(t.inspection_branches)} chi bộ "
            f"({percent(share(t.inspection_met, t.inspection_branches))}) đạt chỉ tiêu kiểm tra "
            "trong năm"
        )
    return text + "."


def concurrent_roles(report: AnnualReport) -> str | None:
    if not report.residential["areas"]:
        return None
    parts = [
        f"{label}: {figure(report, key).text()}"
        for key, label in (
            ("village_heads", "thôn, tổ dân phố có trưởng thôn, tổ trưởng là đảng viên"),
            (
                "secretaries_village_heads",
                "chi bộ thôn, tổ dân phố có bí thư đồng thời là trưởng thôn, tổ trưởng",
            ),
            (
                "secretaries_front_heads",
                "chi bộ thôn, tổ dân phố có bí thư đồng thời là trưởng ban công tác Mặt trận",
            ),
        )
    ]
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:] + "."


def branch_kinds(report: AnnualReport) -> str | None:
    """ "Chi bộ thôn: 60 chi bộ, 1.234 đảng viên, dự sinh hoạt 92,1%, …" per kind."""
    parts = []
    for row in report.branch_groups:
        if not row.branches:
            continue
        attendance = (
            f" {percent(row.figures.attendance)}" if row.figures.counted else f": {NO_DATA}"
        )
        text = (
            f"{BRANCH_GROUPS[row.key]}: {number(row.branches)} chi bộ, "
            f"{number(row.figures.members)} đảng viên, tỷ lệ dự sinh hoạt{attendance}"
        )
        if row.attendance_recorded:
            text += (
                f", {number(row.full_attendance)}/{number(row.attendance_recorded)} chi bộ đạt 100%"
            )
        if row.rated:
            excellent = row.levels[EvaluationLevel.EXCELLENT]
            text += (
                f", {number(excellent)}/{number(row.rated)} chi bộ hoàn thành xuất sắc nhiệm vụ "
                f"({percent(share(excellent, row.rated))})"
            )
        parts.append(text)
    if not parts:
        return None
    sentence = "; ".join(parts)
    return f"Theo loại hình chi bộ: {sentence[0].lower() + sentence[1:]}."


def badges(report: AnnualReport) -> str | None:
    if not report.badges:
        return None
    detail = "; ".join(f"{years} năm: {number(n)}" for years, n in sorted(report.badges.items()))
    return f"Trao tặng Huy hiệu Đảng cho {number(report.badges_total)} đồng chí ({detail})."


def partial_year(report: AnnualReport) -> str | None:
    """For a year not over (the running year, or a report taken before its end), that
    the figures stop short of it; for a node established in the year, that they start on
    that day; a node that ended says so in its movement instead."""
    if report.is_whole_year or report.ended_on:
        return None
    if report.established_on:
        return (
            f"{report.node.name} được thành lập ngày {_date(report.established_on)}: số liệu "
            f"của báo cáo tính từ ngày đó đến ngày {_date(report.end)}."
        )
    return (
        f"Năm {report.year} chưa kết thúc: số liệu của báo cáo tính từ ngày "
        f"{_date(report.first)} đến ngày {_date(report.end)}."
    )


def sections(report: AnnualReport) -> list[Section]:
    """The narrative of the report, section by section."""
    party = Section(
        "1. Tổ chức đảng và đảng viên",
        [
            p
            for p in (
                partial_year(report),
                organizations(report),
                localities(report),
                *members(report),
            )
            if p
        ],
    )
    growth = Section("2. Phát triển đảng viên và biến động", [admissions(report), movement(report)])
    life = Section("3. Sinh hoạt chi bộ", meetings(report))
    kinds = branch_kinds(report)
    if kinds:
        life.paragraphs.append(kinds)
    quality = Section("4. Đánh giá, xếp loại chất lượng", evaluations(report))
    other = Section("5. Kiểm tra, kiêm nhiệm và khen thưởng", [inspections(report)])
    for sentence in (concurrent_roles(report), badges(report)):
        if sentence:
            other.paragraphs.append(sentence)
    return [party, growth, life, quality, other]


def summary(report: AnnualReport) -> str:
    """The summary under "BÁO CÁO"."""
    if report.is_whole_year:
        return f"Tình hình tổ chức đảng, đảng viên năm {report.year}"
    if report.established_on:
        return (
            f"Tình hình tổ chức đảng, đảng viên từ ngày {_date(report.first)} "
            f"đến ngày {_date(report.end)}"
        )
    return (
        f"Tình hình tổ chức đảng, đảng viên từ đầu năm {report.year} đến ngày {_date(report.end)}"
    )
