"""What every chart shares: colours, day looks, fonts, units, text and small marks.

Colours come in sets (``Colours``): ``LIGHT`` for the screen and for paper, ``DARK``
for the dark theme, and ``HIGH_CONTRAST`` (white and yellow on black) for the theme
of that name. A chart
takes its set from its ``Fonts``, so every painting function already has it.

Every piece of text a chart paints goes through ``text``: one place to draw it,
and one place the layout audit watches (tests/ui/layout_audit).
"""

from __future__ import annotations

from dataclasses import field
from typing import NamedTuple

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QGuiApplication, QPainter, QPen

from ...core.day_summary import DayStatus, DaySummary
from ...core.outcomes import Outcome, session_text
from ...core.records import record_class

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


_SYMBOLS = {  # status -> symbol, word, letter, hatch, dashed
    DayStatus.DONE: ("\u2713", "done", "D", Hatch.NONE, False),
    DayStatus.PARTIAL: ("\u25d1", Outcome.PARTLY_DONE.word, "P", Hatch.LINES, False),
    DayStatus.MISSED: ("\u2717", "missed", "M", Hatch.CROSS, False),
    DayStatus.REST: ("\u2013", "rest", "R", Hatch.NONE, False),
    DayStatus.UPCOMING: ("\u25cb", "upcoming", "U", Hatch.NONE, True),
    DayStatus.BEFORE_START: ("\u00b7", "before start", "B", Hatch.NONE, False),
}


def _looks(colours: dict[DayStatus, tuple[str, str]]) -> dict[DayStatus, StatusLook]:
    return {status: StatusLook(symbol, word, letter, QColor(colours[status][0]),
                               QColor(colours[status][1]), hatch, dashed)
            for status, (symbol, word, letter, hatch, dashed) in _SYMBOLS.items()}


def _moved(fill: str, ink: str) -> StatusLook:
    return StatusLook("\u2192", "moved", "V", QColor(fill), QColor(ink), Hatch.NONE, False)


@record_class(eq=False)
class Colours:
    """Every colour a chart paints with. Text colours reach 4.5:1 on the grounds they are
    drawn on (7:1 in ``HIGH_CONTRAST``)."""

    card: QColor
    """The ground everything is drawn on."""
    ink: QColor
    muted: QColor
    """Axis labels, dates, notes."""
    faint: QColor
    """Day numbers of the neighbouring months."""
    grid: QColor
    focus: QColor
    flag: QColor
    """The flag badge's disc, and the count beside it."""
    flag_ink: QColor
    """The "!" in the disc."""
    met: QColor
    unmet: QColor
    unmet_fill: QColor
    target: QColor
    before: QColor
    after: QColor
    hold: QColor
    looks: dict[DayStatus, StatusLook] = field(hash=False, compare=False)
    moved: StatusLook = field(hash=False, compare=False)
    hatch: str = "lighter"
    """The lines over a hatched day: a 'lighter' or 'darker' shade of its ink, or the
    'grid' colour."""


