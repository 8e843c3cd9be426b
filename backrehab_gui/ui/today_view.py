"""The home screen: this week and phase, today's sessions, and one key to start the next.

Everything wraps to the window: the session rows' words, the rows of buttons, the
days of the week; a window too small for it all scrolls rather than cutting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QEvent, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core.advice import UNKNOWN, Advice
from ..core.day_summary import DaySummary
from ..core.holds import ProgressLine
from ..core.outcomes import FULL, Outcome, moved_text, share_text
from ..core.today import SessionPreview, Today, TodayItem
from ..core.units import format_about
from . import charts, theme
from .flow_layout import FlowLayout
from .plain import mnemonic_safe, plain_label, tooltip_text
from .today_next import UpNext
from .today_next import sized as _sized


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


SIDE_BY_SIDE_LINES = 75
"""Up next shows beside today's sessions from this many lines of width."""
WIDE_LINES = 120
"""The widest the page grows, in lines, with the two side by side."""


class WeekStrip(QWidget):
    """The days of this program week, each with its status as the History calendar shows
    it: what is done and what is still to come, at a glance."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[tuple[date, DaySummary | None]] = []
        self.today = date(2000, 1, 1)
        self.setAccessibleName("this week")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_days(self, days: list[tuple[date, DaySummary | None]], today: date) -> None:
        from .history_widgets import day_words  # the words the History calendar uses

        self.days, self.today = days, today
        words = "; ".join(day_words(d, s, today) for d, s in days)
        self.setAccessibleDescription(words)
        self.setToolTip(tooltip_text(words.replace("; ", "\n")))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        line = QFontMetricsF(self.font()).height()
        return QSize(round(7 * line * 5), round(line * 6))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        line = QFontMetricsF(self.font()).height()
        return QSize(round(7 * line * 2.6), round(line * 4.6))

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self.days:
            return
        painter = QPainter(self)
        fonts = charts.Fonts.of(self.font(), charts.colours_for(theme.current()))
        rect = QRectF(self.rect())
        charts.fill_card(painter, rect, fonts.colours)
        charts.paint_week(painter, rect.adjusted(2, 2, -2, -2), self.days, self.today, fonts)


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
        # The home screen reads at a glance: its words a size above the app's.
        self.heading = plain_label("", wrap=True, name="week_heading")
        _sized(self.heading, 2.0, bold=True)
        self.date_line = plain_label("", wrap=True, name="date_line")
        self.focus_line = plain_label("", wrap=True, name="phase_focus")
        self.stats = plain_label("", wrap=True, name="stats")
        for label in (self.date_line, self.focus_line, self.stats):
            _sized(label, 1.15)

        self.advice_box = QFrame()
        self.advice_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.advice_text = plain_label("", wrap=True, name="advice")
        self.move_on_button = QPushButton("Move on")
        self.repeat_button = QPushButton("Repeat a week")
        self.move_on_button.clicked.connect(self._on_move_on)
        self.repeat_button.clicked.connect(self._on_repeat)
        advice_layout = QVBoxLayout(self.advice_box)
        advice_layout.addWidget(self.advice_text)
        choices = FlowLayout(align_right=True)
        choices.addWidget(self.repeat_button)
        choices.addWidget(self.move_on_button)
        advice_layout.addLayout(choices)
        self.advice_box.setVisible(False)
        self._advice: Advice | None = None

        self.progress_box = QFrame()
        self.progress_box.setFrameShape(QFrame.Shape.StyledPanel)
        self.progress_grid = QGridLayout(self.progress_box)
        self.progress_box.setVisible(False)
        self.progress_rows: list[tuple[ProgressLine, dict[str, QPushButton]]] = []

        self.week_title = plain_label("This week", name="week_title")
        self.week = WeekStrip()
        self.week.hide()
        self.week_title.hide()
        self.sessions_title = plain_label("Today", name="sessions_title")
        for title in (self.week_title, self.sessions_title):
            _sized(title, 1.3, bold=True)
        self.sessions = QWidget()
        self.grid = QGridLayout(self.sessions)
        self.grid.setContentsMargins(0, 0, 0, 0)
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
        buttons = FlowLayout()
        for button in (self.start_next, self.other, self.change):
            button.setMinimumHeight(48)
            _sized(button, 1.15, bold=button is self.start_next)
            buttons.addWidget(button)

        # What Enter starts, exercise by exercise (today_next), beside today's sessions on
        # a wide window; a narrow one keeps to the plan (the Routines tab has the rest).
        self.up_next = UpNext()
        self.up_next.hide()
        self._preview: Callable[[str], SessionPreview] | None = None
        self._preview_soon = QTimer(self)
        self._preview_soon.setSingleShot(True)
        self._preview_soon.timeout.connect(self._show_up_next)

        page = QWidget()
        self.column = QWidget()
        self.column.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        centre = QHBoxLayout(page)
        centre.setContentsMargins(0, 0, 0, 0)
        centre.addStretch(1)
        centre.addWidget(self.column, 100)
        centre.addStretch(1)
        today_box = QWidget()   # a widget: its layout keeps its own spacing, not the row's
        today_part = QVBoxLayout(today_box)
        today_part.setContentsMargins(0, 0, 0, 0)
        today_part.addWidget(self.sessions_title)
        today_part.addWidget(self.sessions)
        today_part.addWidget(self.empty)
        today_part.addWidget(self.progress_box)
        today_part.addSpacing(8)
        today_part.addLayout(buttons)
        today_part.addWidget(self.stats)
        today_part.addStretch(1)
        self.parts = QHBoxLayout()
        self.parts.setContentsMargins(0, 0, 0, 0)
        self.parts.addWidget(today_box, 3)
        self.parts.addWidget(self.up_next, 2)
        body = QVBoxLayout(self.column)
        body.addWidget(self.heading)
        body.addWidget(self.date_line)
        body.addWidget(self.focus_line)
        body.addWidget(self.advice_box)
        body.addSpacing(8)
        body.addWidget(self.week_title)
        body.addWidget(self.week, 3)
        body.addSpacing(8)
        body.addLayout(self.parts)
        body.addStretch(1)
        # The plan scrolls when the window is too small for it (large text, a small
        # screen); it never scrolls sideways: everything in it wraps.
        self.body = QScrollArea()
        self.body.setWidgetResizable(True)
        self.body.setFrameShape(QFrame.Shape.NoFrame)
        self.body.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.body.setWidget(page)

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
            label = plain_label(kind, wrap=True, name="session_kind")
            name = plain_label(item.routine.name, wrap=True, name="session_name")
            _sized(name, 1.3, bold=True)
            if item.note:
                # What was swapped or left out today, under the name in normal type.
                cell = QWidget()
                box = QVBoxLayout(cell)
                box.setContentsMargins(0, 0, 0, 0)
                box.setSpacing(0)
                box.addWidget(name)
                note = plain_label(item.note, wrap=True, name="session_note")
                _sized(note, 1.0)
                box.addWidget(note)
                name = cell
            length = plain_label(format_about(item.estimate), wrap=True)
            status = plain_label(done_words(item.done, item), wrap=True, name="session_status")
            status.setAccessibleName(done_words(item.done, item, symbol=False))
            button = QPushButton("Start" if item.done < 0.999 else "Again")
            for widget in (label, length, status, button):
                _sized(widget, 1.15)
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
        self._preview_soon.start()  # after this paint: Up next compiles the session
        self.start_next.setEnabled(upcoming is not None)
        self.start_next.setText(mnemonic_safe(f"\u25b6 Start {upcoming.routine.name}  [Enter]")
                                if upcoming else "\u2713 All done for today")
        # The words without the symbol and the bracketed key, which is said as a key.
        self.start_next.setAccessibleName(f"Start next: {upcoming.routine.name}" if upcoming
                                          else "All done for today")

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._arrange()

    def _arrange(self) -> None:
        """What is up next beside today's sessions when the page has room for both (some
        75 lines of width), else the plan alone; a column of reading width either way,
        not words strung across 1920 pixels."""
        line = self.fontMetrics().height()
        # The viewport is asked only once Up next has something to show: PySide's first
        # call builds some 76 enums (59 M instructions, about a tenth of a bare window's
        # start), which the first paint of Today does not need.
        beside = (self.up_next.preview is not None
                  and self.body.viewport().width() >= line * SIDE_BY_SIDE_LINES)
        self.up_next.setVisible(beside)
        self.parts.setSpacing(round(line * 1.5))
        self.column.setMaximumWidth(round(line * (WIDE_LINES if beside else 72)))
        # Its days nearer square on a wide page: more room for each day's mark.
        self.week.setMaximumHeight(round(line * (22 if beside else 12)))

    def set_preview(self, preview: Callable[[str], SessionPreview]) -> None:
        """Where Up next learns what a routine's session will be today (the app's
        ``preview_routine``: the doses, swaps and estimate Start will use)."""
        self._preview = preview
        self._preview_soon.start()

    def _show_up_next(self) -> None:
        upcoming = self.today.next_item if self.today is not None else None
        preview = None
        if upcoming is not None and self._preview is not None:
            try:
                preview = self._preview(upcoming.routine.id)
            except Exception:  # noqa: BLE001 - Up next is a help; Start says what is wrong
                preview = None
        self.up_next.show_preview(preview)
        self._arrange()

    def set_week(self, days: list[tuple[date, DaySummary | None]], today: date) -> None:
        """This program week's days and their status (none before the program starts)."""
        self.week.set_days(days, today)
        self.week.setVisible(bool(days))
        self.week_title.setVisible(bool(days))

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
        self._preview_soon.start()

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
