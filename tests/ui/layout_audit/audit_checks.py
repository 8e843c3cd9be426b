"""What the layout audit asserts about a window, as plain functions over its widgets.

``geometry(window, size)``: the window fits the screen; no visible widget overlaps a
sibling or runs past its parent; no label, button or group title has less room than
its text needs (word-wrapped text measured at its width; shortened text only where the
label says so and its tooltip holds it all); no text is left at an old text size;
nothing scrolls sideways.

Contrast is in ``audit_contrast``.

``chart_texts``: the painted charts and calendar (ui/charts) draw their text through
``charts.base.text``; ``ChartProbe`` records each call while a chart paints, so the
same checks (cut, overlapping, contrast) apply to text no widget holds.

Each check returns a list of ``Problem``; the test prints them all.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QFontMetricsF, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStyle,
    QStyleOptionButton,
    QStyleOptionGroupBox,
    QTabBar,
    QTableWidget,
    QWidget,
)

from backrehab_gui.ui.charts import base as chart_base
from backrehab_gui.ui.widgets import FlashOverlay

SLACK = 1
"""Pixels of rounding allowed between what text needs and what it gets."""
SMALLEST_TEXT = 0.8
"""The smallest text, as a share of the application's font (small print is 0.85)."""

OVERLAYS = (FlashOverlay,)
"""Widgets drawn over others on purpose."""
COMPOUND = (QAbstractSpinBox, QComboBox, QLineEdit, QTabBar, QAbstractScrollArea)
"""Widgets whose own inner parts are Qt's business (scroll areas: their frame parts;
the page inside one is checked as a window of its own)."""

MAY_SCROLL_SIDEWAYS = "audit_may_scroll_sideways"
"""A dynamic property: a scroll area whose content cannot wrap (say, a wide table)."""
ELIDED = "elided"
"""A dynamic property: a label that shortens its text on purpose; the tooltip has it all."""


@dataclass(frozen=True)
class Problem:
    kind: str
    where: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.where}: {self.detail}"


def describe(widget: QWidget) -> str:
    """A widget as a person could find it: class, name and the start of its text."""
    parts = [type(widget).__name__]
    if widget.objectName():
        parts.append(f"#{widget.objectName()}")
    text = _text_of(widget)
    if text:
        short = text.replace("\n", " / ")
        parts.append(repr(short if len(short) <= 48 else short[:45] + "..."))
    elif widget.accessibleName():
        parts.append(f"[{widget.accessibleName()}]")
    return " ".join(parts)


def _text_of(widget: QWidget) -> str:
    if isinstance(widget, (QLabel, QAbstractButton)):
        return widget.text()
    if isinstance(widget, QGroupBox):
        return widget.title()
    return ""


def visible_widgets(root: QWidget) -> list[QWidget]:
    """``root`` and every widget under it that is shown (hidden pages left out)."""
    return [root] + [w for w in root.findChildren(QWidget)
                     if w.isVisibleTo(root) and not w.isWindow()]


# --- Geometry -----------------------------------------------------------------------------


def geometry(window: QWidget, size: tuple[int, int]) -> list[Problem]:
    problems: list[Problem] = []
    if window.width() > size[0] + SLACK or window.height() > size[1] + SLACK:
        problems.append(Problem(
            "too big", describe(window),
            f"needs {window.width()}x{window.height()}, more than the {size[0]}x{size[1]} "
            "screen (its minimum size is "
            f"{window.minimumSizeHint().width()}x{window.minimumSizeHint().height()})"))
    widgets = visible_widgets(window)
    smallest = QApplication.font().pointSizeF() * SMALLEST_TEXT
    for widget in widgets:
        problems += _siblings(widget)
        problems += _text_room(widget, window)
        problems += _sideways(widget)
        problems += _text_size(widget, smallest)
    return problems


def _text_size(widget: QWidget, smallest: float) -> list[Problem]:
    """Text in points well below the person's text size: a widget that missed a change
    of text size (a style sheet holds the font it was polished with). Pixel sizes are
    the player's, sized from its window."""
    if needed_text_size(widget) is None:
        return []
    size = widget.font().pointSizeF()
    if 0 < size < smallest - 0.01:
        return [Problem("small text", describe(widget),
                        f"{size:.1f} pt where the text size asks for "
                        f"{QApplication.font().pointSizeF():.1f} pt")]
    return []