# Each role's colour in the three themes, side by side: light, dark, high contrast.
_ROLES = {
    "card": ("#ffffff", "#26282b", "#000000"),
    "ink": ("#1b1f23", "#e8eaed", "#ffffff"),
    "muted": ("#5f6b76", "#b4bac0", "#d8d8d8"),
    "faint": ("#6b7680", "#a3a9af", "#c8c8c8"),
    "grid": ("#cfd6dc", "#4a4d52", "#9a9a9a"),
    "focus": ("#1565c0", "#8ab4f8", "#ffff00"),
    "flag": ("#b71c1c", "#ff8a80", "#ffff00"),
    "flag_ink": ("#ffffff", "#202124", "#000000"),
    "met": ("#2e7d32", "#66bb6a", "#ffffff"),
    "unmet": ("#e65100", "#ffb74d", "#ffffff"),
    "unmet_fill": ("#ffe0b2", "#3e2c12", "#000000"),
    "target": ("#263238", "#e8eaed", "#ffff00"),
    "before": ("#1565c0", "#8ab4f8", "#00ffff"),
    "after": ("#c62828", "#ff8a80", "#ffff00"),
    "hold": ("#6a1b9a", "#ce93d8", "#ff99ff"),
}
# Each day's (fill, ink). In high contrast every day is black with white marks: the
# symbol, the word and the pattern tell them apart, as they do in grey print.
_HC_DAY = ("#000000", "#ffffff")
_DAYS = {
    DayStatus.DONE: (("#c8e6c9", "#1b5e20"), ("#1e3a22", "#a5d6a7"), _HC_DAY),
    DayStatus.PARTIAL: (("#ffe0b2", "#7a3e00"), ("#3e2a10", "#ffcc80"), _HC_DAY),
    DayStatus.MISSED: (("#ffcdd2", "#8e0000"), ("#3f1d1d", "#ef9a9a"), _HC_DAY),
    DayStatus.REST: (("#e3e7ea", "#37474f"), ("#2f3236", "#cfd8dc"), _HC_DAY),
    DayStatus.UPCOMING: (("#ffffff", "#37474f"), ("#26282b", "#cfd8dc"), _HC_DAY),
    DayStatus.BEFORE_START: (("#f4f5f6", "#5e5e5e"), ("#2a2c30", "#a3a9af"), _HC_DAY),
}
_MOVED = (("#d7ecff", "#0d3c61"), ("#0d2a40", "#90caf9"), _HC_DAY)


def _palette(theme: int, hatch: str) -> Colours:
    """The colours of one theme: ``theme`` is its column in the tables above."""
    return Colours(**{role: QColor(column[theme]) for role, column in _ROLES.items()},
                   looks=_looks({status: column[theme] for status, column in _DAYS.items()}),
                   moved=_moved(*_MOVED[theme]), hatch=hatch)


LIGHT = _palette(0, "lighter")
"""On white: the screen's light and dark themes, and paper."""

DARK = _palette(1, "darker")
"""Light marks on dark cards, for the dark theme (white cards glared in it)."""

HIGH_CONTRAST = _palette(2, "grid")
"""White and yellow on black, for the high-contrast theme."""

# The paper's colours, for the report and handout text around the charts.
CARD, INK, MUTED, GRID = LIGHT.card, LIGHT.ink, LIGHT.muted, LIGHT.grid

STATUS_LOOKS = LIGHT.looks
"""Status -> symbol, word and look, for the calendar, its legend and the tooltips."""
MOVED_LOOK = LIGHT.moved
"""A day whose planned phase session was done on another day of its week (the fill stays
its status's: a moved session still counts in full)."""


def colours_for(theme_name: str) -> Colours:
    """The chart colours for a theme of ``ui.theme`` (light for "system": a platform's
    colours are not known in advance, and the charts are drawn on their own card)."""
    return {"high-contrast": HIGH_CONTRAST, "dark": DARK}.get(theme_name, LIGHT)


def day_look(summary: DaySummary, colours: Colours = LIGHT) -> StatusLook:
    """How a day is drawn: its status, with the "moved" symbol and word when a planned
    session was moved, or "done" on a rest day that took a moved session."""
    look = colours.looks[summary.status]
    if summary.moved:
        return look._replace(symbol=colours.moved.symbol, word=colours.moved.word,
                             letter=colours.moved.letter)
    if summary.moved_in and summary.status is DayStatus.REST:
        return colours.looks[DayStatus.DONE]
    return look


GLYPHS = "".join(look.symbol for look in STATUS_LOOKS.values()) + FLAG_MARK + "\u2192\u2026\u00d7"
"""Every non-ASCII symbol the charts draw (a test checks the fonts have them)."""

LEGEND = tuple((status, f"{look.symbol} {look.word}") for status, look in STATUS_LOOKS.items())


# --- Fonts and units ------------------------------------------------------------------


@record_class
class Fonts:
    """What a chart draws with: its fonts (point sizes, so they keep their size on paper)
    and its colours."""

    base: QFont
    colours: Colours = LIGHT

    @classmethod
    def default(cls, point_size: float | None = None, colours: Colours = LIGHT) -> Fonts:
        """The application's font, at ``point_size`` when given."""
        font = QFont(QGuiApplication.font())
        if point_size is not None:
            font.setPointSizeF(point_size)
        return cls.of(font, colours)

    @classmethod
    def of(cls, font: QFont, colours: Colours = LIGHT) -> Fonts:
        """``font`` (a widget's own, so a chart follows the text size) and ``colours``."""
        font = QFont(font)
        # No "fi"/"fl" ligatures: text copied out of the PDF would read "eﬀort".
        if hasattr(QFont, "Tag"):
            font.setFeature(QFont.Tag("liga"), 0)
        return cls(font, colours)

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


