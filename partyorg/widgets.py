"""Form widgets, and a form renderer, for forms drawn often with many fields."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.html import conditional_escape
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
            options.append(
                f'\n  <option value="{conditional_escape(option_value)}"'
                f"{' selected' if selected else ''}>{conditional_escape(label)}</option>"
            )
        attrs = _attrs(self.build_attrs(self.attrs, attrs))
        return mark_safe(
            f'<select name="{conditional_escape(name)}"{attrs}>{"".join(options)}\n</select>'
        )


class FlatRenderer(DjangoTemplates):
    """Django's form renderer, except that <input> and <textarea> widgets are written
    here, exactly as Django's templates write them (tests/test_widgets.py compares the
    two), without a template each: on the minutes form its two dozen inputs drawn by
    the templates took a fifth of the page's time. Use the one instance, FLAT_RENDERER,
    so that the templates of the other widgets are loaded once."""

    def render(self, template_name, context, request=None):
        if template_name in INPUT_TEMPLATES:
            return _input(context["widget"])
        if template_name == "django/forms/widgets/textarea.html":
            return _textarea(context["widget"])
        return super().render(template_name, context, request)


# The widget templates that only include django/forms/widgets/input.html.
INPUT_TEMPLATES = {
    f"django/forms/widgets/{kind}.html"
    for kind in (
        "checkbox",
        "color",
        "date",
        "datetime",
        "email",
        "hidden",
        "number",
        "password",
        "search",
        "tel",
        "text",
        "time",
        "url",
    )
}
FLAT_RENDERER = FlatRenderer()


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{conditional_escape(str(value))}"'
    return mark_safe(
        f'<input type="{conditional_escape(widget["type"])}" '
        f'name="{conditional_escape(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'
    )


def _textarea(widget: dict) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return mark_safe(
        f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n'
        f"{value}</textarea>"
    )


def _attrs(attrs: dict) -> str:
    """The attributes as Django's widgets/attrs.html writes them: True as the bare
    name, False left out, anything else as its text."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )
