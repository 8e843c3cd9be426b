"""The home screen: this week and phase, today's sessions, and one key to start the next."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
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

from ..core.advice import UNKNOWN, Advice
from ..core.holds import ProgressLine
from ..core.outcomes import FULL, Outcome, moved_text, share_text
from ..core.today import Today, TodayItem
from ..core.units import format_about
from .plain import mnemonic_safe, plain_label


def done_words(done: float, item: TodayItem | None = None, symbol: bool = True) -> str:
    """Progress in a symbol and the shared words (core.outcomes), never colour alone
    (without the symbol: for screen readers, which would name it)."""
    if item is not None and item.moved_to is not None:
        text = f"{Outcome.MOVED.symbol} {moved_text(item.moved_to)}"
        text = text if done >= FULL else f"{text} \u00b7 {share_text(done)}"
    elif done >= FULL:
        text = Outcome.DONE.text
    elif done > 0:
        text = f"{Outcome.PARTLY_DONE.text} \u00b7 {share_text(done)}"
    else:
        text = f"{Outcome.UPCOMING.symbol} to do"
    if symbol:
        return text
    first, _, rest = text.partition(" ")
    return rest if rest and not any(ch.isalnum() for ch in first) else text


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
    sig_hold = Signal(str)
    """Hold this exercise's progression where it is (no more steps up until resumed)."""
    sig_step_back = Signal(str)
    """Take this exercise's progression one step back (and hold it there)."""
    sig_resume = Signal(str)
    """Let this exercise's progression go up again."""
    sig_retry = Signal()
    """Try the history again (the notice says what could not be saved)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.today: Today | None = None
        self.rows: list[tuple[TodayItem, QPushButton]] = []
        self.notice = plain_label("", wrap=True, name="notice")
        self.notice.setStyleSheet("QLabel#notice { background: #fff3e0; color: #4e342e;"
                                  " padding: 8px 12px; border-radius: 6px; }")
        self.notice.setVisible(False)
        self.retry_button = QPushButton("Try again")
        self.retry_button.clicked.connect(self.sig_retry.emit)
        self.retry_button.setVisible(False)
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

        self.progress_box = QFrame()
        self.progress_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.progress_grid = QGridLayout(self.progress_box)
        self.progress_box.setVisible(False)
        self.progress_rows: list[tuple[ProgressLine, dict[str, QPushButton]]] = []

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
        body.addWidget(self.progress_box)
        body.addWidget(self.stats)
        body.addStretch(1)
        body.addLayout(buttons)

        self.pages = QStackedWidget()
        self.pages.addWidget(self.body)
        layout = QVBoxLayout(self)
        notice_row = QHBoxLayout()
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.retry_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(notice_row)
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

    def set_notice(self, text: str, *, retry: bool = False) -> None:
        """Show a notice (none when empty); ``retry`` adds a Try again button."""
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.retry_button.setVisible(bool(text) and retry)

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
            kind = item.label if item.planned_on is None else f"{item.label} ({item.status})"
            label = plain_label(kind, name="session_kind")
            name = plain_label(item.routine.name, wrap=True, name="session_name")
            bold = QFont(name.font())
            bold.setBold(True)
            name.setFont(bold)
            if item.note:
                # What was swapped or left out today, under the name in normal type.
                cell = QWidget()
                box = QVBoxLayout(cell)
                box.setContentsMargins(0, 0, 0, 0)
                box.setSpacing(0)
                box.addWidget(name)
                box.addWidget(plain_label(item.note, wrap=True, name="session_note"))
                name = cell
            length = plain_label(format_about(item.estimate))
            status = plain_label(done_words(item.done, item), name="session_status")
            status.setAccessibleName(done_words(item.done, item, symbol=False))
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
            # The suggestion is the default; the person decides. Without enough pain
            # answers there is no suggestion.
            unknown = advice.unmet == (UNKNOWN,)
            self.move_on_button.setDefault(advice.move_on)
            self.repeat_button.setDefault(not advice.move_on and not unknown)

    def set_progress(self, lines: Sequence[ProgressLine]) -> None:
        """This week's progressions, each with what the person can do about it."""
        while self.progress_grid.count():
            widget = self.progress_grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.progress_rows = []
        for row, line in enumerate(lines):
            self.progress_grid.addWidget(plain_label(line.text, wrap=True,
                                                     name="progression"), row, 0)
            buttons: dict[str, QPushButton] = {}
            name = line.name.lower()
            if line.paused:
                buttons["resume"] = QPushButton("Let it go up again")
                buttons["resume"].setAccessibleName(f"Let the {name} go up again")
                buttons["resume"].clicked.connect(
                    lambda _=False, e=line.exercise: self.sig_resume.emit(e))
            else:
                buttons["hold"] = QPushButton("Hold here")
                buttons["hold"].setAccessibleName(f"Hold the {name} at {line.given}")
                buttons["hold"].clicked.connect(
                    lambda _=False, e=line.exercise: self.sig_hold.emit(e))
            if line.back_to is not None:
                buttons["back"] = QPushButton(mnemonic_safe(f"Step back to {line.back_to}"))
                buttons["back"].setAccessibleName(f"Step the {name} back to {line.back_to}")
                buttons["back"].clicked.connect(
                    lambda _=False, e=line.exercise: self.sig_step_back.emit(e))
            for column, button in enumerate(buttons.values(), start=1):
                self.progress_grid.addWidget(button, row, column)
            self.progress_rows.append((line, buttons))
        self.progress_grid.setColumnStretch(0, 1)
        self.progress_box.setVisible(bool(lines))

    # --- Handlers ----------------------------------------------------------------------

    def set_blocked(self, reason: str) -> None:
        """No session can start now (the safety check is not passed): say so on the
        button rather than leave one that looks ready and does nothing."""
        self.today = None
        self.start_next.setEnabled(False)
        self.start_next.setText(mnemonic_safe(reason))

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
