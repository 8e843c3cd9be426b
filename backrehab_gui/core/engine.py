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
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from . import model as m
from .timeline import Step, StepKind, Timeline, WorkKind, swap_exercise
from .wording import plural

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
    speech_wpm: float = 165.0
    """How fast the voice speaks, to keep long cues from talking over countdowns."""
    """Names, instructions and notices may be this late and still help."""


# --- Events --------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """Something to say aloud (and show). Equal when the words are equal."""

    text: str
    kind: str = field(default="info", compare=False)
    due: float = field(default=0.0, compare=False)
    """When it should be spoken (engine time)."""
    expires: float = field(default=math.inf, compare=False)
    """After this it is stale and should be dropped."""


@dataclass(frozen=True)
class Sound:
    """A short sound: start, end, tick or complete."""

    name: str
    due: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class StepStarted:
    index: int
    step: Step


@dataclass(frozen=True)
class StepEnded:
    index: int
    step: Step
    outcome: str
    """'done', 'partial' or 'skipped'."""


@dataclass(frozen=True)
class RepCounted:
    count: int
    total: int
    side: str | None = None


@dataclass(frozen=True)
class PhaseChanged:
    """A guided rep or breath moved to a new phase: up, hold, down, in, out."""

    phase: str


@dataclass(frozen=True)
class GoalReached:
    seconds: float


@dataclass(frozen=True)
class Paused:
    pass


@dataclass(frozen=True)
class Resumed:
    countdown: float


@dataclass(frozen=True)
class Adjusted:
    seconds: float
    """Seconds actually added (negative when removed)."""


@dataclass(frozen=True)
class ExerciseFinished:
    """The session moved past an exercise; its result is final unless the person goes back."""

    result: ExerciseResult


@dataclass(frozen=True)
class SessionFinished:
    summary: Summary


Event = (Cue | Sound | StepStarted | StepEnded | RepCounted | PhaseChanged | GoalReached
         | Paused | Resumed | Adjusted | ExerciseFinished | SessionFinished)


# --- Results -------------------------------------------------------------------


@dataclass(frozen=True)
class StepRecord:
    outcome: str
    seconds: float
    reps: int = 0
    hold_reached: float | None = None
    share: float = 0.0
    """How much of the step was done, 0..1."""


@dataclass(frozen=True)
class ExerciseResult:
    item: int
    exercise_id: str
    name: str
    status: str
    """'done', 'partial' or 'skipped'."""
    seconds: float
    """Time spent working (pauses and rests excluded)."""
    sets_done: int
    sets: int
    reps_done: int | None
    reps_target: int | None
    hold_times: tuple[float, ...] = ()
    """Open holds: the time reached in each attempt."""
    share: float = 0.0
    """How much of the planned work was done, 0..1."""


@dataclass(frozen=True)
class Summary:
    routine_id: str
    name: str
    results: tuple[ExerciseResult, ...]
    completed: bool
    """True when the session ran to the end, False when stopped early."""
    active_seconds: float
    share: float
    """Share of the planned work done, weighted by each exercise's planned time."""


