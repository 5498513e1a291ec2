from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.forms import OrganizationChoiceField, offer_branches
from branches.models import OrganizationNode
from members.domain import member_record_errors
from members.enums import ACTIVE_STATUSES, AgeBand, Gender, MemberStatus
from members.models import PERSONAL_FIELDS, Member
from partyorg.locking import VersionField

RECORD_FIELDS = [
    "member_number",
    *PERSONAL_FIELDS,
    "party_card_number",
    "admission_decision_date",
    "admission_date",
    "official_date",
]
ACTIVE = "active"
DATE_FIELDS = ["date_of_birth", "admission_decision_date", "admission_date", "official_date"]


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = RECORD_FIELDS
        widgets = {
            name: forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}) for name in DATE_FIELDS
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["member_number"].disabled = True
            self.fields["version"] = VersionField(initial=self.instance.version)

    def clean(self):
        data = super().clean()
        dates = {name: data.get(name) for name in DATE_FIELDS}
        errors = member_record_errors(**dates, today=timezone.localdate())
        for name, message in errors.items():
            self.add_error(name, message)
        return data


class NewMemberForm(MemberForm):
    branch = OrganizationChoiceField(label=_("Branch"), queryset=OrganizationNode.objects.none())
    joined_branch_on = forms.DateField(
        label=_("In this branch since"),
        required=False,
        help_text=_("Leave empty when the member has been in this branch since admission."),
    )
    admission_document = forms.CharField(
        label=_("Admission decision number"), max_length=50, required=False
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        offer_branches(self.fields["branch"], branches)


class BranchPickForm(forms.Form):
    branch = OrganizationChoiceField(
        label=_("Branch"),
        queryset=OrganizationNode.objects.none(),
        to_field_name="code",
        empty_label=None,
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        offer_branches(self.fields["branch"], branches)


class MemberFilterForm(forms.Form):
    """Filters of the member list; without any, the list shows members in the party."""

    q = forms.CharField(label=_("Name or member number"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[(ACTIVE, _("In the party")), ("", _("All")), *MemberStatus.choices],
    )
    gender = forms.ChoiceField(
        label=_("Gender"), required=False, choices=[("", _("All")), *Gender.choices]
    )
    branch = forms.ModelChoiceField(
        label=_("Branch"),
        required=False,
        queryset=OrganizationNode.objects.none(),
        to_field_name="code",
        empty_label=_("All"),
    )
    age_band = forms.ChoiceField(
        label=_("Age"), required=False, choices=[("", _("All")), *AgeBand.choices]
    )

    def __init__(self, *args, branches, **kwargs):
        super().__init__(*args, **kwargs)
        offer_branches(self.fields["branch"], branches)

    def countable(self) -> bool:
        """Whether the filters are all ones the kept member counts (BranchMemberCount)
        have, so that `filter` applies to them too: no name search, no age band."""
        return not (self.cleaned_data.get("q") or self.cleaned_data.get("age_band"))

    def filter(self, members):
        """Members, or when `countable` the kept counts of members, the filters select."""
        data = self.cleaned_data
        if data.get("q"):
            members = members.search(data["q"])
        if data.get("status") == ACTIVE:
            members = members.filter(status__in=ACTIVE_STATUSES)
        elif data.get("status"):
            members = members.filter(status=data["status"])
        if data.get("gender"):
            members = members.filter(gender=data["gender"])
        if data.get("branch"):
            members = members.filter(branch=data["branch"])
        if data.get("age_band"):
            members = members.in_age_band(data["age_band"], timezone.localdate())
        return members
