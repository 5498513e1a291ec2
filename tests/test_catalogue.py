"""The Vietnamese catalogue is complete and its compiled form is up to date."""

import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale" / "vi" / "LC_MESSAGES"
SOURCE = ["partyorg", "branches", "members", "admission", "reports", "templates"]


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


def msgids(path: Path) -> set[str]:
    """The msgids of a .po or .pot file, joined across lines (plural forms by their
    singular)."""
    found = set()
    for block in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        match = re.search(r'^msgid "(.*)"\n((?:".*"\n?)*)', block, re.M)
        if match:
            found.add(match.group(1) + "".join(re.findall(r'^"(.*)"$', match.group(2), re.M)))
    return found


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs gettext's xgettext")
def test_catalogue_has_every_string_of_the_source(tmp_path, settings, monkeypatch):
    """makemessages, run over the source with a copy of the catalogue, finds no string
    the catalogue lacks: a string marked for translation but never added would show in
    English. (The source is linked into a scratch folder, so that makemessages writes
    there and not into the project's catalogue.)"""
    for part in SOURCE:
        (tmp_path / part).symlink_to(ROOT / part)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command("makemessages", locale=["vi"], symlinks=True, keep_pot=True, verbosity=0)
    source = msgids(tmp_path / "locale" / "django.pot")
    assert len(source) > 1000
    assert source - msgids(LOCALE / "django.po") == set()
