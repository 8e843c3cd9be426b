"""Swapping exercises that move the spine in a way that makes a person's pain worse.

The lead guide warns against forward bends for anyone whom a toe touch sends a
sharp pain through, and against bending and twisting with a disc problem. At
enrolment the person says which movements make their pain worse; every routine
they then do has the exercises that move that way replaced by their neutral
alternative from the library (``Exercise.neutral_instead``), at that
alternative's usual dose.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from . import model as m
from .records import record_class

WORDS = {
    m.SpineMove.BEND_FORWARD: "bending forward",
    m.SpineMove.BEND_BACKWARD: "bending backward",
    m.SpineMove.TWIST: "twisting",
}
"""Each movement as the person reads it: "bending forward makes my pain worse"."""


@record_class
class Swap:
    exercise: str
    instead: str
    because: m.SpineMove

    def describe(self, exercises: Mapping[str, m.Exercise]) -> str:
        return (f"{exercises[self.instead].name} instead of {exercises[self.exercise].name}"
                f" ({WORDS[self.because]} makes your pain worse)")


def moves(exercise: m.Exercise, sensitive: Collection[m.SpineMove]) -> m.SpineMove | None:
    """The first of ``sensitive`` that ``exercise`` makes, if any."""
    return next((mv for mv in exercise.spine_moves if mv in sensitive), None)


def swapped(routine: m.Routine, exercises: Mapping[str, m.Exercise],
            sensitive: Collection[m.SpineMove]) -> tuple[m.Routine, list[Swap]]:
    """``routine`` with every exercise that moves the spine a ``sensitive`` way swapped.

    The swap takes its own usual dose and no cues: the original's spoken cues
    were written for the other exercise.
    """
    if not sensitive:
        return routine, []
    items: list[m.RoutineItem] = []
    swaps: list[Swap] = []
    for item in routine.exercises:
        exercise = exercises.get(item.exercise)
        move = moves(exercise, sensitive) if exercise else None
        if move is None or exercise.neutral_instead not in exercises:
            items.append(item)
            continue
        swaps.append(Swap(item.exercise, exercise.neutral_instead, move))
        items.append(m.RoutineItem(exercise=exercise.neutral_instead,
                                   rest_after=item.rest_after))
    if not swaps:
        return routine, []
    return routine.model_copy(update={"exercises": items}), swaps


def parse_sensitive(text: str) -> frozenset[m.SpineMove]:
    """Movements from their stored form ('bend-forward,twist'); unknown words are ignored."""
    known = {mv.value: mv for mv in m.SpineMove}
    return frozenset(known[w] for w in (p.strip() for p in text.split(",")) if w in known)


def format_sensitive(sensitive: Collection[m.SpineMove]) -> str:
    return ",".join(mv.value for mv in m.SpineMove if mv in sensitive)