def _siblings(parent: QWidget) -> list[Problem]:
    if isinstance(parent, COMPOUND) or isinstance(parent.parentWidget(), QAbstractScrollArea):
        return []
    kids = [c for c in parent.children() if isinstance(c, QWidget) and not c.isWindow()
            and c.isVisibleTo(parent) and not isinstance(c, OVERLAYS)]
    problems = []
    area = parent.rect()
    for kid in kids:
        geo = kid.geometry()
        outside = geo.united(area) != area
        if outside and _overhang(geo, area) > SLACK:
            problems.append(Problem("cut", describe(kid),
                                    f"at {_r(geo)} runs out of its parent {describe(parent)} "
                                    f"({area.width()}x{area.height()})"))
    for a, b in itertools.combinations(kids, 2):
        both = a.geometry().intersected(b.geometry())
        if both.width() > SLACK and both.height() > SLACK:
            problems.append(Problem("overlap", describe(a),
                                    f"at {_r(a.geometry())} lies over {describe(b)} at "
                                    f"{_r(b.geometry())}"))
    return problems


def _overhang(inner: QRect, outer: QRect) -> int:
    return max(outer.left() - inner.left(), inner.right() - outer.right(),
               outer.top() - inner.top(), inner.bottom() - outer.bottom(), 0)


def _r(rect: QRect) -> str:
    return f"{rect.x()},{rect.y()} {rect.width()}x{rect.height()}"


def needed_text_size(widget: QWidget) -> tuple[QSize, QRect] | None:
    """The size the widget's text needs and the room the widget gives it (its own
    coordinates), or None for a widget without text to measure."""
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text.strip() or widget.textFormat() == Qt.TextFormat.RichText or \
                widget.pixmap() is not None and not widget.pixmap().isNull():
            return None
        room = widget.contentsRect().adjusted(widget.margin(), widget.margin(),
                                              -widget.margin(), -widget.margin())
        fm = widget.fontMetrics()
        # With a buddy, "&" marks the shortcut's letter and is not drawn.
        flags = int(Qt.TextFlag.TextShowMnemonic) if widget.buddy() is not None else 0
        if widget.wordWrap():
            need = fm.boundingRect(QRect(0, 0, max(room.width(), 1), 1_000_000),
                                   flags | int(Qt.TextFlag.TextWordWrap), text)
        else:
            need = fm.boundingRect(QRect(0, 0, 1_000_000, 1_000_000), flags, text)
        return need.size(), room
    if isinstance(widget, QAbstractButton) and widget.text():
        fm = widget.fontMetrics()
        room = _button_text_room(widget)
        wraps = getattr(widget, "wordWrap", None)
        flags = int(Qt.TextFlag.TextShowMnemonic)
        width = 1_000_000
        if wraps is not None and wraps():
            flags |= int(Qt.TextFlag.TextWordWrap)
            width = max(room.width(), 1)
        need = fm.boundingRect(QRect(0, 0, width, 1_000_000), flags, widget.text()).size()
        return need, room
    if isinstance(widget, QGroupBox) and widget.title():
        option = QStyleOptionGroupBox()
        widget.initStyleOption(option)
        room = widget.style().subControlRect(QStyle.ComplexControl.CC_GroupBox, option,
                                             QStyle.SubControl.SC_GroupBoxLabel, widget)
        # The style sizes the title's box to the text: what limits it is the box's width.
        room = room.intersected(widget.rect())
        fm = widget.fontMetrics()
        need = fm.boundingRect(QRect(0, 0, 1_000_000, 1_000_000),
                               int(Qt.TextFlag.TextShowMnemonic), widget.title()).size()
        return need, room
    return None


def _button_text_room(button: QAbstractButton) -> QRect:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    style = button.style()
    element = (QStyle.SubElement.SE_CheckBoxContents if isinstance(button, QCheckBox) else
               QStyle.SubElement.SE_RadioButtonContents if isinstance(button, QRadioButton)
               else QStyle.SubElement.SE_PushButtonContents)
    room = style.subElementRect(element, option, button)
    if isinstance(button, QPushButton):
        # Push buttons pad their label inside the contents (the style's button margin).
        margin = style.pixelMetric(QStyle.PixelMetric.PM_ButtonMargin, option, button) // 2
        room = room.adjusted(margin, 0, -margin, 0)
    return room if room.isValid() else button.rect()


