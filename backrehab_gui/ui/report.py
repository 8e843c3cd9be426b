"""A PDF of someone's history to hand to their physical therapist.

``write_report`` lays out A4 pages at 300 dpi with QPdfWriter and QPainter:
the program, the adherence calendars, weekly adherence against the target,
streak and habit score, the pain trend, every flagged session, the next-day
answers, the dose given of each progressed exercise (``report_steering``),
open-hold bests and a table of every session. The charts and calendars
(``report_charts``) are painted by the same functions as the history view
(``charts``), so the paper shows what the screen shows.

Layout. The pages (``pdf_pages``) place everything in lines and rows measured
before they are drawn, so nothing is ever cut at a page's bottom edge.

Qt needs a QGuiApplication to lay out text, even for a PDF. The CLI creates
one on the "offscreen" platform (``QT_QPA_PLATFORM=offscreen``) before calling
``write_report``; the app already has one.

The file is written atomically: the PDF is made in memory, written to a
temporary file beside the target, flushed to disk and renamed over it. Any
OSError reaches the caller as a ``ReportError`` (an ``infra.export.ExportError``)
with a plain message.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

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
from ..core.wording import plural
from ..infra.export import ExportError, write_atomically
from ..infra.record import read_answers
from ..infra.store import HistoryStore
from ..infra.store_errors import StoreError
from . import charts
from .history_view import open_hold_exercises
from .pdf_pages import Pages, short_date
from .report_charts import (
    adherence_section,
    calendars_section,
    credit_text,
    holds_section,
    measures_section,
    pain_section,
)
from .report_safety import paint_safety
from .report_steering import SteeringFacts, doses_section, next_day_section

RESOLUTION = 300
"""Dots per inch of the PDF's painting grid."""

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
    data = _render(ReportFacts(library, calendar, program, today, first, last, person_note,
                               records, hold_points, answers, safety, checks, choices))
    _write_atomically(path, data)


class ReportFacts:
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
# --- The report -----------------------------------------------------------------------------


def _long(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B %Y}"


def _render(facts: ReportFacts) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(16, 14, 16, 14), QPageLayout.Unit.Millimeter))
    title = f"BackRehab report, {short_date(facts.first)} to {short_date(facts.last)}"
    writer.setTitle(title)
    writer.setCreator("BackRehab")
    painter = QPainter()
    if not painter.begin(writer):
        raise ReportError("BackRehab could not start the PDF (the graphics system refused).")
    try:
        fonts = charts.Fonts.default(9.5)
        # Every page says it, not only the first: pages get copied and handed on alone.
        pages = Pages(writer, painter, fonts, f"{title}. Not medical advice.")
        for section in (_title, _program, _safety, _summary, calendars_section,
                        adherence_section, pain_section, measures_section, _flagged, _next_day,
                        _doses, holds_section, _sessions, _definitions):
            section(pages, facts)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data())


def _title(pages: Pages, facts: ReportFacts) -> None:
    pages.text("BackRehab progress report", pages.fonts.scaled(2.0, bold=True))
    if facts.person_note.strip():
        pages.text(facts.person_note.strip(), pages.fonts.scaled(1.15))
    pages.text(f"Covers {_long(facts.first)} to {_long(facts.last)}. "
               f"Made on {_long(facts.today)}.", color=charts.MUTED)
    pages.space(0.5)
    pages.text(DISCLAIMER, pages.fonts.scaled(1.0, bold=True))


def _program(pages: Pages, facts: ReportFacts) -> None:
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


def _safety(pages: Pages, facts: ReportFacts) -> None:
    paint_safety(pages, facts.safety, facts.open_emergency, facts.first, facts.last)


def _summary(pages: Pages, facts: ReportFacts) -> None:
    stats = facts.stats
    totals = stats.totals
    pages.heading("Summary")
    pages.text(f"Weekly adherence target: {round(facts.target)} % of the planned sessions. "
               f"Streak: {plural(stats.streak, 'week')} in a row at the "
               f"target; best streak: {plural(stats.best_streak, 'week')}. Habit strength today: "
               f"{round(stats.score)} of 100.")
    pages.text(f"In this period: {charts.percent(totals.adherence)} of the planned sessions "
               f"done, counting partial sessions by their share ({credit_text(totals.credit)} of "
               f"{totals.due}); phase sessions alone: {charts.percent(totals.phase_adherence)} "
               f"({credit_text(totals.phase_credit)} of {totals.phase_due}). "
               f"{plural(len(facts.in_range), 'session')} recorded, {totals.extra} of them "
               "extra. "
               f"Days with a pain-flagged session: {totals.flagged}.")
    pages.text(f"A session is flagged when pain after it is {RISE_LIMIT} or more points "
               f"above pain before it, {HIGH_PAIN} or more, or pain more than light lasted "
               f"longer than {LASTING_MINUTES} minutes; a \"worse\" answer the day after is a "
               "flag too. Every word and figure is defined under \"How to read this report\" "
               "at its end.", pages.fonts.small, color=charts.MUTED)


def _flag_reason(record: SessionRecord) -> str:
    flag = record_flag(record)
    if flag is None:
        return ""
    if flag.reason == LASTING:
        return f"pain more than light for longer than {LASTING_MINUTES} minutes"
    if flag.reason == HIGH:
        return f"pain {flag.after} of 10 after the session ({HIGH_PAIN} or more)"
    return f"pain rose by {plural(flag.after - (flag.before or 0), 'point')} ({RISE_LIMIT} or more)"


def _flagged(pages: Pages, facts: ReportFacts) -> None:
    pages.heading("Flagged sessions")
    flagged = [r for r in facts.in_range if record_flag(r) is not None]
    if not flagged:
        pages.text("No session in this period was flagged by the pain rules.")
        return
    rows = [[short_date(r.local_date), f"{r.started_at:%H:%M}", r.routine_name,
             charts.pain_text(r.pain_before, r.pain_after), _flag_reason(r), r.note]
            for r in flagged]
    pages.table([("Date", 1.25), ("Time", 0.6), ("Routine", 1.8), ("Pain", 0.7),
                 ("Reason", 2.2), ("Note", 2.0)], rows)


def _next_day(pages: Pages, facts: ReportFacts) -> None:
    next_day_section(pages, facts.steering)


def _doses(pages: Pages, facts: ReportFacts) -> None:
    doses_section(pages, facts.steering)


def _sessions(pages: Pages, facts: ReportFacts) -> None:
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
            status += f" (planned {place.counted_for:%a} {short_date(place.counted_for)})"
        elif place is not None and not place.counted:
            status += " (extra)"
        rows.append([short_date(r.local_date), f"{r.started_at:%H:%M}", r.routine_name,
                     status, f"{round(r.share * 100)} %",
                     charts.pain_text(r.pain_before, r.pain_after),
                     "" if r.effort is None else str(r.effort),
                     f"{charts.FLAG_MARK} yes" if record_flag(r) is not None else "", r.note])
    pages.table([("Date", 1.25), ("Time", 0.6), ("Routine", 1.7), ("Outcome", 1.75),
                 ("Share", 0.65), ("Pain", 0.7), ("Effort", 0.65), ("Flag", 0.65),
                 ("Note", 2.0)], rows)
    pages.text("Pain: before \u2192 after, 0-10 (? when not given). Effort: 0-10. "
               "Flag: flagged by the pain rules.", pages.fonts.small, color=charts.MUTED)


def _definitions(pages: Pages, facts: ReportFacts) -> None:
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
