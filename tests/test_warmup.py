"""A web process loads at start what its first requests would otherwise load
(partyorg/warmup.py): every template compiled, nothing read from the database."""

import gc
from pathlib import Path

import pytest
from django.conf import settings
from django.template import engines

from partyorg.warmup import warm_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached_loader():
    """The template loader that keeps compiled templates, emptied for the test; the cycle
    collector's frozen objects given back afterwards."""
    (loader,) = engines["django"].engine.template_loaders
    loader.reset()
    yield loader
    gc.unfreeze()


def test_warm_up_compiles_every_template_without_a_query(cached_loader, django_assert_num_queries):
    folder = Path(settings.BASE_DIR) / "templates"
    names = {path.relative_to(folder).as_posix() for path in folder.rglob("*.html")}
    assert names and not names & set(cached_loader.get_template_cache)

    with django_assert_num_queries(0):
        warm_up()

    assert names <= set(cached_loader.get_template_cache)
    assert gc.get_freeze_count() > 0
