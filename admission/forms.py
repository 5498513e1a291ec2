import contextlib

from django import forms
from django.db.models import Max, Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from admission.domain import deciding_bodies
from admission.domain.common import grassroots_of
from admission.enums import (
    BEFORE_CONVERSION_VOTE_DOCUMENTS,
    STEP_DOCUMENTS,
    DocumentCode,
    IntroducerKind,
    Stage,
)
from admission.models import Candidate, Introducer
from branches import competence
from branches.forms import OrganizationChoiceField, offer_branches
from branches.models import OrganizationNode
from members.enums import MembershipKind, MemberStatus
from members.models import MEMBER_NUMBER, Member, Membership, Position
from members.queries import official_on
from partyorg import registers, years
from partyorg.locking import VersionField


def date_field(label, **kwargs):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}), **kwargs
    )


class CandidateForm(forms.ModelForm):
    branch = OrganizationChoiceField(label=_("Branch"), queryset=OrganizationNode.objects.none())

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
        if self.instance.pk:
            # Shown, not chosen: the file stays with its branch.
            self.fields["branch"].queryset = branches.filter(pk=self.instance.branch_id)
            self.fields["branch"].disabled = True
            self.fields["version"] = VersionField(initial=self.instance.version)
        else:
            offer_branches(self.fields["branch"], branches)

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


class IssuingStepForm(StepForm):
    """A step that issues its resolution or decision in the app when no number is typed.
    When nobody holds the issuing body's signing post on the day, the form asks who signs
    (someone holding a post in the body, or any official member of it, with a title) before
    anything is issued."""

    number_field = "number"
    day_field = "date"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.signing = self._signing_on() if self.is_bound else None
        if self.signing is not None:
            body, day = self.signing
            posts = Position.objects.on(day).filter(node=body)
            official = Membership.objects.on(day).filter(
                official_on(day, "member__"),
                branch__path__startswith=body.path,
                kind=MembershipKind.HOME,
            )
            self.posts = {p.member_id: p for p in posts.select_related("member")}
            self.fields["signer"] = forms.ModelChoiceField(
                label=_("Signed by"),
                queryset=Member.objects.filter(
                    Q(pk__in=posts.values("member")) | Q(pk__in=official.values("member"))
                ).order_by("full_name"),
                required=False,
            )
            self.fields["signer_title"] = forms.CharField(
                label=_("Signer's title"),
                max_length=100,
                required=False,
                help_text=_(
                    "As it prints under the signature line, e.g. CHI ỦY VIÊN. Left empty for "
                    "someone holding a post in the issuing body, the post is printed."
                ),
            )

    def signing_body(self):
        raise NotImplementedError

    def _signing_on(self):
        """(body, day) when the app would issue the document and nobody holds the body's
        signing post that day; None otherwise or while the fields are not valid yet."""
        if (self.data.get(self.add_prefix(self.number_field)) or "").strip():
            return None
        with contextlib.suppress(forms.ValidationError):
            day = self.fields[self.day_field].clean(self.data.get(self.add_prefix(self.day_field)))
            body = self.signing_body()
            if body is not None and not registers.has_signer(body, day):
                return body, day
        return None

    def clean(self):
        cleaned = super().clean()
        if self.signing is None:
            return cleaned
        # Without a choice the step's domain function says what is missing, once it
        # knows that the step issues a paper at all (a vote that fails issues none).
        member, title = cleaned.get("signer"), cleaned.get("signer_title", "").strip()
        if member is None:
            return cleaned
        if not title and member.pk in self.posts:
            with translation.override("vi"):
                title = self.posts[member.pk].get_role_display()
        if not title:
            self.add_error(
                "signer_title", _("Type the title under which %(name)s signs.") % {"name": member}
            )
        cleaned["chosen"] = registers.ChosenSigner(member=member, title=title)
        return cleaned

    def arguments(self) -> dict:
        arguments = {
            key: value
            for key, value in self.cleaned_data.items()
            if key not in {"signer", "signer_title", "chosen"}
        }
        return arguments | {"signer": self.cleaned_data.get("chosen")}


class VoteForm(IssuingStepForm):
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

    number_field = "resolution_number"
    day_field = "on"

    def signing_body(self):
        return self.candidate.branch

    def arguments(self) -> dict:
        return super().arguments() | {"exempted_absent": self.cleaned_data["exempted_absent"] or 0}


class ExtensionForm(StepForm):
    on = date_field(_("Extended on"))
    reason = forms.CharField(label=_("Reason"), max_length=200)


class GrassrootsForm(IssuingStepForm):
    number = forms.CharField(
        label=_("Resolution number"), max_length=50, required=False, help_text=PAPER_NUMBER_HELP
    )
    date = date_field(_("Date"))

    def signing_body(self):
        return grassroots_of(self.candidate.branch)


class DecisionForm(IssuingStepForm):
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

    step = competence.Step.ADMISSION_DECISION

    def __init__(self, *args, candidate, **kwargs):
        # The issuing bodies are offered before the signer is looked for among them.
        self.bodies = deciding_bodies(candidate.branch, self.step)
        super().__init__(*args, candidate=candidate, **kwargs)
        self.fields["issuing_body"].queryset = self.bodies

    def signing_body(self):
        field = forms.ModelChoiceField(queryset=self.bodies)
        return field.clean(self.data.get(self.add_prefix("issuing_body")))


class ConversionForm(DecisionForm):
    step = competence.Step.CONVERSION_DECISION
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


# Targets are kept for an office's past years too: its history is imported from 2000 on.
FIRST_TARGET_YEAR = 2000


def current_year() -> int:
    return timezone.localdate().year


def year_choices() -> list[int]:
    return list(range(current_year() + 1, FIRST_TARGET_YEAR - 1, -1))


def parse_year(value) -> int:
    """The year of the admission pages' address: FIRST_TARGET_YEAR to next year."""
    return years.parse_year(
        value,
        first=FIRST_TARGET_YEAR,
        last=current_year() + 1,
        kept=_(
            "Admission targets are kept for the years %(first)d to %(last)d; "
            "“%(value)s” is not one of them."
        ),
    )
