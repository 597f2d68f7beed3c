"""Sample portfolios: a deterministic generator of any size and the hand-curated demo.

``python -m kamtui.sample --accounts N --seed S --out FILE [--today YYYY-MM-DD]`` writes a
realistic portfolio (about 3% key accounts with full plans, 7% promotion candidates, the rest
ordinary customers on a Pareto-like revenue tail) through :class:`kamtui.store.Store`.

``python -m kamtui.sample --demo-source`` regenerates ``sample_data/demo.json``, the curated
demo portfolio, anchored on :data:`DEMO_ANCHOR`. :func:`materialize_demo` copies it with every
date moved so that the demo always looks as if it were written today.

Every document is built through its domain entity (``Account(...).to_doc()``), so it validates.
Ids are assigned here (1, 2, 3 ... per table) rather than by the store, so that the same seed
always gives the same file.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import random
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.domain.model import (
    ENTITIES,
    Account,
    Action,
    Business,
    Coverage,
    DecisionRole,
    Entity,
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
from kamtui.store.codec import META_TABLE, SCHEMA_VERSION
from kamtui.store.errors import StoreError
from kamtui.store.store import Store
from kamtui.store.transaction import Op, current_user

DEMO_ANCHOR = dt.date(2026, 1, 15)
DEMO_TABLE = "_demo"
BATCH = 4000
SAMPLE_USER = "kamtui-sample"

BASE_TEAM = ("ana", "ben", "chloe", "dev")

INDUSTRIES = (
    "Manufacturing",
    "Logistics",
    "Retail",
    "Healthcare",
    "Financial services",
    "Insurance",
    "Energy",
    "Utilities",
    "Telecom",
    "Software",
    "Pharmaceuticals",
    "Food & beverage",
    "Automotive",
    "Construction",
    "Education",
    "Public sector",
    "Media",
    "Hospitality",
    "Agriculture",
    "Aerospace",
)

_NAME_ROOTS = (
    "Alder", "Amber", "Apex", "Arbor", "Aurora", "Basalt", "Beacon", "Birch", "Blue Fern", "Bramble",
    "Brightwater", "Cardinal", "Cedar", "Cobalt", "Copper", "Crescent", "Delta", "Driftwood", "Eastgate",
    "Ember", "Evergreen", "Falcon", "Fieldstone", "Granite", "Harbor", "Hawthorn", "Helix", "Highland",
    "Iron Oak", "Juniper", "Keystone", "Lakeside", "Larch", "Lumen", "Maple", "Meridian", "Millbrook",
    "Northwind", "Oakridge", "Onyx", "Orchard", "Pinecrest", "Polaris", "Quarry", "Redwood", "Ridgeline",
    "Riverbend", "Saffron", "Sierra", "Silverline", "Solstice", "Stonebridge", "Summit", "Tidewater",
    "Timberline", "Trident", "Vantage", "Westbrook", "Willow", "Zenith",
)  # fmt: skip
_NAME_NOUNS = (
    "Analytics", "Bakeries", "Biotech", "Brands", "Builders", "Capital", "Chemicals", "Clinics", "Components",
    "Dynamics", "Electric", "Energy", "Engineering", "Farms", "Foods", "Freight", "Health", "Holdings",
    "Hotels", "Industries", "Instruments", "Labs", "Logistics", "Machining", "Marine", "Materials", "Media",
    "Metals", "Mobility", "Networks", "Optics", "Packaging", "Pharma", "Plastics", "Power", "Retail",
    "Robotics", "Systems", "Textiles", "Water",
)  # fmt: skip
_NAME_SUFFIXES = ("", "", "", "Inc", "Ltd", "GmbH", "S.A.", "Group", "Co", "LLC", "AG", "plc", "B.V.", "S.L.", "Oy")

_FIRST_NAMES = (
    "Aisha", "Alejandro", "Amara", "Anders", "Beatriz", "Bruno", "Camille", "Carlos", "Chen", "Daniela",
    "David", "Elena", "Emeka", "Fatima", "Felix", "Grace", "Hannah", "Hiroshi", "Ingrid", "Isabel",
    "Jamal", "Javier", "Julia", "Kenji", "Laila", "Lars", "Lucia", "Marco", "Maria", "Mateo", "Mei",
    "Nadia", "Nikolai", "Noah", "Olivia", "Omar", "Pablo", "Priya", "Rafael", "Rosa", "Samuel", "Sara",
    "Sofia", "Tariq", "Thomas", "Valeria", "Victor", "Wei", "Yusuf", "Zoe",
)  # fmt: skip
_LAST_NAMES = (
    "Abara", "Almeida", "Andersson", "Bauer", "Becker", "Castillo", "Chowdhury", "Costa", "Dubois", "Eriksen",
    "Fernandez", "Fischer", "Garcia", "Haddad", "Hansen", "Ito", "Jansen", "Kowalski", "Kumar", "Larsen",
    "Lemaire", "Lopez", "Martin", "Moreau", "Nakamura", "Navarro", "Nguyen", "Novak", "Okafor", "Olsen",
    "Ortega", "Park", "Pereira", "Petrov", "Quinn", "Rossi", "Ruiz", "Santos", "Schmidt", "Silva",
    "Svensson", "Tanaka", "Torres", "Vasquez", "Vogel", "Wagner", "Weber", "Wong", "Yilmaz", "Zhang",
)  # fmt: skip

TITLES: dict[DecisionRole, tuple[str, ...]] = {
    DecisionRole.ECONOMIC_BUYER: ("CFO", "Chief Executive Officer", "VP Finance", "Managing Director"),
    DecisionRole.DECISION_MAKER: ("COO", "VP Operations", "Head of Procurement", "General Manager"),
    DecisionRole.TECHNICAL_BUYER: ("CTO", "Head of IT", "Engineering Director", "Quality Manager"),
    DecisionRole.INFLUENCER: ("Head of Strategy", "Operations Manager", "Program Manager", "Plant Director"),
    DecisionRole.CHAMPION: ("Project Lead", "Head of Digital", "Supply Chain Manager", "Category Manager"),
    DecisionRole.COACH: ("Business Analyst", "Procurement Specialist", "Team Lead", "Controller"),
    DecisionRole.USER: ("Planner", "Line Supervisor", "Buyer", "Analyst", "Site Manager"),
    DecisionRole.GATEKEEPER: ("Executive Assistant", "Vendor Manager", "Procurement Officer"),
    DecisionRole.BLOCKER: ("Legacy Systems Owner", "Head of Compliance", "Incumbent Vendor Sponsor"),
}

CRITERIA = (
    "product affinity",
    "solvency",
    "existing relationships",
    "channel potential",
    "cultural affinity",
    "geographic alignment",
    "buying process",
    "revenue potential",
)
KEY_CADENCES = (
    "monthly",
    "monthly",
    "monthly",
    "biweekly",
    "biweekly",
    "FREQ=MONTHLY;BYDAY=1TU",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
)

_GOALS = (
    "Grow share in the mid-market segment",
    "Cut operating costs by 10% within two years",
    "Open two new regional sites",
    "Move the core platform to the cloud",
    "Reach net-zero emissions in production by 2030",
    "Shorten order-to-delivery time",
    "Consolidate the supplier base",
    "Launch a subscription offer",
    "Expand into Latin America",
    "Improve first-time quality above 98%",
)
_HEALTH = (
    "Strong balance sheet, margins improving",
    "Stable revenue, tight cash after an acquisition",
    "Growing fast, funded by a recent round",
    "Under margin pressure from energy prices",
    "Solid, investment grade rating",
    "Revenue flat, cost programme under way",
)
_INITIATIVES = (
    "ERP replacement programme",
    "Warehouse automation pilot",
    "Supplier sustainability audit",
    "Customer portal relaunch",
    "Lean manufacturing roll-out",
    "Data platform consolidation",
    "New product line launch",
    "Shared services centre",
)
_SWOT = {
    "strengths": ("Loyal installed base", "Strong brand", "Experienced leadership", "Efficient plants"),
    "weaknesses": ("Legacy IT", "Slow decision making", "High staff turnover", "Thin middle management"),
    "opportunities": ("Regulation favours our offer", "New markets opening", "Consolidation of vendors"),
    "threats": ("Low-cost competitor entering", "Budget freeze risk", "Key sponsor may retire", "Tariffs"),
}
_OBJECTIVES = {
    Horizon.SHORT: (
        "Renew the service contract",
        "Close the pilot expansion",
        "Resolve open quality complaints",
        "Get the onboarding of the new site done",
    ),
    Horizon.MEDIUM: (
        "Become preferred supplier for the new plant",
        "Expand into the logistics division",
        "Win the platform migration project",
        "Double the number of active users",
    ),
    Horizon.LONG: (
        "Sign a three-year framework agreement",
        "Become a strategic partner for their growth plan",
        "Co-develop the next product generation",
    ),
}
_ACTIONS = (
    "Meet the VP of engineering to strengthen the relationship",
    "Build a value proposition for the CTO meeting",
    "Ask our champion to request the executive meeting",
    "Send the ROI case study",
    "Run a workshop with the operations team",
    "Prepare the renewal proposal",
    "Map the procurement process with the gatekeeper",
    "Invite the sponsor to the customer advisory board",
    "Review open support tickets with the technical buyer",
    "Share the reference visit schedule",
)
_SUMMARIES = (
    "Quarterly business review",
    "Call about delivery delays",
    "Site visit and plant tour",
    "Pricing discussion",
    "Demo of the new release",
    "Escalation follow-up",
    "Lunch with the sponsor",
    "Roadmap session",
    "Follow-up email with the proposal",
    "Trade fair meeting",
)
_OPPORTUNITIES = (
    "Service contract renewal",
    "Additional licences",
    "Spare parts framework",
    "New site roll-out",
    "Training package",
    "Maintenance upgrade",
    "Consulting engagement",
    "Replacement order",
)
_REVIEW_NOTES = {
    1: ("Engagement improving, sponsor more involved", "Good momentum after the workshop"),
    0: ("Steady; no major change", "Stable relationship, watch the renewal"),
    -1: ("Fewer meetings, sponsor distracted", "Complaints about delivery, needs attention"),
}


def team() -> tuple[str, ...]:
    """The owners drawn from: the base team plus the current user, so "mine" shows something."""
    me = current_user()
    return BASE_TEAM if me in BASE_TEAM else (*BASE_TEAM, me)


# --------------------------------------------------------------------------- writing


class _Writer:
    """Collects inserts with ids assigned here, committing them to the store in batches."""

    def __init__(self, store: Store, batch: int = BATCH) -> None:
        self.store = store
        self.batch = batch
        self.ops: list[Op] = []
        self.next_id: dict[str, int] = dict.fromkeys(ENTITIES, 1)

    def reserve(self, table: str) -> int:
        doc_id = self.next_id[table]
        self.next_id[table] = doc_id + 1
        return doc_id

    def put(self, doc_id: int, entity: Entity) -> int:
        self.ops.append(Op("insert", type(entity).TABLE, doc_id, entity.to_doc()))
        return doc_id

    def add(self, entity: Entity) -> int:
        return self.put(self.reserve(type(entity).TABLE), entity)

    def maybe_flush(self) -> None:
        if len(self.ops) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.ops:
            self.store.commit(self.ops)
            self.ops = []


@contextmanager
def _bulk_store(path: Path, *, overwrite: bool, extra: dict[str, Any] | None = None) -> Iterator[_Writer]:
    """A store in a private temp dir beside ``path``; on success its compacted snapshot becomes ``path``.

    No journal, lock or backup is left behind. The journal-size compaction is suspended while
    loading (it would rewrite the whole snapshot every 8 MB of journal); close() compacts once.
    """
    path = Path(os.path.abspath(path))
    if not overwrite and (path.exists() or path.is_symlink()):
        raise FileExistsError(f"{path} already exists; refusing to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix=".kamtui-sample-", dir=path.parent))
    try:
        tmp = tmpdir / "sample.json"
        if extra:
            initial = {t: {} for t in ENTITIES} | extra
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(initial, fh)
        store = Store(tmp, user=SAMPLE_USER, bulk=True)  # no compaction every 8 MB of journal while loading
        try:
            writer = _Writer(store)
            yield writer
            writer.flush()
            store.compact()  # raises on failure, unlike close()'s best-effort compaction
        finally:
            store.close(compact=False)
        journal = tmp.with_name(tmp.name + ".journal")
        if journal.exists() and journal.stat().st_size:
            raise StoreError(f"could not fold the journal into {tmp}")
        os.chmod(tmp, 0o600)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # refuses to clobber a file created meanwhile
            except FileExistsError:
                raise FileExistsError(f"{path} already exists; refusing to overwrite it") from None
            except OSError:
                os.replace(tmp, path)  # a filesystem without hard links
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


# ------------------------------------------------------------------------- generator


@dataclass(slots=True)
class _Person:
    id: int
    fields: dict[str, Any]


@dataclass(slots=True)
class _Gen:
    rng: random.Random
    today: dt.date
    owners: tuple[str, ...]
    w: _Writer

    def day(self, lo: int, hi: int) -> dt.date:
        """A date ``lo``..``hi`` days from today (negative: in the past)."""
        return self.today + dt.timedelta(days=self.rng.randint(lo, hi))

    def person(self) -> str:
        return f"{self.rng.choice(_FIRST_NAMES)} {self.rng.choice(_LAST_NAMES)}"

    def company(self) -> str:
        r = self.rng
        name = f"{r.choice(_NAME_ROOTS)} {r.choice(_NAME_NOUNS)}"
        suffix = r.choice(_NAME_SUFFIXES)
        return f"{name} {suffix}" if suffix else name

    def account(self, tier: Tier) -> None:
        r = self.rng
        owner = r.choice(self.owners)
        industry = r.choice(INDUSTRIES)
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
                "title": r.choice(TITLES[role]),
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
                    summary=r.choice(_SUMMARIES),
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
                    notes=r.choice(_REVIEW_NOTES[trend]),
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
                        title=r.choice(_OPPORTUNITIES),
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
                title=r.choice(_OBJECTIVES[horizon]),
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
                        text=r.choice(_ACTIONS),
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
        cadence = r.choice(KEY_CADENCES)
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
            "criteria": {c: r.randint(3, 5) for c in r.sample(CRITERIA, r.randint(4, 6))},
            "business": Business(
                goals=r.sample(_GOALS, 2),
                financial_health=r.choice(_HEALTH),
                initiatives=r.sample(_INITIATIVES, 2),
                swot={k: r.sample(vals, 2) for k, vals in _SWOT.items()},
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
            "criteria": {c: r.randint(2, 5) for c in r.sample(CRITERIA, r.randint(3, 5))},
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
    with _bulk_store(Path(path), overwrite=False) as w:
        gen = _Gen(rng, today or dt.date.today(), team(), w)
        for _ in range(accounts):
            gen.account(_tier_for(rng))


# ------------------------------------------------------------------------------ demo
#
# The curated demo portfolio. Day offsets are relative to the day it is built (negative: past).
# Stakeholder rows: name, title, role, influence, friendliness, coverage, last contact (days
# ago, None: never), contact every N days (None: no cadence), left the company, friendliness
# history as (days ago, value) oldest first, notes.

E, DM, TB, INF, CH, CO, US, GK, BL = (
    DecisionRole.ECONOMIC_BUYER,
    DecisionRole.DECISION_MAKER,
    DecisionRole.TECHNICAL_BUYER,
    DecisionRole.INFLUENCER,
    DecisionRole.CHAMPION,
    DecisionRole.COACH,
    DecisionRole.USER,
    DecisionRole.GATEKEEPER,
    DecisionRole.BLOCKER,
)
LO, MED, HI = Level.LOW, Level.MEDIUM, Level.HIGH
NO, BR, RG, ID = Coverage.NONE, Coverage.BRIEF, Coverage.REGULAR, Coverage.IN_DEPTH
S, M, L = Horizon.SHORT, Horizon.MEDIUM, Horizon.LONG

_SH = tuple[
    str, str, DecisionRole, Level, int, Coverage, int | None, int | None, bool, tuple[tuple[int, int], ...], str
]
_OBJ = tuple[Horizon, str, str, int, ObjectiveStatus, tuple[tuple[str, int, bool], ...]]


@dataclass(frozen=True, slots=True)
class _DemoKey:
    name: str
    industry: str
    owner: str
    helper: str
    sponsor: str
    revenue: float
    cost: float
    growth: Level
    cadence: str
    criteria: dict[str, int]
    goals: tuple[str, ...]
    health: str
    initiatives: tuple[str, ...]
    swot: dict[str, list[str]]
    stakeholders: tuple[_SH, ...]
    objectives: tuple[_OBJ, ...]
    # health per review, oldest first; the newest review was ``last_review_ago`` days ago
    trend: tuple[int, ...]
    last_review_ago: int
    review_notes: tuple[str, str]  # (older, newest)
    opportunities: tuple[tuple[str, float, Stage, int], ...]
    notes: str = ""


OPEN_, RISK, DONE, DROP = ObjectiveStatus.OPEN, ObjectiveStatus.AT_RISK, ObjectiveStatus.DONE, ObjectiveStatus.DROPPED
WON, LOST, OPEN = Stage.WON, Stage.LOST, Stage.OPEN

# fmt: off
DEMO_KEY: tuple[_DemoKey, ...] = (
    _DemoKey(
        "Northwind Freight Systems", "Logistics", "ana", "dev", "COO", 2_400_000, 310_000, HI, "monthly",
        {"product affinity": 5, "solvency": 4, "existing relationships": 5, "revenue potential": 4},
        ("Cut empty-mile ratio below 12%", "Open a hub in Rotterdam by Q4"),
        "Healthy: revenue up 9% last year, low debt",
        ("Fleet telematics roll-out", "Rotterdam hub project"),
        {"strengths": ["Dense European network", "Modern fleet"], "weaknesses": ["Manual dispatch planning"],
         "opportunities": ["Near-shoring brings new lanes"], "threats": ["Driver shortage", "Fuel prices"]},
        (
            ("Margaret Ellison", "CFO", E, HI, 1, RG, 21, 45, False, ((300, 0), (120, 1)),
             "Cares about payback under 18 months"),
            ("Tomás Reyes", "VP Operations", DM, HI, 2, ID, 9, 30, False, ((330, 1), (150, 2)), "Our strongest ally"),
            ("Priya Natarajan", "Head of IT", TB, MED, 0, RG, 34, 60, False, ((200, -1), (90, 0)),
             "Worried about integration effort"),
            ("Jonas Berg", "Fleet Planner", US, LO, 1, BR, 40, None, False, (), ""),
            ("Helen Cho", "Executive Assistant to the COO", GK, LO, 0, BR, 63, None, False, (),
             "Books the COO's diary"),
        ),
        (
            (S, "Renew the telematics service contract", "ana", 20, OPEN_, (
                ("Prepare the renewal proposal with volume tiers", -6, False),
                ("Send usage report for 2025 to Margaret", -20, True),
            )),
            (M, "Win the Rotterdam hub roll-out", "ana", 150, OPEN_, (
                ("Build a value proposition for the CTO meeting", 12, False),
                ("Ask Tomás to request the meeting with the board", 25, False),
            )),
            (L, "Become the group's single telematics supplier", "dev", 540, OPEN_, (
                ("Map the other business units and their incumbents", 60, False),
            )),
        ),
        (3, 3, 3, 4, 3, 4, 4, 5), 12,
        ("Usage growing after the planner training", "Renewal looks good; Tomás pushing for Rotterdam"),
        (("Telematics platform 2024", 780_000, WON, -420), ("Driver app add-on", 140_000, WON, -160),
         ("Rotterdam hub roll-out", 650_000, OPEN, 150), ("Cold-chain sensors", 90_000, LOST, -75)),
        "Flagship logistics account; reference customer.",
    ),
    _DemoKey(
        "Halvorsen Marine AS", "Shipbuilding", "ben", "chloe", "CEO", 3_100_000, 520_000, MED, "monthly",
        {"product affinity": 4, "solvency": 3, "existing relationships": 2, "buying process": 2,
         "revenue potential": 5},
        ("Deliver the two LNG ferries on time", "Recover margin after the 2024 losses"),
        "Under pressure: two loss-making contracts, bank covenants tight",
        ("Yard digitalisation", "Supplier consolidation"),
        {"strengths": ["Order book full until 2028"], "weaknesses": ["Cost overruns", "Slow approvals"],
         "opportunities": ["Green-ship subsidies"], "threats": ["Asian yards undercut prices", "Covenant breach"]},
        (
            ("Ingrid Solberg", "COO", DM, HI, -2, BR, 82, 30, False, ((340, 0), (200, -1), (70, -2)),
             "Blames us for the 2024 delivery delays; wants to re-tender"),
            ("Nils Aune", "CFO", E, HI, 0, RG, 28, 45, False, ((250, 1), (100, 0)), ""),
            ("Lars Midtbø", "Head of Digital", CH, HI, 2, ID, 140, 30, True, ((360, 1), (250, 2)),
             "Left for a competitor yard in October; we lost our internal sponsor"),
            ("Knut Aasen", "Legacy Systems Owner", BL, MED, -1, BR, 55, None, False, ((180, 0), (60, -1)),
             "Protects the in-house planning tool"),
            ("Sigrid Holm", "Production Planner", US, LO, 1, RG, 18, None, False, (), "Daily user, likes the tool"),
            ("Eirik Dahl", "Procurement Officer", GK, MED, 0, BR, 47, 60, False, (), ""),
        ),
        (
            (S, "Rebuild the relationship with the COO", "ben", -5, RISK, (
                ("Get an apology meeting with Ingrid Solberg", -14, False),
                ("Send the root-cause report on the 2024 delays", -30, True),
                ("Find a new champion after Lars Midtbø left", -3, False),
            )),
            (M, "Keep the yard planning contract at renewal", "ben", 120, RISK, (
                ("Run a workshop with the production planners", 20, False),
            )),
            (L, "Position for the 2027 newbuild programme", "chloe", 480, OPEN_, (
                ("Share the green-ship subsidy case study", 45, False),
            )),
        ),
        (4, 4, 4, 3, 3, 3, 2, 2, 2), 24,
        ("Delivery complaints escalating", "COO hostile, champion gone; renewal at risk"),
        (("Yard planning suite", 1_200_000, WON, -600), ("Hull-section tracking", 380_000, LOST, -95),
         ("Planning suite renewal", 900_000, OPEN, 120)),
        "At risk. Escalated to our CEO in November.",
    ),
    _DemoKey(
        "Castellan Foods S.A.", "Food & beverage", "chloe", "ana", "VP Sales", 1_850_000, 260_000, HI, "biweekly",
        {"product affinity": 4, "solvency": 5, "cultural affinity": 5, "channel potential": 4},
        ("Double exports to the US", "Halve food waste in the plants"),
        "Strong: family-owned, no debt, 14% EBITDA margin",
        ("New bottling line in Valencia", "Waste-reduction programme"),
        {"strengths": ["Premium brand", "Loyal distributors"], "weaknesses": ["Paper-based quality records"],
         "opportunities": ["US retail chains want organic lines"], "threats": ["Olive harvest volatility"]},
        (
            ("Lucía Castellanos", "Managing Director", E, HI, 1, RG, 16, 60, False, ((280, 0), (110, 1)),
             "Family owner"),
            ("Javier Montoya", "Plant Director", DM, HI, 1, ID, 6, 30, False, ((250, 0), (130, 1)), ""),
            ("Elena Ruiz", "Quality Manager", TB, MED, 2, ID, 4, 30, False, ((300, 0), (180, 1), (60, 2)),
             "Now our champion for the Valencia line"),
            ("Pablo Serrano", "Business Analyst", CO, LO, 1, RG, 11, None, False, (), "Tells us how budgets move"),
        ),
        (
            (S, "Close the Valencia line pilot", "chloe", 14, OPEN_, (
                ("Send the ROI case study to Lucía", -2, False),
                ("Install sensors on line 3", -10, True),
            )),
            (M, "Roll out quality records to all four plants", "chloe", 200, OPEN_, (
                ("Plan the roll-out with Elena Ruiz", 30, False),
                ("Price the multi-site licence", 50, False),
            )),
            (L, "Support the US export expansion", "ana", 700, OPEN_, (
                ("Introduce our US logistics partner", 120, False),
            )),
        ),
        (3, 3, 3, 3, 4, 4, 4, 5, 5, 5), 5,
        ("Pilot going well, quality team engaged", "Excellent momentum; Elena presenting results to the board"),
        (("Quality records pilot", 180_000, WON, -210), ("Valencia line sensors", 420_000, OPEN, 14),
         ("Multi-site licence", 900_000, OPEN, 200), ("ERP connector", 60_000, WON, -90)),
    ),
    _DemoKey(
        "Meridian Health Partners", "Healthcare", "dev", "ben", "CFO", 2_750_000, 400_000, MED,
        "FREQ=MONTHLY;BYDAY=1TU",
        {"product affinity": 3, "solvency": 4, "existing relationships": 4, "buying process": 2,
         "geographic alignment": 5},
        ("Reduce patient waiting times by 20%", "Integrate the three acquired clinics"),
        "Stable public-private funding; capex frozen until April",
        ("Clinic integration", "Patient portal"),
        {"strengths": ["Regional market leader"], "weaknesses": ["Fragmented IT after acquisitions"],
         "opportunities": ["Telehealth reimbursement"], "threats": ["Capex freeze", "Data-protection audits"]},
        (
            ("Dr. Amara Okafor", "Chief Medical Officer", DM, HI, 1, RG, 25, 45, False, ((200, 0), (80, 1)), ""),
            ("Robert Lindqvist", "CFO", E, HI, -1, BR, 58, 45, False, ((260, 0), (100, -1)),
             "Sceptical of the ROI; capex freeze"),
            ("Sunita Rao", "Head of Clinical IT", TB, HI, 0, RG, 19, 30, False, (), ""),
            ("Marcus Feld", "Compliance Officer", BL, MED, -2, BR, 70, None, False, ((150, -1), (40, -2)),
             "Raised data-residency objections"),
            ("Grace Abara", "Clinic Manager", INF, MED, 2, ID, 8, 30, False, ((210, 1), (90, 2)), ""),
            ("Tom Whitaker", "Nurse Lead", US, LO, 1, BR, 30, None, False, (), ""),
        ),
        (
            (S, "Answer the data-residency objections", "dev", 10, RISK, (
                ("Send the hosting and DPA documentation to Marcus Feld", -8, False),
                ("Arrange a call with our security officer", 5, False),
            )),
            (M, "Extend to the three acquired clinics", "dev", 180, OPEN_, (
                ("Demo to the clinic managers", 40, False),
                ("Workshop on waiting-time reporting", -40, True),
            )),
            (L, "Become the platform for the telehealth service", "ben", 600, OPEN_, (
                ("Prepare telehealth reference visit", 90, False),
            )),
        ),
        (3, 3, 4, 3, 3, 3, 3), 20,
        ("Adoption steady in the main hospital", "Stable; compliance objections slowing expansion"),
        (("Scheduling platform", 1_600_000, WON, -700), ("Clinic extension", 750_000, OPEN, 180),
         ("Patient SMS reminders", 120_000, LOST, -130)),
    ),
    _DemoKey(
        "Brightwater Utilities", "Utilities", "ana", "chloe", "CEO", 1_400_000, 330_000, LO, "monthly",
        {"solvency": 5, "existing relationships": 2, "geographic alignment": 4, "revenue potential": 3},
        ("Replace 30% of lead pipes by 2028",),
        "Regulated returns; predictable but slow budgets",
        ("Smart metering tender",),
        {"strengths": ["Regulated monopoly"], "weaknesses": ["Single point of contact with us"],
         "opportunities": ["Smart metering programme"], "threats": ["New regulator price cap"]},
        (
            ("Owen Pritchard", "Asset Manager", CO, MED, 1, ID, 12, 30, False, ((220, 1),), "Our only real contact"),
            ("Deborah Vance", "Director of Networks", DM, HI, 0, NO, None, 60, False, (), "Never met"),
            ("Alan Murphy", "Finance Director", E, HI, 0, NO, None, None, False, (), "Never met"),
        ),
        (
            (S, "Get introduced to the Director of Networks", "ana", -10, RISK, (
                ("Ask Owen for an introduction to Deborah Vance", -25, False),
            )),
            (M, "Qualify the smart metering tender", "ana", 90, OPEN_, (
                ("Read the tender pre-notice and map requirements", -5, False),
            )),
            (L, "Multi-year asset analytics agreement", "chloe", 800, OPEN_, ()),
        ),
        (4, 4, 3, 3, 3, 2), 38,
        ("Relationship rests on one person", "Single-threaded; tender coming and no access to decision makers"),
        (("Asset analytics", 950_000, WON, -500), ("Smart metering data hub", 1_100_000, OPEN, 240)),
        "Single-threaded: everything goes through Owen.",
    ),
    _DemoKey(
        "Kestrel Aerospace GmbH", "Aerospace", "ben", "dev", "CTO", 4_200_000, 700_000, HI, "monthly",
        {"product affinity": 5, "solvency": 4, "existing relationships": 4, "revenue potential": 5,
         "buying process": 3},
        ("Certify the new composite wing spar", "Raise output to 12 shipsets a month"),
        "Growing: order backlog up 30%, investing heavily",
        ("Composite line expansion", "Digital thread programme"),
        {"strengths": ["Certified supplier to two OEMs"], "weaknesses": ["Long certification cycles"],
         "opportunities": ["Defence budgets rising"], "threats": ["Titanium supply", "Export controls"]},
        (
            ("Dr. Katrin Vogel", "CTO", TB, HI, 2, ID, 10, 30, False, ((320, 0), (200, 1), (60, 2)), ""),
            ("Matthias Brandt", "Managing Director", E, HI, 1, RG, 33, 60, False, ((260, 0), (120, 1)), ""),
            ("Stefan Krüger", "Head of Procurement", DM, HI, 0, RG, 15, 30, False, (), ""),
            ("Anja Weber", "Programme Manager", CH, MED, 2, ID, 3, 21, False, ((150, 1), (50, 2)), ""),
            ("Felix Hartmann", "Quality Engineer", US, LO, 1, RG, 22, None, False, (), ""),
            ("Jana Novak", "Certification Lead", INF, MED, 1, BR, 48, 45, False, ((100, 0), (30, 1)), ""),
            ("Ute Schäfer", "Assistant to the MD", GK, LO, 1, BR, 60, None, False, (), ""),
        ),
        (
            (S, "Sign the digital thread phase 2 order", "ben", 25, OPEN_, (
                ("Finalise the statement of work with Anja", 7, False),
                ("Technical review with Dr. Vogel", -12, True),
            )),
            (M, "Extend to the composite line", "ben", 160, OPEN_, (
                ("Site visit to the new composite hall", 35, False),
                ("Share aerospace reference visit schedule", -4, False),
            )),
            (L, "Strategic partnership for the next airframe", "dev", 900, OPEN_, (
                ("Invite Matthias to the customer advisory board", 80, False),
            )),
        ),
        (3, 3, 4, 4, 4, 4, 5, 5), 9,
        ("Good progress on phase 1", "Phase 1 accepted; CTO now an ally"),
        (("Digital thread phase 1", 1_900_000, WON, -300), ("Digital thread phase 2", 1_300_000, OPEN, 25),
         ("Composite line tracking", 800_000, OPEN, 160), ("Tooling database", 200_000, LOST, -400)),
    ),
    _DemoKey(
        "Solano Retail Group", "Retail", "chloe", "ben", "VP Sales", 1_950_000, 450_000, MED, "monthly",
        {"product affinity": 3, "solvency": 2, "existing relationships": 3, "channel potential": 4},
        ("Turn around like-for-like sales", "Close 20 unprofitable stores"),
        "Weak: two profit warnings, new CEO since September",
        ("Store closure programme", "Loyalty app relaunch"),
        {"strengths": ["Prime locations"], "weaknesses": ["High debt", "Outdated e-commerce"],
         "opportunities": ["New CEO open to change"], "threats": ["Insolvency risk", "Online competitors"]},
        (
            ("Carmen Solano", "Chief Executive Officer", E, HI, 0, BR, 90, 60, False, ((100, 0),),
             "New CEO, hardly knows us"),
            ("David Alvarez", "COO", DM, HI, -1, RG, 45, 30, False, ((300, 1), (150, 0), (50, -1)),
             "Cooling since the price increase"),
            ("Rosa Medina", "Head of E-commerce", TB, MED, 1, RG, 26, 45, False, (), ""),
            ("Miguel Ortega", "Category Manager", CH, MED, 1, RG, 35, 30, False, ((200, 2), (40, 1)),
             "Less vocal lately"),
            ("Sara Lindgren", "Store Operations Analyst", US, LO, 0, BR, 75, None, False, (), ""),
        ),
        (
            (S, "Meet the new CEO", "chloe", -15, RISK, (
                ("Ask Miguel to request the CEO meeting for us", -28, False),
                ("Prepare a one-page turnaround value proposition", -18, False),
            )),
            (M, "Protect the loyalty app contract", "chloe", 100, OPEN_, (
                ("Review open support tickets with Rosa", -1, False),
                ("Offer a price freeze in exchange for a two-year term", 30, False),
            )),
            (L, "Grow into the e-commerce platform", "ben", 540, DROP, ()),
        ),
        (4, 4, 3, 3, 3, 2, 2), 52,
        ("Price increase badly received", "Declining; review overdue and the new CEO not met"),
        (("Loyalty app", 1_100_000, WON, -800), ("E-commerce search", 600_000, LOST, -60),
         ("Loyalty app renewal", 850_000, OPEN, 100)),
        "Watch solvency; payment terms slipped to 75 days.",
    ),
    _DemoKey(
        "Vireo Pharmaceuticals", "Pharmaceuticals", "dev", "ana", "COO", 3_600_000, 580_000, HI, "biweekly",
        {"product affinity": 4, "solvency": 5, "existing relationships": 4, "revenue potential": 4},
        ("Launch two biosimilars in 2026", "Pass the FDA inspection of the Lyon plant"),
        "Strong cash position after licensing deal",
        ("Serialisation upgrade", "Lyon plant inspection readiness"),
        {"strengths": ["Pipeline of biosimilars"], "weaknesses": ["Complex validation processes"],
         "opportunities": ["Serialisation rules extend to new markets"], "threats": ["Patent litigation"]},
        (
            ("Dr. Hélène Marchand", "VP Manufacturing", DM, HI, 1, ID, 7, 30, False, ((250, 0), (120, 1)), ""),
            ("Olivier Brun", "CFO", E, HI, 0, BR, 50, 90, False, (), ""),
            ("Yusuf Demir", "Validation Lead", TB, MED, 1, RG, 13, 30, False, ((180, -1), (60, 1)),
             "Won over after the audit"),
            ("Claire Fontaine", "Head of Regulatory", INF, HI, 1, RG, 20, 45, False, (), ""),
            ("Luc Bernard", "Procurement Specialist", CO, LO, 2, RG, 17, None, False, ((120, 1), (30, 2)), ""),
        ),
        (
            (S, "Complete validation of release 4.2", "dev", 8, OPEN_, (
                ("Deliver the validation pack to Yusuf", -3, False),
                ("Run IQ/OQ on the test line", -15, True),
            )),
            (M, "Serialisation upgrade for Brazil and India", "dev", 140, OPEN_, (
                ("Map country requirements with Claire", 21, False),
            )),
            (L, "Three-year framework agreement", "ana", 450, OPEN_, (
                ("Draft framework terms with Luc", 60, False),
            )),
        ),
        (3, 4, 3, 4, 4, 4, 4, 4), 10,
        ("Audit passed with one finding", "Stable and healthy; validation on track"),
        (("Serialisation platform", 2_200_000, WON, -650), ("Release 4.2 upgrade", 300_000, WON, -45),
         ("Brazil/India serialisation", 700_000, OPEN, 140)),
    ),
    _DemoKey(
        "Tidewater Telecom plc", "Telecom", "ana", "ben", "CEO", 2_900_000, 480_000, MED,
        "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH",
        {"product affinity": 4, "solvency": 3, "existing relationships": 3, "revenue potential": 4},
        ("Reach 1M fibre homes passed", "Cut churn to 1% a month"),
        "Leveraged after fibre build-out; EBITDA improving",
        ("Fibre build-out", "Churn reduction programme"),
        {"strengths": ["Fastest fibre in its region"], "weaknesses": ["Call-centre quality"],
         "opportunities": ["Rural broadband subsidies"], "threats": ["Price war with incumbents"]},
        (
            ("Rachel Osei", "Chief Customer Officer", DM, HI, 1, RG, 14, 30, False, ((280, -1), (170, 0), (60, 1)),
             "Turned around after the churn pilot"),
            ("Gareth Pryce", "CFO", E, HI, 1, RG, 30, 60, False, ((200, 0), (90, 1)), ""),
            ("Wei Zhang", "Head of Network Operations", TB, MED, 0, BR, 40, 45, False, (), ""),
            ("Fiona MacLeod", "Churn Programme Lead", CH, MED, 2, ID, 5, 21, False, ((220, 1), (100, 2)), ""),
            ("Hamza Qureshi", "Contact-centre Manager", US, LO, 1, RG, 19, None, False, (), ""),
            ("Nina Petrova", "Incumbent vendor sponsor", BL, MED, -1, NO, None, None, False, (),
             "Backs the incumbent CRM"),
        ),
        (
            (S, "Convert the churn pilot into a contract", "ana", 30, OPEN_, (
                ("Present pilot results to Rachel and Gareth", 6, False),
                ("Collect churn numbers from Fiona", -9, True),
            )),
            (M, "Expand to the contact centre", "ana", 130, OPEN_, (
                ("Shadow a shift with Hamza's team", -2, False),
            )),
            (L, "Replace the incumbent CRM analytics", "ben", 720, OPEN_, (
                ("Understand why Nina backs the incumbent", 40, False),
            )),
        ),
        (2, 2, 3, 3, 3, 4, 4), 8,
        ("Pilot started; CCO sceptical", "Improving fast; pilot cut churn by 0.3 points"),
        (("Churn analytics pilot", 250_000, WON, -120), ("Churn analytics roll-out", 1_400_000, OPEN, 30),
         ("Network fault prediction", 500_000, LOST, -260)),
    ),
    _DemoKey(
        "Oakhurst Construction Ltd", "Construction", "ben", "ana", "COO", 1_650_000, 390_000, LO, "monthly",
        {"solvency": 3, "existing relationships": 3, "buying process": 2, "revenue potential": 3},
        ("Win two hospital frameworks", "Improve site safety record"),
        "Thin margins; cash tied up in a disputed project",
        ("Site safety programme",),
        {"strengths": ["Strong public-sector track record"], "weaknesses": ["Low margins"],
         "opportunities": ["Hospital building programme"], "threats": ["Material cost inflation", "Contract dispute"]},
        (
            ("Patrick Doyle", "Operations Director", DM, HI, 0, RG, 29, 30, False, ((240, 1), (120, 0)), ""),
            ("Siobhan Kelly", "Finance Director", E, HI, -1, BR, 66, 60, False, ((180, 0), (75, -1)),
             "Pushing for discounts"),
            ("Martin Hughes", "Head of Digital Construction", TB, MED, 1, RG, 21, 45, False, (), ""),
            ("Aoife Byrne", "Site Manager", US, LO, 1, RG, 44, None, False, (), ""),
        ),
        (
            (S, "Agree the safety module price", "ben", 5, RISK, (
                ("Prepare the discount scenarios for Siobhan", -7, False),
            )),
            (M, "Roll out to the hospital projects", "ben", 210, OPEN_, (
                ("Demo the site-safety dashboard to Patrick", 15, False),
                ("Send site-safety case study", -35, True),
            )),
            (L, "Framework supplier for all sites", "ana", 660, OPEN_, ()),
        ),
        (4, 4, 4, 3, 3, 3, 3, 2), 27,
        ("Budget squeeze visible", "Declining; finance pushing on price, usage flat"),
        (("Site reporting", 900_000, WON, -540), ("Safety module", 240_000, OPEN, 5),
         ("Drone surveys", 150_000, LOST, -200)),
    ),
)

# name, industry, owner, revenue, cost, growth, criteria, stakeholders, health per review (quarterly), last review ago
_DemoCand = tuple[str, str, str, float, float, Level, dict[str, int], tuple[_SH, ...], tuple[int, ...], int]
DEMO_CANDIDATES: tuple[_DemoCand, ...] = (
    ("Pinecrest Software", "Software", "dev", 420_000, 60_000, HI,
     {"product affinity": 5, "revenue potential": 4, "channel potential": 5},
     (("Isabel Navarro", "CEO", E, HI, 1, RG, 20, 60, False, (), ""),
      ("Kenji Ito", "VP Engineering", DM, HI, 1, RG, 33, 60, False, (), ""),
      ("Zoe Martin", "Partner Manager", CH, MED, 2, ID, 12, 30, False, (), "")),
     (3, 4, 4), 40),
    ("Lumen Education Trust", "Education", "chloe", 260_000, 50_000, MED,
     {"solvency": 4, "cultural affinity": 5, "revenue potential": 3},
     (("Hannah Brooks", "Director of Operations", DM, HI, 0, BR, 70, 60, False, (), ""),
      ("Samuel Adeyemi", "IT Manager", TB, MED, 1, RG, 25, None, False, (), "")),
     (3, 3), 60),
    ("Quarry Stone Materials", "Construction", "ben", 510_000, 120_000, MED,
     {"solvency": 3, "geographic alignment": 5, "revenue potential": 4},
     (("Victor Kowalski", "Managing Director", E, HI, 0, BR, 50, None, False, (), ""),
      ("Ewa Nowak", "Plant Manager", DM, HI, 1, RG, 31, None, False, (), ""),
      ("Tariq Haddad", "Buyer", GK, LO, 0, BR, 80, None, False, (), "")),
     (2, 3, 3), 100),
    ("Aldermoor Hotels", "Hospitality", "ana", 380_000, 90_000, HI,
     {"product affinity": 3, "channel potential": 4, "revenue potential": 4},
     (("Sofia Rossi", "COO", DM, HI, 1, RG, 18, 45, False, (), ""),
      ("Marco Bellini", "Revenue Manager", INF, MED, 2, RG, 9, None, False, (), ""),
      ("Laila Haddad", "CFO", E, HI, -1, BR, 120, None, False, (), "Thinks we are too expensive"),
      ("Noah Fischer", "Front Office Lead", US, LO, 1, BR, 45, None, False, (), "")),
     (4, 3, 3), 20),
    ("Fenwick Instruments", "Manufacturing", "dev", 610_000, 110_000, HI,
     {"product affinity": 4, "solvency": 4, "revenue potential": 5},
     (("Dr. Wei Chen", "CTO", TB, HI, 2, ID, 14, 30, False, (), "Wants us as partner for the new sensor line"),
      ("Olivia Grant", "Purchasing Director", DM, HI, 0, BR, 65, 60, False, (), "")),
     (3, 4), 85),
    ("Saffron Agritech", "Agriculture", "chloe", 300_000, 70_000, MED,
     {"product affinity": 3, "geographic alignment": 4, "revenue potential": 3},
     (("Mateo Vasquez", "Founder & CEO", E, HI, 1, RG, 37, None, False, (), ""),),
     (3,), 120),
)

# name, industry, owner, revenue, contacts as (name, title, role)
DEMO_REGULAR: tuple[tuple[str, str, str, float, tuple[tuple[str, str, DecisionRole], ...]], ...] = (
    ("Bluebell Bakeries", "Food & beverage", "chloe", 84_000, (("Rosa Almeida", "Owner", E),)),
    ("Cobalt Print Works", "Media", "ben", 22_500, (("Thomas Becker", "Production Manager", DM),)),
    ("Driftwood Outdoor", "Retail", "ana", 131_000, (("Julia Svensson", "Buyer", DM), ("Omar Said", "Store Lead", US))),
    ("Elmstead Dental Clinics", "Healthcare", "dev", 47_000, (("Dr. Nadia Petrov", "Practice Owner", E),)),
    ("Granite Peak Fitness", "Hospitality", "chloe", 9_800, (("Carlos Lopez", "Gym Manager", DM),)),
    ("Harbour Lane Logistics", "Logistics", "ben", 212_000, (("Fatima Yilmaz", "Operations Manager", DM),
                                                             ("Bruno Costa", "Dispatcher", US))),
    ("Ironbridge Tools", "Manufacturing", "dev", 156_000, (("Anders Olsen", "Purchasing Manager", DM),
                                                          ("Mei Wong", "Engineer", INF))),
    ("Juniper Florals", "Retail", "ana", 6_200, (("Grace Quinn", "Owner", E),)),
    ("Larkspur Media", "Media", "chloe", 38_000, (("Daniela Torres", "Head of Production", DM),)),
    ("Millbrook Water Services", "Utilities", "ben", 74_000, (("Hiroshi Tanaka", "Network Engineer", TB),
                                                             ("Ingrid Eriksen", "Procurement", GK))),
    ("Orion Lab Supplies", "Pharmaceuticals", "dev", 97_000, (("Rafael Santos", "Lab Manager", DM),)),
    ("Redfern Auto Parts", "Automotive", "ana", 268_000, (("Valeria Ruiz", "Purchasing Director", DM),
                                                         ("Emeka Nwosu", "Workshop Lead", US),
                                                         ("Jamal Wright", "Finance", E))),
)
# fmt: on


_REVIEW_STEP = {"biweekly": 14, "weekly": 7, "quarterly": 91, "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH": 21}


def _clamp(x: int) -> int:
    return max(1, min(5, x))


class _Demo:
    def __init__(self, w: _Writer, today: dt.date) -> None:
        self.w = w
        self.today = today
        self.rng = random.Random(20260115)

    def ago(self, days: int) -> dt.date:
        return self.today - dt.timedelta(days=days)

    def stakeholders_and_interactions(self, aid: int, rows: Sequence[_SH], owner: str, extra: int) -> None:
        """Write the stakeholders and the interactions behind their last contact, plus ``extra``
        older ones per contacted stakeholder (between 20 and 200 days before their last contact)."""
        r = self.rng
        events: dict[dt.date, set[int]] = {}
        for name, title, role, influence, friendliness, coverage, last, every, left, history, notes in rows:
            sid = self.w.add(
                Stakeholder(
                    account_id=aid,
                    name=name,
                    title=title,
                    role=role,
                    influence=influence,
                    friendliness=friendliness,
                    friendliness_history=[FriendlinessChange(self.ago(d), val, owner) for d, val in history],
                    coverage=coverage,
                    last_contact=self.ago(last) if last is not None else None,
                    contact_every_days=every,
                    owner=owner,
                    left=left,
                    notes=notes,
                )
            )
            if last is None:
                continue
            events.setdefault(self.ago(last), set()).add(sid)
            when = last
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
                    summary=r.choice(_SUMMARIES),
                    by=owner,
                )
            )

    def reviews(
        self, aid: int, health: Sequence[int], last_ago: int, step: int, owner: str, notes: tuple[str, str]
    ) -> dt.date:
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

    def opportunities(self, aid: int, rows: Sequence[tuple[str, float, Stage, int]]) -> None:
        for title, value, stage, close in rows:
            self.w.add(
                Opportunity(
                    account_id=aid,
                    title=title,
                    value=value,
                    stage=stage,
                    close_date=self.today + dt.timedelta(days=close),
                )
            )

    def objectives(self, aid: int, rows: Sequence[_OBJ], default_owner: str) -> None:
        for horizon, title, owner, due, status, actions in rows:
            oid = self.w.add(
                Objective(
                    account_id=aid,
                    title=title,
                    horizon=horizon,
                    owner=owner,
                    due=self.today + dt.timedelta(days=due),
                    status=status,
                )
            )
            for text, adue, done in actions:
                when = self.today + dt.timedelta(days=adue)
                self.w.add(
                    Action(
                        account_id=aid,
                        objective_id=oid,
                        text=text,
                        owner=owner or default_owner,
                        due=when,
                        done=done,
                        done_at=when - dt.timedelta(days=1) if done else None,
                        done_by=(owner or default_owner) if done else "",
                    )
                )

    def key(self, k: _DemoKey) -> None:
        aid = self.w.reserve("accounts")
        self.stakeholders_and_interactions(aid, k.stakeholders, k.owner, 3)
        self.objectives(aid, k.objectives, k.owner)
        step = _REVIEW_STEP.get(k.cadence, 30)
        last = self.reviews(aid, k.trend, k.last_review_ago, step, k.owner, k.review_notes)
        self.opportunities(aid, k.opportunities)
        self.w.put(
            aid,
            Account(
                name=k.name,
                tier=Tier.KEY,
                industry=k.industry,
                owner=k.owner,
                team=[TeamMember(k.owner, "key account manager"), TeamMember(k.helper, "solutions engineer")],
                sponsor=k.sponsor,
                revenue=k.revenue,
                cost_to_serve=k.cost,
                growth_potential=k.growth,
                criteria=dict(k.criteria),
                business=Business(
                    list(k.goals), k.health, list(k.initiatives), {a: list(b) for a, b in k.swot.items()}
                ),
                cadence=k.cadence,
                last_review=last,
                crm_id=f"CRM-{100200 + aid}",
                notes=k.notes,
            ),
        )

    def candidate(self, c: _DemoCand) -> None:
        name, industry, owner, revenue, cost, growth, criteria, people, health, last_ago = c
        r = self.rng
        aid = self.w.reserve("accounts")
        self.stakeholders_and_interactions(aid, people, owner, 2)
        actions = (
            ("Score the key-account criteria with the team", r.randint(-12, 14), False),
            ("Estimate cost to serve at key-account level", r.randint(-40, -20), True),
        )
        promote: _OBJ = (S, "Decide on promotion to key account", owner, r.randint(20, 70), OPEN_, actions)
        self.objectives(aid, (promote,), owner)
        notes = ("Growing steadily, good fit", "Promising; decide on promotion next quarter")
        last = self.reviews(aid, health, last_ago, 91, owner, notes)
        self.opportunities(
            aid,
            (
                ("First order", round(revenue * 0.4, -3), WON, -r.randint(200, 400)),
                ("Expansion order", round(revenue * 0.6, -3), WON, -r.randint(30, 150)),
                ("Multi-year agreement", round(revenue * 1.5, -3), OPEN, r.randint(40, 200)),
            ),
        )
        self.w.put(
            aid,
            Account(
                name=name,
                tier=Tier.CANDIDATE,
                industry=industry,
                owner=owner,
                revenue=revenue,
                cost_to_serve=cost,
                growth_potential=growth,
                criteria=dict(criteria),
                cadence="quarterly",
                last_review=last,
                crm_id=f"CRM-{100200 + aid}",
            ),
        )

    def regular(self, row: tuple[str, str, str, float, tuple[tuple[str, str, DecisionRole], ...]]) -> None:
        name, industry, owner, revenue, contacts = row
        r = self.rng
        aid = self.w.reserve("accounts")
        people: list[_SH] = [
            (pname, title, role, MED if role in (E, DM) else LO, r.choice((0, 1, 1)), BR, r.randint(15, 300), None,
             False, (), "")
            for pname, title, role in contacts
        ]  # fmt: skip
        self.stakeholders_and_interactions(aid, people, owner, 2)
        orders = [
            (r.choice(_OPPORTUNITIES), round(revenue * r.uniform(0.15, 0.5), -2), WON, -r.randint(10, 700))
            for _ in range(r.randint(1, 5))
        ]
        if r.random() < 0.3:
            orders.append((r.choice(_OPPORTUNITIES), round(revenue * 0.3, -2), LOST, -r.randint(30, 300)))
        self.opportunities(aid, orders)
        self.w.put(
            aid,
            Account(
                name=name,
                tier=Tier.REGULAR,
                industry=industry,
                owner=owner,
                revenue=revenue,
                cost_to_serve=round(revenue * r.uniform(0.15, 0.4), -2),
                growth_potential=r.choice((LO, MED, MED, HI)),
            ),
        )


def build_demo(path: Path, today: dt.date = DEMO_ANCHOR) -> None:
    """Write the curated demo portfolio to ``path`` (replacing it), dated relative to ``today``.

    The anchor date is recorded in the reserved table ``_demo`` (doc "1", field "anchor"),
    which the store keeps through compactions.
    """
    with _bulk_store(Path(path), overwrite=True, extra={DEMO_TABLE: {"1": {"anchor": today.isoformat()}}}) as w:
        demo = _Demo(w, today)
        for k in DEMO_KEY:
            demo.key(k)
        for c in DEMO_CANDIDATES:
            demo.candidate(c)
        for row in DEMO_REGULAR:
            demo.regular(row)


def demo_source() -> Path:
    """Where ``demo.json`` is: the repository's ``sample_data`` or the installed package data."""
    here = Path(__file__).resolve().parent
    candidates = (here.parent / "sample_data" / "demo.json", here / "sample_data" / "demo.json")
    for p in candidates:
        if p.is_file():
            return p
    raise FileNotFoundError(f"demo.json not found (looked in {', '.join(str(p.parent) for p in candidates)})")


