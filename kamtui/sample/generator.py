"""A deterministic generator of sample portfolios of any size, for tests and benchmarks.

``python -m kamtui.sample --accounts N --seed S --out FILE [--today YYYY-MM-DD]`` writes a
realistic portfolio (about 3% key accounts with full plans, 7% promotion candidates, the rest
ordinary customers on a Pareto-like revenue tail) through :class:`kamtui.store.Store`. Every
document is built through its domain entity (``Account(...).to_doc()``), so it validates.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.domain.business import BusinessItem
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
from kamtui.domain.selection import criterion_key
from kamtui.sample import words
from kamtui.sample.bulk import Writer, bulk_store
from kamtui.store.transaction import current_user


def team() -> tuple[str, ...]:
    """The owners drawn from: the base team plus the current user, so "mine" shows something."""
    me = current_user()
    return words.BASE_TEAM if me in words.BASE_TEAM else (*words.BASE_TEAM, me)


@dataclass(slots=True)
class _Person:
    id: int
    fields: dict[str, Any]


@dataclass(slots=True)
class _Gen:
    rng: random.Random
    today: dt.date
    owners: tuple[str, ...]
    w: Writer

    def day(self, lo: int, hi: int) -> dt.date:
        """A date ``lo``..``hi`` days from today (negative: in the past)."""
        return self.today + dt.timedelta(days=self.rng.randint(lo, hi))

    def person(self) -> str:
        return f"{self.rng.choice(words.FIRST_NAMES)} {self.rng.choice(words.LAST_NAMES)}"

    def company(self) -> str:
        r = self.rng
        name = f"{r.choice(words.NAME_ROOTS)} {r.choice(words.NAME_NOUNS)}"
        suffix = r.choice(words.NAME_SUFFIXES)
        return f"{name} {suffix}" if suffix else name

    def account(self, tier: Tier) -> None:
        r = self.rng
        owner = r.choice(self.owners)
        industry = r.choice(words.INDUSTRIES)
        if tier is Tier.KEY:
            revenue = round(r.lognormvariate(14.3, 0.6), -3)  # ~1.6M median
            self.key_account(owner, industry, revenue)
        elif tier is Tier.CANDIDATE:
            revenue = round(r.lognormvariate(12.6, 0.6), -2)  # ~300k median
            self.candidate(owner, industry, revenue)
        else:
            revenue = round(min(2_000.0 * r.paretovariate(1.2), 900_000.0), 0)
            self.regular(owner, industry, revenue)
        self.w.maybe_flush()

    # -- shared pieces
    def stakeholders(self, account_id: int, roles: Sequence[DecisionRole], owner: str, key: bool) -> list[_Person]:
        """Stakeholders with reserved ids; written by :meth:`interactions` once last contact is known."""
        r = self.rng
        out = []
        for role in roles:
            influence = (
                Level.HIGH
                if role in (DecisionRole.ECONOMIC_BUYER, DecisionRole.DECISION_MAKER)
                else r.choice((Level.LOW, Level.MEDIUM, Level.MEDIUM, Level.HIGH))
            )
            friendliness = {
                DecisionRole.CHAMPION: r.choice((1, 2, 2)),
                DecisionRole.COACH: r.choice((1, 1, 2)),
                DecisionRole.BLOCKER: r.choice((-2, -1, -1)),
            }.get(role, r.choice((-2, -1, 0, 0, 1, 1, 1, 2)))
            history: list[FriendlinessChange] = []
            if key:
                value = max(-2, min(2, friendliness + r.choice((-1, 0, 1))))
                for days_ago in sorted(r.sample(range(20, 360), r.randint(1, 3)), reverse=True):
                    history.append(FriendlinessChange(self.today - dt.timedelta(days=days_ago), value, owner))
                    value = max(-2, min(2, value + r.choice((-1, 1))))
                history.append(
                    FriendlinessChange(self.today - dt.timedelta(days=r.randint(1, 19)), friendliness, owner)
                )
            fields: dict[str, Any] = {
                "account_id": account_id,
                "name": self.person(),
                "title": r.choice(words.TITLES[role]),
                "role": role,
                "influence": influence,
                "friendliness": friendliness,
                "friendliness_history": history,
                "coverage": r.choice((Coverage.BRIEF, Coverage.REGULAR, Coverage.REGULAR, Coverage.IN_DEPTH))
                if key
                else r.choice((Coverage.NONE, Coverage.BRIEF, Coverage.BRIEF, Coverage.REGULAR)),
                "contact_every_days": r.choice((30, 45, 60, 90)) if key and influence is Level.HIGH else None,
                "owner": owner,
                "left": key and r.random() < 0.05,
            }
            out.append(_Person(self.w.reserve("stakeholders"), fields))
        return out

    def interactions(self, account_id: int, people: list[_Person], count: int, span: int, owner: str) -> None:
        """Log ``count`` interactions over the last ``span`` days, then write the stakeholders
        with their last contact (the newest interaction that involved them)."""
        r = self.rng
        present = [p for p in people if not p.fields["left"]]
        last: dict[int, dt.date] = {}
        for _ in range(count):
            when = self.day(-span, -1)
            who = sorted(p.id for p in r.sample(present, min(len(present), r.randint(1, 2))))
            for sid in who:
                if sid not in last or when > last[sid]:
                    last[sid] = when
            self.w.add(
                Interaction(
                    account_id=account_id,
                    date=when,
                    kind=r.choice(list(InteractionKind)),
                    stakeholders=who,
                    summary=r.choice(words.SUMMARIES),
                    by=owner,
                )
            )
        for p in people:
            fields = dict(p.fields)
            if p.id in last:
                fields["last_contact"] = last[p.id]
                if fields["coverage"] is Coverage.NONE:
                    fields["coverage"] = Coverage.BRIEF
            elif fields["left"]:
                fields["last_contact"] = self.day(-400, -120)
            self.w.put(p.id, Stakeholder(**fields))

    def reviews(self, account_id: int, count: int, step: int, first_ago: int, reviewer: str) -> dt.date | None:
        """``count`` reviews ``step`` days apart, the newest ``first_ago`` days ago, scores on a trend."""
        r = self.rng
        trend = r.choice((-1, 0, 0, 1, 1))
        level = 3.0 - trend * 1.2 + r.uniform(-0.4, 0.4)
        dates = sorted(self.today - dt.timedelta(days=first_ago + i * step + r.randint(-2, 2)) for i in range(count))
        for when in dates:
            base = max(1, min(5, round(level)))

            def jitter(b: int = base) -> int:
                return max(1, min(5, b + r.choice((-1, 0, 0, 0, 1))))

            self.w.add(
                Review(
                    account_id=account_id,
                    date=when,
                    reviewer=reviewer,
                    engagement=jitter(),
                    loyalty=jitter(),
                    satisfaction=jitter(),
                    health=base,
                    notes=r.choice(words.REVIEW_NOTES[trend]),
                )
            )
            level += trend * 2.4 / max(1, count - 1)
        return dates[-1] if dates else None

    def opportunities(self, account_id: int, revenue: float, won: int, lost: int, open_: int) -> None:
        r = self.rng
        for stage, n in ((Stage.WON, won), (Stage.LOST, lost), (Stage.OPEN, open_)):
            for _ in range(n):
                close = self.day(-720, -5) if stage is not Stage.OPEN else self.day(10, 240)
                value = round(max(500.0, revenue * r.uniform(0.05, 0.35)), -2)
                self.w.add(
                    Opportunity(
                        account_id=account_id,
                        title=r.choice(words.OPPORTUNITIES),
                        value=value,
                        stage=stage,
                        close_date=close,
                    )
                )

    def plan(self, account_id: int, owner: str, horizons: Sequence[Horizon]) -> None:
        r = self.rng
        due_range = {Horizon.SHORT: (-30, 90), Horizon.MEDIUM: (60, 365), Horizon.LONG: (365, 1095)}
        for horizon in horizons:
            lo, hi = due_range[horizon]
            obj = Objective(
                account_id=account_id,
                title=r.choice(words.OBJECTIVES[horizon]),
                horizon=horizon,
                owner=r.choice((owner, owner, *self.owners)),
                due=self.day(lo, hi),
                status=r.choice(
                    (ObjectiveStatus.OPEN, ObjectiveStatus.OPEN, ObjectiveStatus.OPEN, ObjectiveStatus.AT_RISK)
                ),
            )
            oid = self.w.add(obj)
            for _ in range(r.randint(1, 3)):
                due = self.day(-45, 120)
                done = due < self.today and r.random() < 0.6
                who = r.choice((owner, *self.owners))
                self.w.add(
                    Action(
                        account_id=account_id,
                        objective_id=oid,
                        text=r.choice(words.ACTIONS),
                        owner=who,
                        due=due,
                        done=done,
                        done_at=due - dt.timedelta(days=r.randint(0, 5)) if done else None,
                        done_by=who if done else "",
                    )
                )

    # -- the three tiers
    def key_account(self, owner: str, industry: str, revenue: float) -> None:
        r = self.rng
        cadence = r.choice(words.KEY_CADENCES)
        helpers = [m for m in self.owners if m != owner]
        members = [TeamMember(owner, "key account manager")]
        if helpers:
            members.append(TeamMember(r.choice(helpers), "solutions engineer"))
        fields: dict[str, Any] = {
            "name": self.company(),
            "tier": Tier.KEY,
            "industry": industry,
            "owner": owner,
            "team": members,
            "sponsor": r.choice(("CEO", "VP Sales", "COO", "CFO")),
            "revenue": revenue,
            "cost_to_serve": round(revenue * r.uniform(0.08, 0.3), -2),
            "growth_potential": r.choice((Level.MEDIUM, Level.HIGH, Level.HIGH)),
            "criteria": {criterion_key(c): r.randint(3, 5) for c in r.sample(words.CRITERIA, r.randint(4, 6))},
            "business": Business(
                goals=[BusinessItem(x, self.day(-400, -5)) for x in r.sample(words.GOALS, 2)],
                financial_health=r.choice(words.HEALTH),
                financial_health_updated=self.day(-400, -5),
                initiatives=[BusinessItem(x, self.day(-400, -5)) for x in r.sample(words.INITIATIVES, 2)],
                swot={
                    k: [BusinessItem(x, self.day(-400, -5)) for x in r.sample(vals, 2)]
                    for k, vals in words.SWOT.items()
                },
            ),
            "cadence": cadence,
            "crm_id": f"CRM-{r.randint(100000, 999999)}",
        }
        aid = self.w.reserve("accounts")
        roles = [DecisionRole.ECONOMIC_BUYER, DecisionRole.DECISION_MAKER, DecisionRole.TECHNICAL_BUYER]
        others = [x for x in DecisionRole if x not in roles]
        roles += r.sample(others, r.randint(0, 5))
        people = self.stakeholders(aid, roles, owner, key=True)
        self.plan(aid, owner, [Horizon.SHORT, Horizon.MEDIUM, Horizon.LONG, *r.sample(list(Horizon), r.randint(0, 2))])
        step = 14 if cadence == "biweekly" else 30
        count = r.randint(4, 10)
        last = self.reviews(aid, count, max(step, 365 // count // 2), r.randint(2, step + 20), owner)
        self.interactions(aid, people, r.randint(6, 20), 365, owner)
        self.opportunities(aid, revenue, r.randint(1, 4), r.randint(0, 2), r.randint(1, 3))
        self.w.put(aid, Account(**fields, last_review=last))

    def candidate(self, owner: str, industry: str, revenue: float) -> None:
        r = self.rng
        fields: dict[str, Any] = {
            "name": self.company(),
            "tier": Tier.CANDIDATE,
            "industry": industry,
            "owner": owner,
            "revenue": revenue,
            "cost_to_serve": round(revenue * r.uniform(0.1, 0.35), -2),
            "growth_potential": r.choice((Level.MEDIUM, Level.HIGH)),
            "criteria": {criterion_key(c): r.randint(2, 5) for c in r.sample(words.CRITERIA, r.randint(3, 5))},
            "cadence": "quarterly",
        }
        aid = self.w.reserve("accounts")
        extra = r.sample([x for x in DecisionRole if x is not DecisionRole.DECISION_MAKER], r.randint(1, 3))
        people = self.stakeholders(aid, [DecisionRole.DECISION_MAKER, *extra], owner, key=False)
        if r.random() < 0.5:
            self.plan(aid, owner, [Horizon.SHORT])
        last = self.reviews(aid, r.randint(1, 3), 91, r.randint(5, 110), owner)
        self.interactions(aid, people, r.randint(2, 8), 365, owner)
        self.opportunities(aid, revenue, r.randint(1, 3), r.randint(0, 1), r.randint(0, 2))
        self.w.put(aid, Account(**fields, last_review=last))

    def regular(self, owner: str, industry: str, revenue: float) -> None:
        r = self.rng
        fields: dict[str, Any] = {
            "name": self.company(),
            "tier": Tier.REGULAR,
            "industry": industry,
            "owner": owner,
            "revenue": revenue,
            "cost_to_serve": round(revenue * r.uniform(0.1, 0.5), 0),
            "growth_potential": r.choice((Level.LOW, Level.LOW, Level.MEDIUM, Level.HIGH)),
        }
        aid = self.w.reserve("accounts")
        roles = r.sample((DecisionRole.USER, DecisionRole.DECISION_MAKER, DecisionRole.INFLUENCER), r.randint(1, 3))
        people = self.stakeholders(aid, roles, owner, key=False)
        last = self.reviews(aid, 1, 180, r.randint(30, 400), owner) if r.random() < 0.15 else None
        self.interactions(aid, people, r.choice((0, 0, 1, 2, 3, 5)), 540, owner)
        self.opportunities(aid, revenue, r.choice((0, 1, 1, 2, 3, 5)), r.choice((0, 0, 0, 1)), r.choice((0, 0, 1)))
        self.w.put(aid, Account(**fields, last_review=last))


def _tier_for(rng: random.Random) -> Tier:
    x = rng.random()
    return Tier.KEY if x < 0.03 else Tier.CANDIDATE if x < 0.10 else Tier.REGULAR


def generate(path: Path, accounts: int, seed: int, today: dt.date | None = None) -> None:
    """Write a portfolio of ``accounts`` accounts to the new store file ``path``.

    Deterministic: the same ``seed``, ``today`` and team (the current user joins the base
    team) give the same documents; only the store's ``updated_at`` stamps differ.
    Raises FileExistsError if ``path`` exists, ValueError if ``accounts`` is negative.
    """
    if accounts < 0:
        raise ValueError("--accounts must be 0 or more")
    rng = random.Random(seed)
    with bulk_store(Path(path), overwrite=False) as w:
        gen = _Gen(rng, today or dt.date.today(), team(), w)
        for _ in range(accounts):
            gen.account(_tier_for(rng))
