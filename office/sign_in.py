"""Signing in, with django-axes' lockout told in the site's words: how many attempts are
left after a failure, and when a lock lifts."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.shortcuts import render


class SignInView(LoginView):
    redirect_authenticated_user = True

    def form_invalid(self, form):
        context = self.get_context_data(form=form)
        # Set by axes when it counted this request as a failed attempt.
        failures = getattr(self.request, "axes_failures_since_start", None)
        if failures:
            credentials = {"username": form.data.get("username", "")}
            context["attempts_left"] = get_failure_limit(self.request, credentials) - failures
            context["pause_minutes"] = int(get_cool_off(self.request).total_seconds() // 60)
        return self.render_to_response(context)


def lock_lifts_at(request, credentials):
    """When the failures counted against this request drop below the limit.

    Failures count while their attempt is younger than the cool-off, oldest first out: the
    lock lifts when the newest attempts that still make up the limit grow too old.
    """
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    lifts = []
    for attempts in AxesProxyHandler.get_implementation().get_user_attempts(request, credentials):
        counted = 0
        for attempt_time, failures in attempts.order_by("-attempt_time").values_list(
            "attempt_time", "failures_since_start"
        ):
            counted += failures
            if counted >= limit:
                lifts.append(attempt_time + cool_off)
                break
    return max(lifts, default=None)


def locked_out(request, original_response, credentials):
    """django-axes' lockout response (AXES_LOCKOUT_CALLABLE): the site's page."""
    return render(
        request,
        "registration/locked_out.html",
        {
            "lifts_at": lock_lifts_at(request, credentials),
            "failure_limit": get_failure_limit(request, credentials),
        },
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
