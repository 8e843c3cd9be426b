"""What the player tells a screen reader, and when.

The timer changes every second; a screen reader that read each change would
talk over everything else. So the session is announced at the moments that
matter (Qt's accessibility announcements, which Orca and other readers speak
without moving the focus): a new step with what to do, each rep, the last
seconds of a timed step, pause, going on, and the end. The timer label's
accessible name carries the same words at all times, for whoever reads the
screen at their own pace.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

from ...core.engine import State, Summary, View
from ...core.timeline import Step, StepKind, WorkKind
from ...core.wording import plural

LAST_SECONDS = 3
"""Seconds of a timed step that are announced one by one."""

_COUNTED = (WorkKind.REPS, WorkKind.GUIDED_REPS, WorkKind.BREATHS)


def announce(target: QObject, text: str, *, urgent: bool = False) -> None:
    """Have screen readers say ``text`` now; ``urgent`` interrupts what they are saying."""
    event = QAccessibleAnnouncementEvent(target, text)
    event.setPoliteness(QAccessible.AnnouncementPoliteness.Assertive if urgent
                        else QAccessible.AnnouncementPoliteness.Polite)
    QAccessible.updateAccessibility(event)


def duration_words(seconds: float) -> str:
    """``75`` -> "1 minute 15 seconds": a clock reading as it is said."""
    whole = max(0, round(seconds))
    minutes, rest = divmod(whole, 60)
    parts = [plural(minutes, "minute")] if minutes else []
    if rest or not minutes:
        parts.append(plural(rest, "second"))
    return " ".join(parts)


def _counts_reps(view: View) -> bool:
    return view.step.kind is StepKind.WORK and view.step.work in _COUNTED and \
        view.resuming is None


def rep_words(view: View) -> str:
    """"Rep 3 of 10", "Breath 4 of 8", or for self-paced reps "3 of 10 reps done"."""
    step = view.step
    if step.work is WorkKind.REPS:
        return f"{view.rep} of {plural(step.total_reps, 'rep')} done"
    what = "Breath" if step.work is WorkKind.BREATHS else "Rep"
    return f"{what} {view.rep} of {step.total_reps}"


def timer_words(view: View) -> str:
    """What the big number means, in words: the timer label's accessible name."""
    if view.state is State.PAUSED:
        return f"Paused, {duration_words(view.display_seconds)}"
    if view.resuming is not None:
        return f"Going on in {duration_words(view.display_seconds)}"
    if _counts_reps(view):
        return rep_words(view)
    if view.remaining is None:
        return f"{duration_words(view.display_seconds)} so far"
    return f"{duration_words(view.display_seconds)} left"


def step_words(step: Step, view: View) -> str:
    """A new step, said once: what it is, what to do, and for how long."""
    length = "" if step.duration is None else duration_words(step.duration)
    if step.kind is StepKind.PREPARE:
        first = f" First: {step.next_name}." if step.next_name else ""
        return f"Get ready, {length}.{first}"
    if step.kind is StepKind.SWITCH:
        return f"Switch sides, {length}. Next: {step.name}, right side."
    if step.kind is StepKind.REST:
        then = f"Next: {step.next_name}." if step.before_next_exercise else \
            f"Then set {step.set_number + 1} of {step.sets}."
        return f"Rest, {length}. {then}"
    if step.kind is StepKind.DONE:
        return "Session complete."
    parts = [step.name]
    if step.work is WorkKind.HOLD:
        parts.append(f"hold {length}")
    elif step.work is WorkKind.OPEN_HOLD:
        parts.append("hold as long as you can, then press Enter")
    elif step.work is WorkKind.REPS:
        parts.append(f"{plural(step.total_reps, 'rep')}, press Enter after each")
    elif step.work is WorkKind.GUIDED_REPS:
        parts.append(plural(step.total_reps, "rep"))
    elif step.work is WorkKind.BREATHS:
        parts.append(plural(step.total_reps, "breath"))
    elif length:
        parts.append(length)
    if step.sets > 1:
        parts.append(f"set {step.set_number} of {step.sets}")
    if step.side in ("left", "right"):
        parts.append(f"{step.side} side")
    elif step.side == "alternating":
        parts.append("alternate sides")
    cue = f" {step.key_cue}" if step.key_cue else ""
    return ", ".join(parts) + "." + cue


class Announcer:
    """Turns what the player shows into a few announcements: ``say(text, urgent)``."""

    def __init__(self, say: Callable[[str, bool], None]) -> None:
        self.say = say
        self._index: int | None = None
        self._rep: int | None = None
        self._last_second: int | None = None
        self._resuming = False

    def on_view(self, view: View) -> None:
        """Every change of the display (several a second at most): announce what matters."""
        if view.state is State.FINISHED:
            return
        if view.index != self._index:
            self._index = view.index
            self._rep = view.rep
            self._last_second = None
            if view.step.kind is not StepKind.DONE:
                self.say(step_words(view.step, view), False)
            return
        resuming = view.resuming is not None
        if resuming != self._resuming:
            self._resuming = resuming
            if resuming:
                self.say(timer_words(view), False)
                return
        if view.state is not State.RUNNING or resuming:
            return
        if _counts_reps(view):
            if view.rep != self._rep and view.rep > 0:
                self._rep = view.rep
                self.say(rep_words(view), False)
            return
        second = view.display_seconds
        if view.remaining is not None and 0 < second <= LAST_SECONDS and \
                second != self._last_second:
            self._last_second = second
            self.say(str(second), True)

    def on_paused(self, paused: bool) -> None:
        if paused:
            self.say("Paused. Press Space to go on.", True)

    def on_finished(self, summary: Summary) -> None:
        done = sum(1 for r in summary.results if r.status == "done")
        what = "Session complete" if summary.completed else "Session stopped"
        self.say(f"{what}: {done} of {plural(len(summary.results), 'exercise')} done.", True)
