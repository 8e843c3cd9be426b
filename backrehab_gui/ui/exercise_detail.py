"""One exercise to read before doing it, and the list of what to avoid: the two
pages on the right of the exercise library.

Everything from the routine files is shown as plain text, never as markup.
Text sizes are multiples of the widget's own font (``scaled_font``), so the
pages follow the application font and the person's accessibility settings.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..core import model as m
from ..core.dose_text import describe, origin
from ..core.loading import Library
from ..core.swaps import WORDS, moves
from . import theme
from .exercise_words import category_words, position_words
from .flow_layout import FlowLayout
from .plain import mnemonic_safe, plain_label
from .widgets import Illustration

# Symbols every bundled font has; each goes with a word, never alone.
CAUTION_SYMBOL = "\u26a0"
AVOID_SYMBOL = "\u2717"
EASIER_SYMBOL = "\u25c0"
HARDER_SYMBOL = "\u25b6"

STYLE = """
QFrame#key_cue_box { border-left: 4px solid palette(highlight);
                     background: palette(alternate-base); border-radius: 4px; }
QFrame#caution_box, QFrame#avoid_note { border: 2px solid #e0a100; border-radius: 6px;
                                        background: rgba(255, 193, 7, 0.12); }
QFrame#avoid_entry { border: 1px solid palette(mid); border-radius: 6px; }
"""
"""The boxes on these pages; the library view sets it on itself, so it reaches both."""


def scaled_font(base: QFont, factor: float = 1.0, *, bold: bool = False) -> QFont:
    """``base`` made ``factor`` times larger (points or pixels), bold or not."""
    font = theme.scaled_font(base, factor)
    font.setBold(bold)
    return font


class ExerciseDetail(QWidget):
    """Everything about one exercise, for reading before doing it."""

    def __init__(self, exercise: m.Exercise, library: Library, base: QFont, *,
                 on_select: Callable[[str], None], on_try: Callable[[str], None] | None,
                 sensitive: frozenset[m.SpineMove] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.swap_note: QFrame | None = None
        self.variant_buttons: dict[str, QPushButton] = {}
        self.instead_buttons: dict[str, QPushButton] = {}
        self.steps: list[QLabel] = []
        self.stop_if: list[QLabel] = []
        self.caution: QFrame | None = None
        self.caution_text: QLabel | None = None
        self.avoid_note: QFrame | None = None
        self.pictures: list[Illustration] = []
        self.try_button: QPushButton | None = None
        self._base = base
        self._on_select = on_select
        line = max(1, self.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(line, line // 2, line, line)
        layout.setSpacing(max(4, line // 2))

        self.name = self._label(exercise.name, "exercise_name", 1.7, bold=True)
        title = QHBoxLayout()
        title.addWidget(self.name, 1)
        if on_try is not None:
            self.try_button = self._button(f"{HARDER_SYMBOL} Try this exercise",
                                           f"Try {exercise.name} on its own",
                                           lambda: on_try(exercise.id))
            title.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title)
        meta = [category_words(exercise.category), position_words(exercise.position)]
        meta.append("Needs: " + ", ".join(exercise.equipment) if exercise.equipment
                    else "No equipment")
        self.meta = self._label("   \u00b7   ".join(meta), "meta")
        layout.addWidget(self.meta)

        move = moves(exercise, sensitive)
        if move is not None and exercise.neutral_instead in library.exercises:
            instead = library.exercises[exercise.neutral_instead].name
            self.swap_note, _text = self._notice(
                "swap_box", f"{CAUTION_SYMBOL} Swapped in your program",
                f"You said {WORDS[move]} makes your pain worse, and this exercise does "
                f"that. Your program does {instead} instead. You can change your answer "
                "under Today → Change plan.")
            layout.addWidget(self.swap_note)
        if exercise.caution:
            self.caution, self.caution_text = self._notice(
                "caution_box", f"{CAUTION_SYMBOL} Caution", exercise.caution)
            layout.addWidget(self.caution)
        covering = [a for a in (library.safety.avoid if library.safety else ())
                    if exercise.id in a.covers]
        if covering:
            layout.addWidget(self._avoid_note(covering, library))

        images = library.images.get(exercise.id)
        if images:
            layout.addLayout(self._pictures(images, line))

        self.dose = self._label(f"Usual dose: {describe(exercise.dose)}", "dose", 1.1, bold=True)
        layout.addWidget(self.dose)
        self.dose_origin = self._label(origin(exercise.dose, library.sources), "dose_origin")
        layout.addWidget(self.dose_origin)
        box = QFrame()
        box.setObjectName("key_cue_box")
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(line, line // 2, line, line // 2)
        box_layout.addWidget(self._label("Key cue", "key_cue_heading", bold=True))
        self.key_cue = self._label(exercise.key_cue, "key_cue", 1.15)
        box_layout.addWidget(self.key_cue)
        layout.addWidget(box)

        layout.addWidget(self._heading("How to do it"))
        steps = QGridLayout()
        steps.setHorizontalSpacing(line // 2)
        for row, step in enumerate(exercise.steps):
            number = self._label(f"{row + 1}.", f"step_number_{row + 1}", wrap=False)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label = self._label(step, f"step_{row + 1}")
            self.steps.append(label)
            steps.addWidget(number, row, 0)
            steps.addWidget(label, row, 1)
        steps.setColumnStretch(1, 1)
        layout.addLayout(steps)

        self.tip = None
        if exercise.tip:
            layout.addWidget(self._heading("Tip"))
            self.tip = self._label(exercise.tip, "tip")
            layout.addWidget(self.tip)
        layout.addWidget(self._heading("Why it helps"))
        self.why = self._label(exercise.why, "why")
        layout.addWidget(self.why)
        if exercise.stop_if:
            layout.addWidget(self._heading("Stop if"))
            for number, sign in enumerate(exercise.stop_if, start=1):
                label = self._label(f"\u2022  {sign}", f"stop_if_{number}")
                label.setAccessibleName(sign)  # the words without the bullet
                self.stop_if.append(label)
                layout.addWidget(label)

        variants = [(ident, "easier") for ident in exercise.easier] + \
                   [(ident, "harder") for ident in exercise.harder]
        variants = [(i, kind) for i, kind in variants if i in library.exercises]
        if variants:
            layout.addWidget(self._heading("Variants"))
            row_layout = FlowLayout()
            for ident, kind in variants:
                name = library.exercises[ident].name
                text = (f"{EASIER_SYMBOL} Easier: {name}" if kind == "easier"
                        else f"Harder: {name} {HARDER_SYMBOL}")
                button = self._button(text, f"{kind.capitalize()} variant: {name}",
                                      lambda _=False, i=ident: self._on_select(i))
                self.variant_buttons[ident] = button
                row_layout.addWidget(button)
            layout.addLayout(row_layout)
        layout.addStretch(1)

    # --- Pieces ------------------------------------------------------------------------

    def _label(self, text: str, name: str, factor: float = 1.0, *, bold: bool = False,
               wrap: bool = True) -> QLabel:
        label = plain_label(text, wrap=wrap, name=name)
        label.setFont(scaled_font(self._base, factor, bold=bold))
        if wrap:
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return label

    def _heading(self, text: str) -> QLabel:
        label = self._label(text, "section_heading", 1.2, bold=True)
        label.setAccessibleName(text)
        return label

    def _button(self, text: str, accessible: str, handler: Callable[[], None]) -> QPushButton:
        button = QPushButton(mnemonic_safe(text))
        button.setAccessibleName(accessible)
        button.setFont(scaled_font(self._base))
        button.setAutoDefault(True)  # Enter presses it, not only Space
        button.clicked.connect(handler)
        return button

    def _notice(self, name: str, title: str, text: str) -> tuple[QFrame, QLabel]:
        frame = QFrame()
        frame.setObjectName(name)
        frame.setAccessibleName(title.split(" ", 1)[-1])
        line = max(1, self.fontMetrics().lineSpacing())
        box = QVBoxLayout(frame)
        box.setContentsMargins(line, line // 2, line, line // 2)
        box.addWidget(self._label(title, f"{name}_title", 1.1, bold=True))
        body = self._label(text, f"{name}_text")
        box.addWidget(body)
        return frame, body

    def _avoid_note(self, covering: list[m.Avoid], library: Library) -> QFrame:
        frame = QFrame()
        frame.setObjectName("avoid_note")
        frame.setAccessibleName("Left out of the program")
        line = max(1, self.fontMetrics().lineSpacing())
        box = QVBoxLayout(frame)
        box.setContentsMargins(line, line // 2, line, line // 2)
        box.addWidget(self._label(f"{AVOID_SYMBOL} Left out of the program", "avoid_note_title",
                                  1.1, bold=True))
        for avoid in covering:
            box.addWidget(self._label(f"{avoid.name}: {avoid.why}", "avoid_note_why"))
            if avoid.instead_text:
                box.addWidget(self._label(f"Instead: {avoid.instead_text}", "avoid_note_instead"))
            buttons = FlowLayout()
            present = [i for i in avoid.instead if i in library.exercises]
            if present:
                buttons.addWidget(self._label("Do instead:", "avoid_note_do", wrap=False))
            for ident in present:
                name = library.exercises[ident].name
                button = self._button(f"{name} {HARDER_SYMBOL}", f"Instead: {name}",
                                      lambda _=False, i=ident: self._on_select(i))
                self.instead_buttons[ident] = button
                buttons.addWidget(button)
            box.addLayout(buttons)
        self.avoid_note = frame
        return frame

    def _pictures(self, images: tuple[Path, Path | None], line: int) -> FlowLayout:
        """The start and end drawings side by side, or one above the other when the
        detail is too narrow for both (``_fit_pictures`` sizes them)."""
        row = FlowLayout()
        start, end = images
        shown = [(start, "Start")] + ([(end, "End")] if end else [])
        for path, caption in shown:
            picture = Illustration()
            picture.show_image(path, description=f"{self.exercise.name}: {caption.lower()} "
                                                 "position")
            if not picture.has_image:
                continue
            self.pictures.append(picture)
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(picture)
            if len(shown) > 1:
                label = self._label(caption, "picture_caption", wrap=False)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                column.addWidget(label)
            row.addWidget(holder)
        self._fit_pictures(line * 20)
        return row

    def _fit_pictures(self, width: int) -> None:
        """Each drawing nine lines high, as wide as its shape asks, never wider than the
        detail (a wide drawing in a narrow window or at large text scrolled sideways)."""
        line = max(1, self.fontMetrics().lineSpacing())
        margins = self.layout().contentsMargins() if self.layout() else None
        room = max(width - (margins.left() + margins.right() if margins else 0), line * 4)
        for picture in self.pictures:
            size = picture.natural_size()
            aspect = size.width() / size.height() if size.height() > 0 else 1.0
            aspect = min(max(aspect, 0.5), 2.5)
            height = min(line * 9, int(room / aspect))
            picture.setFixedSize(round(height * aspect), height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_pictures(self.width())


class AvoidList(QWidget):
    """Each thing to avoid, why, and the library exercises to do instead."""

    def __init__(self, safety: m.Safety | None, library: Library, base: QFont, *,
                 on_select: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.instead_buttons: dict[str, list[QPushButton]] = {}
        self.entries: dict[str, QFrame] = {}
        line = max(1, self.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(line, line // 2, line, line)
        layout.setSpacing(max(4, line // 2))

        def label(text: str, name: str, factor: float = 1.0, bold: bool = False,
                  wrap: bool = True) -> QLabel:
            widget = plain_label(text, wrap=wrap, name=name)
            widget.setFont(scaled_font(base, factor, bold=bold))
            if wrap:
                widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            return widget

        self.heading = label("What to avoid, and what to do instead", "avoid_heading", 1.7,
                             bold=True)
        layout.addWidget(self.heading)
        layout.addWidget(label("These can make a sore lower back worse. Each comes with safer "
                               "choices; choose one to read how to do it.", "avoid_intro"))
        for avoid in safety.avoid if safety else ():
            frame = QFrame()
            frame.setObjectName("avoid_entry")
            frame.setAccessibleName(f"Avoid: {avoid.name}")
            box = QVBoxLayout(frame)
            box.setContentsMargins(line, line // 2, line, line // 2)
            box.addWidget(label(f"{AVOID_SYMBOL} Avoid: {avoid.name}", "avoid_name", 1.15,
                                bold=True))
            box.addWidget(label(avoid.why, "avoid_why"))
            if avoid.instead_text:
                box.addWidget(label(f"Instead: {avoid.instead_text}", "avoid_instead_text"))
            present = [i for i in avoid.instead if i in library.exercises]
            buttons: list[QPushButton] = []
            if present:
                row = FlowLayout()
                row.addWidget(label("Do instead:", "avoid_do_instead", bold=True, wrap=False))
                for ident in present:
                    name = library.exercises[ident].name
                    button = QPushButton(mnemonic_safe(f"{name} {HARDER_SYMBOL}"))
                    button.setAccessibleName(f"Instead of {avoid.name}: {name}")
                    button.setFont(scaled_font(base))
                    button.setAutoDefault(True)
                    button.clicked.connect(lambda _=False, i=ident: on_select(i))
                    buttons.append(button)
                    row.addWidget(button)
                box.addLayout(row)
            self.instead_buttons[avoid.id] = buttons
            self.entries[avoid.id] = frame
            layout.addWidget(frame)
        if not self.entries:
            layout.addWidget(label("The routine files list nothing to avoid.", "avoid_none"))
        layout.addStretch(1)
