"""The follow-along window, laid out to be read from a mat two metres away.

The timer digits take the largest share of the window; then the exercise,
what to do and the one key cue; then set, rep and side; what's next; and the
session's progress. Every action has a key and a large button. Nothing is
told by colour alone: each step shows its kind in words and a symbol too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QByteArray, QEvent, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ...core import model as m
from ...core.controls import controls_for
from ...core.engine import State, Summary, View
from ...core.timeline import Step, StepKind, WorkKind
from ...core.units import format_about, format_clock
from .. import theme
from ..pain_scale import PAIN_ENDS, Scale
from ..plain import ask, plain_label
from ..widgets import FittingLabel, FlashOverlay, Illustration
from .announce import Announcer, announce, timer_words
from .controller import SessionController
from .hurt import HurtFlow
from .summary import SummaryView
from .text_stack import TextStack

# Step kinds: a word and a symbol always, the colour only adds to them.
_BADGES = {
    StepKind.PREPARE: ("GET READY", "\u25d4", QColor("#a84f00")),
    StepKind.WORK: ("WORK", "\u25b6", QColor("#2e7d32")),
    StepKind.SWITCH: ("SWITCH SIDES", "\u21c4", QColor("#6a1b9a")),
    StepKind.REST: ("REST", "\u25a0", QColor("#1565c0")),
    StepKind.DONE: ("DONE", "\u2713", QColor("#2e7d32")),
}
_PHASE_WORDS = {"up": "Move", "hold": "Hold", "down": "Return", "in": "Breathe in",
                "out": "Breathe out"}
_KEY_WORDS = {"back": "Left arrow", "pause": "Space", "skip": "Right arrow", "enter": "Enter",
              "minus": "Minus", "plus": "Plus", "full": "F", "mute": "M", "stop": "Escape"}
"""Each button's key, in words for screen readers (the buttons never take the focus)."""

_STYLE = """
QWidget#player { background: #101418; }
QLabel { color: #f5f7fa; }
QLabel#step_badge { border-radius: 8px; padding: 4px 14px; font-weight: bold; color: white; }
QLabel#step_badge[kind="prepare"] { background: #a84f00; }
QLabel#step_badge[kind="work"] { background: #2e7d32; }
QLabel#step_badge[kind="switch"] { background: #6a1b9a; }
QLabel#step_badge[kind="rest"] { background: #1565c0; }
QLabel#step_badge[kind="done"] { background: #2e7d32; }
QLabel#key_cue { color: #ffd54f; }
QLabel#detail, QLabel#next_up, QLabel#caption, QLabel#time_left { color: #cfd8dc; }
QLabel#notice { background: #4e342e; color: #ffe0b2; padding: 6px 12px; border-radius: 6px; }
QProgressBar { background: #263238; border: none; border-radius: 6px; }
QProgressBar::chunk { background: #80cbc4; border-radius: 6px; }
QPushButton { background: #263238; color: #eceff1; border: 2px solid #455a64;
              border-radius: 10px; padding: 10px 8px; font-weight: bold; }
QPushButton:pressed { background: #37474f; }
QPushButton:checked { background: #ffd54f; color: #101418; border-color: #ffd54f; }
QPushButton#stop { border-color: #ef5350; }
QPushButton#hurt { background: #b71c1c; border-color: #ef5350; color: white; }
QPushButton[recommended="true"] { border-color: #ffd54f; border-width: 4px; }
QCheckBox { color: #f5f7fa; spacing: 12px; }
QCheckBox::indicator { width: 28px; height: 28px; }
"""

_HIGH_CONTRAST_STYLE = """
QWidget#player { background: #000000; }
QLabel { color: #ffffff; }
QLabel#step_badge { border: 3px solid #ffff00; border-radius: 8px; padding: 2px 12px;
                    font-weight: bold; color: #000000; background: #ffff00; }
QLabel#key_cue { color: #ffff00; }
QLabel#notice { background: #000000; color: #ffff00; border: 2px solid #ffff00;
                padding: 6px 12px; border-radius: 6px; }
QProgressBar { background: #000000; border: 2px solid #ffffff; border-radius: 6px; }
QProgressBar::chunk { background: #ffff00; }
QPushButton { background: #000000; color: #ffffff; border: 3px solid #ffffff;
              border-radius: 10px; padding: 10px 8px; font-weight: bold; }
QPushButton:pressed { background: #333333; }
QPushButton:checked { background: #ffff00; color: #000000; border-color: #ffff00; }
QPushButton#stop { border-color: #ffff00; }
"""
"""The high-contrast theme's player: black, white and yellow, every step the same colour
(its word and symbol say which it is)."""


