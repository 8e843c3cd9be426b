"""The month calendar and its legend, for the history view and the report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter

from ...core.adherence import month_grid
from ...core.day_summary import DayStatus, DaySummary
from . import base

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
                 month: int, fonts: base.Fonts) -> MonthLayout:
    """The cells of a month (Monday first) laid over ``rect``."""
    fm = (painter_or_metrics if isinstance(painter_or_metrics, QFontMetricsF)
          else base.metrics(painter_or_metrics, fonts.small))
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
                days: Mapping[date, DaySummary | None], today: date, fonts: base.Fonts, *,
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
    unit = base.line_height(painter, fonts)
    c = fonts.colours
    for name, cell in zip(WEEKDAY_NAMES, layout.header):
        base.text(painter, cell, name, fonts.scaled(0.85, bold=True), c.muted)
    for day, cell in layout.cells.items():
        summary = days.get(day) if day.month == month else None
        _paint_day(painter, cell, day, summary, day.month == month, today, fonts, unit,
                   day == selected, day == focus)
    painter.restore()
    return layout


def paint_week(painter: QPainter, rect: QRectF, days: Sequence[tuple[date, DaySummary | None]],
               today: date, fonts: base.Fonts) -> None:
    """A row of days (a program week on the Today screen): each with its weekday above and
    its status as in the month calendar."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    unit = base.line_height(painter, fonts)
    head = base.metrics(painter, fonts.small).height() * 1.5
    width = rect.width() / max(len(days), 1)
    for i, (day, summary) in enumerate(days):
        x = rect.left() + i * width
        base.text(painter, QRectF(x, rect.top(), width, head), f"{day:%a}",
                  fonts.scaled(0.85, bold=True), fonts.colours.muted)
        _paint_day(painter, QRectF(x, rect.top() + head, width, rect.height() - head), day,
                   summary, True, today, fonts, unit, False, False)
    painter.restore()