def pen(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    result = QPen(color, width, style)
    result.setCapStyle(Qt.PenCapStyle.FlatCap)
    result.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
    return result


def text(painter: QPainter, rect: QRectF, words: str, font: QFont, color: QColor,
         flags: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter) -> None:
    """Every text a chart paints, clipped to ``rect`` as QPainter does."""
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(rect, int(flags), words)


def hatch(painter: QPainter, rect: QRectF, kind: int, color: QColor, spacing: float,
          width: float) -> None:
    """Diagonal lines drawn to scale (Qt's pattern brushes are 8 device pixels: specks on
    a 300 dpi page)."""
    if kind == Hatch.NONE or rect.width() <= 0 or rect.height() <= 0:
        return
    painter.save()
    painter.setClipRect(rect, Qt.ClipOperation.IntersectClip)
    painter.setPen(pen(color, width))
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


def paint_message(painter: QPainter, rect: QRectF, message: str, fonts: Fonts) -> None:
    """A plain sentence in place of a chart with nothing to show."""
    painter.save()
    pad = line_height(painter, fonts) * 0.5
    text(painter, rect.adjusted(pad, pad, -pad, -pad), message, fonts.base,
         fonts.colours.muted, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
    painter.restore()


def flag_badge(painter: QPainter, centre: QPointF, radius: float, fonts: Fonts,
               count: int = 0) -> None:
    """A "!" in a disc: a flagged session (shape and mark, not only colour).

    Two or more flags are counted beside the disc ("×3", in the flag's colour on the
    card), at a size that stays readable on paper: squeezing "!3" into the disc
    made both unreadable."""
    colours = fonts.colours
    painter.save()
    painter.setPen(pen(colours.card, max(radius / 6, 0.8)))
    painter.setBrush(colours.flag)
    painter.drawEllipse(centre, radius, radius)
    font = QFont(fonts.base)
    font.setBold(True)
    font.setPixelSize(max(1, round(radius * 1.5)))
    box = QRectF(centre.x() - radius, centre.y() - radius, radius * 2, radius * 2)
    text(painter, box, FLAG_MARK, font, colours.flag_ink)
    if count > 1:
        label = flag_count_text(count)
        count_font = QFont(fonts.base)
        count_font.setBold(True)
        count_font.setPixelSize(max(1, round(radius * 1.6)))
        width = metrics(painter, count_font).horizontalAdvance(label) + radius * 0.4
        text_box = QRectF(centre.x() + radius * 1.1, centre.y() - radius * 1.1, width,
                          radius * 2.2)
        fill(painter, text_box, colours.card)
        text(painter, text_box, label, count_font, colours.flag,
             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    painter.restore()


def flag_count_text(count: int) -> str:
    """'×3': how many flagged sessions a badge stands for."""
    return f"\u00d7{count}"


def fill_card(painter: QPainter, rect: QRectF, colours: Colours = LIGHT) -> None:
    """The ground charts are drawn on (their colours are chosen against it)."""
    fill(painter, rect, colours.card)


def fill(painter: QPainter, rect: QRectF, colour: QColor) -> None:
    """``rect`` filled with ``colour``, as ``painter.fillRect`` does: a rectangle without an
    outline. Not fillRect itself: PySide's choice among its forms builds the 180-odd enums
    of QGradient (some 4 ms) the first time, which Today's week strip need not wait for."""
    painter.save()
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRect(rect)
    painter.restore()


# --- Words for the same things (tooltips, screen readers, tables) ---------------------------


def status_text(status: DayStatus) -> str:
    """'✓ done' and so on: the symbol and the word, as in the legend."""
    look = STATUS_LOOKS[status]
    return f"{look.symbol} {look.word}"


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
