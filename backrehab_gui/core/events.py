"""What the session engine reports: events, in order, the results of the work, its state
and what the window shows.

Every engine command returns a list of these events; the controller turns
them into sound, speech, captions and Qt signals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum

from .timeline import Step

# --- Events --------------------------------------------------------------------


@dataclass(frozen=True)
class Cue:
    """Something to say aloud and show as a caption. Equal when the words are equal.

    The engine plans its speech ahead (core/speech_plan.py): ``due`` is when
    the plan starts the words, which may be before the moment they belong to
    (an exercise's name during the rest before it), never after. ``text`` is
    what is said, perhaps a shortened form of ``caption``; a cue with
    ``spoken`` False found no room in the plan and is only shown.
    """

    text: str
    kind: str = field(default="info", compare=False)
    due: float = field(default=0.0, compare=False)
    """When it should be spoken (engine time)."""
    expires: float = field(default=math.inf, compare=False)
    """After this it is stale and should be dropped."""
    caption: str = field(default="", compare=False)
    """The whole text, for the screen ("" means the same as ``text``)."""
    spoken: bool = field(default=True, compare=False)
    length: float = field(default=0.0, compare=False)
    """Seconds the plan expects the words to take."""
    key: tuple = field(default=(), compare=False)
    """Which cue of the session this is: the step's index, then the cue within the step."""
    at: float = field(default=0.0, compare=False)
    """The moment the cue belongs to (engine time); ``due`` is never later."""

    @property
    def shown(self) -> str:
        return self.caption or self.text


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
class VoiceStop:
    """Silence the voice now: the session paused, or the person moved to another step."""


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
         | Paused | VoiceStop | Resumed | Adjusted | ExerciseFinished | SessionFinished)


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


# --- The engine's state, and what the window shows -----------------------------------


class State(str, Enum):
    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"


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
