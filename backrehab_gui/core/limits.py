"""Limits that only show once entries are put together.

A dose is checked on its own by the model, but a program's progressions make
it grow week after week, in every routine of the program, and a routine's
spoken cue must fall inside the exercise it belongs to, whose dose may come
from another file. The loader calls these once every reference is known.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from . import model as m
from .progression import ceiling
from .timeline import work_seconds
from .units import format_duration


def overgrown(dose: m.Dose, exercise_id: str, rules: list[m.Progression]) -> dict | None:
    """The first limit ``dose`` breaks at the most ``rules`` make of it (a pydantic error)."""
    top = ceiling(dose, exercise_id, rules)
    if top is dose:
        return None
    from pydantic import ValidationError  # only for a dose that grows

    try:
        type(top).model_validate(top.model_dump())
    except ValidationError as err:
        return err.errors()[0]
    return None


def longest_work(dose: m.Dose, exercise_id: str,
                 rule_sets: Iterable[list[m.Progression]]) -> float | None:
    """Seconds of one work period of ``dose`` at its longest under any program; None if open."""
    longest = work_seconds(dose)
    if longest is None:
        return None
    for rules in rule_sets:
        grown = work_seconds(ceiling(dose, exercise_id, rules))
        if grown is not None:
            longest = max(longest, grown)
    return longest


def late_cues(routine: m.Routine, exercises: Mapping[str, m.Exercise],
              rule_sets: list[list[m.Progression]]) -> list[tuple[int, int, str]]:
    """(item, cue, message) for each cue that comes after its work period has ended."""
    found = []
    for i, item in enumerate(routine.exercises):
        if not item.cues or (item.dose is None and item.exercise not in exercises):
            continue  # no cues, or no dose to time them against (reported elsewhere)
        dose = item.dose if item.dose is not None else exercises[item.exercise].dose
        longest = longest_work(dose, item.exercise, rule_sets)
        if longest is None:
            continue  # open-ended work: a cue at any time can be heard
        for j, cue in enumerate(item.cues):
            if cue.at >= longest:
                found.append((i, j, f"comes {_seconds(cue.at)} into a set that lasts "
                              f"{_seconds(longest)}, so it would never be said; keep cues "
                              "within the exercise"))
    return found


def _seconds(value: float) -> str:
    return format_duration(value) if value == round(value) else f"{value:.1f}s"
