"""When to remind someone of their exercises, and when to offer a sitting break.

Pure: the time is always passed in (an aware local datetime) and nothing here
reads a clock or starts a timer. The Qt side (ui.tray.ReminderService) asks
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

Sitting breaks are counted by :class:`SittingTimer` (see there).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from . import model as m
from .adherence import match_day
from .history import SessionRecord
from .schedule import DayPlan, PlannedSession, ProgramCalendar
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

AWAY_AFTER = timedelta(minutes=5)
"""Idle for this long at the computer means the person got up: the sitting count restarts."""

_PRIORITY = {"session": 0, "block": 1, "sitting": 2}


# --- Settings ----------------------------------------------------------------------------


def parse_hhmm(text: str) -> time | None:
    """'07:30' -> time(7, 30); None for '' or anything that is not a 24-hour HH:MM."""
    parts = (text or "").strip().split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) <= 2 for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    return time(hour, minute) if 0 <= hour < 24 and 0 <= minute < 60 else None


def _parse_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class ReminderSettings:
    """The reminder settings, parsed. Build one from the app's Settings with :meth:`of`."""

    enabled: bool = True
    block_times: Mapping[m.Block, time | None] = field(default_factory=lambda: {
        m.Block.MORNING: time(7, 30), m.Block.MIDDAY: time(12, 30),
        m.Block.EVENING: time(19, 0)})
    session_time: time | None = time(18, 0)
    sitting_minutes: int = 25
    quiet_start: time | None = time(22, 0)
    quiet_end: time | None = time(7, 0)
    paused_on: date | None = None

    @classmethod
    def of(cls, values: Any) -> ReminderSettings:
        """From anything with the Settings field names (``reminders_enabled``,
        ``remind_morning``...); a ReminderSettings is returned as it is. Times
        that do not parse count as off."""
        if isinstance(values, ReminderSettings):
            return values
        return cls(
            enabled=bool(values.reminders_enabled),
            block_times={m.Block.MORNING: parse_hhmm(values.remind_morning),
                         m.Block.MIDDAY: parse_hhmm(values.remind_midday),
                         m.Block.EVENING: parse_hhmm(values.remind_evening)},
            session_time=parse_hhmm(values.remind_session),
            sitting_minutes=max(0, int(values.sitting_break_minutes)),
            quiet_start=parse_hhmm(values.quiet_start),
            quiet_end=parse_hhmm(values.quiet_end),
            paused_on=_parse_date(values.reminders_paused_on),
        )

    @property
    def has_quiet_hours(self) -> bool:
        return (self.quiet_start is not None and self.quiet_end is not None
                and self.quiet_start != self.quiet_end)

    def quiet_at(self, clock: time) -> bool:
        """Whether a wall-clock time of day falls in the quiet hours (start in, end out)."""
        if not self.has_quiet_hours:
            return False
        start, end = self.quiet_start, self.quiet_end
        if start < end:  # type: ignore[operator]
            return start <= clock < end  # type: ignore[operator]
        return clock >= start or clock < end  # type: ignore[operator]

    def paused(self, day: date) -> bool:
        return self.paused_on == day


# --- Time helpers ----------------------------------------------------------------------


def local_at(day: date, clock: time, tz: Any) -> datetime:
    """``clock`` on ``day`` in zone ``tz``, as the wall clock shows it.

    A time skipped by a daylight-saving jump comes out as the same number of
    minutes after the jump (02:30 -> 03:30); a repeated time is its first
    occurrence.
    """
    naive = datetime.combine(day, clock.replace(tzinfo=None), tzinfo=tz)
    return naive.astimezone(timezone.utc).astimezone(tz)


def next_midnight(now: datetime) -> datetime:
    """The start of the next local day in ``now``'s zone."""
    return local_at(now.date() + timedelta(days=1), time(0, 0), now.tzinfo)


def seconds_until(when: datetime, now: datetime) -> float:
    """Real seconds from ``now`` to ``when``.

    Not ``when - now``: Python subtracts two datetimes sharing a tzinfo as
    wall times, which is an hour off across a daylight-saving change.
    """
    return when.timestamp() - now.timestamp()


