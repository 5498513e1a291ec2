import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from branchwork.enums import AttendanceStatus
from branchwork.months import previous_month
from tests.factories import make_member
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

NAMES = ["Nguyễn Thị Ánh Tuyết", "Trần Đức Lưỡng", "Hồ Sĩ Phượng", "Lê Văn Ửng"]


def test_minutes_pdf_keeps_vietnamese_names(world, as_user):
    members = [make_member(world.branch_a, full_name=name) for name in NAMES]
    day = previous_month(timezone.localdate())[0].replace(day=5)
    meeting = record(
        world.branch_a,
        day,
        absences={members[1]: (AttendanceStatus.EXCUSED, "Đi công tác")},
        chair=members[0],
        minute_taker=members[2],
        conclusion="Chi bộ thống nhất nghị quyết.",
    )
    response = as_user(world.secretary).get(reverse("meetings:pdf", args=["X1-B1", meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for name in NAMES:
        assert name in text
    for heading in ["ĐẢNG CỘNG SẢN VIỆT NAM", "BIÊN BẢN", "CHỦ TRÌ", "THƯ KÝ", "CHI BỘ THÔN 1"]:
        assert heading in text
    assert "Có mặt: 3 đồng chí" in text


SECTIONS = [
    "Thông tin thời sự, chủ trương, chính sách",
    "Kiểm điểm việc thực hiện nhiệm vụ tháng trước",
    "Nhiệm vụ tháng tới",
    "Phân công nhiệm vụ cho đảng viên",
    "Phê bình và tự phê bình",
    "Kết luận, nghị quyết",
]


def test_minutes_sections_read_the_same_in_the_form_the_page_and_the_pdf(world, as_user):
    day = previous_month(timezone.localdate())[0].replace(day=5)
    meeting = record(world.branch_a, day, criticism="Đồng chí A nhận khuyết điểm.")
    client = as_user(world.secretary)
    client.cookies["django_language"] = "vi"
    form = client.get(
        reverse("meetings:edit", args=["X1-B1", meeting.pk]), HTTP_ACCEPT_LANGUAGE="vi"
    )
    labels = [
        str(form.context["form"][name].label)
        for name in [
            "news_and_policy",
            "last_month_review",
            "next_month_tasks",
            "assignments",
            "criticism",
            "conclusion",
        ]
    ]
    assert labels == SECTIONS
    page = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    response = client.get(reverse("meetings:pdf", args=["X1-B1", meeting.pk]))
    pdf = " ".join(
        "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    for number, label in enumerate(SECTIONS, start=1):
        assert f"<dt>{label}</dt>" in page
        assert f"{number}. {label}" in pdf
