"""What was done in a session, shown when it ends or is stopped."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...core.engine import ExerciseResult, Summary
from ...core.units import format_clock
from ..widgets import plain_label

STATUS_WORDS = {"done": "\u2713 Done", "partial": "\u25d1 Partly done", "skipped": "\u2013 Skipped"}
"""Status as a symbol and a word, so it never depends on colour."""


class SummaryView(QWidget):
    """A table of each exercise's result."""

    sig_close = Signal()
    """The person is finished with the summary."""

    COLUMNS = ("Exercise", "Result", "Time", "Sets", "Reps", "Held")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = plain_label("", name="summary_title")
        self.subtitle = plain_label("", wrap=True, name="summary_subtitle")
        font = QFont(self.title.font())
        font.setPixelSize(34)
        font.setBold(True)
        self.title.setFont(font)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("session results")
        table_font = QFont(self.table.font())
        table_font.setPixelSize(20)
        self.table.setFont(table_font)
        self.close_button = QPushButton("Close  [Enter]")
        self.close_button.setDefault(True)
        self.close_button.clicked.connect(self.sig_close.emit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignRight)

    def show_summary(self, summary: Summary) -> None:
        self.title.setText("Session complete" if summary.completed else "Session stopped")
        done = sum(1 for r in summary.results if r.status == "done")
        kept = "" if summary.completed else " Everything you did is kept."
        self.subtitle.setText(
            f"{summary.name}: {done} of {len(summary.results)} exercises done, "
            f"{format_clock(summary.active_seconds)} of work, "
            f"{round(summary.share * 100)}% of the plan.{kept}")
        self.table.setRowCount(len(summary.results))
        for row, result in enumerate(summary.results):
            for column, text in enumerate(_cells(result)):
                item = QTableWidgetItem(text)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.sig_close.emit()
            return
        super().keyPressEvent(event)


def _cells(result: ExerciseResult) -> list[str]:
    reps = "" if result.reps_done is None else f"{result.reps_done} of {result.reps_target}"
    held = ", ".join(format_clock(s) for s in result.hold_times)
    return [result.name, STATUS_WORDS[result.status], format_clock(result.seconds),
            f"{result.sets_done} of {result.sets}", reps, held]
