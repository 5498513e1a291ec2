"""A stored file whose bytes are gone from storage (a database restored without its media
folder): the user gets a page that says so, in Vietnamese and English, nothing is recorded
as opened or downloaded, and the server does not answer 500."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from branchwork.models import NoticeFileOpening
from partyorg.enums import ExportKind, PreparedExportStatus
from partyorg.models import ExportRecord, PreparedExport
from reports.enums import ReportFormat, ReportStatus
from reports.models import GeneratedReport
from tests.factories import make_member
from tests.test_meeting_documents import member_account, shared

pytestmark = pytest.mark.django_db

MISSING_EN = "The file is missing from the server"
MISSING_VI = "Tệp không còn trong kho lưu trữ của máy chủ"


def lose(file) -> None:
    default_storage.delete(file.name)


def test_a_member_opening_a_lost_document_is_told_and_nothing_is_recorded(world):
    member = make_member(world.branch_a)
    notice_file = shared(world.branch_a, by=world.secretary).files.get()
    lose(notice_file.file)
    client = member_account(member, world.secretary)
    url = reverse("personal:document", args=[notice_file.pk])

    response = client.get(url)
    assert response.status_code == 404 and MISSING_EN in response.text
    client.cookies["django_language"] = "vi"
    assert MISSING_VI in client.get(url).text
    assert not NoticeFileOpening.objects.exists()


def test_the_office_copy_of_a_lost_document(world, as_user):
    notice_file = shared(world.branch_a, by=world.secretary).files.get()
    lose(notice_file.file)
    url = reverse("meetings:notice_file", args=["X1-B1", notice_file.pk])
    response = as_user(world.secretary).get(url)
    assert response.status_code == 404 and MISSING_EN in response.text


def test_a_lost_prepared_export_is_not_recorded_as_downloaded(world, as_user):
    prepared = PreparedExport.objects.create(
        user=world.officer,
        kind=ExportKind.POSITIONS,
        status=PreparedExportStatus.DONE,
        rows=0,
        file=ContentFile(b"PK", name="chuc-vu.xlsx"),
    )
    lose(prepared.file)
    url = reverse("imports:prepared_export_download", args=[prepared.pk])
    response = as_user(world.officer).get(url)
    assert response.status_code == 404 and MISSING_EN in response.text
    assert not ExportRecord.objects.exists()


def test_a_lost_report_file_is_not_recorded_as_downloaded(world, as_user):
    generated = GeneratedReport.objects.create(
        node=world.district,
        year=2025,
        format=ReportFormat.XLSX,
        status=ReportStatus.DONE,
        requested_by=world.officer,
        file=ContentFile(b"PK", name="bao-cao.xlsx"),
    )
    lose(generated.file)
    url = reverse("reports:file_download", args=[generated.pk])
    response = as_user(world.officer).get(url)
    assert response.status_code == 404 and MISSING_EN in response.text
    assert not ExportRecord.objects.exists()
