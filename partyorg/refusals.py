"""The page of a value in an address that a page refuses (a year it does not keep, a day
that is not an award day): 400, with why, and nothing done."""

from django.shortcuts import render
from django.utils.translation import gettext as _


def refused(request, explanation: str):
    context = {"heading": _("Bad request"), "explanation": explanation, "code": 400}
    return render(request, "refused.html", context, status=400)
