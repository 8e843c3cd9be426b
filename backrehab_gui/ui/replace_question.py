"""The question on the Routines tab when an import brings a new version of what the person
has: what changes, in plain lines, and Replace or Keep what I have.

A panel in the view rather than a dialog: the person can read the list at their own
pace, scroll the routines above to compare, and nothing modal is left open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFrame,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from .flow_layout import FlowLayout
from .plain import plain_label

KEPT_NOTE = ("If you replace, your old files are kept in the folder 'replaced' in your data "
             "folder: nothing is deleted. Your history stays as it is: sessions are kept by "
             "routine, so past sessions still show and count.")


class ReplaceQuestion(QFrame):
    """Replace what the person has with what was sent? Hidden until asked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("replace_question")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.question = plain_label("", wrap=True, name="replace_title")
        font = self.question.font()
        font.setBold(True)
        self.question.setFont(font)
        self.changes = QPlainTextEdit()
        self.changes.setReadOnly(True)
        self.changes.setAccessibleName("What replacing changes")
        self.note = plain_label(KEPT_NOTE, wrap=True, name="replace_note")
        self.replace_button = QPushButton("Replace")
        self.replace_button.setAccessibleName("Replace with the version sent")
        self.replace_button.clicked.connect(self._on_replace)
        self.keep_button = QPushButton("Keep what I have")
        self.keep_button.clicked.connect(self._on_keep)
        buttons = FlowLayout()
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.keep_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addWidget(self.changes)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        self._replace: Callable[[], object] | None = None
        self._keep: Callable[[], object] | None = None
        self.setVisible(False)

    def ask(self, question: str, changes: Sequence[str], replace: Callable[[], object],
            keep: Callable[[], object]) -> None:
        """Show the question; one of the callbacks runs when the person answers."""
        self.question.setText(question)
        self.changes.setPlainText("\n".join(changes))
        self._replace, self._keep = replace, keep
        self.setVisible(True)
        self.replace_button.setFocus()
        # It sits at the foot of a page that scrolls: once laid out, bring it into view.
        QTimer.singleShot(0, self._into_view)

    def _into_view(self) -> None:
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None and self.isVisible():
            area.ensureWidgetVisible(self)

    def clear(self) -> None:
        """Hide the question, answering nothing (a new import began)."""
        self._replace = self._keep = None
        self.setVisible(False)

    def _on_replace(self) -> None:
        self._answer(self._replace)

    def _on_keep(self) -> None:
        self._answer(self._keep)

    def _answer(self, chosen: Callable[[], object] | None) -> None:
        self.clear()
        if chosen is not None:
            chosen()
