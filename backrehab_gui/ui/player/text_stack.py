"""The player's words, stacked in the room the window leaves them, none of them cut.

The exercise name, key cue, steps, what comes next and the spoken-cue caption
share one column. Each has the size the window and the person's text size ask
for; when they do not all fit, the name, cue, next and caption shrink together
(down to a floor each), and the steps take what is left: they shrink further,
and in a window too small for all of them they show the first steps and
"…", with every step in the tooltip. The key cue and the voice carry the
exercise from the mat; the steps are for reading before starting.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from ..plain import plain_label, tooltip_text

ELIDED = "elided"
"""Set on a label that shows only the start of its text (the layout audit reads it);
its tooltip has all of it."""

_BIG = 1_000_000


@dataclass
class _Line:
    label: QLabel
    size: int = 20
    floor: int = 12
    bold: bool = False
    fill: bool = False
    """Takes the height the others leave (the steps)."""
    full: str = ""
    """The whole text, when the label shows only its start."""


class TextStack(QWidget):
    """Labels top to bottom in the order added; ``set_size`` gives each its wanted pixel
    size and floor. ``label(name)`` is the QLabel to read or set text on (``set_text``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self._lines: list[_Line] = []
        self.spacing = 6

    def add(self, name: str, *, bold: bool = False, fill: bool = False) -> QLabel:
        label = plain_label("", self, wrap=True, name=name)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._lines.append(_Line(label, bold=bold, fill=fill))
        return label

    def set_size(self, label: QLabel, size: int, floor: int) -> None:
        line = self._line(label)
        line.size, line.floor = max(size, floor), floor

    def set_text(self, label: QLabel, text: str) -> None:
        self.set_texts({label: text})

    def set_texts(self, texts: dict[QLabel, str]) -> None:
        """New text for several labels, fitted once."""
        for label, text in texts.items():
            line = self._line(label)
            line.full = text
            label.setText(text)
            # Whole again until arrange() finds it must shorten it: a flag and tooltip left
            # from the last text would hide this one and show the old one on hover.
            self._elided(line, False)
        self.arrange()

    def text(self, label: QLabel) -> str:
        """All of the label's text, also when it shows only the start."""
        return self._line(label).full

    def _line(self, label: QLabel) -> _Line:
        return next(line for line in self._lines if line.label is label)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.arrange()

    # --- Fitting ------------------------------------------------------------------------

    def arrange(self) -> None:
        """Size and place every label for the current width and height."""
        width, height = self.width(), self.height()
        if width <= 0 or height <= 0:
            return
        shown = [line for line in self._lines if line.full]
        fixed = [line for line in shown if not line.fill]
        filler = next((line for line in shown if line.fill), None)
        gaps = self.spacing * max(len(shown) - 1, 0)
        reserve = self._height(filler, filler.floor, width, 1) if filler else 0
        factor = self._largest_factor(fixed, width, height - gaps - reserve)
        sizes = {id(line): self._scaled(line, factor) for line in fixed}
        heights = {id(line): self._height(line, sizes[id(line)], width) for line in fixed}
        room = height - gaps - sum(heights.values())
        if filler is not None:
            sizes[id(filler)], heights[id(filler)] = self._fit_filler(filler, width,
                                                                      max(room, 0))
        # The last lines give way when even their floors do not fit (a tiny window).
        overflow = sum(heights.values()) + gaps - height
        for line in reversed(fixed):
            if overflow <= 0:
                break
            kept = max(heights[id(line)] - overflow, 0)
            overflow -= heights[id(line)] - kept
            heights[id(line)] = self._shorten(line, sizes[id(line)], width, kept)
        y = 0
        for line in self._lines:
            if not line.full:
                line.label.setGeometry(0, 0, width, 0)
                line.label.hide()
                continue
            if id(line) not in heights:
                continue
            self._set_font(line, sizes[id(line)])
            line.label.setGeometry(0, y, width, heights[id(line)])
            line.label.setVisible(heights[id(line)] > 0)
            y += heights[id(line)] + self.spacing

    @staticmethod
    def _scaled(line: _Line, factor: float) -> int:
        return max(line.floor, int(line.size * factor))

    def _largest_factor(self, lines: list[_Line], width: int, room: int) -> float:
        def total(factor: float) -> int:
            return sum(self._height(line, self._scaled(line, factor), width) for line in lines)

        if total(1.0) <= room:
            return 1.0
        low, high = 0.0, 1.0
        for _ in range(8):
            middle = (low + high) / 2
            if total(middle) <= room:
                low = middle
            else:
                high = middle
        return low

    def _fit_filler(self, line: _Line, width: int, room: int) -> tuple[int, int]:
        """The steps at the largest size that fits ``room``; at the floor, as many
        whole lines as fit, then "…"."""
        low, high, best = line.floor, line.size, None
        while low <= high:
            size = (low + high) // 2
            if self._height(line, size, width) <= room:
                best, low = size, size + 1
            else:
                high = size - 1
        if best is not None:
            line.label.setText(line.full)
            self._elided(line, False)
            return best, room
        return line.floor, self._shorten(line, line.floor, width, room)

    def _shorten(self, line: _Line, size: int, width: int, room: int) -> int:
        """Show the start of the line's text that fits ``room`` (whole lines and "…")."""
        if self._height(line, size, width) <= room:
            line.label.setText(line.full)
            self._elided(line, False)
            return self._height(line, size, width)
        words = line.full.split(" ")
        kept = ""
        for count in range(len(words), 0, -1):
            candidate = " ".join(words[:count]).rstrip(" ,.;:") + "\u2026"
            if self._height_of(candidate, line, size, width) <= room:
                kept = candidate
                break
        line.label.setText(kept)
        self._elided(line, True)
        return self._height_of(kept, line, size, width) if kept else 0

    def _elided(self, line: _Line, elided: bool) -> None:
        line.label.setProperty(ELIDED, elided)
        line.label.setToolTip(tooltip_text(line.full) if elided else "")

    def _font(self, line: _Line, size: int) -> QFont:
        font = QFont(line.label.font())
        font.setPixelSize(max(1, size))
        font.setBold(line.bold)
        return font

    def _set_font(self, line: _Line, size: int) -> None:
        font = self._font(line, size)
        if font != line.label.font():
            line.label.setFont(font)

    def _height(self, line: _Line, size: int, width: int, lines: int | None = None) -> int:
        if lines == 1:
            return QFontMetrics(self._font(line, size)).height()
        return self._height_of(line.full, line, size, width)


    def _height_of(self, text: str, line: _Line, size: int, width: int) -> int:
        if not text:
            return 0
        metrics = QFontMetrics(self._font(line, size))
        need = metrics.boundingRect(QRect(0, 0, max(width, 1), _BIG),
                                    int(Qt.TextFlag.TextWordWrap), text)
        # A word wider than the column would be cut at its edge: that does not fit at all.
        return need.height() if need.width() <= width else _BIG
