"""Today's plan as the home screen shows it: what to do, how long, and what is done.

A phase session counts in its program week whatever the day (core.matching):
so today also lists a phase session of an earlier day of this week that is not
done yet ("from Mon": doing it today counts for that day), and a phase session
planned today that was already done earlier this week shows as moved.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import date, timedelta

from . import model as m
from .adherence import compute
from .dose_text import describe
from .history import SessionRecord
from .loading import Library
from .outcomes import moved_text
from .progression import DoseHistory, doses_for_week
from .records import record_class
from .schedule import DayPlan, PlannedSession, ProgramCalendar
from .swaps import swapped
from .timeline import Timeline, compile_routine

_LABELS = {"phase": "Phase session", "maintenance": "Maintenance session"}


@record_class
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
    note: str = ""
    """Why the routine differs from its file today, e.g. an exercise swapped or left out."""

    @property
    def status(self) -> str:
        """'moved to Mon 13 Apr', 'from Mon 13 Apr' or ''."""
        if self.moved_to is not None:
            return moved_text(self.moved_to)
        if self.planned_on is not None:
            return f"from {self.planned_on:%a} {self.planned_on.day} {self.planned_on:%b}"
        return ""


@record_class
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
    """Today's sessions with estimates (after progressions) and how much of each is done,
    then any phase session of an earlier day this week still to do.

    ``sensitive``: the spine movements that make the person's pain worse; exercises
    that move that way are swapped (``core.swaps``). ``history``: flags and the
    person's choices, so the estimates use the dose actually given
    (``core.progression``); without it, the plan's.
    """
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
        item = _item(calendar, library, plan, match.planned, match.credit, sensitive,
                     history)
        if item is not None:
            items.append(TodayItem(item.planned, item.routine, item.label, item.estimate,
                                   item.done, moved_to=match.moved_to, note=item.note))
    for summary in stats.days:
        if summary.day >= day:
            continue
        for match in summary.sessions:
            if match.planned.kind in ("phase", "maintenance") and match.record is None:
                item = _item(calendar, library, plan, match.planned, 0.0, sensitive, history)
                if item is not None:
                    items.append(TodayItem(item.planned, item.routine, item.label,
                                           item.estimate, 0.0, planned_on=summary.day,
                                           note=item.note))
    return Today(day, plan, tuple(items), heading)


def _item(calendar: ProgramCalendar, library: Library, plan: DayPlan,
          planned: PlannedSession, done: float,
          sensitive: Collection[m.SpineMove],
          history: DoseHistory | None) -> TodayItem | None:
    if planned.routine_id not in library.routines:
        return None
    routine, note = routine_for_day(library, plan, planned, sensitive)
    label = (f"{planned.block.value.capitalize()} block" if planned.block
             else _LABELS.get(planned.kind, "Session"))
    estimate = planned_timeline(library, routine, calendar.program,
                                plan.week if history else plan.program_week,
                                history=history).estimate
    return TodayItem(planned, routine, label, estimate, max(0.0, min(1.0, done)), note=note)


@record_class
class SessionPreview:
    """What Start will do, shown before it: each exercise with its dose, and the estimate."""

    name: str
    lines: tuple[str, ...]
    """"Bird dog: 2 x 8 reps, 3s hold each, per side, alternating", in order."""
    estimate: float
    note: str = ""
    """Why it differs from the file (an exercise swapped, one left out today)."""


def session_preview(library: Library, routine: m.Routine, program: m.Program | None = None,
                    program_week: int = 1, note: str = "", prepare: float | None = None,
                    rest: float | None = None,
                    history: DoseHistory | None = None) -> SessionPreview:
    """``routine`` as it will be done in ``program_week`` (with ``history``: that calendar
    week, as given): the doses the player will use."""
    doses = doses_for_week(routine, library.exercises, program, max(program_week, 1), history)
    timeline = compile_routine(routine, library.exercises, prepare=prepare, rest=rest,
                               doses=doses)
    lines = []
    for index, item in enumerate(routine.exercises):
        exercise = library.exercises.get(item.exercise)
        dose = doses.get(index) or item.dose or (exercise.dose if exercise else None)
        name = exercise.name if exercise else item.exercise
        lines.append(f"{name}: {describe(dose)}" if dose is not None else name)
    return SessionPreview(routine.name, tuple(lines), timeline.estimate, note)


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
    original = library.routines[planned.routine_id]
    routine, note = for_person(library, original, sensitive)
    if planned.kind != "daily":
        return routine, note
    # A swapped-in exercise is a gentle stand-in chosen for this person: it may come
    # twice in a day, so only the routine's own exercises are checked for repeats.
    own = {id(item) for item in routine.exercises} & {id(item) for item in original.exercises}
    in_session = {item.exercise for p in plan.sessions if p.kind != "daily"
                  and p.routine_id in library.routines
                  for item in for_person(library, library.routines[p.routine_id],
                                         sensitive)[0].exercises}
    repeats = [item for item in routine.exercises if item.exercise in in_session
               and id(item) in own and item.exercise in library.exercises
               and library.exercises[item.exercise].category in STRENGTH]
    keep = [item for item in routine.exercises if item not in repeats]
    if not repeats or not keep:
        return routine, note
    names = sorted({library.exercises[item.exercise].name for item in repeats})
    left_out = (f"Without {', '.join(names).lower()} today: it is in today's "
                f"{'phase' if plan.phase else 'maintenance'} session.")
    return (routine.model_copy(update={"exercises": keep}),
            f"{note} {left_out}".strip())
