"""A member's own account reaches its own pages and nothing else: every other page
answers 404, whatever its view checks (which, starting from the scoped querysets, show
such an account nothing anyway)."""

from django.http import Http404

from branches.queries import own_record_only

# Pages of one's own: the personal pages, the home page (which sends a member to theirs),
# the account's password, second factor and reminder settings, signing in and out.
OWN_NAMESPACES = {"personal"}
OWN_PAGES = {
    "home",
    "login",
    "logout",
    "set_language",
    "password_change",
    "two_factor_setup",
    "two_factor_disable",
    "two_factor_verify",
    "reminder_settings",
}


class OwnRecordOnlyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match.namespace in OWN_NAMESPACES or match.url_name in OWN_PAGES:
            return None
        if own_record_only(request.user):
            raise Http404
        return None
