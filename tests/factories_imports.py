"""Spreadsheet files for the import tests."""

import io

import openpyxl

from members.resources import MemberResource

MEMBER_HEADERS = [f.column_name for f in MemberResource().get_export_fields()]


def member_row(number="10000001", branch="X1-B1", **overrides) -> dict:
    row = {
        "Số lý lịch": number,
        "Họ và tên": "Nguyễn Văn An",
        "Giới tính": "Nam",
        "Ngày sinh": "17/05/1980",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Quê quán": "Hương Phú",
        "Nơi ở hiện nay": "Thôn 1",
        "Số CCCD": "",
        "Giáo dục phổ thông": "12/12",
        "Chuyên môn": "Đại học",
        "Lý luận chính trị": "Sơ cấp",
        "Nghề nghiệp": "Nông dân",
        "Số thẻ đảng viên": "",
        "Ngày quyết định kết nạp": "01/03/2010",
        "Ngày kết nạp": "15/03/2010",
        "Ngày chính thức": "15/03/2011",
        "Mã chi bộ": branch,
        "Trạng thái": "Chính thức",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows: list[dict], headers=None) -> bytes:
    headers = headers or (list(rows[0]) if rows else MEMBER_HEADERS)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h) for h in headers])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[dict]) -> bytes:
    headers = list(rows[0])
    lines = [",".join(headers)] + [
        ",".join(f'"{row.get(h) or ""}"' for h in headers) for row in rows
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
