"""Which recorded session counts for which planned one: on its day, then within its week.

Day by day. Each day, every planned session is matched to at most one
recorded session of that day with the same routine id, the largest share
first; a planned daily block that is still unmatched may then take a recorded
session of the same block (another routine done as the morning block counts
as the morning block).

Within the week. A phase (or maintenance) session is planned on a weekday,
but "three times a week" means three sessions in that program week: a phase
session still unmatched after the day-by-day pass takes an unmatched
recorded session of the same routine done on another day of the same
program week (the nearest day first, then the largest share). It is then
"moved": shown as moved on its planned day and as done on the day it was
done, never as missed plus extra. Daily blocks are planned every day, so
they never move. A session of a different routine, or from another program
week, is never moved in: it stays extra.

A planned session's credit is the share of the session that counts for it
(0..1). Nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import NamedTuple

from .history import SessionRecord
from .schedule import PlannedSession, ProgramCalendar

PHASE_KINDS = ("phase", "maintenance")
"""Planned kinds counted as the program's own sessions (as opposed to daily blocks)."""


class PreparedDay(NamedTuple):
    """A day's planned sessions, prepared once for matching."""

    plans: tuple[PlannedSession, ...]
    phase: tuple[bool, ...]
    """For each plan, whether it is a phase (or maintenance) session."""
    phase_count: int
    by_routine: dict[str, int] | None
    """Routine id -> plan index; None when two plans share a routine id."""
    has_blocks: bool


def prepare(plans: tuple[PlannedSession, ...]) -> PreparedDay:
    phase = tuple(p.kind in PHASE_KINDS for p in plans)
    by_routine = {p.routine_id: i for i, p in enumerate(plans)}
    return PreparedDay(plans, phase, sum(phase),
                       by_routine if len(by_routine) == len(plans) else None,
                       any(p.kind == "daily" and p.block is not None for p in plans))


NOTHING = prepare(())


class WeekPlans:
    """Planned sessions for each day, asking the calendar once per phase and weekday.

    ProgramCalendar plans the same sessions on the same weekday throughout a
    phase span (and throughout maintenance); asking it for every day of ten
    years costs about 50 ms, asking once per span costs almost nothing. A
    test checks this shortcut against ``ProgramCalendar.day`` day by day.
    """

    def __init__(self, calendar: ProgramCalendar) -> None:
        self._calendar = calendar
        self._by_span: dict[int | None, tuple[PreparedDay, ...]] = {}

    def week(self, week: int) -> tuple[PreparedDay, ...]:
        """The seven days of a calendar week, from its first day."""
        if week < 1:
            return (NOTHING,) * 7
        span = self._calendar.span_of(week)
        key = span.first if span is not None else None
        days = self._by_span.get(key)
        if days is None:
            begin = self._calendar.week_start(week)
            days = tuple(prepare(self._calendar.day(begin + timedelta(days=i)).sessions)
                         for i in range(7))
            self._by_span[key] = days
        return days


def share_of(record: SessionRecord) -> float:
    share = record.share
    if not share > 0:  # also NaN
        return 0.0
    return 1.0 if share > 1.0 else float(share)


def match_day(plans: tuple[PlannedSession, ...],
              records: tuple[SessionRecord, ...] | list[SessionRecord]) -> tuple[int, ...]:
    """For each plan, the index in ``records`` of the session that counts for it (-1: none).

    Routine ids first, the largest share first (the earlier session on a tie);
    then daily blocks still unmatched take a remaining session of the same
    block, again the largest share first. Each session counts for one plan at most.
    """
    return match_prepared(prepare(plans), records)[0]


def match_prepared(day: PreparedDay, records: tuple[SessionRecord, ...] | list[SessionRecord]
                   ) -> tuple[tuple[int, ...], list[float]]:
    """match_day's choice, and the credit of each plan."""
    plans = day.plans
    chosen = [-1] * len(plans)
    if not records:
        return tuple(chosen), [0.0] * len(plans)
    if day.by_routine is not None:
        # Distinct routine ids (the usual day): one pass over the records.
        best = [-1.0] * len(plans)
        find = day.by_routine.get
        for j, record in enumerate(records):
            i = find(record.routine_id)
            if i is not None:
                share = share_of(record)
                if share > best[i]:
                    chosen[i], best[i] = j, share
        credits = best
        shares = used = None
    else:
        shares = [share_of(r) for r in records]
        used = [False] * len(records)
        for i, plan in enumerate(plans):
            chosen[i] = _best(records, shares, used, "routine_id", plan.routine_id)
        credits = [shares[j] if j >= 0 else -1.0 for j in chosen]
    unmatched = chosen.count(-1)
    if day.has_blocks and unmatched and len(records) > len(plans) - unmatched:
        if shares is None or used is None:
            shares = [share_of(r) for r in records]
            used = [False] * len(records)
            for j in chosen:
                if j >= 0:
                    used[j] = True
        for i, plan in enumerate(plans):
            if chosen[i] < 0 and plan.kind == "daily" and plan.block is not None:
                chosen[i] = j = _best(records, shares, used, "block", plan.block.value)
                if j >= 0:
                    credits[i] = shares[j]
    return tuple(chosen), [c if c > 0 else 0.0 for c in credits]


def _best(records: tuple[SessionRecord, ...] | list[SessionRecord], shares: list[float],
          used: list[bool], attribute: str, key: str) -> int:
    """The unused record with ``attribute == key`` and the largest share; marks it used."""
    best, best_share = -1, -1.0
    for j, record in enumerate(records):
        if not used[j] and shares[j] > best_share and getattr(record, attribute) == key:
            best, best_share = j, shares[j]
    if best >= 0:
        used[best] = True
    return best


class Move(NamedTuple):
    """A phase session planned on one day of a week and done on another."""

    plan_day: int
    """The planned day, 0..6 within the week."""
    plan: int
    """Index of the plan in that day's plans."""
    record_day: int
    record: int
    """Index of the record in that day's records."""


def week_moves(days: Sequence[PreparedDay], records: Sequence[Sequence[SessionRecord]],
               chosen: Sequence[Sequence[int]]) -> list[Move]:
    """Phase sessions of one program week done on another day of that week.

    ``days``, ``records`` and ``chosen`` hold the week's seven days in order: the
    prepared plans, the recorded sessions, and the day-by-day matches (see
    ``match_prepared``). Each unmatched phase plan, in day order, takes the unused record
    of its routine (with some work done) nearest to its day, the earlier day on a
    tie, then the largest share.
    """
    wanted = [(d, i) for d, day in enumerate(days) if day.phase_count
              for i, is_phase in enumerate(day.phase) if is_phase and chosen[d][i] < 0]
    if not wanted:
        return []
    routines = {days[d].plans[i].routine_id for d, i in wanted}
    free: list[tuple[int, int, float, str]] = []
    for d, recs in enumerate(records):
        if not recs:
            continue
        used = set(chosen[d])
        for j, record in enumerate(recs):
            if j not in used and record.routine_id in routines:
                share = share_of(record)
                if share > 0:
                    free.append((d, j, share, record.routine_id))
    moves: list[Move] = []
    for d, i in wanted:
        if not free:
            break
        routine = days[d].plans[i].routine_id
        best, best_key = -1, None
        for k, (rd, _j, share, rid) in enumerate(free):
            if rid == routine:
                key = (abs(rd - d), rd, -share)
                if best_key is None or key < best_key:
                    best, best_key = k, key
        if best >= 0:
            rd, j, _share_, _rid = free.pop(best)
            moves.append(Move(d, i, rd, j))
    return moves
