"""The Traditional Chinese catalogue is complete and its compiled form is current."""

import gettext
import shutil
import subprocess
import sys

import polib
import pytest

from tests.conftest import ROOT, child_env, service_missing

CATALOGUE = ROOT / "locale" / "zh_Hant" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def entries() -> list[polib.POEntry]:
    return [entry for entry in polib.pofile(str(CATALOGUE / "django.po")) if not entry.obsolete]


def test_every_string_has_a_traditional_chinese_translation(entries):
    untranslated = [e.msgid for e in entries if not e.translated() or "fuzzy" in e.flags]

    assert untranslated == []


def test_the_compiled_catalogue_matches_the_source(entries):
    with open(CATALOGUE / "django.mo", "rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    stale = [
        e.msgid
        for e in entries
        if (
            translations.ngettext(e.msgid, e.msgid_plural, 1) != e.msgstr_plural[0]
            if e.msgid_plural
            else translations.gettext(e.msgid) != e.msgstr
        )
    ]

    assert stale == [], "run `make messages` to recompile"


def test_the_catalogue_covers_every_string_in_the_code(tmp_path, entries):
    """makemessages over a copy of today's code finds no string the catalogue lacks."""
    if not shutil.which("xgettext"):
        service_missing("GNU gettext is not installed (.ci/run installs it)")
    for folder in ("awareness", "training", "locale"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=shutil.ignore_patterns("*.pyc"))
    shutil.copy(ROOT / "manage.py", tmp_path)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "--locale", "zh_Hant", "--no-location"],
        cwd=tmp_path,
        env=child_env(),
        check=True,
        capture_output=True,
    )
    refreshed = polib.pofile(str(tmp_path / "locale/zh_Hant/LC_MESSAGES/django.po"))
    in_code = {entry.msgid for entry in refreshed if not entry.obsolete}

    assert in_code - {e.msgid for e in entries} == set(), "run `make messages` and translate"
