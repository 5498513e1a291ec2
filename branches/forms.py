from django import forms
from django.utils.translation import gettext_lazy as _

from branches.enums import ALLOWED_CHILDREN, NodeKind
from branches.models import OrganizationNode, normalize_node_code


class NodeForm(forms.ModelForm):
    """Name and details of a node; where it sits in the tree is chosen by the view."""

    class Meta:
        model = OrganizationNode
        fields = ["code", "name", "kind", "sector", "place_name", "established_on"]
        widgets = {"established_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"})}

    def __init__(self, *args, parent=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent = parent
        if self.instance.pk:
            # Kind and code are identity, and a name is dated: changing them is
            # restructuring (the rename page), not editing.
            self.fields["kind"].disabled = True
            self.fields["code"].disabled = True
            self.fields["name"].disabled = True
        elif parent is not None:
            allowed = ALLOWED_CHILDREN[parent.kind]
            self.fields["kind"].choices = [c for c in NodeKind.choices if c[0] in allowed]

    def clean_code(self):
        # The model's validators and unique checks then see the stored form.
        return normalize_node_code(self.cleaned_data["code"])


class MoveNodeForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("New parent organization"), queryset=OrganizationNode.objects.none()
    )
    on = forms.DateField(label=_("Effective date"))

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class MergeNodeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=OrganizationNode.objects.none())
    on = forms.DateField(label=_("Effective date"))
    document_number = forms.CharField(label=_("Decision number"), max_length=50)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets


class RenameNodeForm(forms.Form):
    name = forms.CharField(label=_("New name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind from that date"), choices=NodeKind.choices)
    on = forms.DateField(
        label=_("Effective date"),
        help_text=_(
            "The first day of the new name. The date the present name began corrects it "
            "instead, without keeping the old one."
        ),
    )

    def __init__(self, *args, node, **kwargs):
        super().__init__(*args, initial={"name": node.name, "kind": node.kind}, **kwargs)


class DissolveNodeForm(forms.Form):
    on = forms.DateField(
        label=_("Effective date"),
        help_text=_(
            "The first day without the organization; its organizations below move to the "
            "organization above it from that day."
        ),
    )


class SplitNodeForm(forms.Form):
    """One choice of receiving organization per part of the node: its active children,
    and for a branch its members, residential areas and open candidates."""

    on = forms.DateField(label=_("Effective date"))
    document_number = forms.CharField(label=_("Decision number"), max_length=50)

    def __init__(self, *args, parts, parents, branches, **kwargs):
        super().__init__(*args, **kwargs)
        self.parts = []
        groups = (
            ("children", _("Organization"), parents),
            ("members", _("Member"), branches),
            ("areas", _("Residential area"), branches),
            ("candidates", _("Candidate"), branches),
        )
        for prefix, word, targets in groups:
            for obj in parts[prefix]:
                name = f"{prefix}-{obj.pk}"
                self.fields[name] = forms.ModelChoiceField(label=f"{word}: {obj}", queryset=targets)
                self.parts.append((prefix, obj.pk, name))

    def assignments(self) -> dict[str, dict]:
        """{"children"|"members"|"areas"|"candidates": {id: target}} from the cleaned data."""
        chosen = {"children": {}, "members": {}, "areas": {}, "candidates": {}}
        for prefix, pk, name in self.parts:
            chosen[prefix][pk] = self.cleaned_data[name]
        return chosen
