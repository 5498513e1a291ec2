from django import forms
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from admission.domain import deciding_bodies
from admission.enums import (
    BEFORE_CONVERSION_VOTE_DOCUMENTS,
    STEP_DOCUMENTS,
    DocumentCode,
    IntroducerKind,
    Stage,
)
from admission.models import Candidate, Introducer
from branches.models import OrganizationNode
from members.enums import MemberStatus
from members.forms import BranchChoiceField, offer_branches
from members.models import MEMBER_NUMBER, Member
from partyorg.locking import VersionField


def date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}), **kwargs
    )


class CandidateForm(forms.ModelForm):
    branch = BranchChoiceField(label=_("Branch"), queryset=OrganizationNode.objects.none())

    class Meta:
        model = Candidate
        fields = [
            "full_name",
            "gender",
            "date_of_birth",
            "ethnicity",
            "religion",
            "hometown",
            "residence",
            "national_id",
            "general_education",
            "education_exception",
            "education_exception_document",
            "qualification",
            "political_theory",
            "occupation",
            "source",
            "branch",
            "identified_on",
            "over_age_approval",
        ]
        widgets = {
            name: forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})
            for name in ["date_of_birth", "identified_on"]
        }

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        if self.instance.pk:
            self.fields["branch"].disabled = True
            self.fields["version"] = VersionField(initial=self.instance.version)

    def clean(self):
        data = super().clean()
        if data.get("education_exception") and not data.get("education_exception_document"):
            self.add_error(
                "education_exception_document", _("Record the document that grants the exception.")
            )
        return data


class StepForm(forms.Form):
    """A form for one step of the file; `arguments()` are the domain function's keywords."""

    def __init__(self, *args, candidate: Candidate, **kwargs):
        self.candidate = candidate
        super().__init__(*args, **kwargs)

    def arguments(self) -> dict:
        return self.cleaned_data


class CourseForm(StepForm):
    course_date = date_field(_("Course completed on"))
    certificate_number = forms.CharField(label=_("Certificate number"), max_length=50)


