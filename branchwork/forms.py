"""Forms of the record work pages: badges, evaluations, dues and inspections."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import offer_organizations
from branches.models import OrganizationNode
from branchwork.enums import DuesBasis, EvaluationLevel, NotClassifiedReason
from members.forms_lifecycle import BranchCodeField
from partyorg.locking import VersionField
from partyorg.widgets import FLAT_RENDERER, FlatSelect

BLANK = [("", "—")]


class AwardForm(forms.Form):
    decision_number = forms.CharField(label=_("Award decision number"), max_length=50)


class EvaluationRowForm(forms.Form):
    """A row of an evaluation sheet: a province's has one per organization below it (some
    180), so its widgets are drawn without a template each (partyorg.widgets)."""

    default_renderer = FLAT_RENDERER

    self_assessment = forms.ChoiceField(
        label=_("Self-assessment"),
        choices=BLANK + EvaluationLevel.choices,
        required=False,
        widget=FlatSelect,
    )
    appraisal = forms.ChoiceField(
        label=_("Appraisal"),
        choices=BLANK + EvaluationLevel.choices,
        required=False,
        widget=FlatSelect,
    )
    score = forms.DecimalField(
        label=_("Score"),
        min_value=0,
        max_value=100,
        max_digits=4,
        decimal_places=1,
        localize=True,
        required=False,
    )
    excellent_conditions = forms.BooleanField(
        label=_("Conditions of “excellent” met"),
        help_text=_("Every task on time, at least 30% beyond requirements, no discipline."),
        required=False,
    )
    level = forms.ChoiceField(
        label=_("Decision"),
        choices=BLANK + EvaluationLevel.choices,
        required=False,
        widget=FlatSelect,
    )
    not_classified = forms.ChoiceField(
        label=_("Not classified"),
        required=False,
        widget=FlatSelect,
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
    """A member's row of a branch's dues sheet, drawn as the evaluation rows are."""

    default_renderer = FLAT_RENDERER

    basis = forms.ChoiceField(label=_("Basis"), choices=DuesBasis.choices, widget=FlatSelect)
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
        offer_organizations(self.fields["inspecting_node"], nodes)
        self.fields["inspected_node"].queryset = nodes
        self.fields["inspected_node"].error_messages["invalid_choice"] = _(
            "No organization you manage has this code."
        )
