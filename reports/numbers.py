"""Vietnamese number formatting for documents, whatever the interface language:
thousands with "." and decimals with "," (5.921; 81,3%). Halves round up, as people do."""

from decimal import ROUND_HALF_UP, Decimal


def number(value: int | float | None, places: int = 0) -> str:
    """5921 → "5.921"; number(45.27, 1) → "45,3"; None → "–"."""
    if value is None:
        return "–"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value: float | None, places: int = 1) -> str:
    """81.25 → "81,3%"; 101.0 → "101%" (a whole number drops its decimals)."""
    if value is None:
        return "–"
    text = number(value, places)
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return f"{text}%"


def share(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, None when there is nothing to divide by."""
    return 100 * part / whole if whole else None


def count(value: int, width: int = 2) -> str:
    """Counts the way the press writes them: 7 → "07", 23 → "23", 5921 → "5.921"."""
    return number(value).zfill(width)
