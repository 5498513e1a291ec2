"""Choice labels of model fields, looked up in a table built once per field.

Django's get_FOO_display() rebuilds a dict of the field's choices on every call, and
building it hashes every label; a label is a lazy translation, so each hash is a gettext.
The tree page showed it: 180 node kinds cost 1,629 gettext calls a request, about a fifth
of the page's time. With the table kept, a call costs one lookup and one gettext.
"""

from functools import cache

from django.db import models
from django.utils.encoding import force_str


@cache
def _labels(field: models.Field) -> dict:
    # Keyed by value only: the lazy labels are kept, not hashed, so each call translates
    # its label into the language active at that moment.
    return dict(field.flatchoices)


class ChoiceLabels:
    """Mixin for models, before models.Model in the bases: every get_FOO_display() of the
    model reads its label from _labels. Labels and their fallback (the raw value for a
    value outside the choices) are Django's."""

    def _get_FIELD_display(self, field: models.Field):
        value = getattr(self, field.attname)
        return force_str(_labels(field).get(value, value), strings_only=True)
