"""Today's plan as the home screen shows it: what to do, how long, and what is done."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from . import model as m
from .adherence import match_day
from .history import SessionRecord
from .loading import Library
from .progression import DoseHistory, doses_for_week
from .schedule import DayPlan, PlannedSession, ProgramCalendar
from .swaps import swapped
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
    note: str = ""
    """Why the routine differs from its file today, e.g. an exercise left out."""


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
          day: date, sensitive: Collection[m.SpineMove] = (),
          history: DoseHistory | None = None) -> Today:
    """Today's sessions with estimates (after progressions) and how much of each is done.

    ``sensitive``: the spine movements that make the person's pain worse; exercises
    that move that way are swapped (``core.swaps``). ``history``: flags and the
    person's choices, so the estimates use the dose actually given
    (``core.progression``); without it, the plan's.
    """
    plan = calendar.day(day)
    plans = tuple(p for p in plan.sessions if p.routine_id in library.routines)
    todays = [r for r in records if r.local_date == day]
    matched = match_day(plans, todays)
    items = []
    for planned, index in zip(plans, matched):
        routine, note = routine_for_day(library, plan, planned, sensitive)
        label = (f"{planned.block.value.capitalize()} block" if planned.block
                 else _LABELS.get(planned.kind, "Session"))
        estimate = planned_timeline(library, routine, calendar.program,
                                    plan.week if history else plan.program_week,
                                    history=history).estimate
        done = 0.0 if index < 0 else max(0.0, min(1.0, todays[index].share))
        items.append(TodayItem(planned, routine, label, estimate, done, note))
    return Today(day, plan, tuple(items), week_heading(plan, calendar.enrolment.start))


def planned_timeline(library: Library, routine: m.Routine, program: m.Program | None,
                     week: int, prepare: float | None = None, rest: float | None = None,
                     history: DoseHistory | None = None) -> Timeline:
    """The routine as done in ``week``, with that week's doses (``doses_for_week``):
    the program's own week as planned, or with ``history`` the calendar week as given."""
    doses = doses_for_week(routine, library.exercises, program, max(week, 1), history)
    return compile_routine(routine, library.exercises, prepare=prepare, rest=rest, doses=doses)


STRENGTH = frozenset({m.Category.CORE, m.Category.GLUTES, m.Category.BACK,
                      m.Category.UPPER_BACK, m.Category.LEGS})
"""Work that needs a day's recovery. Gentle mobility, stretches and breathing may
come twice in one day (the cat-cow warm-up of a phase session and of the morning
block); strength work may not."""


def for_person(library: Library, routine: m.Routine,
               sensitive: Collection[m.SpineMove]) -> tuple[m.Routine, str]:
    """``routine`` with the movements that hurt this person swapped, and a note saying so."""
    routine, swaps = swapped(routine, library.exercises, sensitive)
    if not swaps:
        return routine, ""
    return routine, "Swapped: " + "; ".join(s.describe(library.exercises) for s in swaps) + "."


def routine_for_day(library: Library, plan: DayPlan, planned: PlannedSession,
                    sensitive: Collection[m.SpineMove] = ()) -> tuple[m.Routine, str]:
    """The routine to do for ``planned`` on that day, and a note when it was changed.

    Exercises that move the spine in a way that hurts the person are swapped first.
    Then: the lead guide puts the dead bug both in the foundation session and in
    the daily evening block; done as written, it would be done twice on a session
    day. A daily block therefore leaves out the strength exercises that the day's
    phase or maintenance session already has, and says so.
    """
    routine, note = for_person(library, library.routines[planned.routine_id], sensitive)
    if planned.kind != "daily":
        return routine, note
    in_session = {item.exercise for p in plan.sessions if p.kind != "daily"
                  and p.routine_id in library.routines
                  for item in for_person(library, library.routines[p.routine_id],
                                         sensitive)[0].exercises}
    repeats = [item for item in routine.exercises if item.exercise in in_session
               and item.exercise in library.exercises
               and library.exercises[item.exercise].category in STRENGTH]
    keep = [item for item in routine.exercises if item not in repeats]
    if not repeats or not keep:
        return routine, note
    names = sorted({library.exercises[item.exercise].name for item in repeats})
    left_out = (f"Without {', '.join(names).lower()} today: it is in today's "
                f"{'phase' if plan.phase else 'maintenance'} session.")
    return (routine.model_copy(update={"exercises": keep}),
            f"{note} {left_out}".strip())
