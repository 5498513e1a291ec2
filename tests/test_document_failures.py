"""A document that cannot be rendered never escapes a request, a task or the command:
the page says so in the site's layout, the background report is marked failed, the
command exits with a message. The failure here is a real one of production: the
collected static files lack a stylesheet that the manifest names (a deployment whose
collectstatic did not finish)."""

import logging

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from branchwork.months import previous_month
from reports.enums import ReportStatus
from reports.models import GeneratedReport
from tests.factories import make_member
from tests.factories_meetings import record

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def stylesheet_missing(tmp_path):
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", interactive=False, verbosity=0)
        (tmp_path / staticfiles_storage.stored_name("css/document.css")).unlink()
        yield


@pytest.fixture
def meeting(world):
    members = [make_member(world.branch_a) for _ in range(3)]
    day = previous_month(timezone.localdate())[0].replace(day=5)
    return record(world.branch_a, day, chair=members[0], minute_taker=members[1])


def test_minutes_pdf_answers_a_page_in_the_layout(
    stylesheet_missing, world, meeting, as_user, caplog
):
    client = as_user(world.secretary)
    url = reverse("meetings:pdf", args=[world.branch_a.code, meeting.pk])
    with caplog.at_level(logging.ERROR, logger="partyorg.documents"):
        response = client.get(url)
    assert response.status_code == 503
    page = response.content.decode()
    assert 'class="topbar"' in page and reverse("members:list") in page
    assert 'id="error-page"' in page and "could not be printed" in page
    assert "FatalURLFetchingError" in caplog.text and "document." in caplog.text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    assert "Không in được văn bản" in client.get(url).content.decode()


def test_report_pdf_answers_a_page(stylesheet_missing, world, as_user):
    response = as_user(world.officer).get(
        reverse("reports:report_file", args=[world.district.code, YEAR, "pdf"])
    )
    assert response.status_code == 503
    assert 'id="error-page"' in response.content.decode()


def test_background_report_is_marked_failed(stylesheet_missing, world, as_user, settings):
    settings.REPORT_BACKGROUND_MEMBERS = -1  # every subtree goes to the background
    client = as_user(world.officer)
    client.post(reverse("reports:generate", args=[world.district.code, YEAR]), {"format": "pdf"})
    generated = GeneratedReport.objects.get()
    assert generated.status == ReportStatus.FAILED and generated.finished_at
    assert "could not be printed" in generated.message
    page = client.get(generated.get_absolute_url()).content.decode()
    assert "could not be printed" in page and "refresh" not in page


def test_annual_report_command_exits_with_a_message(stylesheet_missing, world, tmp_path):
    target = tmp_path / "report.pdf"
    with pytest.raises(CommandError, match=r"could not be printed.*FatalURLFetchingError"):
        call_command("annual_report", world.district.code, str(YEAR), "--output", str(target))
    assert not target.exists()


def test_an_interrupt_while_rendering_is_not_swallowed(world, meeting, as_user, monkeypatch):
    def interrupted(name):
        raise KeyboardInterrupt

    monkeypatch.setattr("partyorg.documents.read_static", interrupted)
    with pytest.raises(KeyboardInterrupt):
        as_user(world.secretary).get(
            reverse("meetings:pdf", args=[world.branch_a.code, meeting.pk])
        )
