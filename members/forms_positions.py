"""The forms of the officers page: appoint someone to a post, end a term."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from branches.forms import too_many_to_list, typed_instead
from members.enums import PARTY_POSITIONS, PositionRole
from members.models import Member
from members.positions import AREA_ROLES
from partyorg.widgets import FlatSelect


class MemberChoiceField(forms.ModelChoiceField):
    """A member from a list, labelled with the member number, or typed by that number
    (offer_members)."""

    widget = FlatSelect

    def label_from_instance(self, member):
        return f"{member.full_name} ({member.member_number})"

    def to_python(self, value):
        if self.to_field_name == "member_number" and isinstance(value, str):
            value = value.strip()
        return super().to_python(value)


def offer_members(field: MemberChoiceField, members) -> None:
    """Let `field` choose among `members`: from a list, or by typing the member number
    when there are too many to list (a province's officers page offered all 150,000
    members of the province: 8.6 MB)."""
    field.queryset = members
    if too_many_to_list(members):
        typed_instead(
            field,
            "member_number",
            refused=_("No active member of this organization has this number."),
            placeholder=_("Member number"),
        )
        field.help_text = _("Too many members to list: type the member number.")


class AppointForm(forms.Form):
    """A term of a post on the page's organization, or of a role in one of the villages
    its branch covers."""

    role = forms.ChoiceField(label=_("Post"))
    residential_area = forms.ModelChoiceField(
        label=_("Village or residential group"),
        queryset=None,
        required=False,
        help_text=_("For a village head or head of the front work committee."),
    )
    member = MemberChoiceField(label=_("Member"), queryset=Member.objects.none())
    start_date = forms.DateField(label=pgettext_lazy("term", "From"))
    end_date = forms.DateField(
        label=_("Until"), required=False, help_text=_("Empty while the post is held.")
    )
    document_number = forms.CharField(label=_("Appointing document"), max_length=50, required=False)

    def __init__(self, *args, members, areas, **kwargs):
        super().__init__(*args, **kwargs)
        roles = [(r, label) for r, label in PositionRole.choices if r in PARTY_POSITIONS]
        if areas.exists():
            roles += [(r, label) for r, label in PositionRole.choices if r in AREA_ROLES]
        else:
            del self.fields["residential_area"]
        self.fields["role"].choices = roles
        offer_members(self.fields["member"], members)
        if "residential_area" in self.fields:
            self.fields["residential_area"].queryset = areas


class EndTermForm(forms.Form):
    on = forms.DateField(label=_("First day out of the post"))
