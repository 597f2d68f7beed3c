"""Building ``sample_data/demo.json`` from its source, ``sample_data/demo_source.toml``.

Only ``python -m kamtui.sample --demo-source`` (and the test that checks the committed file)
runs this: ``kamtui --demo`` copies the built file (:mod:`kamtui.sample.demo`). The source
holds the curated accounts, people, plans and reviews, with days counted from the day the demo
is built; this module turns them into documents, adding what is drawn at random from a fixed
seed (older interactions, review scores around their health, the candidates' promotion plan,
the regular customers' orders), so that the same source always gives the same file.
"""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.domain.business import BusinessItem
from kamtui.domain.deals import Direction, Kpi, KpiReading
from kamtui.domain.model import (
    Account,
    Action,
    Business,
    Coverage,
    DecisionRole,
    FriendlinessChange,
    Horizon,
    Interaction,
    InteractionKind,
    Level,
    Objective,
    ObjectiveStatus,
    Opportunity,
    Review,
    Stage,
    Stakeholder,
    TeamMember,
    Tier,
)
from kamtui.sample.bulk import Writer, bulk_store
from kamtui.sample.demo import DEMO_ANCHOR, DEMO_TABLE
from kamtui.sample.demo_words import ENGLISH, SPANISH, Words, in_spanish, spanish_path

SEED = 20260115
# Days between the reviews of a key account, by cadence (30 for the others).
_REVIEW_STEP = {"biweekly": 14, "weekly": 7, "quarterly": 91, "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH": 21}


def source_path() -> Path:
    """The repository's ``sample_data/demo_source.toml``."""
    return Path(__file__).resolve().parent.parent.parent / "sample_data" / "demo_source.toml"


@dataclass(frozen=True, slots=True)
class Person:
    """A stakeholder of the source; days counted back from the day the demo is built."""

    name: str
    title: str
    role: DecisionRole
    influence: Level
    friendliness: int
    coverage: Coverage
    last_contact_ago: int | None = None  # None: never contacted
    contact_every_days: int | None = None
    left: bool = False
    history: tuple[tuple[int, int, str], ...] = ()  # (days ago, friendliness, reason), oldest first
    notes: str = ""

    @classmethod
    def read(cls, d: dict[str, Any]) -> Person:
        return cls(
            d["name"],
            d["title"],
            DecisionRole(d["role"]),
            Level(d["influence"]),
            d["friendliness"],
            Coverage(d["coverage"]),
            d.get("last_contact_ago"),
            d.get("contact_every_days"),
            d.get("left", False),
            tuple((h[0], h[1], h[2] if len(h) > 2 else "") for h in d.get("history", ())),
            d.get("notes", ""),
        )


def _clamp(x: int) -> int:
    return max(1, min(5, x))


