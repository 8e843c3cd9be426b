"""What happens during one step, as offsets from its start: sounds, phases, reps, and
the things the session wants to say.

``script(step, length, settings, goal)`` gives a step's ``Moment``s (sounds,
rep counts, phase changes, a goal reached: each exactly on time) and its
``Want``s (the words; core/speech_plan.py decides when each is said). Keys are
local to the step; the engine puts the step's index in front.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .events import GoalReached, PhaseChanged, RepCounted, Sound
from .speech_plan import Rank, Want, first_sentence
from .timeline import Step, StepKind, WorkKind
from .wording import plural

if TYPE_CHECKING:
    from .engine import EngineSettings

LEAD_IN = -math.inf
"""``earliest`` of a want that may be said during the step before its own (when that
step is a get-ready, rest or switch): the exercise's name and key cue."""

OPENING_LATE = 2.0
"""Seconds into its exercise that a name may still be said, when the person skipped the
rest it was planned for."""

ROUTINE_CUE_LEAD = 5.0
"""Seconds a routine's own cue may come before its moment to make room for counts."""

_PHASE_NAMES = {"guided": ("up", "hold", "down"), "breaths": ("in", "out")}


@dataclass
class Moment:
    key: tuple
    at: float
    """Seconds of active time after the step started."""
    events: tuple


@dataclass
class StepScript:
    moments: list[Moment]
    wants: list[Want]


def script(step: Step, length: float | None, settings: EngineSettings,
           goal: float | None = None) -> StepScript:
    """The moments and wants of ``step`` lasting ``length`` seconds (None: open-ended)."""
    builder = _Builder(step, length, settings, goal)
    builder.build()
    builder.moments.sort(key=lambda m: m.at)
    return StepScript(builder.moments, builder.wants)


def opening(step: Step) -> tuple[str, ...]:
    """What is said as a work step begins, and its shorter forms."""
    first_of_exercise = step.set_number == 1 and step.side in (None, "left", "alternating")
    parts: list[str] = []
    core: list[str] = []
    if first_of_exercise:
        parts.append(step.name)
        core.append(step.name)
        if step.key_cue:
            parts.append(step.key_cue.rstrip("."))
    elif step.side == "right":
        parts.append("Right side")
        core.append("Right side")
    if step.sets > 1 and step.side in (None, "left", "alternating"):
        if step.set_number == step.sets:
            parts.append("Last set")
            core.append("Last set")
        elif step.set_number > 1:
            parts.append(f"Set {step.set_number} of {step.sets}")
            core.append(f"Set {step.set_number} of {step.sets}")
    if first_of_exercise and step.side == "left":
        parts.append("Left side first")
        core.append("Left side first")
    if step.work is WorkKind.OPEN_HOLD and first_of_exercise:
        parts.append("Hold as long as you can, then press Enter")
    if step.work is WorkKind.REPS and first_of_exercise:
        what = plural(step.count, "rep") + (" each side" if step.side == "alternating" else "")
        parts.append(f"{what} at your own pace. Press Enter for each rep")
    forms = [". ".join(parts), ". ".join(core), core[0] if core else ""]
    unique: list[str] = []
    for form in forms:
        if form and form not in unique:
            unique.append(form)
    return tuple(unique)


def alternating_side(rep_index: int) -> str:
    return "left" if rep_index % 2 == 0 else "right"


def rep_position(step: Step, active: float) -> tuple[int, str, float]:
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


