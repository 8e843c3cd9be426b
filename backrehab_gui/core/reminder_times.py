"""Reminder times: the reminder settings parsed, the quiet hours, and wall-clock
times that stay right across a daylight-saving change.

Pure, like ``reminders``: every time is passed in as an aware local datetime.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from . import model as m

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


def out_of_quiet(settings: ReminderSettings, at: datetime) -> datetime | None:
    """``at``, or the end of the quiet hours it falls in when that is the same day, else None."""
    if not settings.quiet_at(at.time()):
        return at
    end = quiet_end_after(settings, at)
    return end if end.date() == at.date() else None


def plus_minutes(when: datetime, minutes: float) -> datetime:
    """``minutes`` of real time after ``when``, shown in its zone."""
    return (when.astimezone(timezone.utc) + timedelta(minutes=minutes)).astimezone(when.tzinfo)
