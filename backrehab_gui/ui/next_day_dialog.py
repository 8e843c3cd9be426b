"""The next-day check: how is the back compared with before the last session?

A short dialog, every answer one key: B better, S the same, W worse; 0-9 and T
(ten) for how much it hurts now; Enter saves, Esc skips. Shown once per
session day (``core.next_day``); "worse" counts as a flag.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.next_day import BETTER, SAME, WORSE
from ..core.pain_rules import HOLD_AFTER_FLAG_WEEKS
from ..core.wording import plural
from .folding import page_scroll
from .pain_scale import PAIN_ENDS, Scale
from .plain import plain_label

_WAIT = "a week" if HOLD_AFTER_FLAG_WEEKS == 1 else plural(HOLD_AFTER_FLAG_WEEKS, "week")
_WORSE_NOTE = (f"Worse counts as a flag: the next step up in your exercises waits {_WAIT}"
               ". Take it gently today, use the easier variants, and see a physiotherapist or "
               "doctor if your back keeps getting worse.")


def when_words(about: date, today: date) -> str:
    """'Yesterday, Wednesday 12 November' or 'On Monday 10 November'."""
    day = f"{about:%A} {about.day} {about:%B}"
    return f"Yesterday, {day}" if (today - about).days == 1 else f"On {day}"


class NextDayDialog(QDialog):
    """Better / the same / worse, and pain now; skippable."""

    sig_answered = Signal(object, object)
    """The answer (BETTER, SAME, WORSE, or None when skipped) and pain now (0-10 or None)."""

    def __init__(self, about: date, today: date, sessions: list[str],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.about = about
        self.answer: str | None = None
        self._sent = False
        self.setWindowTitle("BackRehab: how is your back today?")
        self.setModal(True)
        title = plain_label("How is your back today?", wrap=True, name="next_day_title")
        font = QFont(title.font())
        font.setPointSizeF(font.pointSizeF() * 1.7)
        font.setBold(True)
        title.setFont(font)
        did = ", ".join(sessions) if sessions else "a session"
        self.intro = plain_label(f"{when_words(about, today)}, you did {did}. Compared with "
                                 "before that session, your back is:", wrap=True,
                                 name="next_day_intro")
        self.choices: dict[str, QPushButton] = {}
        row = QHBoxLayout()
        for answer, text in ((BETTER, "Better  (B)"), (SAME, "The same  (S)"),
                             (WORSE, "Worse  (W)")):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setMinimumHeight(52)
            button.setAccessibleName(text.split("  ")[0])
            button.clicked.connect(lambda _=False, a=answer: self.choose(a))
            row.addWidget(button)
            self.choices[answer] = button
        self.scale = Scale("How much does it hurt now?", PAIN_ENDS,
                           skip_text="No score (leave it empty)")
        self.note = plain_label("", wrap=True, name="next_day_note")
        self.note.setStyleSheet("QLabel#next_day_note { background: #fff3e0; color: #4e342e;"
                                " padding: 8px 12px; border-radius: 6px; }")
        self.note.setVisible(False)
        self.hint = plain_label("Keys: B, S or W; 0-9 or T (ten) for the score; Enter saves, "
                                "Esc skips.", wrap=True, name="next_day_keys")
        self.skip_button = QPushButton("Skip  (Esc)")
        self.skip_button.clicked.connect(self.skip)
        self.save_button = QPushButton("Save  (Enter)")
        self.save_button.setDefault(True)
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        # The question scrolls in a short window (large text on a small screen) rather
        # than squeezing the scale's numbers over its words; Skip and Save stay in view.
        body = QWidget()
        content = QVBoxLayout(body)
        content.setContentsMargins(0, 0, 0, 0)
        content.addWidget(title)
        content.addWidget(self.intro)
        content.addLayout(row)
        content.addSpacing(8)
        content.addWidget(self.scale)
        content.addWidget(self.note)
        content.addWidget(self.hint)
        content.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.addWidget(page_scroll(body), 1)
        layout.addLayout(buttons)
        # Enter saves wherever the focus is, rather than pressing the focused button.
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(button is self.save_button)
        self._keys()

    def _keys(self) -> None:
        # The dialog sees every key first, whichever part has the focus, so S means
        # "the same" here even while the scale (where S would skip) has it.
        self._actions = {Qt.Key.Key_B: lambda: self.choose(BETTER),
                         Qt.Key.Key_S: lambda: self.choose(SAME),
                         Qt.Key.Key_W: lambda: self.choose(WORSE),
                         Qt.Key.Key_T: lambda: self.scale.choose(10),
                         Qt.Key.Key_Escape: self.skip,
                         Qt.Key.Key_Return: self.save, Qt.Key.Key_Enter: self.save}
        for n in range(10):
            self._actions[Qt.Key.Key_0 + n] = lambda n=n: self.scale.choose(n)
        for child in self.findChildren(QWidget):
            child.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.KeyPress and self._key(event):
            return True
        return super().eventFilter(watched, event)

    def _key(self, event) -> bool:
        action = self._actions.get(event.key())
        if action is None or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        action()
        return True

    @property
    def pain(self) -> int | None:
        return self.scale.value

    def choose(self, answer: str) -> None:
        self.answer = answer
        for key, button in self.choices.items():
            button.setChecked(key == answer)
            # A tick as well as the pressed look: the choice never shows by shade alone.
            text = button.accessibleName()
            letter = {BETTER: "B", SAME: "S", WORSE: "W"}[key]
            button.setText(f"\u2713 {text}  ({letter})" if key == answer else
                           f"{text}  ({letter})")
        self.note.setText(_WORSE_NOTE if answer == WORSE else "")
        self.note.setVisible(answer == WORSE)
        self.save_button.setEnabled(True)

    def save(self) -> None:
        """Send the answer and close; without one, say what is missing."""
        if self.answer is None:
            self.note.setText("Choose better, the same or worse first (B, S or W), or skip "
                              "with Esc.")
            self.note.setVisible(True)
            return
        self._finish(self.answer, self.pain)
        self.accept()

    def skip(self) -> None:
        self._finish(None, None)
        self.reject()

    def _finish(self, answer: str | None, pain: int | None) -> None:
        if not self._sent:
            self._sent = True
            self.sig_answered.emit(answer, pain)

    def reject(self) -> None:  # Esc, the window's close button
        self._finish(None, None)
        super().reject()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self._key(event):
            super().keyPressEvent(event)