def repo_demo_path() -> Path:
    return Path(__file__).resolve().parent.parent / "sample_data" / "demo.json"


def _shift(value: Any, delta: dt.timedelta) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return (dt.date.fromisoformat(value[:10]) + delta).isoformat()


def shift_dates(data: dict[str, Any], delta: dt.timedelta) -> None:
    """Move every date of a store snapshot (in place) by ``delta``."""
    for table, cls in ENTITIES.items():
        for doc in data.get(table, {}).values():
            for name in cls.DATE_FIELDS:
                if name in doc:
                    doc[name] = _shift(doc[name], delta)
            for change in doc.get("friendliness_history", ()) if table == "stakeholders" else ():
                if isinstance(change, dict) and "date" in change:
                    change["date"] = _shift(change["date"], delta)


_OWNER_FIELDS = {
    "accounts": ("owner",),
    "stakeholders": ("owner",),
    "objectives": ("owner",),
    "actions": ("owner", "done_by"),
    "reviews": ("reviewer",),
    "interactions": ("by",),
}


def _rename_owner(data: dict[str, Any], old: str, new: str) -> None:
    for table, names in _OWNER_FIELDS.items():
        for doc in data.get(table, {}).values():
            for name in names:
                if doc.get(name) == old:
                    doc[name] = new
            for m in doc.get("team", ()) if table == "accounts" else ():
                if m.get("member") == old:
                    m["member"] = new
            for h in doc.get("friendliness_history", ()) if table == "stakeholders" else ():
                if h.get("by") == old:
                    h["by"] = new


