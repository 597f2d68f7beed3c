"""Deal and opportunity exports: their stages and probabilities as kamtui reads them.

HubSpot's default sales pipeline (internal names or their labels, either spelling) and
Salesforce's standard opportunity stages map onto kamtui's stages (:class:`~kamtui.domain.deals.Stage`);
kamtui's own stage names read as themselves, so that its CSV export imports back. Names are
compared without case, spaces or punctuation ("Closed Won", "closedwon" and "CLOSED-WON" are one).
A stage not listed is refused, naming the stages that are known.

A probability is read as percent ("70", "70%", "70,5 %"), except in a file whose every
probability is between 0 and 1 ("0.7": HubSpot's "Deal probability"): such a file holds
fractions, read as 70%. A probability is kept as the opportunity's own (overriding the stage's
default) whenever the file gives one.
"""

from __future__ import annotations

from collections.abc import Iterable

from kamtui.domain.deals import Stage
from kamtui.domain.importer.columns import column_key
from kamtui.domain.importer.values import parse_amount
from kamtui.i18n import _

# Column-key spelling of a CRM stage -> kamtui's stage (documented in the README).
STAGE_NAMES: dict[str, Stage] = {
    # HubSpot, default sales pipeline: internal names; their labels have the same key
    "appointmentscheduled": Stage.PROSPECT,
    "qualifiedtobuy": Stage.QUALIFY,
    "presentationscheduled": Stage.PROPOSE,
    "decisionmakerboughtin": Stage.NEGOTIATE,
    "contractsent": Stage.COMMIT,
    "closedwon": Stage.WON,
    "closedlost": Stage.LOST,
    # Salesforce, standard opportunity stages
    "prospecting": Stage.PROSPECT,
    "qualification": Stage.QUALIFY,
    "needsanalysis": Stage.QUALIFY,
    "valueproposition": Stage.PROPOSE,
    "iddecisionmakers": Stage.PROPOSE,
    "perceptionanalysis": Stage.PROPOSE,
    "proposalpricequote": Stage.PROPOSE,
    "negotiationreview": Stage.NEGOTIATE,
    # kamtui's own
    **{column_key(s.value): s for s in Stage},
}


def parse_stage(text: str) -> Stage:
    """A CRM stage as kamtui's stage; ValueError naming the known stages otherwise."""
    stage = STAGE_NAMES.get(column_key(text))
    if stage is None:
        own = ", ".join(s.value for s in Stage)
        raise ValueError(
            _(
                "{text} is not a stage kamtui knows "
                "(HubSpot's default pipeline, Salesforce's standard stages, or kamtui's: {stages})"
            ).format(text=repr(text.strip()), stages=own)
        )
    return stage


def _number(text: str, decimal: str | None) -> float:
    return parse_amount(text.replace("%", ""), decimal)


def probability_fractions(cells: Iterable[str], decimal: str | None) -> bool:
    """Whether a file's probabilities are fractions: every readable one between 0 and 1, none
    written with "%", at least one given."""
    seen = False
    for cell in cells:
        text = cell.strip()
        if not text:
            continue
        if "%" in text:
            return False
        try:
            value = _number(text, decimal)
        except ValueError:
            continue  # refused on its row
        if not 0 <= value <= 1:
            return False
        seen = True
    return seen


def parse_probability(text: str, decimal: str | None, fractions: bool) -> int:
    """A probability in whole percent; ValueError if it is not a number from 0 to 100."""
    try:
        value = _number(text, decimal)
    except ValueError:
        raise ValueError(_not_probability(text)) from None
    if fractions and "%" not in text:
        value *= 100
    if not 0 <= value <= 100:
        raise ValueError(_not_probability(text))
    return round(value)


def _not_probability(text: str) -> str:
    return _("{text} is not a probability (a percent from 0 to 100)").format(text=repr(text.strip()))
