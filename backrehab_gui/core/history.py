"""What the history holds, as plain values shared by the store and the statistics.

The store (infra) reads and writes these; adherence, pain rules and reports
(core) compute from them. Nothing here touches a database or a clock.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from . import model as m

if TYPE_CHECKING:  # the session engine is not needed to read the history
    from .engine import ExerciseResult

SESSION_KINDS = ("phase", "maintenance", "daily", "extra")
"""phase/maintenance: the program's sessions; daily: a morning/midday/evening block;
extra: anything started from the routine list that the plan did not ask for."""

SESSION_STATUSES = ("running", "completed", "stopped", "interrupted")
"""interrupted: the app ended (crash, power cut) before the session was finished or stopped."""


@dataclass(frozen=True)
class SessionRecord:
    """One session as stored: who, what, when, how it went."""

    id: int
    routine_id: str
    routine_name: str
    fingerprint: str
    """Identifies the exact version of the routine (doses included) that was done."""
    kind: str
    block: str | None
    local_date: date
    """The local calendar date the session started on; it stays on that date for good."""
    started_at: datetime
    """When it started, time-zone aware."""
    ended_at: datetime | None
    status: str
    share: float
    """Share of the planned work done, 0..1."""
    pain_before: int | None = None
    pain_after: int | None = None
    effort: int | None = None
    """How hard it felt, 0 (nothing) to 10 (the hardest possible)."""
    note: str = ""
    program_week: int | None = None
    phase_id: str | None = None
    results: tuple[ExerciseResult, ...] = field(default=())


def routine_fingerprint(routine: m.Routine, exercises: Mapping[str, m.Exercise]) -> str:
    """A short hash of a routine as done: its items and each exercise's effective dose."""
    items = []
    for item in routine.exercises:
        dose = item.dose or exercises[item.exercise].dose
        items.append({"exercise": item.exercise, "dose": dose.model_dump(mode="json")})
    canonical = json.dumps({"id": routine.id, "items": items,
                            "rest_sets": routine.rest_between_sets,
                            "rest_exercises": routine.rest_between_exercises},
                           sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