def materialize_demo(dest: Path, today: dt.date | None = None, *, me: str | None = None) -> Path:
    """Copy the demo portfolio to ``dest`` with every date moved by ``today - anchor``.

    The result is a plain store snapshot (mode 0600) whose dates look as if the demo had been
    written ``today``; ``_demo.anchor`` becomes ``today``. ``me``, if given, takes over the
    accounts (and everything else) owned by "ana", so that a "mine" filter shows something.
    ``dest`` is replaced atomically; a journal left beside it by an earlier demo is removed so
    that old edits are not replayed over the fresh copy. Returns ``dest``.
    """
    today = today or dt.date.today()
    dest = Path(os.path.abspath(dest))
    data = json.loads(demo_source().read_text(encoding="utf-8"))
    meta = data.get(DEMO_TABLE, {}).get("1", {})
    anchor = dt.date.fromisoformat(meta.get("anchor", DEMO_ANCHOR.isoformat()))
    shift_dates(data, today - anchor)
    data[DEMO_TABLE] = {"1": {"anchor": today.isoformat()}}
    if me and me != "ana":
        _rename_owner(data, "ana", me)
    data.setdefault(META_TABLE, {"1": {"schema": SCHEMA_VERSION, "seq": 0}})
    payload = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False).encode()
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest.with_name(dest.name + ".journal"))
    return dest


