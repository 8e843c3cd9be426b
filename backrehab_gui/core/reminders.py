"""When to remind someone of their exercises, and when to offer a sitting break.

Pure: the time is always passed in (an aware local datetime) and nothing here
reads a clock or starts a timer. The Qt side (ui.reminder_service) asks
for a plan, arms one timer for the earliest moment in it, and asks again.

Rules
-----
* ``reminders_enabled`` off: no reminders of any kind.
* Block reminders: each daily block the day plans (morning, midday, evening)
  at its settings time, every day, unless that block is already done today.
  A block counts as done as soon as a session was recorded for it today, of
  whatever share: a reminder is a prompt to begin, and someone who stopped
  early (perhaps because it hurt) should not be nagged to start again. With
  records, the adherence matching decides (another routine done *as* the
  morning block counts); with routine ids, the block's routine id must be in
  the set. An empty time ("") turns that reminder off.
* Session reminder: at ``remind_session`` on days that plan a phase (or,
  after the program, maintenance) session that is not done yet.
* Not enrolled (no calendar): block reminders for the default daily routines,
  no session reminder. Enrolled but before the start date: no block or
  session reminders at all; sitting breaks still come.
* Quiet hours (``quiet_start`` to ``quiet_end``, which may cross midnight,
  e.g. 22:00-07:00; empty or equal times mean none): nothing is shown in
  them. A block or session reminder that falls in them is moved to the end of
  the quiet hours when that end is later the same day (06:30 with quiet
  hours until 07:00 comes at 07:00); otherwise (23:00 with quiet hours from
  22:00) it is dropped, because tomorrow brings its own reminders. A sitting
  break that falls in them is not offered; the sitting count starts again
  when they end.
* Paused for today (``reminders_paused_on`` is today's date): nothing until
  midnight, sitting breaks included.
* Snooze: :func:`snooze` makes the same reminder again ``minutes`` from now,
  moved or dropped by the quiet hours as above, and dropped if that is past
  midnight; a snoozed reminder is dropped once its block or session is done.
  A sitting break is snoozed in its SittingTimer.
* Missed reminders (the computer slept, or the app was busy): the caller keeps
  the time up to which it has looked (``since``); reminders that fell between
  then and now are ``ReminderPlan.due``, and :func:`pick_due` shows only the
  latest one, and only when it is at most ``MISSED_GRACE`` old. Older ones are
  dropped silently: the Today view still lists what is left to do.
* Daylight saving: reminder times are wall-clock times in the zone of ``now``
  (use a ``zoneinfo`` zone for exact results across a change): 07:30 is 07:30
  local on the day the clocks change; a time that does not exist that day
  (02:30 when clocks jump from 02:00 to 03:00) comes an hour later.

Sitting breaks are counted by :class:`~.sitting.SittingTimer` (see there); the
settings, quiet hours and wall-clock times are in ``reminder_times``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from . import model as m
from .history import SessionRecord
from .matching import match_day
from .reminder_times import (
    ReminderSettings,
    local_at,
    next_midnight,
    out_of_quiet,
    plus_minutes,
    quiet_end_after,
)
from .schedule import DayPlan, PlannedSession, ProgramCalendar
from .sitting import SittingTimer
from .wording import plural

KINDS = ("block", "session", "sitting")

SITTING_BREAK = "sitting-break"
"""The routine a sitting break offers (routines/daily.yaml)."""

DEFAULT_BLOCK_ROUTINES: Mapping[m.Block, str] = {
    m.Block.MORNING: "daily-morning",
    m.Block.MIDDAY: "daily-midday",
    m.Block.EVENING: "daily-evening",
}
"""Routines reminded for each block when nobody is enrolled yet."""

MISSED_GRACE = timedelta(minutes=60)
"""A reminder missed by at most this much (sleep, a busy app) is still shown, late."""

_PRIORITY = {"session": 0, "block": 1, "sitting": 2}
# --- Reminders -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reminder:
    """Something to tell the person at a moment: do a block, a session, or stand up."""

    at: datetime
    kind: str
    """'block', 'session' or 'sitting'."""
    routine_id: str
    title: str
    text: str
    block: m.Block | None = None
    day: date | None = None
    """The day it is for (the day of ``at``; kept when snoozed)."""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reminder kind {self.kind!r}")
        if self.at.tzinfo is None:
            raise ValueError("a reminder's time must be time-zone aware")
        if self.day is None:
            object.__setattr__(self, "day", self.at.date())


@dataclass(frozen=True)
class ReminderPlan:
    """What is due now and what comes next, as seen at ``now``."""

    now: datetime
    upcoming: tuple[Reminder, ...]
    """Reminders after ``now`` (or at it, when no ``since`` was given), today and
    tomorrow, earliest first."""
    due: tuple[Reminder, ...] = ()
    """Reminders between ``since`` (exclusive) and ``now`` (inclusive), earliest first."""

    @property
    def next(self) -> Reminder | None:
        return self.upcoming[0] if self.upcoming else None

    @property
    def wake_at(self) -> datetime:
        """When to look again: the next reminder or the next midnight, whichever is first."""
        midnight = next_midnight(self.now)
        if self.next is not None and self.next.at < midnight:
            return self.next.at
        return midnight


def plan_reminders(settings: Any, calendar: ProgramCalendar | None,
                   done_today: Iterable[str] | Sequence[SessionRecord], now: datetime, *,
                   since: datetime | None = None, sitting: SittingTimer | None = None,
                   snoozed: Iterable[Reminder] = (),
                   names: Mapping[str, str] | None = None,
                   block_routines: Mapping[m.Block, str] = DEFAULT_BLOCK_ROUTINES,
                   ) -> ReminderPlan:
    """Reminders due since ``since`` and those still to come today and tomorrow.

    ``settings``: a Settings (or ReminderSettings). ``done_today``: the routine
    ids done today, or today's session records (records of other days are
    ignored). ``sitting``: the sitting-break counter, if breaks are wanted.
    ``snoozed``: reminders snoozed earlier. ``names``: routine names for the
    texts. ``block_routines``: what each block reminds of when ``calendar`` is None.
    """
    if now.tzinfo is None:
        raise ValueError("now must be time-zone aware")
    rs = ReminderSettings.of(settings)
    if not rs.enabled:
        return ReminderPlan(now, ())
    names = names or {}
    today = now.date()
    candidates: list[Reminder] = []
    for offset in (0, 1):
        day = today + timedelta(days=offset)
        if rs.paused(day):
            continue
        plans = _day_plans(calendar, day, block_routines)
        done = _done(plans, done_today, today) if offset == 0 else set()
        candidates += _day_reminders(rs, plans, done, day, now.tzinfo, names)
    done_now = _done(_day_plans(calendar, today, block_routines), done_today, today)
    for reminder in snoozed:
        if reminder.kind == "sitting" or rs.paused(reminder.at.date()):
            continue  # a snoozed sitting break lives in the SittingTimer
        if reminder.day == today and _key(reminder) in done_now:
            continue
        if reminder.day is not None and reminder.day < today:
            continue
        candidates.append(reminder)
    if sitting is not None and rs.sitting_minutes > 0:
        sit = _sitting_reminder(rs, sitting, now, since)
        if sit is not None:
            candidates.append(sit)
    candidates.sort(key=lambda r: (r.at.timestamp(), _PRIORITY[r.kind]))
    start = since.timestamp() if since is not None else None
    stamp = now.timestamp()
    if start is None:
        due: tuple[Reminder, ...] = ()
        upcoming = tuple(r for r in candidates if r.at.timestamp() >= stamp)
    else:
        due = tuple(r for r in candidates if start < r.at.timestamp() <= stamp)
        upcoming = tuple(r for r in candidates if r.at.timestamp() > stamp)
    return ReminderPlan(now, upcoming, due)


def next_reminders(settings: Any, calendar: ProgramCalendar | None,
                   done_today: Iterable[str] | Sequence[SessionRecord], now: datetime,
                   **options: Any) -> list[Reminder]:
    """The reminders still to come after ``now`` (today and tomorrow), earliest first.

    Takes :func:`plan_reminders`' keyword options.
    """
    return list(plan_reminders(settings, calendar, done_today, now, **options).upcoming)


def pick_due(due: Sequence[Reminder], now: datetime,
             grace: timedelta = MISSED_GRACE) -> Reminder | None:
    """The one reminder to show out of those that fell due: the latest that is at
    most ``grace`` old (a session before a block before a sitting break at the
    same moment); None when all are older or there are none."""
    fresh = [r for r in due if now.timestamp() - r.at.timestamp() <= grace.total_seconds()]
    if not fresh:
        return None
    return max(fresh, key=lambda r: (r.at.timestamp(), -_PRIORITY[r.kind]))


def snooze(reminder: Reminder, minutes: float, now: datetime,
           settings: Any = None) -> Reminder | None:
    """The same reminder ``minutes`` after ``now``.

    With ``settings``, quiet hours and a pause apply: a snooze that lands in the
    quiet hours comes at their end if that is the same day, and is dropped
    (None) otherwise, or when reminders are paused for that day. A block or
    session reminder snoozed past midnight is dropped too: the next day has
    its own. (A sitting break is snoozed in its SittingTimer instead.)
    """
    if minutes <= 0:
        raise ValueError("snooze needs a positive number of minutes")
    at = plus_minutes(now, minutes)
    if reminder.kind != "sitting" and reminder.day is not None and at.date() != reminder.day:
        return None  # a block or session belongs to its day; tomorrow has its own
    if settings is not None:
        rs = ReminderSettings.of(settings)
        if not rs.enabled or rs.paused(at.date()):
            return None
        moved = out_of_quiet(rs, at)
        if moved is None:
            return None
        at = moved
    return Reminder(at, reminder.kind, reminder.routine_id, reminder.title, reminder.text,
                    reminder.block, reminder.day if reminder.kind != "sitting" else at.date())


# --- A day's reminders -----------------------------------------------------------------


def _day_plans(calendar: ProgramCalendar | None, day: date,
               block_routines: Mapping[m.Block, str]) -> tuple[PlannedSession, ...]:
    if calendar is None:
        return tuple(PlannedSession(rid, "daily", block) for block, rid in block_routines.items())
    plan: DayPlan = calendar.day(day)
    return plan.sessions if plan.started else ()


def _key(item: PlannedSession | Reminder) -> tuple[str, str]:
    """What a reminder is about: ('block', 'morning') or ('session', routine id)."""
    if item.block is not None:
        return ("block", m.Block(item.block).value)
    return ("session", item.routine_id)


def _done(plans: tuple[PlannedSession, ...],
          done_today: Iterable[str] | Sequence[SessionRecord], today: date) -> set[tuple[str, str]]:
    items = list(done_today)
    records = [r for r in items if isinstance(r, SessionRecord) and r.local_date == today]
    ids = {r for r in items if isinstance(r, str)}
    done: set[tuple[str, str]] = set()
    if records:
        for plan, index in zip(plans, match_day(plans, records)):
            if index >= 0:
                done.add(_key(plan))
    for plan in plans:
        if plan.routine_id in ids:
            done.add(_key(plan))
    return done


def _day_reminders(rs: ReminderSettings, plans: tuple[PlannedSession, ...],
                   done: set[tuple[str, str]], day: date, tz: Any,
                   names: Mapping[str, str]) -> list[Reminder]:
    out: list[Reminder] = []
    for plan in plans:
        if _key(plan) in done:
            continue
        if plan.kind == "daily" and plan.block is not None:
            clock = rs.block_times.get(m.Block(plan.block))
            if clock is None:
                continue
            block = m.Block(plan.block)
            label = f"{block.value.capitalize()} block"
            name = names.get(plan.routine_id)
            text = (f"Time for your {block.value} block: {name}." if name
                    else f"Time for your {block.value} block.")
            kind = "block"
        else:
            clock = rs.session_time
            if clock is None:
                continue
            label = "Maintenance session" if plan.kind == "maintenance" else "Phase session"
            name = names.get(plan.routine_id)
            text = (f"Today is a session day: {name}. Start when you are ready." if name
                    else "Today is a session day. Start when you are ready.")
            kind, block = "session", None
        at = out_of_quiet(rs, local_at(day, clock, tz))
        if at is not None:
            out.append(Reminder(at, kind, plan.routine_id, label, text, block, day))
    return out


def _sitting_reminder(rs: ReminderSettings, timer: SittingTimer, now: datetime,
                      since: datetime | None) -> Reminder | None:
    start = timer.since
    if rs.paused(now.date()):
        start = max(start, next_midnight(now))
    start = _count_from(rs, start, now)
    due = timer.due_at(rs.sitting_minutes, not_before=start)
    if due is None:
        return None
    if rs.quiet_at(due.time()):
        due = plus_minutes(quiet_end_after(rs, due), rs.sitting_minutes)
    if rs.paused(due.date()):
        return None
    looked = since if since is not None else now
    if due.timestamp() <= looked.timestamp():
        # Past what the caller has looked at and never offered: offer it now.
        due = now
    return Reminder(due, "sitting", SITTING_BREAK, "Time to stand up",
                    f"You have been sitting for {plural(rs.sitting_minutes, 'minute')}. "
                    "Stand up for a one-minute break.")


def _count_from(rs: ReminderSettings, start: datetime, now: datetime) -> datetime:
    """``start``, or the end of quiet hours that came (or are) after it: quiet hours
    restart the sitting count."""
    if not rs.has_quiet_hours:
        return start
    reference = max(start, now)
    if rs.quiet_at(reference.time()):
        return max(start, quiet_end_after(rs, reference))
    last_end = local_at(reference.date(), rs.quiet_end, reference.tzinfo)  # type: ignore
    if last_end > reference:
        last_end = local_at(reference.date() - timedelta(days=1), rs.quiet_end,  # type: ignore
                            reference.tzinfo)
    return max(start, last_end)
