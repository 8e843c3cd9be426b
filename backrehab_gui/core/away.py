"""A session done without the player ("I did this away from the laptop"): which planned
session it stands for, and checks on what the person typed.

The rules are the player's: a logged session is a session like any other, so it
is matched, moved and counted by core.matching exactly as a played one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import model as m
from .schedule import ProgramCalendar

LATEST_AHEAD = timedelta(minutes=5)
"""How far in the future a logged start may be (clocks differ a little); later is refused."""


class LogError(ValueError):
    """What the person typed cannot be a session, in plain words."""


@dataclass(frozen=True)
class Slot:
    """How a logged session is filed: as the player would have filed it."""

    kind: str
    """'phase', 'maintenance', 'daily' or 'extra'."""
    block: str | None
    program_week: int | None
    phase_id: str | None


def slot_for(calendar: ProgramCalendar | None, routine: m.Routine, day: date) -> Slot:
    """The planned session ``routine`` on ``day`` stands for: that day's plan of the
    routine; else a phase session of the routine planned elsewhere in the same
    program week (it will count as moved); else the daily block the program does
    it as; else an extra session."""
    if calendar is None:
        return Slot("extra", None, None, None)
    plan = calendar.day(day)
    week = plan.program_week if plan.started else None
    phase_id = plan.phase.id if plan.phase else None
    if not plan.started:
        return Slot("extra", None, None, None)
    for planned in plan.sessions:
        if planned.routine_id == routine.id:
            return Slot(planned.kind, planned.block.value if planned.block else None, week,
                        phase_id)
    first = calendar.week_start(plan.week)
    for offset in range(7):
        other = calendar.day(first + timedelta(days=offset))
        for planned in other.sessions:
            if planned.routine_id == routine.id and planned.kind in ("phase", "maintenance"):
                return Slot(planned.kind, None, week, phase_id)
    for block in calendar.program.daily:
        if block.routine == routine.id:
            return Slot("daily", block.block.value, week, phase_id)
    return Slot("extra", None, week, phase_id)


def check_share(share: float) -> float:
    if not isinstance(share, (int, float)) or not math.isfinite(share) or \
            not 0 < share <= 1:
        raise LogError(f"the share done must be more than 0 and at most 1 (1 = all of it), "
                       f"not {share!r}")
    return float(share)


def check_scale(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise LogError(f"{name} must be a whole number from 0 to 10, not {value!r}")
    return value


def check_start(started_at: datetime, now: datetime) -> datetime:
    if started_at.tzinfo is None:
        raise LogError("the start time needs a time zone")
    if started_at > now + LATEST_AHEAD:
        raise LogError(f"{started_at:%Y-%m-%d %H:%M} is still to come: log a session once "
                       "it is done")
    return started_at
