"""The words the user reads, in the user's language (issue 15).

Every user-facing string goes through a gettext catalog: ``_("Saved")``, ``ngettext("1 day",
"{n} days", n)``, and ``N_("...")`` to mark a string kept in a constant (a binding's
description, a label table) that is translated where it is shown. The msgid is the English
text itself, so English needs no catalog; Spanish is ``kamtui/locale/es/LC_MESSAGES/kamtui.mo``,
compiled from the ``.po`` beside it (``python -m tests.i18n_catalog build``).

The language, the way terminal users expect: ``--lang``, else ``language = "es"`` in the config
file, else ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` (the first one set, as the C library reads
them). The first of these that is set decides; a language kamtui does not speak is English,
with no error. ``C`` and ``POSIX`` are English.

Stored data never depends on the language: dates stay ISO, numbers plain, so that a team with
mixed languages shares one file. This module is below every layer (the domain's error
messages are words too) and imports nothing of kamtui's.
"""

from __future__ import annotations

import gettext as _gettext
import os
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "kamtui"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DEFAULT = "en"
LANGUAGES = ("en", "es")  # what kamtui speaks; English needs no catalog
ENVIRONMENT = ("LC_ALL", "LC_MESSAGES", "LANG")

_catalog: _gettext.NullTranslations = _gettext.NullTranslations()
_language = DEFAULT
_region: str | None = None


def _(message: str) -> str:
    """``message`` (English) in the current language."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of ``singular``/``plural`` for ``n``, in the current language (``{n}`` is
    left for the caller's ``.format``)."""
    return _catalog.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, told apart by ``context`` from the same English
    word meaning something else ("May" the month, "May" the verb)."""
    return _catalog.pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """:func:`ngettext` told apart by ``context`` (see :func:`pgettext`)."""
    return _catalog.npgettext(context, singular, plural, n)


def N_(message: str) -> str:
    """Marks ``message`` for the catalog without translating it (it is translated where shown)."""
    return message


def language() -> str:
    """The language in force: ``"en"`` or ``"es"``."""
    return _language


def locale_name() -> str:
    """The locale for formats (Babel): the language with the region the environment named when
    it named this language (``es_MX`` from ``LANG=es_MX.UTF-8``), else the language alone."""
    return f"{_language}_{_region}" if _region else _language


def parse(value: str | None) -> tuple[str, str | None] | None:
    """(language, region) of a locale name such as ``es_ES.UTF-8``, ``es-MX``, ``es`` or ``C``;
    None for an empty value (not set). A language kamtui does not speak is English."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    name = value.split(".", 1)[0].split("@", 1)[0].replace("-", "_")
    lang, _sep, region = name.partition("_")
    lang = lang.lower()
    if lang not in LANGUAGES:
        return DEFAULT, None
    region = region.upper()
    return lang, (region if region.isalpha() and len(region) == 2 else None)


def choose(
    cli: str | None = None, config: str | None = None, environ: Mapping[str, str] | None = None
) -> tuple[str, str | None]:
    """(language, region): ``--lang``, else the config file's ``language``, else the
    environment; English when nothing is set or what is set is not a language kamtui speaks."""
    env = os.environ if environ is None else environ
    for value in (cli, config, *(env.get(name) for name in ENVIRONMENT)):
        chosen = parse(value)
        if chosen is not None:
            return chosen
    return DEFAULT, None


def set_language(lang: str, region: str | None = None) -> str:
    """Speak ``lang`` from now on (a code of :data:`LANGUAGES`; anything else is English).
    Returns the language in force. A missing catalog file is English, never an error."""
    global _catalog, _language, _region
    if lang not in LANGUAGES:
        lang, region = DEFAULT, None
    catalog: _gettext.NullTranslations = _gettext.NullTranslations()
    if lang != DEFAULT:
        try:
            with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as fh:
                catalog = _gettext.GNUTranslations(fh)
        except OSError:
            lang, region = DEFAULT, None
    _catalog, _language, _region = catalog, lang, region
    return lang


def use(cli: str | None = None, config: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """Choose the language (:func:`choose`) and speak it; returns it."""
    return set_language(*choose(cli, config, environ))
