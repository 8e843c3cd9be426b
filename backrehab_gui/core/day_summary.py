"""One day planned against done, as the calendars show it: its status, each planned
session with the session that counts for it (on the day, or moved within its
week), its credit, and the pain given.

``adherence.compute`` makes one ``DaySummary`` a day; the words for statuses are
``core.outcomes``'.
"""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import NamedTuple

from . import model as m
from .history import SessionRecord
from .matching import share_of
from .outcomes import FULL as _FULL
from .outcomes import Outcome
from .pain import valid as _valid_pain
from .schedule import PlannedSession


class DayStatus(str, Enum):
    """How a day went, as a calendar shows it."""

    DONE = "done"
    """Everything planned was done in full."""
    PARTIAL = "partial"
    """Some credit, not all."""
    MISSED = "missed"
    """Something was planned, nothing was done, and the day is over."""
    REST = "rest"
    """Nothing planned (from the start date on)."""
    UPCOMING = "upcoming"
    """Today or later, nothing done yet. Today is never 'missed'."""
    BEFORE_START = "before-start"
    """Before the enrolment's start date."""

    @property
    def outcome(self) -> Outcome | None:
        """The shared word for this status (None before the start)."""
        return _DAY_OUTCOMES.get(self)


class PhaseStatus(str, Enum):
    """How a day's phase (or maintenance) session went."""

    DONE = "done"
    PARTIAL = "partial"
    MISSED = "missed"
    MOVED = "moved"
    """Done on another day of the same program week (see core.matching)."""
    NONE = "none"
    """No phase session planned that day."""
    UPCOMING = "upcoming"


_DAY_OUTCOMES = {DayStatus.DONE: Outcome.DONE, DayStatus.PARTIAL: Outcome.PARTLY_DONE,
                 DayStatus.MISSED: Outcome.MISSED, DayStatus.REST: Outcome.REST,
                 DayStatus.UPCOMING: Outcome.UPCOMING}


# Match and DaySummary are named tuples rather than frozen dataclasses: the
# history view builds one per day for years of history, and a frozen
# dataclass takes about four times as long to create.


class Match(NamedTuple):
    """One planned session and what was done for it."""

    planned: PlannedSession
    record: SessionRecord | None
    """The recorded session that counts for it; None when nothing matched."""
    credit: float
    """The matched session's share, 0..1; 0 when nothing matched."""
    moved_to: date | None = None
    """The day it was done when that is another day of the week (a moved session)."""

    @property
    def done(self) -> bool:
        return self.credit >= _FULL


class DaySummary(NamedTuple):
    """One day: what was planned, what was done, and how it felt."""

    day: date
    week: int
    """Calendar week since the start, as ProgramCalendar counts it; 0 or less before it."""
    status: DayStatus
    planned: int
    """Planned sessions, daily blocks included."""
    credit: float
    """Sum of the planned sessions' credits, 0..planned."""
    due: int
    """Planned sessions that count towards totals so far: all of them once the day is
    over; today (or later) only those already started."""
    phase_status: PhaseStatus
    phase_planned: int
    phase_credit: float
    phase_due: int
    plans: tuple[PlannedSession, ...]
    """The day's planned sessions, in the calendar's order."""
    records: tuple[SessionRecord, ...]
    """Every session recorded that day."""
    matched: tuple[int, ...]
    """For each plan, the index in ``records`` of the session that counts for it, or -1."""
    flagged: bool
    """Some session that day was flagged by the pain rules (see core.pain)."""
    moved: tuple[tuple[int, SessionRecord], ...] = ()
    """(plan index, record) for each plan done on another day of its week."""
    moved_in: tuple[tuple[int, date], ...] = ()
    """(index in ``records``, planned day) for each session done here for another day."""

    @property
    def value(self) -> float | None:
        """Credit over planned, 0..1; None on a day with nothing planned."""
        return self.credit / self.planned if self.planned else None

    @property
    def sessions(self) -> tuple[Match, ...]:
        """Each planned session with its match."""
        moved = dict(self.moved)
        out = []
        for index, (plan, i) in enumerate(zip(self.plans, self.matched)):
            if i >= 0:
                out.append(Match(plan, self.records[i], share_of(self.records[i])))
            elif index in moved:
                record = moved[index]
                out.append(Match(plan, record, share_of(record), record.local_date))
            else:
                out.append(Match(plan, None, 0.0))
        return tuple(out)

    @property
    def extra(self) -> tuple[SessionRecord, ...]:
        """Recorded sessions that matched no plan: shown, never counted."""
        used = set(self.matched)
        used.update(i for i, _ in self.moved_in)
        return tuple(r for i, r in enumerate(self.records) if i not in used)

    @property
    def outcome(self) -> Outcome | None:
        """The day in the shared words: "moved" when a planned session was done on another
        day of its week, "done" on a rest day when a moved session was done on it, else
        the status's word (None before the start)."""
        if self.moved:
            return Outcome.MOVED
        if self.moved_in and self.status is DayStatus.REST:
            return Outcome.DONE
        return self.status.outcome

    def planned_day_of(self, index: int) -> date | None:
        """For the record at ``index``: the other day it was done for (moved), or None."""
        return next((d for i, d in self.moved_in if i == index), None)

    @property
    def blocks(self) -> dict[m.Block, float]:
        """Credit of each planned daily block."""
        return {s.planned.block: s.credit for s in self.sessions
                if s.planned.kind == "daily" and s.planned.block is not None}

    @property
    def pain_before(self) -> tuple[int, ...]:
        """Pain before each of the day's sessions where given, extras included."""
        return tuple(v for v in (_valid_pain(r.pain_before) for r in self.records)
                     if v is not None)

    @property
    def pain_after(self) -> tuple[int, ...]:
        """Pain after each of the day's sessions where given, extras included."""
        return tuple(v for v in (_valid_pain(r.pain_after) for r in self.records)
                     if v is not None)
