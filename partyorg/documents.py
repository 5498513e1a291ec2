"""Party documents (DOMAIN.md §8) rendered to PDF with WeasyPrint.

Templates extend templates/documents/base_document.html and link their stylesheets with
{% static %}; those links are served from the static files on this machine, never over
the network. Every PDF of the project is written here, so a document that cannot be
rendered fails in one way: DocumentFailed, which the views show as a page
(partyorg.middleware.ErrorPageMiddleware) and tasks and commands report.
"""

import logging
import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from weasyprint import CSS, HTML
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from partyorg.collector import cycle_collection_paused

logger = logging.getLogger(__name__)

_BASE_URL = "https://document.invalid/"


class DocumentFailed(Exception):
    """A document could not be rendered; the cause is logged and chained."""

    def __init__(self):
        super().__init__(
            _(
                "The document could not be printed. Nothing was changed; try again in a few "
                "minutes, and if it fails again tell the administrator."
            )
        )


def read_static(name: str) -> bytes | None:
    """A static file by its source name (the finders know it: DEBUG on, tests) or by its
    collected name (hashed by the manifest storage in production: only the static storage
    knows it); None when neither has it."""
    if found := finders.find(name):
        return Path(found).read_bytes()
    if staticfiles_storage.exists(name):
        with staticfiles_storage.open(name) as stored:
            return stored.read()
    return None


class StaticFetcher(URLFetcher):
    """Serves {% static %} links from the static files and refuses everything else, so
    rendering a document never touches the network."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        static_path = "/" + settings.STATIC_URL.lstrip("/")
        path = urlsplit(url).path
        if url.startswith(_BASE_URL) and path.startswith(static_path):
            name = path.removeprefix(static_path)
            if (body := read_static(name)) is not None:
                content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
                return URLFetcherResponse(url, body, {"Content-Type": content_type})
        return super().fetch(url, headers)


def write_pdf(html: str, *, template_name: str, stylesheets: Iterable[str] = ()) -> bytes:
    """`html` as a PDF, with the static `stylesheets` (names like "css/x.css") added.

    Any failure of WeasyPrint, including its FatalURLFetchingError (a BaseException that
    would otherwise end the worker process), becomes DocumentFailed; KeyboardInterrupt and
    SystemExit pass.
    """
    fetcher = StaticFetcher()
    try:
        extra = [
            CSS(url=urljoin(_BASE_URL, staticfiles_storage.url(name)), url_fetcher=fetcher)
            for name in stylesheets
        ]
        with cycle_collection_paused():
            return HTML(string=html, base_url=_BASE_URL, url_fetcher=fetcher).write_pdf(
                stylesheets=extra
            )
    except (Exception, FatalURLFetchingError) as error:
        logger.exception("rendering %s to PDF failed", template_name)
        raise DocumentFailed from error


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return write_pdf(html, template_name=template_name)


def pdf_file_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def pdf_response(template_name: str, context: dict, filename: str, request=None) -> HttpResponse:
    return pdf_file_response(render_pdf(template_name, context, request=request), filename)
