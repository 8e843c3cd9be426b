"""What the session page shows as the session runs: the big number, the step's badge, the
exercise's name, key cue and steps, what comes next, the picture and the captions.
Nothing is told by colour alone: each step shows its kind in words and a symbol too.

A mixin for PlayerWindow (``window``), which connects it to the session's controller.
"""

from __future__ import annotations

import math

from PySide6.QtGui import QColor

from ...core import model as m
from ...core.engine import State, View
from ...core.timeline import Step, StepKind, WorkKind
from ...core.units import format_clock
from .announce import timer_words

# Step kinds: a word and a symbol always, the colour only adds to them.
_BADGES = {
    StepKind.PREPARE: ("GET READY", "\u25d4", QColor("#a84f00")),
    StepKind.WORK: ("WORK", "\u25b6", QColor("#2e7d32")),
    StepKind.SWITCH: ("SWITCH SIDES", "\u21c4", QColor("#6a1b9a")),
    StepKind.REST: ("REST", "\u25a0", QColor("#1565c0")),
    StepKind.DONE: ("DONE", "\u2713", QColor("#2e7d32")),
}
_PHASE_WORDS = {"up": "Move", "hold": "Hold", "down": "Return", "in": "Breathe in",
                "out": "Breathe out"}


class SessionDisplay:
    """The session page kept up to date; a mixin for PlayerWindow."""

    def _on_view(self, view: View) -> None:
        step = view.step
        phase_left = None if view.phase_remaining is None else math.ceil(
            view.phase_remaining - 1e-9)
        key = (view.index, view.display_seconds, view.rep, view.phase, phase_left, view.state,
               view.goal, view.resuming is not None)
        if key == self._last_view_key:
            return
        self._last_view_key = key
        self.timer.setText(self._timer_text(view))
        self.timer.setAccessibleName(timer_words(view))
        self.detail.setText(self._detail_text(view))
        self.progress.setValue(int(view.session_fraction * 100))
        if step.duration is None and step.kind is StepKind.WORK:
            # Open-ended: this hold or set lasts until the person ends it.
            self.time_left.setText(f"then {format_clock(view.session_left)} left"
                                   if view.session_left >= 1 else "then done")
        else:
            self.time_left.setText(f"{format_clock(view.session_left)} left")
        word, symbol, _ = _BADGES[step.kind]
        if view.state is State.PAUSED:
            word, symbol = "PAUSED", "\u275a\u275a"
        elif view.resuming is not None:
            word, symbol = "GET READY", "\u25d4"
        self.badge.setText(f"{symbol}  {word}")
        self.badge.setAccessibleName(word.capitalize())  # the word, not the symbol
        if step.kind is StepKind.WORK and step.item is not None and self.images:
            self._show_picture(step, view)

    @staticmethod
    def _timer_text(view: View) -> str:
        """The big number: the rep being done for rep work, seconds for everything else."""
        seconds = view.display_seconds
        if view.step.kind is StepKind.WORK and view.resuming is None:
            if view.step.work is WorkKind.REPS:
                return f"{view.rep}/{view.step.total_reps}"
            if view.step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
                return str(view.rep)
        return format_clock(seconds) if seconds >= 60 else str(seconds)

    @staticmethod
    def _detail_text(view: View) -> str:
        step = view.step
        if view.resuming is not None:
            return "Getting ready to go on"
        if view.state is State.PAUSED:
            return "Paused: press Space to go on"
        parts: list[str] = []
        first_line = ""
        if step.kind is StepKind.WORK:
            if step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
                # What to do right now gets its own line: it changes every second or two.
                if view.phase:
                    left = math.ceil((view.phase_remaining or 0) - 1e-9)
                    first_line = f"{_PHASE_WORDS.get(view.phase, view.phase)}  {left}\n"
                what = "breath" if step.work is WorkKind.BREATHS else "rep"
                parts.append(f"{what} {view.rep}/{step.count}")
            elif step.work is WorkKind.REPS:
                parts.append("Press Enter for each rep")
            elif step.work is WorkKind.OPEN_HOLD:
                parts.append("Hold as long as you can, then press Enter")
                if view.goal:
                    parts.append(f"goal {format_clock(view.goal)}")
            if step.sets > 1:
                parts.append(f"set {step.set_number}/{step.sets}")
            side = view.rep_side or step.side
            if side in ("left", "right"):
                parts.append(f"{side} side")
            elif side == "alternating":
                parts.append("alternate sides")
        elif step.kind is StepKind.SWITCH:
            parts.append("Right side next")
        elif step.kind is StepKind.REST and not step.before_next_exercise:
            parts.append(f"Set {step.set_number + 1} of {step.sets} next")
        return first_line + "  \u00b7  ".join(parts)

    def _on_step_started(self, index: int, step: Step) -> None:
        self._show_controls(step)
        if self._pages.currentWidget() is self._before:  # started without the question
            self._pages.setCurrentWidget(self._session)
        _, _, color = _BADGES[step.kind]
        # A property the window's style sheet matches: re-polishing one label is far
        # cheaper than giving it a style sheet of its own at every step.
        self.badge.setProperty("kind", step.kind.value)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self._flash.flash(QColor("#ffffff") if step.kind is StepKind.WORK else color.lighter(160))
        exercise = self.exercises.get(step.exercise_id or "")
        name, cue, steps = "", "", ""
        if step.kind is StepKind.WORK and exercise is not None:
            name, cue, steps = step.name, exercise.key_cue, "\n".join(exercise.steps)
        elif step.kind is StepKind.PREPARE:
            first = self._exercise_after(index)
            name, cue, steps = "Get ready", first.name if first else "", _position_hint(first)
        elif step.kind is StepKind.SWITCH:
            name, cue, steps = ("Switch sides", step.name,
                                "Change to the right side and get into position.")
        elif step.kind is StepKind.REST:
            upcoming = self._exercise_after(index)
            name = "Rest"
            cue = f"Next: {step.next_name}" if step.before_next_exercise else step.name
            steps = _position_hint(upcoming) if step.before_next_exercise else \
                "Breathe easy and shake it out."
        elif step.kind is StepKind.DONE:
            name = "Session complete"
        # The key-cue line already names what comes next in these steps.
        repeats_next = step.kind is StepKind.PREPARE or (step.kind is StepKind.REST and
                                                         step.before_next_exercise)
        self.words.set_texts({self.name: name, self.key_cue: cue, self.instruction: steps,
                              self.next_up: "" if repeats_next else self._next_text(index)})
        if not (step.kind is StepKind.WORK and step.exercise_id in self.images):
            upcoming = self._exercise_after(index)
            nxt_id = upcoming.id if upcoming else None
            if step.kind in (StepKind.PREPARE, StepKind.REST, StepKind.SWITCH) and \
                    nxt_id in self.images:
                self.picture.show_image(self.images[nxt_id][0],
                                        mirror=self._mirror(nxt_id, "right"
                                                            if step.kind is StepKind.SWITCH
                                                            else None),
                                        description=upcoming.name)
            else:
                self.picture.show_image(None)

    def _show_picture(self, step: Step, view: View) -> None:
        ident = step.exercise_id or ""
        start, end = self.images.get(ident, (None, None))
        if start is None:
            self.picture.show_image(None)
            return
        # A hold is spent in the end position; paced reps show where they are headed.
        held = step.work in (WorkKind.HOLD, WorkKind.OPEN_HOLD)
        moving = held or view.phase in ("up", "hold", "in")
        path = end if (moving and end is not None) else start
        side = view.rep_side or step.side
        self.picture.show_image(path, mirror=self._mirror(ident, side), description=step.name)

    def _mirror(self, ident: str, side: str | None) -> bool:
        exercise = self.exercises.get(ident)
        picture = exercise.illustration if exercise else None
        return bool(picture and picture.flip_for_right and side == "right")

    def _exercise_after(self, index: int) -> m.Exercise | None:
        steps = self.controller.engine.timeline.steps
        for step in steps[index + 1:]:
            if step.kind is StepKind.WORK:
                return self.exercises.get(step.exercise_id or "")
        return None

    def _next_text(self, index: int) -> str:
        steps = self.controller.engine.timeline.steps
        current = steps[index]
        for step in steps[index + 1:]:
            if step.kind is StepKind.WORK and (step.item != current.item or
                                               current.kind is not StepKind.WORK):
                if step.item == current.item:
                    return ""
                return f"Next: {step.name}"
            if step.kind is StepKind.DONE:
                return "Next: the end of the session"
        return ""

    def _on_caption(self, text: str) -> None:
        self.words.set_text(self.caption, f"\u266a {text}")
        self.caption.setAccessibleName(f"Said: {text}")

    def _on_paused(self, paused: bool) -> None:
        self.buttons["pause"].setText("\u25b6 Resume\nSpace" if paused else
                                      "\u275a\u275a Pause\nSpace")
        self.buttons["pause"].setAccessibleName("Resume" if paused else "Pause")

    def _on_muted(self, muted: bool) -> None:
        self.buttons["mute"].setText("\u266a Unmute\nM" if muted else "\u266a Mute\nM")
        self.buttons["mute"].setAccessibleName("Unmute" if muted else "Mute")


def _position_hint(exercise: m.Exercise | None) -> str:
    if exercise is None:
        return ""
    where = {
        m.Position.ON_BACK: "Lie on your back.",
        m.Position.ON_FRONT: "Lie on your front.",
        m.Position.ON_SIDE: "Lie on your side.",
        m.Position.ALL_FOURS: "Come onto your hands and knees.",
        m.Position.KNEELING: "Kneel on the mat.",
        m.Position.HALF_KNEELING: "Kneel on one knee.",
        m.Position.SITTING: "Sit down.",
        m.Position.STANDING: "Stand up.",
    }[exercise.position]
    kit = [e for e in exercise.equipment if e.lower() != "mat"]
    return where + (f" You need: {', '.join(kit)}." if kit else "")
