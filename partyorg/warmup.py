"""Everything a web process would otherwise load in its first requests, loaded at start.

A fresh gunicorn worker took 220–330 ms over its first page where the next took 20–60
(docs/performance.md, "A fresh worker's first request"): importing every view through
the URL configuration and indexing the URL names, reading the translation catalogues,
compiling the templates, reading the static files' manifest, and the cycle collector
walking all of that. Gunicorn's master runs this once before it forks
its workers (`preload_app`, deploy/gunicorn.conf.py), so every worker, including each
one it starts again after `max_requests`, serves its first request warm.

It opens no database connection: one opened in the master would be shared by every
forked worker.
"""

import contextlib
import gc
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import translation

from partyorg.widgets import FLAT_RENDERER

UNKNOWN_NAME = "no-such-url-name"


def warm_up() -> None:
    for code, _ in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Home")  # reads the language's catalogues
            _index_url_names(get_resolver())
    _compile_templates()
    # The manifest storage reads its manifest on first use; the default storage has none.
    getattr(staticfiles_storage, "hashed_files", None)
    # What was loaded lives as long as the process: the cycle collector need not walk it
    # again, and a forked worker then leaves the master's memory pages shared.
    gc.freeze()


def _index_url_names(resolver: URLResolver, namespace: str = "") -> None:
    """Each URL namespace's index of names, in the active language, as the first `reverse`
    through it builds it; the first one imports every urls module and, through them, every
    view. A name no namespace has makes `reverse` build the index and find nothing."""
    resolver.reverse_dict  # noqa: B018
    for name, (_, below) in resolver.namespace_dict.items():
        path = f"{namespace}{name}:"
        with contextlib.suppress(NoReverseMatch):
            reverse(f"{path}{UNKNOWN_NAME}")
        _index_url_names(below, path)


def _compile_templates() -> None:
    """Every template of the project's folders (TEMPLATES' DIRS), and Django's form
    templates for each form renderer (each keeps its own engine), into the cached
    loaders' memory."""
    engine = engines["django"]
    for folder in map(Path, engine.engine.dirs):
        for path in sorted(folder.rglob("*.html")):
            engine.get_template(path.relative_to(folder).as_posix())
    form_templates = Path(forms.__file__).parent / "templates"
    for renderer in (get_default_renderer(), FLAT_RENDERER):
        for path in sorted(form_templates.rglob("*.html")):
            renderer.get_template(path.relative_to(form_templates).as_posix())
