"""Planned versus done: day statuses, weekly adherence, streaks and a habit score.

Each day comes out as a ``day_summary.DaySummary``; each week as a ``WeekStats``.

Everything here is a pure function of the program calendar, the recorded
sessions and ``today`` (a parameter: this module never reads a clock).

Matching (see core.matching). Each planned session is matched to at most one
recorded session: of its own day first, then, for a phase session, of another
day of the same program week ("moved"). A planned session's credit is the
share of the matched session (0..1): partly done, stopped and interrupted
sessions count by the share done. A moved session's credit belongs to its
planned day. Recorded sessions that match no plan are "extra": shown, never
counted, so nothing exceeds 100 %. The words for outcomes are core.outcomes'.

Phase sessions. "Phase" figures count the program's own sessions (phase
sessions and, after the last phase, maintenance sessions), not the daily
blocks: that is what the guides' "three times a week" means.

Weeks run in blocks of seven days from the start date, as ProgramCalendar
counts them. A week's adherence is its credit over everything planned in it
(the whole week, so the current week's figure grows as the week goes on); a
week with nothing planned has no adherence and is a rest week.

Streak. Whole weeks in a row whose adherence (everything planned, daily
blocks included) met the target (80 % by default). Rest weeks and
rest days never break it. The current week never breaks it: it counts once it
already meets the target, otherwise the streak is the run of finished weeks
before it.

Habit score. In the spirit of Loop Habit Tracker: on each day with something
planned, ``score = score * m + value * (1 - m)`` where ``value`` is the day's
credit over its planned sessions and ``m = 0.5 ** (1 / HALF_LIFE_DAYS)``.
Days with nothing planned leave it unchanged, and today counts only when it
raises the score (an unfinished day is never held against anyone).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TypeVar

from .day_summary import DayStatus, DaySummary, PhaseStatus
from .history import SessionRecord
from .matching import WeekPlans, match_prepared, share_of, week_moves
from .outcomes import FULL as _FULL
from .pain import flagged as _flagged
from .records import record_class
from .schedule import ProgramCalendar

HALF_LIFE_DAYS = 14
"""Planned days after which an old day weighs half as much in the habit score.

Fourteen days is the length of the program's shortest phase and close to Loop
Habit Tracker's 13 for a daily habit. With something planned every day (the
daily blocks), a single missed day costs about 5 points of a full score, a
missed week about 30, and someone who does everything from the start reaches
50 after two weeks, 75 after four and 94 by the end of the 8-week program:
responsive enough to show a change within a phase, steady enough that one bad
day does not wipe out weeks of work. Without daily blocks only the session
days count, so the same half-life spans about four and a half weeks.
"""

DEFAULT_TARGET = 80.0
"""Weekly adherence (%) a week needs to extend the streak, as the program's advance rule."""


@record_class
class WeekStats:
    """Planned against done for one program week."""

    week: int
    """Calendar week since the start (1-based), counting repeated weeks."""
    first: date
    last: date
    program_week: int
    """The program's own week number (a repeated week keeps its number)."""
    phase_id: str | None
    """None in maintenance."""
    repeating: bool
    planned: int
    """Everything planned in the week, future days of the current week included."""
    credit: float
    adherence: float | None
    """credit / planned * 100; None for a rest week (nothing planned)."""
    phase_planned: int
    phase_credit: float
    phase_adherence: float | None
    """The same for phase (or maintenance) sessions only; None when none were planned."""
    extra: int
    """Recorded sessions that matched no plan."""
    moved: int
    """Phase sessions done on another day of the week than planned."""
    finished: bool
    """The week's last day is before today."""
    met: bool | None
    """Adherence reached the target (so far, for the current week); None for a rest week."""


@record_class
class Totals:
    """Sums over the requested days, counting only what is due (see DaySummary.due)."""

    due: int
    credit: float
    adherence: float | None
    phase_due: int
    phase_credit: float
    phase_adherence: float | None
    extra: int
    flagged: int
    """Days with a flagged session."""


@record_class
class Adherence:
    """Statistics for the days ``first``..``last``, with streak and score as of ``today``."""

    today: date
    target: float
    first: date
    last: date
    days: tuple[DaySummary, ...]
    """One per day from ``first`` to ``last``."""
    weeks: tuple[WeekStats, ...]
    """Every program week that overlaps ``first``..``last`` (whole weeks)."""
    totals: Totals
    streak: int
    """Weeks in a row that met the target, up to today."""
    best_streak: int
    """The longest such run up to today."""
    score: float
    """Habit strength today, 0..100."""
    score_series: tuple[tuple[date, float], ...]
    """(day, score 0..100) for each day from ``first`` (or the start) to ``last`` or today."""

    def day(self, day: date) -> DaySummary | None:
        index = (day - self.first).days
        return self.days[index] if 0 <= index < len(self.days) else None


