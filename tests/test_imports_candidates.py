import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from admission.enums import DocumentCode, Stage
from admission.models import Candidate
from partyorg.enums import ImportStatus
from partyorg.models import ImportBatch
from tests.factories_imports import xlsx_bytes

pytestmark = pytest.mark.django_db


def candidate_row(national_id="046200000001", branch="X1-B1", **overrides):
    row = {
        "Số CCCD": national_id,
        "Họ và tên": "Hoàng Thị Mai",
        "Giới tính": "Nữ",
        "Ngày sinh": "12/04/2000",
        "Dân tộc": "Kinh",
        "Tôn giáo": "Không",
        "Quê quán": "Hương Phú",
        "Nơi ở hiện nay": "Thôn 1",
        "Giáo dục phổ thông": "12/12",
        "Vùng được áp dụng ngoại lệ học vấn": "",
        "Văn bản cho phép ngoại lệ": "",
        "Chuyên môn": "Đại học",
        "Lý luận chính trị": "Không",
        "Nghề nghiệp": "Giáo viên",
        "Nguồn giới thiệu": "Đoàn Thanh niên",
        "Mã chi bộ": branch,
        "Ngày phát hiện": "02/03/2025",
        "Ngày hoàn thành lớp nhận thức về Đảng": "20/05/2025",
        "Số giấy chứng nhận": "CN-125",
    }
    row.update(overrides)
    return row


def run(client, rows, name="quan-chung.xlsx"):
    client.post(
        reverse("imports:index"),
        {"kind": "candidates", "file": SimpleUploadedFile(name, xlsx_bytes(rows))},
    )
    batch = ImportBatch.objects.latest("pk")
    if batch.status == ImportStatus.CHECKED:
        client.post(reverse("imports:apply", args=[batch.pk]))
        batch.refresh_from_db()
    return batch


def test_candidates_open_files_with_their_course_and_history(world, as_user):
    client = as_user(world.officer)
    batch = run(
        client,
        [
            candidate_row(),
            candidate_row(
                "046200000002", "X1-B2", **{"Họ và tên": "Lê Văn Nam", "Giới tính": "Nam"}
            ),
        ],
    )
    assert batch.status == ImportStatus.APPLIED, batch.errors
    mai = Candidate.objects.get(national_id="046200000001")
    assert (mai.full_name, mai.branch, mai.stage) == (
        "Hoàng Thị Mai",
        world.branch_a,
        Stage.TRAINED,
    )
    assert mai.course_date == datetime.date(2025, 5, 20)
    assert mai.documents.filter(code=DocumentCode.COURSE_CERTIFICATE).exists()
    latest = mai.history.latest()
    assert latest.history_user == world.officer
    assert f"#{batch.pk}" in latest.history_change_reason


def test_same_file_twice_changes_nothing(world, as_user):
    client = as_user(world.officer)
    run(client, [candidate_row()])
    versions = Candidate.history.count()
    again = run(client, [candidate_row()])
    assert again.status == ImportStatus.APPLIED
    assert Candidate.objects.count() == 1
    assert Candidate.history.count() == versions


def test_a_correction_updates_personal_data_but_not_the_course(world, as_user):
    client = as_user(world.officer)
    run(client, [candidate_row()])
    run(
        client,
        [
            candidate_row(
                **{
                    "Nơi ở hiện nay": "Thôn 4",
                    "Ngày hoàn thành lớp nhận thức về Đảng": "01/06/2025",
                }
            )
        ],
    )
    mai = Candidate.objects.get()
    assert mai.residence == "Thôn 4"
    assert mai.course_date == datetime.date(2025, 5, 20)


@pytest.mark.parametrize(
    ("overrides", "column"),
    [
        ({"Số CCCD": "12345"}, "Số CCCD"),
        ({"Mã chi bộ": "H2-CB"}, "Mã chi bộ"),  # outside the officer's subtree
        ({"Mã chi bộ": "X1"}, "Mã chi bộ"),  # a committee, not a branch
        ({"Ngày sinh": "31/02/2000"}, "Ngày sinh"),
        # Primary education needs the area exception: the error names that column.
        ({"Giáo dục phổ thông": "5/12"}, "Vùng được áp dụng ngoại lệ học vấn"),
        ({"Số giấy chứng nhận": ""}, "Số giấy chứng nhận"),
        ({"Nguồn giới thiệu": "Câu lạc bộ"}, "Nguồn giới thiệu"),
    ],
)
def test_bad_rows_save_nothing(world, as_user, overrides, column):
    batch = run(
        as_user(world.officer), [candidate_row(), candidate_row("046200000009", **overrides)]
    )
    assert batch.status == ImportStatus.REJECTED
    # Spreadsheet row numbers: the header is row 1, the second data row is row 3.
    assert [e["column"] for e in batch.errors if e.get("row") == 3] == [column]
    assert not Candidate.objects.exists()


def test_secretary_imports_only_into_their_branch(world, as_user):
    batch = run(as_user(world.secretary), [candidate_row(branch="X1-B2")])
    assert batch.status == ImportStatus.REJECTED
    assert not Candidate.objects.exists()


def test_candidate_template_documents_every_column(world, as_user):
    import io

    import openpyxl

    response = as_user(world.officer).get(reverse("imports:template", args=["candidates"]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers == list(candidate_row())
    documented = {row[0].value for row in book.worksheets[1].iter_rows(min_row=2)}
    assert set(headers) <= documented
