"""Reminders on the desktop: the timer that makes them due, and the tray icon that shows them.

ReminderService owns one single-shot QTimer. Each time it fires it asks
core.reminders for a plan (what fell due, what comes next), shows at most one
reminder, and arms itself again for the earliest of: the next reminder, the
next local midnight, and ``max_wait`` from now. That last bound is there
because QTimer counts on the monotonic clock, which stands still while the
computer sleeps: a timer armed at 22:00 for 07:30 would otherwise fire hours
late after a night of suspend. When the timer fires much later than it was
armed for (more than ``WAKE_JUMP``), the computer slept: the person was away,
so the sitting count starts again, and reminders missed while asleep are
shown only if they are at most core.reminders.MISSED_GRACE old.

TrayIcon is the QSystemTrayIcon with its menu. Where the desktop has no tray
(``available`` is False: offscreen, CI, some Wayland desktops), nothing
breaks: the menu still exists, and reminders appear in a small non-modal
ReminderNotice window whose buttons emit the tray's own signals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from ..core import model as m
from ..core.history import SessionRecord
from ..core.reminders import (
    DEFAULT_BLOCK_ROUTINES,
    MISSED_GRACE,
    SITTING_BREAK,
    Reminder,
    ReminderPlan,
    ReminderSettings,
    SittingTimer,
    pick_due,
    plan_reminders,
    seconds_until,
)
from ..core.reminders import snooze as snoozed_reminder
from ..core.schedule import ProgramCalendar
from ..core.today import Today
from ..core.wording import plural
from ..infra import paths
from ..infra.settings import Settings
from .clock import local_wall_clock  # here too: the tray's reminders read it
from .plain import mnemonic_safe, notification_text, plain_label

MAX_WAIT = timedelta(minutes=10)
"""Longest the timer waits before looking again (it stops counting while the computer sleeps)."""

WAKE_JUMP = timedelta(minutes=2)
"""A timer this much later than armed for means the computer slept."""

SNOOZE_MINUTES = 10
NOTIFICATION_MS = 15000


def should_hide_on_close(settings: Settings, tray_available: bool) -> bool:
    """Whether closing the main window should hide it in the tray rather than quit:
    only while reminders are on and there is a tray to come back from."""
    return bool(settings.reminders_enabled) and tray_available


# --- The timer -----------------------------------------------------------------------


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


# --- The icon ------------------------------------------------------------------------


def app_icon() -> QIcon:
    """assets/icons/backrehab.svg when it exists, else a figure stretching in a circle."""
    svg = paths.assets() / "icons" / "backrehab.svg"
    if svg.is_file():
        icon = QIcon(str(svg))
        if not icon.isNull():
            return icon
    icon = QIcon()
    for size in (16, 22, 24, 32, 48, 64, 128, 256):
        icon.addPixmap(drawn_icon(size))
    return icon


def drawn_icon(size: int) -> QPixmap:
    """A white figure with arms raised on a teal disc: legible down to 16 px."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#1f7a6d"))
    painter.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0))
    white = QColor("#ffffff")
    painter.setBrush(white)
    head = size * 0.085

    def p(x: float, y: float) -> QPointF:
        return QPointF(size * x, size * y)

    painter.drawEllipse(p(0.5, 0.26), head, head)
    pen = QPen(white, max(1.5, size * 0.085))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.drawLine(p(0.5, 0.39), p(0.5, 0.6))
    painter.drawLine(p(0.5, 0.43), p(0.3, 0.24))
    painter.drawLine(p(0.5, 0.43), p(0.7, 0.24))
    painter.drawLine(p(0.5, 0.6), p(0.37, 0.8))
    painter.drawLine(p(0.5, 0.6), p(0.63, 0.8))
    painter.end()
    return pixmap


# --- Today's progress for the tooltip and menu ----------------------------------------


def progress_text(today: Today | None) -> str:
    """'2 of 4 done today · next: Evening block' (or why there is nothing)."""
    if today is None:
        return "No program chosen yet"
    if not today.plan.started:
        return today.heading
    if not today.items:
        return "A rest day: nothing planned today"
    done = sum(1 for item in today.items if item.done >= 0.999)
    text = f"{done} of {len(today.items)} done today"
    following = today.next_item
    return f"{text} \u00b7 next: {following.label}" if following else f"{text} \u00b7 all done"


