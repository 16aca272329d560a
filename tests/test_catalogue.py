"""The Arabic interface catalogue is complete and compiled."""

from pathlib import Path

from django.utils import translation

import polib

CATALOGUE = Path(__file__).resolve().parent.parent / "locale" / "ar" / "LC_MESSAGES" / "django.po"


def test_every_msgid_is_translated_and_none_fuzzy():
    catalogue = polib.pofile(str(CATALOGUE))
    assert len(catalogue) > 10
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []
    assert [
        e.msgid for e in catalogue if e.msgid_plural and not all(e.msgstr_plural.values())
    ] == []


def test_translations_keep_placeholders():
    catalogue = polib.pofile(str(CATALOGUE))
    for entry in catalogue.translated_entries():
        for placeholder in ("%(", "{"):
            assert entry.msgid.count(placeholder) == entry.msgstr.count(placeholder) or any(
                entry.msgid.count(placeholder) == s.count(placeholder)
                for s in entry.msgstr_plural.values()
            ), entry.msgid


def test_compiled_catalogue_is_used():
    with translation.override("ar"):
        assert translation.gettext("Skip to main content") == "تخطَّ إلى المحتوى الرئيسي"
