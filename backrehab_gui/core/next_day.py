"""The next-day check: how the back is the day after a session.

On the day after a session day (the first launch, or before the first session
of the day, whichever comes first) the app asks how the back is compared with
before the last session: better, the same or worse, and how much it hurts now
(0-10). It asks once per session day; skipping counts as asked. "Worse" counts
as a flag (``core.setbacks``): the next progression step waits a week. Why the
next day: ``pain_rules.NEXT_DAY_WITHIN``.

A session day is a day with a phase, maintenance or extra session that got
under way (share above 0). The short daily blocks alone do not make one, so
the question does not come every single day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from .history import SessionRecord
from .pain_rules import NEXT_DAY_WITHIN
from .records import record_class

BETTER = "better"
SAME = "same"
WORSE = "worse"
ANSWERS = (BETTER, SAME, WORSE)
"""The answers, as stored."""

ANSWER_WORDS = {BETTER: "better", SAME: "the same", WORSE: "worse"}


@record_class
class NextDayCheck:
    """One answer (or skip) to the next-day check."""

    about: date
    """The session day it asks about."""
    answered_at: datetime
    """When it was answered or skipped (time-zone aware)."""
    answer: str | None
    """BETTER, SAME or WORSE; None when the person skipped the question."""
    pain: int | None = None
    """Pain now, 0-10; None when not given."""

    @property
    def worse(self) -> bool:
        return self.answer == WORSE

    @property
    def settled(self) -> bool:
        """Better or the same: the back has settled since the session."""
        return self.answer in (BETTER, SAME)


def session_day(record: SessionRecord) -> bool:
    """Whether this session makes its day a session day for the next-day check."""
    return record.kind != "daily" and record.share > 0


def due_check(records: Iterable[SessionRecord], checks: Iterable[NextDayCheck],
              today: date) -> date | None:
    """The session day to ask about today, or None.

    The latest session day before today, when it was at most NEXT_DAY_WITHIN
    days ago and has no answer (or skip) yet. Not once a session has been
    started today: the moment to compare with "before the last session" has
    passed.
    """
    last: date | None = None
    for record in records:
        day = record.local_date
        if day == today:
            return None
        if day < today and session_day(record) and (last is None or day > last):
            last = day
    if last is None or (today - last).days > NEXT_DAY_WITHIN:
        return None
    if any(check.about == last for check in checks):
        return None
    return last


def session_names(records: Sequence[SessionRecord], day: date) -> list[str]:
    """The routines done on ``day`` that make it a session day, in order, once each."""
    names: list[str] = []
    for record in records:
        if record.local_date == day and session_day(record) and \
                record.routine_name not in names:
            names.append(record.routine_name)
    return names
