"""The interface translations in locale/: complete for Dutch, compiled, and loaded.

Dutch is the default interface language, so every message in the Dutch catalogue needs a
translation. English msgids are the source text, so the English catalogue only needs
translations for the few msgids that are not English.

Update the catalogues with

    .venv/bin/python manage.py makemessages -l nl -l en --ignore=node_modules \
        --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=docker
    .venv/bin/python manage.py compilemessages --ignore=node_modules --ignore=.venv

The .po files are read with the small parser below (polib is not a project dependency);
no test here touches the database.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCALE_DIR = REPO_ROOT / "locale"
TEMPLATES_DIR = REPO_ROOT / "templates"
LANGUAGES = ("nl", "en")

MAKEMESSAGES = (
    "`.venv/bin/python manage.py makemessages -l nl -l en --ignore=node_modules "
    "--ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore=docker`"
)
COMPILEMESSAGES = (
    "`.venv/bin/python manage.py compilemessages --ignore=node_modules --ignore=.venv`"
)


# ---------------------------------------------------------------------------
# A small .po parser
# ---------------------------------------------------------------------------
@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    # "msgstr" for a singular entry, "msgstr[0]", "msgstr[1]", ... for a plural one.
    msgstrs: dict[str, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        context = f" (context {self.msgctxt!r})" if self.msgctxt is not None else ""
        return f"line {self.line}: {self.msgid!r}{context}"


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}
_STRING_RE = re.compile(r'^"((?:[^"\\]|\\.)*)"$')
_KEYWORD_RE = re.compile(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(.*)$")


def _unquote(text: str, path: Path, number: int) -> str:
    match = _STRING_RE.match(text.strip())
    if not match:
        raise AssertionError(f"{path}:{number}: not a quoted string: {text!r}")
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group(0)), match.group(1))


def parse_po(path: Path) -> list[Entry]:
    """The entries of a .po file; obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    entry: Entry | None = None
    keyword: str | None = None

    def finish() -> None:
        nonlocal entry, keyword
        if entry is not None and (entry.msgstrs or entry.msgid):
            entries.append(entry)
        entry, keyword = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            finish()
            continue
        if line.startswith("#~"):
            continue
        if line.startswith("#"):
            if entry is not None and keyword is not None:
                finish()  # a comment after msgstr starts the next entry
            if entry is None:
                entry = Entry(line=number)
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(",") if flag.strip())
            continue
        if entry is None:
            entry = Entry(line=number)
        match = _KEYWORD_RE.match(line)
        if match:
            new_keyword, value = match.group(1), _unquote(match.group(2), path, number)
            if new_keyword in ("msgctxt", "msgid") and (keyword or "").startswith("msgstr"):
                finish()  # entries not separated by a blank line
                entry = Entry(line=number)
            keyword = new_keyword
        elif line.startswith('"') and keyword is not None:
            value = _unquote(line, path, number)
        else:
            raise AssertionError(f"{path}:{number}: cannot parse {raw!r}")
        if entry.line == 0:
            entry.line = number
        if keyword == "msgid":
            entry.msgid += value
        elif keyword == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif keyword == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        else:
            entry.msgstrs[keyword] = entry.msgstrs.get(keyword, "") + value
    finish()
    return entries


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / "django.mo"


@cache
def catalogue(language: str) -> tuple[Entry, ...]:
    path = po_path(language)
    if not path.is_file():
        pytest.fail(f"{path.relative_to(REPO_ROOT)} is missing; run {MAKEMESSAGES}.")
    return tuple(parse_po(path))


def header(language: str) -> dict[str, str]:
    headers = [entry for entry in catalogue(language) if entry.is_header]
    assert len(headers) == 1, f"{po_path(language)} needs exactly one header entry"
    fields = {}
    for line in headers[0].msgstrs.get("msgstr", "").splitlines():
        name, _sep, value = line.partition(":")
        fields[name.strip()] = value.strip()
    return fields


def messages(language: str) -> list[Entry]:
    return [entry for entry in catalogue(language) if not entry.is_header]


