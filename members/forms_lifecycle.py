"""Forms of the member lifecycle pages: exits, transfers, badges, evaluations, dues."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import OrganizationNode
from members.enums import DuesBasis, EvaluationLevel, ExitKind, NotClassifiedReason, TransferKind
from members.forms import BranchChoiceField, MemberForm
from partyorg.locking import VersionField

BLANK = [("", "—")]


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
    branch = BranchChoiceField(label=_("Branch"), queryset=OrganizationNode.objects.none())
    field_order = ["branch", "on", "document_number", "note"]

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class BranchCodeField(forms.ModelChoiceField):
    """A branch picked by code: typed, or chosen from the suggestions of the user's scope."""

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
    letter_number = forms.CharField(label=_("Transfer letter number"), max_length=50)
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

    branch = BranchChoiceField(
        label=_("Receiving branch"), queryset=OrganizationNode.objects.none()
    )
    from_outside = forms.CharField(label=_("From organization"), max_length=200)
    letter_number = forms.CharField(label=_("Transfer letter number"), max_length=50)
    letter_date = forms.DateField(label=_("Letter date"))
    on = forms.DateField(label=_("Letter presented on"))

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


class AwardForm(forms.Form):
    decision_number = forms.CharField(label=_("Award decision number"), max_length=50)


class EvaluationRowForm(forms.Form):
    self_assessment = forms.ChoiceField(
        label=_("Self-assessment"), choices=BLANK + EvaluationLevel.choices, required=False
    )
    appraisal = forms.ChoiceField(
        label=_("Appraisal"), choices=BLANK + EvaluationLevel.choices, required=False
    )
    score = forms.IntegerField(label=_("Score"), min_value=0, max_value=100, required=False)
    level = forms.ChoiceField(
        label=_("Decision"), choices=BLANK + EvaluationLevel.choices, required=False
    )
    not_classified = forms.ChoiceField(
        label=_("Not classified"),
        required=False,
        choices=[
            *BLANK,
            (NotClassifiedReason.SUSPENDED, NotClassifiedReason.SUSPENDED.label),
            (NotClassifiedReason.OTHER, NotClassifiedReason.OTHER.label),
        ],
    )
    # The version of the row's evaluation when the sheet was opened; empty when it had none.
    version = VersionField(required=False)


class EvaluationSheetForm(forms.Form):
    decision_number = forms.CharField(label=_("Decision number"), max_length=50, required=False)


class DuesRowForm(forms.Form):
    basis = forms.ChoiceField(label=_("Basis"), choices=DuesBasis.choices)
    income = forms.IntegerField(label=_("Salary or pension (đ)"), min_value=0, required=False)
    extra = forms.IntegerField(label=_("Voluntary extra (đ)"), min_value=0, required=False)
    paid_on = forms.DateField(label=_("Paid on"), required=False)
    excused = forms.BooleanField(label=_("Good reason"), required=False)
    # The version of the member's dues of the month when the sheet was opened; empty when
    # there were none.
    version = VersionField(required=False)


class InspectionForm(forms.Form):
    date = forms.DateField(label=_("Date"))
    inspecting_node = forms.ModelChoiceField(
        label=_("Inspecting organization"),
        queryset=OrganizationNode.objects.none(),
        to_field_name="code",
    )
    inspected_node = BranchCodeField(label=_("Inspected organization (code)"), required=False)
    inspected_member = forms.CharField(
        label=_("Or inspected member (member number)"), max_length=20, required=False
    )
    subject = forms.CharField(label=_("Subject"), max_length=300)
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    document_number = forms.CharField(label=_("Document number"), max_length=50, required=False)

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["inspecting_node"].queryset = nodes
        self.fields["inspected_node"].queryset = nodes
        self.fields["inspected_node"].error_messages["invalid_choice"] = _(
            "No organization you manage has this code."
        )