def score_multiplier(half_life_days: float = HALF_LIFE_DAYS) -> float:
    """The smoothing factor m for a half-life counted in planned days."""
    return 0.5 ** (1.0 / half_life_days)


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """First and last day of a calendar month."""
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), following - timedelta(days=1)


def month_grid(year: int, month: int, first_weekday: int = 0) -> list[list[date]]:
    """A month as rows of seven dates for a calendar view, padded with the days of the
    neighbouring months (``first_weekday``: 0 = Monday, 6 = Sunday)."""
    first, last = month_bounds(year, month)
    begin = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    end = last + timedelta(days=(first_weekday + 6 - last.weekday()) % 7)
    count = (end - begin).days + 1
    days = [begin + timedelta(days=i) for i in range(count)]
    return [days[i:i + 7] for i in range(0, count, 7)]


def compute_month(calendar: ProgramCalendar, records: Iterable[SessionRecord], today: date,
                  year: int, month: int, target: float = DEFAULT_TARGET) -> Adherence:
    """``compute`` for one calendar month; look grid days up with ``Adherence.day``
    (days of the neighbouring months give None)."""
    first, last = month_bounds(year, month)
    return compute(calendar, records, today, first, last, target)


_S = TypeVar("_S", DayStatus, PhaseStatus)


def _day_status(planned: int, credit: float, started: bool, ended: bool) -> DayStatus:
    if not started:
        return DayStatus.BEFORE_START
    if planned == 0:
        return DayStatus.REST
    return _progress(DayStatus, planned, credit, ended)


def _phase_status(planned: int, credit: float, ended: bool, moved: bool) -> PhaseStatus:
    if planned == 0:
        return PhaseStatus.NONE
    if moved:
        return PhaseStatus.MOVED
    return _progress(PhaseStatus, planned, credit, ended)


def _progress(status: type[_S], planned: int, credit: float, ended: bool) -> _S:
    """DONE, PARTIAL, MISSED or UPCOMING of ``status`` (a day's or its phase session's),
    by the credit earned of ``planned`` sessions; never MISSED before the day is over."""
    if credit >= planned * _FULL:
        return status.DONE
    if credit > 0:
        return status.PARTIAL
    return status.MISSED if ended else status.UPCOMING


def _percent(credit: float, planned: int) -> float | None:
    return credit / planned * 100.0 if planned else None


