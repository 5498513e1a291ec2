"""Form widgets shared by the apps."""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


class FlatSelect(forms.Select):
    """A single-choice <select> written by one loop, without a template. Django's Select
    includes a template for each option and another for its attributes, and even one
    template looping over the options cost a node or four per option: on the minutes
    form the chair and minute-taker selects (an option per member of the branch) were
    the largest part of the widgets' time. Options carry no attributes and no groups."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = self.format_value(value)
        options, found = [], False
        for option_value, label in self.choices:
            option_value = str(option_value)
            selected = not found and option_value in chosen
            found = found or selected
            options.append((option_value, " selected" if selected else "", label))
        return format_html(
            '<select name="{}"{}>{}\n</select>',
            name,
            html_attrs(self.build_attrs(self.attrs, attrs)),
            format_html_join("", '\n  <option value="{}"{}>{}</option>', options),
        )


def html_attrs(attrs: dict) -> str:
    """The attributes as Django's widgets/attrs.html writes them: True as the bare
    name, False left out, anything else as its text."""
    return mark_safe(
        "".join(
            format_html(' {}="{}"', name, value) if value is not True else format_html(" {}", name)
            for name, value in attrs.items()
            if value is not False
        )
    )
