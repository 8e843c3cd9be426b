"""The report's charts: the adherence calendars, weekly adherence, the pain trend,
the outcome measures (PEG, PSFS) and open-hold bests, each with its table.

Painted by ``report.py`` on its pages with the same functions as the history view
(``charts``), so the paper shows what the screen shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF

from ..core.units import format_clock
from ..core.wording import plural
from . import charts
from .pdf_pages import Pages, short_date

if TYPE_CHECKING:
    from .report import ReportFacts

WEEKS_PER_CHART = 13
"""Weeks per chart row: a quarter of a year stays readable across the page."""

CHART_LINES = 11
"""Height of a weekly chart, in lines of text."""
HOLD_LINES = 9


def credit_text(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _mean(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.1f}"


def calendars_section(pages: Pages, facts: ReportFacts) -> None:
    pages.heading("Adherence calendar", keep=18)
    painter = pages.painter
    # Cells on paper are small: some show a status's letter instead of its word.
    legend_h = charts.legend_height(QFontMetricsF(pages.fonts.small, pages.writer),
                                    pages.width, pages.fonts, letters=True)
    pages.drawing(legend_h, lambda p, r: charts.paint_legend(p, r, pages.fonts, letters=True))
    pages.space(0.4)
    days = {d.day: d for d in facts.months.days}
    months: list[tuple[int, int]] = []
    year, month = facts.first.year, facts.first.month
    while (year, month) <= (facts.last.year, facts.last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    gap = pages.unit * 1.2
    width = (pages.width - gap) / 2
    title_h = pages.unit * 1.5
    height = width * 0.9
    for i in range(0, len(months), 2):
        row = months[i:i + 2]
        pages.ensure(title_h + height + gap)
        top = pages.y
        for j, (year, month) in enumerate(row):
            left = j * (width + gap)
            painter.setFont(pages.fonts.scaled(1.1, bold=True))
            painter.setPen(charts.INK)
            painter.drawText(QRectF(left, top, width, title_h),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                             f"{date(year, month, 1):%B %Y}")
            shown = {d: s for d, s in days.items() if (d.year, d.month) == (year, month)}
            charts.paint_month(painter, QRectF(left, top + title_h, width, height), year, month,
                               shown, facts.today, pages.fonts)
        pages.y = top + title_h + height + gap * 0.6


def _chunks(items: Sequence, most: int) -> list[Sequence]:
    """``items`` in runs of at most ``most``, as even as can be (27 -> 9, 9, 9 rather than
    13, 13, 1), so every chart row has columns of about the same width."""
    if not items:
        return []
    count = -(-len(items) // most)
    size = -(-len(items) // count)
    return [items[i:i + size] for i in range(0, len(items), size)]


def adherence_section(pages: Pages, facts: ReportFacts) -> None:
    pages.heading("Weekly adherence", keep=CHART_LINES + 3)
    weeks = facts.weeks
    if not weeks:
        pages.text("No program weeks in this period.")
        return
    pages.text(f"Sessions done as a share of those planned each program week, daily blocks "
               f"included (the \"All planned\" column); the dashed line is the "
               f"{round(facts.target)} % target. Solid bars met it, hatched bars did not; * "
               "marks a repeated week. \"Phase sessions\" counts the program's own sessions "
               "alone, moved ones included.", pages.fonts.small, color=charts.MUTED)
    for chunk in _chunks(weeks, WEEKS_PER_CHART):
        pages.drawing(pages.unit * CHART_LINES, lambda p, r, c=chunk: charts.paint_week_bars(
            p, r, c, facts.target, pages.fonts))
        pages.space(0.4)
    phases = {p.id: p.name for p in facts.program.phases}
    rows = []
    for w in weeks:
        met = "\u2013" if w.met is None else ("\u2713 yes" if w.met else "\u2717 no")
        if not w.finished and w.met is not None:
            met += " (so far)"
        phase = phases.get(w.phase_id, w.phase_id) if w.phase_id else "maintenance"
        if w.repeating:
            phase += " (repeat)"
        rows.append([f"W{w.week}", f"{short_date(w.first)} \u2013 {short_date(w.last)}", phase,
                     str(w.planned), credit_text(w.credit), charts.percent(w.adherence),
                     charts.percent(w.phase_adherence), str(w.moved) if w.moved else "",
                     met])
    pages.table([("Week", 0.6), ("Dates", 2.3), ("Phase", 1.2), ("Planned", 0.8),
                 ("Done", 0.7), ("All planned", 1.0), ("Phase sessions", 1.1),
                 ("Moved", 0.7), (f"Met {round(facts.target)} %", 1.0)], rows)


def pain_section(pages: Pages, facts: ReportFacts) -> None:
    pages.heading("Pain trend", keep=CHART_LINES + 3)
    pain = facts.pain
    if not any(w.rated for w in pain):
        pages.text("No pain scores were recorded in this period.")
        return
    pages.text("Mean pain (0 = none, 10 = the worst imaginable) before and after the "
               "sessions of each week. A ! badge marks a week with flagged sessions; \u00d72 "
               "beside it says there were two.",
               pages.fonts.small, color=charts.MUTED)
    for chunk in _chunks(pain, WEEKS_PER_CHART):
        pages.drawing(pages.unit * CHART_LINES, lambda p, r, c=chunk: charts.paint_pain_trend(
            p, r, c, pages.fonts))
        pages.space(0.4)
    rows = [[f"W{w.week}",
             f"{short_date(w.first)} \u2013 {short_date(w.first + timedelta(days=6))}",
             _mean(w.before), _mean(w.after), str(w.rated), str(w.flagged) if w.flagged else ""]
            for w in pain]
    pages.table([("Week", 0.6), ("Dates", 2.4), ("Mean before", 1.0), ("Mean after", 1.0),
                 ("Sessions rated", 1.0), ("Flagged", 0.8)], rows)


def measures_section(pages: Pages, facts: ReportFacts) -> None:
    """PEG and PSFS: a chart by week, then baseline, latest, change and whether the change
    reaches the published meaningful difference, with the references."""
    from ..core import measures

    pages.heading("Outcome measures", keep=CHART_LINES + 3)
    answers = [a for a in facts.answers if facts.first <= a.day <= facts.last]
    if not answers:
        pages.text("No questionnaires (PEG, PSFS) were answered in this period.")
        return
    pages.text("PEG: the mean of three 0-10 ratings about the past week (average pain; how "
               "much pain interfered with enjoyment of life; with general activity); lower "
               "is better. PSFS: the mean of 0-10 ratings (0 = unable, 10 = as before the "
               "problem) of 3 to 5 activities the person named; higher is better.",
               pages.fonts.small, color=charts.MUTED)
    calendar = facts.calendar
    first_week = max(1, calendar.week(facts.first))
    last_week = max(first_week, calendar.week(facts.last))
    scores = measures.weekly_scores(answers, calendar.week)
    weeks = [charts.MeasureWeek(w, calendar.week_start(w), scores.get(w, {}).get("peg"),
                                scores.get(w, {}).get("psfs"))
             for w in range(first_week, last_week + 1)]
    for chunk in _chunks(weeks, WEEKS_PER_CHART):
        pages.drawing(pages.unit * CHART_LINES, lambda p, r, c=chunk: charts.paint_measures(
            p, r, c, pages.fonts))
        pages.space(0.4)
    found = measures.changes(answers)
    if not found:
        pages.text("One answer of each so far: a change shows from the second.")
    else:
        rows = [[c.name, f"{c.baseline:.1f} ({short_date(c.baseline_day)})",
                 f"{c.latest:.1f} ({short_date(c.latest_day)})", f"{c.change:+.1f}",
                 c.threshold, ("\u2713 yes, " if c.meaningful else "\u2717 no, ")
                 + ("better" if c.better else "worse" if c.change else "the same")]
                for c in found]
        pages.table([("Measure", 2.4), ("Baseline", 1.5), ("Latest", 1.5), ("Change", 0.8),
                     ("Meaningful at", 1.3), ("Reached", 1.2)], rows)
    pages.text("References: " + " ".join(measures.REFERENCES.values()), pages.fonts.small,
               color=charts.MUTED)


def holds_section(pages: Pages, facts: ReportFacts) -> None:
    shown = [h for h in facts.holds if h[3]]
    if not shown:
        return
    pages.heading("Open-hold bests", keep=HOLD_LINES + 5)
    pages.text("The longest hold on each day an open hold (as long as you can) was done.",
               pages.fonts.small, color=charts.MUTED)
    for _exercise, name, goal, points in shown:
        pages.heading(name, 2, keep=HOLD_LINES + 1)
        pages.drawing(pages.unit * HOLD_LINES,
                      lambda p, r, pts=points, g=goal: charts.paint_hold_bests(
                          p, r, pts, facts.first, facts.last, pages.fonts, goal=g))
        best_day, best = max(points, key=lambda p: p[1])
        pages.text(f"{plural(len(points), 'day')} with a hold; first "
                   f"{format_clock(points[0][1])} on {short_date(points[0][0])}, "
                   f"best {format_clock(best)} on {short_date(best_day)}, "
                   f"latest {format_clock(points[-1][1])} on {short_date(points[-1][0])}.",
                   pages.fonts.small)
