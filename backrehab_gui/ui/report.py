"""A PDF of someone's history to hand to their physical therapist.

``write_report`` lays out A4 pages at 300 dpi with QPdfWriter and QPainter:
the program, the adherence calendars, weekly adherence against the target,
streak and habit score, the pain trend, every flagged session, the next-day
answers, the dose given of each progressed exercise (``report_steering``),
open-hold bests and a table of every session. The charts and calendars are painted by
the same functions as the history view (``charts``), so the paper shows what
the screen shows.

Layout. Everything is placed in lines and rows measured before they are
drawn: a block that does not fit in what is left of a page starts the next
one, long text wraps by words, and a table repeats its header on each page.
So nothing is ever cut at a page's bottom edge.

Qt needs a QGuiApplication to lay out text, even for a PDF. The CLI creates
one on the "offscreen" platform (``QT_QPA_PLATFORM=offscreen``) before calling
``write_report``; the app already has one.

The file is written atomically: the PDF is made in memory, written to a
temporary file beside the target, flushed to disk and renamed over it. Any
OSError reaches the caller as a ``ReportError`` (an ``infra.export.ExportError``)
with a plain message.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLineF, QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QPen,
)

from ..core import model as m
from ..core.adherence import DEFAULT_TARGET, HALF_LIFE_DAYS, Adherence, compute, month_bounds
from ..core.history import SessionRecord
from ..core.holds import dose_rows
from ..core.loading import Library
from ..core.next_day import NextDayCheck
from ..core.outcomes import DEFINITIONS, Outcome, session_outcome
from ..core.pain import HIGH, HIGH_PAIN, LASTING, RISE_LIMIT, WeekPain, record_flag, weekly_pain
from ..core.pain_rules import LASTING_MINUTES
from ..core.placement import places
from ..core.progression import ProgressionChoice
from ..core.schedule import WEEKDAYS, ProgramCalendar, default_session_days
from ..core.screening import SafetyEvent, open_emergency
from ..core.setbacks import dose_history
from ..core.units import format_clock
from ..core.wording import plural
from ..infra.export import ExportError, write_atomically
from ..infra.record import read_answers
from ..infra.store import HistoryStore, StoreError
from . import charts
from .history_view import open_hold_exercises
from .report_safety import paint_safety
from .report_steering import SteeringFacts, doses_section, next_day_section

RESOLUTION = 300
"""Dots per inch of the PDF's painting grid."""

WEEKS_PER_CHART = 13
"""Weeks per chart row: a quarter of a year stays readable across the page."""

CHART_LINES = 11
"""Height of a weekly chart, in lines of text."""
HOLD_LINES = 9

DISCLAIMER = ("Not medical advice. This report lists what was recorded in the BackRehab app: "
              "the sessions done, the pain scores (0-10) given before and after them and the "
              "notes written. It cannot tell whether the program suits this person.")


class ReportError(ExportError):
    """The report could not be made or saved, with a message meant for a person.

    An ExportError, so whatever reports a failed CSV or iCalendar export reports
    this one the same way.
    """


def write_report(path: Path, *, store: HistoryStore, library: Library,
                 calendar: ProgramCalendar | None, program: m.Program, today: date,
                 first: date | None = None, last: date | None = None,
                 person_note: str = "") -> None:
    """Write a PDF report of ``first``..``last`` to ``path``.

    ``first`` defaults to the program's start date, ``last`` to ``today``.
    ``person_note`` (a name, a question for the therapist) is printed under the
    title as plain text. Streak and habit score look at the whole history up to
    ``today``. A QGuiApplication must exist. Raises ReportError when there is no
    program to report on, the history cannot be read or the file cannot be saved.
    """
    if calendar is None:
        raise ReportError("There is no program to report on yet: choose a program and a "
                          "start date first.")
    path = Path(path)
    start = calendar.enrolment.start
    last = last or today
    first = first or min(start, last)
    if last < first:
        raise ReportError(f"The report cannot end ({last:%d %B %Y}) before it begins "
                          f"({first:%d %B %Y}).")
    # Whole months for the calendars, the whole history for streak and score.
    month_first = first.replace(day=1)
    month_last = month_bounds(last.year, last.month)[1]
    try:
        # Through the end of the last program week: a session may be moved within it.
        week_last = calendar.week_start(max(1, calendar.week(max(month_last, today)))) + \
            timedelta(days=6)
        records = store.sessions_between(min(month_first, start), week_last)
        hold_points = {ex: store.open_hold_bests(ex) for ex, _, _ in
                       open_hold_exercises(library)}
        answers = read_answers(store)
        # The whole history up to today tells whether an urgent sign is still open.
        safety = store.safety_events_between(date.min, max(last, today))
        checks = store.next_day_checks(min(start, first))
        choices = store.progression_choices()
    except StoreError as err:
        raise ReportError(err.message) from err
    data = _render(_Facts(library, calendar, program, today, first, last, person_note,
                          records, hold_points, answers, safety, checks, choices))
    _write_atomically(path, data)


