"""The streak, best streak and habit score: they depend on the whole history.

Ten years of history take a while to read, so ``TotalsCounter`` reads it half a
year at a time on the event loop, then runs one ``compute``: no step holds the
window up for long. Until it is done, the history view says "counting".
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.adherence import compute
from ..core.history import SessionRecord
from ..core.schedule import ProgramCalendar
from ..infra.store import HistoryStore, StoreError

TOTALS_CHUNK_DAYS = 183
"""Days of history read per step while counting the streak and score."""


class TotalsCounter(QObject):
    """Counts in steps; ``totals`` is (streak, best streak, habit score) once done."""

    sig_counted = Signal(bool)
    """Done: True when the history holds any session at all."""
    sig_failed = Signal(str)
    """The history could not be read (a plain message)."""

    def __init__(self, store: HistoryStore, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.totals: tuple[int, int, float] | None = None
        self._calendar: ProgramCalendar | None = None
        self._today = date(2000, 1, 1)
        self._target = 0.0
        self._chunks: list[tuple[date, date]] = []
        self._records: list[SessionRecord] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._on_step)

    def start(self, calendar: ProgramCalendar, today: date, target: float) -> None:
        """Count afresh, from the program's start to ``today``."""
        self._calendar, self._today, self._target = calendar, today, target
        self.totals = None
        self._records = []
        self._chunks = []
        day = calendar.enrolment.start
        while day <= today:
            end = min(day + timedelta(days=TOTALS_CHUNK_DAYS - 1), today)
            self._chunks.append((day, end))
            day = end + timedelta(days=1)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._calendar = None

    def _on_step(self) -> None:
        calendar = self._calendar
        if calendar is None:
            return
        try:
            if self._chunks:
                first, last = self._chunks.pop(0)
                self._records.extend(self.store.sessions_between(first, last))
                self._timer.start()
                return
            today = self._today
            # A one-day window: streak and score still look at the whole history.
            stats = compute(calendar, self._records, today, today, today, self._target)
        except StoreError as err:
            self._records = []
            self.sig_failed.emit(err.message)
            return
        self.totals = (stats.streak, stats.best_streak, stats.score)
        any_records = bool(self._records)
        self._records = []
        self.sig_counted.emit(any_records)
