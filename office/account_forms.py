"""Forms of the account pages: a new account for a member, a role given or ended."""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.enums import RoleKind
from branches.forms import OrganizationChoiceField
from branches.models import OrganizationNode


class NodeCodeField(OrganizationChoiceField):
    """An organization of the officer's subtree, typed by its code."""

    def __init__(self, **kwargs):
        super().__init__(
            queryset=OrganizationNode.objects.none(),
            to_field_name="code",
            widget=forms.TextInput(attrs={"autocomplete": "off"}),
            error_messages={"invalid_choice": _("No active organization of yours has this code.")},
            **kwargs,
        )


class RoleForm(forms.Form):
    # A member's own account is opened with the account, on the member's branch.
    role = forms.ChoiceField(
        label=_("Role"), choices=[c for c in RoleKind.choices if c[0] != RoleKind.MEMBER]
    )
    node = NodeCodeField(label=_("Organization (code)"))
    started_on = forms.DateField(label=_("Starts on"))

    def __init__(self, *args, nodes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = nodes
        self.fields["started_on"].initial = timezone.localdate


class AccountForm(RoleForm):
    member_number = forms.CharField(
        label=_("Member number"),
        max_length=20,
        help_text=_("The party member who will use the account; documents print their name."),
    )
    username = forms.CharField(
        label=_("User name"), max_length=150, validators=[UnicodeUsernameValidator()]
    )
    password1 = forms.CharField(
        label=_("Password"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(render_value=False)
    )
    field_order = ["member_number", "username", "role", "node", "started_on"]

    def __init__(self, *args, members, roles=RoleKind.choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = members
        self.fields["role"].choices = roles
        # A member's own account is held on the member's branch: no node to type.
        self.fields["node"].required = False
        if len(roles) == 1:
            self.fields["role"].initial = roles[0][0]
            self.fields["role"].widget = forms.HiddenInput()
            del self.fields["node"]

    def clean_member_number(self):
        number = self.cleaned_data["member_number"].strip()
        member = self.members.filter(member_number=number).first()
        if member is None:
            raise forms.ValidationError(_("No member of your organization has this number."))
        self.cleaned_data["member"] = member
        return number

    def clean(self):
        data = super().clean()
        member, role = data.get("member"), data.get("role")
        if role == RoleKind.MEMBER:
            data["node"] = member.branch if member else None
        elif role and not data.get("node") and "node" not in self.errors:
            self.add_error("node", forms.Field.default_error_messages["required"])
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class EndRoleForm(forms.Form):
    on = forms.DateField(label=_("Role ends on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate
