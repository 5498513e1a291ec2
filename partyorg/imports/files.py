"""Reading uploaded spreadsheets safely and writing xlsx files (templates, exports)."""

import copy
import csv
import datetime
import io
import re
import uuid
import zipfile

import openpyxl
import tablib
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from python_calamine import CalamineError, CalamineWorkbook

from partyorg.spreadsheets import csv_text, from_csv_text, set_cell, write
from partyorg.text import normalize_text

MAX_UPLOAD_BYTES = getattr(settings, "IMPORT_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
MAX_ROWS = getattr(settings, "IMPORT_MAX_ROWS", 200_000)
MAX_CELL_CHARS = 2000
TEMPLATE_ROWS = 300  # rows of the empty template formatted as text or dates
EXTENSIONS = {".xlsx": "xlsx", ".csv": "csv"}
# A workbook unpacks to at most this much: a small file that unpacks to gigabytes (a zip
# bomb) is refused before a reader touches it.
MAX_UNPACKED_BYTES = 40 * MAX_UPLOAD_BYTES
# The start of a web page or script renamed to .csv.
MARKUP = (b"<!doctype", b"<html", b"<head", b"<body", b"<script", b"<?xml", b"<svg", b"<iframe")
STORAGE_DIR = "imports"


class FileProblem(ValueError):
    """The file as a whole cannot be read; nothing is imported."""


def file_type(name: str, head: bytes) -> str:
    """'xlsx' or 'csv' when the name and the first bytes agree, else FileProblem."""
    lowered = name.lower()
    kind = next((k for ext, k in EXTENSIONS.items() if lowered.endswith(ext)), None)
    if kind is None:
        raise FileProblem(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
    if kind == "xlsx" and not head.startswith(b"PK\x03\x04"):
        raise FileProblem(_("This file is not an Excel workbook (.xlsx)."))
    if kind == "csv" and b"\x00" in head:
        raise FileProblem(_("This file is not a CSV text file."))
    return kind


def check_content(name: str, content: bytes) -> str:
    """The file type of an upload that really is an xlsx workbook or a UTF-8 CSV."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileProblem(
            _("The file is larger than %(limit)d MB.") % {"limit": MAX_UPLOAD_BYTES // 2**20}
        )
    if not content:
        raise FileProblem(_("The file is empty."))
    kind = file_type(name, content[:8])
    if kind == "xlsx":
        try:
            entries = zipfile.ZipFile(io.BytesIO(content)).infolist()
        except zipfile.BadZipFile:
            entries = []
        names = {entry.filename for entry in entries}
        if "xl/workbook.xml" not in names:
            raise FileProblem(_("This file is not an Excel workbook (.xlsx)."))
        if "xl/vbaProject.bin" in names:
            raise FileProblem(_("Workbooks with macros are not accepted: save it as .xlsx."))
        if sum(entry.file_size for entry in entries) > MAX_UNPACKED_BYTES:
            raise FileProblem(_("This workbook unpacks to too much data."))
    else:
        if b"\x00" in content:
            raise FileProblem(_("This file is not a CSV text file."))
        start = content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024].lower()
        if start.startswith(b"<") or any(mark in start for mark in MARKUP):
            raise FileProblem(_("This file is a web page or a script, not a CSV file."))
        try:
            content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblem(_("Save the CSV file with the UTF-8 encoding.")) from error
    return kind


def store_bytes(name: str, content: bytes) -> str:
    """Keep a checked upload under a random name in MEDIA_ROOT/imports between the preview
    and the confirmation; return the stored name."""
    kind = check_content(name, content)
    return default_storage.save(f"{STORAGE_DIR}/{uuid.uuid4().hex}.{kind}", ContentFile(content))


class FirstSheetXLSX(XLSX):
    """The first worksheet (the template's data sheet), without blank rows and columns.

    Read with calamine: openpyxl reads about 60,000 cells a second, too slow for the
    10,000-member files an office imports at once.
    """

    def create_dataset(self, in_stream):
        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(in_stream))
            rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
        except (CalamineError, OSError, ValueError) as error:
            raise FileProblem(_("This file is not an Excel workbook (.xlsx).")) from error
        return _dataset(iter(rows))


class TextCSV(CSV):
    def create_dataset(self, in_stream):
        try:
            text = in_stream.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise FileProblem(_("Save the CSV file with the UTF-8 encoding.")) from error
        try:
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        rows = csv.reader(io.StringIO(text), dialect)
        return _dataset([from_csv_text(value) for value in row] for row in rows)


def _dataset(rows) -> tablib.Dataset:
    header = next(rows, None)
    header = list(header or [])
    while header and (header[-1] is None or str(header[-1]).strip() == ""):
        header.pop()
    headers = [normalize_text(str(h)) if h is not None else "" for h in header]
    if any(not h for h in headers):
        raise FileProblem(_("Every column needs a header in the first row."))
    if not headers:
        raise FileProblem(_("The file is empty: the first row must hold the column headers."))
    data = tablib.Dataset(headers=headers)
    width = len(headers)
    for values in rows:
        values = list(values)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        extra = [v for v in values[width:] if v is not None and str(v).strip()]
        if extra:
            raise FileProblem(
                _("Row %(row)d has values beyond the last column header.") % {"row": len(data) + 2}
            )
        data.append([None if v == "" else v for v in (values + [None] * width)[:width]])
        if len(data) > MAX_ROWS:
            raise FileProblem(_("The file has more than %(limit)d rows.") % {"limit": MAX_ROWS})
    return data


def read_stored(stored_name: str) -> bytes:
    try:
        with default_storage.open(stored_name, "rb") as handle:
            return handle.read()
    except OSError as error:  # removed after its retention period
        raise FileProblem(_("The file is no longer kept; upload it again.")) from error


def parse_dataset(stored_name: str, content: bytes) -> tablib.Dataset:
    reader = FirstSheetXLSX() if stored_name.endswith(".xlsx") else TextCSV()
    return reader.create_dataset(content)


def oversized_cells(dataset: tablib.Dataset) -> list[dict]:
    problems = []
    for number, values in enumerate(dataset, start=2):
        for header, value in zip(dataset.headers, values, strict=True):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                problems.append(
                    {
                        "row": number,
                        "column": header,
                        "message": _("The cell holds %(length)d characters, at most %(limit)d.")
                        % {"length": len(value), "limit": MAX_CELL_CHARS},
                    }
                )
    return problems


HEADER_FILL = PatternFill("solid", fgColor="F0ECE6")
REQUIRED_FONT = Font(bold=True, color="A31515")


def sheet_title(title: str) -> str:
    """`title` as Excel accepts a sheet's name: at most 31 characters, none of \\ / * ? :
    [ ] (a kind's label such as "Sinh hoạt chi bộ: điểm danh …" has a colon)."""
    return re.sub(r"[\\/*?\[\]]", "-", title.replace(":", ","))[:31].strip()


def workbook(resource, dataset: tablib.Dataset | None = None, *, title: str) -> bytes:
    """An xlsx with the data sheet (headers, and rows when given) and a column guide."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = sheet_title(title)
    fields = resource.get_export_fields()
    for index, field in enumerate(fields, start=1):
        cell = write(sheet, 1, index, field.column_name)
        cell.font = REQUIRED_FONT if field.required else Font(bold=True)
        cell.fill = HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(14, len(field.column_name) + 4)
        column_format = "DD/MM/YYYY" if field.is_date else "@"
        if dataset is None:
            for row in range(2, 2 + TEMPLATE_ROWS):
                sheet.cell(row=row, column=index).number_format = column_format
    # The first row's styles copied to the rows below: setting number_format cell by
    # cell looks the format up each time, half the time of a large export.
    styles = {}
    for number, values in enumerate(dataset or [], start=2):
        for index, (field, value) in enumerate(zip(fields, values, strict=True), start=1):
            if field.is_date and value:
                value = datetime.datetime.strptime(value, "%d/%m/%Y").date()
            cell = sheet.cell(row=number, column=index)
            if index in styles:
                cell._style = copy.copy(styles[index])
            else:
                cell.number_format = "DD/MM/YYYY" if field.is_date else "@"
                styles[index] = copy.copy(cell._style)
            set_cell(cell, value if value != "" else None)  # after the style: quote prefix
    sheet.freeze_panes = "A2"
    guide = book.create_sheet("Hướng dẫn")
    lines = [[_("Column"), _("Required"), _("Meaning"), _("Format, allowed values")]] + [
        [doc["header"], "Có" if doc["required"] else "", doc["help"], doc["format"]]
        for doc in resource.document()
    ]
    for number, line in enumerate(lines, start=1):
        for index, value in enumerate(line, start=1):
            write(guide, number, index, value)
    for cell in guide[1]:
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
    for letter, width in zip("ABCD", (26, 10, 60, 70), strict=True):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    examples = getattr(resource, "examples", None)
    if dataset is None and examples:
        # After the guide, on a sheet of their own: the first sheet is the one imported.
        sample = book.create_sheet("Ví dụ")
        for index, field in enumerate(fields, start=1):
            write(sample, 1, index, field.column_name).font = Font(bold=True)
            sample.column_dimensions[get_column_letter(index)].width = max(
                14, len(field.column_name) + 4
            )
        for number, values in enumerate(examples, start=2):
            for index, value in enumerate(values, start=1):
                write(sample, number, index, value or None).number_format = "@"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(dataset: tablib.Dataset) -> bytes:
    safe = tablib.Dataset(
        *[[csv_text(value) for value in row] for row in dataset],
        headers=[csv_text(header) for header in dataset.headers],
    )
    return ("\ufeff" + safe.export("csv")).encode("utf-8")
