"""Uploads: size limits, types judged by content (not by name), safe stored names."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partyorg.imports import files
from partyorg.models import ImportBatch
from tests.factories_imports import member_row, xlsx_bytes

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64 + b"This program"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def upload(client, name, content):
    return client.post(
        reverse("imports:index"), {"kind": "members", "file": SimpleUploadedFile(name, content)}
    )


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("danh-sach.xlsx", EXE, "not an Excel workbook"),
        ("danh-sach.csv", EXE, "not a CSV text file"),
        ("danh-sach.exe", EXE, "Upload an Excel workbook"),
        ("danh-sach.csv", HTML, "web page or a script"),
        ("danh-sach.csv", b"\xef\xbb\xbf\n  <svg onload=alert(1)>", "web page or a script"),
        ("danh-sach.csv", b"Ho va ten\nAn\x00\n", "not a CSV text file"),
        ("danh-sach.xlsx", HTML, "not an Excel workbook"),
        ("danh-sach.html", HTML, "Upload an Excel workbook"),
        ("danh-sach.xlsx", zipped({"word/document.xml": b"<w/>"}), "not an Excel workbook"),
        (
            "danh-sach.xlsx",
            zipped({"xl/workbook.xml": b"<w/>", "xl/vbaProject.bin": b"macro"}),
            "macros",
        ),
        (
            "danh-sach.xlsx",
            zipped(
                {"xl/workbook.xml": b"<w/>", "xl/big.xml": b"0" * (files.MAX_UNPACKED_BYTES + 1)}
            ),
            "too much data",
        ),
    ],
)
def test_renamed_and_disguised_files_are_refused(world, as_user, name, content, message):
    response = upload(as_user(world.officer), name, content)
    assert response.status_code == 200
    assert message in str(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


def test_too_large_a_file_is_refused(world, as_user, monkeypatch):
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1000)
    monkeypatch.setattr("office.imports.forms.MAX_UPLOAD_BYTES", 1000)
    content = xlsx_bytes([member_row(str(10000000 + i)) for i in range(30)])
    assert len(content) > 1000
    response = upload(as_user(world.officer), "dang-vien.xlsx", content)
    assert "larger than" in str(response.context["form"].errors["file"])
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("..\\..\\windows\\dang-vien.xlsx", "dang-vien.xlsx"),
        ("<img src=x onerror=alert(1)>.xlsx", "&lt;img src=x onerror=alert(1)&gt;.xlsx"),
    ],
)
def test_stored_under_a_random_name_and_shown_escaped(world, as_user, name, shown):
    client = as_user(world.officer)
    response = upload(client, name, xlsx_bytes([member_row()]))
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert batch.stored_file.startswith("imports/") and batch.stored_file.endswith(".xlsx")
    assert ".." not in batch.stored_file and "<" not in batch.stored_file
    assert "/" not in batch.file_name and "\\" not in batch.file_name
    page = client.get(batch.get_absolute_url()).content.decode()
    assert shown in page and "<img src=x" not in page


def test_request_limits_are_set():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == 5 * 2**20
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 5 * 2**20
    assert settings.DATA_UPLOAD_MAX_NUMBER_FIELDS >= 6000
    assert files.MAX_UPLOAD_BYTES == settings.IMPORT_MAX_UPLOAD_BYTES


def test_an_oversized_form_post_is_refused_before_any_view(world, as_user):
    client = as_user(world.officer)
    big = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(reverse("members:create"), {"full_name": big})
    assert response.status_code == 400
