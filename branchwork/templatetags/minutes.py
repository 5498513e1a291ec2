"""The sections of a meeting's minutes, labelled in one place (the model's field names) for
the form, the meeting page and the printed minutes."""

from django import template
from django.utils.text import capfirst

from branchwork.meetings import MINUTES_SECTIONS
from branchwork.models import Meeting

register = template.Library()


@register.filter
def minutes_sections(source) -> list[tuple[str, str]]:
    """(label, text) of each section of `source`, a meeting or one of its saved versions."""
    return [
        (capfirst(Meeting._meta.get_field(name).verbose_name), getattr(source, name))
        for name in MINUTES_SECTIONS
    ]