def _text_room(widget: QWidget, window: QWidget) -> list[Problem]:
    measured = needed_text_size(widget)
    if measured is None:
        return []
    need, room = measured
    if widget.property(ELIDED) and widget.toolTip():
        return []
    problems = []
    if need.width() > room.width() + SLACK or need.height() > room.height() + SLACK:
        problems.append(Problem(
            "cut", describe(widget),
            f"its text needs {need.width()}x{need.height()} and has {room.width()}x"
            f"{room.height()}"))
    hidden = _clipped_by_ancestors(widget, window)
    if hidden:
        problems.append(Problem("cut", describe(widget), hidden))
    return problems


def _clipped_by_ancestors(widget: QWidget, window: QWidget) -> str:
    """Whether a parent cuts part of the widget off (a scrolled page may be taller than
    its view: it scrolls, so that is not a cut)."""
    rect = QRect(QPoint(0, 0), widget.size())
    child = widget
    parent = widget.parentWidget()
    while parent is not None and child is not window:
        rect = rect.translated(child.pos())
        if isinstance(parent.parentWidget(), QScrollArea) and \
                parent is parent.parentWidget().viewport():
            return ""
        seen = rect.intersected(parent.rect())
        if seen.height() < rect.height() - SLACK or seen.width() < rect.width() - SLACK:
            return (f"only {seen.width()}x{seen.height()} of its {rect.width()}x"
                    f"{rect.height()} shows inside {describe(parent)}")
        child, parent = parent, parent.parentWidget()
    return ""


def _sideways(widget: QWidget) -> list[Problem]:
    if not isinstance(widget, QAbstractScrollArea) or widget.property(MAY_SCROLL_SIDEWAYS):
        return []
    bar = widget.horizontalScrollBar()
    if bar.isVisibleTo(widget) and bar.maximum() > 0:
        return [Problem("sideways", describe(widget),
                        f"scrolls {bar.maximum()} px sideways")]
    if isinstance(widget, QScrollArea) and widget.widget() is not None:
        page, view = widget.widget(), widget.viewport()
        if page.width() > view.width() + SLACK:
            return [Problem("sideways", describe(widget),
                            f"its page is {page.width()} px wide in a {view.width()} px view, "
                            "and the rest cannot be reached")]
    problems = []
    if isinstance(widget, QTableWidget):
        problems += _table_cells(widget)
    elif isinstance(widget, QListWidget):
        problems += _list_items(widget)
    return problems


def _table_cells(table: QTableWidget) -> list[Problem]:
    problems = []
    fm = QFontMetrics(table.font())
    header = table.horizontalHeader()
    pad = table.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) * 2 + 2
    for column in range(table.columnCount()):
        width = header.sectionSize(column)
        title = table.horizontalHeaderItem(column)
        if title is not None and QFontMetrics(header.font()).horizontalAdvance(title.text()) + \
                pad > width + SLACK:
            problems.append(Problem("cut", f"{describe(table)} column {title.text()!r}",
                                    f"its heading needs more than {width} px"))
        for row in range(table.rowCount()):
            item = table.item(row, column)
            if item is None or not item.text():
                continue
            flags = int(Qt.TextFlag.TextWordWrap) if table.wordWrap() else 0
            need = fm.boundingRect(QRect(0, 0, max(width - pad, 1), 1_000_000), flags,
                                   item.text())
            height = table.rowHeight(row)
            if need.width() + pad > width + SLACK or need.height() > height + SLACK:
                problems.append(Problem("cut", f"{describe(table)} cell {item.text()!r}",
                                        f"needs {need.width() + pad}x{need.height()}, its cell "
                                        f"is {width}x{height}"))
    return problems


def _list_items(listing: QListWidget) -> list[Problem]:
    problems = []
    fm = QFontMetrics(listing.font())
    width = listing.viewport().width()
    # The item delegate draws the text inside these margins on each side.
    pad = 2 * (listing.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None,
                                           listing) + 1)
    for row in range(listing.count()):
        item = listing.item(row)
        if item.isHidden():
            continue
        rect = listing.visualItemRect(item)
        flags = int(Qt.TextFlag.TextWordWrap) if listing.wordWrap() else 0
        need = fm.boundingRect(QRect(0, 0, max(rect.width() - pad, 1), 1_000_000), flags,
                               item.text())
        if need.width() + pad > min(rect.width(), width) + SLACK or \
                need.height() > rect.height() + SLACK:
            problems.append(Problem("cut", f"{describe(listing)} item {item.text()!r}",
                                    f"needs {need.width()}x{need.height()}, has "
                                    f"{rect.width()}x{rect.height()}"))
    return problems


