"""Every kind of import offers its template workbook to those who may import, and every
kind with an export gives its records back, in both languages (a kind's Vietnamese label
names the sheet, and Excel refuses some characters in a sheet's name)."""

import io

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from office.imports.registry import RESOURCES, resource_class

pytestmark = pytest.mark.django_db
LANGUAGES = [code for code, _name in settings.LANGUAGES]
EXPORTED = [kind.value for kind in RESOURCES if hasattr(resource_class(kind), "exported")]


def workbook_of(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    return load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", [kind.value for kind in RESOURCES])
def test_template_of_every_import_kind_downloads(world, as_user, kind, language):
    client = as_user(world.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert workbook_of(client.get(reverse("imports:template", args=[kind]))).sheetnames


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", EXPORTED)
def test_every_export_downloads(world, as_user, kind, language):
    client = as_user(world.officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    assert workbook_of(client.get(reverse("imports:export", args=[kind]))).sheetnames