def compute(calendar: ProgramCalendar, records: Iterable[SessionRecord], today: date,
            first: date | None = None, last: date | None = None,
            target: float = DEFAULT_TARGET) -> Adherence:
    """Day summaries and week statistics for ``first``..``last``; streak and score today.

    ``first`` defaults to the start date (or the earliest record, or today, if
    earlier), ``last`` to ``today``. Streak, best streak and score always look at the
    whole history up to today, whatever the window.
    """
    start = calendar.enrolment.start
    # Records indexed once by date, so each day costs only its own sessions.
    by_day: dict[date, list[SessionRecord]] = {}
    for record in records:
        found = by_day.get(record.local_date)
        if found is None:
            by_day[record.local_date] = [record]
        else:
            found.append(record)
    if first is None:
        first = min(start, today, *([min(by_day)] if by_day else []))
    if last is None:
        last = today
    if last < first:
        raise ValueError(f"last ({last}) is before first ({first})")

    first_off, last_off, today_off = ((d - start).days for d in (first, last, today))
    # Whole weeks, from the start (or first) to the end of the week holding today or last.
    last_week = max(last_off, today_off) // 7 + 1
    end_off = max(last_week * 7 - 1, last_off, today_off)
    begin_off = min(first_off, 0)
    today_week = today_off // 7 + 1

    plans_of = WeekPlans(calendar)
    weeks_n = max(last_week, 0) + 1
    w_planned = [0] * weeks_n
    w_credit = [0.0] * weeks_n
    w_phase_planned = [0] * weeks_n
    w_phase_credit = [0.0] * weeks_n
    w_extra = [0] * weeks_n
    w_moved = [0] * weeks_n

    mult = score_multiplier()
    keep = 1.0 - mult
    score = 0.0
    series: list[tuple[date, float]] = []
    summaries: list[DaySummary] = []
    t_due = t_phase_due = t_extra = t_flagged = 0
    t_credit = t_phase_credit = 0.0
    no_records: tuple[SessionRecord, ...] = ()

    no_moves: tuple = ()
    # Week by week: a phase session may be done on another day of its week, so a
    # week's days are matched together before any of them is summed up.
    week_first_off = begin_off
    while week_first_off <= end_off:
        week = week_first_off // 7 + 1
        week_last_off = min((week * 7) - 1, end_off)
        week_plans = plans_of.week(week)
        offsets = range(week_first_off, week_last_off + 1)
        days = [start + timedelta(days=o) for o in offsets]
        prepared_days = [week_plans[o % 7] for o in offsets]
        recs_of = [by_day.get(d) for d in days]
        matches = [match_prepared(prep, recs) if recs else ((-1,) * len(prep.plans), None)
                   for prep, recs in zip(prepared_days, recs_of)]
        moved_of: list[list[tuple[int, SessionRecord]]] = [[] for _ in days]
        moved_in_of: list[list[tuple[int, date]]] = [[] for _ in days]
        credits_of = [c if c is not None else [0.0] * len(p.plans)
                      for (_, c), p in zip(matches, prepared_days)]
        if week >= 1 and any(recs_of):
            for move in week_moves(prepared_days, [r or () for r in recs_of],
                                   [chosen for chosen, _ in matches]):
                record = recs_of[move.record_day][move.record]  # type: ignore[index]
                credits_of[move.plan_day][move.plan] = share_of(record)
                moved_of[move.plan_day].append((move.plan, record))
                moved_in_of[move.record_day].append((move.record, days[move.plan_day]))
        for k, offset in enumerate(offsets):
            day = days[k]
            prepared = prepared_days[k]
            plans = prepared.plans
            planned = len(plans)
            recs = recs_of[k]
            chosen = matches[k][0]
            ended = offset < today_off
            credit = phase_credit = 0.0
            started_plans = phase_started = extra = 0
            phase_planned = prepared.phase_count
            for is_phase, share in zip(prepared.phase, credits_of[k]):
                if share > 0:
                    credit += share
                    started_plans += 1
                    if is_phase:
                        phase_credit += share
                        phase_started += 1
            moved = tuple(moved_of[k]) if moved_of[k] else no_moves
            moved_in = tuple(moved_in_of[k]) if moved_in_of[k] else no_moves
            if recs:
                extra = len(recs) - len(chosen) + chosen.count(-1) - len(moved_in)
            if week >= 1:
                w_planned[week] += planned
                w_credit[week] += credit
                w_phase_planned[week] += phase_planned
                w_phase_credit[week] += phase_credit
                w_extra[week] += extra
                w_moved[week] += len(moved)
                if planned and offset <= today_off:
                    updated = score * mult + credit / planned * keep
                    # Today counts only when it helps: an unfinished day is never held
                    # against you.
                    score = updated if ended or updated > score else score
            if first_off <= offset <= last_off:
                if week >= 1 and offset <= today_off:
                    series.append((day, score * 100.0))
                due = planned if ended else started_plans
                phase_due = phase_planned if ended else phase_started
                is_flagged = any(_flagged(r) for r in recs) if recs else False
                summaries.append(DaySummary(
                    day, week, _day_status(planned, credit, week >= 1, ended), planned, credit,
                    due, _phase_status(phase_planned, phase_credit, ended, bool(moved)),
                    phase_planned, phase_credit, phase_due, plans,
                    tuple(recs) if recs else no_records, chosen, is_flagged, moved, moved_in))
                t_due += due
                t_phase_due += phase_due
                t_credit += credit  # only started sessions carry credit, and they are due
                t_phase_credit += phase_credit
                t_extra += extra
                t_flagged += is_flagged
        week_first_off = week_last_off + 1

    def meets(week: int) -> bool | None:
        planned = w_planned[week]
        if not planned:
            return None
        return w_credit[week] * 100.0 >= target * planned - 1e-9

    streak = best = 0
    for week in range(1, today_week + 1):
        met = meets(week)
        if met is None:
            continue  # rest weeks never break a streak
        if week < today_week:
            streak = streak + 1 if met else 0
        elif met:
            streak += 1  # the current week counts once it meets the target
        best = max(best, streak)

    weeks = []
    for week in range(max(1, first_off // 7 + 1), last_off // 7 + 2):
        span = calendar.span_of(week)
        nominal, repeating = calendar.nominal_week(week)
        week_first = calendar.week_start(week)
        week_last = week_first + timedelta(days=6)
        weeks.append(WeekStats(
            week, week_first, week_last, nominal, span.phase.id if span else None, repeating,
            w_planned[week], w_credit[week], _percent(w_credit[week], w_planned[week]),
            w_phase_planned[week], w_phase_credit[week],
            _percent(w_phase_credit[week], w_phase_planned[week]), w_extra[week],
            w_moved[week],
            week_last < today, meets(week)))

    totals = Totals(t_due, t_credit, _percent(t_credit, t_due), t_phase_due, t_phase_credit,
                    _percent(t_phase_credit, t_phase_due), t_extra, t_flagged)
    return Adherence(today, target, first, last, tuple(summaries), tuple(weeks), totals,
                     streak, best, score * 100.0, tuple(series))
