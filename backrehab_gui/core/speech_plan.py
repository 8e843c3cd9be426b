"""Plan a stretch of a session's speech so that no utterance talks over another.

One voice says one thing at a time. Every cue the session wants to say is a
``Want``: its words, the moment it belongs to (``at``), how early it may start
(``earliest``; counts and countdown numbers only at their moment, an
exercise's name and key cue as early as the rest before it), and shorter
forms to fall back on. ``place()`` is given how long each form takes to say
(the length of the synthesized audio) and places the wants in rank order,
each at the latest free moment no later than its own, with a short gap
between utterances and never across a step boundary. A want that fits
nowhere is placed in a shorter form, or else shown only as a caption; none is
left out, and none is placed after its moment unless it says how late it may
come (``latest``), and then only when no form fits in time.

Pure: no clock, no audio. Times are seconds on one axis chosen by the caller
(the engine uses the active time of the current step).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

GAP = 0.15
"""Seconds of silence kept between two utterances, so each is heard on its own."""

EDGE = 1e-6

LengthOf = Callable[[str], "float | None"]


class Rank:
    """Placement order: lower ranks are placed first and keep their moment."""

    ON_TIME = 0
    """Countdown numbers, rep counts, breaths, the end: heard at their moment or not at all."""
    MOMENT = 1
    """Announcements tied to a moment: switch sides, halfway, a rest starting."""
    FLEXIBLE = 2
    """Instructions that may come a little early: the routine's own cues, names, key cues."""
    FILLER = 3
    """Said only where nothing more useful needs the time: "Get ready" near a rest's end."""


@dataclass(frozen=True)
class Want:
    """One thing the session wants to say."""

    key: tuple
    """Unique in the session; tells a cue already said from one still to say."""
    text: str
    kind: str
    at: float
    """The moment it belongs to; it is never placed later."""
    earliest: float
    """The earliest moment it may start."""
    rank: int = Rank.ON_TIME
    shorter: tuple[str, ...] = ()
    """Shorter forms, most complete first, for when the whole text does not fit."""
    latest: float | None = None
    """When it may also come after its moment (a name after the person skipped the rest
    it would have been said in): the latest start. None: never after ``at``."""

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.text, *self.shorter)


@dataclass(frozen=True)
class Placed:
    """Where a want ended up."""

    want: Want
    said: str | None
    """The words spoken (the text or a shorter form); None when only shown as a caption."""
    start: float
    """When to start speaking; for a caption-only want, when to show it (its moment)."""
    length: float
    """Seconds the spoken words take (0 for a caption)."""

    @property
    def key(self) -> tuple:
        return self.want.key

    @property
    def end(self) -> float:
        return self.start + self.length

    @property
    def status(self) -> str:
        """'spoken', 'shortened' or 'caption'."""
        if self.said is None:
            return "caption"
        return "spoken" if self.said == self.want.text else "shortened"


def estimate_seconds(text: str, words_per_minute: float = 165.0) -> float:
    """A guess at how long espeak-ng takes to say ``text``, silence trimmed.

    Used only until the real audio exists. Fitted to espeak-ng 1.51 saying the
    164 texts of the bundled routines at 165 words a minute (each letter 0.05 s,
    each pause at a full stop, comma or colon 0.43 s, each number 0.3 s more;
    within 0.45 s of the real length for all of them), and rounded up.
    """
    pauses = sum(text.count(mark) for mark in (". ", ", ", ": ", "; "))
    numbers = len(re.findall(r"\d+", text))
    seconds = 0.2 + 0.052 * len(text) + 0.45 * pauses + 0.3 * numbers
    return seconds * 165.0 / max(words_per_minute, 1.0)


def place(wants: Iterable[Want], length_of: LengthOf, *, busy: Sequence[tuple[float, float]] = (),
          bounds: Sequence[float] = (), gap: float = GAP,
          words_per_minute: float = 165.0) -> list[Placed]:
    """Place every want; returns them in the order they start.

    ``length_of(text)`` gives the seconds of synthesized audio, or None when not
    known yet (then ``estimate_seconds`` stands in). ``busy`` holds
    (start, end) spans already taken, e.g. an utterance still playing.
    ``bounds`` are step boundaries that no utterance may straddle.
    """
    taken: list[tuple[float, float]] = sorted(busy)
    placed: list[Placed] = []
    for want in sorted(wants, key=lambda w: (w.rank, w.at, w.key)):
        found = None
        lengths = []
        for text in want.forms:
            length = length_of(text)
            lengths.append(estimate_seconds(text, words_per_minute) if length is None
                           else length)
        for text, length in zip(want.forms, lengths):
            start = _latest_start(taken, want.earliest, want.at, length, gap, bounds)
            if start is not None:
                found = Placed(want, text, start, length)
                break
        if found is None and want.latest is not None:
            for text, length in zip(want.forms, lengths):
                start = _earliest_start(taken, want.at, want.latest, length, gap, bounds)
                if start is not None:
                    found = Placed(want, text, start, length)
                    break
        if found is None:
            found = Placed(want, None, want.at, 0.0)
        else:
            taken.append((found.start, found.end))
            taken.sort()
        placed.append(found)
    placed.sort(key=lambda p: (p.start, p.want.rank, p.key))
    return placed


def _latest_start(taken: Sequence[tuple[float, float]], lo: float, hi: float, length: float,
                  gap: float, bounds: Sequence[float]) -> float | None:
    """The latest start in [lo, hi] where ``length`` seconds fit between the taken spans."""
    if hi < lo - EDGE:
        return None
    # The latest feasible start is ``hi`` itself or a start that ends just
    # before something: a taken span (less the gap) or a step boundary.
    candidates = {hi}
    candidates.update(s - gap - length for s, _ in taken)
    candidates.update(b - length for b in bounds)
    for start in sorted((c for c in candidates if lo - EDGE <= c <= hi + EDGE), reverse=True):
        start = min(max(start, lo), hi)
        if _fits(taken, start, length, gap, bounds):
            return start
    return None


def _earliest_start(taken: Sequence[tuple[float, float]], lo: float, hi: float, length: float,
                    gap: float, bounds: Sequence[float]) -> float | None:
    """The earliest start in [lo, hi] where ``length`` seconds fit between the taken spans."""
    candidates = {lo}
    candidates.update(e + gap for _, e in taken)
    candidates.update(bounds)
    for start in sorted(c for c in candidates if lo - EDGE <= c <= hi + EDGE):
        start = min(max(start, lo), hi)
        if _fits(taken, start, length, gap, bounds):
            return start
    return None


def _fits(taken: Sequence[tuple[float, float]], start: float, length: float, gap: float,
          bounds: Sequence[float]) -> bool:
    end = start + length
    for s, e in taken:
        if start < e + gap - EDGE and s < end + gap - EDGE:
            return False
    return not any(start + EDGE < b < end - EDGE for b in bounds)


def overlaps(placed: Sequence[Placed], gap: float = 0.0) -> list[tuple[Placed, Placed]]:
    """Pairs of spoken utterances closer than ``gap`` to each other (none in a good plan)."""
    spoken = sorted((p for p in placed if p.said is not None), key=lambda p: p.start)
    found = []
    for i, first in enumerate(spoken):
        for second in spoken[i + 1:]:
            if second.start >= first.end + gap - EDGE:
                break
            found.append((first, second))
    return found


def first_sentence(text: str) -> str:
    """The text up to its first full stop, or the whole text when it has one sentence."""
    head = text.split(". ", 1)[0].rstrip(".")
    return head if head != text.rstrip(".") else text
