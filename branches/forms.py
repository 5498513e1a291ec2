import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.enums import ALLOWED_CHILDREN, NodeKind
from branches.models import OrganizationNode, normalize_node_code
from branches.restructuring import Follow
from partyorg.pagination import has_at_least
from partyorg.widgets import FlatSelect

CHOICES_LISTED = 300


def too_many_to_list(organizations) -> bool:
    """More than CHOICES_LISTED: a province has thousands of branches, and a list that long
    helps nobody and made every page listing them half a megabyte."""
    return has_at_least(organizations, CHOICES_LISTED + 1)


class OrganizationChoiceField(forms.ModelChoiceField):
    """An organization from a list, labelled with its code, or typed by its code
    (offer_organizations) in either case, spaces around it ignored. The list is drawn
    without a template per option (a dissolution lists a few hundred for each child)."""

    widget = FlatSelect

    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.code})"

    def to_python(self, value):
        if self.to_field_name == "code" and isinstance(value, str):
            value = normalize_node_code(value)
        return super().to_python(value)


def offer_organizations(
    field: forms.ModelChoiceField, organizations, placeholder=None, too_many=None
) -> None:
    """Let `field` choose among `organizations`: from a list, or by typing the code when
    there are too many to list (`too_many`, when the caller knows it already)."""
    field.queryset = organizations
    if too_many_to_list(organizations) if too_many is None else too_many:
        typed_instead(
            field,
            "code",
            refused=_("No active organization of yours has this code."),
            placeholder=placeholder or _("Organization code"),
        )


def typed_instead(field: forms.ModelChoiceField, key: str, *, refused, placeholder) -> None:
    """`field` takes its choice's `key` typed in a box rather than from a list, and answers
    one not among its choices with `refused`."""
    field.to_field_name = key
    field.error_messages["invalid_choice"] = refused
    field.widget = forms.TextInput(
        attrs={"placeholder": placeholder, "size": 14, "autocomplete": "off"}
    )


def offer_branches(field: forms.ModelChoiceField, branches) -> None:
    offer_organizations(field, branches, placeholder=_("Branch code"))


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


class TreeDayForm(forms.Form):
    """The day the tree page shows (today when none is given)."""

    on = forms.DateField(
        label=_("Tree as of"),
        required=False,
        widget=forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
    )

    def clean_on(self):
        day = self.cleaned_data["on"]
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The tree of a day to come is not known yet."))
        return day


class MoveNodeForm(forms.Form):
    new_parent = forms.ModelChoiceField(
        label=_("New parent organization"), queryset=OrganizationNode.objects.none()
    )
    on = forms.DateField(label=_("Effective date"))

    def __init__(self, *args, parents, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"].queryset = parents


class MergeNodeForm(forms.Form):
    PART_CHOICES = [
        ("members", _("Members")),
        ("branches", _("Organizations below (branches)")),
        ("areas", _("Residential areas")),
        ("candidates", _("Open admission candidates")),
        ("targets", _("Admission targets of this year and later")),
    ]

    into = OrganizationChoiceField(label=_("Merge into"), queryset=OrganizationNode.objects.none())
    on = forms.DateField(label=_("Effective date"))
    document_number = forms.CharField(label=_("Decision number"), max_length=50)
    # Everything follows unless ticked here (a form posted without the field merges
    # everything, as the merge always did).
    stays = forms.MultipleChoiceField(
        label=_("Does not follow the merge"),
        choices=PART_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Everything not ticked follows into the merged organization. Organizations "
            "below that do not follow move to the organization above; residential areas, "
            "candidates and targets that do not follow stay with the ended organization's "
            "record; the members of a branch always need a branch."
        ),
    )

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        offer_organizations(self.fields["into"], targets)

    def clean_stays(self) -> Follow:
        """What follows: every part not ticked."""
        left = set(self.cleaned_data["stays"])
        return Follow(**{value: value not in left for value, _label in self.PART_CHOICES})


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
    """The date, and for each active child the organization it moves under: the one above
    the dissolved organization when none is named and the child may stand there, else one
    the user must choose (a branch cannot go up from a commune to the province)."""

    on = forms.DateField(
        label=_("Effective date"),
        help_text=_(
            "The first day without the organization; its organizations below move from "
            "that day to the organization named for each, else to the organization above it."
        ),
    )

    def __init__(self, *args, children, parents, above, **kwargs):
        super().__init__(*args, **kwargs)
        self.children = {}
        must_choose = (
            {
                "required": _("Choose where it goes: it cannot stand directly under %(name)s.")
                % {"name": above}
            }
            if above
            else {}
        )
        too_many = {}  # the kinds a child may stand under → too many of them to list
        listed = {}  # the kinds → the options listed, read once for the children of those kinds
        for child in children:
            kinds = tuple(k for k, allowed in ALLOWED_CHILDREN.items() if child.kind in allowed)
            targets = parents.filter(kind__in=kinds)
            if kinds not in too_many:
                too_many[kinds] = too_many_to_list(targets)
            may_go_above = above is not None and above.kind in kinds
            name = f"child-{child.pk}"
            field = self.fields[name] = OrganizationChoiceField(
                label=child.name,
                queryset=targets,
                required=not may_go_above,
                empty_label=_("The organization above: %(name)s") % {"name": above}
                if may_go_above
                else "—",
                error_messages=must_choose,
            )
            placeholder = _("Code, or empty: the organization above") if may_go_above else None
            offer_organizations(field, targets, placeholder, too_many[kinds])
            if not too_many[kinds]:
                # The list drawn; the field still checks what is sent against `targets`.
                if kinds not in listed:
                    listed[kinds] = list(field.choices)
                field.widget.choices = listed[kinds]
            self.children[name] = child.pk

    def targets(self) -> dict[int, OrganizationNode]:
        """{child id: named target} from the cleaned data, for the children given one."""
        return {
            pk: self.cleaned_data[name]
            for name, pk in self.children.items()
            if self.cleaned_data.get(name)
        }


