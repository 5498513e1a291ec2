"""Field validators shared by models, forms and imports: each check written once."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

# The citizen identity card number (căn cước công dân): 12 digits.
NATIONAL_ID = RegexValidator(r"^[0-9]{12}\Z", _("A national ID has 12 digits."), "national_id")
# How an import template describes a national ID cell.
NATIONAL_ID_CELL = _("12 digits, written as text")
