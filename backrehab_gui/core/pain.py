"""Pain scores around a session: when to flag them, and how they trend by week.

People rate their pain from 0 (none) to 10 (the worst imaginable) before and
after a session. A session is flagged when pain after it is 2 or more points
above pain before it, when pain after it is 7 or more, or when the person says
pain more than light lasted longer than 15 minutes during it. When one of the
two scores is missing only the other rules can apply. Pain after of 4-6
without a flag gets a softer note. A flag is a nudge to ease off (stop the
exercise that hurts, use the easier variant) and to see a professional if it
keeps happening; it is not a diagnosis. The thresholds and their sources are
in ``core.pain_rules``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta

from . import model as m
from .history import SessionRecord
from .pain_rules import (
    HIGH_PAIN,
    LASTING_MINUTES,
    MODERATE,
    PAIN_MAX,
    PAIN_MIN,
    RISE_LIMIT,
)
from .records import record_class
from .schedule import ProgramCalendar

RISE = "rise"
"""Reason code: pain went up by RISE_LIMIT points or more."""
HIGH = "high"
"""Reason code: pain after the session was HIGH_PAIN or more."""
LASTING = "lasting"
"""Reason code: pain more than light lasted longer than LASTING_MINUTES during the session."""
MODERATE_NOTE = "moderate"
"""Not a flag: pain after the session was in the MODERATE band."""

_SEEK_HELP = ("If it keeps happening, see a physiotherapist or doctor. "
              "This app cannot give medical advice.")


@record_class
class PainFlag:
    """A session whose pain scores call for easing off."""

    reason: str
    """LASTING, HIGH or RISE; when several apply, the first of these."""
    message: str
    """What to tell the person, in plain words."""
    before: int | None
    after: int | None
    """None only for a LASTING flag without a pain-after score."""


def valid(value: object) -> int | None:
    """``value`` when it is a whole number on the 0-10 scale, else None (treated as not given)."""
    # type() rather than isinstance: True is not a pain score.
    return value if type(value) is int and PAIN_MIN <= value <= PAIN_MAX else None


def check(pain_before: int | None, pain_after: int | None, lasted: bool | None = None,
          easier: Sequence[tuple[str, str]] = ()) -> PainFlag | None:
    """The flag for a session's pain answers, or None when they are fine.

    ``lasted``: the answer to "was your pain more than light for longer than 15
    minutes?" (None when not asked or skipped). ``easier``: (exercise, easier
    variant) names from the session (``easier_variants``), named in the message.
    Raises ValueError for a score outside 0-10 (the input dialog should never
    allow one); ``flagged`` on stored records ignores such values instead.
    """
    for name, value in (("pain before", pain_before), ("pain after", pain_after)):
        if value is not None and valid(value) is None:
            raise ValueError(f"{name} must be a whole number from {PAIN_MIN} to {PAIN_MAX}, "
                             f"not {value!r}")
    reason = _reason(pain_before, pain_after, lasted)
    if reason is None:
        return None
    if reason == LASTING:
        message = (f"Pain more than light for longer than {LASTING_MINUTES} minutes is a sign "
                   "to stop: do no more exercise today, and see a doctor or physiotherapist "
                   "before your next session. This app cannot give medical advice.")
    elif reason == HIGH:
        message = (f"Your pain is {pain_after} out of 10 after this session. Take it easy for "
                   "the rest of the day. Next time, stop any exercise that hurts or use its "
                   f"easier variant.{_variants(easier)} {_SEEK_HELP}")
    else:
        message = (f"Your pain went up from {pain_before} to {pain_after} during this session. "
                   "Next time, stop the exercise that hurts or use its easier variant."
                   f"{_variants(easier)} {_SEEK_HELP}")
    return PainFlag(reason, message, pain_before, pain_after)


def _reason(before: int | None, after: int | None, lasted: bool | None = None) -> str | None:
    if lasted is True:
        return LASTING
    if after is None:
        return None
    if after >= HIGH_PAIN:
        return HIGH
    if before is not None and after - before >= RISE_LIMIT:
        return RISE
    return None


def _variants(easier: Sequence[tuple[str, str]]) -> str:
    if not easier:
        return ""
    pairs = "; ".join(f"{variant} instead of {name}" for name, variant in easier)
    return f" Easier variants in this session: {pairs}."


@record_class
class PainNote:
    """What to tell the person about their pain right after a session."""

    flag: bool
    """True for a flag (it holds the next progression step); False for the softer note."""
    reason: str
    """LASTING, HIGH, RISE or MODERATE_NOTE."""
    message: str


def after_session(pain_before: int | None, pain_after: int | None, lasted: bool | None = None,
                  easier: Sequence[tuple[str, str]] = ()) -> PainNote | None:
    """The flag or the softer note for a session's pain answers; None when neither applies.

    The tiers, strongest first: a flag (``check``); pain after in the MODERATE
    band, which names the session's exercises with their easier variants; nothing.
    """
    flag = check(pain_before, pain_after, lasted, easier)
    if flag is not None:
        return PainNote(True, flag.reason, flag.message)
    if pain_after is None or not MODERATE[0] <= pain_after <= MODERATE[1]:
        return None
    if easier:
        advice = ("If one exercise brought it on, use its easier variant next time:"
                  + _variants(easier).removeprefix(" Easier variants in this session:"))
    else:
        advice = ("If one exercise brought it on, do it with fewer repetitions or a shorter "
                  "hold next time.")
    return PainNote(False, MODERATE_NOTE,
                    f"Your back is at {pain_after} out of 10 after this session: more than "
                    f"light. {advice} Some soreness that has settled by tomorrow is fine.")


def easier_variants(exercise_ids: Iterable[str],
                    exercises: Mapping[str, m.Exercise]) -> list[tuple[str, str]]:
    """(exercise name, easier variant name) for each exercise, in order, once each.

    Exercises without an easier variant in ``exercises`` are left out; of several
    variants the first (the file lists the nearest first) is named.
    """
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for exercise_id in exercise_ids:
        exercise = exercises.get(exercise_id)
        if exercise is None or exercise_id in seen:
            continue
        seen.add(exercise_id)
        variant = next((exercises[e] for e in exercise.easier if e in exercises), None)
        if variant is not None:
            out.append((exercise.name, variant.name))
    return out


def flag_reason(record: SessionRecord) -> str | None:
    """Why a stored session is flagged (as ``record_flag``), without the message; None
    when it is not."""
    return _reason(valid(record.pain_before), valid(record.pain_after),
                   record.pain_lasted is True)


def record_flag(record: SessionRecord) -> PainFlag | None:
    """The flag for a stored session; scores outside 0-10 count as not given."""
    return check(valid(record.pain_before), valid(record.pain_after),
                 record.pain_lasted is True)


def flagged(record: SessionRecord) -> bool:
    """True when the session's pain answers call for easing off (as ``record_flag``).

    Written out rather than calling ``check``: statistics call it for every
    session of years of history. A test checks it agrees with ``check``.
    """
    if record.pain_lasted is True:
        return True
    after = record.pain_after
    if type(after) is not int or not PAIN_MIN <= after <= PAIN_MAX:
        return False
    if after >= HIGH_PAIN:
        return True
    before = record.pain_before
    return (type(before) is int and PAIN_MIN <= before <= PAIN_MAX
            and after - before >= RISE_LIMIT)


@record_class
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
        if _reason(b, a, record.pain_lasted is True) is not None:
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
