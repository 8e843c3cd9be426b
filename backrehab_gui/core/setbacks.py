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

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import field
from datetime import date, datetime

from .history import SessionRecord
from .next_day import ANSWER_WORDS, WORSE, NextDayCheck
from .pain import HIGH, LASTING, flag_reason, flagged, record_flag, valid
from .pain_rules import LASTING_MINUTES
from .progression import DoseHistory, ProgressionChoice
from .records import record_class
from .schedule import ProgramCalendar


@record_class
class FlagEvent:
    """One flag, for the advice, the progressions and the report."""

    day: date
    """The day of the session it is about."""
    at: datetime
    """When it was given: the session's start, or when the next-day answer came."""
    reason: str
    """``pain.RISE``, ``pain.HIGH``, ``pain.LASTING`` or ``next_day.WORSE``."""
    source: SessionRecord | NextDayCheck = field(repr=False, compare=False)

    @property
    def text(self) -> str:
        """What happened, in a few plain words, to go inside a sentence. Worked out when
        asked: years of history have many flags, and few are ever shown."""
        if isinstance(self.source, NextDayCheck):
            return check_text(self.source)
        return session_flag_text(self.source) or ""


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
        if flagged(record):       # the quick test first: most sessions are not flagged
            events.append(FlagEvent(record.local_date, record.started_at,
                                    flag_reason(record) or "", record))
    for check in checks:
        if check.worse:
            events.append(FlagEvent(check.about, check.answered_at, WORSE, check))
    events.sort(key=lambda e: e.at)
    return events


class _WeekTexts(Mapping[int, tuple[str, ...]]):
    """Calendar week -> the texts of its flags, each worked out when first asked for."""

    def __init__(self, events: dict[int, list[FlagEvent]]) -> None:
        self._events = events
        self._texts: dict[int, tuple[str, ...]] = {}

    def __getitem__(self, week: int) -> tuple[str, ...]:
        if week not in self._texts:
            self._texts[week] = tuple(e.text for e in self._events[week])
        return self._texts[week]

    def __contains__(self, week: object) -> bool:
        return week in self._events      # without working out the texts

    def __iter__(self) -> Iterator[int]:
        return iter(self._events)

    def __len__(self) -> int:
        return len(self._events)


def flags_by_week(calendar: ProgramCalendar,
                  events: Iterable[FlagEvent]) -> Mapping[int, tuple[str, ...]]:
    """Calendar week -> what was flagged in it, for ``DoseHistory.flags``."""
    start = calendar.enrolment.start
    out: dict[int, list[FlagEvent]] = {}
    for event in events:
        out.setdefault((event.day - start).days // 7 + 1, []).append(event)
    return _WeekTexts(out)


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
