"""Optional two-factor sign-in with an authenticator app (TOTP), for officers."""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from branches.queries import is_officer
from partyorg.second_factor import SECOND_FACTOR_SESSION_KEY


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6-digit code from your authenticator app"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """Second step of sign-in for users with a confirmed authenticator."""
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not valid. Check your phone's clock and retry."))
    return render(
        request, "registration/two_factor_verify.html", {"form": form, "next": _safe_next(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def setup(request):
    """Turn on two-factor sign-in: scan the QR code, then confirm with a first code."""
    if not is_officer(request.user):
        raise PermissionDenied
    if user_has_device(request.user):
        return render(request, "registration/two_factor_setup.html", {"enabled": True})
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("two_factor_setup")
        form.add_error("token", _("This code is not valid. Check your phone's clock and retry."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=5)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": qr_svg,
            "secret": b32encode(device.bin_key).decode(),
        },
    )


@login_required
@require_POST
def disable(request):
    if not request.user.is_verified():
        raise PermissionDenied
    TOTPDevice.objects.filter(user=request.user).delete()
    request.session[SECOND_FACTOR_SESSION_KEY] = False
    messages.success(request, _("Two-factor sign-in is off."))
    return redirect("two_factor_setup")