# ---------------------------------------------------------------------------
# The catalogues
# ---------------------------------------------------------------------------
def test_locale_dir_is_the_configured_one():
    assert [Path(path) for path in settings.LOCALE_PATHS] == [LOCALE_DIR]
    assert settings.LANGUAGE_CODE == "nl"
    assert set(LANGUAGES) <= {code for code, _name in settings.LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_header(language):
    fields = header(language)
    assert fields.get("Language") == language
    assert fields.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    assert fields.get("Content-Type") == "text/plain; charset=UTF-8"
    assert fields.get("Project-Id-Version", "").startswith("VIA Leernetwerken")


def test_dutch_catalogue_has_messages():
    assert len(messages("nl")) > 0, f"{po_path('nl')} has no messages; run {MAKEMESSAGES}."


def test_every_dutch_message_is_translated():
    untranslated = [
        str(entry)
        for entry in messages("nl")
        if not entry.msgstrs or any(value == "" for value in entry.msgstrs.values())
    ]
    assert not untranslated, (
        "Untranslated messages in locale/nl/LC_MESSAGES/django.po (Dutch is the default "
        "interface language, so every message needs a translation):\n  " + "\n  ".join(untranslated)
    )


def test_dutch_plurals_have_both_forms():
    incomplete = [
        str(entry)
        for entry in messages("nl")
        if entry.msgid_plural is not None and sorted(entry.msgstrs) != ["msgstr[0]", "msgstr[1]"]
    ]
    assert not incomplete, "Plural messages need msgstr[0] and msgstr[1]:\n  " + "\n  ".join(
        incomplete
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_fuzzy_messages(language):
    fuzzy = [str(entry) for entry in messages(language) if "fuzzy" in entry.flags]
    assert not fuzzy, (
        f"Fuzzy messages in {po_path(language).relative_to(REPO_ROOT)} are not used at run "
        "time; check the translation and remove the `#, fuzzy` line:\n  " + "\n  ".join(fuzzy)
    )


_PLACEHOLDER_RE = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")


def _placeholders(text: str) -> set[str]:
    return {match.group(0) for match in _PLACEHOLDER_RE.finditer(text)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = []
    for entry in messages(language):
        for key, value in entry.msgstrs.items():
            if not value:
                continue
            source = entry.msgid if key in ("msgstr", "msgstr[0]") else entry.msgid_plural
            if _placeholders(value) != _placeholders(source or ""):
                wrong.append(f"{entry} {key} = {value!r}")
    assert not wrong, "Translations that drop or add a placeholder:\n  " + "\n  ".join(wrong)


# ---------------------------------------------------------------------------
# The compiled catalogues
# ---------------------------------------------------------------------------
def read_mo(path: Path) -> dict[bytes, bytes]:
    """The messages of a GNU .mo file (keys and values as msgfmt stores them)."""
    data = path.read_bytes()
    (magic,) = struct.unpack("<I", data[:4])
    order = {0x950412DE: "<", 0xDE120495: ">"}.get(magic)
    assert order, f"{path} is not a GNU .mo file"
    _revision, count, originals, translations = struct.unpack(order + "4I", data[4:20])
    result = {}
    for index in range(count):
        length, offset = struct.unpack_from(order + "2I", data, originals + 8 * index)
        key = data[offset : offset + length]
        length, offset = struct.unpack_from(order + "2I", data, translations + 8 * index)
        result[key] = data[offset : offset + length]
    return result


def expected_mo(language: str) -> dict[bytes, bytes]:
    """What msgfmt makes of the .po: the translated, not fuzzy entries and the header."""
    result = {}
    for entry in catalogue(language):
        if "fuzzy" in entry.flags and not entry.is_header:
            continue
        values = [entry.msgstrs[key] for key in sorted(entry.msgstrs, key=_msgstr_index)]
        if entry.is_header:
            # msgfmt leaves out the POT-Creation-Date that makemessages updates on every run.
            values = [re.sub(r"(?m)^POT-Creation-Date:.*\n", "", value) for value in values]
        elif not any(values):
            continue
        key = entry.msgid
        if entry.msgid_plural is not None:
            key += "\0" + entry.msgid_plural
        if entry.msgctxt is not None:
            key = entry.msgctxt + "\x04" + key
        result[key.encode()] = "\0".join(values).encode()
    return result


def _msgstr_index(key: str) -> int:
    match = re.search(r"\[(\d+)\]", key)
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_exists(language):
    assert mo_path(language).is_file(), (
        f"{mo_path(language).relative_to(REPO_ROOT)} is missing; run {COMPILEMESSAGES}."
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_is_not_older_than_the_po(language):
    """The .mo is compiled from the current .po.

    A .mo older than its .po fails, unless it holds exactly what the .po holds: a fresh
    git checkout writes django.mo before django.po and would otherwise always fail.
    """
    po, mo = po_path(language), mo_path(language)
    if not mo.is_file():
        pytest.fail(f"{mo.relative_to(REPO_ROOT)} is missing; run {COMPILEMESSAGES}.")
    if mo.stat().st_mtime >= po.stat().st_mtime:
        return
    compiled, expected = read_mo(mo), expected_mo(language)
    # The header carries POT-Creation-Date and friends; a difference there matters too.
    stale = sorted(
        key.decode(errors="replace")
        for key in compiled.keys() | expected.keys()
        if compiled.get(key) != expected.get(key)
    )
    assert not stale, (
        f"{mo.relative_to(REPO_ROOT)} is older than {po.name} and differs from it; run "
        f"{COMPILEMESSAGES}. Differing messages:\n  " + "\n  ".join(map(repr, stale))
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalogue_matches_the_po(language):
    if not mo_path(language).is_file():
        pytest.fail(f"{mo_path(language).relative_to(REPO_ROOT)} is missing.")
    compiled = read_mo(mo_path(language))
    expected = expected_mo(language)
    missing = sorted(
        key.decode(errors="replace")
        for key in expected
        if key and compiled.get(key) != expected[key]
    )
    assert not missing, (
        f"{mo_path(language).relative_to(REPO_ROOT)} does not hold these translations from "
        f"{po_path(language).name}; run {COMPILEMESSAGES}:\n  " + "\n  ".join(map(repr, missing))
    )


def test_dutch_catalogue_is_loaded():
    with translation.override("nl"):
        assert translation.gettext("Skip to content") == "Direct naar de inhoud"
        singular = "%(counter)s result for “%(query)s”"
        plural = "%(counter)s results for “%(query)s”"
        assert translation.ngettext(singular, plural, 1) not in (singular, plural)
        assert translation.ngettext(singular, plural, 2) not in (singular, plural)


def test_english_catalogue_is_loaded():
    with translation.override("en"):
        assert translation.gettext("Skip to content") == "Skip to content"
        assert translation.get_language() == "en"


# ---------------------------------------------------------------------------
# Template strings
# ---------------------------------------------------------------------------
_TEMPLATE_COMMENT_RE = re.compile(r"\{%\s*comment\b.*?%\}.*?\{%\s*endcomment\s*%\}|\{#.*?#\}", re.S)
_TRANSLATE_RE = re.compile(
    r"""\{%\s*(?:translate|trans)\s+
        (?:"(?P<double>(?:[^"\\]|\\.)*)"|'(?P<single>(?:[^'\\]|\\.)*)')
        (?P<options>[^%]*)%\}""",
    re.X,
)
_CONTEXT_RE = re.compile(r"""\bcontext\s+(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")


def template_files() -> list[Path]:
    return sorted(TEMPLATES_DIR.rglob("*.html"))


def template_msgids() -> dict[tuple[str | None, str], list[str]]:
    """(context, msgid) of every {% translate "..." %} in templates/, with where it is."""
    found: dict[tuple[str | None, str], list[str]] = {}
    for path in template_files():
        text = _TEMPLATE_COMMENT_RE.sub("", path.read_text(encoding="utf-8"))
        for match in _TRANSLATE_RE.finditer(text):
            msgid = match.group("double")
            if msgid is None:
                msgid = match.group("single")
            context_match = _CONTEXT_RE.search(match.group("options"))
            context = None
            if context_match:
                context = next(group for group in context_match.groups() if group is not None)
            found.setdefault((context, msgid), []).append(str(path.relative_to(REPO_ROOT)))
    return found


def test_templates_use_translate():
    assert template_files(), f"no templates under {TEMPLATES_DIR}"
    assert "Skip to content" in {msgid for _context, msgid in template_msgids()}, (
        "the {% translate %} regex found nothing; is it still right?"
    )


def test_every_template_string_is_in_the_dutch_catalogue():
    translated = {
        (entry.msgctxt, entry.msgid): entry
        for entry in messages("nl")
        if entry.msgstrs and all(entry.msgstrs.values())
    }
    missing = [
        f"{msgid!r}{f' (context {context!r})' if context else ''} in {', '.join(places)}"
        for (context, msgid), places in sorted(template_msgids().items(), key=str)
        if (context, msgid) not in translated
    ]
    assert not missing, (
        f"Template strings without a Dutch translation; run {MAKEMESSAGES}, translate them "
        "in locale/nl/LC_MESSAGES/django.po and run "
        + COMPILEMESSAGES
        + ":\n  "
        + "\n  ".join(missing)
    )
