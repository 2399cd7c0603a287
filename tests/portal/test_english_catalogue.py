"""The English catalogue is complete: every UI string has a reviewed English translation.

Vietnamese is the source language; English is the second UI language. gettext falls back to the Vietnamese msgid
for an empty msgstr and ignores fuzzy entries, so an incomplete catalogue silently shows Vietnamese to an English
user. After `make messages`, these tests list exactly which msgids still need translating.
"""

import ast
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"

# %(name)s, %s, %d… (python-format), {name} (python-brace-format) and HTML tags must survive translation.
PLACEHOLDER = re.compile(r"%\([^)]+\)[#0 +-]*\d*(?:\.\d+)?[sdifr]|%[sdifr]|\{[A-Za-z_][A-Za-z0-9_]*\}|</?[a-z][^>]*>")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str = ""
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def label(self) -> str:
        return repr(self.msgid) + (f" (plural {self.msgid_plural!r})" if self.msgid_plural else "")


def parse_po(text: str) -> list[Entry]:
    """A small reader for the subset of the PO format makemessages writes (no msgctxt is used in this project)."""
    entries: list[Entry] = []
    entry, target = Entry(), None

    def finish():
        nonlocal entry, target
        if entry.msgstr or entry.msgid:
            entries.append(entry)
        entry, target = Entry(), None

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            entry.obsolete = True
            continue
        if line.startswith("#,"):
            if entry.msgid or entry.msgstr:  # a comment after a complete entry starts the next one
                finish()
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword.startswith('"'):  # continuation of the previous keyword's string
            rest, keyword = line, None
        elif keyword == "msgid" and (entry.msgid or entry.msgstr):
            finish()
        value = ast.literal_eval(rest)
        if keyword is None:
            if target == "msgid":
                entry.msgid += value
            elif target == "msgid_plural":
                entry.msgid_plural += value
            else:
                entry.msgstr[-1] += value
        elif keyword in ("msgid", "msgid_plural"):
            target = keyword
            setattr(entry, keyword, value)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            target = "msgstr"
            entry.msgstr.append(value)
        else:
            raise ValueError(f"Unexpected line in {CATALOGUE.name}: {raw!r}")
    finish()
    return [entry for entry in entries if entry.msgid and not entry.obsolete]  # msgid "" is the header


def _fail_listing(problem: str, entries: list[str]) -> None:
    """Name every offending msgid (pytest.fail, unlike an assert message, is never truncated)."""
    if entries:
        listing = "\n".join(f"  {label}" for label in entries)
        pytest.fail(f"{len(entries)} {problem} in {CATALOGUE.relative_to(settings.BASE_DIR)}; fix them (translate, "
                    f"drop the fuzzy flag), then run compilemessages:\n{listing}", pytrace=False)


def test_the_reader_sees_untranslated_fuzzy_and_plural_entries():
    # A check that reads nothing passes on anything: prove the reader on a catalogue with known faults.
    sample = (
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        'msgid "Nộp hồ sơ"\nmsgstr "Submit dossier"\n\n'
        'msgid ""\n"Hồ sơ dài "\n"nhiều dòng"\nmsgstr ""\n\n'
        '#, fuzzy, python-format\n#| msgid "Cũ"\nmsgid "Quá hạn %(days)s ngày."\nmsgstr "Overdue by %(days)s days."\n\n'
        '#, python-format\nmsgid "%(counter)s khoản"\nmsgid_plural "%(counter)s khoản"\n'
        'msgstr[0] "%(counter)s payment"\nmsgstr[1] ""\n\n'
        '#~ msgid "Đã bỏ"\n#~ msgstr ""\n'
    )
    entries = parse_po(sample)
    assert [entry.msgid for entry in entries] == [
        "Nộp hồ sơ", "Hồ sơ dài nhiều dòng", "Quá hạn %(days)s ngày.", "%(counter)s khoản"]
    assert [entry.msgid for entry in entries if not all(entry.msgstr)] == ["Hồ sơ dài nhiều dòng", "%(counter)s khoản"]
    assert [entry.msgid for entry in entries if "fuzzy" in entry.flags] == ["Quá hạn %(days)s ngày."]


def test_every_string_has_an_english_translation():
    entries = parse_po(CATALOGUE.read_text(encoding="utf-8"))
    assert len(entries) > 500, "the English catalogue could not be read"
    untranslated = [entry.label for entry in entries if not entry.msgstr or not all(entry.msgstr)]
    _fail_listing("untranslated msgids", untranslated)


def test_no_translation_is_left_fuzzy():
    # makemessages marks a changed string fuzzy with its old, now wrong, translation; Django never shows it.
    fuzzy = [entry.label for entry in parse_po(CATALOGUE.read_text(encoding="utf-8")) if "fuzzy" in entry.flags]
    _fail_listing("fuzzy msgids", fuzzy)


def test_translations_keep_every_placeholder_and_tag():
    # A lost %(name)s raises KeyError at run time or drops the value from the sentence; a lost tag breaks the page.
    broken = []
    for entry in parse_po(CATALOGUE.read_text(encoding="utf-8")):
        for form, translation in enumerate(entry.msgstr):
            source = entry.msgid_plural if form and entry.msgid_plural else entry.msgid
            if translation and sorted(PLACEHOLDER.findall(translation)) != sorted(PLACEHOLDER.findall(source)):
                broken.append(f"{entry.label} → {translation!r}")
    _fail_listing("translations whose placeholders or tags differ from the msgid", broken)
