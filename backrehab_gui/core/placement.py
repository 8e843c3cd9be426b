"""Where each recorded session sits in the program: its week, its phase, and the day it
counts for when it was moved. Exports (CSV, iCalendar) and the PDF describe sessions
with this, so each says what the calendar says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from .adherence import compute
from .history import SessionRecord
from .outcomes import moved_from_text, session_text
from .schedule import ProgramCalendar


@dataclass(frozen=True)
class Place:
    program_week: int | None
    """The program's own week number (a repeated week keeps its number); None before
    the start or without a program."""
    phase: str
    """The phase's name, 'maintenance', or '' before the start or without a program."""
    counted_for: date | None
    """The planned day this session stood in for, when it was done on another day of
    that week (a moved session); None otherwise."""
    counted: bool
    """It counted for a planned session (on its day or moved); False for an extra."""

    def outcome_text(self, record: SessionRecord) -> str:
        """'done', 'stopped early · 40 %', 'done, moved from Mon 4 May'."""
        text = session_text(record.status, record.share)
        if self.counted_for is not None:
            text += f", {moved_from_text(self.counted_for)}"
        return text


def places(calendar: ProgramCalendar | None, records: Sequence[SessionRecord],
           today: date) -> dict[int, Place]:
    """Session id -> Place for each of ``records``. Pass whole program weeks of records:
    a session moved within its week is found only when its week's sessions are given."""
    if calendar is None or not records:
        return {r.id: Place(r.program_week, "", None, False) for r in records}
    first = min(r.local_date for r in records)
    last = max(r.local_date for r in records)
    stats = compute(calendar, records, max(today, first), first, last)
    out: dict[int, Place] = {}
    for summary in stats.days:
        if not summary.records:
            continue
        counted = {i for i in summary.matched if i >= 0}
        moved_in = dict(summary.moved_in)
        week, phase = None, ""
        if summary.week >= 1:
            week = calendar.nominal_week(summary.week)[0]
            span = calendar.span_of(summary.week)
            phase = span.phase.name if span else "maintenance"
        for index, record in enumerate(summary.records):
            out[record.id] = Place(week, phase, moved_in.get(index),
                                   index in counted or index in moved_in)
    return out

