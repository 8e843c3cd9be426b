"""Today's plan as the home screen shows it: what to do, how long, and what is done.

A phase session counts in its program week whatever the day (core.matching):
so today also lists a phase session of an earlier day of this week that is not
done yet ("from Mon": doing it today counts for that day), and a phase session
planned today that was already done earlier this week shows as moved.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from . import model as m
from .adherence import compute
from .history import SessionRecord
from .loading import Library
from .outcomes import moved_text
from .progression import doses_for_week
from .schedule import DayPlan, PlannedSession, ProgramCalendar
from .timeline import Timeline, compile_routine

_LABELS = {"phase": "Phase session", "maintenance": "Maintenance session"}


@dataclass(frozen=True)
class TodayItem:
    planned: PlannedSession
    routine: m.Routine
    label: str
    """'Morning block', 'Phase session'..."""
    estimate: float
    done: float
    """Share of it done, 0..1 (today, or on the day it was moved to)."""
    planned_on: date | None = None
    """For a phase session planned on an earlier day of this week: that day."""
    moved_to: date | None = None
    """For a session planned today and already done on another day of this week."""

    @property
    def status(self) -> str:
        """'moved to Mon 13 Apr', 'from Mon 13 Apr' or ''."""
        if self.moved_to is not None:
            return moved_text(self.moved_to)
        if self.planned_on is not None:
            return f"from {self.planned_on:%a} {self.planned_on.day} {self.planned_on:%b}"
        return ""


@dataclass(frozen=True)
class Today:
    day: date
    plan: DayPlan
    items: tuple[TodayItem, ...]
    heading: str
    """'Week 4 of 8 · Phase 2: Strength'."""

    @property
    def next_item(self) -> TodayItem | None:
        """The first session not fully done; phase sessions before daily blocks."""
        ordered = sorted(self.items, key=lambda i: i.planned.kind == "daily")
        return next((i for i in ordered if i.done < 0.999), None)


def week_heading(plan: DayPlan, start: date) -> str:
    if not plan.started:
        return f"The program starts on {start:%A %d %B}"
    if plan.maintenance:
        return f"Week {plan.week} \u00b7 Maintenance: the program is complete"
    repeat = " (repeated week)" if plan.repeating else ""
    return (f"Week {plan.week} of {plan.total_weeks} \u00b7 Phase {plan.phase_number}: "
            f"{plan.phase.name}{repeat}")


def today(calendar: ProgramCalendar, library: Library, records: Sequence[SessionRecord],
          day: date) -> Today:
    """Today's sessions with estimates (after progressions) and how much of each is done,
    then any phase session of an earlier day this week still to do."""
    plan = calendar.day(day)
    heading = week_heading(plan, calendar.enrolment.start)
    if not plan.started:
        return Today(day, plan, (), heading)
    week_first = calendar.week_start(plan.week)
    week_last = week_first + timedelta(days=6)
    in_week = [r for r in records if week_first <= r.local_date <= week_last]
    stats = compute(calendar, in_week, day, week_first, day)
    items = []
    for match in (stats.day(day).sessions if stats.day(day) else ()):
        item = _item(calendar, library, plan.program_week, match.planned, match.credit)
        if item is not None:
            items.append(TodayItem(item.planned, item.routine, item.label, item.estimate,
                                   item.done, moved_to=match.moved_to))
    for summary in stats.days:
        if summary.day >= day:
            continue
        for match in summary.sessions:
            if match.planned.kind in ("phase", "maintenance") and match.record is None:
                item = _item(calendar, library, plan.program_week, match.planned, 0.0)
                if item is not None:
                    items.append(TodayItem(item.planned, item.routine, item.label,
                                           item.estimate, 0.0, planned_on=summary.day))
    return Today(day, plan, tuple(items), heading)


def _item(calendar: ProgramCalendar, library: Library, program_week: int,
          planned: PlannedSession, done: float) -> TodayItem | None:
    routine = library.routines.get(planned.routine_id)
    if routine is None:
        return None
    label = (f"{planned.block.value.capitalize()} block" if planned.block
             else _LABELS.get(planned.kind, "Session"))
    estimate = planned_timeline(library, routine, calendar.program, program_week).estimate
    return TodayItem(planned, routine, label, estimate, max(0.0, min(1.0, done)))


def planned_timeline(library: Library, routine: m.Routine, program: m.Program | None,
                     program_week: int, prepare: float | None = None,
                     rest: float | None = None) -> Timeline:
    """The routine as done in ``program_week``: with that week's progressions."""
    doses = doses_for_week(routine, library.exercises, program, max(program_week, 1))
    return compile_routine(routine, library.exercises, prepare=prepare, rest=rest, doses=doses)
