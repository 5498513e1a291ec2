from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from office.audit.kinds import KIND_CHOICES


class AuditFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Record"), choices=[("", _("All records")), *KIND_CHOICES], required=False
    )
    organization = forms.CharField(
        label=_("Organization (code)"),
        max_length=50,
        required=False,
        help_text=_("Only the changes of this organization and those under it."),
    )
    user = forms.CharField(label=_("Changed by (user name)"), max_length=150, required=False)
    since = forms.DateField(
        label=pgettext_lazy("start of a period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.organizations = organizations

    def clean_organization(self):
        code = self.cleaned_data["organization"].strip()
        if not code:
            return None
        node = self.organizations.filter(code=code).first()
        if node is None:
            raise forms.ValidationError(_("No organization of yours has this code."))
        return node

    def clean_user(self):
        username = self.cleaned_data["user"].strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise forms.ValidationError(_("No user has this name."))
        return user

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data
