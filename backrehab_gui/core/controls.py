"""Which player controls do something in a step, and why the others do not.

A control that looks active but does nothing teaches a person that the app is
broken. The player shows only what works in the current step; a key pressed
anyway gets a short reason instead of silence.
"""

from __future__ import annotations

from dataclasses import dataclass

from .timeline import Step, StepKind, WorkKind


@dataclass(frozen=True)
class Controls:
    enter: str | None
    """What Enter (and D) does here in a word or two, or None when it does nothing."""
    enter_why_not: str
    """Why Enter does nothing here ('' when it does something)."""
    time: bool
    """Whether +10 s / -10 s change anything here."""
    time_why_not: str


_PACED = "The app paces these for you"


def controls_for(step: Step) -> Controls:
    """The controls that act on ``step``."""
    if step.kind is StepKind.WORK and step.work is WorkKind.REPS:
        return Controls("Rep", "", False, "Self-paced reps have no clock to change: take "
                        "your time, then press Enter for each rep")
    if step.kind is StepKind.WORK and step.work is WorkKind.OPEN_HOLD:
        return Controls("Done", "", True, "")
    if step.kind is StepKind.WORK and step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
        what = "breaths" if step.work is WorkKind.BREATHS else "reps"
        return Controls(None, f"{_PACED}: there is nothing to press. Skip (\u2192) moves on",
                        False, f"{_PACED}: {what} keep their pace, so time can't be added "
                        "or taken away")
    if step.kind is StepKind.DONE:
        return Controls(None, "The session is over", False, "The session is over")
    timed = "rest" if step.kind is StepKind.REST else "hold" if step.kind is StepKind.WORK \
        else "countdown"
    return Controls(None, f"This {timed} ends by itself when the time is up. Skip (\u2192) "
                    "moves on now", True, "")
