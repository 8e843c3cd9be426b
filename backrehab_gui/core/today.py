"""Today's plan as the home screen shows it: what to do, how long, and what is done."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from . import model as m
from .adherence import match_day
from .history import SessionRecord
from .loading import Library
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
    """Share of it done today, 0..1."""


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
    """Today's sessions with estimates (after progressions) and how much of each is done."""
    plan = calendar.day(day)
    plans = tuple(p for p in plan.sessions if p.routine_id in library.routines)
    todays = [r for r in records if r.local_date == day]
    matched = match_day(plans, todays)
    items = []
    for planned, index in zip(plans, matched):
        routine = library.routines[planned.routine_id]
        label = (f"{planned.block.value.capitalize()} block" if planned.block
                 else _LABELS.get(planned.kind, "Session"))
        estimate = planned_timeline(library, routine, calendar.program,
                                    plan.program_week).estimate
        done = 0.0 if index < 0 else max(0.0, min(1.0, todays[index].share))
        items.append(TodayItem(planned, routine, label, estimate, done))
    return Today(day, plan, tuple(items), week_heading(plan, calendar.enrolment.start))


def planned_timeline(library: Library, routine: m.Routine, program: m.Program | None,
                     program_week: int, prepare: float | None = None,
                     rest: float | None = None) -> Timeline:
    """The routine as done in ``program_week``: with that week's progressions."""
    doses = doses_for_week(routine, library.exercises, program, max(program_week, 1))
    return compile_routine(routine, library.exercises, prepare=prepare, rest=rest, doses=doses)
