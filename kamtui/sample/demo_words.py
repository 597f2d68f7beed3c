"""The words the demo's build adds to its source, in English and in Spanish, and the Spanish
source itself: :func:`in_spanish` puts ``demo_source.toml`` into the words of
``demo_source_es.toml`` (issue 15: ``kamtui --demo`` under Spanish opens a Spanish portfolio).
Data, and the one function that applies it; :mod:`kamtui.sample.demo_build` builds with them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.sample.words import OPPORTUNITIES, OPPORTUNITIES_ES, SUMMARIES, SUMMARIES_ES

# Why the regular customers' lost orders were lost (one per customer, by its id).
LOST_REASONS = ("Lost on price", "Went to their usual supplier", "Order cancelled", "Budget moved to next year")
LOST_REASONS_ES = (
    "Perdida por precio",
    "Se fueron a su proveedor de siempre",
    "Pedido cancelado",
    "Presupuesto movido al año que viene",
)


@dataclass(frozen=True, slots=True)
class Words:
    """The words the build adds to the source's (drawn from, or the same for every account), in
    one language. Each Spanish table has the English one's length: the same draws pick the
    same places, so that both demos have the same shape."""

    summaries: tuple[str, ...]
    opportunities: tuple[str, ...]
    lost_reasons: tuple[str, ...]
    team: tuple[str, str]  # the account team's roles: the owner's, the helper's
    candidate_actions: tuple[str, str]
    promote: str
    candidate_notes: tuple[str, str]
    orders: tuple[str, str, str]  # a candidate's first order, its expansion, the agreement in qualify


ENGLISH = Words(
    SUMMARIES,
    OPPORTUNITIES,
    LOST_REASONS,
    ("key account manager", "solutions engineer"),
    ("Score the key-account criteria with the team", "Estimate cost to serve at key-account level"),
    "Decide on promotion to key account",
    ("Growing steadily, good fit", "Promising; decide on promotion next quarter"),
    ("First order", "Expansion order", "Multi-year agreement"),
)
SPANISH = Words(
    SUMMARIES_ES,
    OPPORTUNITIES_ES,
    LOST_REASONS_ES,
    ("gerente de cuenta clave", "ingeniero de soluciones"),
    ("Puntuar con el equipo los criterios de cuenta clave", "Estimar el coste de servir como cuenta clave"),
    "Decidir si pasa a cuenta clave",
    ("Crece de forma constante, encaja bien", "Prometedora; decidir el paso a cuenta clave el próximo trimestre"),
    ("Primer pedido", "Pedido de ampliación", "Acuerdo plurianual"),
)
# The source's fields whose values are stored spellings or user ids, the same in every language.
_AS_STORED = frozenset(
    {"role", "influence", "coverage", "growth_potential", "cadence", "horizon", "status", "stage", "direction"}
    | {"owner", "helper", "unit", "criteria", "business_ago"}
)


def spanish_path(source: Path) -> Path:
    """The Spanish words of the demo's source ``source``: ``demo_source_es.toml`` beside it."""
    return source.with_name("demo_source_es.toml")


def in_spanish(data: dict[str, Any], words: dict[str, Any]) -> dict[str, Any]:
    """The demo's source ``data`` with every text in Spanish (``words``: the tables [people] and
    [texts] of :func:`spanish_path`): names, job titles, notes, plans. Numbers, days, stored
    spellings and owners stay; a text ``words`` lacks is a ValueError naming it."""
    people: dict[str, list[str]] = words.get("people", {})
    texts: dict[str, str] = words.get("texts", {})

    def lookup(table: dict[str, Any], text: str, what: str) -> Any:
        try:
            return table[text]
        except KeyError:
            raise ValueError(f"demo_source_es.toml: no Spanish for {what} {text!r}") from None

    def person(p: dict[str, Any]) -> dict[str, Any]:
        name, title = lookup(people, p["name"], "the person")
        rest = {k: walk(v, k) for k, v in p.items() if k not in ("name", "title")}
        return {**rest, "name": name, "title": title}

    def walk(value: Any, key: str) -> Any:
        if key in _AS_STORED:
            return value
        if key in ("stakeholders", "contacts") and isinstance(value, list):
            return [person(v) if isinstance(v, dict) else lookup(people, v, "the person")[0] for v in value]
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str):
            return lookup(texts, value, "the text")
        return value

    return {k: walk(v, k) for k, v in data.items()}
