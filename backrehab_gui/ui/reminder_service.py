"""The timer that makes reminders due: one single-shot QTimer, and no polling.

Each time it fires it asks core.reminders for a plan (what fell due, what comes
next), shows at most one reminder, and arms itself again for the earliest of:
the next reminder, the next local midnight, and ``max_wait`` from now. That last
bound is there because QTimer counts on the monotonic clock, which stands still
while the computer sleeps: a timer armed at 22:00 for 07:30 would otherwise fire
hours late after a night of suspend. When the timer fires much later than it was
armed for (more than ``WAKE_JUMP``), the computer slept: the person was away, so
the sitting count starts again, and reminders missed while asleep are shown only
if they are at most core.reminders.MISSED_GRACE old.

The tray (``tray.TrayIcon``) shows what it makes due.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from ..core import model as m
from ..core.history import SessionRecord
from ..core.reminder_times import ReminderSettings, seconds_until
from ..core.reminders import (
    DEFAULT_BLOCK_ROUTINES,
    MISSED_GRACE,
    Reminder,
    ReminderPlan,
    pick_due,
    plan_reminders,
)
from ..core.reminders import snooze as snoozed_reminder
from ..core.schedule import ProgramCalendar
from ..core.sitting import SittingTimer
from ..infra.settings import Settings
from .clock import local_wall_clock

MAX_WAIT = timedelta(minutes=10)
"""Longest the timer waits before looking again (it stops counting while the computer sleeps)."""

WAKE_JUMP = timedelta(minutes=2)
"""A timer this much later than armed for means the computer slept."""

SNOOZE_MINUTES = 10


class ReminderService(QObject):
    """Makes reminders due at their time, with one single-shot timer and no polling.

    ``calendar`` and ``done_today`` are asked on every re-plan: the current
    ProgramCalendar (None when not enrolled) and what is done today (routine
    ids, or today's SessionRecords). ``now`` gives an aware local datetime.
    Call :meth:`start` once the signals are connected.
    """

    sig_due = Signal(object)
    """A reminder fell due: show it (a core.reminders.Reminder)."""
    sig_planned = Signal(object)
    """The plan was made again (a core.reminders.ReminderPlan; its ``next`` comes next)."""
    sig_pause_changed = Signal(str)
    """The pause changed: the new ``reminders_paused_on`` value ('YYYY-MM-DD' or ''), to save."""
    sig_day_changed = Signal(object)
    """A new local day began (a date): today's views are out of date."""

    def __init__(self, settings: Settings,
                 calendar: Callable[[], ProgramCalendar | None],
                 done_today: Callable[[], Iterable[str] | Sequence[SessionRecord]],
                 now: Callable[[], datetime] = local_wall_clock, *,
                 names: Mapping[str, str] | None = None,
                 block_routines: Mapping[m.Block, str] = DEFAULT_BLOCK_ROUTINES,
                 max_wait: timedelta = MAX_WAIT,
                 day_of: Callable[[datetime], date] = datetime.date,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._day_of = day_of
        """The person's day a moment falls in (their day may end after midnight)."""
        self._calendar = calendar
        self._done_today = done_today
        self._now = now
        self._names = dict(names or {})
        self._block_routines = block_routines
        self._max_wait = max_wait
        start = now()
        self.sitting = SittingTimer(start)
        self.plan: ReminderPlan | None = None
        self.current: Reminder | None = None
        """The reminder shown last, until it is acted on (snoozed, started, dismissed)."""
        self.expected: datetime | None = None
        """When the timer is meant to fire."""
        self._since = start
        self._day = start.date()
        self._person_day = day_of(start)
        self._snoozed: list[Reminder] = []
        self._running = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._on_timeout)

    @property
    def settings(self) -> Settings:
        return self._settings

    # --- Control -------------------------------------------------------------------

    def start(self, *, catch_up: bool = False) -> None:
        """Plan and arm. ``catch_up``: also show a reminder missed in the last
        MISSED_GRACE (e.g. when started at login, minimized to the tray)."""
        self._running = True
        now = self._now()
        self._since = _after(now, -MISSED_GRACE.total_seconds()) if catch_up else now
        self._replan(now)

    def stop(self) -> None:
        self._running = False
        self.timer.stop()
        self.expected = None

    def replan(self) -> None:
        """Look again now: after a session, an enrolment or plan change, or any doubt."""
        if self._running:
            self._replan(self._now())

    def set_settings(self, settings: Settings) -> None:
        self._settings = settings
        self.replan()

    def set_names(self, names: Mapping[str, str]) -> None:
        """Routine names for the reminder texts (e.g. after the library was reloaded)."""
        self._names = dict(names)

    def snooze(self, minutes: int = SNOOZE_MINUTES) -> bool:
        """Show the current reminder again ``minutes`` from now (quiet hours and a
        pause still apply). False when there is nothing to snooze."""
        reminder, self.current = self.current, None
        if reminder is None:
            return False
        now = self._now()
        if reminder.kind == "sitting":
            self.sitting.snooze(now, minutes)
        else:
            again = snoozed_reminder(reminder, minutes, now, self._settings)
            if again is not None:
                self._snoozed.append(again)
        self.replan()
        return True

    def dismiss(self) -> None:
        """The person closed the reminder without acting on it."""
        self.current = None

    def pause_today(self) -> None:
        """No reminders until midnight."""
        day = self._now().date().isoformat()
        self._settings = self._settings.changed(reminders_paused_on=day)
        self.current = None
        self.sig_pause_changed.emit(day)
        self.replan()

    def resume(self) -> None:
        self._settings = self._settings.changed(reminders_paused_on="")
        self.sig_pause_changed.emit("")
        self.replan()

    @property
    def paused(self) -> bool:
        return ReminderSettings.of(self._settings).paused(self._now().date())

    def session_started(self) -> None:
        """A session began: no reminders shown while it runs (they wait for its end)."""
        self.current = None
        self.sitting.session_started(self._now())

    def session_ended(self) -> None:
        """A session ended (finished, stopped or closed): the sitting count restarts and
        the plan is made again with what is now done."""
        self.sitting.session_ended(self._now())
        self.replan()

    # --- Timer ---------------------------------------------------------------------

    def _on_timeout(self) -> None:
        now = self._now()
        if self.expected is not None and \
                seconds_until(now, self.expected) > WAKE_JUMP.total_seconds():
            # Woke from sleep (or the clock jumped ahead): the person was away.
            self.sitting.away(now)
        self._replan(now)

    def _replan(self, now: datetime) -> None:
        if now.date() != self._day:
            self._day = now.date()
            self._snoozed = [r for r in self._snoozed if r.day is not None
                             and r.day >= now.date()]
        if self._day_of(now) != self._person_day:
            # At the end of the person's day, not at midnight: Today moves on then.
            # The timer looks at least every MAX_WAIT, so it is seen within minutes.
            self._person_day = self._day_of(now)
            self.sig_day_changed.emit(self._person_day)
        if self._since > now:
            self._since = now  # the clock was moved back: live those reminders again
        shown: Reminder | None = None
        plan = self._plan(now)
        if not self.sitting.in_session:
            shown = pick_due(plan.due, now)
            self._since = now
            self._snoozed = [r for r in self._snoozed if r.at > now]
            if shown is not None:
                self.current = shown
                if shown.kind == "sitting":
                    self.sitting.offered(now)
                    plan = self._plan(now)
        self.plan = plan
        self._arm(plan, now)
        self.sig_planned.emit(plan)
        if shown is not None:
            self.sig_due.emit(shown)

    def _plan(self, now: datetime) -> ReminderPlan:
        return plan_reminders(self._settings, self._calendar(), self._done_today(), now,
                              since=self._since, sitting=self.sitting,
                              snoozed=self._snoozed, names=self._names,
                              block_routines=self._block_routines)

    def _arm(self, plan: ReminderPlan, now: datetime) -> None:
        if not self._settings.reminders_enabled:
            self.timer.stop()
            self.expected = None
            return
        wait = max(0.0, min(seconds_until(plan.wake_at, now), self._max_wait.total_seconds()))
        self.expected = _after(now, wait)
        self.timer.start(math.ceil(wait * 1000))


def _after(when: datetime, seconds: float) -> datetime:
    """``seconds`` of real time after ``when`` (adding to a zoned datetime adds wall time)."""
    return (when.astimezone(timezone.utc) + timedelta(seconds=seconds)).astimezone(when.tzinfo)
