"""What was done in a session, how it felt, and whether it is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.engine import ExerciseResult, Summary
from ...core.pain import check
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
    sig_feedback = Signal(object, object, str)
    """Pain after (0-10 or None), effort (0-10 or None) and a note."""
    sig_retry = Signal()
    """Try saving the session to the history again."""
    sig_save_copy = Signal()
    """Save a copy of the unsaved session somewhere else."""

    COLUMNS = ("Exercise", "Result", "Time", "Sets", "Reps", "Held")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pain_before: int | None = None
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
        self.table.setAccessibleName("session results")
        table_font = QFont(self.table.font())
        table_font.setPixelSize(18)
        self.table.setFont(table_font)

        self.pain_after = Scale("How is your back now?", PAIN_ENDS, skip_text="Skip (S)")
        self.effort = Scale("How hard did it feel?", EFFORT_ENDS, skip_text="Skip (S)")
        self.pain_after.sig_chosen.connect(self._on_pain_after)
        self.effort.sig_chosen.connect(self._on_effort)
        self.flag = plain_label("", wrap=True, name="pain_flag")
        self.flag.setStyleSheet("QLabel#pain_flag { background: #5d4037; color: #fff3e0;"
                                " padding: 8px 12px; border-radius: 6px; }")
        self.flag.setVisible(False)
        self.note = QLineEdit()
        self.note.setPlaceholderText("A note for yourself or your therapist (optional)")
        self.note.setAccessibleName("note")
        self.note.returnPressed.connect(self._on_close_clicked)

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
        self.close_button.clicked.connect(self._on_close_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 20, 32, 20)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.pain_after)
        layout.addWidget(self.flag)
        layout.addWidget(self.effort)
        layout.addWidget(self.note)
        layout.addLayout(status_row)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addStretch(1)

    def show_summary(self, summary: Summary, pain_before: int | None) -> None:
        self.pain_before = pain_before
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

    def set_save_status(self, saved: bool, message: str = "") -> None:
        """Show whether the session is in the history, with ways out when it is not."""
        self.save_status.setText("\u2713 Saved in your history." if saved else
                                 f"\u26a0 Not saved yet: {message} Nothing is lost while "
                                 "this window is open.")
        self.retry_button.setVisible(not saved)
        self.copy_button.setVisible(not saved)

    def _on_pain_after(self, value: int | None) -> None:
        flag = check(self.pain_before, value) if value is not None else None
        self.flag.setVisible(flag is not None)
        self.flag.setText(f"\u26a0 {flag.message}" if flag else "")
        self.effort.setFocus()

    def _on_effort(self, _value: int | None) -> None:
        self.note.setFocus()

    def _on_close_clicked(self) -> None:
        self.sig_feedback.emit(self.pain_after.value, self.effort.value, self.note.text())
        self.sig_close.emit()

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
