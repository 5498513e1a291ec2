"""Vietnamese number formatting for documents, whatever the interface language:
thousands with "." and decimals with "," (5.921; 81,3%)."""


def number(value: int | float | None, places: int = 0) -> str:
    """5921 → "5.921"; number(45.27, 1) → "45,3"; None → "–"."""
    if value is None:
        return "–"
    text = f"{value:,.{places}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def percent(value: float | None, places: int = 1) -> str:
    """81.25 → "81,3%"; 101.0 → "101%" (a whole number drops its decimals)."""
    if value is None:
        return "–"
    rounded = round(value, places)
    if rounded == int(rounded):
        return f"{number(int(rounded))}%"
    return f"{number(rounded, places)}%"


def share(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, None when there is nothing to divide by."""
    return 100 * part / whole if whole else None


def count(value: int, width: int = 2) -> str:
    """Counts the way the press writes them: 7 → "07", 23 → "23", 5921 → "5.921"."""
    return number(value).zfill(width)