class _Demo:
    def __init__(self, w: Writer, today: dt.date, words: Words = ENGLISH) -> None:
        self.w = w
        self.today = today
        self.rng = random.Random(SEED)
        self.words = words

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def stakeholders_and_interactions(
        self, aid: int, people: Sequence[Person], owner: str, extra: int
    ) -> dict[str, int]:
        """Write the stakeholders and the interactions behind their last contact, plus ``extra``
        older ones per contacted stakeholder (between 20 and 200 days before their last contact).
        Returns each stakeholder's id by name."""
        r = self.rng
        events: dict[dt.date, set[int]] = {}
        ids: dict[str, int] = {}
        for p in people:
            sid = self.w.add(
                Stakeholder(
                    account_id=aid,
                    name=p.name,
                    title=p.title,
                    role=p.role,
                    influence=p.influence,
                    friendliness=p.friendliness,
                    friendliness_history=[
                        FriendlinessChange(self.ago(d), val, owner, reason) for d, val, reason in p.history
                    ],
                    coverage=p.coverage,
                    last_contact=self.ago(p.last_contact_ago) if p.last_contact_ago is not None else None,
                    contact_every_days=p.contact_every_days,
                    owner=owner,
                    left=p.left,
                    notes=p.notes,
                )
            )
            ids[p.name] = sid
            if p.last_contact_ago is None:
                continue
            events.setdefault(self.ago(p.last_contact_ago), set()).add(sid)
            when = p.last_contact_ago
            for _ in range(r.randint(0, extra)):
                when += r.randint(20, 200)
                if when > 400:
                    break
                events.setdefault(self.ago(when), set()).add(sid)
        for day in sorted(events):
            self.w.add(
                Interaction(
                    account_id=aid,
                    date=day,
                    kind=r.choice(list(InteractionKind)),
                    stakeholders=sorted(events[day]),
                    summary=r.choice(self.words.summaries),
                    by=owner,
                )
            )
        return ids

    def reviews(
        self, aid: int, health: Sequence[int], last_ago: int, step: int, owner: str, notes: Sequence[str]
    ) -> dt.date:
        """One review per ``health`` score (oldest first), ``step`` days apart, the newest
        ``last_ago`` days ago; ``notes`` are the older reviews' and the newest one's."""
        r = self.rng
        n = len(health)
        for i, h in enumerate(health):
            self.w.add(
                Review(
                    account_id=aid,
                    date=self.ago(last_ago + (n - 1 - i) * step),
                    reviewer=owner,
                    engagement=_clamp(h + r.choice((-1, 0, 0, 1))),
                    loyalty=_clamp(h + r.choice((-1, 0, 0))),
                    satisfaction=_clamp(h + r.choice((-1, 0, 1))),
                    health=h,
                    notes=notes[1] if i == n - 1 else notes[0],
                )
            )
        return self.ago(last_ago)

    def opportunities(
        self, aid: int, rows: Sequence[tuple[str, float, Stage, int]], owner: str = "", reason: str = ""
    ) -> None:
        for title, value, stage, close_in in rows:
            self.w.add(
                Opportunity(
                    account_id=aid,
                    title=title,
                    value=value,
                    stage=stage,
                    close_date=self.today + dt.timedelta(days=close_in),
                    owner=owner,
                    reason=reason if stage is Stage.LOST else "",
                )
            )

    def curated_opportunities(self, aid: int, rows: Sequence[dict[str, Any]], objectives: dict[str, int]) -> None:
        """The key accounts' deals: stage, owner, probability, the objective served, why won or lost."""
        for o in rows:
            self.w.add(
                Opportunity(
                    account_id=aid,
                    title=o["title"],
                    value=o["value"],
                    stage=Stage(o["stage"]),
                    close_date=self.today + dt.timedelta(days=o["close_in"]),
                    probability=o.get("probability"),
                    owner=o.get("owner", ""),
                    objective_id=objectives[o["objective"]] if "objective" in o else None,
                    reason=o.get("reason", ""),
                )
            )

    def kpis(self, aid: int, rows: Sequence[dict[str, Any]]) -> None:
        """The account plan's KPIs for the demo's year; the last reading is the actual."""
        for k in rows:
            history = [KpiReading(self.ago(ago), value) for ago, value in k["readings"]]
            self.w.add(
                Kpi(
                    account_id=aid,
                    name=k["name"],
                    target=k["target"],
                    unit=k["unit"],
                    direction=Direction(k["direction"]),
                    actual=history[-1].value if history else None,
                    period=str(self.today.year),
                    updated=history[-1].date if history else None,
                    history=history,
                )
            )

    def business(self, k: dict[str, Any]) -> Business:
        """Goals, financial health, initiatives and SWOT, each dated by ``business_ago`` (-1: unknown)."""
        ages: dict[str, Any] = k.get("business_ago", {})

        def when(days: int | None) -> dt.date | None:
            return None if days is None or days < 0 else self.ago(days)

        def items(part: str, texts: Sequence[str]) -> list[BusinessItem]:
            days = list(ages.get(part, ()))
            return [BusinessItem(t, when(days[i] if i < len(days) else None)) for i, t in enumerate(texts)]

        return Business(
            goals=items("goals", k["goals"]),
            financial_health=k["financial_health"],
            financial_health_updated=when(ages.get("financial_health")),
            initiatives=items("initiatives", k["initiatives"]),
            swot={part: items(part, texts) for part, texts in k["swot"].items()},
        )

    def objectives(
        self, aid: int, rows: Sequence[dict[str, Any]], default_owner: str, people: dict[str, int] | None = None
    ) -> dict[str, int]:
        """Write the objectives and their actions; returns each objective's id by title."""
        people = people or {}
        ids: dict[str, int] = {}
        for o in rows:
            owner = o["owner"]
            oid = self.w.add(
                Objective(
                    account_id=aid,
                    title=o["title"],
                    horizon=Horizon(o["horizon"]),
                    owner=owner,
                    due=self.today + dt.timedelta(days=o["due_in"]),
                    status=ObjectiveStatus(o["status"]),
                    stakeholders=[people[n] for n in o.get("stakeholders", ())],
                )
            )
            ids[o["title"]] = oid
            for act in o["actions"]:
                when = self.today + dt.timedelta(days=act["due_in"])
                self.w.add(
                    Action(
                        account_id=aid,
                        objective_id=oid,
                        text=act["text"],
                        owner=owner or default_owner,
                        due=when,
                        done=act["done"],
                        done_at=when - dt.timedelta(days=1) if act["done"] else None,
                        done_by=(owner or default_owner) if act["done"] else "",
                        stakeholders=[people[n] for n in act.get("stakeholders", ())],
                    )
                )
        return ids

    def key(self, k: dict[str, Any]) -> None:
        aid = self.w.reserve("accounts")
        owner = k["owner"]
        people = self.stakeholders_and_interactions(aid, [Person.read(p) for p in k["stakeholders"]], owner, 3)
        objectives = self.objectives(aid, k["objectives"], owner, people)
        step = _REVIEW_STEP.get(k["cadence"], 30)
        last = self.reviews(aid, k["review_health"], k["last_review_ago"], step, owner, k["review_notes"])
        self.curated_opportunities(aid, k["opportunities"], objectives)
        self.kpis(aid, k.get("kpis", ()))
        self.w.put(
            aid,
            Account(
                name=k["name"],
                tier=Tier.KEY,
                industry=k["industry"],
                owner=owner,
                team=[TeamMember(owner, self.words.team[0]), TeamMember(k["helper"], self.words.team[1])],
                sponsor=k["sponsor"],
                revenue=k["revenue"],
                cost_to_serve=k["cost_to_serve"],
                growth_potential=Level(k["growth_potential"]),
                criteria=dict(k["criteria"]),
                business=self.business(k),
                cadence=k["cadence"],
                last_review=last,
                crm_id=f"CRM-{100200 + aid}",
                notes=k.get("notes", ""),
            ),
        )

    def candidate(self, c: dict[str, Any]) -> None:
        """A promotion candidate: its people and reviews from the source; a plan to decide on
        its promotion, and a history of growing orders, drawn here."""
        owner, revenue = c["owner"], c["revenue"]
        r, words = self.rng, self.words
        aid = self.w.reserve("accounts")
        self.stakeholders_and_interactions(aid, [Person.read(p) for p in c["stakeholders"]], owner, 2)
        actions = [
            {"text": words.candidate_actions[0], "due_in": r.randint(-12, 14), "done": False},
            {"text": words.candidate_actions[1], "due_in": r.randint(-40, -20), "done": True},
        ]
        promote = {
            "horizon": "short",
            "title": words.promote,
            "owner": owner,
            "due_in": r.randint(20, 70),
            "status": "open",
            "actions": actions,
        }
        self.objectives(aid, [promote], owner)
        last = self.reviews(aid, c["review_health"], c["last_review_ago"], 91, owner, words.candidate_notes)
        first, expansion, agreement = words.orders
        self.opportunities(
            aid,
            (
                (first, round(revenue * 0.4, -3), Stage.WON, -r.randint(200, 400)),
                (expansion, round(revenue * 0.6, -3), Stage.WON, -r.randint(30, 150)),
                (agreement, round(revenue * 1.5, -3), Stage.QUALIFY, r.randint(40, 200)),
            ),
            owner,
        )
        self.w.put(
            aid,
            Account(
                name=c["name"],
                tier=Tier.CANDIDATE,
                industry=c["industry"],
                owner=owner,
                revenue=revenue,
                cost_to_serve=c["cost_to_serve"],
                growth_potential=Level(c["growth_potential"]),
                criteria=dict(c["criteria"]),
                cadence="quarterly",
                last_review=last,
                crm_id=f"CRM-{100200 + aid}",
            ),
        )

    def regular(self, row: dict[str, Any]) -> None:
        """An ordinary customer: its contacts from the source; their attitude, last contact and
        the orders drawn here."""
        owner, revenue = row["owner"], row["revenue"]
        r = self.rng
        aid = self.w.reserve("accounts")
        people = []
        for contact in row["contacts"]:
            role = DecisionRole(contact["role"])
            influence = (
                Level.MEDIUM if role in (DecisionRole.ECONOMIC_BUYER, DecisionRole.DECISION_MAKER) else Level.LOW
            )
            friendliness = r.choice((0, 1, 1))
            last_ago = r.randint(15, 300)
            people.append(
                Person(contact["name"], contact["title"], role, influence, friendliness, Coverage.BRIEF, last_ago)
            )
        self.stakeholders_and_interactions(aid, people, owner, 2)
        titles, lost = self.words.opportunities, self.words.lost_reasons
        orders = [
            (r.choice(titles), round(revenue * r.uniform(0.15, 0.5), -2), Stage.WON, -r.randint(10, 700))
            for _ in range(r.randint(1, 5))
        ]
        if r.random() < 0.3:
            orders.append((r.choice(titles), round(revenue * 0.3, -2), Stage.LOST, -r.randint(30, 300)))
        self.opportunities(aid, orders, owner, lost[aid % len(lost)])
        self.w.put(
            aid,
            Account(
                name=row["name"],
                tier=Tier.REGULAR,
                industry=row["industry"],
                owner=owner,
                revenue=revenue,
                cost_to_serve=round(revenue * r.uniform(0.15, 0.4), -2),
                growth_potential=r.choice((Level.LOW, Level.MEDIUM, Level.MEDIUM, Level.HIGH)),
            ),
        )


def build_demo(path: Path, today: dt.date = DEMO_ANCHOR, source: Path | None = None, lang: str = "en") -> None:
    """Write the curated demo portfolio of ``source`` (default :func:`source_path`) to ``path``
    (replacing it), dated relative to ``today``; ``lang="es"``: in Spanish (the words of
    :func:`spanish_path`, and :data:`SPANISH`), the same portfolio otherwise.

    The anchor date is recorded in the reserved table ``_demo`` (doc "1", field "anchor"),
    which the store keeps through compactions.
    """
    data = tomllib.loads((source or source_path()).read_text(encoding="utf-8"))
    words = ENGLISH
    if lang == "es":
        data = in_spanish(data, tomllib.loads(spanish_path(source or source_path()).read_text(encoding="utf-8")))
        words = SPANISH
    with bulk_store(Path(path), overwrite=True, extra={DEMO_TABLE: {"1": {"anchor": today.isoformat()}}}) as w:
        demo = _Demo(w, today, words)
        for k in data.get("key", ()):
            demo.key(k)
        for c in data.get("candidate", ()):
            demo.candidate(c)
        for row in data.get("regular", ()):
            demo.regular(row)
