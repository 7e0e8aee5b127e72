"""Reviewers' decisions as the database keeps them (table `decisions`, docs/schema.md).

A decision replaces the computed status of one rule (or of every rule of a plan item)
for one unit, or for every member of a group (各街镇, 区政府各部门). Decisions apply to
every later check of the same catalogue until revoked; a newer decision on the same
target supersedes an older one. Nothing is deleted: revoking records who and why.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Iterable

from sqlite_utils import Database

from ..clock import now


@dataclass
class Decision:
    """One decision and its trail (``basis``: a URL or the name of a material)."""

    catalogue: str
    unit: str  # canonical unit, or a group name
    status: str
    reason: str
    basis: str
    reviewer: str
    decided_on: str  # YYYY-MM-DD
    rule: str | None = None
    item: int | None = None
    source: str = ""  # FILE:LINE, or sheet and row, it came from
    crawl_run: int | None = None  # the crawl the decision was made on
    appeal: str = ""  # a unit's appeal (申诉) the decision rules on
    appeal_evidence: str = ""
    ruling: str = ""
    id: int | None = None
    recorded_at: str = ""
    revoked_at: str | None = None
    revoked_by: str | None = None
    revoked_reason: str | None = None

    @property
    def target(self) -> tuple:
        return (self.rule, self.item, self.unit)

    def record(self) -> dict:
        """The decision as a finding shows it."""
        out = {"status": self.status, "by": self.reviewer, "date": self.decided_on, "note": self.reason,
               "url": self.basis if self.basis.startswith(("http://", "https://")) else "",
               "basis": self.basis, "decision": self.id}
        if self.appeal:
            out.update(appeal=self.appeal, appeal_evidence=self.appeal_evidence, ruling=self.ruling)
        return out


COLUMNS = [f.name for f in fields(Decision) if f.name != "id"]


def store(db: Database, decisions: Iterable[Decision]) -> list[int]:
    """Record ``decisions`` in one transaction; returns their ids."""
    with db.atomic():
        return _insert(db, decisions)


def _insert(db: Database, decisions: Iterable[Decision]) -> list[int]:
    ids = []
    stamp = now()
    for d in decisions:
        row = {k: v for k, v in asdict(d).items() if k != "id"}
        row["recorded_at"] = row["recorded_at"] or stamp
        cur = db.execute(f"INSERT INTO decisions ({', '.join(COLUMNS)}) VALUES ({', '.join('?' * len(COLUMNS))})",
                         [row[c] for c in COLUMNS])
        d.id, d.recorded_at = int(cur.lastrowid), row["recorded_at"]
        ids.append(d.id)
    return ids


def record(db: Database, catalogue: str, decisions: Iterable[Decision],
           revocations: Iterable[tuple[str | None, int | None, str, str]], reason: str) -> tuple[int, int]:
    """Store decisions and withdraw others in one transaction (a review sheet's import):
    ``revocations`` are (rule, item, unit, by). Returns (stored, revoked)."""
    with db.atomic():
        stored = len(_insert(db, decisions))
        revoked = sum(_revoke(db, catalogue, unit=unit, rule=rule, item=item, by=by, reason=reason)
                      for rule, item, unit, by in revocations)
    return stored, revoked


def _rows(db: Database, where: str, params: list) -> list[Decision]:
    names = [f.name for f in fields(Decision)]
    cur = db.execute(f"SELECT {', '.join(names)} FROM decisions WHERE {where} ORDER BY id", params)
    return [Decision(**dict(zip(names, row))) for row in cur.fetchall()]


def active(db: Database, catalogue: str) -> list[Decision]:
    """The decisions in force for ``catalogue``: per target the newest not revoked."""
    latest: dict[tuple, Decision] = {}
    for d in _rows(db, "catalogue = ? AND revoked_at IS NULL", [catalogue]):
        latest[d.target] = d
    return list(latest.values())


def history(db: Database, catalogue: str) -> list[Decision]:
    """Every decision ever recorded for ``catalogue``, revoked ones included (the review record)."""
    return _rows(db, "catalogue = ?", [catalogue])


def revoke(db: Database, catalogue: str, *, unit: str, rule: str | None = None, item: int | None = None,
           by: str, reason: str) -> int:
    """Revoke the decisions in force on one target; returns how many were revoked."""
    with db.atomic():
        return _revoke(db, catalogue, unit=unit, rule=rule, item=item, by=by, reason=reason)


def _revoke(db: Database, catalogue: str, *, unit: str, rule: str | None, item: int | None, by: str, reason: str) -> int:
    cur = db.execute(
        "UPDATE decisions SET revoked_at = ?, revoked_by = ?, revoked_reason = ? WHERE catalogue = ? AND unit = ? "
        "AND rule IS ? AND item IS ? AND revoked_at IS NULL", [now(), by, reason, catalogue, unit, rule, item])
    return cur.rowcount
