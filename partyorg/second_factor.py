"""Whether a signed-in user still owes the code of their authenticator app: noted in the
session at sign-in (two-factor sign-in is optional), read by SecondFactorMiddleware."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

SECOND_FACTOR_SESSION_KEY = "second_factor_required"


@receiver(user_logged_in)
def note_second_factor(sender, request, user, **kwargs):
    request.session[SECOND_FACTOR_SESSION_KEY] = user_has_device(user)
