"""Painting shared by the history view and the PDF report, so both show the same thing.

Every function here takes a QPainter, the rectangle to fill and plain data,
and paints on whatever device the painter is on: a widget or a 300 dpi PDF
page. Nothing is sized in fixed pixels: text uses point sizes and every gap,
pen and marker is a fraction of the text height measured on the painter's own
device, so a chart keeps its proportions on a screen and on paper. Legends wrap
to the width they have, and the plot below them moves down, so no key is
dropped or cut.

Nothing is told by colour alone. A day shows its status as a symbol and a
word (or a letter in a cell too small for the word) on a fill that also
differs in pattern; adherence bars below the target are hatched as well as
lighter, and carry their number; the two pain lines differ in dash and marker
shape and have a legend. Every symbol used is in the DejaVu fonts (a test
checks), since a missing glyph would print as an empty box.

``base``: colours (light, dark and high contrast), fonts, text and marks;
``month``: the calendar and its legend; ``weeks``: the charts along the weeks.
"""

from .base import (
    CARD,
    DARK,
    FLAG_MARK,
    GLYPHS,
    GRID,
    HIGH_CONTRAST,
    INK,
    KIND_WORDS,
    LEGEND,
    LIGHT,
    MOVED_LOOK,
    MUTED,
    STATUS_LOOKS,
    Colours,
    Fonts,
    Hatch,
    StatusLook,
    colours_for,
    day_look,
    fill_card,
    flag_count_text,
    line_height,
    metrics,
    pain_text,
    paint_message,
    percent,
    session_words,
    status_text,
)
from .month import (
    MonthLayout,
    legend_height,
    month_layout,
    paint_legend,
    paint_month,
    paint_week,
)

_WEEKS = frozenset({"MEASURE_LEGEND", "PAIN_LEGEND", "MeasureWeek", "paint_hold_bests",
                    "paint_measures", "paint_pain_trend", "paint_week_bars"})


def __getattr__(name: str) -> object:
    # The charts along the weeks load when History or the report first asks for them:
    # Today's week strip needs only base and month.
    if name in _WEEKS:
        from . import weeks

        return getattr(weeks, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "CARD", "DARK", "FLAG_MARK", "GLYPHS", "GRID", "HIGH_CONTRAST", "INK", "KIND_WORDS", "LEGEND",
    "LIGHT", "MEASURE_LEGEND", "MOVED_LOOK", "MUTED", "PAIN_LEGEND", "STATUS_LOOKS", "Colours",
    "Fonts", "Hatch", "MeasureWeek", "MonthLayout", "StatusLook", "colours_for", "day_look",
    "fill_card", "flag_count_text", "legend_height", "line_height", "metrics", "month_layout",
    "pain_text", "paint_hold_bests", "paint_legend", "paint_measures", "paint_message",
    "paint_month", "paint_pain_trend", "paint_week", "paint_week_bars", "percent", "session_words",
    "status_text",
]
