"""Cells of the spreadsheets people download and open in Excel or LibreOffice.

Text that begins like a formula (=, +, -, @, a tab or a carriage return) would be run
as one: a member named =HYPERLINK(...) becomes a live link in an office's workbook.
Every xlsx and CSV the app writes goes through here. Such text is written as a string
cell marked "quote prefix" in xlsx (Excel keeps it text even when it is edited) and
with a leading apostrophe in CSV, which from_csv_text takes off again when the file
is imported. Numbers stay numbers; only text is touched.
"""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def set_cell(cell, value):
    """Give an openpyxl cell `value`; text stays text, whatever it begins with."""
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"  # openpyxl takes text beginning with "=" for a formula
        cell.quotePrefix = True
    return cell


def write(sheet, row: int, column: int, value):
    """The cell at `row`, `column` of `sheet`, set with set_cell."""
    return set_cell(sheet.cell(row=row, column=column), value)


def _needs_apostrophe(text: str) -> bool:
    # Text already beginning with apostrophes before a formula start gets one more, so
    # that from_csv_text gives back exactly what was written.
    return text.lstrip("'").startswith(FORMULA_STARTS)


def csv_text(value):
    """A value for a CSV cell: text that would run as a formula gets an apostrophe."""
    if isinstance(value, str) and _needs_apostrophe(value):
        return "'" + value
    return value


def from_csv_text(value):
    """The value csv_text was given, from the cell it wrote."""
    if isinstance(value, str) and value.startswith("'") and _needs_apostrophe(value):
        return value[1:]
    return value
