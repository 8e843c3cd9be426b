"""Weekly progressions: a dose as it stands in a given program week.

A rule such as "plank hold +5 s a week from week 3, up to 60 s" never lowers
a dose, and never raises it past ``up_to``. Progressions go on in maintenance,
after the program's last week, so the most a dose can become is its
``ceiling``: each rule at its ``up_to``. The loader checks that ceiling against
the format's limits, so no week of any program can break them.
"""

from __future__ import annotations

from collections.abc import Mapping

from . import model as m
from .units import IntRange


def steps_taken(rule: m.Progression, week: int) -> int:
    """How many increases the rule has made by ``week`` (the first one in ``from_week``)."""
    if week < rule.from_week:
        return 0
    return (week - rule.from_week) // rule.every_weeks + 1


def progressed(dose: m.Dose, exercise_id: str, rules: list[m.Progression], week: int) -> m.Dose:
    """The dose for ``exercise_id`` in program ``week`` after every matching rule."""
    for rule in rules:
        if rule.exercise != exercise_id:
            continue
        steps = steps_taken(rule, week)
        if steps:
            dose = _apply(dose, rule, steps)
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
        field = "reps" if isinstance(dose, m.RepsDose) else "breaths"
        return dose.model_copy(update={field: IntRange(count, count), "target": None})
    return dose


def doses_for_week(routine: m.Routine, exercises: Mapping[str, m.Exercise],
                   program: m.Program | None, week: int) -> dict[int, m.Dose]:
    """Doses that differ from the routine's own in ``week``, by item index."""
    if program is None or not program.progressions:
        return {}
    changed: dict[int, m.Dose] = {}
    for index, item in enumerate(routine.exercises):
        base = item.dose or exercises[item.exercise].dose
        dose = progressed(base, item.exercise, program.progressions, week)
        if dose is not base:
            changed[index] = dose
    return changed
