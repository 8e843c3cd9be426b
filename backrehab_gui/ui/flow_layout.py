"""A row of buttons that wraps onto more rows when the window is narrow or the text large.

Qt's box layouts keep a row on one line whatever it costs: a window that cannot
be narrower than all its buttons side by side, wider than the screen at 200 %
text. ``FlowLayout`` (after Qt's Flow Layout example) places its items left to
right and starts a new row when the next one does not fit; it answers
height-for-width, so the rows below move down instead of being covered.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget


class FlowLayout(QLayout):
    """Items left to right at their preferred widths, wrapping onto new rows; with
    ``align_right`` each row sits at the right edge."""

    def __init__(self, parent: QWidget | None = None, *, spacing: int = -1,
                 align_right: bool = False) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self._align_right = align_right
        if parent is None:
            self.setContentsMargins(QMargins(0, 0, 0, 0))

    # --- QLayout's interface -------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._place(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        self._place(rect, apply=True)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # All on one row when there is room for it.
        margins = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in self._visible()) + \
            self._gap() * max(len(self._visible()) - 1, 0)
        height = max((i.sizeHint().height() for i in self._visible()), default=0)
        return QSize(width + margins.left() + margins.right(),
                     height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        # As narrow as the widest item: everything else goes onto more rows.
        size = QSize()
        for item in self._visible():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    # --- Placing --------------------------------------------------------------------------

    def _visible(self) -> list[QLayoutItem]:
        return [i for i in self._items if not i.isEmpty()]

    def _gap(self) -> int:
        if self._spacing >= 0:
            return self._spacing
        parent = self.parentWidget()
        if parent is None:
            return 6
        # The style's horizontal layout spacing, as Qt's own layouts ask it (from the widget
        # the layout is in, or the layout it is in). Not through QStyle.PixelMetric: that
        # enum's class builds some 10 ms of enums, before Today is painted.
        gap = QLayout.spacing(self)
        return gap if gap >= 0 else parent.style().layoutSpacing(
            QSizePolicy.ControlType.PushButton, QSizePolicy.ControlType.PushButton,
            Qt.Orientation.Horizontal)

    def _place(self, rect: QRect, *, apply: bool) -> int:
        """Lay the items out in ``rect`` (only measuring unless ``apply``); the height
        used."""
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(),
                             -margins.bottom())
        gap = self._gap()
        rows: list[list[QLayoutItem]] = [[]]
        x = 0
        for item in self._visible():
            width = min(item.sizeHint().width(), area.width())
            if rows[-1] and x + width > area.width():
                rows.append([])
                x = 0
            rows[-1].append(item)
            x += width + gap
        y = area.top()
        for row in rows:
            if not row:
                continue
            height = max(i.sizeHint().height() for i in row)
            widths = [min(i.sizeHint().width(), area.width()) for i in row]
            used = sum(widths) + gap * (len(row) - 1)
            x = area.left() + (area.width() - used if self._align_right else 0)
            if apply:
                for item, width in zip(row, widths):
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
                    x += width + gap
            y += height + gap
        return y - gap - rect.top() + margins.bottom() if y > area.top() else \
            margins.top() + margins.bottom()
