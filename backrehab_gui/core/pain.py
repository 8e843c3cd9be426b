"""Pain scores around a session: when to flag them, and how they trend by week.

People rate their pain from 0 (none) to 10 (the worst imaginable) before and
after a session. A session is flagged when pain after it is 2 or more points
above pain before it, or when pain after it is 7 or more. When one of the two
scores is missing only the "7 or more after" rule can apply. A flag is a nudge
to ease off (stop the exercise that hurts, use the easier variant) and to see
a professional if it keeps happening; it is not a diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from .history import SessionRecord
from .schedule import ProgramCalendar

PAIN_MIN = 0
PAIN_MAX = 10
RISE_LIMIT = 2
"""Points of pain gained during a session that flag it."""
HIGH_PAIN = 7
"""Pain after a session at or above this flags it, whatever it was before."""

RISE = "rise"
"""Reason code: pain went up by RISE_LIMIT points or more."""
HIGH = "high"
"""Reason code: pain after the session was HIGH_PAIN or more."""

_SEEK_HELP = ("If it keeps happening, see a physiotherapist or doctor. "
              "This app cannot give medical advice.")


@dataclass(frozen=True)
class PainFlag:
    """A session whose pain scores call for easing off."""

    reason: str
    """RISE or HIGH. When both apply, HIGH."""
    message: str
    """What to tell the person, in plain words."""
    before: int | None
    after: int


def valid(value: object) -> int | None:
    """``value`` when it is a whole number on the 0-10 scale, else None (treated as not given)."""
    # type() rather than isinstance: True is not a pain score.
    return value if type(value) is int and PAIN_MIN <= value <= PAIN_MAX else None


def check(pain_before: int | None, pain_after: int | None) -> PainFlag | None:
    """The flag for a session's pain scores, or None when they are fine.

    Raises ValueError for a score outside 0-10 (the input dialog should never
    allow one); ``flagged`` on stored records ignores such values instead.
    """
    for name, value in (("pain before", pain_before), ("pain after", pain_after)):
        if value is not None and valid(value) is None:
            raise ValueError(f"{name} must be a whole number from {PAIN_MIN} to {PAIN_MAX}, "
                             f"not {value!r}")
    reason = _reason(pain_before, pain_after)
    if reason is None or pain_after is None:
        return None
    if reason == HIGH:
        message = (f"Your pain is {pain_after} out of 10 after this session. Take it easy for "
                   "the rest of the day. Next time, stop any exercise that hurts or use its "
                   f"easier variant. {_SEEK_HELP}")
    else:
        message = (f"Your pain went up from {pain_before} to {pain_after} during this session. "
                   "Next time, stop the exercise that hurts or use its easier variant. "
                   f"{_SEEK_HELP}")
    return PainFlag(reason, message, pain_before, pain_after)


def _reason(before: int | None, after: int | None) -> str | None:
    if after is None:
        return None
    if after >= HIGH_PAIN:
        return HIGH
    if before is not None and after - before >= RISE_LIMIT:
        return RISE
    return None


def record_flag(record: SessionRecord) -> PainFlag | None:
    """The flag for a stored session; scores outside 0-10 count as not given."""
    return check(valid(record.pain_before), valid(record.pain_after))


def flagged(record: SessionRecord) -> bool:
    """True when the session's pain scores call for easing off (as ``record_flag``).

    Written out rather than calling ``check``: statistics call it for every
    session of years of history. A test checks it agrees with ``check``.
    """
    after = record.pain_after
    if type(after) is not int or not PAIN_MIN <= after <= PAIN_MAX:
        return False
    if after >= HIGH_PAIN:
        return True
    before = record.pain_before
    return (type(before) is int and PAIN_MIN <= before <= PAIN_MAX
            and after - before >= RISE_LIMIT)


@dataclass(frozen=True)
class WeekPain:
    """Mean pain before and after the sessions of one program week."""

    week: int
    """Calendar week since the start (1-based), as ProgramCalendar counts it."""
    first: date
    """The week's first day."""
    before: float | None
    """Mean pain before sessions; None when none was recorded."""
    after: float | None
    """Mean pain after sessions; None when none was recorded."""
    rated: int
    """Sessions with at least one pain score."""
    flagged: int
    """Sessions flagged by ``check``."""


def weekly_pain(calendar: ProgramCalendar, records: Iterable[SessionRecord],
                first_week: int = 1, last_week: int | None = None) -> tuple[WeekPain, ...]:
    """Pain per program week from ``first_week`` to ``last_week``, for charts and reports.

    Every recorded session counts (phase, daily and extra alike). ``last_week``
    defaults to the latest week with a recorded session; weeks without scores
    are included with None means so a chart shows the gap.
    """
    start = calendar.enrolment.start
    # Per week: [sum before, count before, sum after, count after, rated, flagged].
    sums: dict[int, list[int]] = {}
    week_of: dict[date, int] = {}
    for record in records:
        day = record.local_date
        week = week_of.get(day)
        if week is None:
            week = week_of[day] = (day - start).days // 7 + 1
        row = sums.get(week)
        if row is None:
            row = sums[week] = [0, 0, 0, 0, 0, 0]
        b, a = valid(record.pain_before), valid(record.pain_after)
        if b is not None:
            row[0] += b
            row[1] += 1
        if a is not None:
            row[2] += a
            row[3] += 1
            if _reason(b, a) is not None:
                row[5] += 1
        if b is not None or a is not None:
            row[4] += 1
    if last_week is None:
        if not sums:
            return ()
        last_week = max(sums)
    empty = [0, 0, 0, 0, 0, 0]
    out = []
    for week in range(first_week, last_week + 1):
        row = sums.get(week, empty)
        out.append(WeekPain(week, start + timedelta(days=(week - 1) * 7),
                            row[0] / row[1] if row[1] else None,
                            row[2] / row[3] if row[3] else None, row[4], row[5]))
    return tuple(out)
