"""What the history holds, as plain values shared by the store and the statistics.

The store (infra) reads and writes these; adherence, pain rules and reports
(core) compute from them. Nothing here touches a database or a clock.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from . import model as m
from .records import record_class

if TYPE_CHECKING:  # the session engine is not needed to read the history
    from .engine import ExerciseResult

SESSION_KINDS = ("phase", "maintenance", "daily", "extra")
"""phase/maintenance: the program's sessions; daily: a morning/midday/evening block;
extra: anything started from the routine list that the plan did not ask for."""

SESSION_STATUSES = ("running", "completed", "stopped", "interrupted")
"""interrupted: the app ended (crash, power cut) before the session was finished or stopped."""

DEFAULT_DAY_END = time(3, 0)
"""When the person's day ends: a session started before this belongs to the day before.

Three in the morning: someone who exercises at 00:20 before bed means it for the
evening they are still living, not for the next day's plan.
"""

LATEST_DAY_END = time(6, 0)
"""The latest end of day the settings accept: later, a morning session would count for
the day before."""


def session_day(started_at: datetime, day_end: time = DEFAULT_DAY_END) -> date:
    """The day a session belongs to: its own wall-clock date, or the day before when it
    started before ``day_end`` (see DEFAULT_DAY_END)."""
    return (started_at - timedelta(hours=day_end.hour, minutes=day_end.minute)).date()


@record_class
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
    """The day the session belongs to: the local date it started on, or the day before
    when it started before the person's end of day (see ``session_day``)."""
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
    pain_lasted: bool | None = None
    """The answer to "was your pain more than light for longer than 15 minutes?"; None
    when it was not asked (pain after below 4) or skipped."""


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
    import hashlib  # OpenSSL starts here, with the first session, not with the app

    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
