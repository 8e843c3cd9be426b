"""Flags over time: when pain answers called for easing off, and whether that has settled.

A flag is a session flagged by its pain answers (``core.pain``: a rise of 2
points or more, 7 or more after, or pain more than light for longer than 15
minutes) or a "worse" answer to the next-day check (``core.next_day``). A flag
belongs to the calendar week of the session it is about.

A flag stays open until a later answer shows the back has settled: a session
started after it whose pain after was given and not flagged, or a next-day
answer of "better" or "the same". The end-of-phase advice does not suggest
moving on while a flag is open.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from .history import SessionRecord
from .next_day import ANSWER_WORDS, WORSE, NextDayCheck
from .pain import HIGH, LASTING, record_flag, valid
from .pain_rules import LASTING_MINUTES
from .progression import DoseHistory, ProgressionChoice
from .schedule import ProgramCalendar


@dataclass(frozen=True)
class FlagEvent:
    """One flag, for the advice, the progressions and the report."""

    day: date
    """The day of the session it is about."""
    at: datetime
    """When it was given: the session's start, or when the next-day answer came."""
    reason: str
    """``pain.RISE``, ``pain.HIGH``, ``pain.LASTING`` or ``next_day.WORSE``."""
    text: str
    """What happened, in a few plain words, to go inside a sentence."""


def _day_words(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def session_flag_text(record: SessionRecord) -> str | None:
    """A flagged session in a few words ("Wed 12 Nov: pain 3 to 6 in Foundation"); None
    when it is not flagged."""
    flag = record_flag(record)
    if flag is None:
        return None
    if flag.reason == LASTING:
        what = f"pain more than light for over {LASTING_MINUTES} minutes"
    elif flag.reason == HIGH or flag.before is None:
        what = f"pain {flag.after} of 10 after"
    else:
        what = f"pain {flag.before} to {flag.after}"
    return f"{_day_words(record.local_date)}: {what} in {record.routine_name}"


def check_text(check: NextDayCheck) -> str:
    """A next-day answer in a few words ("the day after Wed 12 Nov: worse, 5 of 10")."""
    answer = ANSWER_WORDS.get(check.answer or "", "skipped")
    pain = f", {check.pain} of 10" if valid(check.pain) is not None else ""
    return f"the day after {_day_words(check.about)}: {answer}{pain}"


def flag_events(records: Iterable[SessionRecord],
                checks: Iterable[NextDayCheck]) -> list[FlagEvent]:
    """Every flag in ``records`` and ``checks``, in the order they were given."""
    events = []
    for record in records:
        text = session_flag_text(record)
        if text is not None:
            events.append(FlagEvent(record.local_date, record.started_at,
                                    record_flag(record).reason, text))
    for check in checks:
        if check.worse:
            events.append(FlagEvent(check.about, check.answered_at, WORSE, check_text(check)))
    events.sort(key=lambda e: e.at)
    return events


def flags_by_week(calendar: ProgramCalendar,
                  events: Iterable[FlagEvent]) -> dict[int, tuple[str, ...]]:
    """Calendar week -> what was flagged in it, for ``DoseHistory.flags``."""
    out: dict[int, list[str]] = {}
    for event in events:
        out.setdefault(calendar.week(event.day), []).append(event.text)
    return {week: tuple(texts) for week, texts in out.items()}


def open_flag(records: Sequence[SessionRecord], checks: Sequence[NextDayCheck],
              since: date, until: date) -> FlagEvent | None:
    """The latest flag about a day from ``since`` to ``until`` with nothing settled after it.

    None when there is no such flag, or a later answer shows the back has
    settled (a session with pain after given and no flag, or a next-day answer
    of better or the same).
    """
    events = [e for e in flag_events(records, checks) if since <= e.day <= until]
    if not events:
        return None
    latest = events[-1]
    for record in records:
        if record.started_at > latest.at and record.local_date <= until and \
                valid(record.pain_after) is not None and record_flag(record) is None:
            return None
    for check in checks:
        if check.answered_at > latest.at and check.about <= until and check.settled:
            return None
    return latest


def dose_history(calendar: ProgramCalendar, records: Iterable[SessionRecord],
                 checks: Iterable[NextDayCheck],
                 choices: Sequence[ProgressionChoice] = ()) -> DoseHistory:
    """Everything that decides the dose actually given, for ``progression.doses_for_week``."""
    return DoseHistory(lambda week: calendar.nominal_week(week)[0],
                       flags_by_week(calendar, flag_events(records, checks)), tuple(choices))
