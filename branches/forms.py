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
            # Kind and code are identity: changing them is restructuring, not editing.
            self.fields["kind"].disabled = True
            self.fields["code"].disabled = True
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
