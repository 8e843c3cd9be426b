"""Reminders on the desktop: the tray icon that shows them, with its menu.

TrayIcon is the QSystemTrayIcon with its menu; ``reminder_service`` makes the
reminders due. Where the desktop has no tray (``available`` is False:
offscreen, CI, some Wayland desktops), nothing breaks: the menu still exists,
and reminders appear in a small non-modal ReminderNotice window whose buttons
emit the tray's own signals.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QAction, QColor, QGuiApplication, QIcon, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from ..core.reminders import SITTING_BREAK, Reminder
from ..core.today import Today
from ..core.wording import plural
from ..infra import paths
from ..infra.settings import Settings
from .plain import mnemonic_safe, notification_text, plain_label
from .reminder_service import SNOOZE_MINUTES

NOTIFICATION_MS = 15000


def should_hide_on_close(settings: Settings, tray_available: bool) -> bool:
    """Whether closing the main window should hide it in the tray rather than quit:
    only while reminders are on and there is a tray to come back from."""
    return bool(settings.reminders_enabled) and tray_available


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