class _Facts:
    """What the report says, worked out once."""

    def __init__(self, library: Library, calendar: ProgramCalendar, program: m.Program,
                 today: date, first: date, last: date, person_note: str,
                 records: list[SessionRecord],
                 hold_points: dict[str, list[tuple[date, float]]],
                 answers: Sequence = (),
                 safety: Sequence[SafetyEvent] = (),
                 checks: Sequence[NextDayCheck] = (),
                 choices: Sequence[ProgressionChoice] = ()) -> None:
        self.library = library
        self.calendar = calendar
        self.program = program
        self.today = today
        self.first = first
        self.last = last
        self.person_note = person_note
        self.target = DEFAULT_TARGET
        self.stats: Adherence = compute(calendar, records, today, first, last, self.target)
        # The calendars show whole months, with the days outside the range too.
        self.months: Adherence = compute(calendar, records, today, first.replace(day=1),
                                         month_bounds(last.year, last.month)[1], self.target)
        self.in_range = [r for r in records if first <= r.local_date <= last]
        self.where = places(calendar, records, today)
        self.answers = answers
        start = calendar.enrolment.start
        first_week = max(1, calendar.week(first))
        last_week = calendar.week(last)
        self.weeks = tuple(w for w in self.stats.weeks if first_week <= w.week <= last_week)
        self.pain: tuple[WeekPain, ...] = weekly_pain(calendar, self.in_range, first_week,
                                                      last_week) if last >= start else ()
        self.holds = [(ex, name, goal, [(d, s) for d, s in hold_points.get(ex, [])
                                        if first <= d <= last])
                      for ex, name, goal in open_hold_exercises(library)]
        self.safety = [e for e in safety if first <= e.local_date <= last]
        self.open_emergency = open_emergency(e for e in safety if e.local_date <= today)
        # The dose given, from the whole history: a flag before the range can hold a
        # step inside it.
        history = dose_history(calendar, records, checks, choices)
        self.steering = SteeringFacts(
            [c for c in checks if first <= c.about <= last],
            dose_rows(calendar, library, history, first_week, last_week)
            if last >= start else [])


# --- Page layout --------------------------------------------------------------------------


