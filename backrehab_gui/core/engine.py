"""The session engine: a state machine that runs a timeline, given the time.

It never reads a clock. Every command takes ``now`` (seconds on a monotonic
clock) and returns the events that happened, in order. All timing derives
from absolute anchors (when the current step started, shifted by pauses), so
a late tick can never accumulate drift: the engine simply catches up.

    engine = SessionEngine(timeline)
    events = engine.start(now=0.0)
    events = engine.tick(now=30.0)
    assert Cue("Switch sides") in events

``next_deadline()`` tells the caller when something will next change (a
displayed second, a cue, the end of a step), so a single-shot timer can wake
exactly then instead of polling.

Speech is planned, not fired: each step's script (core/step_cues.py) says
what it wants to say and when; core/session_speech.py places those cues so
that none talks over another, using the real length of each utterance when
the caller supplies ``lengths``, and the engine emits each ``Cue`` at its
planned start.

The person's moves (skip, back, leave an exercise, swap it for an easier one,
+/-10 s) live in core/moves.py; what the work adds up to, swaps included, in
core/results.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from . import results
from .events import (  # noqa: F401  (re-exported: the engine's events are its API)
    Adjusted,
    Cue,
    Event,
    ExerciseFinished,
    ExerciseResult,
    GoalReached,
    Paused,
    PhaseChanged,
    RepCounted,
    Resumed,
    SessionFinished,
    Sound,
    State,
    StepEnded,
    StepRecord,
    StepStarted,
    Summary,
    View,
    VoiceStop,
)
from .moves import Moves
from .session_speech import SessionSpeech
from .speech_plan import LengthOf
from .step_cues import StepScript, alternating_side, rep_position, script
from .timeline import Step, StepKind, Timeline, WorkKind

# --- Settings ----------------------------------------------------------------


@dataclass(frozen=True)
class EngineSettings:
    resume_prepare: float = 3.0
    """Seconds of get-ready countdown after a resume."""
    countdown: int = 3
    """Last seconds of holds and rests that are counted down aloud."""
    back_grace: float = 3.0
    """Within this many seconds of a step's start, Back goes to the previous exercise step."""
    adjust_step: float = 10.0
    """Seconds added or removed by +/-."""
    spoken_countdown_min: float = 8.0
    """Holds shorter than this get ticks but no spoken 3-2-1 (it would talk over the name)."""
    halfway_min: float = 10.0
    """Holds at least this long get a 'halfway' cue."""
    short_cue_life: float = 0.75
    """A countdown number or rep count later than this is not worth saying."""
    long_cue_life: float = 4.0
    """Names, instructions and notices may be this late and still help."""
    speech_wpm: float = 165.0
    """How fast the voice speaks: for guessing lengths not measured yet."""


# --- The engine --------------------------------------------------------------------


