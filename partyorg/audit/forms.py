from django import forms
from django.utils.translation import gettext_lazy as _

from partyorg.audit.queries import KIND_CHOICES


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Record"), choices=[("", _("All records")), *KIND_CHOICES], required=False
    )
    user = forms.CharField(label=_("Changed by (user name)"), max_length=150, required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data
