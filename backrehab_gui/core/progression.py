"""Weekly progressions: the dose as planned, and the dose actually given.

A rule such as "plank hold +5 s a week from week 4, up to 60 s" never lowers a
dose, and never raises it past ``up_to``. That is the plan (``steps_taken``).
What a person is actually given also depends on their pain and their own
choices (``DoseHistory``), worked out week by week in ``course``:

- a step up waits while the previous week had a flag or a "worse" next-day
  answer (``pain_rules.HOLD_AFTER_FLAG_WEEKS``); the later steps come as planned,
  so the dose stays one step behind the plan and still reaches ``up_to``;
- the person may hold a progression (no more steps until they resume) or step it
  back (one step down, then held).

``doses_for_week`` is the one function the player, Today, the report and the
CLI call for a week's doses, so they all give the same dose.

Progressions go on in maintenance, after the program's last week, so the most a
dose can become is its ``ceiling``: each rule at its ``up_to``. The loader checks
that ceiling against the format's limits, so no week of any program can break them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import field

from . import model as m
from .pain_rules import HOLD_AFTER_FLAG_WEEKS
from .records import record_class
from .units import IntRange

HOLD = "hold"
"""The person's choice: no more steps up until they resume."""
STEP_BACK = "step-back"
"""The person's choice: one step down, then held."""
RESUME = "resume"
"""The person's choice: steps up again."""
CHOICES = (HOLD, STEP_BACK, RESUME)

HELD_BY_FLAG = "flag"
HELD_BY_PERSON = "person"


@record_class
class ProgressionChoice:
    """A hold, step back or resume the person chose for one exercise's progression."""

    exercise: str
    week: int
    """The calendar week (1-based, repeats counted) from which it applies."""
    action: str
    """HOLD, STEP_BACK or RESUME."""


@record_class
class DoseHistory:
    """What, besides the plan, decides the dose given in each calendar week."""

    nominal: Callable[[int], int]
    """Calendar week -> the program's own week (a repeated week keeps its number)."""
    flags: Mapping[int, Sequence[str]] = field(default_factory=dict)
    """Calendar week -> what was flagged in it, in plain words (``core.setbacks``)."""
    choices: Sequence[ProgressionChoice] = ()
    """In the order they were made."""

    def flag_texts(self, weeks: Sequence[int]) -> tuple[str, ...]:
        """What was flagged in ``weeks``, in plain words."""
        return tuple(text for week in weeks for text in self.flags.get(week, ()))


@record_class
class WeekStep:
    """One progression rule in one calendar week."""

    week: int
    planned: int
    """Steps the plan alone has taken by this week."""
    given: int
    """Steps actually taken by this week."""
    held: str | None = None
    """Why a step due this week was not taken: HELD_BY_FLAG or HELD_BY_PERSON."""
    flag_weeks: tuple[int, ...] = ()
    """For HELD_BY_FLAG: the weeks before with a flag (``DoseHistory.flag_texts`` says
    what they were; kept as weeks, as years of steps are worked out and few are shown)."""
    paused: bool = False
    """The person's hold (or step back) is in force this week."""
    stepped_from: int | None = None
    """When the person stepped back this week: the steps it had reached before."""

    @property
    def stepped_back(self) -> bool:
        return self.stepped_from is not None


def steps_taken(rule: m.Progression, week: int) -> int:
    """How many increases the rule plans by program ``week`` (the first one in ``from_week``)."""
    if week < rule.from_week:
        return 0
    return (week - rule.from_week) // rule.every_weeks + 1


