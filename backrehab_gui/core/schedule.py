"""Which week and phase a day falls in, and what is planned for it.

Program weeks are counted in blocks of seven days from the start date, so a
program started on a Wednesday has weeks running Wednesday to Tuesday. Phase
sessions fall on chosen weekdays; the daily blocks fall on every day.
Dates are local calendar dates: this module never reads a clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from . import model as m

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_SPREAD = {
    1: (2,),
    2: (1, 4),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def default_session_days(per_week: int) -> tuple[int, ...]:
    """Weekdays (0 = Monday) that spread ``per_week`` sessions with rest days between."""
    return _SPREAD[max(1, min(7, per_week))]


def parse_weekdays(text: str) -> tuple[int, ...]:
    """'mon,wed,fri' -> (0, 2, 4). Raises ValueError naming the bad part."""
    days: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        if not part:
            continue
        key = part[:3]
        if key not in WEEKDAYS or not _FULL[WEEKDAYS.index(key)].startswith(part):
            raise ValueError(f"'{part}' is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
        days.add(WEEKDAYS.index(key))
    if not days:
        raise ValueError("give at least one weekday, e.g. mon,wed,fri")
    return tuple(sorted(days))


def program_week(start: date, day: date) -> int:
    """1 for the first seven days from ``start``; 0 or less before it."""
    return (day - start).days // 7 + 1


@dataclass(frozen=True)
class PlannedSession:
    routine_id: str
    kind: str
    """'phase', 'maintenance' or 'daily'."""
    block: m.Block | None = None


@dataclass(frozen=True)
class DayPlan:
    day: date
    week: int
    """Program week (1-based); after the program, weeks keep counting."""
    phase: m.Phase | None
    """None before the start and in maintenance."""
    phase_number: int | None
    maintenance: bool
    sessions: tuple[PlannedSession, ...]

    @property
    def started(self) -> bool:
        return self.week >= 1


def _rotation(sessions: list[m.PhaseSession]) -> list[str]:
    """Routine ids in weekly order: [a, b, a, b, a] for a x3 and b x2, interleaved."""
    pools = [[s.routine] * s.per_week for s in sessions]
    out: list[str] = []
    while any(pools):
        for pool in pools:
            if pool:
                out.append(pool.pop())
    return out


def plan_day(program: m.Program, start: date, day: date,
             session_days: tuple[int, ...] | None = None) -> DayPlan:
    """What the program plans for ``day``."""
    week = program_week(start, day)
    if week < 1:
        return DayPlan(day, week, None, None, False, ())
    phase = program.phase_for_week(week)
    maintenance = phase is None
    if maintenance:
        phase_sessions = list(program.maintenance.sessions) if program.maintenance else []
    else:
        phase_sessions = list(phase.sessions)
    rotation = _rotation(phase_sessions)
    per_week = len(rotation)
    days = session_days if session_days is not None else default_session_days(per_week)
    sessions: list[PlannedSession] = []
    if rotation and day.weekday() in days:
        week_start = start + timedelta(days=(week - 1) * 7)
        in_week = [week_start + timedelta(days=i) for i in range(7)]
        session_dates = [d for d in in_week if d.weekday() in days]
        slot = session_dates.index(day)
        sessions.append(PlannedSession(rotation[slot % per_week],
                                       "maintenance" if maintenance else "phase"))
    for block in program.daily:
        sessions.append(PlannedSession(block.routine, "daily", block.block))
    number = None if phase is None else program.phases.index(phase) + 1
    return DayPlan(day, week, phase, number, maintenance, tuple(sessions))


def plan_days(program: m.Program, start: date, first: date, count: int,
              session_days: tuple[int, ...] | None = None) -> list[DayPlan]:
    return [plan_day(program, start, first + timedelta(days=i), session_days)
            for i in range(count)]
