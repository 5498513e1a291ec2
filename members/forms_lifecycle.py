"""Forms of the member lifecycle pages: exits and transfers."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import OrganizationChoiceField, offer_branches
from branches.models import OrganizationNode
from members.enums import ExitKind, TransferKind
from members.forms import MemberForm


class DecisionForm(forms.Form):
    """Date and document number of an exemption, resumption or exit."""

    on = forms.DateField(label=_("Date"))
    document_number = forms.CharField(label=_("Decision number"), max_length=50)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExitForm(DecisionForm):
    kind = forms.ChoiceField(label=_("How the member left"), choices=ExitKind.choices)
    field_order = ["kind", "on", "document_number", "note"]


class ReadmitForm(DecisionForm):
    branch = OrganizationChoiceField(label=_("Branch"), queryset=OrganizationNode.objects.none())
    field_order = ["branch", "on", "document_number", "note"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        offer_branches(self.fields["branch"], branches)


class BranchCodeField(OrganizationChoiceField):
    """A branch picked by code, in either case: typed, or chosen from the suggestions of the
    user's scope."""

    widget = forms.TextInput(attrs={"list": "branch-codes", "autocomplete": "off"})

    def __init__(self, **kwargs):
        super().__init__(
            queryset=OrganizationNode.objects.none(),
            to_field_name="code",
            error_messages={"invalid_choice": _("No active branch has this code.")},
            **kwargs,
        )


class TransferRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=TransferKind.choices, widget=forms.RadioSelect
    )
    to_branch = BranchCodeField(
        label=_("To a branch of the system (code)"),
        required=False,
        help_text=_("Type the branch code; branches you manage are suggested."),
    )
    to_outside = forms.CharField(
        label=_("Or to an organization outside the system"), max_length=200, required=False
    )
    letter_number = forms.CharField(
        label=_("Transfer letter number"),
        max_length=50,
        required=False,
        help_text=_(
            "Leave empty to issue the letter here: it takes the next number of the issuing "
            "committee's register and is signed by its secretary on the letter date. Enter a "
            "number only for a letter issued on paper."
        ),
    )
    letter_date = forms.DateField(label=_("Letter date"))
    change_date = forms.DateField(
        label=_("Job or residence changed on"),
        required=False,
        help_text=_("An official transfer is due within 60 working days of this date."),
    )
    planned_until = forms.DateField(
        label=_("Temporary until"),
        required=False,
        help_text=_("Temporary: 3 months to under 1 year; for study up to 2 years."),
    )
    for_study = forms.BooleanField(label=_("Temporary transfer for study"), required=False)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branches


class AcceptForm(forms.Form):
    on = forms.DateField(label=_("The member presented the letter on"))
    answer = forms.CharField(label=_("Note"), max_length=300, required=False)


class RejectForm(forms.Form):
    answer = forms.CharField(label=_("Why the transfer is returned"), max_length=300)


class EndTemporaryForm(forms.Form):
    on = forms.DateField(label=_("Temporary activity ended on"))


class ReceiveForm(MemberForm):
    """A member arriving from an organization outside the system: the record and the letter."""

    branch = OrganizationChoiceField(
        label=_("Receiving branch"), queryset=OrganizationNode.objects.none()
    )
    from_outside = forms.CharField(label=_("From organization"), max_length=200)
    letter_number = forms.CharField(label=_("Transfer letter number"), max_length=50)
    letter_date = forms.DateField(label=_("Letter date"))
    on = forms.DateField(label=_("Letter presented on"))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        offer_branches(self.fields["branch"], branches)
