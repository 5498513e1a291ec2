"""A badge list too long for a PDF written while the user waits (a province's list is 567
pages, past the web server's timeout): the print page offers the background, the task
worker writes the PDF the request would have, for the one who asked."""

import datetime
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from partyorg.enums import ExportKind
from partyorg.models import ExportRecord, PreparedExport
from tests.factories_lifecycle import dated_member

pytestmark = pytest.mark.django_db
AWARD_DAY = {"date": "2025-09-02"}


@pytest.fixture(autouse=True)
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def due(world):
    """Three members due their 30-year badge on 2/9/2025, in two branches."""
    return [
        dated_member(world.branch_a, datetime.date(1995, 8, 1), full_name="Lê Văn Một"),
        dated_member(world.branch_a, datetime.date(1995, 8, 2), full_name="Lê Văn Hai"),
        dated_member(world.branch_b, datetime.date(1995, 8, 3), full_name="Lê Văn Ba"),
    ]


def text_of(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_a_long_badge_list_pdf_is_written_by_the_worker_for_its_requester(
    world, as_user, due, settings
):
    client = as_user(world.officer)
    asked = AWARD_DAY | {"node": world.district.code, "format": "pdf"}
    print_url = reverse("record_work:badges_print")
    at_once = client.get(print_url, asked)
    assert at_once["Content-Type"] == "application/pdf"

    settings.PDF_BACKGROUND_ROWS = len(due) - 1
    exports_recorded = ExportRecord.objects.count()
    offer = client.get(print_url, asked)
    assert offer["Content-Type"].startswith("text/html")
    assert b"This export has 3 rows" in offer.content
    assert ExportRecord.objects.count() == exports_recorded
    prepare_url = reverse("imports:prepare_export", args=[ExportKind.BADGE_LIST])
    assert prepare_url.encode() in offer.content

    posted = {"node": world.district.code, "format": "pdf", **AWARD_DAY}
    status_page = client.post(prepare_url, posted)
    prepared = PreparedExport.objects.get()
    assert status_page.url == prepared.get_absolute_url()
    assert (prepared.status, prepared.rows, prepared.user) == ("done", 3, world.officer)
    page = client.get(status_page.url)
    assert reverse("record_work:badges").encode() in page.content
    assert f"{world.district.name} · 02/09/2025" in page.content.decode()

    download = client.get(reverse("imports:prepared_export_download", args=[prepared.pk]))
    assert download["Content-Type"] == "application/pdf"
    name = f"huy-hieu-{world.district.code}-2025-09-02.pdf"
    assert download["Content-Disposition"] == f'attachment; filename="{name}"'
    written = text_of(b"".join(download.streaming_content))
    assert written == text_of(at_once.content)
    assert all(member.full_name in written for member in due)
    record = ExportRecord.objects.latest("pk")
    assert (record.kind, record.rows, record.user) == (ExportKind.BADGE_LIST, 3, world.officer)

    assert as_user(world.outsider).get(status_page.url).status_code == 404


@pytest.mark.parametrize(
    "posted",
    [
        {"node": "elsewhere", "date": "2025-09-02"},
        {"date": "2025-09-02"},
        {"node": "district", "date": "2025-09-03"},
        {"node": "district", "date": "2025-02-30"},
    ],
    ids=["another-scope", "no-organization", "not-an-award-day", "no-such-day"],
)
def test_only_an_award_day_of_ones_own_organization_is_prepared(world, as_user, due, posted):
    codes = {"elsewhere": world.other_district.code, "district": world.district.code}
    if "node" in posted:
        posted = posted | {"node": codes[posted["node"]]}
    client = as_user(world.officer)
    url = reverse("imports:prepare_export", args=[ExportKind.BADGE_LIST])
    assert client.post(url, posted | {"format": "pdf"}).status_code == 404
    assert not PreparedExport.objects.exists()
