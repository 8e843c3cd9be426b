"""The sitting count: how long since the person last got up, and when to offer a
one-minute break. Pure: fed with facts and the time they happened.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .reminder_times import plus_minutes

AWAY_AFTER = timedelta(minutes=5)
"""Idle for this long at the computer means the person got up: the sitting count restarts."""


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
        due = plus_minutes(start, minutes)
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
        self.snoozed_until = plus_minutes(now, minutes)

    def activity(self, now: datetime, idle_seconds: float) -> None:
        """The computer has had no input for ``idle_seconds``: long enough means the
        person is away, and the count starts again (from now, while they stay away)."""
        if idle_seconds >= AWAY_AFTER.total_seconds():
            self.restart(now)

    def away(self, now: datetime) -> None:
        """The person was certainly away until ``now`` (the computer slept, a new day)."""
        self.restart(now)
