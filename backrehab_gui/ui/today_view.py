"""The home screen: this week and phase, today's sessions, and one key to start the next."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.advice import Advice
from ..core.today import Today, TodayItem
from ..core.units import format_clock
from .plain import mnemonic_safe, plain_label


def done_words(done: float, symbol: bool = True) -> str:
    """Progress in a symbol and words, never colour alone (without the symbol: for screen
    readers, which would name it)."""
    if done >= 0.999:
        mark, words = "\u2713", "Done"
    elif done > 0:
        mark, words = "\u25d1", f"{round(done * 100)}% done"
    else:
        mark, words = "\u25cb", "To do"
    return f"{mark} {words}" if symbol else words


class TodayView(QWidget):
    """Week N of M, the phase, today's sessions; Enter starts the next one."""

    sig_start = Signal(object)
    """Start this TodayItem."""
    sig_other_routines = Signal()
    """Show every routine, to pick another one."""
    sig_change_plan = Signal()
    """Change the program, start date or days."""
    sig_move_on = Signal(str)
    """The person chose to move on from this phase."""
    sig_repeat = Signal(str)
    """The person chose to repeat a week of this phase."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today: Today | None = None
        self.rows: list[tuple[TodayItem, QPushButton]] = []
        self.notice = plain_label("", wrap=True, name="notice")
        self.notice.setStyleSheet("QLabel#notice { background: #fff3e0; color: #4e342e;"
                                  " padding: 8px 12px; border-radius: 6px; }")
        self.notice.setVisible(False)
        self.heading = plain_label("", wrap=True, name="week_heading")
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.heading.setFont(font)
        self.date_line = plain_label("", name="date_line")
        self.focus_line = plain_label("", wrap=True, name="phase_focus")
        self.stats = plain_label("", wrap=True, name="stats")

        self.advice_box = QFrame()
        self.advice_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.advice_text = plain_label("", wrap=True, name="advice")
        self.move_on_button = QPushButton("Move on")
        self.repeat_button = QPushButton("Repeat a week")
        self.move_on_button.clicked.connect(self._on_move_on)
        self.repeat_button.clicked.connect(self._on_repeat)
        advice_layout = QHBoxLayout(self.advice_box)
        advice_layout.addWidget(self.advice_text, 1)
        advice_layout.addWidget(self.repeat_button)
        advice_layout.addWidget(self.move_on_button)
        self.advice_box.setVisible(False)
        self._advice: Advice | None = None

        self.sessions = QWidget()
        self.grid = QGridLayout(self.sessions)
        self.empty = plain_label("", wrap=True, name="empty_day")

        self.start_next = QPushButton("\u25b6 Start next  [Enter]")
        self.start_next.setDefault(True)
        self.start_next.setMinimumHeight(48)
        self.start_next.setAccessibleDescription("Key: Enter")
        self.start_next.clicked.connect(self._on_start_next)
        self.other = QPushButton("Another routine\u2026")
        self.other.clicked.connect(self.sig_other_routines.emit)
        self.change = QPushButton("Change plan\u2026")
        self.change.clicked.connect(self.sig_change_plan.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_next, 2)
        buttons.addWidget(self.other, 1)
        buttons.addWidget(self.change, 1)

        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.addWidget(self.heading)
        body.addWidget(self.date_line)
        body.addWidget(self.focus_line)
        body.addWidget(self.advice_box)
        body.addWidget(self.sessions)
        body.addWidget(self.empty)
        body.addWidget(self.stats)
        body.addStretch(1)
        body.addLayout(buttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.body)
        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.pages, 1)

    # --- What the app gives it -------------------------------------------------------

    def show_form(self, form: QWidget) -> None:
        """Show the enrolment form in place of the plan (first run, or Change plan)."""
        self.pages.addWidget(form)
        self.pages.setCurrentWidget(form)

    def close_form(self) -> None:
        current = self.pages.currentWidget()
        self.pages.setCurrentWidget(self.body)
        if current is not self.body:
            self.pages.removeWidget(current)
            current.deleteLater()

    @property
    def showing_form(self) -> bool:
        return self.pages.currentWidget() is not self.body

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def set_today(self, today: Today, focus: str = "", stats: str = "") -> None:
        self.today = today
        self.heading.setText(today.heading)
        self.date_line.setText(f"{today.day:%A %d %B %Y}")
        self.focus_line.setText(focus)
        self.focus_line.setVisible(bool(focus))
        self.stats.setText(stats)
        while self.grid.count():
            widget = self.grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # gone now, not only when the event loop gets to it
                widget.deleteLater()
        self.rows = []
        for row, item in enumerate(today.items):
            label = plain_label(item.label, name="session_kind")
            text = f"{item.routine.name}\n{item.note}" if item.note else item.routine.name
            name = plain_label(text, wrap=True, name="session_name")
            bold = QFont(name.font())
            bold.setBold(True)
            name.setFont(bold)
            length = plain_label(f"about {format_clock(item.estimate)}")
            status = plain_label(done_words(item.done), name="session_status")
            status.setAccessibleName(done_words(item.done, symbol=False))
            button = QPushButton("Start" if item.done < 0.999 else "Again")
            button.setAccessibleName(f"Start {item.routine.name}" if item.done < 0.999 else
                                     f"Start {item.routine.name} again")
            button.clicked.connect(lambda _=False, it=item: self.sig_start.emit(it))
            for column, widget in enumerate((label, name, length, status, button)):
                self.grid.addWidget(widget, row, column)
            self.rows.append((item, button))
        self.grid.setColumnStretch(1, 1)
        nothing = not today.items
        self.empty.setVisible(nothing)
        self.empty.setText("Nothing is planned today: a rest day. You can still pick a "
                           "routine." if today.plan.started else "")
        upcoming = today.next_item
        self.start_next.setEnabled(upcoming is not None)
        self.start_next.setText(mnemonic_safe(f"\u25b6 Start {upcoming.routine.name}  [Enter]")
                                if upcoming else "\u2713 All done for today")
        # The words without the symbol and the bracketed key, which is said as a key.
        self.start_next.setAccessibleName(f"Start next: {upcoming.routine.name}" if upcoming
                                          else "All done for today")

    def set_advice(self, advice: Advice | None) -> None:
        self._advice = advice
        self.advice_box.setVisible(advice is not None)
        if advice is not None:
            self.advice_text.setText(advice.message)
            self.move_on_button.setText(mnemonic_safe(f"Move on to {advice.next_name}")
                                        if advice.next_name else "Move on")
            # The suggestion is the default; the person decides.
            self.move_on_button.setDefault(advice.move_on)
            self.repeat_button.setDefault(not advice.move_on)

    # --- Handlers ----------------------------------------------------------------------

    def _on_start_next(self) -> None:
        if self.today is not None and self.today.next_item is not None:
            self.sig_start.emit(self.today.next_item)

    def _on_move_on(self) -> None:
        if self._advice is not None:
            self.sig_move_on.emit(self._advice.phase_id)

    def _on_repeat(self) -> None:
        if self._advice is not None:
            self.sig_repeat.emit(self._advice.phase_id)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        from PySide6.QtCore import Qt  # here: its first use costs ~20 ms, not before Today

        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not self.showing_form:
            self._on_start_next()
            return
        super().keyPressEvent(event)
