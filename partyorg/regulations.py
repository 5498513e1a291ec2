"""The regulations the rules come from: number, title and signing date, as data.

Numbers are reused over the years (there are several "24-QĐ/TW"), so a regulation is
always named with its date. partyorg.rules says which values each one sets.
"""

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Regulation:
    number: str
    title: str
    signed_on: datetime.date

    def __str__(self):
        return f"{self.number} ({self.signed_on:%d/%m/%Y})"


CHARTER = Regulation("Điều lệ Đảng", "Điều lệ Đảng Cộng sản Việt Nam", datetime.date(2011, 1, 19))
QD24_2021 = Regulation("24-QĐ/TW", "Quy định thi hành Điều lệ Đảng", datetime.date(2021, 7, 30))
QD232_2025 = Regulation(
    "232-QĐ/TW", "Quy định thi hành Điều lệ Đảng (sửa đổi)", datetime.date(2025, 1, 20)
)
QD294_2025 = Regulation("294-QĐ/TW", "Quy định thi hành Điều lệ Đảng", datetime.date(2025, 5, 26))
QD132_2018 = Regulation(
    "132-QĐ/TW",
    "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm",
    datetime.date(2018, 3, 8),
)
QD124_2023 = Regulation(
    "124-QĐ/TW",
    "Quy định về kiểm điểm và đánh giá, xếp loại chất lượng hằng năm",
    datetime.date(2023, 10, 4),
)
QD366_2025 = Regulation(
    "366-QĐ/TW",
    "Quy định về kiểm điểm, đánh giá, xếp loại chất lượng hằng năm (thang điểm 100)",
    datetime.date(2025, 8, 30),
)
HD43_2025 = Regulation(
    "43-HD/BTCTW", "Hướng dẫn thực hiện Quy định 366-QĐ/TW", datetime.date(2025, 10, 31)
)
QD342_2010 = Regulation("342-QĐ/TW", "Quyết định về chế độ đảng phí", datetime.date(2010, 12, 28))
QD01_2026 = Regulation("01-QĐ/TW", "Quy định về chế độ đảng phí", datetime.date(2026, 2, 3))
HD42_2025 = Regulation(
    "42-HD/BTCTW",
    "Hướng dẫn nâng cao chất lượng sinh hoạt chi bộ",
    datetime.date(2025, 10, 28),
)
HD11_2021 = Regulation(
    "11-HD/BTCTW", "Hướng dẫn thống kê, báo cáo công tác đảng viên", datetime.date(2021, 12, 13)
)
