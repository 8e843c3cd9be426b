"""The history: a month calendar of what was done, a day's sessions, and progress charts.

What it reads, and when. Opening the view and switching months must stay
quick with ten years of history (about 14,000 sessions), so the view never
loads everything in one go:

- the month grid and the charts share one query (``sessions_between``) and
  one ``compute`` over the shown month and the ``CHART_WEEKS`` program weeks
  ending with it (or with today, if sooner): a day's status and a week's
  figures depend only on their own days;
- a day's panel reads that day's sessions with their exercise results;
- open-hold bests are one query per exercise over its whole history (years of
  daily holds take some 30 ms), read on the event loop's next turn and kept
  until ``refresh``, so month switches only filter them;
- the streak, best streak and habit score depend on the whole history. They
  are worked out in steps on the event loop (half a year of sessions per
  step, then one ``compute``), so no step holds the window up for long;
  until they are ready the line says "counting".

Nothing here reads a clock: ``today`` is a callable the app passes in. The widgets
and their arrangement are built in ``history_layout``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QWidget

from ..core import model as m
from ..core.adherence import DEFAULT_TARGET, Adherence, compute, month_bounds
from ..core.day_summary import DayStatus
from ..core.history import SessionRecord
from ..core.loading import Library
from ..core.pain import weekly_pain
from ..core.schedule import ProgramCalendar
from ..core.wording import plural
from ..infra.store import HistoryStore
from ..infra.store_errors import StoreError
from . import charts
from .history_layout import HistoryLayout
from .history_totals import TotalsCounter
from .history_widgets import hold_description, pain_description, week_description

CHART_WEEKS = 12
"""Program weeks the charts show: the whole 8-week program and a little more."""


def open_hold_exercises(library: Library) -> list[tuple[str, str, float | None]]:
    """(exercise id, name, goal) for every exercise done as an open hold (``hold: max``)
    somewhere in the library: as its own dose or in a routine."""
    goals: dict[str, float | None] = {}
    doses: list[tuple[str, m.Dose]] = [(e.id, e.dose) for e in library.exercises.values()]
    for routine in library.routines.values():
        doses.extend((item.exercise, item.dose) for item in routine.exercises
                     if item.dose is not None)
    for exercise_id, dose in doses:
        if isinstance(dose, m.HoldDose) and dose.is_open and exercise_id in library.exercises:
            goals[exercise_id] = goals.get(exercise_id) or dose.goal
    return sorted(((i, library.exercises[i].name, g) for i, g in goals.items()),
                  key=lambda t: t[1].lower())


# --- The view -----------------------------------------------------------------------------


class HistoryView(HistoryLayout, QWidget):
    """The month calendar, a chosen day's sessions, and the weekly progress charts.

    ``calendar`` is None before the person enrols. Call ``refresh`` after each
    session (and when the day changes); ``set_calendar`` after the enrolment
    changes (a new program, a repeated phase).
    """

    sig_report_requested = Signal()
    """The person asked for a PDF report for their physical therapist."""

    def __init__(self, store: HistoryStore, library: Library,
                 calendar: ProgramCalendar | None, today: Callable[[], date],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.library = library
        self.calendar = calendar
        self.today = today
        self.target = DEFAULT_TARGET
        self._today = today()
        self._year, self._month = self._today.year, self._today.month
        self._selected: date | None = None
        self._month_stats: Adherence | None = None
        self._holds_cache: dict[str, list[tuple[date, float]]] = {}
        self._hold_range = (self._today, self._today)
        self._holds = open_hold_exercises(library)
        self._counter = TotalsCounter(store, self)
        self._counter.sig_counted.connect(self._on_counted)
        self._counter.sig_failed.connect(self._say)
        self._holds_timer = QTimer(self)
        self._holds_timer.setSingleShot(True)
        self._holds_timer.setInterval(0)
        self._holds_timer.timeout.connect(self._on_holds_due)

        self._build()
        self.previous_button.clicked.connect(self._on_previous)
        self.next_button.clicked.connect(self._on_next)
        self.this_month_button.clicked.connect(self._on_this_month)
        self.report_button.clicked.connect(self.sig_report_requested)
        self.month_calendar.sig_day_chosen.connect(self._on_day_chosen)
        self.month_calendar.sig_focus_left_month.connect(self._on_focus_left_month)
        self.hold_choice.currentIndexChanged.connect(self._on_hold_choice)
        self.refresh()

    # --- Layout ----------------------------------------------------------------------------

    # --- Public ------------------------------------------------------------------------------

    def set_calendar(self, calendar: ProgramCalendar | None) -> None:
        """Show the history against this program calendar (None: not enrolled)."""
        self.calendar = calendar
        self.refresh()

    def refresh(self) -> None:
        """Read the history again: after a session, or when the day has changed."""
        previous_today = self._today
        self._today = self.today()
        if (self._year, self._month) == (previous_today.year, previous_today.month):
            # Following "this month" across midnight at the end of a month.
            self._year, self._month = self._today.year, self._today.month
        self._holds_cache.clear()
        if self.calendar is None:
            self.pages.setCurrentIndex(0)
            self._counter.stop()
            return
        self.pages.setCurrentIndex(1)
        self.measures_panel.refresh(self.store, self.calendar)
        self._show()
        self._counter.start(self.calendar, self._today, self.target)
        self._show_totals_text()

    def show_month(self, year: int, month: int) -> None:
        """Show this month (and the charts for the weeks up to its end)."""
        self._year, self._month = year, month
        self._show()

    def shown_month(self) -> tuple[int, int]:
        return self._year, self._month

    def show_day(self, day: date) -> None:
        """Show ``day``'s sessions in the panel, switching month if needed."""
        if (day.year, day.month) != (self._year, self._month):
            self.show_month(day.year, day.month)
        self._selected = day
        self.month_calendar.set_selected(day)
        self._fill_day_panel()

    @property
    def selected_day(self) -> date | None:
        return self._selected

    def month_statuses(self) -> dict[date, DayStatus]:
        """The status the calendar shows for each day of the shown month."""
        first, last = month_bounds(self._year, self._month)
        out = {}
        for offset in range((last - first).days + 1):
            day = first + timedelta(days=offset)
            status = self.month_calendar.status_of(day)
            if status is not None:
                out[day] = status
        return out

    @property
    def totals(self) -> tuple[int, int, float] | None:
        """(streak, best streak, habit score) once counted, else None."""
        return self._counter.totals

    # --- Reading and showing -------------------------------------------------------------------

    def _show(self) -> None:
        calendar = self.calendar
        if calendar is None:
            return
        today = self._today
        self.month_title.setText(f"{date(self._year, self._month, 1):%B %Y}")
        # One query and one pass for the month and the chart weeks together: they
        # overlap, and each pass walks the whole program for the habit score.
        first, last = month_bounds(self._year, self._month)
        weeks = self._chart_weeks()
        if weeks is not None:
            first = min(first, calendar.week_start(weeks[0]))
            last = max(last, calendar.week_start(weeks[1]) + timedelta(days=6))
        # Whole program weeks: a session moved within its week may sit in the next month.
        if calendar.week(first) >= 1:
            first = calendar.week_start(calendar.week(first))
        if calendar.week(last) >= 1:
            last = calendar.week_start(calendar.week(last)) + timedelta(days=6)
        try:
            records = self.store.sessions_between(first, last)
        except StoreError as err:
            self._say(err.message)
            return
        self._say("")
        stats = compute(calendar, records, today, first, last, self.target)
        self._month_stats = stats
        month_first, month_last = month_bounds(self._year, self._month)
        days = {d.day: d for d in stats.days if month_first <= d.day <= month_last}
        self.month_calendar.set_month(self._year, self._month, days, today)
        self._show_charts(stats, records)
        if self._selected is None or (self._selected.year, self._selected.month) != \
                (self._year, self._month):
            self._selected = today if (today.year, today.month) == (self._year, self._month) \
                else None
        self.month_calendar.set_selected(self._selected)
        self._fill_day_panel()

    def _say(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _chart_weeks(self) -> tuple[int, int] | None:
        """The program weeks the charts show, ending with the shown month (or today);
        None before the program starts."""
        calendar = self.calendar
        assert calendar is not None
        start = calendar.enrolment.start
        if self._today < start:
            return None
        end = min(month_bounds(self._year, self._month)[1], self._today)
        last_week = max(1, calendar.week(end))
        return max(1, last_week - CHART_WEEKS + 1), last_week

    def _show_charts(self, stats: Adherence, records: Sequence[SessionRecord]) -> None:
        calendar = self.calendar
        assert calendar is not None
        weeks = self._chart_weeks()
        if weeks is None:
            start = calendar.enrolment.start
            text = f"Your program starts on {start:%A} {start.day} {start:%B %Y}."
            for chart in (self.week_chart, self.pain_chart, self.hold_chart):
                chart.set_chart(lambda p, r, f, t=text: charts.paint_message(p, r, t, f), text)
            self._show_totals_text()
            return
        first_week, last_week = weeks
        week_stats = tuple(w for w in stats.weeks if first_week <= w.week <= last_week)
        pain = weekly_pain(calendar, records, first_week, last_week)
        target = self.target
        self.week_chart.set_chart(
            lambda p, r, f: charts.paint_week_bars(p, r, week_stats, target, f),
            week_description(week_stats, target))
        self.pain_chart.set_chart(lambda p, r, f: charts.paint_pain_trend(p, r, pain, f),
                                  pain_description(pain))
        last = calendar.week_start(last_week) + timedelta(days=6)
        self._hold_range = (calendar.week_start(first_week), min(last, self._today))
        self._show_holds()
        self._show_totals_text()

    def _show_holds(self) -> None:
        if not self._holds or self.calendar is None or self._chart_weeks() is None:
            return
        index = max(self.hold_choice.currentIndex(), 0)
        exercise_id, name, goal = self._holds[index]
        if len(self._holds) == 1:
            self.hold_title.setText(f"Open-hold bests: {name}")
        points = self._holds_cache.get(exercise_id)
        if points is None:
            # Years of daily holds take a while to read: do it after this paint.
            text = f"Reading your {name.lower()} holds\u2026"
            self.hold_chart.set_chart(lambda p, r, f: charts.paint_message(p, r, text, f), text)
            self._holds_timer.start()
            return
        first, last = self._hold_range
        shown = [(d, s) for d, s in points if first <= d <= last]
        self.hold_chart.set_chart(
            lambda p, r, f: charts.paint_hold_bests(p, r, shown, first, last, f, goal=goal),
            hold_description(name, shown))

    def _on_holds_due(self) -> None:
        if not self._holds:
            return
        exercise_id = self._holds[max(self.hold_choice.currentIndex(), 0)][0]
        if exercise_id not in self._holds_cache:
            try:
                self._holds_cache[exercise_id] = self.store.open_hold_bests(exercise_id)
            except StoreError as err:
                self._say(err.message)
                return
        self._show_holds()

    def _fill_day_panel(self) -> None:
        day = self._selected
        if day is None or self._month_stats is None:
            self.day_panel.show_message("Choose a day on the calendar to see its sessions.")
            return
        summary = self._month_stats.day(day)
        try:
            records = self.store.sessions_between(day, day, with_results=True)
        except StoreError as err:
            self.day_panel.show_message(err.message)
            return
        phase = None
        if self.calendar is not None and summary is not None and summary.week >= 1:
            span = self.calendar.span_of(summary.week)
            phase = span.phase.name if span else "maintenance"
        self.day_panel.show_day(day, summary, records, self.library, self._today, phase)

    # --- Streak and score, counted in steps (history_totals) ----------------------------------

    def _on_counted(self, any_records: bool) -> None:
        self.empty_notice.setVisible(not any_records)
        self._show_totals_text()

    def _show_totals_text(self) -> None:
        if self.calendar is not None and self._today < self.calendar.enrolment.start:
            self.totals_label.setText("Streak and habit strength start with your program.")
            return
        if self._counter.totals is None:
            self.totals_label.setText("Streak: counting\u2026")
            return
        streak, best, score = self._counter.totals
        self.totals_label.setText(
            f"Streak: {plural(streak, 'week')} in a row at {round(self.target)} % or more  "
            f"\u00b7  best: {plural(best, 'week')}  \u00b7  habit strength: {round(score)} of 100")

    # --- Handlers --------------------------------------------------------------------------------

    def _on_previous(self) -> None:
        self._step_month(-1)

    def _on_next(self) -> None:
        self._step_month(1)

    def _on_this_month(self) -> None:
        self.show_month(self._today.year, self._today.month)

    def _step_month(self, delta: int) -> None:
        index = self._year * 12 + (self._month - 1) + delta
        self.show_month(index // 12, index % 12 + 1)

    def _on_day_chosen(self, day: date) -> None:
        self.show_day(day)

    def _on_focus_left_month(self, day: date) -> None:
        self.show_month(day.year, day.month)
        self.month_calendar.focus_day = day
        self.month_calendar.update()

    def _on_hold_choice(self, _index: int) -> None:
        self._show_holds()

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_PageUp:
            self._step_month(-1)
        elif key == Qt.Key.Key_PageDown:
            self._step_month(1)
        elif key == Qt.Key.Key_Home:
            self._on_this_month()
        else:
            super().keyPressEvent(event)
