""""Stop: it hurts" inside the player: what happened, the emergency questions when it was
a leg or numbness, then what to do now (the easier variant, skipping the exercise, or
ending the session). The rules are ``core.hurt``'s; every choice has a key and a big
button, as in the rest of the player. ``HurtView`` is the pages; ``HurtFlow`` runs them
over the paused session."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import hurt as h
from ...core import model as m
from ...core.screening import Verdict, verdict
from ...core.timeline import Step, StepKind
from ..plain import mnemonic_safe, plain_label
from ..safety_screens import NOT_ADVICE, QuickCheck, emergency_text, heading

if TYPE_CHECKING:
    from .window import PlayerWindow

CHECK_LEAD = ("Symptoms in a leg, and numbness, can come from a nerve under pressure. Do you "
              "have any of these now? Tick any that you have.")

_KEYS = {Qt.Key.Key_1: h.Hurt.BACK, Qt.Key.Key_2: h.Hurt.LEG, Qt.Key.Key_3: h.Hurt.NUMBNESS,
         Qt.Key.Key_4: h.Hurt.OTHER}
_ACTION_KEYS = {h.Action.EASIER: Qt.Key.Key_E, h.Action.SKIP: Qt.Key.Key_S,
                h.Action.END: Qt.Key.Key_Q, h.Action.GO_ON: Qt.Key.Key_G}


def _set_px(widget: QWidget, pixels: int, bold: bool) -> None:
    font = QFont(widget.font())
    font.setPixelSize(max(pixels, 12))
    font.setBold(bold)
    widget.setFont(font)


def _button(text: str, name: str) -> QPushButton:
    button = QPushButton(mnemonic_safe(text))
    button.setObjectName(name)
    button.setAccessibleName(text.split("\n")[0])
    # As in the rest of the player: keys drive it, buttons never take the focus.
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    button.setMinimumHeight(64)
    return button


class HurtView(QWidget):
    """The pages of one "Stop: it hurts", shown over the paused session."""

    sig_what = Signal(object)
    """What happened (a core.hurt.Hurt), as soon as the person says."""
    sig_checked = Signal(object)
    """The emergency questions' answers: the ids ticked, () for none of these."""
    sig_action = Signal(object)
    """What the person chose (a core.hurt.Action)."""
    sig_cancel = Signal()
    """Pressed by mistake: back to the session, nothing recorded."""
    sig_close = Signal()
    """The emergency page was read: close the player."""

    def __init__(self, safety: m.Safety | None, text_scale: float = 1.0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.safety = safety
        self.text_scale = text_scale
        self.what: h.Hurt | None = None
        self.offered: list[h.Action] = []
        self.easier: m.Exercise | None = None
        self.pages = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(self.pages)
        self.ask_page = self._ask_page()
        self.check = QuickCheck(safety, "Check for urgent signs", CHECK_LEAD)
        self.check.sig_answered.connect(self._on_checked)
        for button in (self.check.yes, self.check.none):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)   # Space must not press them
        self.options_page = self._options_page()
        self.emergency_page = self._emergency_page()
        for page in (self.ask_page, self.check, self.options_page, self.emergency_page):
            self.pages.addWidget(page)

    # --- Pages --------------------------------------------------------------------------

    def _ask_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("What happened?", 2.2))
        self.during = plain_label("", wrap=True, name="hurt_during")
        layout.addWidget(self.during)
        layout.addWidget(plain_label("The session is paused. Press a number or a button.",
                                     wrap=True, name="hurt_paused"))
        self.what_buttons: dict[h.Hurt, QPushButton] = {}
        for number, what in enumerate(h.Hurt, start=1):
            button = _button(f"{number}   {h.WORDS[what]}", f"hurt_{what.value}")
            button.clicked.connect(lambda _=False, w=what: self.choose(w))
            layout.addWidget(button)
            self.what_buttons[what] = button
        layout.addStretch(1)
        self.cancel = _button("Pressed by mistake: back to the session  (Esc)", "hurt_cancel")
        self.cancel.setMinimumHeight(44)
        self.cancel.clicked.connect(self.sig_cancel)
        layout.addWidget(self.cancel)
        return page

    def _options_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("What now?", 2.2))
        self.advice = plain_label("", wrap=True, name="hurt_advice")
        layout.addWidget(self.advice)
        layout.addStretch(1)
        self.action_buttons: dict[h.Action, QPushButton] = {}
        for action in h.Action:
            if action is h.Action.EMERGENCY:
                continue
            button = _button("", f"action_{action.value}")
            button.clicked.connect(lambda _=False, a=action: self.act(a))
            layout.addWidget(button)
            self.action_buttons[action] = button
        layout.addWidget(plain_label(NOT_ADVICE, wrap=True, name="not_advice"))
        return page

    def _emergency_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(heading("Get medical help today", 2.2))
        self.emergency = plain_label("", wrap=True, name="emergency_advice")
        layout.addWidget(self.emergency)
        layout.addWidget(plain_label(
            "The session has ended and what you did is saved. BackRehab keeps the program "
            "locked until a doctor has examined you; from tomorrow you can confirm that in "
            "the main window.", wrap=True))
        layout.addStretch(1)
        self.close_button = _button("Close  (Enter)", "emergency_close")
        self.close_button.clicked.connect(self.sig_close)
        layout.addWidget(self.close_button)
        return page

    # --- Flow -----------------------------------------------------------------------------

    def begin(self, exercise_name: str | None, in_exercise: bool,
              easier: m.Exercise | None) -> None:
        """Start afresh at "what happened?" for the step the session is on."""
        self.what = None
        self.easier = easier if in_exercise else None
        self.offered = h.choices(in_exercise, self.easier is not None)
        self.during.setText(f"During: {exercise_name}" if exercise_name else
                            "Between exercises.")
        for box in self.check.boxes.values():
            box.setChecked(False)
        self.pages.setCurrentWidget(self.ask_page)

    def choose(self, what: h.Hurt) -> None:
        if self.pages.currentWidget() is not self.ask_page:
            return
        self.what = what
        self.sig_what.emit(what)
        if h.opens_check(what) and self.check.boxes:
            self.pages.setCurrentWidget(self.check)
        else:
            self._show_options()

    def _on_checked(self, yes: tuple[str, ...]) -> None:
        self.sig_checked.emit(yes)

    def show_emergency(self, flag_ids: frozenset[str]) -> None:
        self.emergency.setText(emergency_text(self.safety, flag_ids))
        self.pages.setCurrentWidget(self.emergency_page)

    def after_check(self) -> None:
        """No urgent sign: on to what to do now."""
        self._show_options()

    def _show_options(self) -> None:
        assert self.what is not None
        self.advice.setText(h.advice(self.what))
        default = h.recommended(self.what, self.offered)
        words = {
            h.Action.EASIER: f"Do {self.easier.name} instead" if self.easier else "",
            h.Action.SKIP: "Skip the rest of this exercise",
            h.Action.END: "End the session",
            h.Action.GO_ON: "Go on with the session",
        }
        for action, button in self.action_buttons.items():
            key = _ACTION_KEYS[action].name.removeprefix("Key_")
            mark = "\u2713 " if action is default else ""
            button.setText(mnemonic_safe(f"{mark}{words[action]}  ({key}"
                                         + (", Enter)" if action is default else ")")))
            button.setAccessibleName(words[action])
            button.setVisible(action in self.offered)
            button.setProperty("recommended", action is default)
            button.style().unpolish(button)
            button.style().polish(button)
        self.default = default
        self.pages.setCurrentWidget(self.options_page)

    def act(self, action: h.Action) -> None:
        if self.pages.currentWidget() is self.options_page and action in self.offered:
            self.sig_action.emit(action)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        """Read from the mat, like the rest of the player: sizes follow the window."""
        super().resizeEvent(event)
        h, t = max(self.height(), 300), self.text_scale
        for label in self.findChildren(QLabel):
            big = label.objectName() == "heading"
            bold = big or label.objectName() in ("emergency_advice", "hurt_advice")
            _set_px(label, int(h * (0.065 if big else 0.036) * t), bold)
        for box in self.findChildren(QCheckBox):
            _set_px(box, int(h * 0.036 * t), False)
        for button in self.findChildren(QPushButton):
            _set_px(button, int(h * 0.034 * t), True)
            button.setMinimumHeight(max(int(h * 0.085 * t), 52))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        page = self.pages.currentWidget()
        if page is self.ask_page and key in _KEYS:
            self.choose(_KEYS[key])
        elif page is self.ask_page and key == Qt.Key.Key_Escape:
            self.sig_cancel.emit()
        elif page is self.check:
            self.check.keyPressEvent(event)
            return
        elif page is self.options_page and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.act(self.default)
        elif page is self.options_page and key in _ACTION_KEYS.values():
            self.act(next(a for a, k in _ACTION_KEYS.items() if k == key))
        elif page is self.emergency_page and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter,
                                                     Qt.Key.Key_Escape):
            self.sig_close.emit()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class HurtFlow(QObject):
    """One player's "Stop: it hurts": pauses, asks, and tells the window's listeners what
    happened and what was chosen (``sig_hurt``, ``sig_checked``, ``sig_hurt_action``)."""

    def __init__(self, window: PlayerWindow, safety: m.Safety | None,
                 easier_for: Callable[[str | None], m.Exercise | None] | None,
                 set_rest: float, text_scale: float) -> None:
        super().__init__(window)
        self.window = window
        self.safety = safety
        self.easier_for = easier_for or (lambda _ident: None)
        self.set_rest = set_rest
        self.emergency = False
        """An urgent sign was reported in this session: it ended, and no summary follows."""
        self.view = HurtView(safety, text_scale)
        self.view.sig_what.connect(self._on_what)
        self.view.sig_checked.connect(self._on_checked)
        self.view.sig_action.connect(self._on_action)
        self.view.sig_cancel.connect(self._on_cancel)
        self.view.sig_close.connect(window.close)
        self._resume = False
        self._step: Step | None = None

    @property
    def controller(self):
        return self.window.controller

    def start(self) -> None:
        """Pause and ask what happened (the H key and the big button)."""
        if not self.window.on_session or self.controller.finished:
            return
        self._resume = not self.controller.paused
        if self._resume:
            self.controller.toggle_pause()
        step = self._step = self.controller.engine.current
        in_exercise = step.item is not None and not step.before_next_exercise and \
            step.kind not in (StepKind.PREPARE, StepKind.DONE)
        easier = self.easier_for(step.exercise_id) if in_exercise else None
        self.view.begin(step.name if step.exercise_id else None, in_exercise, easier)
        self.window.show_page(self.view)

    def _on_what(self, what: h.Hurt) -> None:
        step = self._step
        assert step is not None
        self.window.sig_hurt.emit(what, step.exercise_id,
                                  step.name if step.exercise_id else None)

    def _on_checked(self, yes: tuple[str, ...]) -> None:
        self.window.sig_checked.emit(yes)
        if verdict(self.safety, yes) is not Verdict.EMERGENCY:
            self.view.after_check()
            return
        self.emergency = True
        self.view.show_emergency(frozenset(yes))
        self.window.sig_hurt_action.emit(h.Action.EMERGENCY)
        self.controller.stop()

    def _on_action(self, action: h.Action) -> None:
        self.window.sig_hurt_action.emit(action)
        self.window.show_session()
        if action is h.Action.END:
            self.controller.stop()
        elif action is h.Action.SKIP:
            self.controller.skip_exercise()
        elif action is h.Action.EASIER and self.view.easier is not None:
            # For the rest of this session, not just this set: someone whose back just
            # protested expects the exercise that did it to stay away today, and to carry
            # on with something gentler rather than stop everything.
            self.controller.swap(self.view.easier, self.set_rest)
        elif action is h.Action.GO_ON and self.controller.paused:
            self.controller.toggle_pause()

    def _on_cancel(self) -> None:
        self.window.show_session()
        if self._resume and self.controller.paused:
            self.controller.toggle_pause()
