from django import template
from django.utils.translation import gettext_lazy as _

register = template.Library()

# django-simple-history ships no Vietnamese catalogue; its three actions are named here.
_ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@register.filter
def history_action(record) -> str:
    """The action of a history record in the interface language."""
    return _ACTIONS.get(record.history_type, record.history_type)