class PlayerWindow(QWidget):
    """Leads a person through one session."""

    sig_started = Signal(object)
    """The session started; with the pain before it (0-10), or None if the person skipped."""
    sig_feedback = Signal(object, object, str, object)
    """After the session: pain after, effort (each 0-10 or None), a note, and whether pain
    more than light lasted over 15 minutes (True, False or None)."""
    sig_retry_save = Signal()
    """The person asked to try saving the session again."""
    sig_save_copy = Signal()
    """The person asked for a copy of the unsaved session."""
    sig_closed = Signal(object)
    """The window closed: the Summary (None if the session never finished or stopped)."""
    sig_window_state = Signal(bool, str)
    """Full screen or not, and the saved geometry (base64), to remember for next time."""
    sig_hurt = Signal(object, object, object)
    """"Stop: it hurts": what happened (core.hurt.Hurt), the exercise's id and name (None
    between exercises)."""
    sig_hurt_action = Signal(object)
    """What the person chose next (core.hurt.Action)."""
    sig_checked = Signal(object)
    """The emergency questions were answered in the session: the ids answered yes."""

    def __init__(self, controller: SessionController, exercises: Mapping[str, m.Exercise],
                 images: Mapping[str, tuple[Path, Path | None]] | None = None,
                 voice_notice: str | None = None, *, ask_pain: bool = True,
                 text_scale: float = 1.0, safety: m.Safety | None = None,
                 easier_for: Callable[[str | None], m.Exercise | None] | None = None,
                 set_rest: float = 30.0, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_scale = text_scale
        self.controller = controller
        self.exercises = exercises
        self.images = images or {}
        self.summary: Summary | None = None
        self.pain_before: int | None = None
        self.confirm_stop: Callable[[], bool] = self._ask_stop
        self.setObjectName("player")
        self.setWindowTitle(f"BackRehab: {controller.engine.timeline.name}")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._restyle()
        self.setMinimumSize(640, 420)
        self._last_view_key: tuple | None = None

        self._pages = QStackedWidget(self)
        self._before = self._build_before_page(controller.engine.timeline)
        self._session = QWidget()
        self._summary_view = SummaryView(exercises)
        self._summary_view.sig_close.connect(self.close)
        self._summary_view.sig_feedback.connect(self.sig_feedback)
        self._summary_view.sig_retry.connect(self.sig_retry_save)
        self._summary_view.sig_save_copy.connect(self.sig_save_copy)
        self.hurt = HurtFlow(self, safety, easier_for, set_rest, text_scale)
        self._pages.addWidget(self._before)
        self._pages.addWidget(self._session)
        # A small window scrolls the summary rather than squeezing its table and
        # questions on top of each other.
        self._summary_page = _scrolling(self._summary_view, "summary_scroll")
        self._pages.addWidget(self._summary_page)
        self._pages.addWidget(self.hurt.view)
        self._ask_pain = ask_pain
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._pages)

        self._build_session_page(voice_notice)
        self._flash = FlashOverlay(self)
        self._connect_shortcuts()

        controller.sig_view.connect(self._on_view)
        controller.sig_step_started.connect(self._on_step_started)
        controller.sig_caption.connect(self._on_caption)
        controller.sig_paused.connect(self._on_paused)
        controller.sig_finished.connect(self._on_finished)
        controller.sig_muted.connect(self._on_muted)
        # After the display: screen readers hear the moments that matter, not every second.
        self.announcer = Announcer(lambda text, urgent: announce(self.timer, text,
                                                                 urgent=urgent))
        controller.sig_view.connect(self.announcer.on_view)
        controller.sig_paused.connect(self.announcer.on_paused)
        controller.sig_finished.connect(self.announcer.on_finished)

    def begin(self) -> None:
        """Ask how the back feels (one tap, skippable), then start; or start at once."""
        if self._ask_pain:
            self._pages.setCurrentWidget(self._before)
            self._before_scale.setFocus()
        else:
            self._on_pain_before(None)

    @property
    def on_summary(self) -> bool:
        return self._pages.currentWidget() is self._summary_page

    def set_save_status(self, saved: bool, message: str = "", *, busy: bool = False) -> None:
        self._summary_view.set_save_status(saved, message, busy=busy)

    # --- Layout -----------------------------------------------------------------------

    def _build_before_page(self, timeline) -> QWidget:
        page = QWidget()
        title = plain_label(timeline.name, wrap=True, name="before_title")
        font = QFont(title.font())
        font.setPixelSize(40)
        font.setBold(True)
        title.setFont(font)
        about = plain_label(f"{format_about(timeline.estimate).capitalize()}. Press a number for "
                            "how your back feels (T for ten), or S to skip and start.",
                            wrap=True, name="before_hint")
        self._before_scale = Scale("How is your back right now?", PAIN_ENDS,
                                   skip_text="Skip and start  (S)")
        self._before_scale.sig_chosen.connect(self._on_pain_before)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(48, 40, 48, 40)
        layout.addWidget(title)
        layout.addWidget(about)
        layout.addStretch(1)
        layout.addWidget(self._before_scale)
        layout.addStretch(2)
        return page

    def _on_pain_before(self, value: int | None) -> None:
        if self.controller.engine.state is not State.READY:
            return
        self.pain_before = value
        self._pages.setCurrentWidget(self._session)
        self.setFocus()
        self.sig_started.emit(value)
        self.controller.start()

    def _build_session_page(self, voice_notice: str | None) -> None:
        page = self._session
        top = QHBoxLayout()
        self.badge = plain_label("", name="step_badge")
        self.progress = QProgressBar()
        # Whole percent: QProgressBar repaints at once when its value changes.
        self.progress.setRange(0, 100)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("session progress")
        self.time_left = plain_label("", name="time_left")
        top.addWidget(self.badge)
        top.addWidget(self.progress, 1)
        top.addWidget(self.time_left)

        self.notice = plain_label(voice_notice or "", wrap=True, name="notice")
        self.notice.setVisible(bool(voice_notice))

        # The timer and the words never widen their columns: the columns keep their
        # share of the window and the text is sized to fit inside them.
        self.timer = FittingLabel("timer", wrap=False)
        self.timer.setText("0:00")
        self.timer.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail = FittingLabel("detail")
        self.detail.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        for label in (self.timer, self.detail):
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)

        self.picture = Illustration()
        self.picture.setVisible(False)

        self.words = TextStack()
        self.name = self.words.add("exercise_name", bold=True)
        self.key_cue = self.words.add("key_cue", bold=True)
        self.instruction = self.words.add("instruction", fill=True)
        self.next_up = self.words.add("next_up")
        self.caption = self.words.add("caption")

        clock = QVBoxLayout()
        clock.addWidget(self.timer, 5)
        clock.addWidget(self.detail, 1)

        self.middle = QHBoxLayout()
        self.middle.addLayout(clock, 10)
        self.middle.addWidget(self.picture, 6)
        self.middle.addWidget(self.words, 8)

        buttons = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        # Only symbols every bundled font has: a missing glyph is an empty box.
        for key, label, handler, name in [
            ("back", "\u25c0 Back\n\u2190", self.controller.back, "Back"),
            ("pause", "\u275a\u275a Pause\nSpace", self.controller.toggle_pause, "Pause"),
            ("skip", "Skip \u25b6\n\u2192", self.controller.skip, "Skip"),
            ("enter", "Rep / Done\nEnter", self.controller.enter, "Rep or done"),
            ("minus", "\u221210 s\n\u2212", lambda: self.controller.add_time(-10),
             "Ten seconds less"),
            ("plus", "+10 s\n+", lambda: self.controller.add_time(10), "Ten seconds more"),
            ("full", "Full screen\nF", self.toggle_full_screen, "Full screen"),
            ("mute", "\u266a Mute\nM", self.toggle_mute, "Mute"),
            ("stop", "\u25a0 Stop\nEsc", self.request_stop, "Stop"),
            ("hurt", "Stop: it hurts\nH", self.hurt.start, "Stop: it hurts"),
        ]:
            button = QPushButton(label)
            button.setObjectName(key)
            button.setAccessibleName(name)
            if key in _KEY_WORDS:
                button.setAccessibleDescription(f"Key: {_KEY_WORDS[key]}")
            # Keys drive the session; buttons never take focus, so Space and
            # Enter always mean pause and rep rather than "press the focused button".
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            button.clicked.connect(handler)
            # The one button someone in pain must find at a glance: twice as wide.
            buttons.addWidget(button, 2 if key == "hurt" else 1)
            self.buttons[key] = button

        layout = QVBoxLayout(page)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addLayout(self.middle, 1)
        layout.addLayout(buttons)

    def _connect_shortcuts(self) -> None:
        # Keys are handled in keyPressEvent rather than with QShortcut: they then
        # work whatever has focus inside the window, and whether or not a window
        # manager has made it "active".
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        key = Qt.Key
        self._keys: dict[int, Callable[[], None]] = {
            key.Key_Space: self.controller.toggle_pause,
            key.Key_Right: self.controller.skip,
            key.Key_Left: self.controller.back,
            key.Key_Return: self.controller.enter,
            key.Key_Enter: self.controller.enter,
            key.Key_D: self.controller.finish_set,
            key.Key_Plus: lambda: self.controller.add_time(10),
            key.Key_Equal: lambda: self.controller.add_time(10),
            key.Key_Minus: lambda: self.controller.add_time(-10),
            key.Key_Underscore: lambda: self.controller.add_time(-10),
            key.Key_F: self.toggle_full_screen,
            key.Key_F11: self.toggle_full_screen,
            key.Key_M: self.toggle_mute,
            key.Key_H: self.hurt.start,
            key.Key_Escape: self._on_escape,
        }

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._pages.currentWidget() is self._before:
            self._before_scale.keyPressEvent(event)
            return
        if self._pages.currentWidget() is self.hurt.view:
            if not event.isAutoRepeat():
                self.hurt.view.keyPressEvent(event)
            event.accept()
            return
        handler = self._keys.get(event.key())
        on_summary = self.on_summary
        if handler is None or (on_summary and handler not in (self.toggle_full_screen,
                                                               self._on_escape)):
            super().keyPressEvent(event)
            return
        if not event.isAutoRepeat():
            why_not = self._why_key_does_nothing(event.key())
            if why_not:
                # A key that does nothing here says why rather than staying silent.
                self.words.set_text(self.caption, f"\u2139 {why_not}.")
            else:
                handler()
        event.accept()

    def _why_key_does_nothing(self, key: int) -> str:
        step = self.controller.engine.current
        allowed = controls_for(step)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_D) and allowed.enter is None:
            return allowed.enter_why_not
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal, Qt.Key.Key_Minus) and not allowed.time:
            return allowed.time_why_not
        return ""

    def _show_controls(self, step: Step) -> None:
        """Enter and +/-10 s appear only where they act; their tooltips say why not."""
        allowed = controls_for(step)
        enter = self.buttons["enter"]
        enter.setEnabled(allowed.enter is not None)
        enter.setText(f"{allowed.enter or 'Rep / Done'}\nEnter")
        enter.setAccessibleName(allowed.enter or "Rep or done")
        enter.setToolTip(allowed.enter_why_not)
        for name in ("minus", "plus"):
            self.buttons[name].setEnabled(allowed.time)
            self.buttons[name].setToolTip(allowed.time_why_not)

    # --- Sizes: everything scales with the window ---------------------------------------

    def _restyle(self) -> None:
        """The player's own colours, or black, white and yellow in the high-contrast theme."""
        wanted = _HIGH_CONTRAST_STYLE if theme.current() == "high-contrast" else _STYLE
        if self.styleSheet() != wanted:
            self.setStyleSheet(wanted)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() in (QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange):
            self._restyle()
        super().changeEvent(event)

    def set_text_scale(self, scale: float) -> None:
        """The person's text size (1.0 is 100 %), on top of the sizes taken from the window."""
        self.text_scale = scale
        self._size_text()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._size_text()

    def _size_text(self) -> None:
        h = max(self.height(), 300)
        w = max(self.width(), 400)
        # Everything scales with the window; the person's text size scales the words
        # on top (the timer already takes all the room it has), and gives the words'
        # column a larger share of the width.
        t = self.text_scale
        self.middle.setStretch(2, round(8 * max(t, 1.0)))
        self.timer.set_sizes(max(int(h * 0.46), 24), 16)
        self.detail.set_sizes(max(int(h * 0.04 * t), 16), 12)
        words = self.words
        # Each has a floor that grows with the text size: a person who asked for large
        # text gets fewer words rather than small ones.
        words.set_size(self.name, max(int(h * 0.065 * t), 22), int(18 * t))
        words.set_size(self.key_cue, max(int(h * 0.045 * t), 18), int(16 * t))
        # The steps are for reading before starting; the key cue and the voice carry the
        # exercise from the mat, so the steps give way when space runs out.
        words.set_size(self.instruction, max(int(h * 0.036 * t), 15), int(12 * t))
        words.set_size(self.next_up, max(int(h * 0.036 * t), 15), int(13 * t))
        words.set_size(self.caption, max(int(h * 0.03 * t), 14), int(12 * t))
        words.spacing = max(int(h * 0.012), 4)
        words.arrange()
        self._set_px(self.badge, max(int(h * 0.032 * t), 14), bold=True)
        self._set_px(self.time_left, max(int(h * 0.032 * t), 14), bold=True)
        self.progress.setFixedHeight(max(int(h * 0.022), 10))
        for button in self.buttons.values():
            self._set_px(button, max(min(int(h * 0.024), int(w * 0.0125)), 10), bold=True)
            button.setMinimumHeight(max(int(h * 0.095), 52))
        self._flash.setGeometry(self.rect())

    @staticmethod
    def _set_px(widget: QWidget, pixels: int, bold: bool = False) -> None:
        font = QFont(widget.font())
        font.setPixelSize(pixels)
        font.setBold(bold)
        widget.setFont(font)

    # --- Showing the session -----------------------------------------------------------

    def _on_view(self, view: View) -> None:
        step = view.step
        phase_left = None if view.phase_remaining is None else math.ceil(
            view.phase_remaining - 1e-9)
        key = (view.index, view.display_seconds, view.rep, view.phase, phase_left, view.state,
               view.goal, view.resuming is not None)
        if key == self._last_view_key:
            return
        self._last_view_key = key
        self.timer.setText(self._timer_text(view))
        self.timer.setAccessibleName(timer_words(view))
        self.detail.setText(self._detail_text(view))
        self.progress.setValue(int(view.session_fraction * 100))
        if step.duration is None and step.kind is StepKind.WORK:
            # Open-ended: this hold or set lasts until the person ends it.
            self.time_left.setText(f"then {format_clock(view.session_left)} left"
                                   if view.session_left >= 1 else "then done")
        else:
            self.time_left.setText(f"{format_clock(view.session_left)} left")
        word, symbol, _ = _BADGES[step.kind]
        if view.state is State.PAUSED:
            word, symbol = "PAUSED", "\u275a\u275a"
        elif view.resuming is not None:
            word, symbol = "GET READY", "\u25d4"
        self.badge.setText(f"{symbol}  {word}")
        self.badge.setAccessibleName(word.capitalize())  # the word, not the symbol
        if step.kind is StepKind.WORK and step.item is not None and self.images:
            self._show_picture(step, view)

    @staticmethod
    def _timer_text(view: View) -> str:
        """The big number: the rep being done for rep work, seconds for everything else."""
        seconds = view.display_seconds
        if view.step.kind is StepKind.WORK and view.resuming is None:
            if view.step.work is WorkKind.REPS:
                return f"{view.rep}/{view.step.total_reps}"
            if view.step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
                return str(view.rep)
        return format_clock(seconds) if seconds >= 60 else str(seconds)

    @staticmethod
    def _detail_text(view: View) -> str:
        step = view.step
        if view.resuming is not None:
            return "Getting ready to go on"
        if view.state is State.PAUSED:
            return "Paused: press Space to go on"
        parts: list[str] = []
        first_line = ""
        if step.kind is StepKind.WORK:
            if step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
                # What to do right now gets its own line: it changes every second or two.
                if view.phase:
                    left = math.ceil((view.phase_remaining or 0) - 1e-9)
                    first_line = f"{_PHASE_WORDS.get(view.phase, view.phase)}  {left}\n"
                what = "breath" if step.work is WorkKind.BREATHS else "rep"
                parts.append(f"{what} {view.rep}/{step.count}")
            elif step.work is WorkKind.REPS:
                parts.append("Press Enter for each rep")
            elif step.work is WorkKind.OPEN_HOLD:
                parts.append("Hold as long as you can, then press Enter")
                if view.goal:
                    parts.append(f"goal {format_clock(view.goal)}")
            if step.sets > 1:
                parts.append(f"set {step.set_number}/{step.sets}")
            side = view.rep_side or step.side
            if side in ("left", "right"):
                parts.append(f"{side} side")
            elif side == "alternating":
                parts.append("alternate sides")
        elif step.kind is StepKind.SWITCH:
            parts.append("Right side next")
        elif step.kind is StepKind.REST and not step.before_next_exercise:
            parts.append(f"Set {step.set_number + 1} of {step.sets} next")
        return first_line + "  \u00b7  ".join(parts)

    def _on_step_started(self, index: int, step: Step) -> None:
        self._show_controls(step)
        if self._pages.currentWidget() is self._before:  # started without the question
            self._pages.setCurrentWidget(self._session)
        _, _, color = _BADGES[step.kind]
        # A property the window's style sheet matches: re-polishing one label is far
        # cheaper than giving it a style sheet of its own at every step.
        self.badge.setProperty("kind", step.kind.value)
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self._flash.flash(QColor("#ffffff") if step.kind is StepKind.WORK else color.lighter(160))
        exercise = self.exercises.get(step.exercise_id or "")
        name, cue, steps = "", "", ""
        if step.kind is StepKind.WORK and exercise is not None:
            name, cue, steps = step.name, exercise.key_cue, "\n".join(exercise.steps)
        elif step.kind is StepKind.PREPARE:
            first = self._exercise_after(index)
            name, cue, steps = "Get ready", first.name if first else "", _position_hint(first)
        elif step.kind is StepKind.SWITCH:
            name, cue, steps = ("Switch sides", step.name,
                                "Change to the right side and get into position.")
        elif step.kind is StepKind.REST:
            upcoming = self._exercise_after(index)
            name = "Rest"
            cue = f"Next: {step.next_name}" if step.before_next_exercise else step.name
            steps = _position_hint(upcoming) if step.before_next_exercise else \
                "Breathe easy and shake it out."
        elif step.kind is StepKind.DONE:
            name = "Session complete"
        # The key-cue line already names what comes next in these steps.
        repeats_next = step.kind is StepKind.PREPARE or (step.kind is StepKind.REST and
                                                         step.before_next_exercise)
        self.words.set_texts({self.name: name, self.key_cue: cue, self.instruction: steps,
                              self.next_up: "" if repeats_next else self._next_text(index)})
        if not (step.kind is StepKind.WORK and step.exercise_id in self.images):
            upcoming = self._exercise_after(index)
            nxt_id = upcoming.id if upcoming else None
            if step.kind in (StepKind.PREPARE, StepKind.REST, StepKind.SWITCH) and \
                    nxt_id in self.images:
                self.picture.show_image(self.images[nxt_id][0],
                                        mirror=self._mirror(nxt_id, "right"
                                                            if step.kind is StepKind.SWITCH
                                                            else None),
                                        description=upcoming.name)
            else:
                self.picture.show_image(None)

    def _show_picture(self, step: Step, view: View) -> None:
        ident = step.exercise_id or ""
        start, end = self.images.get(ident, (None, None))
        if start is None:
            self.picture.show_image(None)
            return
        # A hold is spent in the end position; paced reps show where they are headed.
        held = step.work in (WorkKind.HOLD, WorkKind.OPEN_HOLD)
        moving = held or view.phase in ("up", "hold", "in")
        path = end if (moving and end is not None) else start
        side = view.rep_side or step.side
        self.picture.show_image(path, mirror=self._mirror(ident, side), description=step.name)

    def _mirror(self, ident: str, side: str | None) -> bool:
        exercise = self.exercises.get(ident)
        picture = exercise.illustration if exercise else None
        return bool(picture and picture.flip_for_right and side == "right")

    def _exercise_after(self, index: int) -> m.Exercise | None:
        steps = self.controller.engine.timeline.steps
        for step in steps[index + 1:]:
            if step.kind is StepKind.WORK:
                return self.exercises.get(step.exercise_id or "")
        return None

    def _next_text(self, index: int) -> str:
        steps = self.controller.engine.timeline.steps
        current = steps[index]
        for step in steps[index + 1:]:
            if step.kind is StepKind.WORK and (step.item != current.item or
                                               current.kind is not StepKind.WORK):
                if step.item == current.item:
                    return ""
                return f"Next: {step.name}"
            if step.kind is StepKind.DONE:
                return "Next: the end of the session"
        return ""

    def _on_caption(self, text: str) -> None:
        self.words.set_text(self.caption, f"\u266a {text}")
        self.caption.setAccessibleName(f"Said: {text}")

    def _on_paused(self, paused: bool) -> None:
        self.buttons["pause"].setText("\u25b6 Resume\nSpace" if paused else
                                      "\u275a\u275a Pause\nSpace")
        self.buttons["pause"].setAccessibleName("Resume" if paused else "Pause")

    def _on_muted(self, muted: bool) -> None:
        self.buttons["mute"].setText("\u266a Unmute\nM" if muted else "\u266a Mute\nM")
        self.buttons["mute"].setAccessibleName("Unmute" if muted else "Mute")

    def _on_finished(self, summary: Summary) -> None:
        self.summary = summary
        if self.hurt.emergency:
            return      # the emergency page stays: getting help comes before any questions
        self._summary_view.show_summary(summary, self.pain_before)
        self._pages.setCurrentWidget(self._summary_page)
        self._summary_view.pain_after.setFocus()

    # --- Actions ------------------------------------------------------------------------

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            self.showFullScreen()

    def toggle_mute(self) -> None:
        self.controller.set_muted(not self.controller.muted)

    @property
    def on_session(self) -> bool:
        return self._pages.currentWidget() is self._session

    def show_page(self, page: QWidget) -> None:
        """Show one of the window's pages (the session's own, or "Stop: it hurts"), with the
        keys going to the window."""
        self._pages.setCurrentWidget(page)
        self.setFocus()

    def show_session(self) -> None:
        self.show_page(self._session)

    def _on_escape(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        elif self._pages.currentWidget() is not self._session:
            self.close()
        else:
            self.request_stop()

    def request_stop(self) -> None:
        if self.controller.finished:
            self.close()
            return
        was_running = not self.controller.paused
        if was_running:
            self.controller.toggle_pause()
        if self.confirm_stop():
            self.controller.stop()
        elif was_running:
            self.controller.toggle_pause()

    def _ask_stop(self) -> bool:
        return ask(self, "Stop the session?",
                   "Stop now? Everything you have done so far is kept.")

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self.controller.finished and self.controller.engine.state is not State.READY:
            self.request_stop()
            if not self.controller.finished:
                event.ignore()
                return
        geometry = bytes(self.saveGeometry().toBase64()).decode("ascii") \
            if not self.isFullScreen() else ""
        self.sig_window_state.emit(self.isFullScreen(), geometry)
        if self.summary is not None:
            self._summary_view.send_feedback()
        self.sig_closed.emit(self.summary)
        super().closeEvent(event)

    def restore_geometry(self, encoded: str) -> None:
        if encoded:
            self.restoreGeometry(QByteArray.fromBase64(encoded.encode("ascii")))


def _scrolling(page: QWidget, name: str) -> QScrollArea:
    """``page`` in a scroll area that scrolls up and down only, on the player's ground."""
    scroll = QScrollArea()
    scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(page)
    # The player's own background shows through (its style sheet paints it).
    page.setAutoFillBackground(False)
    scroll.viewport().setAutoFillBackground(False)
    return scroll


def _position_hint(exercise: m.Exercise | None) -> str:
    if exercise is None:
        return ""
    where = {
        m.Position.ON_BACK: "Lie on your back.",
        m.Position.ON_FRONT: "Lie on your front.",
        m.Position.ON_SIDE: "Lie on your side.",
        m.Position.ALL_FOURS: "Come onto your hands and knees.",
        m.Position.KNEELING: "Kneel on the mat.",
        m.Position.HALF_KNEELING: "Kneel on one knee.",
        m.Position.SITTING: "Sit down.",
        m.Position.STANDING: "Stand up.",
    }[exercise.position]
    kit = [e for e in exercise.equipment if e.lower() != "mat"]
    return where + (f" You need: {', '.join(kit)}." if kit else "")
