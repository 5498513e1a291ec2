"""The report's charts, drawn on the server as SVG with pygal: the same file in the page
(as an <img> data URI, so the page's CSP does not apply to the chart's own <style>) and
in the PDF. No JavaScript: pygal's tooltips script is switched off."""

import base64
import math
from dataclasses import dataclass

import pygal
from pygal.style import Style

from members.enums import AgeBand
from reports.narrative import LEVELS
from reports.service import AnnualReport
from reports.tables import MAX_BARS, SHORT_LEVELS

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#222",
    foreground_strong="#111",
    foreground_subtle="#ccc",
    colors=("#b3261e", "#d9a21b", "#2f6f4f", "#4a5f7a", "#8a8f98"),
    font_family="Liberation Sans, DejaVu Sans, Arial, sans-serif",
    title_font_size=22,
    label_font_size=16,
    major_label_font_size=16,
    legend_font_size=16,
    value_font_size=16,
)
SIZE = {"width": 720, "height": 360}
AGE_LABELS = {
    AgeBand.UP_TO_30: "≤ 30",
    AgeBand.FROM_31_TO_40: "31–40",
    AgeBand.FROM_41_TO_50: "41–50",
    AgeBand.FROM_51_TO_60: "51–60",
    AgeBand.FROM_61: "≥ 61",
}


@dataclass
class Chart:
    key: str
    title: str
    svg: bytes

    @property
    def data_uri(self) -> str:
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg).decode()


def _config(**extra) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "show_legend": False,
        "print_values": True,
        "explicit_size": True,
        "truncate_label": -1,
        **SIZE,
        **extra,
    }


def _count_labels(values) -> list[int]:
    """Axis ticks for counts at round numbers: a step of 1, 2 or 5 times a power of ten,
    about 5 to 10 ticks from 0 past the largest value (never 103, 206, 309)."""
    top = max([v for v in values if v is not None] or [0]) or 1
    power = 10 ** max(0, math.floor(math.log10(top / 5))) if top >= 5 else 1
    step = next(s * power for s in (1, 2, 5, 10) if top / (s * power) <= 10)
    return list(range(0, math.ceil(top / step) * step + 1, step))


def _vn(value) -> str:
    return f"{value:,.0f}".replace(",", ".") if value is not None else ""


def age_bands(report: AnnualReport) -> Chart:
    title = "Đảng viên theo độ tuổi"
    values = [report.composition[f"age_{band.value}"] for band in AGE_LABELS]
    chart = pygal.Bar(**_config(title=title, value_formatter=_vn, y_labels=_count_labels(values)))
    chart.x_labels = list(AGE_LABELS.values())
    chart.add("Đảng viên", values)
    return Chart("ages", title, chart.render())


def evaluations(report: AnnualReport) -> Chart:
    title = f"Xếp loại chất lượng đảng viên năm {report.year}"
    values = [report.member_evaluations[level] for level in LEVELS]
    chart = pygal.Bar(**_config(title=title, value_formatter=_vn, y_labels=_count_labels(values)))
    chart.x_labels = [SHORT_LEVELS[level] for level in LEVELS]
    chart.add("Đảng viên", values)
    return Chart("evaluations", title, chart.render())


def attendance(report: AnnualReport) -> Chart:
    title = "Tỷ lệ đảng viên dự sinh hoạt theo tháng (%)"
    chart = pygal.Line(
        **_config(
            title=title,
            range=(0, 100),
            value_formatter=lambda v: f"{v:.1f}".replace(".", ",") if v is not None else "",
            dots_size=4,
        )
    )
    months = report.meetings["attendance_by_month"]
    chart.x_labels = [f"T{row['month']}" for row in months]
    chart.add("Tỷ lệ", [row["rate"] for row in months])
    return Chart("attendance", title, chart.render())


def admissions(report: AnnualReport) -> Chart:
    """Admissions and target of each child, one line each (at most MAX_BARS children: more
    are the table tables.admissions_by_child)."""
    title = "Kết nạp đảng viên so với kế hoạch"
    rows = report.children
    admitted = [row.figures.admitted for row in rows]
    targets = [row.figures.target for row in rows]
    chart = pygal.HorizontalBar(
        **_config(
            title=title,
            show_legend=True,
            legend_at_bottom=True,
            truncate_legend=-1,
            print_values=False,
            value_formatter=_vn,
            y_labels=_count_labels(admitted + targets),
            height=max(SIZE["height"], 130 + 34 * len(rows)),
        )
    )
    chart.x_labels = [row.node.name for row in rows]
    chart.add("Kết nạp", admitted)
    chart.add("Kế hoạch", targets)
    return Chart("admissions", title, chart.render())


def charts(report: AnnualReport) -> list[Chart]:
    """The report's charts, leaving out those with nothing to show (the year's
    evaluations before December, attendance in a year without minutes) and the admissions
    chart of more than MAX_BARS children (a table then)."""
    result = [age_bands(report)]
    if any(report.member_evaluations[level] for level in LEVELS):
        result.append(evaluations(report))
    if any(row["rate"] is not None for row in report.meetings["attendance_by_month"]):
        result.append(attendance(report))
    if report.children and len(report.children) <= MAX_BARS:
        result.append(admissions(report))
    return result
