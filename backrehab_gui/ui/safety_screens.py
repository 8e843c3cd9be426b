"""The short safety screens: the emergency questions on one screen (weekly, and after a
"Stop: it hurts" with leg symptoms or numbness), and the lock an emergency answer puts on
the program until, on a later day, the person confirms a doctor has cleared them.

The rules are in ``core.screening``; these screens only show them."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from ..core import model as m
from ..core.screening import ScreeningState, can_clear, emergency_flags
from .plain import plain_label

NOT_ADVICE = ("BackRehab is not medical advice and cannot examine you. When in doubt, ask "
              "a doctor.")


def long_date(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def heading(text: str, scale: float = 1.6) -> QWidget:
    label = plain_label(text, wrap=True, name="heading")
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * scale)
    font.setBold(True)
    label.setFont(font)
    return label


def emergency_text(safety: m.Safety | None, flag_ids: frozenset[str] | set[str],
                   later: bool = False) -> str:
    """What was answered yes, with what to do about each, then what to do now (``later``:
    on a day after the signs were reported)."""
    flags = [f for f in emergency_flags(safety) if f.id in flag_ids]
    lines = [f"\u26a0 {f.question}\n{f.advice}" for f in flags]
    unknown = sorted(set(flag_ids) - {f.id for f in flags})
    if unknown:     # a sign the routine files no longer have: still named
        lines.append("\u26a0 " + ", ".join(unknown))
    now = ("If no doctor has examined you since, contact a doctor or an urgent care service "
           "today." if later else "Contact a doctor or an urgent care service today, and "
           "don't exercise until a doctor has examined you.")
    return "\n\n".join(lines + [now])


class QuickCheck(QWidget):
    """The emergency questions on one short screen. "None of these" is one key (N)."""

    sig_answered = Signal(object)
    """The ids of the signs ticked (an empty tuple for none of these)."""

    def __init__(self, safety: m.Safety | None, title: str, lead: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("quick_check")
        layout = QVBoxLayout(self)
        layout.setSpacing(12)
        layout.addWidget(heading(title))
        layout.addWidget(plain_label(lead, wrap=True, name="check_lead"))
        self.boxes: dict[str, QCheckBox] = {}
        self._labels: dict[QObject, QCheckBox] = {}
        for flag in emergency_flags(safety):
            # A check box's own text never wraps, and a long question would be cut off
            # on a narrow window: the question is a wrapping label that ticks it too.
            box = QCheckBox()
            box.setAccessibleName(flag.question)
            box.toggled.connect(self._on_ticked)
            label = plain_label(flag.question, wrap=True, name="check_question")
            label.installEventFilter(self)
            self._labels[label] = box
            row = QHBoxLayout()
            row.addWidget(box, 0, Qt.AlignmentFlag.AlignTop)
            row.addWidget(label, 1)
            layout.addLayout(row)
            self.boxes[flag.id] = box
        layout.addWidget(plain_label(NOT_ADVICE, wrap=True, name="not_advice"))
        layout.addStretch(1)
        row = QHBoxLayout()
        self.yes = QPushButton("Yes: I have what I ticked")
        self.yes.setObjectName("check_yes")
        self.yes.clicked.connect(self._on_yes)
        self.none = QPushButton("None of these  (N)")
        self.none.setObjectName("check_none")
        self.none.setAccessibleName("None of these")
        self.none.clicked.connect(lambda: self.sig_answered.emit(()))
        for button in (self.yes, self.none):
            button.setMinimumHeight(48)
            button.setAutoDefault(False)
            row.addWidget(button)
        layout.addLayout(row)
        self._on_ticked()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        box = self._labels.get(watched)
        if box is not None and event.type() == QEvent.Type.MouseButtonRelease:
            box.toggle()
            return True
        return super().eventFilter(watched, event)

    def ticked(self) -> tuple[str, ...]:
        return tuple(fid for fid, box in self.boxes.items() if box.isChecked())

    def _on_ticked(self, *_args) -> None:
        some = bool(self.ticked())
        self.yes.setEnabled(some)
        # A tick and "none of these" contradict each other: only one can be pressed.
        self.none.setEnabled(not some)

    def _on_yes(self) -> None:
        if self.ticked():
            self.sig_answered.emit(self.ticked())

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_N and self.none.isEnabled():
            self.none.click()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.yes.isEnabled():
            self.yes.click()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class LockScreen(QWidget):
    """The program is locked by an emergency answer. On the day it was given, this says to
    get medical help today; from the next day on it asks, deliberately, whether a doctor
    has examined the person since and cleared exercise."""

    sig_cleared = Signal()
    """The person confirmed a doctor's clearance (only possible on a later day)."""

    def __init__(self, safety: m.Safety | None, state: ScreeningState, today: date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lock_screen")
        assert state.emergency_on is not None and state.clearable_from is not None
        self.clearable = can_clear(state, today)
        layout = QVBoxLayout(self)
        layout.setSpacing(14)
        if not self.clearable:
            layout.addWidget(heading("Get medical help today"))
            when = "Today" if state.emergency_on == today else \
                f"On {long_date(state.emergency_on)}"
            layout.addWidget(plain_label(
                f"{when} you told BackRehab about a sign that needs medical help the same "
                "day:", wrap=True))
        else:
            layout.addWidget(heading("Has a doctor examined you?"))
            layout.addWidget(plain_label(
                f"On {long_date(state.emergency_on)} you told BackRehab about a sign that "
                "needs medical help the same day:", wrap=True))
        self.advice = plain_label(emergency_text(safety, state.emergency_yes, self.clearable),
                                  wrap=True, name="emergency_advice")
        bold = QFont(self.advice.font())
        bold.setBold(True)
        self.advice.setFont(bold)
        layout.addWidget(self.advice)
        self.confirm = QCheckBox("A doctor has examined me since these signs began, and has "
                                 "said I can exercise.")
        self.confirm.setObjectName("confirm_cleared")
        self.unlock = QPushButton("Confirm and unlock the program")
        self.unlock.setObjectName("unlock")
        self.unlock.setEnabled(False)
        self.confirm.toggled.connect(self.unlock.setEnabled)
        self.unlock.clicked.connect(self._on_unlock)
        if self.clearable:
            self.note = plain_label(
                "Tick this only after a doctor has seen you about these signs. It is recorded "
                f"with today's date ({long_date(today)}) and shown on the report for your "
                "therapist. If a sign comes back or gets worse, stop and get medical help "
                "again.", wrap=True, name="lock_note")
            layout.addWidget(self.confirm)
            layout.addWidget(self.note)
        else:
            self.note = plain_label(
                "The program stays locked until a doctor has examined you. From "
                f"{long_date(state.clearable_from)}, once a doctor has seen you and said you "
                "can exercise, you can confirm it here.", wrap=True, name="lock_note")
            layout.addWidget(self.note)
            self.confirm.hide()
            self.unlock.hide()
        layout.addWidget(plain_label(NOT_ADVICE, wrap=True, name="not_advice"))
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.unlock)
        layout.addLayout(row)

    def _on_unlock(self) -> None:
        if self.clearable and self.confirm.isChecked():
            self.sig_cleared.emit()
