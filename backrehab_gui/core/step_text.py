"""A step of a compiled routine in a few words, for step lists (the editor's preview)."""

from __future__ import annotations

from .timeline import Step, StepKind
from .units import format_clock, format_duration
from .wording import plural

_WORK = {
    "hold": "hold",
    "open-hold": "hold as long as you can",
    "reps": "{reps} at your own pace",
    "guided-reps": "{reps}, paced",
    "breaths": "{breaths}",
    "activity": "keep going",
}


def step_words(step: Step) -> str:
    """"Bird dog, set 2 of 3, left side: 10 reps, paced", "Rest, then Plank"..."""
    if step.kind is StepKind.PREPARE:
        return f"Get ready: {step.next_name}"
    if step.kind is StepKind.SWITCH:
        return "Switch to the right side"
    if step.kind is StepKind.REST:
        return f"Rest, then {step.next_name}" if step.before_next_exercise else "Rest"
    if step.kind is StepKind.DONE:
        return "Session complete"
    what = step.name
    if step.sets > 1:
        what += f", set {step.set_number} of {step.sets}"
    if step.side in ("left", "right"):
        what += f", {step.side} side"
    work = _WORK[step.work.value].format(reps=plural(step.count, "rep"),
                                         breaths=plural(step.count, "breath"))
    if step.side == "alternating":
        work += " per side, alternating"
    return f"{what}: {work}"


def step_lines(steps: tuple[Step, ...]) -> list[tuple[str, str, str]]:
    """(start time, words, length) for each step, as `backrehab show` lists them."""
    at = 0.0
    lines = []
    for step in steps:
        length = "open" if step.is_open else format_duration(step.duration or 0)
        lines.append((format_clock(at), step_words(step), length))
        at += step.estimate
    return lines
