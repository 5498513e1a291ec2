"""Dates as party documents write them (Hướng dẫn 36-HD/VPTW)."""

import datetime

from django import template

register = template.Library()


@register.filter
def in_words(day: datetime.date | None) -> str:
    """ "ngày 01 tháng 07 năm 2024". In running text, where WeasyPrint may break a
    justified line before a "01/07/2024" and strand the word before it."""
    if day is None:
        return ""
    return f"ngày {day:%d} tháng {day:%m} năm {day:%Y}"
