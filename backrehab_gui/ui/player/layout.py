"""The player window's pages built, styled and sized, to be read from a mat two metres away.

The timer digits take the largest share of the window; then the exercise, what to do and
the one key cue; then set, rep and side; what's next; and the session's progress. Every
action has a key and a large button. Everything scales with the window, and the words
with the person's text size too.

A mixin for PlayerWindow (``window``), which owns the widgets made here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ...core.units import format_about
from .. import theme
from ..pain_scale import PAIN_ENDS, Scale
from ..plain import plain_label
from ..widgets import FittingLabel, Illustration
from .text_stack import TextStack

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


class PlayerLayout:
    """The pages, their look and their sizes; a mixin for PlayerWindow."""

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

    def _restyle(self) -> None:
        """The player's own colours, or black, white and yellow in the high-contrast theme."""
        wanted = _HIGH_CONTRAST_STYLE if theme.current() == "high-contrast" else _STYLE
        if self.styleSheet() != wanted:
            self.setStyleSheet(wanted)

    def set_text_scale(self, scale: float) -> None:
        """The person's text size (1.0 is 100 %), on top of the sizes taken from the window."""
        self.text_scale = scale
        self.hurt.view.set_text_scale(scale)
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
