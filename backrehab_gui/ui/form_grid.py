"""Rows of label and field on a grid, for forms whose labels and notes wrap.

Not a QFormLayout: a QFormLayout gave a wrapped note the height of a wider guess
after the text size changed, and its last line was cut. Labels wrap too, so a
narrow window or large text takes more lines rather than more width.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QLayout, QSizePolicy, QVBoxLayout, QWidget


class Form:
    """Rows on a grid: ``add_row(label, field)``, or one widget or layout across both."""

    def __init__(self, box: QVBoxLayout) -> None:
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setVerticalSpacing(8)
        box.addLayout(self.grid)
        self.rows = 0

    def addRow(self, first: QWidget | QLayout,  # noqa: N802 - QFormLayout's name
               second: QWidget | QLayout | None = None) -> None:
        row = self.rows
        self.rows += 1
        if second is None:
            self._add(first, row, 0, 2)
            return
        self._add(first, row, 0, 1)
        self._add(second, row, 1, 1)

    def _add(self, item: QWidget | QLayout, row: int, column: int, span: int) -> None:
        if isinstance(item, QLayout):
            self.grid.addLayout(item, row, column, 1, span)
            return
        align = Qt.AlignmentFlag(0)
        if span == 1 and isinstance(item, QLabel):
            align = Qt.AlignmentFlag.AlignVCenter
        elif item.sizePolicy().horizontalPolicy() in (QSizePolicy.Policy.Fixed,
                                                       QSizePolicy.Policy.Maximum):
            # A field that keeps its size sits beside its label, as in a form.
            align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        self.grid.addWidget(item, row, column, 1, span, align)
