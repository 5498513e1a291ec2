"""Party documents (DOMAIN.md §8) rendered to PDF with WeasyPrint.

Templates extend templates/documents/base_document.html and link their stylesheets with
{% static %}; those links are served from the static finders, never over the network.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher, path2url

_BASE_URL = "https://document.invalid/"


class StaticFetcher(URLFetcher):
    """Serves {% static %} links from the static finders and refuses everything else, so
    rendering a document never touches the network."""

    def __init__(self):
        super().__init__(allowed_protocols={"file", "data"}, fail_on_errors=True)

    def fetch(self, url, headers=None):
        static_path = "/" + settings.STATIC_URL.lstrip("/")
        if url.startswith(_BASE_URL) and urlsplit(url).path.startswith(static_path):
            found = finders.find(urlsplit(url).path.removeprefix(static_path))
            if found:
                return super().fetch(path2url(found), headers)
        return super().fetch(url, headers)


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    html = render_to_string(template_name, context, request=request)
    return HTML(string=html, base_url=_BASE_URL, url_fetcher=StaticFetcher()).write_pdf()


def pdf_response(template_name: str, context: dict, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(
        render_pdf(template_name, context, request=request), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