def quiet(settings: Any, when: datetime) -> bool:
    """Whether ``when`` falls in the quiet hours."""
    return ReminderSettings.of(settings).quiet_at(when.time())


def quiet_end_after(settings: ReminderSettings, when: datetime) -> datetime:
    """The end of the quiet hours that contain ``when`` (quiet hours must be set)."""
    end = local_at(when.date(), settings.quiet_end, when.tzinfo)  # type: ignore[arg-type]
    if end <= when:
        end = local_at(when.date() + timedelta(days=1), settings.quiet_end,  # type: ignore
                       when.tzinfo)
    return end


def _out_of_quiet(settings: ReminderSettings, at: datetime) -> datetime | None:
    """``at``, or the end of the quiet hours it falls in when that is the same day, else None."""
    if not settings.quiet_at(at.time()):
        return at
    end = quiet_end_after(settings, at)
    return end if end.date() == at.date() else None


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
    at = _plus(now, minutes)
    if reminder.kind != "sitting" and reminder.day is not None and at.date() != reminder.day:
        return None  # a block or session belongs to its day; tomorrow has its own
    if settings is not None:
        rs = ReminderSettings.of(settings)
        if not rs.enabled or rs.paused(at.date()):
            return None
        moved = _out_of_quiet(rs, at)
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
        at = _out_of_quiet(rs, local_at(day, clock, tz))
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
        due = _plus(quiet_end_after(rs, due), rs.sitting_minutes)
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


def _plus(when: datetime, minutes: float) -> datetime:
    """``minutes`` of real time after ``when``, shown in its zone."""
    return (when.astimezone(timezone.utc) + timedelta(minutes=minutes)).astimezone(when.tzinfo)


# --- Sitting breaks ----------------------------------------------------------------------


class SittingTimer:
    """Counts the time since the person last got up, and says when to offer a break.

    Fed with facts and the time they happened; it never reads a clock. The
    count starts at ``since``: when the timer was made, or when the person
    last took a break, finished any session, came back after being away (idle
    for ``AWAY_AFTER`` or more, or the computer slept) or was offered a break
    (an ignored offer comes again after another full period, not every minute).
    A snooze postpones the next offer; no break is offered while a session runs.
    How long a period is comes from the settings, passed to :meth:`due_at`.
    """

    def __init__(self, now: datetime) -> None:
        self.since = now
        self.snoozed_until: datetime | None = None
        self.in_session = False

    def due_at(self, minutes: int, not_before: datetime | None = None) -> datetime | None:
        """When to offer the next break: ``minutes`` after the count began (or after
        ``not_before``, if later). None when breaks are off or a session runs."""
        if minutes <= 0 or self.in_session:
            return None
        start = self.since if not_before is None else max(self.since, not_before)
        due = _plus(start, minutes)
        if self.snoozed_until is not None and self.snoozed_until > due:
            return self.snoozed_until
        return due

    def restart(self, now: datetime) -> None:
        """Start counting again from ``now``."""
        self.since = now
        self.snoozed_until = None

    def break_taken(self, now: datetime) -> None:
        self.restart(now)

    def offered(self, now: datetime) -> None:
        """A break was offered at ``now``: the next offer is a full period later."""
        self.restart(now)

    def session_started(self, now: datetime) -> None:
        self.in_session = True
        self.snoozed_until = None

    def session_ended(self, now: datetime) -> None:
        """Any session (a break, a block, a phase session) resets the count."""
        self.in_session = False
        self.restart(now)

    def snooze(self, now: datetime, minutes: float) -> None:
        self.snoozed_until = _plus(now, minutes)

    def activity(self, now: datetime, idle_seconds: float) -> None:
        """The computer has had no input for ``idle_seconds``: long enough means the
        person is away, and the count starts again (from now, while they stay away)."""
        if idle_seconds >= AWAY_AFTER.total_seconds():
            self.restart(now)

    def away(self, now: datetime) -> None:
        """The person was certainly away until ``now`` (the computer slept, a new day)."""
        self.restart(now)
