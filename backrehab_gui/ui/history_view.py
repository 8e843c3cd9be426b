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

Nothing here reads a clock: ``today`` is a callable the app passes in.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, timedelta

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetricsF, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from ..core import model as m
from ..core.adherence import (
    DEFAULT_TARGET,
    Adherence,
    DayStatus,
    DaySummary,
    compute,
    month_bounds,
)
from ..core.history import SessionRecord
from ..core.loading import Library
from ..core.outcomes import Outcome, moved_from_text, moved_text, session_text
from ..core.pain import WeekPain, record_flag, weekly_pain
from ..core.schedule import ProgramCalendar
from ..core.units import format_clock
from ..core.wording import plural
from ..infra.store import HistoryStore, StoreError
from . import charts
from .measures_chart import MeasuresPanel
from .plain import plain_label, tooltip_text
from .player.summary import STATUS_WORDS

CHART_WEEKS = 12
"""Program weeks the charts show: the whole 8-week program and a little more."""

TOTALS_CHUNK_DAYS = 183
"""Days of history read per step while counting the streak and score."""

_NO_PROGRAM = ("You have not started a program yet. Once you choose a program and a start "
               "date, your calendar, weekly progress and pain trend appear here.")
_NO_SESSIONS = ("No sessions recorded yet. Each session you do is marked on the calendar, "
                "with your pain scores and progress.")


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
    counts: dict[DayStatus, int] = {}
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
        self.setMinimumSize(7 * 46, 260)
        # The name is the focused day, so a screen reader says each day the arrows reach.
        self.setAccessibleName("Calendar")
        self.setMouseTracking(False)
        self.fonts = charts.Fonts.default()
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
        charts.fill_card(painter, QRectF(self.rect()))
        charts.paint_month(painter, self._rect(), self.year, self.month, self.days, self.today,
                           self.fonts, selected=self.selected,
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
    """What the calendar's marks mean, wrapped to the width it has."""

    def __init__(self, fonts: charts.Fonts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fonts = fonts
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("What the calendar marks mean")
        self.setAccessibleDescription(
            "; ".join(text for _, text in charts.LEGEND)
            + f"; {charts.FLAG_MARK} pain flagged; thick frame: today")

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        fm = QFontMetricsF(self.fonts.small, self)
        return int(charts.legend_height(fm, max(width - 4, 50), self.fonts)) + 4

    def sizeHint(self):  # noqa: N802 - Qt's name
        size = super().sizeHint()
        size.setHeight(self.heightForWidth(max(self.width(), 400)))
        return size

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.setFixedHeight(self.heightForWidth(self.width()))
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        charts.paint_legend(painter, QRectF(self.rect()).adjusted(2, 2, -2, -2), self.fonts)


class ChartView(QWidget):
    """A chart painted by one of the functions in ``charts``, with a text alternative."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fonts = charts.Fonts.default()
        self._paint: Callable[[QPainter, QRectF, charts.Fonts], None] | None = None
        self.setAccessibleName(name)
        self.setMinimumHeight(130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

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
        charts.fill_card(painter, rect)
        if self._paint is not None:
            self._paint(painter, rect.adjusted(6, 6, -6, -6), self.fonts)


# --- One day's sessions ---------------------------------------------------------------------


class DayPanel(QWidget):
    """Every session of one day: routine, time, status, share, pain, effort, note, flag
    and each exercise's result; then what was planned and not done. The day's heading
    stays in view while the sessions scroll."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Sessions on the chosen day")
        self.heading = plain_label("", wrap=True, name="day_heading")
        font = QFont(self.heading.font())
        font.setBold(True)
        self.heading.setFont(font)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.StyledPanel)
        # Text wraps to the panel's width; sideways scrolling would hide half a line.
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._lines: list[str] = []
        self._layout = QVBoxLayout()
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(self.heading)
        box.addWidget(self.scroll, 1)
        self._clear()

    def text(self) -> str:
        """Everything the panel shows, one line each (for tests and screen readers)."""
        return "\n".join(self._lines)

    def _clear(self, heading: str = "") -> None:
        self.heading.setText(heading)
        self.heading.setVisible(bool(heading))
        self._lines = [heading] if heading else []
        body = QWidget()
        self._layout = QVBoxLayout(body)
        self._layout.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.scroll.setWidget(body)

    def _label(self, text: str, *, bold: bool = False, name: str = "",
               layout: QVBoxLayout | None = None) -> None:
        label = plain_label(text, wrap=True, name=name)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        (layout or self._layout).addWidget(label)
        self._lines.append(text)

    def show_message(self, text: str) -> None:
        self._clear()
        self._label(text)

    def show_day(self, day: date, summary: DaySummary | None,
                 records: Sequence[SessionRecord], library: Library, today: date,
                 phase: str | None = None) -> None:
        heading = f"{day:%A} {day.day} {day:%B %Y}"
        if summary is not None:
            look = charts.day_look(summary)
            heading += f"  \u00b7  {look.symbol} {look.word}"
            if summary.week >= 1:
                heading += f"  \u00b7  week {summary.week}"
                if phase:
                    heading += f" ({phase})"
        self._clear(heading)
        counted = {summary.records[i].id for i in summary.matched if i >= 0} \
            if summary is not None else set()
        moved_in = {summary.records[i].id: planned for i, planned in summary.moved_in} \
            if summary is not None else {}
        if not records:
            if summary is not None and summary.status is DayStatus.REST:
                self._label("A rest day: nothing was planned.")
            elif day > today:
                self._label("Nothing done yet: this day is still to come.")
            else:
                self._label("No sessions recorded on this day.")
        for record in records:
            self._session(record, record.id in counted or record.id in moved_in,
                          moved_in.get(record.id))
        if summary is not None:
            for match in summary.sessions:
                if match.moved_to is not None:
                    routine = library.routines.get(match.planned.routine_id)
                    name = routine.name if routine else match.planned.routine_id
                    self._label(f"{Outcome.MOVED.symbol} {name}: {moved_text(match.moved_to)} "
                                f"({session_text(match.record.status, match.record.share)})",
                                name="moved")
            missing = [match.planned for match in summary.sessions
                       if match.record is None]
            for plan in missing:
                routine = library.routines.get(plan.routine_id)
                name = routine.name if routine else plan.routine_id
                what = f"{plan.block.value} block" if plan.block is not None else \
                    charts.KIND_WORDS.get(plan.kind, plan.kind)
                mark = "\u25cb Still to do" if day >= today else "\u2717 Not done"
                self._label(f"{mark}: {name} ({what})", name="not_done")

    def _session(self, record: SessionRecord, counted: bool,
                 planned_on: date | None = None) -> None:
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        frame.setAccessibleName(f"Session: {record.routine_name}")
        box = QVBoxLayout(frame)
        box.setContentsMargins(8, 6, 8, 6)
        kind = charts.KIND_WORDS.get(record.kind, record.kind)
        if record.block:
            kind = f"{record.block} block"
        if not counted:
            kind += ", extra" if record.kind != "extra" else ""
        if planned_on is not None:
            kind += f", {moved_from_text(planned_on)}"
        self._label(f"{record.started_at:%H:%M}  {record.routine_name}  ({kind})", bold=True,
                    layout=box)
        self._label(session_text(record.status, record.share, symbol=True), layout=box)
        pain = charts.pain_text(record.pain_before, record.pain_after)
        feel = [f"Pain before \u2192 after: {pain}" if pain else "Pain: not given"]
        feel.append(f"Effort: {record.effort} of 10" if record.effort is not None
                    else "Effort: not given")
        self._label("  \u00b7  ".join(feel), layout=box)
        if record.note:
            self._label(f"Note: {record.note}", layout=box)
        flag = record_flag(record)
        if flag is not None:
            self._label(f"{charts.FLAG_MARK} Pain flagged: {flag.message}", name="flag",
                        layout=box)
            box.itemAt(box.count() - 1).widget().setStyleSheet(
                f"color: {charts.FLAG.name()}; font-weight: bold;")
        if record.results:
            grid = QGridLayout()
            grid.setHorizontalSpacing(14)
            for row, result in enumerate(record.results):
                cells = [result.name, STATUS_WORDS.get(result.status, result.status),
                         f"{result.sets_done} of {plural(result.sets, 'set')}"]
                if result.reps_done is not None:
                    cells.append(f"{result.reps_done} of {plural(result.reps_target, 'rep')}")
                elif result.hold_times:
                    cells.append("held " + ", ".join(format_clock(s)
                                                     for s in result.hold_times))
                else:
                    cells.append(format_clock(result.seconds))
                for column, text in enumerate(cells):
                    grid.addWidget(plain_label(text, wrap=column == 0), row, column)
                self._lines.append("    " + "  |  ".join(cells))
            grid.setColumnStretch(0, 1)
            box.addLayout(grid)
        self._layout.addWidget(frame)


