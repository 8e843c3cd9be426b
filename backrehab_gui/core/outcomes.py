"""The words for how a session, a planned session or a day went: defined once, used everywhere.

Today, History, the calendar, the CSV, the iCalendar file and the PDF report
all describe outcomes with these words and these rules, so one session never
reads "completed" in one place and "partial" in another. The rules are
written out in ``DEFINITIONS`` (the PDF prints them) and in docs/adherence.md.
"""

from __future__ import annotations

from datetime import date
from enum import Enum

FULL = 1.0 - 1e-9
"""A share at or above this counts as all of it (shares are floats)."""


class Outcome(str, Enum):
    """How something went. The value is the word shown to people."""

    DONE = "done"
    PARTLY_DONE = "partly done"
    STOPPED_EARLY = "stopped early"
    INTERRUPTED = "interrupted"
    MISSED = "missed"
    MOVED = "moved"
    REST = "rest"
    UPCOMING = "upcoming"
    IN_PROGRESS = "in progress"

    @property
    def word(self) -> str:
        return self.value

    @property
    def symbol(self) -> str:
        return SYMBOLS[self]

    @property
    def text(self) -> str:
        """The symbol and the word, e.g. '✓ done'."""
        return f"{SYMBOLS[self]} {self.value}"


SYMBOLS: dict[Outcome, str] = {
    Outcome.DONE: "\u2713",
    Outcome.PARTLY_DONE: "\u25d1",
    Outcome.STOPPED_EARLY: "\u25d1",
    Outcome.INTERRUPTED: "\u25d1",
    Outcome.MISSED: "\u2717",
    Outcome.MOVED: "\u2192",
    Outcome.REST: "\u2013",
    Outcome.UPCOMING: "\u25cb",
    Outcome.IN_PROGRESS: "\u25cb",
}
"""Never colour alone: each outcome also has a symbol (plain text, printable)."""

DEFINITIONS: tuple[tuple[Outcome, str], ...] = (
    (Outcome.DONE, "A session that ran to its end with every exercise done; a day whose "
                   "planned sessions were all done."),
    (Outcome.PARTLY_DONE, "A session that ran to its end with some exercises skipped or cut "
                          "short; a day with some, not all, of its plan done. It counts by "
                          "the share done."),
    (Outcome.STOPPED_EARLY, "A session the person ended before its end. It counts by the "
                            "share done."),
    (Outcome.INTERRUPTED, "A session cut short by the app or the computer stopping (a crash, "
                          "a power cut). It counts by the share recorded."),
    (Outcome.MISSED, "Something was planned, nothing was done, and the day is over."),
    (Outcome.MOVED, "A phase session done on another day of the same program week: shown "
                    "as moved on its planned day, and counted in full for that week."),
    (Outcome.REST, "Nothing was planned that day."),
    (Outcome.UPCOMING, "Planned for today or later, nothing done yet. Today is never missed."),
)
"""Each outcome's rule in one sentence (the PDF report prints these)."""


def session_outcome(status: str, share: float) -> Outcome:
    """A recorded session's outcome from its stored status and share."""
    if status == "completed":
        return Outcome.DONE if share >= FULL else Outcome.PARTLY_DONE
    if status == "stopped":
        return Outcome.STOPPED_EARLY
    if status == "interrupted":
        return Outcome.INTERRUPTED
    return Outcome.IN_PROGRESS


def share_text(share: float) -> str:
    """'72 %' (rounded down from 99.5 %, so nothing unfinished reads 100 %)."""
    percent = round(max(0.0, min(1.0, share)) * 100)
    if percent == 100 and share < FULL:
        percent = 99
    return f"{percent} %"


def session_text(status: str, share: float, *, symbol: bool = False) -> str:
    """'done', 'partly done · 72 %', 'stopped early · 40 %'..."""
    outcome = session_outcome(status, share)
    word = outcome.text if symbol else outcome.word
    if outcome is Outcome.DONE:
        return word
    return f"{word} \u00b7 {share_text(share)}"


def moved_text(to: date) -> str:
    """'moved to Tue 14 Apr' for a planned session done on another day."""
    return f"moved to {to:%a} {to.day} {to:%b}"


def moved_from_text(planned: date) -> str:
    """'moved from Mon 13 Apr': the same session, seen from the day it was done."""
    return f"moved from {planned:%a} {planned.day} {planned:%b}"