class _Builder:
    def __init__(self, step: Step, length: float | None, settings: EngineSettings,
                 goal: float | None) -> None:
        self.step = step
        self.length = length
        self.s = settings
        self.goal = goal
        self.moments: list[Moment] = []
        self.wants: list[Want] = []

    def add(self, key: tuple, at: float, *events: object) -> None:
        self.moments.append(Moment(key, at, tuple(events)))

    def want(self, key: tuple, text: str, kind: str, at: float, *, rank: int,
             earliest: float | None = None, shorter: tuple[str, ...] = (),
             latest: float | None = None) -> None:
        if not text.strip():
            return
        forms = tuple(f for f in dict.fromkeys(shorter) if f and f != text)
        self.wants.append(Want(key, text, kind, at, at if earliest is None else earliest,
                               rank, forms, latest))

    def build(self) -> None:
        step = self.step
        if step.kind is StepKind.PREPARE:
            name = step.next_name or ""
            self.want(("start",), f"Get ready. First: {name}", "get-ready", 0,
                      rank=Rank.MOMENT, shorter=(name, "Get ready"))
            self._countdown(spoken=True)
        elif step.kind is StepKind.REST:
            self._rest()
        elif step.kind is StepKind.SWITCH:
            self.want(("start",), "Switch sides", "switch", 0, rank=Rank.MOMENT)
            self._countdown(spoken=False)
        elif step.kind is StepKind.WORK:
            self._work()
        elif step.kind is StepKind.DONE:
            self.want(("start",), "Session complete", "complete", 0, rank=Rank.ON_TIME)

    def _rest(self) -> None:
        step, length = self.step, self.length or 0
        seconds = int(round(step.duration or 0))
        rest = f"Rest {plural(seconds, 'second')}"
        if step.before_next_exercise:
            # With little room, what comes next matters more than how long the rest is.
            name = step.next_name or ""
            self.want(("start",), f"{rest}. Next: {name}", "rest", 0, rank=Rank.MOMENT,
                      shorter=(f"Next: {name}", name, rest))
        else:
            nxt = step.set_number + 1
            label = "the last set" if nxt == step.sets else f"set {nxt} of {step.sets}"
            self.want(("start",), f"{rest}. Then {label}", "rest", 0, rank=Rank.MOMENT,
                      shorter=(rest,))
        if length >= 15:
            at = length - self.s.countdown - 3
            self.want(("get-ready",), "Get ready", "get-ready", at, rank=Rank.FILLER,
                      earliest=at - 3)
        self._countdown(spoken=True)

    def _countdown(self, *, spoken: bool) -> None:
        if self.length is None:
            return
        for k in range(self.s.countdown, 0, -1):
            at = self.length - k
            if at <= 0.5:
                continue
            self.add(("count", k), at, Sound("tick"))
            if spoken:
                self.want(("count", k), str(k), "countdown", at, rank=Rank.ON_TIME)

    def _work(self) -> None:
        step, length = self.step, self.length
        self.add(("start",), 0, Sound("start"))
        text, *shorter = opening(step)
        self.want(("opening",), text, "name", 0, rank=Rank.FLEXIBLE, earliest=LEAD_IN,
                  shorter=tuple(shorter), latest=OPENING_LATE)
        for n, cue in enumerate(step.cues):
            if length is None or cue.at < length:
                self.want(("own", n), cue.say, "routine", cue.at, rank=Rank.FLEXIBLE,
                          earliest=max(0.0, cue.at - ROUTINE_CUE_LEAD),
                          shorter=(first_sentence(cue.say),))
        work = step.work
        if work is WorkKind.HOLD or work is WorkKind.ACTIVITY:
            if length is not None and length >= self.s.halfway_min:
                self.want(("halfway",), "Halfway", "halfway", length / 2, rank=Rank.MOMENT)
            if work is WorkKind.ACTIVITY and length is not None and length >= 180:
                self.want(("minute",), "One minute left", "notice", length - 60,
                          rank=Rank.MOMENT)
            self._countdown(spoken=length is not None and
                            length >= self.s.spoken_countdown_min)
        elif work is WorkKind.OPEN_HOLD:
            if self.goal is not None:
                self.add(("goal",), self.goal, GoalReached(self.goal))
                self.want(("goal",), "Goal reached. Keep going if it feels fine", "notice",
                          self.goal, rank=Rank.MOMENT, shorter=("Goal reached",))
        elif work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
            self._reps()

    def _reps(self) -> None:
        step = self.step
        per = step.rep_seconds
        for i in range(step.total_reps):
            start = i * per
            side = alternating_side(i) if step.side == "alternating" else None
            number = i // 2 + 1 if side else i + 1
            if step.work is WorkKind.BREATHS:
                self.add(("rep", i, 0), start, PhaseChanged("in"))
                self.want(("rep", i, 0), "Breathe in" if i < 2 else "In", "rep", start,
                          rank=Rank.ON_TIME)
                self.add(("rep", i, 1), start + step.phases[0], PhaseChanged("out"))
                self.want(("rep", i, 1), "Breathe out" if i < 2 else "Out", "rep",
                          start + step.phases[0], rank=Rank.ON_TIME)
            else:
                up, hold, _down = step.phases
                self.add(("rep", i, 0), start, PhaseChanged("up"))
                self.want(("rep", i, 0), f"{number} {side}" if side else str(number), "count",
                          start, rank=Rank.ON_TIME)
                if hold > 0:
                    self.add(("rep", i, 1), start + up, PhaseChanged("hold"))
                    if hold >= 2:
                        self.want(("rep", i, 1), "Hold", "rep", start + up, rank=Rank.ON_TIME)
                self.add(("rep", i, 2), start + up + hold, PhaseChanged("down"))
                if hold >= 2:
                    self.want(("rep", i, 2), "And back", "rep", start + up + hold,
                              rank=Rank.ON_TIME)
            self.add(("done", i), start + per, RepCounted(number, step.count, side)
                     if side else RepCounted(i + 1, step.total_reps, step.side))