# --- The view -----------------------------------------------------------------------------


class HistoryView(QWidget):
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
        self._totals: tuple[int, int, float] | None = None
        self._totals_chunks: list[tuple[date, date]] = []
        self._totals_records: list[SessionRecord] = []
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(0)
        self._totals_timer.timeout.connect(self._on_totals_step)
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

    def _build(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages = QStackedWidget()
        self.no_program = plain_label(_NO_PROGRAM, wrap=True, name="no_program")
        self.no_program.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.no_program)
        main = QWidget()
        self.pages.addWidget(main)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.pages)

        self.previous_button = QPushButton("\u2039 Previous")
        self.previous_button.setToolTip("The month before  [Page Up]")
        self.previous_button.setAccessibleName("Previous month")
        self.next_button = QPushButton("Next \u203a")
        self.next_button.setToolTip("The month after  [Page Down]")
        self.next_button.setAccessibleName("Next month")
        self.this_month_button = QPushButton("This month")
        self.this_month_button.setToolTip("Back to this month  [Home]")
        self.month_title = plain_label("", name="month_title")
        title_font = QFont(self.month_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.month_title.setFont(title_font)
        self.month_title.setMinimumWidth(170)
        self.month_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.report_button = QPushButton("Report for your therapist\u2026")
        self.report_button.setToolTip("Save your history as a PDF to show a physical therapist")
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addWidget(self.month_title)
        nav.addWidget(self.next_button)
        nav.addWidget(self.this_month_button)
        nav.addStretch(1)
        nav.addWidget(self.report_button)

        self.notice = plain_label("", wrap=True, name="history_notice")
        self.notice.hide()
        self.empty_notice = plain_label(_NO_SESSIONS, wrap=True, name="no_sessions")
        self.empty_notice.hide()
        self.month_calendar = MonthCalendar()
        self.legend = Legend(self.month_calendar.fonts)
        self.day_panel = DayPanel()
        self.day_panel.setMinimumHeight(120)

        left = QWidget()
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.month_calendar, 3)
        left_box.addWidget(self.legend)
        left_box.addWidget(self.day_panel, 2)

        self.totals_label = plain_label("", wrap=True, name="streak_and_score")
        self.week_title = plain_label("Weekly adherence: sessions done of those planned",
                                      name="week_chart_title")
        self.week_chart = ChartView("Weekly adherence")
        self.pain_title = plain_label("Pain before and after sessions, weekly mean (0-10)",
                                      name="pain_chart_title")
        self.pain_chart = ChartView("Pain trend")
        self.hold_title = plain_label("Open-hold bests", name="hold_chart_title")
        self.hold_choice = QComboBox()
        self.hold_choice.setAccessibleName("Exercise for the open-hold bests")
        # On Linux a combo box's name is its current text; the label names it by relation.
        self.hold_title.setBuddy(self.hold_choice)
        for exercise_id, name, _goal in self._holds:
            self.hold_choice.addItem(name, exercise_id)
        self.hold_chart = ChartView("Open-hold bests")
        for title in (self.week_title, self.pain_title, self.hold_title):
            font = QFont(title.font())
            font.setBold(True)
            title.setFont(font)
        hold_head = QHBoxLayout()
        hold_head.addWidget(self.hold_title)
        hold_head.addWidget(self.hold_choice)
        hold_head.addStretch(1)
        self.hold_choice.setVisible(len(self._holds) > 1)

        right = QWidget()
        right_box = QVBoxLayout(right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.totals_label)
        right_box.addWidget(self.week_title)
        right_box.addWidget(self.week_chart, 1)
        right_box.addWidget(self.pain_title)
        right_box.addWidget(self.pain_chart, 1)
        self.hold_section = QWidget()
        hold_box = QVBoxLayout(self.hold_section)
        hold_box.setContentsMargins(0, 0, 0, 0)
        hold_box.addLayout(hold_head)
        hold_box.addWidget(self.hold_chart, 1)
        right_box.addWidget(self.hold_section, 1)
        self.hold_section.setVisible(bool(self._holds))
        self.measures_panel = MeasuresPanel()     # PEG and PSFS (measures_chart)
        right_box.addWidget(self.measures_panel, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 5)
        splitter.setStretchFactor(1, 6)
        splitter.setChildrenCollapsible(False)
        box = QVBoxLayout(main)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(nav)
        box.addWidget(self.notice)
        box.addWidget(self.empty_notice)
        box.addWidget(splitter, 1)

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
            self._totals_timer.stop()
            return
        self.pages.setCurrentIndex(1)
        self.measures_panel.refresh(self.store, self.calendar)
        self._show()
        self._start_totals()

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
        return self._totals

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

    # --- Streak and score, counted in steps ----------------------------------------------------

    def _start_totals(self) -> None:
        calendar = self.calendar
        assert calendar is not None
        self._totals = None
        self._totals_records = []
        self._totals_chunks = []
        start = calendar.enrolment.start
        day = start
        while day <= self._today:
            end = min(day + timedelta(days=TOTALS_CHUNK_DAYS - 1), self._today)
            self._totals_chunks.append((day, end))
            day = end + timedelta(days=1)
        self._show_totals_text()
        self._totals_timer.start()

    def _on_totals_step(self) -> None:
        calendar = self.calendar
        if calendar is None:
            return
        try:
            if self._totals_chunks:
                first, last = self._totals_chunks.pop(0)
                self._totals_records.extend(self.store.sessions_between(first, last))
                self._totals_timer.start()
                return
            today = self._today
            # A one-day window: streak and score still look at the whole history.
            stats = compute(calendar, self._totals_records, today, today, today, self.target)
        except StoreError as err:
            self._totals_records = []
            self._say(err.message)
            return
        self._totals = (stats.streak, stats.best_streak, stats.score)
        self.empty_notice.setVisible(not self._totals_records)
        self._totals_records = []
        self._show_totals_text()

    def _show_totals_text(self) -> None:
        if self.calendar is not None and self._today < self.calendar.enrolment.start:
            self.totals_label.setText("Streak and habit strength start with your program.")
            return
        if self._totals is None:
            self.totals_label.setText("Streak: counting\u2026")
            return
        streak, best, score = self._totals
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
