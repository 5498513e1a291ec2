"""Scanned signed copies attached to an issued document through its page: a PDF or an
image by its bytes and name, within the size limit; anything else refused, nothing kept."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from papers import domain
from papers.enums import DocumentType
from papers.models import Document, ScannedCopy

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def letter(world):
    draft = Document(
        node=world.branch_a,
        doc_type=DocumentType.LETTER,
        summary="Về việc chuyển sinh hoạt đảng",
        created_by=world.secretary,
    )
    return domain.issue(draft, on=datetime.date(2025, 5, 2), signer=None, by=world.secretary)


def attach(client, document, name, content):
    return client.post(
        reverse("papers:document", args=[document.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )


def test_a_scan_is_attached_and_downloaded_in_scope(world, as_user, letter):
    client = as_user(world.secretary)
    assert attach(client, letter, "bien-ban-ky.pdf", PDF).status_code == 302
    assert attach(client, letter, "trang-2.PNG", PNG).status_code == 302
    scans = list(letter.scans.order_by("id"))
    assert [s.content_type for s in scans] == ["application/pdf", "image/png"]
    assert scans[0].history.first().history_user == world.secretary

    page = client.get(reverse("papers:document", args=[letter.pk])).content.decode()
    assert reverse("papers:scan", args=[scans[1].pk]) in page
    assert ".pdf" not in page, "a letter written outside the app has no printed form here"
    download = client.get(reverse("papers:scan", args=[scans[0].pk]))
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    outsider = as_user(world.outsider)
    assert outsider.get(reverse("papers:scan", args=[scans[0].pk])).status_code == 404
    assert outsider.get(reverse("papers:document", args=[letter.pk])).status_code == 404
    viewer = as_user(world.viewer)
    assert attach(viewer, letter, "x.pdf", PDF).status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 20, "Attach a scan as a PDF, PNG or JPEG file."),
        ("scan.png", PDF, "Attach a scan as a PDF, PNG or JPEG file."),
        ("scan.pdf", b"%PDF-" + b"0" * 2048, "The file is larger than 0 MB."),
    ],
)
def test_anything_but_a_scan_is_refused(world, as_user, letter, settings, name, content, message):
    settings.PARTYORG = {**settings.PARTYORG, "SCAN_MAX_BYTES": 1024}
    response = attach(as_user(world.secretary), letter, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ScannedCopy.objects.exists()
