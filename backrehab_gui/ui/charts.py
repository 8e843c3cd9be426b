"""Painting shared by the history view and the PDF report, so both show the same thing.

Every function here takes a QPainter, the rectangle to fill and plain data,
and paints on whatever device the painter is on: a widget or a 300 dpi PDF
page. Nothing is sized in fixed pixels: text uses point sizes and every gap,
pen and marker is a fraction of the text height measured on the painter's own
device, so a chart keeps its proportions on a screen and on paper.

Nothing is told by colour alone. A day shows its status as a symbol and a
word (or a letter in a cell too small for the word) on a fill that also
differs in pattern; adherence bars below the target are hatched as well as
lighter, and carry their number; the two pain lines differ in dash and marker
shape and have a legend. Every symbol used is in the DejaVu fonts (a test
checks), since a missing glyph would print as an empty box.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
)

from ..core.adherence import DayStatus, DaySummary, WeekStats, month_grid
from ..core.outcomes import Outcome, session_text
from ..core.pain import WeekPain
from ..core.units import format_clock

# --- Colours ------------------------------------------------------------------------

CARD = QColor("#ffffff")
INK = QColor("#1b1f23")
MUTED = QColor("#5f6b76")
GRID = QColor("#cfd6dc")
FOCUS = QColor("#1565c0")
FLAG = QColor("#b71c1c")
MET = QColor("#2e7d32")
UNMET = QColor("#e65100")
TARGET = QColor("#263238")
BEFORE = QColor("#1565c0")
AFTER = QColor("#c62828")
HOLD = QColor("#6a1b9a")

FLAG_MARK = "!"
"""Marks a day or week with a session flagged by the pain rules (see core.pain)."""


class Hatch:
    """How a fill is patterned on top of its colour, so it reads in grey too."""

    NONE = 0
    LINES = 1
    """Diagonal lines, '/'."""
    CROSS = 2
    """Crossed diagonal lines, 'x'."""


class StatusLook(NamedTuple):
    """How a day status is drawn: never by colour alone."""

    symbol: str
    word: str
    letter: str
    """Shown instead of the word in a cell too narrow for it."""
    fill: QColor
    ink: QColor
    hatch: int
    dashed: bool
    """Dashed cell border (days still to come)."""


STATUS_LOOKS: dict[DayStatus, StatusLook] = {
    DayStatus.DONE: StatusLook("\u2713", "done", "D", QColor("#c8e6c9"), QColor("#1b5e20"),
                               Hatch.NONE, False),
    DayStatus.PARTIAL: StatusLook("\u25d1", Outcome.PARTLY_DONE.word, "P", QColor("#ffe0b2"),
                                  QColor("#7a3e00"), Hatch.LINES, False),
    DayStatus.MISSED: StatusLook("\u2717", "missed", "M", QColor("#ffcdd2"), QColor("#8e0000"),
                                 Hatch.CROSS, False),
    DayStatus.REST: StatusLook("\u2013", "rest", "R", QColor("#e3e7ea"), QColor("#37474f"),
                               Hatch.NONE, False),
    DayStatus.UPCOMING: StatusLook("\u25cb", "upcoming", "U", QColor("#ffffff"),
                                   QColor("#37474f"), Hatch.NONE, True),
    DayStatus.BEFORE_START: StatusLook("\u00b7", "before start", "B", QColor("#f4f5f6"),
                                       QColor("#757575"), Hatch.NONE, False),
}
"""Status -> symbol, word and look, for the calendar, its legend and the tooltips."""

MOVED_LOOK = StatusLook("\u2192", "moved", "V", QColor("#d7ecff"), QColor("#0d3c61"),
                        Hatch.NONE, False)
"""A day whose planned phase session was done on another day of its week (the fill stays
its status's: a moved session still counts in full)."""


def day_look(summary: DaySummary) -> StatusLook:
    """How a day is drawn: its status, with the "moved" symbol and word when a planned
    session was moved, or "done" on a rest day that took a moved session."""
    look = STATUS_LOOKS[summary.status]
    if summary.moved:
        return look._replace(symbol=MOVED_LOOK.symbol, word=MOVED_LOOK.word,
                             letter=MOVED_LOOK.letter)
    if summary.moved_in and summary.status is DayStatus.REST:
        return STATUS_LOOKS[DayStatus.DONE]
    return look


GLYPHS = "".join(look.symbol for look in STATUS_LOOKS.values()) + FLAG_MARK + "\u2192\u2026\u00d7"
"""Every non-ASCII symbol this module draws (a test checks the fonts have them)."""


# --- Fonts and units ------------------------------------------------------------------


@dataclass(frozen=True)
class Fonts:
    """The fonts a chart draws with. Point sizes, so they keep their size on paper."""

    base: QFont

    @classmethod
    def default(cls, point_size: float | None = None) -> Fonts:
        """The application's font, at ``point_size`` when given."""
        font = QFont(QGuiApplication.font())
        if point_size is not None:
            font.setPointSizeF(point_size)
        # No "fi"/"fl" ligatures: text copied out of the PDF would read "eﬀort".
        if hasattr(QFont, "Tag"):
            font.setFeature(QFont.Tag("liga"), 0)
        return cls(font)

    def scaled(self, factor: float, *, bold: bool = False) -> QFont:
        font = QFont(self.base)
        size = self.base.pointSizeF()
        if size > 0:
            font.setPointSizeF(size * factor)
        else:
            font.setPixelSize(max(1, round(self.base.pixelSize() * factor)))
        font.setBold(bold)
        return font

    @property
    def small(self) -> QFont:
        return self.scaled(0.85)

    @property
    def bold(self) -> QFont:
        return self.scaled(1.0, bold=True)


def metrics(painter: QPainter, font: QFont) -> QFontMetricsF:
    """Font metrics on the painter's own device (a 300 dpi page is not a screen)."""
    return QFontMetricsF(font, painter.device())


def line_height(painter: QPainter, fonts: Fonts) -> float:
    """The base text height on this device: the unit every gap and pen is measured in."""
    return metrics(painter, fonts.base).height()


def _pen(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color, width, style)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    pen.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return pen


def _text(painter: QPainter, rect: QRectF, text: str, font: QFont, color: QColor,
          flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(rect, int(flags), text)


def _hatch(painter: QPainter, rect: QRectF, kind: int, color: QColor, spacing: float,
           width: float) -> None:
    """Diagonal lines drawn to scale (Qt's pattern brushes are 8 device pixels: specks on
    a 300 dpi page)."""
    if kind == Hatch.NONE or rect.width() <= 0 or rect.height() <= 0:
        return
    painter.save()
    painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    painter.setPen(_pen(color, width))
    size = rect.width() + rect.height()
    steps = int(size / spacing) + 2
    for i in range(steps):
        offset = i * spacing
        # '/': from the bottom edge up to the right.
        painter.drawLine(QLineF(rect.left() + offset - rect.height(), rect.bottom(),
                                rect.left() + offset, rect.top()))
        if kind == Hatch.CROSS:
            painter.drawLine(QLineF(rect.left() + offset - rect.height(), rect.top(),
                                    rect.left() + offset, rect.bottom()))
    painter.restore()


def paint_message(painter: QPainter, rect: QRectF, text: str, fonts: Fonts) -> None:
    """A plain sentence in place of a chart with nothing to show."""
    painter.save()
    pad = line_height(painter, fonts) * 0.5
    _text(painter, rect.adjusted(pad, pad, -pad, -pad), text, fonts.base, MUTED,
          Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    painter.restore()


# --- The month calendar ----------------------------------------------------------------

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


class MonthLayout(NamedTuple):
    """Where a month's parts go: the weekday header and a cell for each shown date."""

    header: tuple[QRectF, ...]
    cells: dict[date, QRectF]
    """Every date of the grid, the neighbouring months' days included."""
    month: int

    def at(self, point: QPointF) -> date | None:
        """The date of the cell under ``point`` (in this month only), or None."""
        for day, cell in self.cells.items():
            if day.month == self.month and cell.contains(point):
                return day
        return None


def month_layout(painter_or_metrics: QPainter | QFontMetricsF, rect: QRectF, year: int,
                 month: int, fonts: Fonts) -> MonthLayout:
    """The cells of a month (Monday first) laid over ``rect``."""
    fm = (painter_or_metrics if isinstance(painter_or_metrics, QFontMetricsF)
          else metrics(painter_or_metrics, fonts.small))
    head = fm.height() * 1.5
    rows = month_grid(year, month)
    width = rect.width() / 7
    height = (rect.height() - head) / len(rows)
    header = tuple(QRectF(rect.left() + i * width, rect.top(), width, head) for i in range(7))
    cells: dict[date, QRectF] = {}
    for r, row in enumerate(rows):
        for c, day in enumerate(row):
            cells[day] = QRectF(rect.left() + c * width, rect.top() + head + r * height,
                                width, height)
    return MonthLayout(header, cells, month)


def paint_month(painter: QPainter, rect: QRectF, year: int, month: int,
                days: Mapping[date, DaySummary | None], today: date, fonts: Fonts, *,
                selected: date | None = None, focus: date | None = None) -> MonthLayout:
    """A month calendar, Monday first: each day's status as fill, symbol and word.

    ``days`` maps the month's dates to their summaries (missing or None: no status
    known, e.g. without a program). Today gets a thick outline, a day with a
    flagged session a "!" badge, ``selected`` a blue frame and ``focus`` (the
    keyboard's day) a dashed one. Days of the neighbouring months are shown faint
    and without status. Returns the layout, for hit-testing.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    layout = month_layout(painter, rect, year, month, fonts)
    unit = line_height(painter, fonts)
    for name, cell in zip(WEEKDAY_NAMES, layout.header):
        _text(painter, cell, name, fonts.scaled(0.85, bold=True), MUTED)
    for day, cell in layout.cells.items():
        summary = days.get(day) if day.month == month else None
        _paint_day(painter, cell, day, summary, day.month == month, today, fonts, unit,
                   day == selected, day == focus)
    painter.restore()
    return layout


def _paint_day(painter: QPainter, cell: QRectF, day: date, summary: DaySummary | None,
               in_month: bool, today: date, fonts: Fonts, unit: float, selected: bool,
               focus: bool) -> None:
    gap = max(unit * 0.08, 0.5)
    box = cell.adjusted(gap, gap, -gap, -gap)
    thin = max(unit / 16, 0.6)
    if not in_month:
        _text(painter, box.adjusted(unit * 0.2, unit * 0.1, 0, 0), str(day.day), fonts.small,
              QColor("#b0b8bf"), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return
    look = day_look(summary) if summary is not None else None
    painter.fillRect(box, look.fill if look else CARD)
    if look is not None:
        _hatch(painter, box, look.hatch, look.ink.lighter(170) if look.hatch else look.ink,
               unit * 0.45, thin)
    border = _pen(look.ink if look and look.dashed else GRID, thin,
                  Qt.PenStyle.DashLine if look and look.dashed else Qt.PenStyle.SolidLine)
    painter.setPen(border)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(box)

    is_today = day == today
    frame = max(unit / 5, 1.5)
    number_font = fonts.scaled(0.9, bold=is_today)
    number_box = box.adjusted(unit * 0.2 + frame, frame, -unit * 0.2, 0)
    if look is not None and look.hatch:
        fm = metrics(painter, number_font)
        painter.fillRect(QRectF(number_box.left() - unit * 0.1, number_box.top(),
                                fm.horizontalAdvance(str(day.day)) + unit * 0.2, fm.height()),
                         look.fill)
    _text(painter, number_box, str(day.day), number_font, INK,
          Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    number_h = metrics(painter, number_font).height()

    if look is not None:
        # The symbol takes what is left above the word; the word drops to a letter
        # when the cell is too narrow for it.
        word, word_font = _fit_word(painter, look, fonts, box.width() - unit * 0.2)
        word_h = metrics(painter, word_font).height()
        word_box = QRectF(box.left(), box.bottom() - word_h - unit * 0.1, box.width(), word_h)
        # Below the day number (which it would hide in a short cell).
        symbol_top = box.top() + frame + number_h * 0.85
        symbol_box = QRectF(box.left(), symbol_top, box.width(),
                            max(word_box.top() - symbol_top, unit * 0.5))
        symbol_font = QFont(fonts.base)
        symbol_font.setPixelSize(max(1, round(min(symbol_box.height() * 0.8,
                                                  box.width() * 0.4))))
        symbol_font.setBold(True)
        # Pixel sizes are device pixels, the unit the cells are measured in on any device.
        _text(painter, symbol_box, look.symbol, symbol_font, look.ink)
        if look.hatch:
            # A plain ground under the word, so the hatching never runs through it.
            w = metrics(painter, word_font).horizontalAdvance(word) + unit * 0.3
            painter.fillRect(QRectF(word_box.center().x() - w / 2, word_box.top(), w,
                                    word_box.height()), look.fill)
        _text(painter, word_box, word, word_font, look.ink)

    if summary is not None and summary.flagged:
        _flag_badge(painter, QPointF(box.right() - frame - unit * 0.5,
                                     box.top() + frame + unit * 0.5), unit * 0.42, fonts)

    # Frames from the edge inwards: today (thick, black), chosen (blue), keyboard (dashed).
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if is_today:
        painter.setPen(_pen(INK, frame))
        painter.drawRect(box.adjusted(frame / 2, frame / 2, -frame / 2, -frame / 2))
    if selected:
        width = max(unit / 7, 1.2)
        inset = (frame if is_today else 0) + width / 2
        painter.setPen(_pen(FOCUS, width))
        painter.drawRect(box.adjusted(inset, inset, -inset, -inset))
    if focus:
        painter.setPen(_pen(FOCUS, max(unit / 10, 1.0), Qt.PenStyle.DashLine))
        inset = frame + max(unit / 7, 1.2) + max(unit / 10, 1.0)
        painter.drawRect(box.adjusted(inset, inset, -inset, -inset))


def _fit_word(painter: QPainter, look: StatusLook, fonts: Fonts, width: float
              ) -> tuple[str, QFont]:
    """The status word at the largest size that fits ``width``, else its letter."""
    for factor in (0.8, 0.7, 0.62):
        font = fonts.scaled(factor)
        if metrics(painter, font).horizontalAdvance(look.word) <= width:
            return look.word, font
    return look.letter, fonts.scaled(0.8)


def _flag_badge(painter: QPainter, centre: QPointF, radius: float, fonts: Fonts,
                count: int = 0) -> None:
    """A "!" in a dark red disc: a flagged session (shape and mark, not only colour).

    Two or more flags are counted beside the disc ("×3", dark red on the chart's
    white), at a size that stays readable on paper: squeezing "!3" into the disc
    made both unreadable."""
    painter.save()
    painter.setPen(_pen(CARD, max(radius / 6, 0.8)))
    painter.setBrush(FLAG)
    painter.drawEllipse(centre, radius, radius)
    font = QFont(fonts.base)
    font.setBold(True)
    font.setPixelSize(max(1, round(radius * 1.5)))
    box = QRectF(centre.x() - radius, centre.y() - radius, radius * 2, radius * 2)
    _text(painter, box, FLAG_MARK, font, CARD)
    if count > 1:
        label = flag_count_text(count)
        count_font = QFont(fonts.base)
        count_font.setBold(True)
        count_font.setPixelSize(max(1, round(radius * 1.6)))
        width = metrics(painter, count_font).horizontalAdvance(label) + radius * 0.4
        text_box = QRectF(centre.x() + radius * 1.1, centre.y() - radius * 1.1, width,
                          radius * 2.2)
        painter.fillRect(text_box, CARD)
        _text(painter, text_box, label, count_font, FLAG, Qt.AlignmentFlag.AlignLeft
              | Qt.AlignmentFlag.AlignVCenter)
    painter.restore()


def flag_count_text(count: int) -> str:
    """'×3': how many flagged sessions a badge stands for."""
    return f"\u00d7{count}"


# --- The legend --------------------------------------------------------------------------

LEGEND = tuple((status, f"{look.symbol} {look.word}") for status, look in STATUS_LOOKS.items())


def _legend_items(painter_or_metrics: QPainter | QFontMetricsF, fonts: Fonts, width: float,
                  letters: bool = False) -> tuple[list[tuple[str, object, QRectF]], float]:
    fm = (painter_or_metrics if isinstance(painter_or_metrics, QFontMetricsF)
          else metrics(painter_or_metrics, fonts.small))
    unit = fm.height()
    items: list[tuple[str, object]] = [
        (f"{look.word} ({look.letter})" if letters else look.word, status)
        for status, look in STATUS_LOOKS.items()]
    items.append((f"{MOVED_LOOK.word} ({MOVED_LOOK.letter})" if letters else MOVED_LOOK.word,
                  "moved"))
    items.append(("pain flagged", "flag"))
    items.append(("today (thick frame)", "today"))
    x = y = 0.0
    swatch = unit * 1.1
    placed = []
    for text, kind in items:
        w = swatch + unit * 0.3 + fm.horizontalAdvance(text) + unit * 0.9
        if x > 0 and x + w > width:
            x = 0.0
            y += unit * 1.4
        placed.append((text, kind, QRectF(x, y, w, unit * 1.2)))
        x += w
    return placed, y + unit * 1.4


def legend_height(painter_or_metrics: QPainter | QFontMetricsF, width: float,
                  fonts: Fonts, *, letters: bool = False) -> float:
    """The height ``paint_legend`` needs at ``width``."""
    return _legend_items(painter_or_metrics, fonts, width, letters)[1]


def paint_legend(painter: QPainter, rect: QRectF, fonts: Fonts, *,
                 letters: bool = False) -> float:
    """What each calendar mark means, in rows that wrap to ``rect``'s width; returns the
    height used. ``letters`` adds the letter a cell too small for the word shows."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    placed, height = _legend_items(painter, fonts, rect.width(), letters)
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    thin = max(unit / 16, 0.6)
    for text, kind, box in placed:
        box = box.translated(rect.topLeft())
        swatch = QRectF(box.left(), box.top() + unit * 0.05, unit * 1.1, unit * 1.1)
        label = QRectF(swatch.right() + unit * 0.3, box.top(), box.width(), box.height())
        if isinstance(kind, DayStatus):
            look = STATUS_LOOKS[kind]
            painter.fillRect(swatch, look.fill)
            _hatch(painter, swatch, look.hatch, look.ink.lighter(170), unit * 0.35, thin)
            painter.setPen(_pen(look.ink if look.dashed else GRID, thin,
                                Qt.PenStyle.DashLine if look.dashed else Qt.PenStyle.SolidLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(swatch)
            _text(painter, swatch, look.symbol, fonts.scaled(0.85, bold=True), look.ink)
            _text(painter, label, text, fonts.small, INK,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        elif kind == "moved":
            painter.setPen(_pen(GRID, thin))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(swatch)
            _text(painter, swatch, MOVED_LOOK.symbol, fonts.scaled(0.85, bold=True),
                  MOVED_LOOK.ink)
            _text(painter, label, text, fonts.small, INK,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        elif kind == "flag":
            _flag_badge(painter, swatch.center(), unit * 0.45, fonts)
            _text(painter, label, text, fonts.small, INK,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        else:
            painter.setPen(_pen(INK, max(unit / 6, 1.5)))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            w = max(unit / 6, 1.5) / 2
            painter.drawRect(swatch.adjusted(w, w, -w, -w))
            _text(painter, label, text, fonts.small, INK,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    painter.restore()
    return height


# --- Week columns shared by the bar and pain charts ----------------------------------------


class _Plot(NamedTuple):
    area: QRectF
    """Where values are drawn."""
    column: float
    """Width of one week's column."""
    labels: QRectF
    """The row of week labels under the area."""


def _week_plot(painter: QPainter, rect: QRectF, count: int, fonts: Fonts, axis_text: str,
               top: float) -> _Plot:
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    left = rect.left() + fm.horizontalAdvance(axis_text) + unit * 0.5
    right = rect.right() - unit * 0.4
    label_h = unit * 2.1
    area = QRectF(left, rect.top() + top, max(right - left, 1.0),
                  max(rect.height() - top - label_h - unit * 0.2, unit))
    labels = QRectF(left, area.bottom() + unit * 0.2, area.width(), label_h)
    return _Plot(area, area.width() / max(count, 1), labels)


def _week_labels(painter: QPainter, plot: _Plot, firsts: Sequence[date], numbers: Sequence[int],
                 fonts: Fonts, notes: Sequence[str] = ()) -> None:
    """'W5' and the week's first date under each column, thinned out when crowded."""
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    widest = max((fm.horizontalAdvance(f"{d.day} {d:%b}") for d in firsts), default=unit)
    every = max(1, math.ceil((widest + unit * 0.4) / plot.column))
    last = len(firsts) - 1
    for i, (first, number) in enumerate(zip(firsts, numbers)):
        # Keep the latest week's label: it is the one people look for.
        if (last - i) % every:
            continue
        x = plot.area.left() + i * plot.column + plot.column / 2
        note = notes[i] if i < len(notes) else ""
        top = QRectF(x - widest, plot.labels.top(), widest * 2, unit)
        bottom = QRectF(x - widest, plot.labels.top() + unit, widest * 2, unit)
        _text(painter, top, f"W{number}{note}", fonts.scaled(0.85, bold=True), INK)
        _text(painter, bottom, f"{first.day} {first:%b}", fonts.small, MUTED)


def _y_axis(painter: QPainter, plot: _Plot, ticks: Sequence[tuple[float, str]], top: float,
            fonts: Fonts) -> None:
    """Gridlines and labels; ``ticks`` as (fraction of the height, label)."""
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    area = plot.area
    painter.setPen(_pen(GRID, max(unit / 20, 0.5)))
    for fraction, _ in ticks:
        y = area.bottom() - area.height() * fraction
        painter.drawLine(QLineF(area.left(), y, area.right(), y))
    for fraction, text in ticks:
        y = area.bottom() - area.height() * fraction
        box = QRectF(area.left() - unit * 6, y - unit / 2, unit * 6 - unit * 0.3, unit)
        _text(painter, box, text, fonts.small, MUTED,
              Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    painter.setPen(_pen(MUTED, max(unit / 14, 0.7)))
    painter.drawLine(QLineF(area.left(), area.bottom(), area.right(), area.bottom()))


# --- Weekly adherence bars ------------------------------------------------------------------


def paint_week_bars(painter: QPainter, rect: QRectF, weeks: Sequence[WeekStats], target: float,
                    fonts: Fonts) -> None:
    """Weekly adherence (%) as bars with their numbers, and the target as a dashed line.

    A week that met the target is a solid bar; one below it is a lighter,
    hatched bar. The week still running has a dashed outline and "so far"
    under its number; a week with nothing planned says "rest".
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not weeks:
        paint_message(painter, rect, "No weeks to show yet.", fonts)
        painter.restore()
        return
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    plot = _week_plot(painter, rect, len(weeks), fonts, "100 %", unit * 3.4)
    area = plot.area
    _y_axis(painter, plot, [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")], 0, fonts)
    _bar_legend(painter, QRectF(area.left(), rect.top(), rect.right() - area.left(), unit),
                target, fonts)

    bar_w = min(plot.column * 0.62, unit * 4)
    thin = max(unit / 12, 0.8)
    labels: list[tuple[QRectF, str, bool]] = []
    number_font = fonts.scaled(0.85, bold=True)
    number_fm = metrics(painter, number_font)
    for i, week in enumerate(weeks):
        x = area.left() + i * plot.column + (plot.column - bar_w) / 2
        if week.adherence is None:
            _text(painter, QRectF(x - unit, area.bottom() - unit * 1.3, bar_w + unit * 2, unit),
                  "rest", fonts.small, MUTED)
            continue
        value = max(0.0, min(week.adherence, 100.0))
        height = area.height() * value / 100.0
        bar = QRectF(x, area.bottom() - height, bar_w, height)
        met = bool(week.met)
        _bar(painter, bar, met, week.finished, unit, thin)
        text = f"{round(week.adherence)} %"
        if plot.column >= number_fm.horizontalAdvance(text) * 0.9:
            w = number_fm.horizontalAdvance(text) + unit * 0.3
            labels.append((QRectF(x + bar_w / 2 - w / 2, bar.top() - number_fm.height() * 1.05,
                                  w, number_fm.height()), text, week.finished))

    # The target over the bars, then the numbers on a white ground over the target.
    y = area.bottom() - area.height() * max(0.0, min(target, 100.0)) / 100.0
    painter.setPen(_pen(TARGET, max(unit / 9, 1.0), Qt.PenStyle.DashLine))
    painter.drawLine(QLineF(area.left(), y, area.right(), y))
    for box, text, finished in labels:
        painter.fillRect(box, CARD)
        _text(painter, box, text, number_font, INK)
        if not finished:
            so_far = QRectF(box.center().x() - unit * 2, box.top() - fm.height(), unit * 4,
                            fm.height())
            _text(painter, so_far, "so far", fonts.small, MUTED)

    _week_labels(painter, plot, [w.first for w in weeks], [w.week for w in weeks], fonts,
                 ["*" if w.repeating else "" for w in weeks])
    painter.restore()


def _bar(painter: QPainter, bar: QRectF, met: bool, finished: bool, unit: float,
         thin: float) -> None:
    """Solid when the target was met, light and hatched when not; a dashed outline while
    the week is still running."""
    if bar.height() > 0:
        if met:
            painter.fillRect(bar, MET)
        else:
            painter.fillRect(bar, QColor("#ffe0b2"))
            _hatch(painter, bar, Hatch.LINES, UNMET, unit * 0.4, thin)
    painter.setPen(_pen(MET.darker(140) if met else UNMET, thin,
                        Qt.PenStyle.SolidLine if finished else Qt.PenStyle.DashLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(bar)


def _bar_legend(painter: QPainter, rect: QRectF, target: float, fonts: Fonts) -> None:
    """'- - target 80 %', 'met', 'below target' across the top, as far as they fit."""
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    thin = max(unit / 12, 0.8)
    items = [("target", f"target {round(target)} %"), ("met", "met the target"),
             ("below", "below the target")]
    x = rect.left()
    for kind, text in items:
        sample = unit * (1.8 if kind == "target" else 0.9)
        width = sample + unit * 0.3 + fm.horizontalAdvance(text) + unit * 0.8
        if x + width > rect.right():
            break
        mid = rect.top() + unit / 2
        if kind == "target":
            painter.setPen(_pen(TARGET, max(unit / 9, 1.0), Qt.PenStyle.DashLine))
            painter.drawLine(QLineF(x, mid, x + sample, mid))
        else:
            _bar(painter, QRectF(x, rect.top() + unit * 0.1, sample, unit * 0.8), kind == "met",
                 True, unit, thin)
        _text(painter, QRectF(x + sample + unit * 0.3, rect.top(), width, unit), text,
              fonts.small, INK, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        x += width


# --- Pain trend ---------------------------------------------------------------------------


def _marker(painter: QPainter, centre: QPointF, size: float, kind: str, color: QColor) -> None:
    """'circle': a filled disc; 'square': a hollow square; 'diamond': a filled diamond."""
    painter.save()
    if kind == "circle":
        painter.setPen(_pen(color, size / 4))
        painter.setBrush(color)
        painter.drawEllipse(centre, size / 2, size / 2)
    elif kind == "square":
        painter.setPen(_pen(color, size / 4))
        painter.setBrush(CARD)
        painter.drawRect(QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size))
    else:
        painter.setPen(_pen(color, size / 6))
        painter.setBrush(color)
        half = size * 0.6
        painter.drawPolygon(QPolygonF([QPointF(centre.x(), centre.y() - half),
                                       QPointF(centre.x() + half, centre.y()),
                                       QPointF(centre.x(), centre.y() + half),
                                       QPointF(centre.x() - half, centre.y())]))
    painter.restore()


def _series(painter: QPainter, points: Sequence[QPointF | None], color: QColor, width: float,
            style: Qt.PenStyle, marker: str, size: float) -> None:
    """A line through the points, broken where a point is missing, then the markers."""
    painter.setPen(_pen(color, width, style))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    path = QPainterPath()
    drawing = False
    for point in points:
        if point is None:
            drawing = False
        elif drawing:
            path.lineTo(point)
        else:
            path.moveTo(point)
            drawing = True
    painter.drawPath(path)
    for point in points:
        if point is not None:
            _marker(painter, point, size, marker, color)


PAIN_LEGEND = (("circle", "solid", "pain before"), ("square", "dashed", "pain after"))


MEASURE_LEGEND = (("circle", "solid", "PEG (lower is better)"),
                  ("square", "dashed", "PSFS mean (higher is better)"))


class MeasureWeek(NamedTuple):
    """A week's outcome-measure scores, drawn like a pain week (0-10, two series)."""

    week: int
    first: date
    before: float | None
    """PEG score."""
    after: float | None
    """PSFS mean."""
    flagged: int = 0


def paint_measures(painter: QPainter, rect: QRectF, weeks: Sequence[MeasureWeek],
                   fonts: Fonts) -> None:
    """PEG (solid, discs) and the PSFS mean (dashed, squares) per week, 0-10."""
    paint_pain_trend(painter, rect, weeks, fonts, legend=MEASURE_LEGEND,
                     empty="No questionnaires answered in these weeks.")


def paint_pain_trend(painter: QPainter, rect: QRectF, weeks: Sequence[WeekPain],
                     fonts: Fonts, *, legend=PAIN_LEGEND,
                     empty: str = "No pain scores recorded in these weeks.") -> None:
    """Mean pain (0-10) before and after sessions, per week, with flagged weeks marked.

    Before: a solid line with filled discs; after: a dashed line with hollow
    squares; a legend says which is which. A week without scores leaves a gap.
    A week with flagged sessions gets a "!" badge (with the count) at the top.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not any(w.before is not None or w.after is not None for w in weeks):
        paint_message(painter, rect, empty, fonts)
        painter.restore()
        return
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    plot = _week_plot(painter, rect, len(weeks), fonts, "10", unit * 2.6)
    area = plot.area
    _y_axis(painter, plot, [(0.0, "0"), (0.5, "5"), (1.0, "10")], 0, fonts)

    # Legend across the top.
    x = area.left()
    legend_y = rect.top() + unit * 0.1
    for marker, style, text in legend:
        color = BEFORE if marker == "circle" else AFTER
        painter.setPen(_pen(color, max(unit / 8, 1.0),
                            Qt.PenStyle.SolidLine if style == "solid" else Qt.PenStyle.DashLine))
        mid = legend_y + unit / 2
        painter.drawLine(QLineF(x, mid, x + unit * 1.8, mid))
        _marker(painter, QPointF(x + unit * 0.9, mid), unit * 0.5, marker, color)
        label = QRectF(x + unit * 2.1, legend_y, fm.horizontalAdvance(text) + unit, unit)
        _text(painter, label, text, fonts.small, INK,
              Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        x = label.right() + unit * 0.6
    if any(w.flagged for w in weeks):
        _flag_badge(painter, QPointF(x + unit * 0.45, legend_y + unit / 2), unit * 0.42, fonts)
        _text(painter, QRectF(x + unit * 1.1, legend_y, fm.horizontalAdvance("flagged") + unit,
                              unit), "flagged", fonts.small, INK,
              Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def point(i: int, value: float | None) -> QPointF | None:
        if value is None:
            return None
        return QPointF(area.left() + (i + 0.5) * plot.column,
                       area.bottom() - area.height() * max(0.0, min(value, 10.0)) / 10.0)

    width = max(unit / 7, 1.2)
    size = max(unit * 0.45, 3.0)
    _series(painter, [point(i, w.before) for i, w in enumerate(weeks)], BEFORE, width,
            Qt.PenStyle.SolidLine, "circle", size)
    _series(painter, [point(i, w.after) for i, w in enumerate(weeks)], AFTER, width,
            Qt.PenStyle.DashLine, "square", size)
    for i, week in enumerate(weeks):
        if week.flagged:
            centre = QPointF(area.left() + (i + 0.5) * plot.column, area.top() - unit * 0.55)
            # A dotted stem ties the badge to its week's points.
            tops = [p.y() for p in (point(i, week.before), point(i, week.after)) if p]
            if tops:
                painter.setPen(_pen(FLAG, max(unit / 14, 0.8), Qt.PenStyle.DotLine))
                painter.drawLine(QLineF(centre.x(), centre.y(), centre.x(),
                                        min(tops) - size))
            _flag_badge(painter, centre, unit * 0.42, fonts, week.flagged)
    _week_labels(painter, plot, [w.first for w in weeks], [w.week for w in weeks], fonts)
    painter.restore()


# --- Open-hold bests ----------------------------------------------------------------------


def _nice_ceiling(value: float) -> float:
    """The next round number of seconds at or above ``value``."""
    for step in (10, 15, 30, 60, 90, 120, 180, 300, 600, 900, 1800, 3600):
        if value <= step:
            return float(step)
    return math.ceil(value / 3600) * 3600.0


def paint_hold_bests(painter: QPainter, rect: QRectF, points: Sequence[tuple[date, float]],
                     first: date, last: date, fonts: Fonts, *, goal: float | None = None
                     ) -> None:
    """The longest open hold on each day it was done (diamonds on a line), over
    ``first``..``last``, with the best of them written out; ``goal`` as a dotted line."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    shown = [(d, s) for d, s in points if first <= d <= last]
    if not shown:
        paint_message(painter, rect, "No open holds recorded in these weeks.", fonts)
        painter.restore()
        return
    fm = metrics(painter, fonts.small)
    unit = fm.height()
    top_value = _nice_ceiling(max([s for _, s in shown] + ([goal] if goal else [])) * 1.1)
    axis = format_clock(top_value)
    left = rect.left() + fm.horizontalAdvance(axis) + unit * 0.5
    area = QRectF(left, rect.top() + unit * 1.6, max(rect.right() - unit * 0.6 - left, 1.0),
                  max(rect.height() - unit * 1.6 - unit * 1.5, unit))
    plot = _Plot(area, 1.0, QRectF())
    ticks = [(f, format_clock(top_value * f)) for f in (0.0, 0.5, 1.0)]
    _y_axis(painter, plot, ticks, 0, fonts)

    span = max((last - first).days, 1)

    def at(day: date, seconds: float) -> QPointF:
        return QPointF(area.left() + area.width() * (day - first).days / span,
                       area.bottom() - area.height() * seconds / top_value)

    if goal:
        y = area.bottom() - area.height() * goal / top_value
        painter.setPen(_pen(TARGET, max(unit / 10, 1.0), Qt.PenStyle.DotLine))
        painter.drawLine(QLineF(area.left(), y, area.right(), y))
        text = f"goal {format_clock(goal)}"
        w = fm.horizontalAdvance(text) + unit * 0.4
        box = QRectF(area.right() - w, y - unit * 1.05, w, unit)
        painter.fillRect(box, CARD)
        _text(painter, box, text, fonts.small, TARGET)

    _series(painter, [at(d, s) for d, s in shown], HOLD, max(unit / 8, 1.0),
            Qt.PenStyle.SolidLine, "diamond", max(unit * 0.5, 3.0))

    best_day, best = max(shown, key=lambda p: (p[1], p[0]))
    latest_day, latest = shown[-1]
    summary = (f"Best {format_clock(best)} on {best_day.day} {best_day:%b %Y}  \u00b7  "
               f"latest {format_clock(latest)} on {latest_day.day} {latest_day:%b}")
    _text(painter, QRectF(area.left(), rect.top(), area.width(), unit * 1.2), summary,
          fonts.small, INK, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    # Dates along the bottom: the ends, and the middle when there is room.
    labels = [first, last]
    if area.width() > fm.horizontalAdvance("00 Mmm 0000") * 4:
        labels.insert(1, first + timedelta(days=span // 2))
    for i, day in enumerate(labels):
        text = f"{day.day} {day:%b}"
        w = fm.horizontalAdvance(text) + unit
        x = at(day, 0).x()
        align = (Qt.AlignmentFlag.AlignLeft if i == 0 else Qt.AlignmentFlag.AlignRight
                 if i == len(labels) - 1 else Qt.AlignmentFlag.AlignHCenter)
        box = QRectF(x if i == 0 else x - w if i == len(labels) - 1 else x - w / 2,
                     area.bottom() + unit * 0.2, w, unit)
        _text(painter, box, text, fonts.small, MUTED, align | Qt.AlignmentFlag.AlignTop)
    painter.restore()


# --- Words for the same things (tooltips, screen readers, tables) ---------------------------


def status_text(status: DayStatus) -> str:
    """'✓ done' and so on: the symbol and the word, as in the legend."""
    look = STATUS_LOOKS[status]
    return f"{look.symbol} {look.word}"


def fill_card(painter: QPainter, rect: QRectF) -> None:
    """The white ground charts are drawn on (their colours are chosen against white)."""
    painter.fillRect(rect, QBrush(CARD))


def session_words(record) -> str:
    """A recorded session's outcome as a symbol, the shared word and, below 100 %, the
    share: '✓ done', '◑ partly done · 72 %' (core.outcomes)."""
    return session_text(record.status, record.share, symbol=True)

KIND_WORDS = {"phase": "phase session", "maintenance": "maintenance session",
              "daily": "daily block", "extra": "extra session"}


def pain_text(before: int | None, after: int | None) -> str:
    """'3 \u2192 5', '3 \u2192 ?' or '' when neither was given."""
    if before is None and after is None:
        return ""
    return f"{'?' if before is None else before} \u2192 {'?' if after is None else after}"


def percent(value: float | None) -> str:
    return "\u2013" if value is None else f"{round(value)} %"
