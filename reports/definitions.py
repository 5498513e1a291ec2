"""Every figure of the report that is a count or a share, with what it counts (numerator)
and what it is divided by (denominator), defined once: the narrative, the tables, the
dashboard and the workbook's definitions sheet read them from here.

A figure whose data was never entered is NO_DATA ("chưa có số liệu"), never 0 or 0%.
"""

from collections.abc import Callable
from dataclasses import dataclass

from branchwork.enums import EvaluationLevel
from members.enums import Occupation
from reports.numbers import number, percent, share
from reports.sections import LEVELS, VILLAGE_GROUPS, GroupRow
from reports.service import AnnualReport

NO_DATA = "chưa có số liệu"
GOOD_OR_BETTER = (EvaluationLevel.EXCELLENT, EvaluationLevel.GOOD)


@dataclass(frozen=True)
class Ratio:
    """A count (`whole` None) or `part` of `whole`; `part` None: never entered."""

    part: int | float | None
    whole: int | None = None

    @property
    def recorded(self) -> bool:
        return self.part is not None

    @property
    def percent(self) -> float | None:
        if self.part is None or self.whole is None:
            return None
        return share(self.part, self.whole)

    def text(self, unit: str = "") -> str:
        """ "27/60 thôn (45%)", "5.921", or NO_DATA."""
        if self.part is None:
            return NO_DATA
        places = 1 if isinstance(self.part, float) else 0
        if self.whole is None:
            return number(self.part, places)
        unit = f" {unit}" if unit else ""
        return f"{number(self.part)}/{number(self.whole)}{unit} ({percent(self.percent)})"


def _when(recorded: bool, part, whole=None) -> Ratio:
    return Ratio(part, whole) if recorded else Ratio(None, whole)


def _levels_ratio(counts, levels) -> Ratio:
    rated = sum(counts.get(level, 0) for level in LEVELS)
    return _when(bool(rated), sum(counts.get(level, 0) for level in levels), rated)


def _villages(report: AnnualReport) -> list[GroupRow]:
    return [row for row in report.branch_groups if row.key in VILLAGE_GROUPS]


def _village_attendance(report: AnnualReport) -> Ratio:
    rows = _villages(report)
    counted = sum(row.figures.counted for row in rows)
    return _when(bool(counted), sum(row.figures.present for row in rows), counted)


def _village_levels(report: AnnualReport, levels) -> Ratio:
    counts: dict = {}
    for row in _villages(report):
        for level, n in row.levels.items():
            counts[level] = counts.get(level, 0) + n
    return _levels_ratio(counts, levels)


def _roles(report: AnnualReport, key: str, entered: str) -> Ratio:
    r = report.residential
    return _when(bool(r[entered] and r["village_branches"]), r[key], r["village_branches"])


def leading_occupation(row: GroupRow) -> tuple[Occupation, Ratio] | None:
    """The occupation most members of a kind of branch have, and its share of them
    (sector_composition). Equal counts go to the first in the choices' order, whatever
    order the branches were added in."""
    counts = row.figures.occupations
    if not counts:
        return None
    value = max(Occupation.values, key=counts.__getitem__)
    return Occupation(value), Ratio(counts[value], row.figures.members)


@dataclass(frozen=True)
class Definition:
    key: str
    label: str
    numerator: str
    denominator: str  # "" for a count
    value: Callable[[AnnualReport], Ratio] | None  # None: a figure per row of a table


MEMBERS_AT_END = "đảng viên (chính thức và dự bị) sinh hoạt chính thức ở các chi bộ đến cuối kỳ"
VILLAGE_BRANCHES = "chi bộ thôn, tổ dân phố (chi bộ quản lý ít nhất một thôn, tổ dân phố)"

