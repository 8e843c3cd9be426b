"""One day of the history: every session, what it felt like, each exercise's result."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QFrame, QGridLayout, QScrollArea, QVBoxLayout, QWidget

from ..core.adherence import DayStatus, DaySummary
from ..core.history import SessionRecord
from ..core.loading import Library
from ..core.outcomes import Outcome, moved_from_text, moved_text, session_text
from ..core.pain import record_flag
from ..core.units import format_clock
from ..core.wording import plural
from . import charts
from .plain import plain_label
from .player.summary import STATUS_WORDS


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
        # A stretch at the end rather than a top-aligned layout: aligned layouts get
        # their plain size hint, not their height at this width, and wrapped text in
        # them was squeezed to a sliver.
        self._layout.addStretch(1)
        self.scroll.setWidget(body)

    def _label(self, text: str, *, bold: bool = False, name: str = "",
               layout: QVBoxLayout | None = None) -> None:
        label = plain_label(text, wrap=True, name=name)
        if bold:
            font = QFont(label.font())
            font.setBold(True)
            label.setFont(font)
        self._add(label, layout)
        self._lines.append(text)

    def _add(self, widget: QWidget, layout: QVBoxLayout | None = None) -> None:
        if layout is None:
            self._layout.insertWidget(self._layout.count() - 1, widget)  # before the stretch
        else:
            layout.addWidget(widget)

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
            self._label(f"{charts.FLAG_MARK} Pain flagged: {flag.message}", bold=True,
                        name="flag", layout=box)
            # The theme's warning colour: dark red on light, light red on dark, yellow in
            # high contrast (a fixed dark red was 2.5:1 on the dark theme).
            box.itemAt(box.count() - 1).widget().setForegroundRole(QPalette.ColorRole.BrightText)
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
                    # Every cell wraps: a narrow panel stacks words rather than cutting them.
                    grid.addWidget(plain_label(text, wrap=True), row, column)
                self._lines.append("    " + "  |  ".join(cells))
            grid.setColumnStretch(0, 1)
            box.addLayout(grid)
        self._add(frame)