# --- The fallback notice ------------------------------------------------------------


class ReminderNotice(QWidget):
    """A small non-modal window with one reminder, for desktops without a tray."""

    sig_start = Signal(str)
    """Start the reminded routine (its id)."""
    sig_snooze = Signal(int)
    """Remind again in this many minutes."""
    sig_dismissed = Signal()
    """Closed without acting on it."""

    def __init__(self, parent: QWidget | None = None,
                 snooze_minutes: int = SNOOZE_MINUTES) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("BackRehab reminder")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.reminder: Reminder | None = None
        self._snooze_minutes = snooze_minutes
        self.title = plain_label()
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        self.text = plain_label(wrap=True)
        self.start_button = QPushButton("Start")
        self.snooze_button = QPushButton(f"Snooze {plural(snooze_minutes, 'minute')}")
        self.dismiss_button = QPushButton("Dismiss")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addWidget(self.snooze_button)
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.setMinimumWidth(340)
        self.start_button.clicked.connect(self._on_start)
        self.snooze_button.clicked.connect(self._on_snooze)
        self.dismiss_button.clicked.connect(self._on_dismiss)

    def show_reminder(self, reminder: Reminder) -> None:
        self.reminder = reminder
        self.title.setText(reminder.title)
        self.text.setText(reminder.text)
        self.start_button.setText("Take the break" if reminder.kind == "sitting" else "Start")
        self.adjustSize()
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            area = screen.availableGeometry()
            self.move(area.right() - self.width() - 16, area.bottom() - self.height() - 16)
        self.show()
        self.raise_()

    def _on_start(self) -> None:
        if self.reminder is not None:
            self.sig_start.emit(self.reminder.routine_id)
        self.hide()

    def _on_snooze(self) -> None:
        self.sig_snooze.emit(self._snooze_minutes)
        self.hide()

    def _on_dismiss(self) -> None:
        self.sig_dismissed.emit()
        self.hide()


# --- The tray icon ------------------------------------------------------------------