class SessionEngine(Moves):
    """Runs one session over a compiled timeline.

    ``lengths(text)`` tells how many seconds the voice takes to say ``text``
    (None while unknown: a guess stands in); call ``lengths_changed(now)`` when
    more become known.
    """

    def __init__(self, timeline: Timeline, settings: EngineSettings | None = None, *,
                 lengths: LengthOf | None = None) -> None:
        self.timeline = timeline
        self.settings = settings or EngineSettings()
        self.state = State.READY
        self.index = 0
        self._anchor = 0.0        # engine time at which the current step's active time was 0
        self._frozen = 0.0        # active seconds while paused or getting ready after a resume
        self._resume_until: float | None = None
        self._extra = 0.0         # seconds added with +/- to the current step
        self._goal: float | None = None
        self._counted = 0         # self-paced reps counted in the current step
        self._emitted: set[tuple] = set()
        self._tally = results.Tally(timeline)
        self._floor = 0           # the first step Back may return to (after a swap)
        self._last_now = 0.0
        self._scripts: dict[tuple, StepScript] = {}
        self._by_person = False
        self.speech = SessionSpeech(timeline, self.settings, self._script, lengths)
        self.summary: Summary | None = None

    # --- Commands -------------------------------------------------------------------

    def start(self, now: float) -> list[Event]:
        if self.state is not State.READY:
            return []
        self.state = State.RUNNING
        return self._enter(0, now) + self._advance(now)

    def tick(self, now: float) -> list[Event]:
        if self.state is not State.RUNNING:
            return []
        return self._advance(now)

    def pause(self, now: float) -> list[Event]:
        if self.state is not State.RUNNING:
            return []
        events = self._advance(now)
        if self.state is not State.RUNNING:
            return events
        self._frozen = self._active(now)
        self.state = State.PAUSED
        self._resume_until = None
        # The voice stops at once; a cue cut short is said again after the
        # resume if its moment is still ahead.
        return events + self.speech.silence(now, again=True) + [Paused()]

    def resume(self, now: float) -> list[Event]:
        if self.state is not State.PAUSED:
            return []
        self.state = State.RUNNING
        countdown = self.settings.resume_prepare
        # Active time stands still while paused and while getting ready again;
        # the anchor is set afresh, so no pause can add error to the timer.
        self._anchor = now + countdown - self._frozen
        self._resume_until = now + countdown if countdown > 0 else None
        events: list[Event] = [Resumed(countdown)]
        if countdown > 0:
            events.append(self.speech.now(("resume", now), "Get ready", "notice", now))
        self._replan(now)
        return events + self._advance(now)

    def toggle_pause(self, now: float) -> list[Event]:
        return self.resume(now) if self.state is State.PAUSED else self.pause(now)

    def count_rep(self, now: float) -> list[Event]:
        """The person did one more rep of a self-paced set (Enter)."""
        if self.state is not State.RUNNING or self._in_resume(now):
            return []
        events = self._advance(now)
        step = self.current
        if step.kind is not StepKind.WORK or step.work is not WorkKind.REPS:
            return events + self.finish_set(now)
        self._counted += 1
        total = step.total_reps
        side = alternating_side(self._counted - 1) if step.side == "alternating" else step.side
        events.append(RepCounted(self._counted, total, side))
        # The person's count comes first: whatever the voice was saying stops.
        events += self.speech.silence(now)
        if self._counted >= total:
            return events + self._leave(now, natural=True) + \
                self._enter(self.index + 1, now, by_person=True) + self._advance(now)
        events.append(self.speech.now((self.index, "counted", self._counted),
                                      str(self._counted), "count", now))
        return events

    def finish_set(self, now: float) -> list[Event]:
        """This set is done (D): an open hold records its time; a self-paced set counts
        as all its reps, however many were counted with Enter (counting is optional)."""
        if self.state is not State.RUNNING or self._in_resume(now):
            return []
        events = self._advance(now)
        step = self.current
        if step.kind is StepKind.WORK and step.work in (WorkKind.REPS, WorkKind.OPEN_HOLD):
            if step.work is WorkKind.REPS:
                self._counted = max(self._counted, step.total_reps)
            return events + self.speech.silence(now) + self._leave(now, natural=True) + \
                self._enter(self.index + 1, now, by_person=True) + self._advance(now)
        return events

    def enter(self, now: float) -> list[Event]:
        """The Enter key: count a rep for self-paced reps, end an open hold."""
        step = self.current
        if step.kind is StepKind.WORK and step.work is WorkKind.REPS:
            return self.count_rep(now)
        return self.finish_set(now)

    def stop(self, now: float) -> list[Event]:
        """End the session early, keeping everything done so far."""
        if self.state in (State.READY, State.FINISHED):
            if self.state is State.READY:
                self.state = State.FINISHED
                self.summary = self._summary(completed=False)
                return [SessionFinished(self.summary)]
            return []
        events = self._catch_up(now)
        if self.state is State.FINISHED:
            return events
        events += self.speech.silence(now)
        events += self._leave(now, natural=False)
        events += self._tally.report_all()
        self.state = State.FINISHED
        self.summary = self._summary(completed=False)
        return events + [SessionFinished(self.summary)]

    def lengths_changed(self) -> None:
        """More utterance lengths are known: plan the rest of this step again with them.

        Plans from the last moment handled, so no cue between that and now is lost;
        the next tick emits them.
        """
        if self.state is State.RUNNING:
            self._replan(self._last_now)

    # --- Queries -----------------------------------------------------------------------

    @property
    def current(self) -> Step:
        return self.timeline.steps[self.index]

    def speech_texts(self, *, first: bool = False, start: int = 0) -> list[str]:
        """Everything this session may say from step ``start`` on (and its shorter forms),
        in the order first needed: to have the voice ready before each is due. ``first``:
        only what step ``start`` may say."""
        return self.speech.texts(first=first, start=start)

    def view(self, now: float) -> View:
        step = self.current
        resuming = None
        if self._resume_until is not None and now < self._resume_until:
            resuming = self._resume_until - now
        active = self._active(now) if self.state is not State.READY else 0.0
        length = self._length()
        remaining = None if length is None else max(length - active, 0.0)
        rep = side = phase = None
        phase_remaining = None
        if step.kind is StepKind.WORK and step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
            rep_index, phase, phase_remaining = rep_position(step, active)
            rep = rep_index + 1
            side = alternating_side(rep_index) if step.side == "alternating" else step.side
            if step.side == "alternating":
                rep = rep_index // 2 + 1
        elif step.kind is StepKind.WORK and step.work is WorkKind.REPS:
            rep = self._counted
            side = step.side
        done_before = self.timeline.estimate - self.timeline.remaining_from(self.index)
        this = min(active, step.estimate) if step.estimate else 0.0
        if length is None:
            # An open hold (or self-paced reps) lasts until the person ends it: what is
            # left is the rest of the session after it.
            left = self.timeline.remaining_from(self.index + 1)
        else:
            # What is left of this step, seconds added or taken with +/-10 s included.
            left = self.timeline.remaining_from(self.index + 1) + max(length - active, 0.0)
        total = self.timeline.estimate or 1.0
        if self.state is State.FINISHED:
            left, done_before, this = 0.0, total, 0.0
        return View(
            state=self.state, index=self.index, step=step, remaining=remaining,
            elapsed=active, resuming=resuming, rep=rep or 0, rep_side=side, phase=phase,
            phase_remaining=phase_remaining, goal=self._goal,
            session_left=left, session_fraction=min((done_before + this) / total, 1.0),
        )

    def next_deadline(self) -> float | None:
        """Engine time of the next change worth waking for, or None when nothing will change."""
        if self.state is not State.RUNNING:
            return None
        now = self._last_now
        if self._resume_until is not None and now < self._resume_until:
            # Whole seconds of the resume countdown, then the moment it ends.
            left = self._resume_until - now
            return self._resume_until - (math.ceil(left - 1e-9) - 1)
        active = self._active(now)
        candidates = []
        pending = [mo.at for mo in self._moments() if mo.key not in self._emitted]
        if pending:
            candidates.append(min(pending))
        spoken = self.speech.next_start(active)
        if spoken is not None:
            candidates.append(spoken)
        length = self._length()
        if length is not None:
            candidates.append(length)
            # Displayed seconds change at length - k, for whole k.
            frac = length - math.floor(length)
            nxt = math.floor(active - frac + 1e-9) + 1 + frac
            candidates.append(nxt)
        else:
            candidates.append(math.floor(active + 1e-9) + 1)
        ahead = [c for c in candidates if c > active + 1e-9]
        if not ahead:
            return now
        return self._anchor + min(ahead)

    def records(self) -> dict[int, StepRecord]:
        return dict(self._tally.records)

    # --- Internals ---------------------------------------------------------------------

    def _active(self, now: float) -> float:
        """Active seconds in the current step (pauses and resume countdowns excluded)."""
        if self.state is State.PAUSED or self._in_resume(now):
            return self._frozen
        return max(now - self._anchor, 0.0)

    def _in_resume(self, now: float) -> bool:
        return self._resume_until is not None and now < self._resume_until

    def _length(self) -> float | None:
        step = self.current
        return None if step.duration is None else step.duration + self._extra

    def _catch_up(self, now: float) -> list[Event]:
        return self._advance(now) if self.state is State.RUNNING else []

    def _replan(self, now: float) -> None:
        busy = 0.0
        if self.state is State.RUNNING and not self._in_resume(now):
            busy = max(self.speech.voice_until - now, 0.0)
        self.speech.replan(self.index, self._length(), self._goal, self._active(now),
                           busy_for=busy, late_names=self._by_person)

    def _enter(self, index: int, now: float, *, by_person: bool = False) -> list[Event]:
        """Start step ``index``; ``by_person`` when the person moved there (skip, back,
        done), rather than the previous step running out."""
        index = min(max(index, 0), len(self.timeline.steps) - 1)
        self.index = index
        self._by_person = by_person
        self._anchor = now
        self._frozen = 0.0  # when paused, the new step waits at its start
        self._resume_until = None
        self._extra = 0.0
        self._counted = 0
        self._emitted = set()
        step = self.current
        self._goal = step.goal
        if step.kind is StepKind.DONE:
            events: list[Event] = [StepStarted(index, step)]
            events += self._tally.report_all()
            events.append(self.speech.now((index, "start"), "Session complete", "complete",
                                          now))
            events.append(Sound("complete", now))
            self.state = State.FINISHED
            self.summary = self._summary(completed=True)
            return events + [SessionFinished(self.summary)]
        self._replan(now)
        return [StepStarted(index, step)]

    def _advance(self, now: float) -> list[Event]:
        """Emit every moment up to ``now`` and move through steps whose time is up."""
        self._last_now = max(self._last_now, now)
        events: list[Event] = []
        guard = 0
        while self.state is State.RUNNING and guard < 10_000:
            guard += 1
            if self._in_resume(now):
                events += self._resume_ticks(now)
                break
            if self._resume_until is not None:
                events += self._resume_ticks(now)
                self._resume_until = None
            active = self._active(now)
            for moment in self._moments():
                if moment.key not in self._emitted and moment.at <= active + 1e-9:
                    self._emitted.add(moment.key)
                    due = self._anchor + moment.at
                    events.extend(_stamp(e, due) for e in moment.events)
            events += self.speech.due(active, self._anchor)
            length = self._length()
            if length is None or active + 1e-9 < length:
                break
            end = self._anchor + length
            events += self._leave(end, natural=True)
            events += self._enter(self.index + 1, end)
        return events

    def _resume_ticks(self, now: float) -> list[Event]:
        """A tick for each whole second left of the get-ready countdown after a resume."""
        events: list[Event] = []
        end = self._resume_until
        assert end is not None
        for k in range(int(self.settings.resume_prepare), 0, -1):
            key = ("resume", k, end)
            if end - k <= now + 1e-9 and key not in self._emitted:
                self._emitted.add(key)
                events.append(Sound("tick", end - k))
        return events

    def _leave(self, now: float, *, natural: bool, record: bool = True) -> list[Event]:
        step = self.current
        index = self.index
        active = self._active(now)
        if step.kind is StepKind.DONE:
            return []
        outcome = "done" if natural else ("partial" if active >= 1.0 or self._counted else
                                          "skipped")
        events: list[Event] = []
        if step.kind is StepKind.WORK and record:
            self._tally.records[index] = results.step_record(step, self._length(), active, natural,
                                                       self._counted)
            if natural:
                events.append(Sound("end", now))
        events.append(StepEnded(index, step, outcome if step.kind is StepKind.WORK else
                                ("done" if natural else "skipped")))
        # An exercise is reported once the session leaves its last work step.
        if step.kind is StepKind.WORK and record and \
                index == results.work_steps(self.timeline, step.item)[-1]:
            events += self._tally.report(step.item)
        return events

    def _summary(self, completed: bool) -> Summary:
        return self._tally.summary(completed)

    # --- The script of a step ---------------------------------------------------------

    def _script(self, index: int, length: float | None, goal: float | None) -> StepScript:
        key = (index, length, goal)
        found = self._scripts.get(key)
        if found is None:
            found = self._scripts[key] = script(self.timeline.steps[index], length,
                                                self.settings, goal)
        return found

    def _moments(self):
        return self._script(self.index, self._length(), self._goal).moments


def _stamp(event: object, due: float) -> object:
    """Give a moment's sound its real due time."""
    if isinstance(event, Sound):
        return Sound(event.name, due)
    return event
