"""Vietnamese text helpers: diacritic-insensitive search keys and the Vietnamese sort order."""

import unicodedata
from functools import lru_cache

# Vietnamese alphabet order; letters with a breve, circumflex or horn are letters of their own.
_ALPHABET = tuple("aăâbcdđeêfghijklmnoôơpqrstuưvwxyz")
_LETTER_RANK = {letter: index + 1 for index, letter in enumerate(_ALPHABET)}
# Traditional tone order: level, grave (huyền), hook (hỏi), tilde (ngã), acute (sắc), dot (nặng).
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve, circumflex, horn


def normalize_text(value: str) -> str:
    """NFC with surrounding and repeated spaces removed, as stored everywhere."""
    return " ".join(unicodedata.normalize("NFC", value or "").split())


def fold(value: str) -> str:
    """Lower case without diacritics: "Nguyễn Văn Đạt" -> "nguyen van dat"."""
    decomposed = unicodedata.normalize("NFD", normalize_text(value).lower())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return stripped.replace("đ", "d")


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    """One word's part of the sort key; cached because names reuse few words (an import
    or a province's demo data sorts hundreds of thousands of names)."""
    ranks, tone = _letters_and_tone(word)
    return "".join(f"{rank:02d}" for rank in ranks) + f"00{tone}"


def _letters_and_tone(word: str) -> tuple[list[int], int]:
    ranks: list[int] = []
    tone = 0
    for char in unicodedata.normalize("NFC", word.lower()):
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        letter = base + "".join(m for m in marks if m in _LETTER_MARKS)
        letter = unicodedata.normalize("NFC", letter)
        for mark in marks:
            tone = _TONE_RANK.get(mark, tone)
        # Anything that is not a Vietnamese letter sorts after the letters.
        ranks.append(_LETTER_RANK.get(letter, 99))
    return ranks, tone


def vietnamese_sort_key(full_name: str) -> str:
    """A string that sorts people the Vietnamese way under any database collation.

    Given name first, then family name, then middle names; within a word, letters in
    Vietnamese order (a < ă < â < b …), then its tone. Only digits are used so that no
    locale collation can reorder or ignore separators.
    """
    words = normalize_text(full_name).split()
    if not words:
        return ""
    ordered = [words[-1], words[0], *words[1:-1]] if len(words) > 1 else words
    return "".join(_word_key(word) for word in ordered)