def _wrap(fm: QFontMetricsF, text: str, width: float) -> list[str]:
    """Greedy word wrap; a word longer than the line is broken by characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if fm.horizontalAdvance(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while fm.horizontalAdvance(word) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and fm.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


class _Pages:
    """A cursor going down A4 pages: blocks that do not fit start a new page."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, fonts: charts.Fonts,
                 footer: str) -> None:
        self.writer = writer
        self.painter = painter
        self.fonts = fonts
        self.footer = footer
        self.width = float(writer.width())
        self.fm = QFontMetricsF(fonts.base, writer)
        self.unit = self.fm.height()
        # Room for the footer line at the bottom of each page.
        self.bottom = float(writer.height()) - self.unit * 1.8
        self.y = 0.0
        self.page = 1
        self._footer()

    def _footer(self) -> None:
        rect = QRectF(0, self.bottom + self.unit * 0.6, self.width, self.unit * 1.2)
        self.painter.setFont(self.fonts.small)
        self.painter.setPen(charts.MUTED)
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft), self.footer)
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight), f"page {self.page}")

    def new_page(self) -> None:
        self.writer.newPage()
        self.page += 1
        self.y = 0.0
        self._footer()

    def room(self) -> float:
        return self.bottom - self.y

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` fits in what is left of this one."""
        if height > self.room() and self.y > 0:
            self.new_page()

    def space(self, lines: float = 0.6) -> None:
        self.y = min(self.y + self.unit * lines, self.bottom)

    def text(self, text: str, font: QFont | None = None, *, color=charts.INK,
             indent: float = 0.0, keep_with: float = 0.0) -> None:
        """Wrapped text, line by line, so a long paragraph flows onto the next page.
        ``keep_with``: height of what must follow on the same page (after a heading)."""
        font = font or self.fonts.base
        fm = QFontMetricsF(font, self.writer)
        lines = _wrap(fm, text, self.width - indent)
        height = fm.height() * 1.15
        self.ensure(height * min(len(lines), 2) + keep_with)
        self.painter.setFont(font)
        self.painter.setPen(color)
        for line in lines:
            self.ensure(height)
            self.painter.drawText(QRectF(indent, self.y, self.width - indent, height),
                                  int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                  line)
            self.y += height

    def heading(self, text: str, level: int = 1, keep: float = 6.0) -> None:
        """A heading kept on the same page as the next ``keep`` lines of what follows."""
        font = self.fonts.scaled(1.45 if level == 1 else 1.15, bold=True)
        self.space(0.9 if level == 1 else 0.5)
        self.text(text, font, keep_with=self.unit * keep)
        self.space(0.2)

    def drawing(self, height: float, paint: Callable[[QPainter, QRectF], None]) -> None:
        self.ensure(height)
        rect = QRectF(0, self.y, self.width, height)
        self.painter.save()
        paint(self.painter, rect)
        self.painter.restore()
        self.y += height

    def table(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]],
              *, font: QFont | None = None) -> None:
        """Rows of wrapped cells; ``columns`` as (title, share of the width). The header
        is repeated on every page the table runs onto."""
        font = font or self.fonts.small
        bold = QFont(font)
        bold.setBold(True)
        fm = QFontMetricsF(font, self.writer)
        bfm = QFontMetricsF(bold, self.writer)
        pad = self.unit * 0.25
        total = sum(share for _, share in columns)
        widths = [self.width * share / total for _, share in columns]
        lefts = [sum(widths[:i]) for i in range(len(widths))]

        def layout(cells: Sequence[str], metrics: QFontMetricsF) -> tuple[list[list[str]], float]:
            wrapped = [_wrap(metrics, text, w - pad * 2) for text, w in zip(cells, widths)]
            lines = max(len(c) for c in wrapped)
            return wrapped, lines * metrics.height() + pad * 2

        header, header_h = layout([title for title, _ in columns], bfm)

        def draw(cells: list[list[str]], height: float, metrics: QFontMetricsF, f: QFont,
                 shade: bool) -> None:
            painter = self.painter
            if shade:
                painter.fillRect(QRectF(0, self.y, self.width, height), QColor("#eef1f3"))
            painter.setFont(f)
            painter.setPen(charts.INK)
            for lines, left, w in zip(cells, lefts, widths):
                for i, line in enumerate(lines):
                    painter.drawText(QRectF(left + pad, self.y + pad + i * metrics.height(),
                                            w - pad * 2, metrics.height()),
                                     int(Qt.AlignmentFlag.AlignLeft
                                         | Qt.AlignmentFlag.AlignVCenter), line)
            painter.setPen(QPen(charts.GRID, max(self.unit / 20, 1.0)))
            painter.drawLine(QLineF(0, self.y + height, self.width, self.y + height))
            self.y += height

        first_row = layout(rows[0], fm)[1] if rows else 0.0
        self.ensure(header_h + first_row)
        draw(header, header_h, bfm, bold, True)
        for row in rows:
            cells, height = layout(row, fm)
            if height > self.room():
                self.new_page()
                draw(header, header_h, bfm, bold, True)
            draw(cells, height, fm, font, False)


# --- The report -----------------------------------------------------------------------------


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _credit(value: float) -> str:
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def _mean(value: float | None) -> str:
    return "\u2013" if value is None else f"{value:.1f}"


def _render(facts: _Facts) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter))
    writer.setTitle(f"BackRehab report, {_short(facts.first)} to {_short(facts.last)}")
    writer.setCreator("BackRehab")
    painter = QPainter()
    if not painter.begin(writer):
        raise ReportError("BackRehab could not start the PDF (the graphics system refused).")
    try:
        fonts = charts.Fonts.default(9.5)
        # Every page says it, not only the first: pages get copied and handed on alone.
        pages = _Pages(writer, painter, fonts,
                       f"BackRehab report, {_short(facts.first)} to {_short(facts.last)}. "
                       "Not medical advice.")
        for section in (_title, _program, _safety, _summary, _calendars, _adherence, _pain,
                        _measures, _flagged, _next_day, _doses, _holds, _sessions,
                        _definitions):
            section(pages, facts)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _title(pages: _Pages, facts: _Facts) -> None:
    pages.text("BackRehab progress report", pages.fonts.scaled(2.0, bold=True))
    if facts.person_note.strip():
        pages.text(facts.person_note.strip(), pages.fonts.scaled(1.15))
    pages.text(f"Covers {_long(facts.first)} to {_long(facts.last)}. "
               f"Made on {_long(facts.today)}.", color=charts.MUTED)
    pages.space(0.5)
    pages.text(DISCLAIMER, pages.fonts.scaled(1.0, bold=True))


def _program(pages: _Pages, facts: _Facts) -> None:
    calendar, program = facts.calendar, facts.program
    enrolment = calendar.enrolment
    pages.heading("Program")
    pages.text(f"Program: {program.name}")
    pages.text(f"Started: {_long(enrolment.start)}")
    plan = calendar.day(facts.today)
    if not plan.started:
        pages.text(f"Now: not started yet (starts on {_long(enrolment.start)}).")
    elif plan.phase is None:
        pages.text(f"Now: week {plan.week}, maintenance (the {calendar.total_weeks}-week "
                   "program is finished).")
    else:
        pages.text(f"Now: week {plan.week} of {calendar.total_weeks}, phase "
                   f"{plan.phase_number} of {len(program.phases)}: {plan.phase.name}"
                   + (" (a repeated week)" if plan.repeating else ""))
    per_week = sum(s.per_week for s in program.phases[0].sessions)
    days = enrolment.session_days or default_session_days(per_week)
    chosen = "" if enrolment.session_days else " (spread out by the app)"
    pages.text("Phase sessions on: " + ", ".join(WEEKDAYS[d].capitalize() for d in days)
               + chosen)
    blocks = [b.value for b in enrolment.blocks
              if any(d.block is b for d in program.daily)]
    pages.text("Daily blocks: " + (", ".join(blocks) if blocks else "none"))
    names = {p.id: p.name for p in program.phases}
    if enrolment.repeats:
        repeats = "; ".join(f"{names.get(p, p)}: {plural(w, 'more week')}"
                            for p, w in enrolment.repeats)
    else:
        repeats = "none"
    pages.text(f"Repeated phases: {repeats}")


def _safety(pages: _Pages, facts: _Facts) -> None:
    paint_safety(pages, facts.safety, facts.open_emergency, facts.first, facts.last)


def _summary(pages: _Pages, facts: _Facts) -> None:
    stats = facts.stats
    totals = stats.totals
    pages.heading("Summary")
    pages.text(f"Weekly adherence target: {round(facts.target)} % of the planned sessions. "
               f"Streak: {plural(stats.streak, 'week')} in a row at the "
               f"target; best streak: {plural(stats.best_streak, 'week')}. Habit strength today: "
               f"{round(stats.score)} of 100.")
    pages.text(f"In this period: {charts.percent(totals.adherence)} of the planned sessions "
               f"done, counting partial sessions by their share ({_credit(totals.credit)} of "
               f"{totals.due}); phase sessions alone: {charts.percent(totals.phase_adherence)} "
               f"({_credit(totals.phase_credit)} of {totals.phase_due}). "
               f"{plural(len(facts.in_range), 'session')} recorded, {totals.extra} of them "
               "extra. "
               f"Days with a pain-flagged session: {totals.flagged}.")
    pages.text(f"A session is flagged when pain after it is {RISE_LIMIT} or more points "
               f"above pain before it, {HIGH_PAIN} or more, or pain more than light lasted "
               f"longer than {LASTING_MINUTES} minutes; a \"worse\" answer the day after is a "
               "flag too. Every word and figure is defined under \"How to read this report\" "
               "at its end.", pages.fonts.small, color=charts.MUTED)


def _calendars(pages: _Pages, facts: _Facts) -> None:
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


def _adherence(pages: _Pages, facts: _Facts) -> None:
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
        rows.append([f"W{w.week}", f"{_short(w.first)} \u2013 {_short(w.last)}", phase,
                     str(w.planned), _credit(w.credit), charts.percent(w.adherence),
                     charts.percent(w.phase_adherence), str(w.moved) if w.moved else "",
                     met])
    pages.table([("Week", 0.6), ("Dates", 2.3), ("Phase", 1.2), ("Planned", 0.8),
                 ("Done", 0.7), ("All planned", 1.0), ("Phase sessions", 1.1),
                 ("Moved", 0.7), (f"Met {round(facts.target)} %", 1.0)], rows)


def _pain(pages: _Pages, facts: _Facts) -> None:
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
    rows = [[f"W{w.week}", f"{_short(w.first)} \u2013 {_short(w.first + timedelta(days=6))}",
             _mean(w.before), _mean(w.after), str(w.rated), str(w.flagged) if w.flagged else ""]
            for w in pain]
    pages.table([("Week", 0.6), ("Dates", 2.4), ("Mean before", 1.0), ("Mean after", 1.0),
                 ("Sessions rated", 1.0), ("Flagged", 0.8)], rows)


def _measures(pages: _Pages, facts: _Facts) -> None:
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
        rows = [[c.name, f"{c.baseline:.1f} ({_short(c.baseline_day)})",
                 f"{c.latest:.1f} ({_short(c.latest_day)})", f"{c.change:+.1f}",
                 c.threshold, ("\u2713 yes, " if c.meaningful else "\u2717 no, ")
                 + ("better" if c.better else "worse" if c.change else "the same")]
                for c in found]
        pages.table([("Measure", 2.4), ("Baseline", 1.5), ("Latest", 1.5), ("Change", 0.8),
                     ("Meaningful at", 1.3), ("Reached", 1.2)], rows)
    pages.text("References: " + " ".join(measures.REFERENCES.values()), pages.fonts.small,
               color=charts.MUTED)


def _flag_reason(record: SessionRecord) -> str:
    flag = record_flag(record)
    if flag is None:
        return ""
    if flag.reason == LASTING:
        return f"pain more than light for longer than {LASTING_MINUTES} minutes"
    if flag.reason == HIGH:
        return f"pain {flag.after} of 10 after the session ({HIGH_PAIN} or more)"
    return f"pain rose by {plural(flag.after - (flag.before or 0), 'point')} ({RISE_LIMIT} or more)"


def _flagged(pages: _Pages, facts: _Facts) -> None:
    pages.heading("Flagged sessions")
    flagged = [r for r in facts.in_range if record_flag(r) is not None]
    if not flagged:
        pages.text("No session in this period was flagged by the pain rules.")
        return
    rows = [[_short(r.local_date), f"{r.started_at:%H:%M}", r.routine_name,
             charts.pain_text(r.pain_before, r.pain_after), _flag_reason(r), r.note]
            for r in flagged]
    pages.table([("Date", 1.25), ("Time", 0.6), ("Routine", 1.8), ("Pain", 0.7),
                 ("Reason", 2.2), ("Note", 2.0)], rows)


def _next_day(pages: _Pages, facts: _Facts) -> None:
    next_day_section(pages, facts.steering)


def _doses(pages: _Pages, facts: _Facts) -> None:
    doses_section(pages, facts.steering)


def _holds(pages: _Pages, facts: _Facts) -> None:
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
                   f"{format_clock(points[0][1])} on {_short(points[0][0])}, "
                   f"best {format_clock(best)} on {_short(best_day)}, "
                   f"latest {format_clock(points[-1][1])} on {_short(points[-1][0])}.",
                   pages.fonts.small)


def _sessions(pages: _Pages, facts: _Facts) -> None:
    pages.heading("Every session")
    if not facts.in_range:
        pages.text("No sessions were recorded in this period.")
        return
    rows = []
    for r in facts.in_range:
        # The outcome word alone: the share has its own column, the flag its own, so
        # no mark ever wraps onto a line of its own.
        status = session_outcome(r.status, r.share).text
        place = facts.where.get(r.id)
        if place is not None and place.counted_for is not None:
            status += f" (planned {place.counted_for:%a} {_short(place.counted_for)})"
        elif place is not None and not place.counted:
            status += " (extra)"
        rows.append([_short(r.local_date), f"{r.started_at:%H:%M}", r.routine_name,
                     status, f"{round(r.share * 100)} %",
                     charts.pain_text(r.pain_before, r.pain_after),
                     "" if r.effort is None else str(r.effort),
                     f"{charts.FLAG_MARK} yes" if record_flag(r) is not None else "", r.note])
    pages.table([("Date", 1.25), ("Time", 0.6), ("Routine", 1.7), ("Outcome", 1.75),
                 ("Share", 0.65), ("Pain", 0.7), ("Effort", 0.65), ("Flag", 0.65),
                 ("Note", 2.0)], rows)
    pages.text("Pain: before \u2192 after, 0-10 (? when not given). Effort: 0-10. "
               "Flag: flagged by the pain rules.", pages.fonts.small, color=charts.MUTED)


def _definitions(pages: _Pages, facts: _Facts) -> None:
    """The report explains itself: a therapist reads it without the app or its docs."""
    pages.heading("How to read this report")
    small = pages.fonts.small
    pages.text("Outcomes", pages.fonts.scaled(1.0, bold=True))
    for outcome, rule in DEFINITIONS:
        pages.text(f"{outcome.text}: {rule}", small, indent=pages.unit)
    pages.space(0.3)
    pages.text("Figures", pages.fonts.scaled(1.0, bold=True))
    for line in (
        "Program weeks run for seven days from the start date, whatever the weekday. A "
        "repeated week keeps its program week number.",
        "A day belongs to the person's own day: a session started before their end of day "
        "(03:00 unless they changed it) counts for the day before.",
        "Weekly adherence: sessions done, each counted by the share done, over the sessions "
        "planned that week, daily blocks included, x 100. It never exceeds 100 %: extra "
        "sessions are listed, not counted. The current week's figure grows as it goes on.",
        "Phase-session adherence: the same for the program's own sessions (three a week in "
        "the bundled program), without the daily blocks. A phase session done on another "
        f"day of its week is {Outcome.MOVED.word} and counts in full.",
        f"Streak: weeks in a row at the {round(facts.target)} % target; weeks with nothing "
        "planned never break it, and the current week joins it once it reaches the target.",
        "Habit strength (0-100): on each day with something planned, score = score x m + "
        f"(share of the day's plan done) x (1 - m), m = 0.5^(1/{HALF_LIFE_DAYS}); what was "
        f"done {HALF_LIFE_DAYS} planned days ago weighs half as much as today.",
        f"Pain flag: pain after a session {RISE_LIMIT} or more points above pain before it, "
        f"or {HIGH_PAIN} or more whatever it was before.",
    ):
        pages.text(line, small, indent=pages.unit)


# --- Saving -----------------------------------------------------------------------------------


def _write_atomically(path: Path, data: bytes) -> None:
    try:
        write_atomically(path, lambda handle: handle.write(data), what="report")
    except ExportError as err:
        raise ReportError(err.message) from err