class IntroducersForm(StepForm):
    on = date_field(_("Assigned on"))
    first_member = forms.ModelChoiceField(
        label=_("First introducer (official member)"), queryset=Member.objects.none()
    )
    first_since = date_field(_("First introducer works with the candidate since"))
    second_kind = forms.ChoiceField(label=_("Second introducer"), choices=IntroducerKind.choices)
    second_member = forms.ModelChoiceField(
        label=_("Second introducer (official member)"),
        queryset=Member.objects.none(),
        required=False,
    )
    second_name = forms.CharField(
        label=_("Youth Union committee"),
        max_length=200,
        required=False,
        help_text=_("For a candidate under 30 introduced by the Youth Union committee."),
    )
    second_since = date_field(_("Second introducer works with the candidate since"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        officials = Member.objects.filter(
            branch=self.candidate.branch, status=MemberStatus.OFFICIAL
        ).order_by("sort_key")
        self.fields["first_member"].queryset = officials
        self.fields["second_member"].queryset = officials

    def clean(self):
        data = super().clean()
        if data.get("second_kind") == IntroducerKind.MEMBER and not data.get("second_member"):
            self.add_error("second_member", _("Choose the second party member."))
        if data.get("second_kind") == IntroducerKind.YOUTH_UNION and not data.get("second_name"):
            self.add_error("second_name", _("Name the Youth Union committee."))
        return data

    def arguments(self) -> dict:
        data = self.cleaned_data
        youth = data["second_kind"] == IntroducerKind.YOUTH_UNION
        return {
            "on": data["on"],
            "introducers": [
                Introducer(
                    kind=IntroducerKind.MEMBER,
                    member=data["first_member"],
                    working_with_since=data["first_since"],
                ),
                Introducer(
                    kind=data["second_kind"],
                    member=None if youth else data["second_member"],
                    name=data["second_name"] if youth else "",
                    working_with_since=data["second_since"],
                ),
            ],
        }


class DocumentForm(StepForm):
    """A form of the admission dossier before the admission, of the conversion dossier
    during probation."""

    code = forms.ChoiceField(label=_("Form"))
    number = forms.CharField(label=_("Number"), max_length=50, required=False)
    date = date_field(_("Date"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        conversion = self.candidate.stage == Stage.PROBATION
        self.fields["code"].choices = [
            (c.value, c.label)
            for c in DocumentCode
            if c not in STEP_DOCUMENTS and (c in BEFORE_CONVERSION_VOTE_DOCUMENTS) == conversion
        ]


class VerificationForm(StepForm):
    on = date_field(_("Verified on"))
    number = forms.CharField(label=_("Verification slip number"), max_length=50, required=False)
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


# The resolutions and decisions of the steps are issued in the app unless they were
# issued on paper outside it.
PAPER_NUMBER_HELP = _(
    "Leave empty to issue it here: it takes the next number of the issuing body's register "
    "and is signed by its secretary on that date. Enter a number only for a document "
    "issued on paper."
)


class VoteForm(StepForm):
    on = date_field(
        _("Vote date"),
        help_text=_("The branch's official members on this date are counted from its records."),
    )
    agreeing = forms.IntegerField(label=_("Agreeing"), min_value=0)
    disagreeing = forms.IntegerField(label=_("Disagreeing"), min_value=0)
    exempted_absent = forms.IntegerField(
        label=_("Exempted members who were absent"),
        min_value=0,
        initial=0,
        required=False,
        help_text=_(
            "They are not counted in the two thirds, nor are members away on a temporary "
            "transfer (counted from the records)."
        ),
    )
    resolution_number = forms.CharField(
        label=_("Resolution number"), max_length=50, required=False, help_text=PAPER_NUMBER_HELP
    )

    def arguments(self) -> dict:
        return self.cleaned_data | {"exempted_absent": self.cleaned_data["exempted_absent"] or 0}


class ExtensionForm(StepForm):
    on = date_field(_("Extended on"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class GrassrootsForm(StepForm):
    number = forms.CharField(
        label=_("Resolution number"), max_length=50, required=False, help_text=PAPER_NUMBER_HELP
    )
    date = date_field(_("Date"))


class DecisionForm(StepForm):
    number = forms.CharField(
        label=_("Decision number"), max_length=50, required=False, help_text=PAPER_NUMBER_HELP
    )
    date = date_field(_("Date signed"))
    received_on = date_field(
        _("Received by the branch on"),
        required=False,
        help_text=_("The ceremony is due within 30 working days of this day."),
    )
    issuing_body = forms.ModelChoiceField(
        label=_("Issued by"), queryset=OrganizationNode.objects.none(), empty_label=None
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuing_body"].queryset = deciding_bodies(self.candidate.branch)


class ConversionForm(DecisionForm):
    # The conversion runs no deadline from the branch's receipt of the decision.
    received_on = None


class CeremonyForm(StepForm):
    on = date_field(_("Ceremony date"))
    member_number = forms.CharField(
        label=_("Member number"), max_length=20, validators=[MEMBER_NUMBER]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member_number"].initial = suggest_member_number()


def suggest_member_number() -> str:
    """The next free eight-digit member number."""
    highest = Member.objects.filter(member_number__regex=r"^[0-9]{8}$").aggregate(
        Max("member_number")
    )["member_number__max"]
    return f"{int(highest or '10000000') + 1:08d}"


class RemovalForm(StepForm):
    on = date_field(_("Proposed on"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    document_number = forms.CharField(label=_("Proposal number"), max_length=50, required=False)


class CandidateFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), required=False, choices=[("", _("All")), *Stage.choices]
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        required=False,
        queryset=OrganizationNode.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        offer_branches(self.fields["branch"], branches)

    def filter(self, candidates):
        data = self.cleaned_data
        if data.get("q"):
            candidates = candidates.search(data["q"])
        if data.get("stage"):
            candidates = candidates.filter(stage=data["stage"])
        if data.get("branch"):
            candidates = candidates.filter(branch=data["branch"])
        return candidates


class TargetsForm(forms.Form):
    """One target field per organization, named by its code."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[row.node.code] = forms.IntegerField(
                label=row.node.name, min_value=0, required=False, initial=row.target
            )


def current_year() -> int:
    return timezone.localdate().year


def year_choices() -> list[int]:
    this_year = current_year()
    return list(range(this_year + 1, max(2020, this_year - 5) - 1, -1))


def parse_year(value) -> int:
    try:
        year = int(value)
    except (TypeError, ValueError):
        return current_year()
    return year if year in year_choices() else current_year()
