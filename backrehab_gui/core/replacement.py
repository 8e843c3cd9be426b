"""What an updated routine, program or exercise changes, in plain words.

When a therapist sends a new version of something the person already has, the
import asks before replacing it (``infra.routine_replace``); these lines are
what it says changes: exercises added or left out, doses, names, lengths. They
compare the models, so a file rewritten in another style ("90s" for "1:30")
changes nothing here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from . import model as m
from .dose_text import describe
from .plaintext import quoted
from .units import format_duration
from .wording import plural

# Exercise fields, in the words a person would use; each changed group is named once.
_EXERCISE_PARTS = (
    (("steps", "key_cue", "tip", "why"), "its instructions"),
    (("stop_if", "caution"), "its warnings"),
    (("category", "position", "equipment", "spine_moves"), "how it is set up"),
    (("easier", "harder", "neutral_instead"), "its easier and harder choices"),
    (("illustration",), "its pictures"),
)


def exercise_changes(old: m.Exercise, new: m.Exercise) -> list[str]:
    """What differs between two definitions of one exercise, each a short phrase."""
    changes: list[str] = []
    if old.name != new.name:
        changes.append(f"its name becomes {quoted(new.name)}")
    if old.dose != new.dose:
        before, after = describe(old.dose), describe(new.dose)
        changes.append(f"its usual dose: now {after} (was {before})" if before != after
                       else f"its usual dose changes in its details ({after})")
    for fields, words in _EXERCISE_PARTS:
        if any(getattr(old, f) != getattr(new, f) for f in fields):
            changes.append(f"{words} change" if words.endswith("s") else f"{words} changes")
    return changes


def routine_changes(old: m.Routine, new: m.Routine, old_exercises: Mapping[str, m.Exercise],
                    new_exercises: Mapping[str, m.Exercise]) -> list[str]:
    """What the new version of a routine does differently, each a short phrase.

    Items are matched by exercise (the second bird dog with the second bird dog), so a
    dose change is told as such rather than as one exercise left out and one added.
    """
    changes: list[str] = []
    if old.name != new.name:
        changes.append(f"its name becomes {quoted(new.name)}")
    old_items, new_items = _keyed(old.exercises), _keyed(new.exercises)

    def name(ident: str) -> str:
        found = new_exercises.get(ident) or old_exercises.get(ident)
        return found.name if found is not None else ident

    def dose(item: m.RoutineItem, exercises: Mapping[str, m.Exercise]) -> m.Dose | None:
        if item.dose is not None:
            return item.dose
        found = exercises.get(item.exercise)
        return found.dose if found is not None else None

    for key, item in new_items.items():
        if key not in old_items:
            given = dose(item, new_exercises)
            changes.append(f"adds {name(item.exercise)}"
                           + (f" ({describe(given)})" if given is not None else ""))
    for key, item in old_items.items():
        if key not in new_items:
            changes.append(f"leaves out {name(item.exercise)}")
    for key, item in new_items.items():
        before = old_items.get(key)
        if before is None:
            continue
        label = name(item.exercise)
        was, now = dose(before, old_exercises), dose(item, new_exercises)
        if was != now and was is not None and now is not None:
            changes.append(_dose_change(label, was, now))
        if before.cues != item.cues:
            changes.append(f"{label}: its spoken cues change")
        if before.note != item.note:
            changes.append(f"{label}: its note changes")
        if before.rest_after != item.rest_after:
            changes.append(f"{label}: the rest after it is now {_rest(item.rest_after)}")
    common = [key for key in new_items if key in old_items]
    if common != [key for key in old_items if key in new_items]:
        changes.append("the exercises come in another order")
    for field, words in (("prepare", "the time to get ready"),
                         ("rest_between_sets", "the rest between sets"),
                         ("rest_between_exercises", "the rest between exercises")):
        if getattr(old, field) != getattr(new, field):
            changes.append(f"{words} is now {_rest(getattr(new, field))}")
    if old.summary != new.summary:
        changes.append("its description changes")
    return changes


def program_changes(old: m.Program, new: m.Program) -> list[str]:
    """What the new version of a program plans differently, each a short phrase."""
    changes: list[str] = []
    if old.name != new.name:
        changes.append(f"its name becomes {quoted(new.name)}")
    was, now = program_weeks(old), program_weeks(new)
    if was != now:
        changes.append(f"it lasts {plural(now, 'week')} instead of {was}")
    old_phases = {p.id: p for p in old.phases}
    new_phases = {p.id: p for p in new.phases}
    changes += [f"adds the phase {quoted(p.name)}" for i, p in new_phases.items()
                if i not in old_phases]
    changes += [f"leaves out the phase {quoted(p.name)}" for i, p in old_phases.items()
                if i not in new_phases]
    changes += [f"the phase {quoted(p.name)} changes" for i, p in new_phases.items()
                if i in old_phases and old_phases[i] != p]
    if old.daily != new.daily:
        changes.append("its daily routines change")
    if old.progressions != new.progressions:
        changes.append("how the doses grow each week changes")
    if old.maintenance != new.maintenance:
        changes.append("what comes after the last phase changes")
    if old.summary != new.summary:
        changes.append("its description changes")
    return changes


def program_weeks(program: m.Program) -> int:
    """How many weeks the program's phases cover, as planned."""
    return max(phase.weeks.high for phase in program.phases)


def _keyed(items: Sequence[m.RoutineItem]) -> dict[tuple[str, int], m.RoutineItem]:
    seen: dict[str, int] = {}
    keyed: dict[tuple[str, int], m.RoutineItem] = {}
    for item in items:
        seen[item.exercise] = seen.get(item.exercise, 0) + 1
        keyed[(item.exercise, seen[item.exercise])] = item
    return keyed


def _dose_change(label: str, was: m.Dose, now: m.Dose) -> str:
    before, after = describe(was), describe(now)
    if before == after:
        # The same in a few words: the change is in the detail (tempo, rest, source).
        return f"{label}: its dose changes in its details ({after})"
    return f"{label}: now {after} (was {before})"


def _rest(seconds: float | None) -> str:
    return "the usual" if seconds is None else format_duration(seconds)
