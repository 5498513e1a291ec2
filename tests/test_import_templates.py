"""Every kind of import offers its template workbook to those who may import."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from office.imports.registry import RESOURCES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [kind.value for kind in RESOURCES])
def test_template_of_every_import_kind_downloads(world, as_user, kind):
    response = as_user(world.officer).get(reverse("imports:template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    assert load_workbook(io.BytesIO(response.content)).sheetnames