def course(rule: m.Progression, history: DoseHistory, last_week: int) -> list[WeekStep]:
    """The rule's steps in calendar weeks 1..``last_week``, as planned and as given.

    In each week: the person's holds and resumes apply first; then the week's
    step, unless held; then a step back, from the dose the week had reached (so
    stepping back from this week's new dose returns to last week's).
    """
    out: list[WeekStep] = []
    level, paused, planned_before = 0, False, 0
    for week in range(1, last_week + 1):
        mine = [c for c in history.choices if c.exercise == rule.exercise and c.week == week]
        for choice in mine:
            if choice.action == HOLD:
                paused = True
            elif choice.action == RESUME:
                paused = False
        planned = steps_taken(rule, history.nominal(week))
        due = max(0, planned - planned_before)
        planned_before = planned
        held, flags = None, ()
        if due:
            flags = tuple(earlier for earlier in range(week - HOLD_AFTER_FLAG_WEEKS, week)
                          if earlier in history.flags)
            if paused:
                held, flags = HELD_BY_PERSON, ()
            elif flags:
                held = HELD_BY_FLAG
            else:
                level += due
        reached = level
        for choice in mine:
            if choice.action == STEP_BACK:
                level, paused = max(0, level - 1), True
        out.append(WeekStep(week, planned, level, held, flags, paused,
                            reached if level != reached else None))
    return out


def progressed(dose: m.Dose, exercise_id: str, rules: list[m.Progression], week: int,
               steps: Callable[[m.Progression, int], int] = steps_taken) -> m.Dose:
    """The dose for ``exercise_id`` after every matching rule has taken ``steps(rule, week)``
    steps (by default as planned for program ``week``)."""
    for rule in rules:
        if rule.exercise != exercise_id:
            continue
        taken = steps(rule, week)
        if taken:
            dose = _apply(dose, rule, taken)
    return dose


def ceiling(dose: m.Dose, exercise_id: str, rules: list[m.Progression]) -> m.Dose:
    """The most ``dose`` can become under ``rules``, in any week however late."""
    for rule in rules:
        if rule.exercise == exercise_id:
            dose = _apply(dose, rule, None)
    return dose


def _grown(base: float, rule: m.Progression, steps: int | None) -> float:
    """``base`` after ``steps`` increases, or after as many as it takes (None)."""
    if base >= rule.up_to:
        return base
    if steps is None:
        return rule.up_to
    return min(base + rule.add * steps, rule.up_to)


def _apply(dose: m.Dose, rule: m.Progression, steps: int | None) -> m.Dose:
    if rule.change == "hold":
        if isinstance(dose, m.HoldDose) and not dose.is_open:
            return dose.model_copy(update={"hold": _grown(float(dose.hold), rule, steps)})
        if isinstance(dose, m.RepsDose) and dose.hold is not None:
            return dose.model_copy(update={"hold": _grown(dose.hold, rule, steps)})
        if isinstance(dose, m.HoldDose) and dose.is_open and dose.goal is not None:
            return dose.model_copy(update={"goal": _grown(dose.goal, rule, steps)})
        return dose
    if rule.change == "sets" and not isinstance(dose, m.ActivityDose):
        return dose.model_copy(update={"sets": int(_grown(dose.sets, rule, steps))})
    if rule.change == "reps" and isinstance(dose, (m.RepsDose, m.BreathsDose)):
        count = int(_grown(dose.count, rule, steps))
        field_name = "reps" if isinstance(dose, m.RepsDose) else "breaths"
        return dose.model_copy(update={field_name: IntRange(count, count), "target": None})
    return dose


def given_steps(history: DoseHistory) -> Callable[[m.Progression, int], int]:
    """``steps(rule, calendar_week)``: the steps actually taken, for ``progressed``."""
    def steps(rule: m.Progression, week: int) -> int:
        return course(rule, history, week)[-1].given if week >= 1 else 0
    return steps


def doses_for_week(routine: m.Routine, exercises: Mapping[str, m.Exercise],
                   program: m.Program | None, week: int,
                   history: DoseHistory | None = None) -> dict[int, m.Dose]:
    """Doses that differ from the routine's own in ``week``, by item index.

    Without ``history``: the plan, and ``week`` is the program's own week. With
    it: the dose actually given, and ``week`` is the calendar week (repeats
    counted), which ``history.nominal`` maps to the program's week.
    """
    if program is None or not program.progressions:
        return {}
    steps = steps_taken if history is None else given_steps(history)
    changed: dict[int, m.Dose] = {}
    for index, item in enumerate(routine.exercises):
        base = item.dose or exercises[item.exercise].dose
        dose = progressed(base, item.exercise, program.progressions, week, steps)
        if dose is not base:
            changed[index] = dose
    return changed