# --- Painted charts -------------------------------------------------------------------------


@dataclass
class DrawnText:
    text: str
    box: QRectF
    """Where the chart asked for it to go."""
    extent: QRectF
    """The box its lines take (drawText clips the text to ``box``)."""
    ink: QRectF
    """Where its glyphs' ink is (the lines' box for text on several lines)."""
    color: QColor
    device: object
    """What it was painted on: the chart widget (painters on a widget report it, also
    while a parent is being grabbed)."""


@dataclass
class ChartProbe:
    """Records every text ``charts`` paints while installed (see ``install``), in the
    painting widget's own coordinates."""

    texts: list[DrawnText] = field(default_factory=list)

    def install(self, monkeypatch) -> None:
        original = chart_base.text

        def recording(painter: QPainter, rect: QRectF, text: str, font, color,
                      flags=Qt.AlignmentFlag.AlignCenter) -> None:
            fm = QFontMetricsF(font, painter.device())
            extent = fm.boundingRect(rect, int(flags), text)
            ink = extent
            if "\n" not in text and not int(flags) & int(Qt.TextFlag.TextWordWrap):
                ink = fm.tightBoundingRect(text).translated(extent.left(),
                                                            extent.top() + fm.ascent())
            transform = painter.transform()
            self.texts.append(DrawnText(text, transform.mapRect(QRectF(rect)),
                                        transform.mapRect(extent), transform.mapRect(ink),
                                        QColor(color), painter.device()))
            original(painter, rect, text, font, color, flags)

        monkeypatch.setattr(chart_base, "text", recording)

    def grab(self, widget: QWidget) -> tuple[QImage, list[DrawnText]]:
        """Paint ``widget`` (alone, at its own origin); its image and its texts."""
        self.texts = []
        image = widget.grab().toImage()
        return image, self.of(widget)

    def of(self, widget: QWidget) -> list[DrawnText]:
        """The texts ``widget`` painted since the last reset."""
        return [t for t in self.texts if t.device is widget and t.text.strip()]


def chart_texts(widget: QWidget, texts: list[DrawnText]) -> list[Problem]:
    """Painted text that runs out of its widget, past its own box, or over other text."""
    problems = []
    area = QRectF(widget.rect())
    where = describe(widget)
    for text in texts:
        e = text.extent
        if not area.adjusted(-SLACK, -SLACK, SLACK, SLACK).contains(text.ink):
            problems.append(Problem("cut", f"{where} text {text.text!r}",
                                    f"painted at {_rf(text.ink)}, outside the "
                                    f"{area.width():.0f}x{area.height():.0f} widget"))
        elif e.width() > text.box.width() + SLACK or e.height() > text.box.height() + SLACK:
            problems.append(Problem("cut", f"{where} text {text.text!r}",
                                    f"needs {e.width():.0f}x{e.height():.0f}, its place is "
                                    f"{text.box.width():.0f}x{text.box.height():.0f}"))
    for a, b in itertools.combinations(texts, 2):
        both = a.ink.intersected(b.ink)
        if both.width() > SLACK and both.height() > SLACK:
            problems.append(Problem("overlap", f"{where} text {a.text!r}",
                                    f"at {_rf(a.ink)} lies over {b.text!r} at {_rf(b.ink)}"))
    return problems


def _rf(rect: QRectF) -> str:
    return f"{rect.x():.0f},{rect.y():.0f} {rect.width():.0f}x{rect.height():.0f}"


PAINTED = ("MonthCalendar", "Legend", "ChartView")
"""Widgets that paint their text with ``charts`` (read through the probe)."""


def window_charts(window: QWidget, probe: ChartProbe) -> list[Problem]:
    """Painted chart text that is cut or overlaps, in every chart the window shows."""
    problems = []
    for widget in visible_widgets(window):
        if type(widget).__name__ in PAINTED and widget.width() > 0 and widget.height() > 0:
            _image, texts = probe.grab(widget)
            problems += chart_texts(widget, texts)
    return problems
