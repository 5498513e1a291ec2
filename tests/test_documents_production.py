"""Documents under the production static storage: after collectstatic, {% static %} names
hashed files that only the static storage knows (DEBUG is off in tests, as in production).
Before this was handled, every PDF ended the gunicorn worker that rendered it."""

import io

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from branchwork.months import previous_month
from partyorg.documents import read_static
from tests.factories import make_member
from tests.factories_admission import make_candidate
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

PRODUCTION_STORAGES = [
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    # settings.py's STORAGES when DEBUG is off.
    "whitenoise.storage.CompressedManifestStaticFilesStorage",
]


@pytest.fixture(scope="module", params=PRODUCTION_STORAGES)
def collected_static(request, tmp_path_factory):
    """collectstatic into a temporary STATIC_ROOT under a production storage, which stays
    in force for the test."""
    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": request.param}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def fonts(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def uses_document_stylesheet(pdf: bytes) -> bool:
    """The party document stylesheets set Liberation Serif; WeasyPrint's default is not."""
    return any("Liberation-Serif" in name for name in fonts(pdf))


def test_static_names_are_hashed_under_the_manifest_storage(collected_static):
    hashed = staticfiles_storage.url("css/document.css")
    assert hashed != "/static/css/document.css" and hashed.endswith(".css")
    name = hashed.removeprefix("/static/")
    assert (collected_static / name).exists()
    assert read_static(name) == (collected_static / name).read_bytes()


def test_minutes_pdf_renders_with_its_stylesheet(collected_static, world, as_user):
    members = [make_member(world.branch_a, full_name=f"Nguyễn Văn Ất {n}") for n in range(3)]
    day = previous_month(timezone.localdate())[0].replace(day=5)
    meeting = record(world.branch_a, day, chair=members[0], minute_taker=members[1])
    response = as_user(world.secretary).get(
        reverse("meetings:pdf", args=[world.branch_a.code, meeting.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert uses_document_stylesheet(response.content)


def test_admission_checklist_pdf_renders_with_its_stylesheet(collected_static, world, as_user):
    candidate = make_candidate(world.branch_a)
    response = as_user(world.officer).get(reverse("admission:checklist", args=[candidate.pk]))
    assert response.status_code == 200
    assert uses_document_stylesheet(response.content)
