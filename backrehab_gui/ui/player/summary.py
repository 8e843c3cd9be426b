"""What was done in a session, how it felt, and whether it is saved.

After pain after is given the view says what it means (``core.pain.after_session``):
a flag, or for pain of 4-6 a softer note naming the session's exercises with
their easier variants. Pain of 4 or more also asks whether pain more than light
lasted longer than 15 minutes (the guides' stop rule); a yes flags the session.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core import model as m
from ...core.engine import ExerciseResult, Summary
from ...core.pain import after_session, easier_variants
from ...core.pain_rules import LASTING_MINUTES, MORE_THAN_LIGHT
from ...core.units import format_clock
from ...core.wording import plural
from ..pain_scale import EFFORT_ENDS, PAIN_ENDS, Scale
from ..plain import plain_label

STATUS_WORDS = {"done": "\u2713 Done", "partial": "\u25d1 Partly done", "skipped": "\u2013 Skipped"}
"""Status as a symbol and a word, so it never depends on colour."""


class SummaryView(QWidget):
    """A table of each exercise's result, then pain after, effort and a note."""

    sig_close = Signal()
    """The person is finished with the summary (feedback already sent)."""
    sig_feedback = Signal(object, object, str, object)
    """Pain after (0-10 or None), effort (0-10 or None), a note, and whether pain more than
    light lasted over 15 minutes (True, False or None when not asked or skipped)."""
    sig_retry = Signal()
    """Try saving the session to the history again."""
    sig_save_copy = Signal()
    """Save a copy of the unsaved session somewhere else."""

    COLUMNS = ("Exercise", "Result", "Time", "Sets", "Reps", "Held")

    def __init__(self, exercises: Mapping[str, m.Exercise] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercises = exercises or {}
        self.pain_before: int | None = None
        self._easier: list[tuple[str, str]] = []
        self._closed = False
        self.title = plain_label("", name="summary_title")
        self.subtitle = plain_label("", wrap=True, name="summary_subtitle")
        font = QFont(self.title.font())
        font.setPixelSize(34)
        font.setBold(True)
        self.title.setFont(font)
        self.table = _ResultsTable(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setAccessibleName("Session results")
        table_font = QFont(self.table.font())
        table_font.setPixelSize(18)
        self.table.setFont(table_font)

        self.pain_after = Scale("How is your back now?", PAIN_ENDS, skip_text="Skip (S)")
        self.effort = Scale("How hard did it feel?", EFFORT_ENDS, skip_text="Skip (S)")
        self.pain_after.sig_chosen.connect(self._on_pain_after)
        self.effort.sig_chosen.connect(self._on_effort)
        self.lasted = YesNo(f"Was your pain more than light ({MORE_THAN_LIGHT} or more) for "
                            f"longer than {LASTING_MINUTES} minutes during the session?")
        self.lasted.sig_answered.connect(self._on_lasted)
        self.lasted.setVisible(False)
        self.flag = plain_label("", wrap=True, name="pain_flag")
        self.flag.setVisible(False)
        self.note = QLineEdit()
        self.note.setPlaceholderText("A note for yourself or your therapist (optional)")
        self.note.setAccessibleName("Note for yourself or your therapist (optional)")
        self.note.returnPressed.connect(self._on_close_clicked)

        self._sent: tuple | None = None
        self.save_status = plain_label("", wrap=True, name="save_status")
        self.retry_button = QPushButton("Try again")
        self.retry_button.clicked.connect(self.sig_retry.emit)
        self.copy_button = QPushButton("Save a copy\u2026")
        self.copy_button.clicked.connect(self.sig_save_copy.emit)
        for button in (self.retry_button, self.copy_button):
            button.setVisible(False)
        status_row = QHBoxLayout()
        status_row.addWidget(self.save_status, 1)
        status_row.addWidget(self.retry_button)
        status_row.addWidget(self.copy_button)

        self.close_button = QPushButton("Save and close  [Enter]")
        self.close_button.setDefault(True)
        self.close_button.setAccessibleName("Save and close")
        self.close_button.setAccessibleDescription("Key: Enter")
        self.close_button.clicked.connect(self._on_close_clicked)
        # Everything but the close button scrolls, so a small window never squeezes the
        # questions on top of each other (the 15-minute question and a note add height).
        body = QWidget()
        body.setObjectName("summary_body")
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 8, 0)
        content.addWidget(self.title)
        content.addWidget(self.subtitle)
        content.addWidget(self.table, 1)
        content.addWidget(self.pain_after)
        content.addWidget(self.lasted)
        content.addWidget(self.flag)
        content.addWidget(self.effort)
        content.addWidget(self.note)
        content.addLayout(status_row)
        # The player scrolls the whole summary when the window is small (player.window's
        # summary page), so the body needs no scroll area of its own.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.addWidget(body, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

    def show_summary(self, summary: Summary, pain_before: int | None) -> None:
        self.pain_before = pain_before
        self._easier = easier_variants((r.exercise_id for r in summary.results
                                        if r.status != "skipped"), self.exercises)
        self._closed = False
        self.title.setText("Session complete" if summary.completed else "Session stopped")
        done = sum(1 for r in summary.results if r.status == "done")
        kept = "" if summary.completed else " Everything you did is kept."
        self.subtitle.setText(
            f"{summary.name}: {done} of {plural(len(summary.results), 'exercise')} done, "
            f"{format_clock(summary.active_seconds)} of work, "
            f"{round(summary.share * 100)}% of the plan.{kept}")
        self.table.setRowCount(len(summary.results))
        for row, result in enumerate(summary.results):
            for column, text in enumerate(_cells(result)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        # The exercise takes what the short columns leave and wraps in it; the short
        # columns follow their text whatever the style or text size.
        header = self.table.horizontalHeader()
        for column in range(len(self.COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch if column == 0
                                        else QHeaderView.ResizeMode.ResizeToContents)
        self.table.fit_rows()
        # Every exercise in view (up to eight), the questions below it.
        rows = min(len(summary.results), 8)
        self.table.setMinimumHeight(self.table.horizontalHeader().height() + 4 +
                                    sum(self.table.rowHeight(r) for r in range(rows)))
        self.pain_after.setFocus()

    def set_save_status(self, saved: bool, message: str = "", *, busy: bool = False) -> None:
        """Show whether the session is in the history (``message`` says where it is kept
        when it is not), with ways out when it is not; ``busy``: a write is under way."""
        if saved:
            text = "\u2713 Saved in your history."
        elif busy:
            text = "Saving to your history\u2026"
        else:
            text = f"\u26a0 {message}"
        self.save_status.setText(text)
        self.retry_button.setVisible(not saved and not busy)
        self.copy_button.setVisible(not saved and not busy)

    def _on_pain_after(self, value: int | None) -> None:
        ask = value is not None and value >= MORE_THAN_LIGHT
        self.lasted.setVisible(ask)
        if not ask:
            self.lasted.clear()
        self._show_note()
        self._focus(self.lasted if ask else self.effort)

    def _on_lasted(self, _value: bool | None) -> None:
        self._show_note()
        self._focus(self.effort)

    def _focus(self, widget: QWidget) -> None:
        widget.setFocus()
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        if parent is not None:   # the player's scrolling summary page
            parent.ensureWidgetVisible(widget)

    def _show_note(self) -> None:
        note = after_session(self.pain_before, self.pain_after.value,
                             self.lasted.value if self.lasted.isVisible() else None,
                             self._easier)
        self.flag.setVisible(note is not None)
        if note is None:
            self.flag.setText("")
            return
        # A flag in dark brown with a warning sign; the softer note in pale amber.
        self.flag.setText(f"\u26a0 {note.message}" if note.flag else f"\u2139 {note.message}")
        self.flag.setProperty("tier", "flag" if note.flag else "note")
        self.flag.setStyleSheet(
            "QLabel#pain_flag { background: #5d4037; color: #fff3e0; padding: 8px 12px;"
            " border-radius: 6px; }" if note.flag else
            "QLabel#pain_flag { background: #fff3e0; color: #4e342e; padding: 8px 12px;"
            " border-radius: 6px; border: 1px solid #ffb74d; }")

    def _on_effort(self, _value: int | None) -> None:
        self._focus(self.note)

    def _on_close_clicked(self) -> None:
        # Enter in the note both presses Return there and reaches this view: once is enough.
        if self._closed:
            return
        self._closed = True
        self.send_feedback()
        self.sig_close.emit()

    def send_feedback(self) -> None:
        """Hand on the answers given (also when the window is closed another way, or the
        app quits with the summary open: an answer given is never dropped)."""
        lasted = self.lasted.value if self.lasted.isVisibleTo(self) else None
        answers = (self.pain_after.value, self.effort.value, self.note.text(), lasted)
        given = any(a is not None and a != "" for a in answers)
        if answers != self._sent and (self._sent is not None or given):
            self._sent = answers
            self.sig_feedback.emit(*answers)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._on_close_clicked()
            return
        super().keyPressEvent(event)


class _ResultsTable(QTableWidget):
    """Rows as tall as their wrapped exercise names, at whatever width the window gives;
    never taller than its rows (a single exercise sat in a screen-high empty table)."""

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fit_rows()

    def fit_rows(self) -> None:
        self.resizeRowsToContents()
        self.setMaximumHeight(max(self.horizontalHeader().height() + 2 * self.frameWidth() + 2
                                  + sum(self.rowHeight(r) for r in range(self.rowCount())),
                                  self.minimumHeight()))


def _cells(result: ExerciseResult) -> list[str]:
    reps = "" if result.reps_done is None else f"{result.reps_done} of {result.reps_target}"
    held = ", ".join(format_clock(s) for s in result.hold_times)
    return [result.name, STATUS_WORDS[result.status], format_clock(result.seconds),
            f"{result.sets_done} of {result.sets}", reps, held]


class YesNo(QWidget):
    """A yes-or-no question: a click, or Y / N; S or Esc skips it."""

    sig_answered = Signal(object)
    """True, False, or None when skipped."""

    def __init__(self, question: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value: bool | None = None
        self.question = plain_label(question, wrap=True, name="lasted_question")
        font = QFont(self.question.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.question.setFont(font)
        self.yes = QPushButton("Yes  (Y)")
        self.no = QPushButton("No  (N)")
        self.skip = QPushButton("Skip  (S)")
        for button in (self.yes, self.no):
            button.setCheckable(True)
        self.yes.clicked.connect(lambda: self.answer(True))
        self.no.clicked.connect(lambda: self.answer(False))
        self.skip.clicked.connect(lambda: self.answer(None))
        row = QHBoxLayout()
        for button in (self.yes, self.no, self.skip):
            row.addWidget(button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.question)
        layout.addLayout(row)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def answer(self, value: bool | None) -> None:
        self.value = value
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)
        self.sig_answered.emit(value)

    def clear(self) -> None:
        """Forget the answer without announcing it (the question no longer applies)."""
        self.value = None
        self.yes.setChecked(False)
        self.no.setChecked(False)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_Y:
            self.answer(True)
        elif key == Qt.Key.Key_N:
            self.answer(False)
        elif key in (Qt.Key.Key_S, Qt.Key.Key_Escape):
            self.answer(None)
        else:
            super().keyPressEvent(event)
