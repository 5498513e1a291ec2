import contextlib

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from papers.annual import ASSESSMENT_FIELDS
from papers.models import Document
from papers.signers import holders
from partyorg.locking import VersionField


class AssessmentForm(forms.ModelForm):
    """The office's own sections of its annual report, saved as a draft."""

    version = VersionField()

    class Meta:
        model = Document
        fields = ASSESSMENT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in ASSESSMENT_FIELDS}


class IssueForm(forms.Form):
    """When a document is issued and who signs it: a holder of the issuing body's
    secretary or deputy secretary post on that day, the secretary by default."""

    issued_on = forms.DateField(
        label=_("Issue date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    signer = forms.TypedChoiceField(label=_("Signed by"), coerce=int, required=False)

    def __init__(self, *args, node, **kwargs):
        super().__init__(*args, **kwargs)
        self.node = node
        today = timezone.localdate()
        self.fields["issued_on"].initial = today
        day = today
        if self.is_bound:
            with contextlib.suppress(forms.ValidationError):
                day = self.fields["issued_on"].clean(self.data.get(self.add_prefix("issued_on")))
        self.holders = list(holders(node, day))
        self.fields["signer"].choices = [("", "—")] + [
            (p.pk, f"{p.member.full_name} — {p.get_role_display()}") for p in self.holders
        ]
        secretary = next((p for p in self.holders if p.role == "secretary"), None)
        if secretary is not None:
            self.fields["signer"].initial = secretary.pk

    def clean_issued_on(self):
        day = self.cleaned_data["issued_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A document cannot be issued on a future date."))
        return day

    def clean(self):
        cleaned = super().clean()
        day = cleaned.get("issued_on")
        if day is None:
            return cleaned
        if not self.holders:
            raise forms.ValidationError(
                _(
                    "Nobody holds the secretary or deputy secretary post of %(body)s on "
                    "%(day)s. Record who holds it on the member's page, then issue."
                )
                % {"body": self.node.name, "day": f"{day:%d/%m/%Y}"}
            )
        chosen = next((p for p in self.holders if p.pk == cleaned.get("signer")), None)
        if chosen is None:
            self.add_error("signer", _("Choose who signs the document."))
        cleaned["position"] = chosen
        return cleaned
