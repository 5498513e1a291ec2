"""The forms of the officers page: appoint someone to a post, end a term."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members.enums import PARTY_POSITIONS, PositionRole
from members.models import Member
from members.positions import AREA_ROLES


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, member):
        return f"{member.full_name} ({member.member_number})"


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
        self.fields["member"].queryset = members
        if "residential_area" in self.fields:
            self.fields["residential_area"].queryset = areas


class EndTermForm(forms.Form):
    on = forms.DateField(label=_("First day out of the post"))
