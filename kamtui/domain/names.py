"""Short names for people where space is tight (the friendliness grid): something that tells
them apart.

A name's leading honorifics ("Dr.", "Prof.", "Mr", "Sra." ...) are skipped, so that "Dr. Amara
Okafor" is "Amara", not "Dr.". People who would share a short name get their last name's
initial ("Anna S.", "Anna K."), and if that is shared too, their whole name without honorifics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

HONORIFICS = frozenset(
    ("dr", "mr", "mrs", "ms", "miss", "mx", "prof", "ing", "lic", "sr", "sra", "srta", "dipl", "mag", "herr", "frau")
)


def _is_honorific(word: str) -> bool:
    return word.casefold().rstrip(".") in HONORIFICS


def without_honorifics(name: str) -> list[str]:
    """The words of ``name`` after its leading honorifics (all its words if nothing else is left)."""
    words = name.split()
    i = 0
    while i < len(words) - 1 and _is_honorific(words[i]):
        i += 1
    return words[i:]


def short_names(names: Sequence[str]) -> list[str]:
    """One short name per name, in order, told apart from the others' (see the module doc)."""
    words = [without_honorifics(n) for n in names]
    first = [w[0] if w else "" for w in words]
    initial = [f"{w[0]} {w[-1][0]}." if len(w) > 1 else (w[0] if w else "") for w in words]
    full = [" ".join(w) for w in words]
    firsts = Counter(n.casefold() for n in first)
    initials = Counter(n.casefold() for n in initial)
    out = []
    for f, i, whole in zip(first, initial, full, strict=True):
        if firsts[f.casefold()] == 1:
            out.append(f)
        elif initials[i.casefold()] == 1:
            out.append(i)
        else:
            out.append(whole)
    return out