class SplitReceiversForm(forms.Form):
    """The first step of a split: the organizations that receive its parts, chosen once,
    so that the second step offers each part these few rather than the whole subtree.
    Those beside the node are ticked; any other of the user's organizations is named by
    its code (a commune split between communes of two districts before July 2025)."""

    receivers = forms.ModelMultipleChoiceField(
        label=_("Receiving organizations"),
        queryset=OrganizationNode.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    others = forms.CharField(
        label=_("Other receiving organizations"),
        required=False,
        max_length=500,
        help_text=_("Their codes, separated by commas, for organizations not listed above."),
    )

    def __init__(self, *args, beside, elsewhere, **kwargs):
        """`beside`: the organizations ticked from; `elsewhere`: those named by code."""
        super().__init__(*args, **kwargs)
        self.fields["receivers"].queryset = beside
        self.elsewhere = elsewhere

    def clean_others(self) -> list[OrganizationNode]:
        codes = [
            normalize_node_code(code) for code in re.split(r"[,;\s]+", self.cleaned_data["others"])
        ]
        codes = [code for code in codes if code]
        found = {node.code: node for node in self.elsewhere.filter(code__in=codes)}
        if unknown := [code for code in codes if code not in found]:
            raise forms.ValidationError(
                _("No organization of yours outside this one has the code %(codes)s.")
                % {"codes": ", ".join(unknown)}
            )
        return list(found.values())

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        chosen = [*cleaned["receivers"], *cleaned["others"]]
        if not chosen:
            raise forms.ValidationError(
                _("Tick at least one receiving organization, or name one by its code.")
            )
        cleaned["all_receivers"] = self.elsewhere.filter(pk__in=[node.pk for node in chosen])
        return cleaned


class SplitNodeForm(forms.Form):
    """One choice of receiving organization per part of the node: its active children,
    and for a branch its members, residential areas and open candidates."""

    on = forms.DateField(label=_("Effective date"))
    document_number = forms.CharField(label=_("Decision number"), max_length=50)

    def __init__(self, *args, parts, parents, branches, **kwargs):
        """`parents` and `branches`: the receivers chosen, read once for every part."""
        super().__init__(*args, **kwargs)
        self.parts = []
        parents, branches = list(parents), list(branches)
        groups = (
            ("children", _("Organization"), parents),
            ("members", _("Member"), branches),
            ("areas", _("Residential area"), branches),
            ("candidates", _("Candidate"), branches),
        )
        for prefix, word, targets in groups:
            by_pk = {str(target.pk): target for target in targets}
            # With the code: receivers named by code may share a name with one beside.
            labels = ((pk, f"{target.name} ({target.code})") for pk, target in by_pk.items())
            choices = [("", "---------"), *labels]
            for obj in parts[prefix]:
                name = f"{prefix}-{obj.pk}"
                self.fields[name] = forms.TypedChoiceField(
                    label=f"{word}: {obj}", choices=choices, coerce=by_pk.__getitem__
                )
                self.parts.append((prefix, obj.pk, name))

    def assignments(self) -> dict[str, dict]:
        """{"children"|"members"|"areas"|"candidates": {id: target}} from the cleaned data."""
        chosen = {"children": {}, "members": {}, "areas": {}, "candidates": {}}
        for prefix, pk, name in self.parts:
            chosen[prefix][pk] = self.cleaned_data[name]
        return chosen
