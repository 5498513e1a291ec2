from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.urls import get_resolver, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.log import log_response

from partyorg.documents import DocumentFailed
from partyorg.refusals import AddressRefused
from partyorg.second_factor import SECOND_FACTOR_SESSION_KEY
from partyorg.stored_files import StoredFileMissing


class RejectNullCharactersMiddleware:
    """A request with a NUL character in its path or in a GET or POST name or value
    answers 400 (templates/400.html).

    PostgreSQL cannot store or compare text holding NUL, so such a value would end as a
    server error wherever it reached a query; nobody types one. Undecodable bytes need
    nothing here: Django turns them into U+FFFD (query) or keeps them percent-encoded
    (path).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or any("\x00" in text for text in _texts(request)):
            # Answered here rather than raised, which would log a traceback for each.
            refusal = BadRequest("NUL character in the request")
            response = get_resolver().resolve_error_handler(400)(request, refusal)
            log_response("%s: %s", refusal, request.path, response=response, request=request)
            return response
        return self.get_response(request)


def _texts(request):
    sent = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    for data in sent:
        for name, values in data.lists():
            yield name
            yield from values


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose otherwise with the language switch.

    The browser's Accept-Language is ignored: offices often run English-language
    browsers, and the interface must still open in Vietnamese.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class SecondFactorMiddleware:
    """Users who turned on two-factor sign-in must enter their code before anything else.

    Whether they did is noted in the session at sign-in, so other requests cost no query.
    """

    OPEN_URL_NAMES = {"two_factor_verify", "logout", "set_language", "login"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and request.session.get(SECOND_FACTOR_SESSION_KEY)
            and not user.is_verified()
            and resolve(request.path_info).url_name not in self.OPEN_URL_NAMES
        ):
            return redirect_to_login(request.get_full_path(), reverse("two_factor_verify"))
        return self.get_response(request)


class NoStoreForSignedInUsersMiddleware:
    """Nothing sent to a signed-in user is kept by a browser cache or a proxy
    (Cache-Control: no-store): member and candidate pages, lists, exports and PDFs all
    carry personal data, and marking every response is the rule no new view can forget.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        return response


class CompressPagesMiddleware(GZipMiddleware):
    """Pages and JSON answers gzip-compressed for browsers that accept it: a province's
    report dashboard is 165 KB of HTML and 21 KB compressed, the difference a secretary's
    slow connection feels. Django's middleware rather than nginx's gzip: it pads each
    compressed response with random bytes against BREACH (pages carry CSRF tokens and
    echo what users type). Files (PDFs, workbooks, uploads) pass as they are: mostly
    compressed already, and a download keeps its length."""

    COMPRESSED_TYPES = ("text/html", "application/json")

    def process_response(self, request, response):
        if response.streaming or not response.get("Content-Type", "").startswith(
            self.COMPRESSED_TYPES
        ):
            return response
        return super().process_response(request, response)


class ErrorPageMiddleware:
    """An error the user should read about answers a page in the site's layout that
    says so: a value in the address the page does not keep (partyorg.refusals) with 400;
    a document that could not be rendered (partyorg.documents) with 503, as trying again
    later may work; a stored file missing from storage (partyorg.stored_files) with 404.
    The two faults of the server are logged where they happen."""

    PAGES = {
        AddressRefused: ("refused.html", 400),
        DocumentFailed: ("documents/failed.html", 503),
        StoredFileMissing: ("documents/missing_file.html", 404),
    }

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        for kind, (template, status) in self.PAGES.items():
            if isinstance(exception, kind):
                return render(request, template, {"message": str(exception)}, status=status)
        return None
