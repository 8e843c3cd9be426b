"""At the end of a phase: suggest moving on, or repeating a week. The person decides.

The suggestion follows the phase's ``advance`` rule in the program file:

- Adherence: the share of the phase's own sessions (not the daily blocks) done
  in the phase, counted by share as in core.adherence, up to today (today
  counts only for what has been started). The first time, the whole phase is
  judged; after a repeat, only the repeated weeks, so one bad early week is
  not held against someone for ever.
- Pain not rising (when the phase asks for it): the mean pain after sessions in
  the phase's last week (or the current week, if the phase is not over yet) is
  less than ``pain_rules.MEAN_RISE`` above the mean in its first week, and no
  session in that last week was flagged and no next-day answer about it was
  "worse" (see core.pain, core.next_day). Every recorded session counts, daily
  blocks included.
- No open flag: the latest flag in the phase has been followed by an answer
  showing the back has settled (core.setbacks).
- Enough pain answers: without ``pain_rules.MIN_RATED_SESSIONS`` sessions with a
  pain-after score, one of them in the first week and one in the last, the
  advice cannot tell whether pain is rising; it says so instead of suggesting
  to move on.

The thresholds and their sources are in core.pain_rules. This module never
stores a decision. Choosing to repeat is recorded as a repeat in the
Enrolment, which moves the end of the phase, so the question comes again at
the end of the repeated week; choosing to move on is recorded elsewhere and
passed to ``due_advice`` as a decided phase id.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from datetime import date, timedelta

from . import model as m
from .adherence import compute
from .history import SessionRecord
from .next_day import NextDayCheck
from .pain import valid, weekly_pain
from .pain_rules import MEAN_RISE, MIN_RATED_SESSIONS
from .records import record_class
from .schedule import ProgramCalendar
from .setbacks import open_flag
from .wording import form, plural

PAIN_RISE = MEAN_RISE
"""Points of mean pain after sessions, last week against first, that count as rising."""

ADHERENCE = "adherence"
PAIN = "pain"
FLAG = "flag"
"""Unmet: a flag in the phase is still open (nothing since shows the back settled)."""
UNKNOWN = "pain-unknown"
"""Unmet: too few pain answers to tell whether pain is rising."""


@record_class
class Advice:
    """A suggestion at the end of a phase, with the figures behind it."""

    phase_id: str
    phase_name: str
    next_name: str | None
    """The next phase's name, 'maintenance', or None when nothing follows."""
    move_on: bool
    """True: suggest moving on. False: suggest repeating a week."""
    unmet: tuple[str, ...]
    """Which conditions were not met: ADHERENCE and/or PAIN."""
    adherence: float | None
    """Phase sessions done over phase sessions due, in %; None when none were due."""
    target: int
    """The phase's ``advance.adherence``."""
    judged_weeks: tuple[int, int]
    """Calendar weeks the adherence covers (the whole phase, or the latest repeat)."""
    pain_first_week: float | None
    """Mean pain after sessions in the phase's first week; None when none was recorded."""
    pain_last_week: float | None
    flagged_last_week: int
    """Sessions flagged by the pain rules in the phase's last week (so far)."""
    pain_rising: bool
    pain_required: bool
    """The phase's ``advance.pain_not_rising``: whether rising pain holds someone back."""
    message: str
    """The suggestion in plain words."""
    worse_last_week: int = 0
    """Next-day answers of "worse" about sessions in the phase's last week (so far)."""
    open_flag: str | None = None
    """The open flag in plain words, or None."""
    rated: int = 0
    """Sessions in the phase (so far) with a pain-after score."""
    lacks_pain: bool = False
    """Too few pain answers to tell whether pain is rising (MIN_RATED_SESSIONS)."""


def phase_advice(calendar: ProgramCalendar, records: Iterable[SessionRecord], phase_id: str,
                 today: date, checks: Iterable[NextDayCheck] = ()) -> Advice:
    """Whether to suggest moving on from ``phase_id``, judged on what was recorded up to today.

    ``checks``: the next-day answers. Raises KeyError for a phase the program
    does not have.
    """
    span = calendar.phase_span(phase_id)
    if span is None:
        raise KeyError(f"the program has no phase '{phase_id}'")
    records = records if isinstance(records, Sequence) else list(records)
    phases = calendar.program.phases
    index = next(i for i, p in enumerate(phases) if p.id == phase_id)
    phase = phases[index]
    next_name = _next_name(calendar.program, index)
    first_week, last_week = span

    repeats = [weeks for pid, weeks in calendar.enrolment.repeats if pid == phase_id and weeks > 0]
    judged = (max(first_week, last_week - repeats[-1] + 1), last_week) if repeats else span
    adherence = None
    if calendar.week(today) >= judged[0]:
        stats = compute(calendar, records, today, calendar.week_start(judged[0]),
                        calendar.week_start(judged[1]) + timedelta(days=6))
        adherence = stats.totals.phase_adherence

    pain_last = max(first_week, min(last_week, calendar.week(today)))
    weeks = weekly_pain(calendar, records, first_week, pain_last)
    first_after, last_after = weeks[0].after, weeks[-1].after
    flagged = weeks[-1].flagged
    checks = list(checks)
    last_days = (calendar.week_start(pain_last), calendar.week_start(pain_last)
                 + timedelta(days=6))
    worse = sum(1 for c in checks if c.worse and last_days[0] <= c.about <= last_days[1]
                and c.about <= today)
    rose = (pain_last > first_week and first_after is not None and last_after is not None
            and last_after - first_after >= PAIN_RISE - 1e-9)
    rising = rose or flagged > 0 or worse > 0
    first_day = calendar.week_start(first_week)
    rated = sum(1 for r in records if first_day <= r.local_date <= today
                and r.local_date <= last_days[1] and valid(r.pain_after) is not None)
    lacks = rated < MIN_RATED_SESSIONS or first_after is None or last_after is None
    still_open = open_flag(records, checks, first_day, min(today, last_days[1]))

    target = phase.advance.adherence
    required = phase.advance.pain_not_rising
    unmet = []
    if adherence is None or adherence < target - 1e-9:
        unmet.append(ADHERENCE)
    if required and rising:
        unmet.append(PAIN)
    if required and still_open is not None:
        unmet.append(FLAG)
    if required and lacks and not rising:
        unmet.append(UNKNOWN)
    pain = _Pain(rose, first_after, last_after, flagged, worse, rising, rated,
                 still_open.text if still_open else None,
                 not required and all(w.after is None for w in weeks))
    message = _message(phase.name, next_name, adherence, target, unmet, pain)
    return Advice(phase_id, phase.name, next_name, not unmet, tuple(unmet), adherence, target,
                  judged, first_after, last_after, flagged, rising, required, message,
                  worse, pain.open_flag, rated, lacks)


