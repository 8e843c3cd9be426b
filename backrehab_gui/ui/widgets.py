"""Small widgets shared by the windows."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEasingCurve, QRectF, QSize, Qt, QTimeLine
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QTransform
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class FittingLabel(QLabel):
    """Plain text whose font shrinks (down to a floor) until all of it fits, in width and
    height: wrapped, or on one line (the player's timer digits) with ``wrap=False``."""

    def __init__(self, name: str = "", parent: QWidget | None = None, *,
                 wrap: bool = True) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(wrap)
        self.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.largest = 28
        self.smallest = 12
        self._fitted: tuple | None = None
        if name:
            self.setObjectName(name)
            self.setAccessibleName(name.replace("_", " "))

    def set_sizes(self, largest: int, smallest: int) -> None:
        self.largest, self.smallest = max(largest, smallest), smallest
        self._fit()

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        area = self.contentsRect()
        if area.width() <= 0 or area.height() <= 0:
            return
        # Digits are equally wide: a clock ticking from 0:18 to 0:17 keeps its size, and
        # fitting it once is enough (it changes every second).
        key = (re.sub(r"\d", "0", self.text()), area.size().toTuple(), self.largest,
               self.smallest, self.font().family(), self.font().bold())
        if key == self._fitted:
            return
        self._fitted = key
        font = QFont(self.font())
        flags = int(Qt.TextFlag.TextWordWrap) if self.wordWrap() else 0
        low, high, best = self.smallest, self.largest, self.smallest
        while low <= high:
            size = (low + high) // 2
            font.setPixelSize(size)
            needed = QFontMetrics(font).boundingRect(
                0, 0, area.width(), 100_000, flags, self.text())
            if needed.height() <= area.height() and needed.width() <= area.width():
                best, low = size, size + 1
            else:
                high = size - 1
        font.setPixelSize(best)
        if font != self.font():
            self.setFont(font)


class FlashOverlay(QWidget):
    """A brief full-window flash when a step changes, for a noisy room or a person who
    cannot hear the cues. Mouse events pass through it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self._alpha = 0.0
        self._color = QColor(255, 255, 255)
        # 25 frames a second is plenty for a fade seen from the floor, and each
        # frame repaints the whole window under it: a step change must stay cheap.
        self._fade = QTimeLine(400, self)
        self._fade.setUpdateInterval(40)
        self._fade.setEasingCurve(QEasingCurve.Type.OutCubic)
        self._fade.valueChanged.connect(self._on_value)
        self._fade.finished.connect(self.hide)
        self.hide()

    def flash(self, color: QColor) -> None:
        self._color = QColor(color)
        self.setGeometry(self.parentWidget().rect())
        self.raise_()
        self.show()
        self._fade.stop()
        self._fade.start()

    @property
    def active(self) -> bool:
        return self.isVisible()

    def _on_value(self, progress: float) -> None:
        self._alpha = 0.55 * (1.0 - float(progress))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        color = QColor(self._color)
        color.setAlphaF(max(0.0, min(1.0, self._alpha)))
        painter.fillRect(self.rect(), color)


class Illustration(QWidget):
    """Shows an exercise drawing (SVG or bitmap), mirrored for the right side when asked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._renderer: QSvgRenderer | None = None
        self._bitmap: QImage | None = None
        self._path: Path | None = None
        self._mirror = False
        self.setAccessibleName("exercise drawing")

    def show_image(self, path: Path | None, *, mirror: bool = False, description: str = "") -> None:
        if path != self._path:
            self._path = path
            self._renderer, self._bitmap = None, None
            if path is not None and path.suffix.lower() == ".svg":
                self._renderer = QSvgRenderer(str(path))
                if not self._renderer.isValid():
                    self._renderer = None
            elif path is not None:
                # Routine files may show PNG and JPEG pictures too; QSvgRenderer reads SVG only.
                image = QImage(str(path))
                self._bitmap = None if image.isNull() else image
        self._mirror = mirror
        self.setAccessibleDescription(description)
        self.setVisible(self.has_image)
        self.update()

    @property
    def has_image(self) -> bool:
        return self._renderer is not None or self._bitmap is not None

    def natural_size(self) -> QSize:
        """The picture's own size (an empty size when there is none)."""
        if self._renderer is not None:
            return self._renderer.defaultSize()
        return self._bitmap.size() if self._bitmap is not None else QSize()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if not self.has_image:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        size = self.natural_size()
        box = QRectF(self.rect())
        if size.width() > 0 and size.height() > 0:
            scale = min(box.width() / size.width(), box.height() / size.height())
            w, h = size.width() * scale, size.height() * scale
            box = QRectF(box.x() + (box.width() - w) / 2, box.y() + (box.height() - h) / 2, w, h)
        if self._mirror:
            painter.setTransform(QTransform(-1, 0, 0, 1, box.x() * 2 + box.width(), 0))
        if self._renderer is not None:
            self._renderer.render(painter, box)
        else:
            painter.drawImage(box, self._bitmap)
