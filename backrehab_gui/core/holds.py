"""Progressions as the person sees them: this week's dose, why a step waited, what they can do.

Today shows one line per progression whose exercise is in this week's
routines, with the dose actually given (``core.progression``) and, when it
differs from the plan, why. The report lists the dose given week by week.
"""

from __future__ import annotations

from datetime import date

from . import model as m
from .dose_text import describe
from .loading import Library
from .progression import (
    HELD_BY_FLAG,
    DoseHistory,
    WeekStep,
    course,
    progressed,
)
from .records import record_class
from .schedule import ProgramCalendar, daily_blocks
from .units import format_duration
from .wording import plural


@record_class
class ProgressLine:
    """One progression on Today."""

    exercise: str
    name: str
    given: str
    """This week's dose, as given."""
    text: str
    """What Today says about it."""
    paused: bool
    """The person's hold is in force next week: offer to resume rather than to hold."""
    back_to: str | None
    """The dose one step back, or None when it cannot step back (no step taken)."""


@record_class
class DoseRow:
    """One progressed exercise in one week, for the report."""

    week: int
    first: date
    name: str
    planned: str
    given: str
    why: str
    """Empty when given as planned."""


def week_base(calendar: ProgramCalendar, library: Library, week: int,
              exercise: str) -> m.Dose | None:
    """The dose as written of ``exercise`` in the routines of calendar ``week``; None when
    none of them has it."""
    program = calendar.program
    span = calendar.span_of(week)
    phase = span.phase if span else None
    if phase is not None:
        sessions = [s.routine for s in phase.sessions]
    else:
        sessions = [s.routine for s in program.maintenance.sessions] \
            if program.maintenance else []
    for routine_id in [*sessions, *(d.routine for d in daily_blocks(program, phase))]:
        routine = library.routines.get(routine_id)
        if routine is None:
            continue
        for item in routine.exercises:
            if item.exercise == exercise and item.exercise in library.exercises:
                return item.dose or library.exercises[item.exercise].dose
    return None


def _dose(base: m.Dose, rule: m.Progression, steps: int) -> str:
    return describe(progressed(base, rule.exercise, [rule], 0, lambda _r, _w: steps))


def _amount(rule: m.Progression) -> str:
    if rule.change == "hold":
        return format_duration(rule.add)
    return plural(int(rule.add), "rep" if rule.change == "reps" else "set")


def _why(step: WeekStep, planned: str, given: str, history: DoseHistory) -> str:
    if step.held == HELD_BY_FLAG and given != planned:
        return ("held: the week before had a flag ("
                + "; ".join(history.flag_texts(step.flag_weeks)) + ")")
    if step.stepped_back:
        return "you stepped it back"
    if step.paused and given != planned:
        return "you are holding it"
    if given != planned:
        return "a step held earlier has not been made up yet"
    return ""


def progress_lines(calendar: ProgramCalendar, library: Library, history: DoseHistory,
                   day: date) -> tuple[ProgressLine, ...]:
    """The progressions whose exercise is in this week's routines, for Today."""
    week = calendar.week(day)
    if week < 1:
        return ()
    lines = []
    for rule in calendar.program.progressions:
        base = week_base(calendar, library, week, rule.exercise)
        if base is None or rule.exercise not in library.exercises:
            continue
        steps = course(rule, history, week + 1)
        now, after = steps[week - 1], steps[week]
        before = steps[week - 2] if week > 1 else WeekStep(0, 0, 0)
        name = library.exercises[rule.exercise].name
        given, planned = _dose(base, rule, now.given), _dose(base, rule, now.planned)
        text = f"{name}: {given} this week"
        if now.held == HELD_BY_FLAG and given != planned:
            text += (f". It stays here instead of {planned}: the week before had a flag ("
                     + "; ".join(history.flag_texts(now.flag_weeks))
                     + "). It goes up again after a week without one.")
        elif now.stepped_back:
            text += f": you stepped it back from {_dose(base, rule, now.stepped_from or 0)}."
        elif now.paused and not after.paused:
            text += ". You held it here; it goes up again from next week."
        elif now.paused:
            text += ". You are holding it here" + (f" (the plan says {planned})."
                                                  if planned != given else ".")
        elif after.paused:
            text += "; you are holding it here from next week."
        elif now.given > before.given and given != _dose(base, rule, before.given):
            text += f", up from {_dose(base, rule, before.given)}."
        elif now.planned == 0:
            text += (f". It goes up {_amount(rule)} every "
                     + ("week" if rule.every_weeks == 1 else plural(rule.every_weeks, "week"))
                     + f" from the program's week {rule.from_week}.")
        else:
            text += "."
        back = _dose(base, rule, now.given - 1) if now.given > 0 else None
        lines.append(ProgressLine(rule.exercise, name, given, text, after.paused,
                                  back if back != given else None))
    return tuple(lines)


def dose_rows(calendar: ProgramCalendar, library: Library, history: DoseHistory,
              first_week: int, last_week: int) -> list[DoseRow]:
    """The dose given and planned of each progressed exercise, week by week, in the weeks
    whose routines have it."""
    rows = []
    first_week = max(1, first_week)
    for rule in calendar.program.progressions:
        if rule.exercise not in library.exercises or last_week < first_week:
            continue
        name = library.exercises[rule.exercise].name
        steps = course(rule, history, last_week)
        for step in steps[first_week - 1:]:
            base = week_base(calendar, library, step.week, rule.exercise)
            if base is None:
                continue
            planned, given = _dose(base, rule, step.planned), _dose(base, rule, step.given)
            rows.append(DoseRow(step.week, calendar.week_start(step.week), name, planned,
                                given, _why(step, planned, given, history)))
    return rows