class TrayIcon(QObject):
    """The tray icon, its menu and its notifications.

    ``available`` says whether the desktop has a tray; when it does not, the
    icon is not created and :meth:`notify` shows a ReminderNotice instead.
    """

    sig_open = Signal()
    """Show the main window."""
    sig_start = Signal(str)
    """Start this routine (from the menu, a notification click or the notice)."""
    sig_quit = Signal()
    """Quit the app (not just hide it)."""
    sig_pause_today = Signal()
    """Pause reminders for the rest of today."""
    sig_resume = Signal()
    """Reminders back on after a pause."""
    sig_snooze = Signal(int)
    """Remind again in this many minutes."""
    sig_dismissed = Signal()
    """The fallback notice was closed without acting on it."""

    def __init__(self, icon: QIcon | None = None, parent: QObject | None = None, *,
                 available: bool | None = None, snooze_minutes: int = SNOOZE_MINUTES) -> None:
        super().__init__(parent)
        self.icon = icon or app_icon()
        self.available = (QSystemTrayIcon.isSystemTrayAvailable() if available is None
                          else available)
        self.snooze_minutes = snooze_minutes
        self.last: Reminder | None = None
        """The reminder notified last (a click on the notification starts it)."""
        self._next_routine: str | None = None
        self._progress = ""
        self._paused = False
        self._closed = False
        self.menu = QMenu()
        self.menu.setTitle("BackRehab")
        self.action_open = self._action("Open BackRehab", self._on_open)
        self.menu.addSeparator()
        self.action_start = self._action("Start", self._on_start_next)
        self.action_break = self._action("Sitting break (1 min)", self._on_break)
        self.menu.addSeparator()
        self.action_snooze = self._action(f"Snooze {plural(snooze_minutes, 'minute')}",
                                          self._on_snooze)
        self.action_pause = self._action("Pause reminders for today", self._on_pause)
        self.action_pause.setCheckable(True)
        self.menu.addSeparator()
        self.action_quit = self._action("Quit", self._on_quit)
        self.set_next(None)
        self.action_snooze.setEnabled(False)
        self.notice = ReminderNotice(snooze_minutes=snooze_minutes)
        self.notice.sig_start.connect(self._on_notice_start)
        self.notice.sig_snooze.connect(self._on_notice_snooze)
        self.notice.sig_dismissed.connect(self.sig_dismissed)
        self.tray: QSystemTrayIcon | None = None
        if self.available:
            self.tray = QSystemTrayIcon(self.icon, self)
            self.tray.setContextMenu(self.menu)
            self.tray.activated.connect(self._on_activated)
            self.tray.messageClicked.connect(self._on_message_clicked)
        self._update_tooltip()

    def _action(self, text: str, handler: Callable[[], None]) -> QAction:
        action = QAction(text, self.menu)
        action.triggered.connect(lambda _checked=False: handler())
        self.menu.addAction(action)
        return action

    # --- What the app tells it -----------------------------------------------------

    def show(self) -> None:
        if self.tray is not None:
            self.tray.show()

    def hide(self) -> None:
        if self._closed:
            return
        if self.tray is not None:
            self.tray.hide()
        self.notice.hide()

    def close(self) -> None:
        """Remove the icon and the notice for good (at quit). Safe to call again: Quit
        closes it, then the launcher's clean-up does (the notice is gone by then)."""
        if self._closed:
            return
        self.hide()
        self._closed = True
        self.notice.close()
        self.notice.deleteLater()
        self.menu.deleteLater()

    @property
    def closed(self) -> bool:
        return self._closed

    def set_today(self, today: Today | None) -> None:
        """Update the tooltip and the 'Start ...' entry from today's plan."""
        item = today.next_item if today is not None and today.plan.started else None
        self.set_next(item.routine.id if item else None, item.label if item else "")
        self.set_progress(progress_text(today))

    def set_next(self, routine_id: str | None, label: str = "") -> None:
        if self._closed:
            return
        self._next_routine = routine_id
        self.action_start.setEnabled(routine_id is not None)
        self.action_start.setText(mnemonic_safe(f"Start {label or 'next session'}")
                                  if routine_id else "Nothing left to start today")

    def set_progress(self, text: str) -> None:
        self._progress = text
        self._update_tooltip()

    def set_paused(self, paused: bool) -> None:
        if self._closed:
            return
        self._paused = paused
        self.action_pause.setChecked(paused)
        if paused:
            self.action_snooze.setEnabled(False)
        self._update_tooltip()

    @property
    def tooltip(self) -> str:
        lines = ["BackRehab"]
        if self._progress:
            lines.append(self._progress)
        if self._paused:
            lines.append("Reminders paused until tomorrow")
        return "\n".join(lines)

    def _update_tooltip(self) -> None:
        if self._closed:
            return
        if self.tray is not None:
            self.tray.setToolTip(self.tooltip)

    def notify(self, reminder: Reminder) -> None:
        """Show a reminder: a desktop notification, or the notice without a tray."""
        if self._closed:
            return
        self.last = reminder
        self.action_snooze.setEnabled(True)
        if self.tray is not None and self.tray.isVisible() and \
                QSystemTrayIcon.supportsMessages():
            self.tray.showMessage(reminder.title, notification_text(reminder.text), self.icon,
                                  NOTIFICATION_MS)
        else:
            self.notice.show_reminder(reminder)

    # --- Handlers ------------------------------------------------------------------

    def _on_open(self) -> None:
        self.sig_open.emit()

    def _on_start_next(self) -> None:
        if self._next_routine:
            self._started(self._next_routine)

    def _on_break(self) -> None:
        self._started(SITTING_BREAK)

    def _on_snooze(self) -> None:
        self.action_snooze.setEnabled(False)
        self.notice.hide()
        self.sig_snooze.emit(self.snooze_minutes)

    def _on_pause(self) -> None:
        if self.action_pause.isChecked():
            self.set_paused(True)
            self.notice.hide()
            self.sig_pause_today.emit()
        else:
            self.set_paused(False)
            self.sig_resume.emit()

    def _on_quit(self) -> None:
        self.sig_quit.emit()

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.sig_open.emit()

    def _on_message_clicked(self) -> None:
        if self.last is not None:
            self._started(self.last.routine_id)

    def _on_notice_start(self, routine_id: str) -> None:
        self._started(routine_id)

    def _on_notice_snooze(self, minutes: int) -> None:
        self.action_snooze.setEnabled(False)
        self.sig_snooze.emit(minutes)

    def _started(self, routine_id: str) -> None:
        self.action_snooze.setEnabled(False)
        self.notice.hide()
        self.sig_start.emit(routine_id)

