"""Spreadsheet columns for imports: tolerant widgets and a documented Field.

People type dates as 01/02/1975 or leave Excel dates, write "Nữ" or "nu", add spaces;
the widgets accept all of that and render the one canonical form, so an export
imports back unchanged.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.fields import Field
from import_export.widgets import Widget

from partyorg.text import fold, normalize_text

DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_LAST_SERIAL = 2_958_465  # 31/12/9999


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class RequiredMixin:
    required = False

    def check_required(self, value):
        if self.required and _is_blank(value):
            raise ValueError(_("This column must not be empty."))


class TextWidget(RequiredMixin, Widget):
    """Text in NFC with surrounding and repeated spaces removed."""

    def __init__(
        self, *, max_length, required=False, validator=None, normalize=None, description=None
    ):
        super().__init__()
        self.max_length = max_length
        self.required = required
        self.description = description
        self.validator = validator
        self.normalize = normalize

    def clean(self, value, row=None, **kwargs):
        self.check_required(value)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = normalize_text(str(value))
        if self.normalize:
            text = self.normalize(text)
        if len(text) > self.max_length:
            raise ValueError(
                _("The text is too long: %(length)d characters, at most %(limit)d.")
                % {"length": len(text), "limit": self.max_length}
            )
        if text and self.validator:
            try:
                self.validator(text)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
        return text

    def render(self, value, obj=None, **kwargs):
        return value or ""

    def describe(self) -> str:
        if self.description:
            return str(self.description)
        return _("Text, at most %(limit)d characters") % {"limit": self.max_length}


class DateWidget(RequiredMixin, Widget):
    """A date cell of Excel, or text dd/mm/yyyy (also dd-mm-yyyy, dd.mm.yyyy, yyyy-mm-dd)."""

    def __init__(self, *, required=False):
        super().__init__()
        self.required = required

    def clean(self, value, row=None, **kwargs):
        self.check_required(value)
        if _is_blank(value):
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and 1 <= value <= EXCEL_LAST_SERIAL and float(value).is_integer():
            return EXCEL_EPOCH + datetime.timedelta(days=int(value))
        text = normalize_text(str(value))
        if match := DAY_FIRST.fullmatch(text):
            day, month, year = match.groups()
        elif match := YEAR_FIRST.fullmatch(text):
            year, month, day = match.groups()
        if match:
            try:
                return datetime.date(int(year), int(month), int(day))
            except ValueError:
                pass
        raise ValueError(
            _("“%(value)s” is not a date; write it as dd/mm/yyyy.") % {"value": text[:40]}
        )

    def render(self, value, obj=None, **kwargs):
        return value.strftime("%d/%m/%Y") if value else ""

    def describe(self) -> str:
        return _("Date dd/mm/yyyy or an Excel date")


class ChoiceWidget(RequiredMixin, Widget):
    """One of a fixed list, written as its Vietnamese word.

    `words` maps each stored value to the word an office writes; `aliases` adds other
    words people use. Matching ignores case and diacritics; the stored value and the
    English label are accepted too.
    """

    def __init__(self, choices, words: dict, *, aliases=None, required=False, default=None):
        super().__init__()
        self.words = {str(value): word for value, word in words.items()}
        missing = {str(v) for v in choices.values} - set(self.words)
        if missing:
            raise ValueError(f"No Vietnamese word for {sorted(missing)}")
        self.required = required
        self.default = default
        self.lookup = {}
        for value, label in choices.choices:
            self.lookup[fold(str(value))] = str(value)
            self.lookup.setdefault(fold(str(label)), str(value))
        for value, word in self.words.items():
            self.lookup[fold(word)] = value
        for word, value in (aliases or {}).items():
            self.lookup[fold(word)] = str(value)

    def clean(self, value, row=None, **kwargs):
        self.check_required(value)
        if _is_blank(value):
            return self.default if self.default is not None else ""
        try:
            return self.lookup[value]
        except (KeyError, TypeError):
            pass
        try:
            found = self.lookup[fold(str(value))]
        except KeyError:
            raise ValueError(
                _("“%(value)s” is not allowed; write one of: %(allowed)s.")
                % {"value": normalize_text(str(value))[:40], "allowed": self.allowed()}
            ) from None
        if isinstance(value, str) and len(self.lookup) < 10_000:
            self.lookup[value] = found  # the same words come back on every row
        return found

    def render(self, value, obj=None, **kwargs):
        return self.words.get(str(value), "") if value else ""

    def allowed(self) -> str:
        return "; ".join(self.words.values())

    def describe(self) -> str:
        return _("One of: %(allowed)s") % {"allowed": self.allowed()}


class IntegerWidget(RequiredMixin, Widget):
    def __init__(self, *, required=False, minimum=0, maximum=10**9):
        super().__init__()
        self.required = required
        self.minimum = minimum
        self.maximum = maximum

    def clean(self, value, row=None, **kwargs):
        self.check_required(value)
        if _is_blank(value):
            return None
        text = normalize_text(str(value)).replace(".", "").replace(",", "")
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if not text.isdigit() or not self.minimum <= int(text) <= self.maximum:
            raise ValueError(
                _("“%(value)s” is not a whole number from %(low)d to %(high)d.")
                % {
                    "value": normalize_text(str(value))[:40],
                    "low": self.minimum,
                    "high": self.maximum,
                }
            )
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)

    def describe(self) -> str:
        return _("Whole number")


class DecimalWidget(RequiredMixin, Widget):
    """A number with at most `places` decimals, written with a dot or a comma (84,5)."""

    def __init__(self, *, places=1, minimum=0, maximum=100, required=False):
        super().__init__()
        self.places = places
        self.minimum = Decimal(minimum)
        self.maximum = Decimal(maximum)
        self.required = required

    def clean(self, value, row=None, **kwargs):
        self.check_required(value)
        if _is_blank(value):
            return None
        text = normalize_text(str(value)).replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if (
            number is None
            or not number.is_finite()
            or not self.minimum <= number <= self.maximum
            or number != round(number, self.places)
        ):
            raise ValueError(
                _(
                    "“%(value)s” is not a number from %(low)s to %(high)s with at most "
                    "%(places)d decimal."
                )
                % {
                    "value": normalize_text(str(value))[:40],
                    "low": self.minimum,
                    "high": self.maximum,
                    "places": self.places,
                }
            )
        return round(number, self.places)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value)

    def describe(self) -> str:
        return _("Number, a comma or dot before the decimal")


YES_WORDS = {"co", "x", "1", "dat", "yes"}  # folded: Có, x, 1, Đạt


class YesWidget(TextWidget):
    """A tick: “Có” (or x, 1, Đạt) for yes, empty for no."""

    def __init__(self):
        super().__init__(max_length=10, description=gettext_lazy("“Có” for yes, empty for no"))

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        if text and fold(text) not in YES_WORDS:
            raise ValueError(_("Write “Có” or leave the cell empty."))
        return bool(text)

    def render(self, value, obj=None, **kwargs):
        return "Có" if value else ""


class Column(Field):
    """A spreadsheet column: Vietnamese header, widget, and its documentation line."""

    def __init__(self, attribute, header, widget, *, help, **kwargs):
        super().__init__(attribute=attribute, column_name=header, widget=widget, **kwargs)
        self.help = help

    @property
    def required(self) -> bool:
        return getattr(self.widget, "required", False)

    @property
    def is_date(self) -> bool:
        return isinstance(self.widget, DateWidget)

    def document(self) -> dict:
        return {
            "header": self.column_name,
            "required": self.required,
            "help": str(self.help),
            "format": self.widget.describe(),
        }
