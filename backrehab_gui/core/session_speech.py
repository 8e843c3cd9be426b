"""The session engine's voice: which cues were said, and the plan for the rest of the step.

The engine asks for a plan whenever the ground moves: a step starts, the
session resumes, time is added or removed, or the real lengths of the
utterances become known. A plan covers the current step and the next one
(so that the next exercise's name and key cue can be said during this rest
and its first count stays free), but only the current step's part of it is
ever said: the next step plans again when it starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .events import Cue, Event, VoiceStop
from .speech_plan import LengthOf, Placed, Rank, Want, estimate_seconds, place
from .step_cues import LEAD_IN, StepScript
from .timeline import StepKind, Timeline, WorkKind

if TYPE_CHECKING:
    from .engine import EngineSettings

ScriptOf = Callable[[int, "float | None", "float | None"], StepScript]
"""(step index, length, goal) -> that step's script."""

EPS = 1e-9


class SessionSpeech:
    def __init__(self, timeline: Timeline, settings: EngineSettings, script_of: ScriptOf,
                 lengths: LengthOf | None = None) -> None:
        self.timeline = timeline
        self.settings = settings
        self._script_of = script_of
        self._lengths = lengths
        self.said: set[tuple] = set()
        """Keys of every cue emitted, spoken or shown: none is emitted twice."""
        self.plan: list[Placed] = []
        """The current step's placed cues, in the order they start (active time)."""
        self.voice_until = 0.0
        """Engine time until which the last spoken cue is expected to be heard."""
        self._last: tuple | None = None

    # --- Planning ------------------------------------------------------------------

    def length_of(self, text: str) -> float | None:
        if self._lengths is None:
            return None
        try:
            seconds = self._lengths(text)
        except Exception:  # a length we cannot read is one we guess
            return None
        return seconds if seconds is not None and 0 <= seconds < 600 else None

    def replan(self, index: int, length: float | None, goal: float | None, active: float,
               *, busy_for: float = 0.0, late_names: bool = False) -> None:
        """Plan from ``active`` seconds into step ``index`` (``length`` long, None if open).

        ``busy_for``: seconds the voice is still speaking from before (nothing may
        start over it). ``late_names``: the person skipped to this step, so its
        exercise's name had no rest to be said in: it may come just after the start.
        """
        steps = self.timeline.steps
        step = steps[index]
        wants = [self._global(index, w, 0.0, active, late=late_names) for w in
                 self._script_of(index, length, goal).wants]
        bounds: list[float] = []
        if length is not None and index + 1 < len(steps):
            bounds.append(length)
            nxt = steps[index + 1]
            # The next exercise's name may be said during a get-ready, rest or switch,
            # never over the end of other work.
            lead_in = step.kind is not StepKind.WORK
            floor = active if lead_in else length
            wants += [self._global(index + 1, w, length, floor)
                      for w in self._script_of(index + 1, nxt.duration, nxt.goal).wants]
            if nxt.duration is not None:
                bounds.append(length + nxt.duration)
        wants = [w for w in wants if w.key not in self.said and
                 max(w.at, w.latest or w.at) >= active - EPS]
        busy = [(active, active + busy_for)] if busy_for > EPS else []
        placed = place(wants, self.length_of, busy=busy, bounds=bounds,
                       words_per_minute=self.settings.speech_wpm)
        end = length if length is not None else float("inf")
        # What falls in the next step is planned again when it starts.
        self.plan = [p for p in placed if p.start < end - EPS]

    def _global(self, index: int, want: Want, offset: float, floor: float, *,
                late: bool = False) -> Want:
        earliest = floor if want.earliest == LEAD_IN else max(want.earliest + offset, floor)
        latest = want.latest + offset if late and want.latest is not None else None
        return Want((index, *want.key), want.text, want.kind, want.at + offset,
                    min(earliest, want.at + offset), want.rank, want.shorter, latest)

    # --- Saying --------------------------------------------------------------------

    def due(self, active: float, anchor: float) -> list[Cue]:
        """The planned cues whose time has come, marked as said."""
        cues = []
        for p in self.plan:
            if p.key in self.said or p.start > active + EPS:
                continue
            self.said.add(p.key)
            cues.append(self._cue(p, anchor))
        return cues

    def next_start(self, active: float) -> float | None:
        """Active time of the next planned cue still to come."""
        ahead = [p.start for p in self.plan if p.key not in self.said and p.start > active + EPS]
        return min(ahead) if ahead else None

    def now(self, key: tuple, text: str, kind: str, now: float) -> Cue:
        """A cue said at once, outside the plan: a self-paced count, a resume, the end."""
        self.said.add(key)
        length = self.length_of(text)
        if length is None:
            length = estimate_seconds(text, self.settings.speech_wpm)
        placed = Placed(Want(key, text, kind, 0.0, 0.0, Rank.ON_TIME), text, 0.0, length)
        return self._cue(placed, now)

    def _cue(self, p: Placed, anchor: float) -> Cue:
        due = anchor + p.start
        s = self.settings
        life = s.short_cue_life if p.want.rank == Rank.ON_TIME else s.long_cue_life
        if p.said is not None:
            self.voice_until = due + p.length
            self._last = p.key
        return Cue(p.said or p.want.text, p.want.kind, due, due + life, caption=p.want.text,
                   spoken=p.said is not None, length=p.length, key=p.key,
                   at=anchor + p.want.at)

    def silence(self, now: float, *, again: bool = False) -> list[Event]:
        """Stop the voice if it may still be speaking. With ``again``, a cue cut
        short will be planned again if its moment has not passed."""
        if self.voice_until <= now + EPS:
            return []
        if again and self._last is not None:
            self.said.discard(self._last)
        self.voice_until = now
        return [VoiceStop()]

    def forget(self, keys: Callable[[tuple], bool]) -> None:
        """Let cues be said again (going back to a step; a countdown moved by +/-)."""
        self.said = {k for k in self.said if not keys(k)}

    def texts(self, *, first: bool = False, start: int = 0) -> list[str]:
        """Every text the session may say from step ``start`` on, each once, in the order
        first needed. With ``first``, only what step ``start`` may say (the next
        exercise's name included)."""
        seen: dict[str, None] = {}
        steps = self.timeline.steps
        for index in range(start, len(steps)):
            step = steps[index]
            for want in self._script_of(index, step.duration, step.goal).wants:
                if first and index > start and (index > start + 1 or
                                                want.earliest != LEAD_IN):
                    continue
                seen.update(dict.fromkeys(want.forms))
            if first and index >= start + 1:
                return list(seen)
            if step.kind is StepKind.WORK and step.work is WorkKind.REPS:
                seen.update(dict.fromkeys(str(n) for n in range(1, step.total_reps + 1)))
        seen.setdefault("Get ready")
        return list(seen)
