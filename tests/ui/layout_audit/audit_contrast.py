"""Text contrast for the layout audit, from the colours actually painted.

``window_contrast(window, minimum, probe)`` grabs the window (and each scrolled page
whole, on the ground it shows on screen) and, for every piece of text on it (labels,
buttons, group titles, list and table items, and the charts' painted text through the
probe), compares the colour of its glyphs with the colour behind them, both read from
the pixels, by WCAG 2 relative luminance.
"""

from __future__ import annotations

from array import array
from collections import Counter

from audit_checks import PAINTED, ChartProbe, Problem, describe, needed_text_size, visible_widgets
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette, QRegion
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QStyle,
    QTableWidget,
    QWidget,
)


def luminance(rgb: int) -> float:
    """WCAG 2 relative luminance of a 0xRRGGBB colour."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel((rgb >> 16) & 0xFF) + 0.7152 * channel((rgb >> 8) & 0xFF)
            + 0.0722 * channel(rgb & 0xFF))


def ratio(a: int, b: int) -> float:
    la, lb = luminance(a), luminance(b)
    return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)


class Pixels:
    """A grabbed image, read a rectangle at a time."""

    def __init__(self, image: QImage) -> None:
        self.image = image.convertToFormat(QImage.Format.Format_RGB32)
        self.width, self.height = self.image.width(), self.image.height()
        self.stride = self.image.bytesPerLine()
        self.data = bytes(self.image.constBits())

    def colours(self, rect: QRect) -> Counter:
        """How many pixels of each colour (0xRRGGBB) ``rect`` holds."""
        rect = rect.intersected(QRect(0, 0, self.width, self.height))
        values = array("I")
        left, right = rect.left() * 4, (rect.right() + 1) * 4
        for y in range(rect.top(), rect.bottom() + 1):
            start = y * self.stride
            values.frombytes(self.data[start + left:start + right])
        return Counter(v & 0xFFFFFF for v in values)


def _channels(rgb: int) -> tuple[int, int, int]:
    return (rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF


def _on_blend(pixel: int, ground: int, ink: int, tolerance: float = 10.0) -> bool:
    """Whether ``pixel`` is ``ink`` laid over ``ground`` at some coverage (an
    antialiased glyph edge), within ``tolerance`` per channel."""
    p, g, k = (_channels(c) for c in (pixel, ground, ink))
    span = [k[i] - g[i] for i in range(3)]
    length = sum(d * d for d in span)
    if length == 0:
        return False
    cover = sum((p[i] - g[i]) * span[i] for i in range(3)) / length
    if cover <= 0.15:
        return False
    cover = min(cover, 1.0)
    return all(abs(g[i] + cover * span[i] - p[i]) <= tolerance for i in range(3))


def text_contrast(counts: Counter, ink: int | None = None) -> tuple[float, int, int] | None:
    """(contrast, text colour, ground colour) of an area holding text, from its pixels.

    The ground is the commonest colour. The glyphs are the colour furthest from it:
    their cores are painted in the text colour and their edges blend into the ground.
    Small text drawn at fractions of a pixel may have no pixel of full colour, only
    blends; so when the furthest pixel lies on the blend from the ground towards
    ``ink`` (the colour the widget or chart paints its text in), the text colour is
    ``ink``: seen painted, only thinned by antialiasing. None: no glyph pixel at all.
    """
    if not counts:
        return None
    ground, _ = counts.most_common(1)[0]
    best = blended = None
    for colour, count in counts.items():
        if colour == ground:
            continue
        value = ratio(colour, ground)
        if count >= 2 and (best is None or value > best[0]):
            best = (value, colour, ground)
        if ink is not None and (blended is None or value > blended[0]) and \
                _on_blend(colour, ground, ink):
            blended = (value, colour, ground)
    if blended is not None and (best is None or blended[0] >= best[0]):
        # The strongest glyph pixels are the text colour thinned by antialiasing.
        return ratio(ink, ground), ink, ground
    return best


def text_groups(window: QWidget) -> dict[QWidget, list[QWidget]]:
    """The widgets with text, grouped by what to grab to see them whole: the window, or
    the page of the innermost scroll area they are on (a page is grabbed whole, so text
    scrolled out of view is read too)."""
    groups: dict[QWidget, list[QWidget]] = {window: []}
    for widget in visible_widgets(window):
        holder = window
        parent = widget.parentWidget()
        while parent is not None and parent is not window:
            area = parent.parentWidget()
            if isinstance(area, QScrollArea) and parent is area.viewport() and \
                    area.widget() is not None:
                holder = area.widget()
                break
            parent = parent.parentWidget()
        groups.setdefault(holder, []).append(widget)
    return groups


Area = tuple[str, QRect, int]
"""Where a text is painted (a description, its rectangle) and the colour it is painted in."""


def _ink(widget: QWidget, role=None) -> int:
    """The colour a widget paints its text in: its palette's foreground (style sheets set
    the palette of the widgets they colour)."""
    palette = widget.palette()
    return palette.color(role if role is not None else widget.foregroundRole()).rgb() \
        & 0xFFFFFF


def text_areas(root: QWidget, widgets: list[QWidget]) -> list[Area]:
    """Where each enabled widget's text is painted, in ``root``'s coordinates."""
    areas: list[Area] = []
    for widget in widgets:
        if not widget.isEnabled() or type(widget).__name__ in PAINTED:
            continue  # WCAG 1.4.3 leaves out inactive controls; charts go through the probe
        rect = _text_rect(widget)
        if rect is not None and rect.width() >= 2 and rect.height() >= 2:
            areas.append((describe(widget), QRect(widget.mapTo(root, rect.topLeft()),
                                                  rect.size()), _ink(widget)))
        if isinstance(widget, (QListWidget, QTableWidget)):
            areas += _item_areas(widget, root)
    return areas


def _item_areas(view: QAbstractItemView, root: QWidget) -> list[Area]:
    viewport = view.viewport()
    shown = viewport.rect()
    items = ([view.item(r) for r in range(view.count())] if isinstance(view, QListWidget) else
             [view.item(r, c) for r in range(view.rowCount()) for c in range(view.columnCount())])
    areas = []
    for item in items:
        if item is None or not item.text() or view.visualItemRect(item).isEmpty():
            continue
        rect = view.visualItemRect(item).adjusted(2, 1, -2, -1)
        if not shown.contains(rect):
            continue
        brush = item.foreground()
        ink = brush.color().rgb() & 0xFFFFFF if brush.style() != Qt.BrushStyle.NoBrush \
            else _ink(view, QPalette.ColorRole.Text)
        areas.append((f"{describe(view)} item {item.text()!r}",
                      QRect(viewport.mapTo(root, rect.topLeft()), rect.size()), ink))
    return areas


def _text_rect(widget: QWidget) -> QRect | None:
    if isinstance(widget, QLabel):
        measured = needed_text_size(widget)
        if measured is None:
            return None
        need, room = measured
        return QStyle.alignedRect(widget.layoutDirection(), widget.alignment(),
                                  need.boundedTo(room.size()), room)
    if isinstance(widget, QAbstractButton) and widget.text():
        need, room = needed_text_size(widget)
        if isinstance(widget, QPushButton):
            return QStyle.alignedRect(widget.layoutDirection(), Qt.AlignmentFlag.AlignCenter,
                                      need.boundedTo(room.size()), room)
        return QStyle.alignedRect(widget.layoutDirection(), Qt.AlignmentFlag.AlignLeft |
                                  Qt.AlignmentFlag.AlignVCenter, need.boundedTo(room.size()),
                                  room)
    if isinstance(widget, QGroupBox) and widget.title():
        need, room = needed_text_size(widget)
        return room
    return None


def contrast(image: QImage, areas: list[Area], minimum: float) -> list[Problem]:
    """Text areas (in the image's coordinates) whose glyphs contrast less than
    ``minimum`` with their ground, read from the painted pixels."""
    pixels = Pixels(image)
    problems = []
    for where, rect, ink in areas:
        found = text_contrast(pixels.colours(rect), ink)
        if found is None:
            problems.append(Problem("contrast", where, "no text painted where it should be"))
        elif found[0] < minimum - 0.005:
            value, text, ground = found
            problems.append(Problem("contrast", where,
                                    f"{value:.2f}:1, #{text:06x} on #{ground:06x} "
                                    f"(needs {minimum}:1)"))
    return problems


def window_contrast(window: QWidget, minimum: float, probe: ChartProbe) -> list[Problem]:
    """Every text in the window: widgets, scrolled pages whole, painted charts."""
    problems = []
    window_image = None
    for root, widgets in text_groups(window).items():
        areas = text_areas(root, widgets)
        probe.texts = []
        if root is window:
            image = window_image = window.grab().toImage()
        else:
            image = _page_image(root, window, window_image or window.grab().toImage())
        for widget in widgets:
            if type(widget).__name__ in PAINTED:
                offset = widget.mapTo(root, QPoint(0, 0))
                areas += [(f"{describe(widget)} text {t.text!r}",
                           t.ink.toAlignedRect().adjusted(-1, -1, 1, 1).translated(offset)
                           .intersected(QRect(offset, widget.size())),
                           t.color.rgb() & 0xFFFFFF)
                          for t in probe.of(widget)]
        if areas:
            problems += contrast(image, areas, minimum)
    return problems


def _page_image(page: QWidget, window: QWidget, window_image: QImage) -> QImage:
    """A scrolled page painted whole, on the ground it shows on screen: a page that does
    not fill its own background lets its window's show through, which a grab of the page
    alone would not paint."""
    if page.autoFillBackground() or page.testAttribute(Qt.WidgetAttribute.WA_StyledBackground):
        return page.grab().toImage()
    viewport = page.parentWidget()
    seen = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
    ground = Pixels(window_image).colours(seen).most_common(1)[0][0]
    image = QImage(page.size(), QImage.Format.Format_RGB32)
    image.fill(QColor(ground))
    page.render(image, QPoint(0, 0), QRegion(), QWidget.RenderFlag.DrawChildren)
    return image


