"""The report's tables as an Excel workbook (openpyxl): one sheet of the figures, one per
table of children. Numbers stay numbers; Excel shows them with the reader's separators
(5.921 and 81,3% in Vietnamese)."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from reports import narrative
from reports.service import AnnualReport
from reports.tables import Percent, Table, tables

HEADER = PatternFill("solid", fgColor="F0ECE6")
BOLD = Font(bold=True)


def _write_table(sheet, table: Table, row: int) -> int:
    sheet.cell(row=row, column=1, value=table.title).font = Font(bold=True, size=12)
    row += 1
    for column, label in enumerate(table.columns, start=1):
        cell = sheet.cell(row=row, column=column, value=label)
        cell.font, cell.fill = BOLD, HEADER
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, values in enumerate(table.rows):
        row += 1
        for column, value in enumerate(values, start=1):
            if isinstance(value, Percent):
                cell = sheet.cell(row=row, column=column, value=round(value / 100, 4))
                cell.number_format = "0.0%"
            elif isinstance(value, float):
                cell = sheet.cell(row=row, column=column, value=round(value, 1))
                cell.number_format = "#,##0.0"
            elif isinstance(value, int):
                cell = sheet.cell(row=row, column=column, value=value)
                cell.number_format = "#,##0"
            else:
                cell = sheet.cell(row=row, column=column, value=value)
            if index in table.groups:
                cell.font = BOLD
    return row + 2


def workbook(report: AnnualReport) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Báo cáo"
    sheet["A1"] = report.node.name
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = narrative.summary(report)
    sheet["A2"].font = BOLD
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
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
