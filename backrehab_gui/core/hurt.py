""""Stop: it hurts" in a session: what happened, what it leads to, what to offer.

The person stops, says what happened, and it is recorded on the exercise. Pain
or tingling down a leg, and numbness, can be a nerve under pressure, so those
open the emergency questions first. Then the player offers the easier variant
of the exercise (from the library's ``easier`` list), skipping it, or ending
the session. Going on with the same exercise is not offered: every guide says
to stop an exercise that makes the pain worse.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from enum import Enum

from . import model as m
from .swaps import moves


class Hurt(str, Enum):
    BACK = "back"
    LEG = "leg"
    NUMBNESS = "numbness"
    OTHER = "other"


WORDS = {
    Hurt.BACK: "Sharper pain in my back",
    Hurt.LEG: "Pain or tingling spreading down a leg",
    Hurt.NUMBNESS: "Numbness",
    Hurt.OTHER: "Something else",
}
"""The choices as the person reads them."""

REPORT_WORDS = {
    Hurt.BACK: "sharper back pain",
    Hurt.LEG: "pain or tingling spreading down a leg",
    Hurt.NUMBNESS: "numbness",
    Hurt.OTHER: "something else",
}


class Action(str, Enum):
    """What the person chose after saying what happened."""

    EASIER = "easier"
    """Went on with the easier variant instead."""
    SKIP = "skip"
    """Skipped the rest of the exercise."""
    END = "end"
    """Ended the session."""
    GO_ON = "go-on"
    """Went on with the session (offered between exercises only)."""
    EMERGENCY = "emergency"
    """The emergency questions found a sign: the session ended, the program locked."""


ACTION_WORDS = {
    Action.EASIER: "went on with the easier variant",
    Action.SKIP: "skipped the rest of the exercise",
    Action.END: "ended the session",
    Action.GO_ON: "went on with the session",
    Action.EMERGENCY: "an urgent sign was reported; the session ended",
}


def opens_check(hurt: Hurt) -> bool:
    """Leg symptoms and numbness can mean a nerve is pressed: ask the emergency questions."""
    return hurt in (Hurt.LEG, Hurt.NUMBNESS)


def advice(hurt: Hurt) -> str:
    """What to do now, in a few plain sentences."""
    if hurt is Hurt.BACK:
        return ("Stop this exercise. A sharper pain is your back asking for less: try the "
                "easier version, or leave this one out today. If the pain is more than mild "
                "and has not settled within 15 minutes, end the session and check with a "
                "doctor or physiotherapist.")
    if hurt in (Hurt.LEG, Hurt.NUMBNESS):
        return ("Stop this exercise. Symptoms in a leg, or numbness, can mean a nerve is "
                "irritated. Ending the session is the safe choice. See a doctor before you "
                "exercise again if it does not settle within 15 minutes or keeps coming back.")
    return ("Stop this exercise and take a moment. If it was a cramp or a twinge that has "
            "gone, the easier version or the next exercise may be fine. If anything feels "
            "wrong, end the session.")


def choices(in_exercise: bool, has_easier: bool) -> list[Action]:
    """What to offer. During an exercise: its easier variant (when there is one), skipping
    it, or ending the session; never going on with it. Between exercises (getting ready, a
    rest before the next one) nothing is in progress to leave: going on, or ending."""
    if not in_exercise:
        return [Action.GO_ON, Action.END]
    return ([Action.EASIER] if has_easier else []) + [Action.SKIP, Action.END]


def recommended(hurt: Hurt, offered: list[Action]) -> Action:
    """The choice offered first (the default button): ending the session after leg
    symptoms or numbness, else the gentlest way on."""
    if opens_check(hurt) or not offered:
        return Action.END
    return offered[0]


def easier_variant(exercise_id: str | None, exercises: Mapping[str, m.Exercise],
                   safety: m.Safety | None = None,
                   sensitive: Collection[m.SpineMove] = ()) -> m.Exercise | None:
    """The first easier variant of an exercise that the person may do: in the library,
    not something the safety section says no program may use, and not moving the
    spine in a way the person said makes their pain worse."""
    exercise = exercises.get(exercise_id or "")
    if exercise is None:
        return None
    covered = {c for a in (safety.avoid if safety else []) for c in a.covers}
    for ident in exercise.easier:
        candidate = exercises.get(ident)
        if candidate is None or ident in covered or ident == exercise.id:
            continue
        if moves(candidate, sensitive) is None:
            return candidate
    return None
