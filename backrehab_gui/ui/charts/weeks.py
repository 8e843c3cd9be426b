"""Charts along the program's weeks: adherence bars, the pain trend, outcome measures,
and open-hold bests over the days."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPolygonF

from ...core.adherence import WeekStats
from ...core.pain import WeekPain
from ...core.units import format_clock
from . import base

# --- Week columns shared by the bar and pain charts ----------------------------------------


class _Plot(NamedTuple):
    area: QRectF
    """Where values are drawn."""
    column: float
    """Width of one week's column."""
    labels: QRectF
    """The row of week labels under the area."""


def _week_plot(painter: QPainter, rect: QRectF, count: int, fonts: base.Fonts, axis_text: str,
               top: float) -> _Plot:
    fm = base.metrics(painter, fonts.small)
    unit = fm.height()
    left = rect.left() + fm.horizontalAdvance(axis_text) + unit * 0.5
    right = rect.right() - unit * 0.4
    label_h = unit * 2.1
    area = QRectF(left, rect.top() + top, max(right - left, 1.0),
                  max(rect.height() - top - label_h - unit * 0.2, unit))
    labels = QRectF(left, area.bottom() + unit * 0.2, area.width(), label_h)
    return _Plot(area, area.width() / max(count, 1), labels)


def _week_labels(painter: QPainter, plot: _Plot, firsts: Sequence[date], numbers: Sequence[int],
                 fonts: base.Fonts, notes: Sequence[str] = ()) -> None:
    """'W5' and the week's first date under each column, thinned out when crowded."""
    c = fonts.colours
    fm = base.metrics(painter, fonts.small)
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
        base.text(painter, top, f"W{number}{note}", fonts.scaled(0.85, bold=True), c.ink)
        base.text(painter, bottom, f"{first.day} {first:%b}", fonts.small, c.muted)