def _paint_day(painter: QPainter, cell: QRectF, day: date, summary: DaySummary | None,
               in_month: bool, today: date, fonts: base.Fonts, unit: float, selected: bool,
               focus: bool) -> None:
    c = fonts.colours
    gap = max(unit * 0.08, 0.5)
    box = cell.adjusted(gap, gap, -gap, -gap)
    thin = max(unit / 16, 0.6)
    if not in_month:
        base.text(painter, box.adjusted(unit * 0.2, unit * 0.1, 0, 0), str(day.day),
                  fonts.small, c.faint, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return
    look = base.day_look(summary, c) if summary is not None else None
    base.fill(painter, box, look.fill if look else c.card)
    if look is not None:
        base.hatch(painter, box, look.hatch, hatch_colour(look, c), unit * 0.45, thin)
    border = base.pen(look.ink if look and look.dashed else c.grid, thin,
                      Qt.PenStyle.DashLine if look and look.dashed else Qt.PenStyle.SolidLine)
    painter.setPen(border)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(box)

    is_today = day == today
    frame = max(unit / 5, 1.5)
    number_font = fonts.scaled(0.9, bold=is_today)
    number_box = box.adjusted(unit * 0.2 + frame, frame, -unit * 0.2, 0)
    if look is not None and look.hatch:
        fm = base.metrics(painter, number_font)
        base.fill(painter, QRectF(number_box.left() - unit * 0.1, number_box.top(),
                                  fm.horizontalAdvance(str(day.day)) + unit * 0.2, fm.height()),
                  look.fill)
    base.text(painter, number_box, str(day.day), number_font, c.ink,
              Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    number_h = base.metrics(painter, number_font).height()

    if look is not None:
        # The symbol takes what is left above the word; the word drops to a letter
        # when the cell is too narrow for it.
        word, word_font = _fit_word(painter, look, fonts, box.width() - unit * 0.2)
        word_h = base.metrics(painter, word_font).height()
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
        base.text(painter, symbol_box, look.symbol, symbol_font, look.ink)
        if look.hatch:
            # A plain ground under the word, so the hatching never runs through it.
            w = base.metrics(painter, word_font).horizontalAdvance(word) + unit * 0.3
            base.fill(painter, QRectF(word_box.center().x() - w / 2, word_box.top(), w,
                                      word_box.height()), look.fill)
        base.text(painter, word_box, word, word_font, look.ink)

    if summary is not None and summary.flagged:
        base.flag_badge(painter, QPointF(box.right() - frame - unit * 0.5,
                                         box.top() + frame + unit * 0.5), unit * 0.42, fonts)

    # Frames from the edge inwards: today (thick, black), chosen (blue), keyboard (dashed).
    painter.setBrush(Qt.BrushStyle.NoBrush)
    if is_today:
        painter.setPen(base.pen(c.ink, frame))
        painter.drawRect(box.adjusted(frame / 2, frame / 2, -frame / 2, -frame / 2))
    if selected:
        width = max(unit / 7, 1.2)
        inset = (frame if is_today else 0) + width / 2
        painter.setPen(base.pen(c.focus, width))
        painter.drawRect(box.adjusted(inset, inset, -inset, -inset))
    if focus:
        painter.setPen(base.pen(c.focus, max(unit / 10, 1.0), Qt.PenStyle.DashLine))
        inset = frame + max(unit / 7, 1.2) + max(unit / 10, 1.0)
        painter.drawRect(box.adjusted(inset, inset, -inset, -inset))


def _fit_word(painter: QPainter, look: base.StatusLook, fonts: base.Fonts, width: float
              ) -> tuple[str, QFont]:
    """The status word at the largest size that fits ``width``, else its letter."""
    for factor in (0.8, 0.7, 0.62):
        font = fonts.scaled(factor)
        if base.metrics(painter, font).horizontalAdvance(look.word) <= width:
            return look.word, font
    return look.letter, fonts.scaled(0.8)


# --- The legend --------------------------------------------------------------------------


def _legend_items(painter_or_metrics: QPainter | QFontMetricsF, fonts: base.Fonts, width: float,
                  letters: bool = False) -> tuple[list[tuple[str, object, QRectF]], float]:
    fm = (painter_or_metrics if isinstance(painter_or_metrics, QFontMetricsF)
          else base.metrics(painter_or_metrics, fonts.small))
    unit = fm.height()
    items: list[tuple[str, object]] = [
        (f"{look.word} ({look.letter})" if letters else look.word, status)
        for status, look in base.STATUS_LOOKS.items()]
    moved = base.MOVED_LOOK
    items.append((f"{moved.word} ({moved.letter})" if letters else moved.word, "moved"))
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
                  fonts: base.Fonts, *, letters: bool = False) -> float:
    """The height ``paint_legend`` needs at ``width``."""
    return _legend_items(painter_or_metrics, fonts, width, letters)[1]


def paint_legend(painter: QPainter, rect: QRectF, fonts: base.Fonts, *,
                 letters: bool = False) -> float:
    """What each calendar mark means, in rows that wrap to ``rect``'s width; returns the
    height used. ``letters`` adds the letter a cell too small for the word shows."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    placed, height = _legend_items(painter, fonts, rect.width(), letters)
    fm = base.metrics(painter, fonts.small)
    unit = fm.height()
    thin = max(unit / 16, 0.6)
    c = fonts.colours
    for text, kind, box in placed:
        box = box.translated(rect.topLeft())
        swatch = QRectF(box.left(), box.top() + unit * 0.05, unit * 1.1, unit * 1.1)
        label = QRectF(swatch.right() + unit * 0.3, box.top(), box.width(), box.height())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if isinstance(kind, DayStatus):
            look = c.looks[kind]
            base.fill(painter, swatch, look.fill)
            base.hatch(painter, swatch, look.hatch, hatch_colour(look, c), unit * 0.35, thin)
            painter.setPen(base.pen(look.ink if look.dashed else c.grid, thin,
                                    Qt.PenStyle.DashLine if look.dashed
                                    else Qt.PenStyle.SolidLine))
            painter.drawRect(swatch)
            base.text(painter, swatch, look.symbol, fonts.scaled(0.85, bold=True), look.ink)
        elif kind == "moved":
            painter.setPen(base.pen(c.grid, thin))
            painter.drawRect(swatch)
            base.text(painter, swatch, c.moved.symbol, fonts.scaled(0.85, bold=True),
                      c.moved.ink)
        elif kind == "flag":
            base.flag_badge(painter, swatch.center(), unit * 0.45, fonts)
        else:
            painter.setPen(base.pen(c.ink, max(unit / 6, 1.5)))
            w = max(unit / 6, 1.5) / 2
            painter.drawRect(swatch.adjusted(w, w, -w, -w))
        base.text(painter, label, text, fonts.small, c.ink,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    painter.restore()
    return height


def hatch_colour(look: base.StatusLook, colours: base.Colours) -> QColor:
    """The lines over a hatched day, a shade of its ink that stays behind the words."""
    if colours.hatch == "grid":
        return colours.grid
    return look.ink.darker(170) if colours.hatch == "darker" else look.ink.lighter(170)
