"""The corrections to Vietnam's working calendar (partyorg.workdays): officers record the
days off and the swapped working days the government announces. The holidays the
`holidays` package already knows are shown beside them for the year."""

import holidays
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from branches.queries import can_write, is_officer
from partyorg.models import Holiday
from partyorg.years import offered_years, parse_year


class HolidayForm(forms.ModelForm):
    class Meta:
        model = Holiday
        fields = ["date", "name", "working_day"]
        widgets = {"date": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})}
        labels = {"working_day": gettext_lazy("A working day (a weekend day worked in a swap)")}


# Days off are kept from 1990, and corrections entered up to ten years ahead.
FIRST_YEAR = 1990
YEARS_AHEAD = 10


def _require_officer(user) -> None:
    if not (is_officer(user) and can_write(user)):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def holiday_list(request):
    """A year's statutory days off (from the package) and the announced corrections, with
    the form adding one; a POST with `remove` takes out a correction entered by mistake
    (its history keeps it, with who removed it)."""
    _require_officer(request.user)
    this_year = timezone.localdate().year
    year = parse_year(
        request.GET.get("year"),
        first=FIRST_YEAR,
        last=this_year + YEARS_AHEAD,
        kept=_(
            "Days off are shown for the years %(first)d to %(last)d; "
            "“%(value)s” is not one of them."
        ),
    )
    if "remove" in request.POST:
        holiday = get_object_or_404(Holiday, pk=request.POST["remove"])
        holiday.delete()
        messages.success(request, _("The correction was removed."))
        return redirect(f"{reverse('holidays')}?year={holiday.date.year}")
    form = HolidayForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        messages.success(request, _("%(day)s was saved.") % {"day": f"{saved.date:%d/%m/%Y}"})
        return redirect(f"{reverse('holidays')}?year={saved.date.year}")
    language = "vi" if get_language() == "vi" else "en_US"
    statutory = sorted(holidays.country_holidays("VN", years=year, language=language).items())
    context = {
        "form": form,
        "year": year,
        "years": offered_years(year, newest=this_year + 1, count=5),
        "corrections": Holiday.objects.filter(date__year=year),
        "statutory": statutory,
    }
    return render(request, "office/holidays.html", context)
