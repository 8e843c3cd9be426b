"""The person's moves through a session: skip a step, go back, leave an exercise, swap
it for an easier one, add or take time.

Each one leaves the current step early and starts another (or changes the one
in progress), so the voice stops, the step's record is kept as far as it
went, and the speech is planned again from the new moment. ``Moves`` is a
part of ``SessionEngine`` (core/engine.py), kept in a file of its own to keep
each short; it uses the engine's state and internals directly.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from . import model as m
from .events import Adjusted, Event, Resumed, State
from .timeline import StepKind, WorkKind, swap_exercise

if TYPE_CHECKING:
    from .engine import SessionEngine


class Moves:
    """Commands that move the session somewhere it would not have gone on its own."""

    def skip(self: SessionEngine, now: float) -> list[Event]:
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        events = self._catch_up(now)
        if self.state is State.FINISHED:
            return events
        return events + self.speech.silence(now) + self._leave(now, natural=False) + \
            self._enter(self.index + 1, now, by_person=True) + self._advance(now)

    def back(self: SessionEngine, now: float) -> list[Event]:
        """Restart this step; near its start, go back to the previous exercise step."""
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        events = self._catch_up(now)
        if self.state is State.FINISHED:
            return events
        target = self.index
        step = self.current
        if step.kind is not StepKind.WORK or self._active(now) < self.settings.back_grace:
            target = self._previous_work(self.index)
        events += self.speech.silence(now)
        events += self._leave(now, natural=False, record=False)
        # Everything from the step gone back to is said again.
        self.speech.forget(lambda key: isinstance(key[0], int) and key[0] >= target)
        return events + self._enter(target, now, by_person=True) + self._advance(now)

    def adjust(self: SessionEngine, now: float, seconds: float | None = None) -> list[Event]:
        """Add (or with a negative value remove) time from the current timed step.

        On an open hold it moves the goal instead. Guided reps and breaths keep
        their pace, so they are not changed.
        """
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        delta = self.settings.adjust_step if seconds is None else seconds
        events = self._catch_up(now)
        if self.state is State.FINISHED:
            return events
        step = self.current
        index = self.index
        if step.kind is StepKind.WORK and step.work is WorkKind.OPEN_HOLD:
            base = self._goal if self._goal is not None else max(10.0, round(self._active(now)))
            new_goal = max(5.0, base + delta)
            applied = new_goal - (self._goal or base)
            self._goal = new_goal
            # Let "goal reached" fire again for a raised goal.
            self._emitted.discard(("goal",))
            self.speech.forget(lambda key: key == (index, "goal"))
            self._replan(now)
            return events + [Adjusted(applied)]
        if step.duration is None or step.kind is StepKind.DONE or (
                step.kind is StepKind.WORK and step.work in (WorkKind.GUIDED_REPS,
                                                             WorkKind.BREATHS)):
            return events + [Adjusted(0.0)]
        active = self._active(now)
        length = step.duration + self._extra
        new_length = max(length + delta, math.floor(active) + 1.0)
        applied = new_length - length
        self._extra += applied
        # The countdown moves with the end; cues now in the past are left out,
        # not fired all at once.
        self._emitted = {k for k in self._emitted if k[0] != "count"}
        self.speech.forget(lambda key: key[:2] == (index, "count"))
        for moment in self._moments():
            if moment.at <= active:
                self._emitted.add(moment.key)
        self._replan(now)
        return events + [Adjusted(applied)] + self._advance(now)

    def skip_exercise(self: SessionEngine, now: float) -> list[Event]:
        """Leave the rest of the current exercise (its later sets and sides too) and go on
        to what follows it, running; reported at once with what was done of it. Outside
        an exercise (get ready, a rest before the next one) this is a plain skip."""
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        step = self.current
        if step.item is None or step.before_next_exercise or step.kind is StepKind.PREPARE:
            return self.skip(now)
        events = self._catch_up(now)
        if self.state is State.FINISHED:
            return events
        target = self.index
        steps = self.timeline.steps
        while steps[target].item == step.item and not steps[target].before_next_exercise:
            target += 1
        events += self.speech.silence(now) + self._leave(now, natural=False)
        if step.item not in self._tally.reported:
            events += self._tally.report(step.item)
        return events + self._run_again() + self._enter(target, now, by_person=True) + \
            self._advance(now)

    def swap(self: SessionEngine, now: float, exercise: m.Exercise, *, set_rest: float,
             lead_in: float = 10.0) -> list[Event]:
        """Go on with ``exercise`` instead of the current one, for the rest of the session
        (``timeline.swap_exercise``), after ``lead_in`` seconds to get into position.

        The exercise that gave way is reported at once with what was done of it. The
        easier one counts, in the session's share, for the planned work it took
        over. Running again afterwards, even when paused before. The speech from
        here on is planned afresh, for the new steps. Raises ValueError when the
        current step is not part of an exercise.
        """
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        events = self._catch_up(now)
        if self.state is State.FINISHED:
            return events
        swapped = swap_exercise(self.timeline, self.index, exercise, set_rest=set_rest,
                                lead_in=lead_in)
        old = self.current.item
        assert old is not None
        # The step in progress is recorded as far as it went, then the exercise is final.
        events += self.speech.silence(now) + self._leave(now, natural=False)
        self._tally.swapped(swapped, self.index)
        if old not in self._tally.reported:
            events += self._tally.report(old)
        self.timeline = swapped.timeline
        self._floor = self.index
        # Steps from here on are new: their scripts are made again and their cues said,
        # even where an index's cue of the old timeline was.
        index = self.index
        self._scripts.clear()
        self.speech.timeline = swapped.timeline
        self.speech.forget(lambda key: isinstance(key[0], int) and key[0] >= index)
        return events + self._run_again() + self._enter(index, now, by_person=True) + \
            self._advance(now)

    def _run_again(self: SessionEngine) -> list[Event]:
        """Running from a new step on (a pause ends without a get-ready: the step that
        follows is one)."""
        was_paused = self.state is State.PAUSED
        self.state = State.RUNNING
        return [Resumed(0.0)] if was_paused else []

    def _previous_work(self: SessionEngine, index: int) -> int:
        """The start of the previous work step, or the first step."""
        for i in range(index - 1, self._floor - 1, -1):
            if self.timeline.steps[i].kind is StepKind.WORK:
                return i
        # Never back past a swap: the exercise before it gave way.
        return self._floor
