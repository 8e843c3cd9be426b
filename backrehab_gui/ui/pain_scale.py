"""A 0-10 scale answered with one tap or one key, and always skippable."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from .plain import plain_label

PAIN_ENDS = ("no pain", "worst pain imaginable")
EFFORT_ENDS = ("no effort", "the hardest possible")


class Scale(QWidget):
    """Eleven buttons 0..10 with words at both ends; keys 0-9 and T (ten) answer too."""

    sig_chosen = Signal(object)
    """The value picked (0..10), or None when the question was skipped."""

    def __init__(self, question: str, ends: tuple[str, str] = PAIN_ENDS, *,
                 skip_text: str = "Skip", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.value: int | None = None
        self.question = plain_label(question, wrap=True, name="question")
        font = self.question.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.question.setFont(font)
        row = QHBoxLayout()
        self.buttons: list[QPushButton] = []
        for number in range(11):
            button = QPushButton(str(number))
            button.setCheckable(True)
            end = f": {ends[0]}" if number == 0 else f": {ends[1]}" if number == 10 else ""
            button.setAccessibleName(f"{number} out of 10{end}")
            # Read with each answer, so the answers are never heard without the question.
            button.setAccessibleDescription(question)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            button.setMinimumHeight(56)
            button.clicked.connect(lambda _=False, n=number: self.choose(n))
            row.addWidget(button)
            self.buttons.append(button)
        ends_row = QHBoxLayout()
        ends_row.addWidget(plain_label(f"0 = {ends[0]}"))
        ends_row.addStretch(1)
        ends_row.addWidget(plain_label(f"10 = {ends[1]}"))
        self.skip_button = QPushButton(skip_text)
        self.skip_button.setAccessibleName(skip_text)
        self.skip_button.setAccessibleDescription(question)
        self.setAccessibleName(question)
        self.skip_button.clicked.connect(self.skip)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(row)
        layout.addLayout(ends_row)
        layout.addWidget(self.skip_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def choose(self, number: int) -> None:
        self.value = number
        for i, button in enumerate(self.buttons):
            button.setChecked(i == number)
        self.sig_chosen.emit(number)

    def skip(self) -> None:
        self.value = None
        for button in self.buttons:
            button.setChecked(False)
        self.sig_chosen.emit(None)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if Qt.Key.Key_0 <= key <= Qt.Key.Key_9:
            self.choose(key - Qt.Key.Key_0)
        elif key == Qt.Key.Key_T:
            self.choose(10)
        elif key in (Qt.Key.Key_S, Qt.Key.Key_Escape):
            self.skip()
        else:
            super().keyPressEvent(event)