class State(str, Enum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


# --- What the window shows -------------------------------------------------------


@dataclass(frozen=True)
class View:
    """Everything the player window shows at one moment."""

    state: State
    index: int
    step: Step
    remaining: float | None
    """Seconds left in the step (None when it is open-ended)."""
    elapsed: float
    resuming: float | None
    """Seconds left of the get-ready countdown after a resume."""
    rep: int = 0
    """Current rep or breath (1-based) for guided work; reps counted for self-paced."""
    rep_side: str | None = None
    phase: str | None = None
    phase_remaining: float | None = None
    goal: float | None = None
    session_left: float = 0.0
    session_fraction: float = 0.0

    @property
    def display_seconds(self) -> int:
        """The big number: seconds left, or seconds so far when counting up."""
        if self.resuming is not None:
            return math.ceil(self.resuming - 1e-9)
        if self.remaining is None:
            return int(self.elapsed + 1e-9)
        return math.ceil(self.remaining - 1e-9)


# --- The engine --------------------------------------------------------------------

_PHASE_NAMES = {"guided": ("up", "hold", "down"), "breaths": ("in", "out")}


@dataclass
class _Moment:
    key: tuple
    at: float
    """Seconds of active time after the step started."""
    events: tuple


class SessionEngine:
    """Runs one session over a compiled timeline."""

    def __init__(self, timeline: Timeline, settings: EngineSettings | None = None) -> None:
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
        self._records: dict[int, StepRecord] = {}
        self._reported: set[int] = set()
        self._last_now = 0.0
        # After a swap: the final results of the items that gave way, the weights
        # of the items in the session's share, the items standing in for others
        # (their work counts towards the plan but is not more of it), and the
        # first step Back may return to.
        self._final: dict[int, ExerciseResult] = {}
        self._weights: dict[int, float] = {}
        self._stand_ins: set[int] = set()
        self._floor = 0
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
        return events + [Paused()]

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
            events.append(self._cue("Get ready", "notice", now, short=False))
        return events + self._advance(now)

    def toggle_pause(self, now: float) -> list[Event]:
        return self.resume(now) if self.state is State.PAUSED else self.pause(now)

    def skip(self, now: float) -> list[Event]:
        if self.state not in (State.RUNNING, State.PAUSED):
            return []
        events = self._catch_up(now)
        if self.state is State.FINISHED:
            return events
        return events + self._leave(now, natural=False) + self._enter(self.index + 1, now) + \
            self._advance(now)

    def back(self, now: float) -> list[Event]:
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
        events += self._leave(now, natural=False, record=False)
        return events + self._enter(target, now) + self._advance(now)

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
        side = _alternating_side(self._counted - 1) if step.side == "alternating" else step.side
        events.append(RepCounted(self._counted, total, side))
        if self._counted >= total:
            return events + self._leave(now, natural=True) + self._enter(self.index + 1, now) + \
                self._advance(now)
        events.append(self._cue(str(self._counted), "rep", now, short=True))
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
            return events + self._leave(now, natural=True) + self._enter(self.index + 1, now) + \
                self._advance(now)
        return events

    def enter(self, now: float) -> list[Event]:
        """The Enter key: count a rep for self-paced reps, end an open hold."""
        step = self.current
        if step.kind is StepKind.WORK and step.work is WorkKind.REPS:
            return self.count_rep(now)
        return self.finish_set(now)

    def adjust(self, now: float, seconds: float | None = None) -> list[Event]:
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
        if step.kind is StepKind.WORK and step.work is WorkKind.OPEN_HOLD:
            base = self._goal if self._goal is not None else max(10.0, round(self._active(now)))
            new_goal = max(5.0, base + delta)
            applied = new_goal - (self._goal or base)
            self._goal = new_goal
            # Let "goal reached" fire again for a raised goal.
            self._emitted.discard(("goal",))
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
        # Cues that now fall in the past are dropped, not fired all at once.
        for moment in self._moments():
            if moment.at <= active:
                self._emitted.add(moment.key)
        return events + [Adjusted(applied)] + self._advance(now)

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
        events += self._leave(now, natural=False)
        events += self._report_all()
        self.state = State.FINISHED
        self.summary = self._summary(completed=False)
        return events + [SessionFinished(self.summary)]

    def skip_exercise(self, now: float) -> list[Event]:
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
        events += self._leave(now, natural=False)
        if step.item not in self._reported:
            events += self._report(step.item)
        return events + self._run_again() + self._enter(target, now) + self._advance(now)

    def swap(self, now: float, exercise: m.Exercise, *, set_rest: float,
             lead_in: float = 10.0) -> list[Event]:
        """Go on with ``exercise`` instead of the current one, for the rest of the session
        (``timeline.swap_exercise``), after ``lead_in`` seconds to get into position.

        The exercise that gave way is reported at once with what was done of it. The
        easier one counts, in the session's share, for the planned work it took
        over. Running again afterwards, even when paused before. Raises ValueError
        when the current step is not part of an exercise.
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
        events += self._leave(now, natural=False)
        weights = {i: self._planned_weight(i) for i in self._items()}
        for new, gave_way in swapped.replaced:
            # The current exercise hands over what was left of it; a later appearance,
            # all of it.
            weights[new] = sum(self.timeline.steps[j].estimate or 1.0
                               for j in self._work_steps(gave_way) if j >= self.index)
            self._stand_ins.add(new)
            self._final[gave_way] = self._result(gave_way)
        self._weights = weights
        if old not in self._reported:
            events += self._report(old)
        # Records belong to step indexes of the old timeline from here on.
        self._records = {i: r for i, r in self._records.items() if i < self.index}
        self.timeline = swapped.timeline
        self._floor = self.index
        return events + self._run_again() + self._enter(self.index, now) + self._advance(now)

    def _run_again(self) -> list[Event]:
        """Running from a new step on (a pause ends without a get-ready: the step that
        follows is one)."""
        was_paused = self.state is State.PAUSED
        self.state = State.RUNNING
        return [Resumed(0.0)] if was_paused else []

    # --- Queries -----------------------------------------------------------------------

    @property
    def current(self) -> Step:
        return self.timeline.steps[self.index]

    def view(self, now: float) -> View:
        step = self.current
        resuming = None
        if self._resume_until is not None and now < self._resume_until:
            resuming = self._resume_until - now
        active = self._active(now) if self.state is not State.READY else 0.0
        length = None if step.duration is None else step.duration + self._extra
        remaining = None if length is None else max(length - active, 0.0)
        rep = side = phase = None
        phase_remaining = None
        if step.kind is StepKind.WORK and step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
            rep_index, phase, phase_remaining = _rep_position(step, active)
            rep = rep_index + 1
            side = _alternating_side(rep_index) if step.side == "alternating" else step.side
            if step.side == "alternating":
                rep = rep_index // 2 + 1
        elif step.kind is StepKind.WORK and step.work is WorkKind.REPS:
            rep = self._counted
            side = step.side
        done_before = self.timeline.estimate - self.timeline.remaining_from(self.index)
        this = min(active, step.estimate) if step.estimate else 0.0
        if step.duration is None:
            # An open hold (or self-paced reps) lasts until the person ends it: what is
            # left is the rest of the session after it.
            left = self.timeline.remaining_from(self.index + 1)
        else:
            # What is left of this step, seconds added or taken with +/-10 s included.
            left = self.timeline.remaining_from(self.index + 1) + max(
                step.duration + self._extra - active, 0.0)
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
        step = self.current
        active = self._active(now)
        candidates = []
        pending = [mo.at for mo in self._moments() if mo.key not in self._emitted]
        if pending:
            candidates.append(min(pending))
        length = None if step.duration is None else step.duration + self._extra
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
        return dict(self._records)

    # --- Internals ---------------------------------------------------------------------

    def _active(self, now: float) -> float:
        """Active seconds in the current step (pauses and resume countdowns excluded)."""
        if self.state is State.PAUSED or self._in_resume(now):
            return self._frozen
        return max(now - self._anchor, 0.0)

    def _in_resume(self, now: float) -> bool:
        return self._resume_until is not None and now < self._resume_until

    def _catch_up(self, now: float) -> list[Event]:
        return self._advance(now) if self.state is State.RUNNING else []

    def _enter(self, index: int, now: float) -> list[Event]:
        index = min(max(index, 0), len(self.timeline.steps) - 1)
        self.index = index
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
            events += self._report_all()
            events.append(self._cue("Session complete", "complete", now, short=False))
            events.append(Sound("complete", now))
            self.state = State.FINISHED
            self.summary = self._summary(completed=True)
            return events + [SessionFinished(self.summary)]
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
            step = self.current
            length = None if step.duration is None else step.duration + self._extra
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
            self._records[index] = self._record(step, active, natural)
            if natural:
                events.append(Sound("end", now))
        events.append(StepEnded(index, step, outcome if step.kind is StepKind.WORK else
                                ("done" if natural else "skipped")))
        # An exercise is reported once the session leaves its last work step.
        if step.kind is StepKind.WORK and record and index == self._work_steps(step.item)[-1]:
            events += self._report(step.item)
        return events

    def _record(self, step: Step, active: float, natural: bool) -> StepRecord:
        length = None if step.duration is None else step.duration + self._extra
        seconds = active if length is None else min(active, length)
        if step.work is WorkKind.REPS:
            total = step.total_reps
            reps = self._counted if (self._counted or not natural) else total
            reps = min(reps, total)
            share = reps / total if total else 1.0
            outcome = "done" if reps >= total else ("partial" if reps or seconds >= 1 else
                                                    "skipped")
            return StepRecord(outcome, seconds, reps=reps, share=share)
        if step.work is WorkKind.OPEN_HOLD:
            outcome = "done" if natural else ("partial" if seconds >= 1 else "skipped")
            return StepRecord(outcome, seconds, hold_reached=round(seconds, 1),
                              share=1.0 if natural else min(seconds / (step.estimate or 1), 1.0))
        if step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
            per = step.rep_seconds or 1.0
            reps = step.total_reps if natural else min(int(seconds / per), step.total_reps)
            share = 1.0 if natural else reps / (step.total_reps or 1)
            outcome = "done" if natural else ("partial" if seconds >= 1 else "skipped")
            return StepRecord(outcome, seconds, reps=reps, share=share)
        share = 1.0 if natural else min(seconds / (length or 1.0), 1.0)
        outcome = "done" if natural else ("partial" if seconds >= 1 else "skipped")
        return StepRecord(outcome, seconds, share=share)

    def _work_steps(self, item: int) -> list[int]:
        return [i for i, s in enumerate(self.timeline.steps)
                if s.item == item and s.kind is StepKind.WORK]

    def _result(self, item: int) -> ExerciseResult:
        if item in self._final:
            return self._final[item]
        indexes = self._work_steps(item)
        steps = [self.timeline.steps[i] for i in indexes]
        first = steps[0]
        records = [self._records.get(i) for i in indexes]
        seconds = sum(r.seconds for r in records if r)
        # A set counts as done when every side of it is done.
        sets_done = 0
        for number in range(1, first.sets + 1):
            in_set = [r for s, r in zip(steps, records) if s.set_number == number]
            if in_set and all(r and r.outcome == "done" for r in in_set):
                sets_done += 1
        counted = first.work in (WorkKind.REPS, WorkKind.GUIDED_REPS, WorkKind.BREATHS)
        reps_done = sum(r.reps for r in records if r) if counted else None
        reps_target = sum(s.total_reps for s in steps) if counted else None
        holds = tuple(r.hold_reached for r in records if r and r.hold_reached is not None)
        weights = [s.estimate or 1.0 for s in steps]
        share = sum(w * (r.share if r else 0.0) for w, r in zip(weights, records)) / sum(weights)
        if all(r and r.outcome == "done" for r in records):
            status = "done"
        elif all(r is None or r.outcome == "skipped" for r in records):
            status = "skipped"
        else:
            status = "partial"
        return ExerciseResult(item, first.exercise_id or "", first.name, status,
                              round(seconds, 1), sets_done, first.sets, reps_done, reps_target,
                              holds, round(share, 3))

    def _report(self, item: int) -> list[Event]:
        self._reported.add(item)
        return [ExerciseFinished(self._result(item))]

    def _report_all(self) -> list[Event]:
        """Results for exercises not yet reported (on stop or at the end)."""
        return [e for i in self._items() if i not in self._reported for e in self._report(i)]

    def _items(self) -> list[int]:
        """Every item of the session, including any that gave way in a swap."""
        return sorted({s.item for s in self.timeline.steps if s.item is not None}
                      | set(self._final))

    def _planned_weight(self, item: int) -> float:
        if item in self._weights:
            return self._weights[item]
        return sum(self.timeline.steps[j].estimate or 1.0 for j in self._work_steps(item))

    def _summary(self, completed: bool) -> Summary:
        items = self._items()
        results = tuple(self._result(i) for i in items)
        weights = [self._planned_weight(i) for i in items]
        total = sum(w for i, w in zip(items, weights) if i not in self._stand_ins) or 1.0
        share = min(sum(w * r.share for w, r in zip(weights, results)) / total, 1.0)
        return Summary(self.timeline.routine_id, self.timeline.name, results, completed,
                       round(sum(r.seconds for r in results), 1), round(share, 3))

    def _previous_work(self, index: int) -> int:
        """The start of the previous work step, or the first step."""
        for i in range(index - 1, self._floor - 1, -1):
            if self.timeline.steps[i].kind is StepKind.WORK:
                return i
        # Never back past a swap: the exercise before it gave way.
        return self._floor

    def _cue(self, text: str, kind: str, due: float, *, short: bool) -> Cue:
        life = self.settings.short_cue_life if short else self.settings.long_cue_life
        return Cue(text, kind, due, due + life)

    # --- The moments of a step ------------------------------------------------------

    def _moments(self) -> list[_Moment]:
        step = self.current
        length = None if step.duration is None else step.duration + self._extra
        builder = _MomentBuilder(self, step, length)
        return builder.build()


class _MomentBuilder:
    """The timed events of one step, as offsets from its start."""

    def __init__(self, engine: SessionEngine, step: Step, length: float | None) -> None:
        self.engine = engine
        self.step = step
        self.length = length
        self.s = engine.settings
        self.out: list[_Moment] = []

    def add(self, key: tuple, at: float, *events: object) -> None:
        self.out.append(_Moment(key, at, tuple(events)))

    def say(self, text: str, kind: str, short: bool = False) -> Cue:
        # Until the moment is emitted, `expires` holds the cue's life in seconds;
        # _stamp turns both into engine times.
        life = self.s.short_cue_life if short else self.s.long_cue_life
        return Cue(text, kind, 0.0, life)

    def build(self) -> list[_Moment]:
        step = self.step
        kind = step.kind
        if kind is StepKind.PREPARE:
            self.add(("start",), 0, self.say(f"Get ready. First: {step.next_name}", "get-ready"))
            self._countdown(spoken=True)
        elif kind is StepKind.REST:
            self._rest()
        elif kind is StepKind.SWITCH:
            self.add(("start",), 0, self.say("Switch sides", "switch"))
            self._countdown(spoken=False)
        elif kind is StepKind.WORK:
            self._work()
        self.out.sort(key=lambda m: m.at)
        self._make_room()
        return self.out

    # Cues that must be heard on time; anything longer gives way to them.
    _ON_TIME = ("countdown",)

    def _seconds_to_say(self, text: str) -> float:
        # Fitted to espeak-ng's own output at 165 words a minute (0.9 s for
        # "Halfway", 4 s for a name and a 12-word key cue), trailing silence included.
        pauses = text.count(".") + text.count(",")
        return 0.55 + 0.05 * len(text) * 165.0 / self.s.speech_wpm + 0.25 * pauses

    def _make_room(self) -> None:
        """Plan the speech so it does not collide.

        One voice speaks one thing at a time and cannot be cut off, so a long cue
        that would still be speaking when a countdown number is due is shortened
        to its first sentence, or left out (the screen still shows it). On the
        first rep the exercise's name and key cue come first: the rep's own
        "Hold" and "And back" are left out while they are being said.
        """
        on_time = [m.at for m in self.out if any(
            isinstance(e, Cue) and e.kind in self._ON_TIME for e in m.events)]
        busy_until = -1.0
        for moment in self.out:
            kept = []
            for event in moment.events:
                if not isinstance(event, Cue):
                    kept.append(event)
                    continue
                if event.kind == "rep" and moment.at < busy_until and event.text in (
                        "Hold", "And back"):
                    continue
                if event.kind not in self._ON_TIME:
                    event = self._fitted(event, moment.at, on_time)
                    if event is None:
                        continue
                busy_until = max(busy_until, moment.at) + self._seconds_to_say(event.text)
                kept.append(event)
            moment.events = tuple(kept)

    def _fitted(self, cue: Cue, at: float, on_time: list[float]) -> Cue | None:
        deadline = next((t for t in on_time if t > at), None)
        if deadline is None or at + self._seconds_to_say(cue.text) <= deadline:
            return cue
        first = cue.text.split(". ")[0]
        if first != cue.text and at + self._seconds_to_say(first) <= deadline:
            return Cue(first, cue.kind, cue.due, cue.expires)
        return None

    def _rest(self) -> None:
        step, length = self.step, self.length or 0
        seconds = int(round(self.step.duration or 0))
        if step.before_next_exercise:
            text = f"Rest {plural(seconds, 'second')}. Next: {step.next_name}"
        else:
            nxt = step.set_number + 1
            label = "the last set" if nxt == step.sets else f"set {nxt} of {step.sets}"
            text = f"Rest {plural(seconds, 'second')}. Then {label}"
        self.add(("start",), 0, self.say(text, "rest"))
        if length >= 15:
            self.add(("get-ready",), length - self.s.countdown - 3,
                     self.say(f"Get ready: {step.next_name}" if step.before_next_exercise
                              else "Get ready", "get-ready"))
        self._countdown(spoken=True)

    def _countdown(self, *, spoken: bool) -> None:
        if self.length is None:
            return
        for k in range(self.s.countdown, 0, -1):
            at = self.length - k
            if at <= 0.5:
                continue
            events = [Sound("tick")]
            if spoken:
                events.append(self.say(str(k), "countdown", short=True))
            self.add(("count", k), at, *events)

    def _opening(self) -> str:
        step = self.step
        first_of_exercise = step.set_number == 1 and step.side in (None, "left", "alternating")
        parts: list[str] = []
        if first_of_exercise:
            parts.append(step.name)
            if step.key_cue:
                parts.append(step.key_cue)
        elif step.side == "right":
            parts.append("Right side")
        if step.sets > 1 and step.side in (None, "left", "alternating"):
            if step.set_number == step.sets:
                parts.append("Last set")
            elif step.set_number > 1:
                parts.append(f"Set {step.set_number} of {step.sets}")
        if first_of_exercise and step.side == "left":
            parts.append("Left side first")
        if step.work is WorkKind.OPEN_HOLD and first_of_exercise:
            parts.append("Hold as long as you can, then press Enter")
        if step.work is WorkKind.REPS and first_of_exercise:
            what = plural(step.count, "rep") + (" each side" if step.side == "alternating" else "")
            parts.append(f"{what} at your own pace. Press Enter for each rep")
        return ". ".join(parts)

    def _work(self) -> None:
        step, length = self.step, self.length
        self.add(("start",), 0, Sound("start"), self.say(self._opening(), "name"))
        for n, cue in enumerate(step.cues):
            if length is None or cue.at < length:
                self.add(("own", n), cue.at, self.say(cue.say, "routine"))
        work = step.work
        if work is WorkKind.HOLD or work is WorkKind.ACTIVITY:
            if length is not None and length >= self.s.halfway_min:
                self.add(("halfway",), length / 2, self.say("Halfway", "halfway"))
            if work is WorkKind.ACTIVITY and length is not None and length >= 180:
                self.add(("minute",), length - 60, self.say("One minute left", "notice"))
            self._countdown(spoken=length is not None and length >= self.s.spoken_countdown_min)
        elif work is WorkKind.OPEN_HOLD:
            goal = self.engine._goal
            if goal is not None:
                self.add(("goal",), goal, GoalReached(goal),
                         self.say("Goal reached. Keep going if it feels fine", "notice"))
        elif work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
            self._reps()

    def _reps(self) -> None:
        step = self.step
        per = step.rep_seconds
        total = step.total_reps
        # The opening cue names the exercise; counting starts after a short lead-in
        # only when the first rep would talk over it.
        for i in range(total):
            start = i * per
            offset = start
            side = _alternating_side(i) if step.side == "alternating" else None
            number = i // 2 + 1 if side else i + 1
            if step.work is WorkKind.BREATHS:
                word = "Breathe in" if i < 2 else "In"
                events = [PhaseChanged("in")]
                if i > 0 or not self._opening():
                    events.append(self.say(word, "rep", short=True))
                self.add(("rep", i, 0), offset, *events)
                self.add(("rep", i, 1), offset + step.phases[0], PhaseChanged("out"),
                         self.say("Breathe out" if i < 2 else "Out", "rep", short=True))
            else:
                up, hold, down = step.phases
                label = f"{number} {side}" if side else str(number)
                events = [PhaseChanged("up")]
                if i > 0 or not self._opening():
                    events.append(self.say(label, "rep", short=True))
                self.add(("rep", i, 0), offset, *events)
                if hold > 0:
                    self.add(("rep", i, 1), offset + up, PhaseChanged("hold"),
                             *( [self.say("Hold", "rep", short=True)] if hold >= 2 else []))
                self.add(("rep", i, 2), offset + up + hold, PhaseChanged("down"),
                         *([self.say("And back", "rep", short=True)] if hold >= 2 else []))
            self.add(("done", i), start + per, RepCounted(number, step.count, side)
                     if side else RepCounted(i + 1, total, step.side))


def _stamp(event: object, due: float) -> object:
    """Give a moment's cue or sound its real due time."""
    if isinstance(event, Cue):
        return Cue(event.text, event.kind, due, due + event.expires)
    if isinstance(event, Sound):
        return Sound(event.name, due)
    return event


def _alternating_side(rep_index: int) -> str:
    return "left" if rep_index % 2 == 0 else "right"


def _rep_position(step: Step, active: float) -> tuple[int, str, float]:
    """(rep index, phase name, seconds left in the phase) for guided reps and breaths."""
    per = step.rep_seconds or 1.0
    total = step.total_reps
    index = min(int(active // per), max(total - 1, 0))
    into = active - index * per
    names = _PHASE_NAMES["breaths" if step.work is WorkKind.BREATHS else "guided"]
    edge = 0.0
    for name, seconds in zip(names, step.phases):
        if seconds <= 0:
            continue
        edge += seconds
        if into < edge - 1e-9:
            return index, name, edge - into
    return index, names[-1], 0.0
