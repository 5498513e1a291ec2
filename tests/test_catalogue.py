"""The Vietnamese catalogue is complete and its compiled form is up to date."""

import gettext
import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "vi" / "LC_MESSAGES"


def entries():
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    blocks = text.split("\n\n")[1:]  # the first block is the header
    return blocks


def needs_work(block: str) -> bool:
    """Fuzzy, or an empty msgstr not continued on the next lines."""
    empty = re.search(r'^msgstr(?:\[0\])? ""$', block, re.M)
    continued = re.search(r'^msgstr(?:\[0\])? ""\n"', block, re.M)
    return "#, fuzzy" in block or bool(empty and not continued)


def test_no_entry_is_untranslated_or_fuzzy():
    assert [block for block in entries() if needs_work(block)] == []
    assert needs_work('msgid "Hello"\nmsgstr ""')
    assert not needs_work('msgid "Hello"\nmsgstr ""\n"Xin chào"')


def test_compiled_catalogue_has_every_entry():
    with open(LOCALE / "django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog
    missing = []
    for block in entries():
        context = re.search(r'^msgctxt "(.*)"$', block, re.M)
        msgid = re.search(r'^msgid "(.*)"\n((?:".*"\n?)*)', block, re.M)
        if not msgid:
            continue
        text = msgid.group(1) + "".join(re.findall(r'^"(.*)"$', msgid.group(2), re.M))
        text = text.encode().decode("unicode_escape").encode("latin-1").decode("utf-8")
        key = f"{context.group(1)}\x04{text}" if context else text
        plural = "msgid_plural" in block
        if (key, 0) not in catalogue if plural else key not in catalogue:
            missing.append(key)
    assert missing == []
