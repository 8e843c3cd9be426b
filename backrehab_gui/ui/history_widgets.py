"""The history's painted parts: the month calendar, its legend and a chart, each sized
from its own font (the text size) and coloured for the theme (``charts.colours_for``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFontMetricsF, QPainter
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from ..core.adherence import DayStatus, DaySummary, month_bounds
from ..core.outcomes import moved_from_text, moved_text
from ..core.pain import WeekPain
from ..core.units import format_clock
from ..core.wording import plural
from . import charts, theme
from .plain import tooltip_text


def chart_fonts(widget: QWidget) -> charts.Fonts:
    """A chart's fonts and colours: the widget's own font, the theme's colours."""
    return charts.Fonts.of(widget.font(), charts.colours_for(theme.current()))


def day_words(day: date, summary: DaySummary | None, today: date, *,
              symbols: bool = True) -> str:
    """A day as a sentence for tooltips; without ``symbols`` for screen readers, which
    would name each symbol ("check mark") before its word."""
    text = f"{day:%A} {day.day} {day:%B %Y}"
    if day == today:
        text += " (today)"
    if summary is None:
        return text
    look = charts.day_look(summary)
    text += f": {look.symbol} {look.word}" if symbols else f": {look.word}"
    if summary.planned:
        done = sum(1 for s in summary.sessions if s.done)
        text += f", {done} of {plural(summary.planned, 'planned session')} done"
    for match in summary.sessions:
        if match.moved_to is not None:
            name = match.record.routine_name if match.record else match.planned.routine_id
            text += f", {name} {moved_text(match.moved_to)}"
    for _index, planned in summary.moved_in:
        text += f", {moved_from_text(planned)}"
    extra = len(summary.extra)
    if extra:
        text += f", {extra} extra"
    if summary.flagged:
        text += f"; {charts.FLAG_MARK} pain flagged" if symbols else "; pain flagged"
    return text


def month_words(year: int, month: int, days: dict[date, DaySummary | None]) -> str:
    """A month of the calendar in one sentence: how many days of each status."""
    counts: dict = {}
    for summary in days.values():
        if summary is not None:
            counts[summary.status] = counts.get(summary.status, 0) + 1
    parts = [f"{counts[status]} {look.word}" for status, look in charts.STATUS_LOOKS.items()
             if counts.get(status)]
    return f"{date(year, month, 1):%B %Y}" + (f": days {', '.join(parts)}" if parts else "")


# --- The month calendar -------------------------------------------------------------------