def _y_axis(painter: QPainter, plot: _Plot, ticks: Sequence[tuple[float, str]], top: float,
            fonts: base.Fonts) -> None:
    """Gridlines and labels; ``ticks`` as (fraction of the height, label)."""
    c = fonts.colours
    fm = base.metrics(painter, fonts.small)
    unit = fm.height()
    area = plot.area
    painter.setPen(base.pen(c.grid, max(unit / 20, 0.5)))
    for fraction, _ in ticks:
        y = area.bottom() - area.height() * fraction
        painter.drawLine(QLineF(area.left(), y, area.right(), y))
    for fraction, text in ticks:
        y = area.bottom() - area.height() * fraction
        box = QRectF(area.left() - unit * 6, y - unit / 2, unit * 6 - unit * 0.3, unit)
        base.text(painter, box, text, fonts.small, c.muted,
                  Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    painter.setPen(base.pen(c.muted, max(unit / 14, 0.7)))
    painter.drawLine(QLineF(area.left(), area.bottom(), area.right(), area.bottom()))


# --- Weekly adherence bars ------------------------------------------------------------------


def paint_week_bars(painter: QPainter, rect: QRectF, weeks: Sequence[WeekStats], target: float,
                    fonts: base.Fonts) -> None:
    """Weekly adherence (%) as bars with their numbers, and the target as a dashed line.

    A week that met the target is a solid bar; one below it is a lighter,
    hatched bar. The week still running has a dashed outline and "so far"
    under its number; a week with nothing planned says "rest".
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not weeks:
        base.paint_message(painter, rect, "No weeks to show yet.", fonts)
        painter.restore()
        return
    c = fonts.colours
    fm = base.metrics(painter, fonts.small)
    unit = fm.height()
    left = rect.left() + fm.horizontalAdvance("100 %") + unit * 0.5
    keys = _bar_keys(painter, target, fonts)
    rows = _key_rows([w for w, _ in keys], left, rect.right())
    # The keys' rows, then room for a bar's number and "so far" above the tallest bar.
    plot = _week_plot(painter, rect, len(weeks), fonts, "100 %",
                      unit * (1.2 * (rows[-1][1] + 1) + 2.2))
    area = plot.area
    _y_axis(painter, plot, [(0.0, "0 %"), (0.5, "50 %"), (1.0, "100 %")], 0, fonts)
    for (width, paint), (x, row) in zip(keys, rows):
        paint(QRectF(x, rect.top() + row * unit * 1.2, width, unit))

    bar_w = min(plot.column * 0.62, unit * 4)
    thin = max(unit / 12, 0.8)
    labels: list[tuple[QRectF, str, bool]] = []
    number_font = fonts.scaled(0.85, bold=True)
    number_fm = base.metrics(painter, number_font)
    for i, week in enumerate(weeks):
        x = area.left() + i * plot.column + (plot.column - bar_w) / 2
        if week.adherence is None:
            base.text(painter, QRectF(x - unit, area.bottom() - unit * 1.3, bar_w + unit * 2,
                                      unit), "rest", fonts.small, c.muted)
            continue
        value = max(0.0, min(week.adherence, 100.0))
        height = area.height() * value / 100.0
        bar = QRectF(x, area.bottom() - height, bar_w, height)
        met = bool(week.met)
        _bar(painter, bar, met, week.finished, unit, thin, c)
        text = f"{round(week.adherence)} %"
        if plot.column >= number_fm.horizontalAdvance(text) * 0.9:
            w = number_fm.horizontalAdvance(text) + unit * 0.3
            labels.append((QRectF(x + bar_w / 2 - w / 2, bar.top() - number_fm.height() * 1.05,
                                  w, number_fm.height()), text, week.finished))

    # The target over the bars, then the numbers on a white ground over the target.
    y = area.bottom() - area.height() * max(0.0, min(target, 100.0)) / 100.0
    painter.setPen(base.pen(c.target, max(unit / 9, 1.0), Qt.PenStyle.DashLine))
    painter.drawLine(QLineF(area.left(), y, area.right(), y))
    for box, text, finished in labels:
        painter.fillRect(box, c.card)
        base.text(painter, box, text, number_font, c.ink)
        if not finished:
            so_far = QRectF(box.center().x() - unit * 2, box.top() - fm.height(), unit * 4,
                            fm.height())
            base.text(painter, so_far, "so far", fonts.small, c.muted)

    _week_labels(painter, plot, [w.first for w in weeks], [w.week for w in weeks], fonts,
                 ["*" if w.repeating else "" for w in weeks])
    painter.restore()


def _bar(painter: QPainter, bar: QRectF, met: bool, finished: bool, unit: float,
         thin: float, c: base.Colours) -> None:
    """Solid when the target was met, light and hatched when not; a dashed outline while
    the week is still running."""
    if bar.height() > 0:
        if met:
            painter.fillRect(bar, c.met)
        else:
            painter.fillRect(bar, c.unmet_fill)
            base.hatch(painter, bar, base.Hatch.LINES, c.unmet, unit * 0.4, thin)
    painter.setPen(base.pen(c.met.darker(140) if met else c.unmet, thin,
                            Qt.PenStyle.SolidLine if finished else Qt.PenStyle.DashLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRect(bar)


def _bar_keys(painter: QPainter, target: float, fonts: base.Fonts
              ) -> list[tuple[float, Callable[[QRectF], None]]]:
    """'- - target 80 %', 'met the target', 'below the target': each key's width and how
    to paint it in a box."""
    c = fonts.colours
    fm = base.metrics(painter, fonts.small)
    unit = fm.height()
    thin = max(unit / 12, 0.8)

    def key(kind: str, words: str) -> tuple[float, Callable[[QRectF], None]]:
        sample = unit * (1.8 if kind == "target" else 0.9)

        def paint(box: QRectF) -> None:
            mid = box.top() + unit / 2
            if kind == "target":
                painter.setPen(base.pen(c.target, max(unit / 9, 1.0), Qt.PenStyle.DashLine))
                painter.drawLine(QLineF(box.left(), mid, box.left() + sample, mid))
            else:
                _bar(painter, QRectF(box.left(), box.top() + unit * 0.1, sample, unit * 0.8),
                     kind == "met", True, unit, thin, c)
            base.text(painter, QRectF(box.left() + sample + unit * 0.3, box.top(),
                                      fm.horizontalAdvance(words) + unit * 0.2, unit),
                      words, fonts.small, c.ink,
                      Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

        return sample + unit * 0.3 + fm.horizontalAdvance(words) + unit * 0.8, paint

    return [key("target", f"target {round(target)} %"), key("met", "met the target"),
            key("below", "below the target")]


def _key_rows(widths: Sequence[float], left: float, right: float) -> list[tuple[float, int]]:
    """Where each key of a chart's legend goes, as (x, row): left to right, a key that
    does not fit what is left of a row starting the next one."""
    places = []
    x, row = left, 0
    for width in widths:
        if x > left and x + width > right:
            x, row = left, row + 1
        places.append((x, row))
        x += width
    return places


# --- Pain trend ---------------------------------------------------------------------------


def _marker(painter: QPainter, centre: QPointF, size: float, kind: str, color: QColor,
            card: QColor) -> None:
    """'circle': a filled disc; 'square': a hollow square; 'diamond': a filled diamond."""
    painter.save()
    if kind == "circle":
        painter.setPen(base.pen(color, size / 4))
        painter.setBrush(color)
        painter.drawEllipse(centre, size / 2, size / 2)
    elif kind == "square":
        painter.setPen(base.pen(color, size / 4))
        painter.setBrush(card)
        painter.drawRect(QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size))
    else:
        painter.setPen(base.pen(color, size / 6))
        painter.setBrush(color)
        half = size * 0.6
        painter.drawPolygon(QPolygonF([QPointF(centre.x(), centre.y() - half),
                                       QPointF(centre.x() + half, centre.y()),
                                       QPointF(centre.x(), centre.y() + half),
                                       QPointF(centre.x() - half, centre.y())]))
    painter.restore()


def _series(painter: QPainter, points: Sequence[QPointF | None], color: QColor, width: float,
            style: Qt.PenStyle, marker: str, size: float, card: QColor) -> None:
    """A line through the points, broken where a point is missing, then the markers."""
    painter.setPen(base.pen(color, width, style))
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
            _marker(painter, point, size, marker, color, card)


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
                   fonts: base.Fonts) -> None:
    """PEG (solid, discs) and the PSFS mean (dashed, squares) per week, 0-10."""
    paint_pain_trend(painter, rect, weeks, fonts, legend=MEASURE_LEGEND,
                     empty="No questionnaires answered in these weeks.")


def paint_pain_trend(painter: QPainter, rect: QRectF, weeks: Sequence[WeekPain],
                     fonts: base.Fonts, *, legend=PAIN_LEGEND,
                     empty: str = "No pain scores recorded in these weeks.") -> None:
    """Mean pain (0-10) before and after sessions, per week, with flagged weeks marked.

    Before: a solid line with filled discs; after: a dashed line with hollow
    squares; a legend says which is which. A week without scores leaves a gap.
    A week with flagged sessions gets a "!" badge (with the count) at the top.
    """
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if not any(w.before is not None or w.after is not None for w in weeks):
        base.paint_message(painter, rect, empty, fonts)
        painter.restore()
        return
    c = fonts.colours
    fm = base.metrics(painter, fonts.small)
    unit = fm.height()
    keys = [(unit * 2.1 + fm.horizontalAdvance(words) + unit * 0.8, (marker, style, words))
            for marker, style, words in legend]
    if any(w.flagged for w in weeks):
        keys.append((unit * 1.1 + fm.horizontalAdvance("flagged") + unit * 0.8,
                      ("flag", "", "flagged")))
    left = rect.left() + fm.horizontalAdvance("10") + unit * 0.5
    rows = _key_rows([w for w, _ in keys], left, rect.right())
    # The keys' rows, then room for the flag badges above the plot.
    plot = _week_plot(painter, rect, len(weeks), fonts, "10",
                      unit * (1.2 * (rows[-1][1] + 1) + 1.4))
    area = plot.area
    _y_axis(painter, plot, [(0.0, "0"), (0.5, "5"), (1.0, "10")], 0, fonts)

    for (_width, (marker, style, words)), (x, row) in zip(keys, rows):
        top = rect.top() + unit * (0.1 + 1.2 * row)
        mid = top + unit / 2
        if marker == "flag":
            base.flag_badge(painter, QPointF(x + unit * 0.45, mid), unit * 0.42, fonts)
            label = QRectF(x + unit * 1.1, top, fm.horizontalAdvance(words) + unit, unit)
        else:
            color = c.before if marker == "circle" else c.after
            painter.setPen(base.pen(color, max(unit / 8, 1.0), Qt.PenStyle.SolidLine
                                    if style == "solid" else Qt.PenStyle.DashLine))
            painter.drawLine(QLineF(x, mid, x + unit * 1.8, mid))
            _marker(painter, QPointF(x + unit * 0.9, mid), unit * 0.5, marker, color, c.card)
            label = QRectF(x + unit * 2.1, top, fm.horizontalAdvance(words) + unit, unit)
        base.text(painter, label, words, fonts.small, c.ink,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def point(i: int, value: float | None) -> QPointF | None:
        if value is None:
            return None
        return QPointF(area.left() + (i + 0.5) * plot.column,
                       area.bottom() - area.height() * max(0.0, min(value, 10.0)) / 10.0)

    width = max(unit / 7, 1.2)
    size = max(unit * 0.45, 3.0)
    _series(painter, [point(i, w.before) for i, w in enumerate(weeks)], c.before, width,
            Qt.PenStyle.SolidLine, "circle", size, c.card)
    _series(painter, [point(i, w.after) for i, w in enumerate(weeks)], c.after, width,
            Qt.PenStyle.DashLine, "square", size, c.card)
    for i, week in enumerate(weeks):
        if week.flagged:
            centre = QPointF(area.left() + (i + 0.5) * plot.column, area.top() - unit * 0.55)
            # A dotted stem ties the badge to its week's points.
            tops = [p.y() for p in (point(i, week.before), point(i, week.after)) if p]
            if tops:
                painter.setPen(base.pen(c.flag, max(unit / 14, 0.8), Qt.PenStyle.DotLine))
                painter.drawLine(QLineF(centre.x(), centre.y(), centre.x(),
                                        min(tops) - size))
            base.flag_badge(painter, centre, unit * 0.42, fonts, week.flagged)
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
                     first: date, last: date, fonts: base.Fonts, *, goal: float | None = None
                     ) -> None:
    """The longest open hold on each day it was done (diamonds on a line), over
    ``first``..``last``, with the best of them written out; ``goal`` as a dotted line."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    shown = [(d, s) for d, s in points if first <= d <= last]
    if not shown:
        base.paint_message(painter, rect, "No open holds recorded in these weeks.", fonts)
        painter.restore()
        return
    c = fonts.colours
    fm = base.metrics(painter, fonts.small)
    unit = fm.height()
    top_value = _nice_ceiling(max([s for _, s in shown] + ([goal] if goal else [])) * 1.1)
    axis = format_clock(top_value)
    left = rect.left() + fm.horizontalAdvance(axis) + unit * 0.5
    best_day, best = max(shown, key=lambda p: (p[1], p[0]))
    latest_day, latest = shown[-1]
    # The best and latest holds on one line, or on two when the chart is narrow.
    summary = [f"Best {format_clock(best)} on {best_day.day} {best_day:%b %Y}",
               f"latest {format_clock(latest)} on {latest_day.day} {latest_day:%b}"]
    if fm.horizontalAdvance("  ·  ".join(summary)) <= rect.right() - left:
        summary = ["  ·  ".join(summary)]
    head = unit * (1.2 * len(summary) + 0.4)
    area = QRectF(left, rect.top() + head, max(rect.right() - unit * 0.6 - left, 1.0),
                  max(rect.height() - head - unit * 1.5, unit))
    plot = _Plot(area, 1.0, QRectF())
    ticks = [(f, format_clock(top_value * f)) for f in (0.0, 0.5, 1.0)]
    _y_axis(painter, plot, ticks, 0, fonts)

    span = max((last - first).days, 1)

    def at(day: date, seconds: float) -> QPointF:
        return QPointF(area.left() + area.width() * (day - first).days / span,
                       area.bottom() - area.height() * seconds / top_value)

    if goal:
        y = area.bottom() - area.height() * goal / top_value
        painter.setPen(base.pen(c.target, max(unit / 10, 1.0), Qt.PenStyle.DotLine))
        painter.drawLine(QLineF(area.left(), y, area.right(), y))
        text = f"goal {format_clock(goal)}"
        w = fm.horizontalAdvance(text) + unit * 0.4
        box = QRectF(area.right() - w, y - unit * 1.05, w, unit)
        painter.fillRect(box, c.card)
        base.text(painter, box, text, fonts.small, c.target)

    _series(painter, [at(d, s) for d, s in shown], c.hold, max(unit / 8, 1.0),
            Qt.PenStyle.SolidLine, "diamond", max(unit * 0.5, 3.0), c.card)
    for row, line in enumerate(summary):
        base.text(painter, QRectF(left, rect.top() + row * unit * 1.2, rect.right() - left,
                                  unit * 1.2), line, fonts.small, c.ink,
                  Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

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
        base.text(painter, box, text, fonts.small, c.muted, align | Qt.AlignmentFlag.AlignTop)
    painter.restore()


