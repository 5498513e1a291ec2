"""The annual report an office files: the figures and narrative frozen when it is issued,
and the revision, figure by figure, that data entered later would bring."""

from dataclasses import dataclass

from partyorg.routers import reading_for_reports
from reports import charts, narrative, tables
from reports.service import AnnualReport, build_annual_report

ASSESSMENT_FIELDS = ("strengths", "shortcomings", "lessons", "directions", "proposals")
# The office's own sections, printed after the figures, in the words of a real báo cáo.
ASSESSMENT_HEADINGS = {
    "strengths": "Ưu điểm",
    "shortcomings": "Hạn chế, khuyết điểm và nguyên nhân",
    "lessons": "Bài học kinh nghiệm",
    "directions": "Phương hướng, nhiệm vụ năm tới",
    "proposals": "Kiến nghị, đề xuất",
}


@dataclass(frozen=True)
class Change:
    table: str
    row: str
    column: str
    filed: str
    now: str


def figures_of(report: AnnualReport) -> dict:
    """What the report prints from the data, as printed: summary, narrative, tables (cells
    as text), charts."""
    return {
        "summary": narrative.summary(report),
        "sections": [
            {"heading": s.heading, "paragraphs": s.paragraphs} for s in narrative.sections(report)
        ],
        "tables": [
            {
                "key": t.key,
                "title": t.title,
                "columns": t.columns,
                "rows": [[tables.cell_text(value) for value in row] for row in t.rows],
                "groups": sorted(t.groups),
            }
            for t in tables.tables(report)
        ],
        "charts": [{"title": c.title, "data_uri": c.data_uri} for c in charts.charts(report)],
        "has_children": bool(report.children),
    }


def current_figures(node, year: int) -> tuple[AnnualReport, dict]:
    report = build_annual_report(node, year)
    return report, figures_of(report)


def figures_to_revise(node, year: int) -> tuple[AnnualReport, dict]:
    """current_figures for the report's page, from the reports' database."""
    with reading_for_reports():
        return current_figures(node, year)


def _cells(figures: dict) -> dict:
    """Every figure by (table, row label, column): rows are told apart by their label and
    the group heading above them, so a row added to one side shows as a change."""
    cells = {}
    for table in figures["tables"]:
        group = ""
        for index, row in enumerate(table["rows"]):
            if index in table["groups"]:
                group = row[0]
                continue
            label = f"{group}: {row[0]}" if group else row[0]
            for column, value in zip(table["columns"][1:], row[1:], strict=False):
                cells[(table["title"], label, column)] = value
    return cells


def revision(filed: dict, now: dict) -> list[Change]:
    """The figures that differ between the filed report and the data today, in the order
    the report prints them."""
    before, after = _cells(filed), _cells(now)
    keys = list(before) + [key for key in after if key not in before]
    return [
        Change(*key, before.get(key, "–"), after.get(key, "–"))
        for key in keys
        if before.get(key, "–") != after.get(key, "–")
    ]


def assessment_of(document) -> list[dict]:
    """The office's sections, each with its paragraphs (one per line typed)."""
    return [
        {
            "heading": ASSESSMENT_HEADINGS[name],
            "paragraphs": [
                line.strip() for line in getattr(document, name).splitlines() if line.strip()
            ],
        }
        for name in ASSESSMENT_FIELDS
    ]