@record_class
class _Pain:
    """The pain figures a message speaks of."""

    rose: bool
    first_after: float | None
    last_after: float | None
    flagged: int
    worse: int
    rising: bool
    rated: int
    open_flag: str | None
    unscored: bool
    """No pain scores, in a phase that does not ask for them."""


def _next_name(program: m.Program, index: int) -> str | None:
    if index + 1 < len(program.phases):
        return program.phases[index + 1].name
    return "maintenance" if program.maintenance else None


def _percent(value: float) -> str:
    # Rounded down, so 79.6 % never reads as meeting an 80 % aim.
    return f"{math.floor(value + 1e-9)}%"


def _message(name: str, next_name: str | None, adherence: float | None, target: int,
             unmet: list[str], pain: _Pain) -> str:
    choice = "It is your choice"
    where = f"move on to {next_name}" if next_name else "finish the program"
    if unmet == [UNKNOWN]:
        return (f"BackRehab cannot tell yet whether your back is ready: "
                f"{plural(pain.rated, 'session')} in {name} had a pain score after "
                f"{form(pain.rated, 'it', 'them')}, and "
                f"it needs at least {MIN_RATED_SESSIONS}, with one in the phase's first week "
                "and one in its last. Rate your back after your next sessions, or decide for "
                f"yourself: you can {where} or repeat a week.")
    if not unmet:
        done = (f"You did {_percent(adherence)} of your {name} sessions (the aim is {target}%)"
                if adherence is not None else f"You did your {name} sessions")
        rising = "" if pain.rising else " and your pain has not gone up"
        text = (f"{done}{rising}. You look ready to {where}. {choice}: you can also repeat a "
                "week if you do not feel ready.")
        if pain.rising:
            text += (" Your pain went up in this phase, so take it gently, and see a "
                     "physiotherapist or doctor if it keeps rising.")
        elif pain.unscored:
            text += " No pain scores were recorded, so only your sessions were counted."
        return text
    reasons = []
    if ADHERENCE in unmet:
        if adherence is None:
            reasons.append(f"No {name} sessions were due yet.")
        else:
            reasons.append(f"You did {_percent(adherence)} of your {name} sessions; the aim "
                           f"is {target}%.")
    if PAIN in unmet:
        if pain.rose and pain.first_after is not None and pain.last_after is not None:
            reasons.append(f"Your pain after sessions went up from {pain.first_after:.1f} to "
                           f"{pain.last_after:.1f} on average.")
        if pain.flagged:
            sessions = "A session" if pain.flagged == 1 else plural(pain.flagged, "session")
            reasons.append(f"{sessions} in the last week left you with more pain.")
        if pain.worse:
            times = "" if pain.worse == 1 else f" ({plural(pain.worse, 'time')})"
            reasons.append(f"The day after a session in the last week your back was "
                           f"worse{times}.")
    if FLAG in unmet and pain.open_flag:
        reasons.append(f"Nothing since the last flag ({pain.open_flag}) shows that your back "
                       "has settled.")
    if UNKNOWN in unmet:
        reasons.append("There are also too few pain scores to tell whether your pain is "
                       "rising.")
    text = " ".join([f"Repeating a week of {name} could help before moving on.", *reasons,
                     f"{choice}: you can also move on."])
    if PAIN in unmet or FLAG in unmet:
        text += (" Use the easier variants where an exercise hurts, and see a physiotherapist "
                 "or doctor if your pain keeps rising.")
    return text


def due_advice(calendar: ProgramCalendar, today: date, decided: Collection[str] = (),
               *, days_before: int = 2, days_after: int = 3) -> str | None:
    """The phase to ask about today, or None.

    A phase is due in the last ``days_before`` days of its span and the first
    ``days_after`` days after it, unless its id is in ``decided``. The last
    phase is asked about too (moving on to maintenance).
    """
    for phase in calendar.program.phases:
        if phase.id in decided:
            continue
        span = calendar.phase_span(phase.id)
        if span is None:
            continue
        last_day = calendar.week_start(span[1]) + timedelta(days=6)
        if last_day - timedelta(days=days_before - 1) <= today <= \
                last_day + timedelta(days=days_after):
            return phase.id
    return None
