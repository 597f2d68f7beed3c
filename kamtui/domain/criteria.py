"""The key-account criteria: their keys (what the scoring reads), their labels, and every
spelling a stored file may hold for them. Light on purpose: the model migrates stored labels
with it on every load, and :mod:`kamtui.domain.selection` scores with it."""

from __future__ import annotations

import functools
from collections.abc import Mapping

from kamtui.i18n import N_

# Criteria from DOMAIN.md ("Choosing key accounts"); each customer is scored 1-5 on each. The
# labels are English as stored files may spell them; shown with _(CRITERIA[key]).
CRITERIA: dict[str, str] = {
    "revenue_potential": N_("revenue potential"),
    "growth": N_("growth potential"),
    "solvency": N_("solvency"),
    "relationships": N_("existing relationships"),
    "strategic_value": N_("strategic value"),
    "product_affinity": N_("product affinity"),
    "buying_process": N_("buying process"),
    "cultural_affinity": N_("cultural affinity"),
    "geographic_alignment": N_("geographic alignment"),
    "channel_partner": N_("potential as a channel partner"),
}


def _fold(name: str) -> str:
    return " ".join(name.lower().replace("_", " ").replace("-", " ").split())


# Every spelling of a criterion a file may hold: its key, its label, and a few short forms.
_SPELLINGS: dict[str, str] = {
    **{_fold(key): key for key in CRITERIA},
    **{_fold(label): key for key, label in CRITERIA.items()},
    "channel potential": "channel_partner",
    "channel partner potential": "channel_partner",
    "growth": "growth",
    "relationship": "relationships",
    "strategic": "strategic_value",
}


@functools.lru_cache(maxsize=512)
def criterion_key(name: str) -> str:
    """The key the scoring reads for a stored criterion name: a key as it is, a label or short
    form migrated ("revenue potential" -> "revenue_potential"), anything else unchanged (unknown:
    ``kamtui check`` reports it, see :func:`unknown_criteria`)."""
    if name in CRITERIA:
        return name
    return _SPELLINGS.get(_fold(name), name)


def unknown_criteria(criteria: Mapping[str, int]) -> list[str]:
    """The criterion names the scoring does not know, sorted."""
    return sorted(k for k in criteria if k not in CRITERIA)
