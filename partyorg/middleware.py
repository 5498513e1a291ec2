from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.middleware.locale import LocaleMiddleware
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from partyorg.two_factor import SECOND_FACTOR_SESSION_KEY


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
