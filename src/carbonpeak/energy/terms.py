"""The energy catalogue's names (fuels, units, generation types) in the reader's language, and back.

The catalogue keeps the national statistical names (原煤, 万立方米, 燃煤发电 …) and every record stores them;
an English reader sees and may type their English names, which the catalogue's own name replaces before a
service checks the line. The English names live in the translation catalogue beside every other word.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language, gettext

from carbonpeak.energy import catalog


def shown(name: str) -> str:
    """A catalogue name as the reader's language writes it (an unknown name as it was typed)."""
    return gettext(name) if name else name


def _key(text: str) -> str:
    return " ".join(str(text).split()).casefold()


@lru_cache(maxsize=8)
def _typed_names(language: str | None) -> dict[str, str]:
    names = [f.name for f in catalog.FUELS] + list(catalog.UNIT_NAMES)
    names += [s.name for s in catalog.GENERATION_SOURCES]
    return {_key(gettext(n)): n for n in names if gettext(n) != n}


def catalogue_name(typed: str) -> str:
    """The catalogue's own name for what a reader typed in their language (unchanged when it is not one)."""
    text = str(typed or "").strip()
    return _typed_names(get_language()).get(_key(text), text) if text else text


def factor_set_name(label: str) -> str:
    """A factor set's ``name@version`` label as the reader names it (国家方法默认因子集 2026.1 版)."""
    from carbonpeak.energy.factors import ENTERED, SET_NAMES

    label = str(label) if label else ""
    name, _at, version = label.partition("@")
    if not version:
        return label
    root, entered, n = version.partition(ENTERED)
    shown = gettext("%(name)s %(version)s 版") % {"name": gettext(SET_NAMES.get(name, name)), "version": root}
    return gettext("%(set)s（录入 %(n)s）") % {"set": shown, "n": n} if entered else shown
