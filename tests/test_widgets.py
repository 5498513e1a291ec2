"""The widgets the minutes form draws without templates write what Django's templates
write, for every kind of input, value and attribute they meet."""

import datetime
import re

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from partyorg.widgets import FLAT_RENDERER, FlatSelect

TRICKY = 'Lê "Bình" <b>&</b>'


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="?")
    optional = forms.CharField(required=False)
    number = forms.DecimalField(required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    hour = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    email = forms.EmailField(required=False)
    secret = forms.CharField(widget=forms.PasswordInput(render_value=True), required=False)
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    tick = forms.BooleanField(required=False)
    ticked = forms.BooleanField(required=False, initial=True)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "data-x": TRICKY}))
    empty_notes = forms.CharField(widget=forms.Textarea, required=False)
    flags = forms.CharField(
        widget=forms.TextInput(attrs={"autofocus": True, "disabled": False, "data-n": 0}),
        required=False,
    )
    choice = forms.ChoiceField(
        choices=[("", "—"), ("1", TRICKY), (2, "hai"), ("3", mark_safe("<i>ba</i>"))],
        widget=FlatSelect(attrs={"class": "wide"}),
        required=False,
    )


def draw(form):
    # Django's select template leaves blank lines between options; FlatSelect does not.
    return {name: re.sub(r"\n+", "\n", str(form[name])) for name in form.fields}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "text": TRICKY,
            "optional": "",
            "number": "1.5",
            "day": "2026-02-30",
            "hour": "19:30",
            "email": "x",
            "secret": "s&",
            "hidden": TRICKY,
            "tick": "on",
            "notes": f"{TRICKY}\nline two",
            "flags": "<",
            "choice": "2",
        },
        {"choice": "9", "notes": ""},
    ],
    ids=["unbound", "bound with mistakes", "bound, unknown choice"],
)
def test_flat_renderer_writes_what_the_templates_write(data):
    initial = {"text": TRICKY, "day": datetime.date(2026, 3, 1), "number": 2, "choice": "3"}
    ours = Everything(data, initial=initial, renderer=FLAT_RENDERER)
    django = Everything(data, initial=initial, renderer=DjangoTemplates())
    if data is not None:
        assert not ours.is_valid() and not django.is_valid()
    # FlatSelect draws itself; the reference is Django's own Select.
    django.fields["choice"].widget = forms.Select(
        attrs={"class": "wide"}, choices=django.fields["choice"].choices
    )
    assert draw(ours) == draw(django)
    assert 'data-x="Lê &quot;Bình&quot; &lt;b&gt;&amp;&lt;/b&gt;"' in str(ours["notes"])


def test_the_templates_of_other_widgets_still_draw_them():
    form = forms.Form(renderer=FLAT_RENDERER)
    form.fields["many"] = forms.MultipleChoiceField(
        choices=[("a", "A"), ("b", "B")], widget=forms.CheckboxSelectMultiple
    )
    django = forms.Form(renderer=DjangoTemplates())
    django.fields["many"] = form.fields["many"]
    assert str(form["many"]) == str(django["many"])
    assert str(form) == str(django)