DEFINITIONS = [
    Definition(
        "members",
        "Đảng viên",
        MEMBERS_AT_END + "; đảng viên sinh hoạt tạm thời không tính",
        "",
        lambda r: Ratio(r.totals.members),
    ),
    Definition(
        "women",
        "Đảng viên nữ",
        "đảng viên nữ đến cuối kỳ",
        MEMBERS_AT_END,
        lambda r: Ratio(r.composition["women"], r.composition["total"]),
    ),
    Definition(
        "minorities",
        "Đảng viên người dân tộc thiểu số",
        "đảng viên không phải dân tộc Kinh, đến cuối kỳ",
        MEMBERS_AT_END,
        lambda r: Ratio(r.composition["minorities"], r.composition["total"]),
    ),
    Definition(
        "religious",
        "Đảng viên có đạo",
        "đảng viên theo một tôn giáo, đến cuối kỳ",
        MEMBERS_AT_END,
        lambda r: Ratio(r.composition["religious"], r.composition["total"]),
    ),
    Definition(
        "grassroots",
        "Tổ chức cơ sở đảng",
        "đảng bộ cơ sở và chi bộ cơ sở trong phạm vi báo cáo, đến cuối kỳ",
        "",
        lambda r: Ratio(r.organizations["grassroots"]),
    ),
    Definition(
        "communes",
        "Đảng bộ xã",
        "tổ chức đảng khối xã, phường, thị trấn mà tên là “… xã …”, đến cuối kỳ",
        "",
        lambda r: Ratio(r.localities["xa"]),
    ),
    Definition(
        "towns",
        "Đảng bộ thị trấn",
        "tổ chức đảng khối xã, phường, thị trấn mà tên là “… thị trấn …”, đến cuối kỳ",
        "",
        lambda r: Ratio(r.localities["thi_tran"]),
    ),
    Definition(
        "wards",
        "Đảng bộ phường",
        "tổ chức đảng khối xã, phường, thị trấn mà tên là “… phường …”, đến cuối kỳ",
        "",
        lambda r: Ratio(r.localities["phuong"]),
    ),
    Definition(
        "villages",
        "Thôn (ấp, bản)",
        "thôn do các chi bộ trong phạm vi báo cáo quản lý",
        "",
        lambda r: Ratio(r.residential["villages"]),
    ),
    Definition(
        "residential_groups",
        "Tổ dân phố (khu phố)",
        "tổ dân phố do các chi bộ trong phạm vi báo cáo quản lý",
        "",
        lambda r: Ratio(r.residential["residential_groups"]),
    ),
    Definition(
        "households",
        "Số hộ",
        "tổng số hộ của các thôn, tổ dân phố trong năm báo cáo (chưa nhập: chưa có số liệu)",
        "",
        lambda r: Ratio(r.residential["households"]),
    ),
    Definition(
        "population_share",
        "Đảng viên so với dân số",
        MEMBERS_AT_END,
        "nhân khẩu của các thôn, tổ dân phố trong năm báo cáo",
        lambda r: _when(
            bool(r.residential["population"]), r.totals.members, r.residential["population"]
        ),
    ),
    Definition(
        "admitted",
        "Kết nạp đảng viên mới",
        "đảng viên có quyết định kết nạp ký trong kỳ (theo ngày quyết định, như thống kê của "
        "Đảng), tính ở chi bộ kết nạp; kể cả người lễ kết nạp sau kỳ; không tính kết nạp lại",
        "",
        lambda r: Ratio(r.totals.admitted),
    ),
    Definition(
        "target",
        "Kết nạp so với kế hoạch",
        "đảng viên kết nạp trong kỳ (như trên)",
        "chỉ tiêu kết nạp của năm giao cho tổ chức báo cáo",
        lambda r: _when(bool(r.totals.target), r.totals.admitted, r.totals.target),
    ),
    Definition(
        "growth_rate",
        "Tỷ lệ phát triển đảng viên",
        "đảng viên kết nạp trong kỳ (như trên)",
        "đảng viên đầu kỳ (ngày trước ngày đầu kỳ), không phải cuối kỳ",
        lambda r: _when(bool(r.movement.start), r.totals.admitted, r.movement.start),
    ),
    Definition(
        "meetings",
        "Sinh hoạt chi bộ thường kỳ",
        "lượt chi bộ × tháng có ít nhất một buổi sinh hoạt thường kỳ được ghi",
        "lượt chi bộ × tháng đến hạn (chi bộ tồn tại trọn tháng); chưa ghi buổi nào: chưa có "
        "số liệu",
        lambda r: _when(r.meetings["recorded"], r.totals.regular_held, r.totals.expected_regular),
    ),
    Definition(
        "thematic",
        "Sinh hoạt chuyên đề",
        "lượt chi bộ × quý có ít nhất một buổi sinh hoạt chuyên đề",
        "lượt chi bộ × quý đến hạn",
        lambda r: _when(r.meetings["recorded"], r.totals.thematic_held, r.totals.expected_thematic),
    ),
    Definition(
        "attendance",
        "Tỷ lệ đảng viên dự sinh hoạt",
        "lượt đảng viên có mặt ở các buổi sinh hoạt thường kỳ",
        "lượt đảng viên phải dự (không tính đảng viên sinh hoạt tạm thời nơi khác và đảng viên "
        "được miễn sinh hoạt vắng mặt)",
        lambda r: _when(bool(r.totals.counted), r.totals.present, r.totals.counted),
    ),
    Definition(
        "branches_90",
        "Chi bộ có tỷ lệ dự sinh hoạt từ 90% trở lên",
        "chi bộ có tỷ lệ dự sinh hoạt cả kỳ từ 90% trở lên",
        "chi bộ có ghi điểm danh trong kỳ",
        lambda r: _when(
            bool(r.meetings["branches_rated"]),
            r.meetings["branches_90"],
            r.meetings["branches_rated"],
        ),
    ),
    Definition(
        "branches_100",
        "Chi bộ có 100% đảng viên dự sinh hoạt",
        "chi bộ mà mọi đảng viên phải dự đều có mặt ở mọi buổi sinh hoạt thường kỳ được ghi",
        "chi bộ có ghi điểm danh trong kỳ",
        lambda r: _when(
            bool(r.meetings["branches_rated"]),
            r.meetings["branches_100"],
            r.meetings["branches_rated"],
        ),
    ),
    Definition(
        "village_attendance",
        "Tỷ lệ dự sinh hoạt của chi bộ thôn, tổ dân phố",
        "lượt đảng viên có mặt ở sinh hoạt thường kỳ của " + VILLAGE_BRANCHES,
        "lượt đảng viên phải dự ở các chi bộ đó",
        _village_attendance,
    ),
    Definition(
        "members_good",
        "Đảng viên hoàn thành tốt nhiệm vụ trở lên",
        "đảng viên xếp loại hoàn thành xuất sắc hoặc hoàn thành tốt nhiệm vụ trong năm",
        "đảng viên được xếp loại trong năm (không tính đảng viên không xếp loại)",
        lambda r: _levels_ratio(r.member_evaluations, GOOD_OR_BETTER),
    ),
    Definition(
        "members_excellent",
        "Đảng viên hoàn thành xuất sắc nhiệm vụ",
        "đảng viên xếp loại hoàn thành xuất sắc nhiệm vụ trong năm",
        "đảng viên được xếp loại trong năm",
        lambda r: _levels_ratio(r.member_evaluations, (EvaluationLevel.EXCELLENT,)),
    ),
    Definition(
        "grassroots_good",
        "Tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ trở lên",
        "tổ chức cơ sở đảng xếp loại hoàn thành xuất sắc hoặc tốt nhiệm vụ trong năm",
        "tổ chức cơ sở đảng được xếp loại trong năm",
        lambda r: _levels_ratio(r.organization_evaluations["grassroots"], GOOD_OR_BETTER),
    ),
    Definition(
        "branches_good",
        "Chi bộ hoàn thành tốt nhiệm vụ trở lên",
        "chi bộ xếp loại hoàn thành xuất sắc hoặc tốt nhiệm vụ trong năm",
        "chi bộ được xếp loại trong năm",
        lambda r: _levels_ratio(r.organization_evaluations["branches"], GOOD_OR_BETTER),
    ),
    Definition(
        "village_branches_excellent",
        "Chi bộ thôn, tổ dân phố hoàn thành xuất sắc nhiệm vụ",
        "chi bộ thôn, tổ dân phố xếp loại hoàn thành xuất sắc nhiệm vụ trong năm",
        "chi bộ thôn, tổ dân phố được xếp loại trong năm",
        lambda r: _village_levels(r, (EvaluationLevel.EXCELLENT,)),
    ),
    Definition(
        "inspections",
        "Cuộc kiểm tra",
        "cuộc kiểm tra do cấp ủy, chi bộ trong phạm vi tiến hành trong kỳ (chưa ghi cuộc nào: "
        "chưa có số liệu)",
        "",
        lambda r: _when(bool(r.totals.inspections), r.totals.inspections),
    ),
    Definition(
        "inspection_target",
        "Chi bộ đạt chỉ tiêu kiểm tra",
        "chi bộ đã tiến hành đủ số cuộc kiểm tra theo chỉ tiêu năm",
        "chi bộ có đảng viên chính thức, còn hoạt động đến cuối kỳ",
        lambda r: _when(
            bool(r.totals.inspections), r.totals.inspection_met, r.totals.inspection_branches
        ),
    ),
    Definition(
        "village_heads",
        "Trưởng thôn, tổ trưởng tổ dân phố là đảng viên",
        "thôn, tổ dân phố có trưởng thôn, tổ trưởng là đảng viên đến cuối kỳ",
        "thôn, tổ dân phố do các chi bộ quản lý; chưa nhập trưởng thôn nào: chưa có số liệu",
        lambda r: _when(
            bool(r.residential["village_heads_members"] and r.residential["areas"]),
            r.residential["village_heads_members"],
            r.residential["areas"],
        ),
    ),
    Definition(
        "secretaries_village_heads",
        "Bí thư chi bộ đồng thời là trưởng thôn, tổ trưởng tổ dân phố",
        "chi bộ thôn, tổ dân phố có bí thư đồng thời là trưởng thôn, tổ trưởng tổ dân phố do "
        "chi bộ quản lý, đến cuối kỳ",
        VILLAGE_BRANCHES + "; chưa nhập bí thư nào: chưa có số liệu",
        lambda r: _roles(r, "secretaries_village_heads", "branches_with_secretary"),
    ),
    Definition(
        "secretaries_front_heads",
        "Bí thư chi bộ đồng thời là trưởng ban công tác Mặt trận",
        "chi bộ thôn, tổ dân phố có bí thư đồng thời là trưởng ban công tác Mặt trận của "
        "thôn, tổ dân phố, đến cuối kỳ",
        VILLAGE_BRANCHES + "; chưa nhập trưởng ban công tác Mặt trận nào: chưa có số liệu",
        lambda r: _roles(r, "secretaries_front_heads", "front_heads"),
    ),
    Definition(
        "sector_composition",
        "Cơ cấu nghề nghiệp theo loại hình chi bộ",
        "đảng viên có nghề nghiệp đông nhất trong các chi bộ cùng loại hình, đến cuối kỳ",
        "đảng viên của các chi bộ cùng loại hình đến cuối kỳ",
        None,
    ),
]
BY_KEY = {d.key: d for d in DEFINITIONS}


def figure(report: AnnualReport, key: str) -> Ratio:
    return BY_KEY[key].value(report)


def figures(report: AnnualReport) -> list[tuple[Definition, Ratio | None]]:
    """Every definition with its value in the report (None: given per row of a table)."""
    return [(d, d.value(report) if d.value else None) for d in DEFINITIONS]
