"""The French and Spanish catalogues are complete, keep their placeholders, and ship compiled."""

import re
import string
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation
from django.utils.html import escape

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["fr", "es"]

# printf-style conversions as Python's % operator reads them; "%%" is a literal percent sign.
PERCENT_PLACEHOLDER = re.compile(
    r"%(?:\((?P<name>[^)]*)\))?[#0\- +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?(?P<type>[diouxXeEfFgGcrsa%])"
)


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.po"


def mo_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / "django.mo"


def load_po(language: str) -> polib.POFile:
    path = po_path(language)
    assert path.is_file(), f"{path} is missing: run `make messages`"
    return polib.pofile(str(path))


def live_entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    return [entry for entry in catalogue if not entry.obsolete]


def translations(entry: polib.POEntry) -> list[str]:
    """Every msgstr of an entry: one, or one per plural form."""
    if entry.msgid_plural:
        return [entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)]
    return [entry.msgstr]


def plural_count(catalogue: polib.POFile) -> int:
    match = re.search(r"nplurals\s*=\s*(\d+)", catalogue.metadata.get("Plural-Forms", ""))
    assert match, "the catalogue's header has no Plural-Forms"
    return int(match.group(1))


def percent_placeholders(text: str) -> tuple[frozenset[str], tuple[str, ...]]:
    """Named placeholders as a set (translations may reorder them), unnamed ones in order."""
    named, positional = set(), []
    for match in PERCENT_PLACEHOLDER.finditer(text):
        if match["type"] == "%":
            continue
        if match["name"] is None:
            positional.append(match.group(0))
        else:
            named.add(f"%({match['name']}){match['type']}")
    return frozenset(named), tuple(positional)


def brace_placeholders(text: str) -> frozenset[str]:
    return frozenset(
        field for _literal, field, _spec, _conversion in string.Formatter().parse(text) if field is not None
    )


def entry_label(entry: polib.POEntry) -> str:
    return f"{entry.msgid!r} ({', '.join(f'{path}:{line}' for path, line in entry.occurrences[:2])})"


def translated_map(entries) -> dict[tuple[str | None, str, str | None], tuple[str, ...]]:
    """(context, msgid, msgid_plural) -> the translations, as gettext will look them up."""
    return {
        (entry.msgctxt, entry.msgid, entry.msgid_plural or None): tuple(translations(entry))
        for entry in entries
        if entry.msgid
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated_in_every_plural_form(language):
    catalogue = load_po(language)
    forms = plural_count(catalogue)
    untranslated = [
        entry_label(entry)
        for entry in live_entries(catalogue)
        if not all(text.strip() for text in translations(entry))
        or (entry.msgid_plural and len(entry.msgstr_plural) != forms)
    ]
    assert live_entries(catalogue), "the catalogue is empty"
    assert not untranslated, f"untranslated in {language}:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_translation_is_left_fuzzy(language):
    catalogue = load_po(language)
    assert not catalogue.metadata_is_fuzzy, "the header is still marked fuzzy"
    fuzzy = [entry_label(entry) for entry in live_entries(catalogue) if "fuzzy" in entry.flags]
    assert not fuzzy, f"fuzzy in {language} (gettext leaves these out of the .mo):\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_the_english(language):
    checks = {"python-format": percent_placeholders, "python-brace-format": brace_placeholders}
    wrong = []
    for entry in live_entries(load_po(language)):
        for flag in set(checks) & set(entry.flags):
            placeholders = checks[flag]
            # A plural form serves several counts (French uses its first for 0 and 1): each keeps them all.
            expected = placeholders(entry.msgid_plural or entry.msgid)
            wrong += [
                f"{entry_label(entry)}: {text!r} has {placeholders(text)}, not {expected}"
                for text in translations(entry)
                if text and placeholders(text) != expected
            ]
    assert not wrong, f"placeholders changed in {language}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_is_compiled_from_the_po(language):
    path = mo_path(language)
    assert path.is_file(), f"{path} is missing: run `make messages` and commit the .mo"
    catalogue = load_po(language)
    # msgfmt leaves out fuzzy and untranslated entries: the other tests catch those.
    expected = translated_map(
        entry for entry in live_entries(catalogue) if "fuzzy" not in entry.flags and all(translations(entry))
    )
    compiled = translated_map(polib.mofile(str(path)))
    stale = sorted(set(expected.items()) ^ set(compiled.items()), key=repr)
    assert not stale, f"{path} does not match its .po; run `make messages` and commit both:\n" + "\n".join(
        repr(item) for item in stale[:20]
    )


@pytest.fixture
def _language_is_restored():
    # The locale middleware activates the visitor's language for the whole thread: undo it after.
    with translation.override(translation.get_language()):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("_language_is_restored")
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_speaks_the_chosen_language_from_the_compiled_catalogue(client, language):
    create_an_account = next(entry for entry in load_po(language) if entry.msgid == "Create an account")
    assert create_an_account.msgstr and create_an_account.msgstr != "Create an account"

    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    page = client.get("/").content.decode()

    assert f'<html lang="{language}">' in page
    assert escape(create_an_account.msgstr) in page
    assert "Create an account" not in page
