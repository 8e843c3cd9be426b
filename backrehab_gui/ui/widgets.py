"""Small widgets shared by the windows."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEasingCurve, QEvent, QRect, QRectF, QSize, Qt, QTimeLine
from PySide6.QtGui import QColor, QFont, QFontMetrics, QImage, QPainter, QTransform
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QListView,
    QListWidget,
    QSizePolicy,
    QStyle,
    QStyleOptionButton,
    QStylePainter,
    QWidget,
)


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
            self.setObjectName(name)  # for style sheets; a screen reader reads the text

    def set_sizes(self, largest: int, smallest: int) -> None:
        self.largest, self.smallest = max(largest, smallest), smallest
        self._fit()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        # It fits its font to the room it is given, so it asks for no height of its own
        # (a wrapped QLabel would, and took the timer's room beside it).
        return False

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
        self.setAccessibleName("Drawing")  # what it shows is its description

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


class WrapCheckBox(QCheckBox):
    """A check box whose text wraps onto more lines (QCheckBox keeps it on one line,
    however narrow the window: a checklist then scrolled sideways). The whole box, text
    included, toggles it, and its text stays its text for keys and screen readers."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def wordWrap(self) -> bool:  # noqa: N802 - as QLabel says it
        return True

    def _indicator(self) -> tuple[int, int]:
        option = QStyleOptionButton()
        self.initStyleOption(option)
        style = self.style()
        width = style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, option, self)
        gap = style.pixelMetric(QStyle.PixelMetric.PM_CheckBoxLabelSpacing, option, self)
        return width, gap

    def _text_rect(self, width: int) -> QRect:
        indicator, gap = self._indicator()
        room = max(width - indicator - gap - 2, 1)
        return self.fontMetrics().boundingRect(
            QRect(0, 0, room, 1_000_000),
            int(Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic), self.text())

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        indicator, _gap = self._indicator()
        return max(self._text_rect(width).height(), indicator) + 4

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        indicator, gap = self._indicator()
        line = self.fontMetrics().boundingRect(
            QRect(0, 0, 1_000_000, 1_000_000), int(Qt.TextFlag.TextShowMnemonic), self.text())
        width = indicator + gap + line.width() + 4
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        indicator, gap = self._indicator()
        longest = max((self.fontMetrics().horizontalAdvance(w) for w in self.text().split()),
                      default=0)
        # Its height at a given width comes from heightForWidth; the least is one line.
        return QSize(indicator + gap + longest + 4,
                     max(self.fontMetrics().height(), indicator) + 4)

    def hitButton(self, pos) -> bool:  # noqa: N802 - Qt's name
        return self.rect().contains(pos)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QStylePainter(self)
        option = QStyleOptionButton()
        self.initStyleOption(option)
        indicator, gap = self._indicator()
        # The indicator as the style draws it (checked, focus, hover), beside the first line.
        option.text = ""
        option.rect = QRect(0, 0, indicator, max(indicator, self.fontMetrics().height()))
        painter.drawControl(QStyle.ControlElement.CE_CheckBox, option)
        text = QRect(indicator + gap, 0, self.width() - indicator - gap, self.height())
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(text, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop |
                                   Qt.TextFlag.TextWordWrap | Qt.TextFlag.TextShowMnemonic),
                         self.text())


class WrapList(QListWidget):
    """A list whose items wrap to its width, each as tall as its wrapped text.

    QListWidget's word wrap only breaks lines it already has room for: it measures
    items as if the list were endlessly wide, so a narrow list or large text cut the
    last line of an item. This list measures each item at its real width whenever the
    width, the font or the items change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._width = -1
        model = self.model()
        model.rowsInserted.connect(self._refit)
        model.dataChanged.connect(self._refit)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.viewport().width() != self._width:
            self._refit()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._refit()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Wide enough for the longest word of any item; anything longer wraps.
        metrics = self.fontMetrics()
        longest = max((metrics.horizontalAdvance(word) for row in range(self.count())
                       for word in self.item(row).text().split()), default=0)
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self)
        scroll = self.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, self)
        hint = super().minimumSizeHint()
        return QSize(longest + 2 * self.spacing() + 2 * (margin + 1) + 8 + scroll +
                     2 * self.frameWidth(), hint.height())

    def _refit(self, *_args) -> None:
        self._width = self.viewport().width()
        style = self.style()
        h_margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        v_margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameVMargin, None, self) + 1
        # The item's width, and inside it the text's: the delegate wraps at the latter.
        width = max(self._width - 2 * self.spacing() - 4, 20)
        text_width = max(width - 2 * h_margin - 2, 10)
        metrics = self.fontMetrics()
        model = self.model()
        model.blockSignals(True)  # setting a size hint changes the item's data
        try:
            for row in range(self.count()):
                item = self.item(row)
                need = metrics.boundingRect(QRect(0, 0, text_width, 1_000_000),
                                            int(Qt.TextFlag.TextWordWrap), item.text())
                item.setSizeHint(QSize(width, need.height() + 2 * v_margin + 2))
        finally:
            model.blockSignals(False)
        self.doItemsLayout()


class WrapLabel(QLabel):
    """Plain, wrapped text that keeps the height its lines need at its width.

    Layouts that do not ask a wrapped label for its height at a given width
    (QFormLayout, and boxes holding one) gave it the height of a wider guess and cut
    its last line: this label makes that height its minimum."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setWordWrap(True)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        super().setText(text)
        self._keep_height()

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        # Its height goes up the layouts as a minimum, which every layout honours and
        # passes on; a height-for-width answer was cached a level up and went stale.
        return False

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        longest = max((self.fontMetrics().horizontalAdvance(word)
                       for word in self.text().split()), default=0)
        return QSize(longest + 2 * self.margin(), self.minimumHeight())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # All on one line where there is room; as tall as its lines at its width.
        flags = int(Qt.TextFlag.TextShowMnemonic) if self.buddy() is not None else 0
        line = self.fontMetrics().boundingRect(QRect(0, 0, 1_000_000, 1_000_000), flags,
                                               self.text())
        return QSize(line.width() + 2 * self.margin() + 1,
                     max(self.minimumHeight(), line.height()))

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._keep_height()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._keep_height()

    def _keep_height(self) -> None:
        if self.width() > 0:
            height = self.heightForWidth(self.width()) if self.text() else 0
            if height != self.minimumHeight():
                self.setMinimumHeight(max(height, 0))