class MonthCalendar(QWidget):
    """A painted month (Monday first). Click a day, or move with the arrow keys and press
    Enter, to choose it. PageUp and PageDown are left to the parent (the history view)."""

    sig_day_chosen = Signal(object)
    """A day (date) was clicked, or Enter was pressed on the focused day."""
    sig_focus_left_month = Signal(object)
    """The arrow keys moved the focus to this date (in another month)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        # The name is the focused day, so a screen reader says each day the arrows reach.
        self.setAccessibleName("Calendar")
        self.setMouseTracking(False)
        self.year = 2000
        self.month = 1
        self.days: dict[date, DaySummary | None] = {}
        self.today = date(2000, 1, 1)
        self.selected: date | None = None
        self.focus_day: date | None = None

    def set_month(self, year: int, month: int, days: dict[date, DaySummary | None],
                  today: date) -> None:
        self.year, self.month, self.days, self.today = year, month, days, today
        first, last = month_bounds(year, month)
        if self.focus_day is None or not first <= self.focus_day <= last:
            self.focus_day = today if first <= today <= last else first
        self._describe()
        self.update()

    def set_selected(self, day: date | None) -> None:
        self.selected = day
        if day is not None and (day.year, day.month) == (self.year, self.month):
            self.focus_day = day
        self._describe()
        self.update()

    def status_of(self, day: date) -> DayStatus | None:
        """The status shown for ``day`` (None outside the month or without a program)."""
        summary = self.days.get(day)
        return summary.status if summary is not None else None

    def day_text(self, day: date) -> str:
        """What the tooltip says about ``day``."""
        return day_words(day, self.days.get(day), self.today)

    def spoken_day(self, day: date) -> str:
        """What screen readers say about ``day``: the same words without the symbols."""
        return day_words(day, self.days.get(day), self.today, symbols=False)

    def cell_rect(self, day: date) -> QRectF | None:
        """Where ``day`` is drawn (None when the shown grid does not hold it)."""
        return self._layout().cells.get(day)

    @property
    def fonts(self) -> charts.Fonts:
        return chart_fonts(self)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Cells wide enough for a day number and its status letter, tall enough for the
        # number, the symbol and the word, at the current text size.
        line = QFontMetricsF(self.font()).height()
        return QSize(round(7 * line * 3.3), round(line * (1.5 + 6 * 3.2)))

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        minimum = self.minimumSizeHint()
        return QSize(round(minimum.width() * 1.6), round(minimum.height() * 1.3))

    def _rect(self) -> QRectF:
        return QRectF(self.rect()).adjusted(2, 2, -2, -2)

    def _layout(self) -> charts.MonthLayout:
        # Metrics on this widget: the same numbers paint_month gets from its painter.
        fm = QFontMetricsF(self.fonts.small, self)
        return charts.month_layout(fm, self._rect(), self.year, self.month, self.fonts)

    def _describe(self) -> None:
        if self.focus_day is not None:
            self.setAccessibleName(self.spoken_day(self.focus_day))
        self.setAccessibleDescription(
            f"Calendar of {month_words(self.year, self.month, self.days)}. The arrow keys "
            "move from day to day; Enter shows the day's sessions; Page Up and Page Down "
            "change the month.")

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        fonts = self.fonts
        charts.fill_card(painter, QRectF(self.rect()), fonts.colours)
        charts.paint_month(painter, self._rect(), self.year, self.month, self.days, self.today,
                           fonts, selected=self.selected,
                           focus=self.focus_day if self.hasFocus() else None)

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        day = self._layout().at(QPointF(event.position()))
        if day is None:
            super().mousePressEvent(event)
            return
        self.focus_day = day
        self._describe()
        self.update()
        self.sig_day_chosen.emit(day)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = Qt.Key
        steps = {key.Key_Left: -1, key.Key_Right: 1, key.Key_Up: -7, key.Key_Down: 7}
        if event.key() in steps and self.focus_day is not None:
            day = self.focus_day + timedelta(days=steps[event.key()])
            self.focus_day = day
            self._describe()
            if (day.year, day.month) != (self.year, self.month):
                self.sig_focus_left_month.emit(day)
            self.update()
            return
        if event.key() in (key.Key_Return, key.Key_Enter, key.Key_Space) \
                and self.focus_day is not None:
            self.sig_day_chosen.emit(self.focus_day)
            return
        # PageUp/PageDown and the rest go to the parent.
        super().keyPressEvent(event)

    def event(self, event) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            day = self._layout().at(QPointF(event.pos()))
            if day is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tooltip_text(self.day_text(day)), self)
            return True
        return super().event(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.update()
        super().focusOutEvent(event)


class Legend(QWidget):
    """What the calendar's marks mean, wrapped to the width it has, on the calendar's
    ground."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("What the calendar marks mean")
        self.setAccessibleDescription(
            "; ".join(text for _, text in charts.LEGEND)
            + f"; {charts.FLAG_MARK} pain flagged; thick frame: today")

    @property
    def fonts(self) -> charts.Fonts:
        return chart_fonts(self)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        fonts = self.fonts
        fm = QFontMetricsF(fonts.small, self)
        return int(charts.legend_height(fm, max(width - 8, 50), fonts)) + 8

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # As narrow as its widest key; the rest wraps onto more rows.
        fm = QFontMetricsF(self.fonts.small, self)
        return QSize(round(fm.horizontalAdvance("today (thick frame)") + fm.height() * 3),
                     self.heightForWidth(max(self.width(), 100)))

    def sizeHint(self):  # noqa: N802 - Qt's name
        size = super().sizeHint()
        size.setHeight(self.heightForWidth(max(self.width(), 400)))
        return size

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.setFixedHeight(self.heightForWidth(self.width()))
        super().resizeEvent(event)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange:
            self.setFixedHeight(self.heightForWidth(self.width()))
        super().changeEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        fonts = self.fonts
        charts.fill_card(painter, QRectF(self.rect()), fonts.colours)
        charts.paint_legend(painter, QRectF(self.rect()).adjusted(4, 4, -4, -4), fonts)


class ChartView(QWidget):
    """A chart painted by one of the functions in ``charts``, with a text alternative."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._paint: Callable[[QPainter, QRectF, charts.Fonts], None] | None = None
        self.setAccessibleName(name)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Room for its keys, the plot and the week labels at the current text size.
        line = QFontMetricsF(self.font()).height()
        return QSize(round(line * 16), round(line * 10))

    def set_chart(self, paint: Callable[[QPainter, QRectF, charts.Fonts], None],
                  description: str) -> None:
        """Paint with ``paint`` from now on; ``description`` says the same in words."""
        self._paint = paint
        self.setAccessibleDescription(description)
        self.setToolTip(tooltip_text(description))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        rect = QRectF(self.rect())
        fonts = chart_fonts(self)
        charts.fill_card(painter, rect, fonts.colours)
        if self._paint is not None:
            self._paint(painter, rect.adjusted(6, 6, -6, -6), fonts)


# --- The charts in words (their tooltips and what screen readers say) -----------------------


def week_description(weeks: Sequence, target: float) -> str:
    """The weekly bars in words."""
    parts = []
    for w in weeks:
        value = "rest week" if w.adherence is None else f"{round(w.adherence)} %"
        if w.adherence is not None and not w.finished:
            value += " so far"
        parts.append(f"week {w.week}: {value}")
    return f"Weekly adherence, target {round(target)} %. " + "; ".join(parts)


def pain_description(weeks: Sequence[WeekPain]) -> str:
    """The pain chart in words."""
    def one(v: float | None) -> str:
        return "\u2013" if v is None else f"{v:.1f}"
    parts = [f"week {w.week}: before {one(w.before)}, after {one(w.after)}"
             + (f", {w.flagged} flagged" if w.flagged else "") for w in weeks]
    return "Mean pain before and after sessions. " + "; ".join(parts)


def hold_description(name: str, points: Sequence[tuple[date, float]]) -> str:
    if not points:
        return f"No {name.lower()} holds recorded in these weeks."
    best_day, best = max(points, key=lambda p: p[1])
    return (f"{name}: best hold {format_clock(best)} on {best_day:%d %b %Y}; "
            + "; ".join(f"{d:%d %b}: {format_clock(s)}" for d, s in points[-10:]))
