"""Up next on Today: the session Enter starts, as it will run today, exercise by exercise.

What a person looks at before pressing Start: how long it takes and what comes, each
exercise with today's dose (the program week's, any hold after a flag, swaps for the
movements that hurt them, as ``core.today.session_preview`` gives it). It stands beside
today's sessions on a wide window, where the plan alone left half the page empty.
"""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QVBoxLayout, QWidget

from ..core.today import SessionPreview
from ..core.units import format_about
from ..core.wording import plural
from .plain import plain_label


def sized(widget: QWidget, factor: float, *, bold: bool = False) -> None:
    """``factor`` times the app's text size (the theme keeps the ratio when the person
    changes their text size)."""
    font = QFont(widget.font())
    font.setPointSizeF(font.pointSizeF() * factor)
    font.setBold(bold)
    widget.setFont(font)


class UpNext(QFrame):
    """The next session's name, length and exercises with their doses, in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAccessibleName("up next")
        self.title = plain_label("", wrap=True, name="up_next_title")
        sized(self.title, 1.3, bold=True)
        self.length = plain_label("", wrap=True, name="up_next_length")
        self.steps = plain_label("", wrap=True, name="up_next_exercises")
        self.note = plain_label("", wrap=True, name="up_next_note")
        for label in (self.length, self.steps, self.note):
            sized(label, 1.15)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.length)
        layout.addWidget(self.steps)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.preview: SessionPreview | None = None

    def show_preview(self, preview: SessionPreview | None) -> None:
        """Show ``preview`` (None: nothing is next). Today shows the panel or not."""
        self.preview = preview
        if preview is None:
            return
        self.title.setText(f"Up next: {preview.name}")
        self.length.setText(f"{format_about(preview.estimate).capitalize()}, "
                            f"{plural(len(preview.lines), 'exercise')}:")
        self.steps.setText("\n".join(f"{number}. {line}" for number, line
                                     in enumerate(preview.lines, start=1)))
        self.note.setText(preview.note)
        self.note.setVisible(bool(preview.note))