# ------------------------------------------------------------------------------- CLI


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, exit 1 (argparse would print usage and exit 2)
        print(f"kamtui.sample: {message}", file=sys.stderr)
        raise SystemExit(1)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _Parser(prog="python -m kamtui.sample", description="Write a sample kamtui portfolio.")
    parser.add_argument("--accounts", type=int, default=1000, help="number of accounts (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, help="the store file to create (must not exist)")
    parser.add_argument("--today", type=dt.date.fromisoformat, help="date the portfolio is relative to (YYYY-MM-DD)")
    parser.add_argument(
        "--demo-source",
        action="store_true",
        help=f"regenerate sample_data/demo.json (or --out) with the anchor date {DEMO_ANCHOR}",
    )
    args = parser.parse_args(argv)
    try:
        if args.demo_source:
            if args.out is not None:
                if args.out.exists():
                    raise FileExistsError(f"{args.out} already exists; refusing to overwrite it")
                build_demo(args.out, DEMO_ANCHOR)
            else:
                build_demo(repo_demo_path(), DEMO_ANCHOR)
            return 0
        if args.out is None:
            parser.error("--out FILE is required")
        if args.accounts < 0:
            parser.error("--accounts must be 0 or more")
        generate(args.out, args.accounts, args.seed, args.today)
    except (OSError, ValueError, StoreError) as exc:
        print(f"kamtui.sample: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
