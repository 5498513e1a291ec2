"""The report's tables as an Excel workbook (openpyxl): one sheet of the figures, one per
table of children. Numbers stay numbers; Excel shows them with the reader's separators
(5.921 and 81,3% in Vietnamese); text is written through partyorg.spreadsheets, so a
name that begins like a formula stays text."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from partyorg.spreadsheets import write
from reports import narrative
from reports.service import AnnualReport
from reports.tables import Percent, Table, definitions, tables

HEADER = PatternFill("solid", fgColor="F0ECE6")
BOLD = Font(bold=True)


def _write_table(sheet, table: Table, row: int) -> int:
    write(sheet, row, 1, table.title).font = Font(bold=True, size=12)
    row += 1
    for column, label in enumerate(table.columns, start=1):
        cell = write(sheet, row, column, label)
        cell.font, cell.fill = BOLD, HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, values in enumerate(table.rows):
        row += 1
        for column, value in enumerate(values, start=1):
            if isinstance(value, Percent):
                cell = write(sheet, row, column, round(value / 100, 4))
                cell.number_format = "0.0%"
            elif isinstance(value, float):
                cell = write(sheet, row, column, round(value, 1))
                cell.number_format = "#,##0.0"
            elif isinstance(value, int):
                cell = write(sheet, row, column, value)
                cell.number_format = "#,##0"
            else:
                cell = write(sheet, row, column, value)
            if index in table.groups:
                cell.font = BOLD
    return row + 2


def workbook(report: AnnualReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    write(sheet, 1, 1, report.node.name).font = Font(bold=True, size=14)
    write(sheet, 2, 1, narrative.summary(report)).font = BOLD
    row = 4
    all_tables = tables(report)
    for table in all_tables:
        if table.key == "children":
            continue
        row = _write_table(sheet, table, row)
    sheet.column_dimensions["A"].width = 52
    for column in range(2, 6):
        sheet.column_dimensions[get_column_letter(column)].width = 16
    for table in all_tables:
        if table.key == "children":
            child_sheet = book.create_sheet("Đơn vị trực thuộc")
            _write_table(child_sheet, table, 1)
            child_sheet.column_dimensions["A"].width = 44
            for column in range(2, len(table.columns) + 1):
                child_sheet.column_dimensions[get_column_letter(column)].width = 14
            child_sheet.freeze_panes = "B3"
    # What each figure counts and divides by, stated once for the reader of the numbers.
    sheet = book.create_sheet("Định nghĩa")
    _write_table(sheet, definitions(report), 1)
    for column, width in zip("ABCD", (40, 60, 60, 24), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
