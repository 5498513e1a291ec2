"""Every import kind's template: Vietnamese headers, a guide line per column, and the
examples (when the kind has them) in the same columns."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from office.imports.registry import RESOURCES, resource_class

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", [kind.value for kind in RESOURCES])
def test_template_has_guide_and_examples_in_its_columns(world, as_user, kind):
    response = as_user(world.officer).get(reverse("imports:template", args=[kind]))
    book = load_workbook(io.BytesIO(response.content))
    headers = [cell.value for cell in book.worksheets[0][1]]
    guide = [row[0] for row in book["Hướng dẫn"].iter_rows(min_row=2, values_only=True)]
    assert guide == headers
    examples = getattr(resource_class(kind), "examples", None)
    if examples:
        sample = list(book["Ví dụ"].values)
        assert list(sample[0]) == headers
        assert all(len(line) == len(headers) for line in examples)
        assert len(sample) == len(examples) + 1
