"""The history's outcome measures: PEG and PSFS answers, and the times the person
skipped a questionnaire the app asked.

A part of ``HistoryStore`` (which mixes it in). ``core.measures`` scores the
answers; this only keeps them, each write safe to repeat.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime

from .store_rows import offset_minutes
from .store_transactions import Transactions


class MeasureRecords(Transactions):
    """Questionnaire answers and skips, each stored once (kind and moment)."""

    def save_measure(self, kind: str, taken_on: date, answered_at: datetime,
                     items: object) -> bool:
        """Store one set of answers (``items``: JSON-ready); True when new, False when the
        same kind was already answered at that moment (safe to repeat)."""
        offset_minutes(answered_at)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO measures (kind, taken_on, answered_at, items) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (kind, answered_at) DO NOTHING",
                (kind, taken_on.isoformat(), answered_at.isoformat(), json.dumps(items)))
            return cursor.rowcount > 0

    def measures(self) -> list[tuple[str, date, datetime, object]]:
        """(kind, day, answered at, items) for every stored measure, oldest first."""
        def read(conn: sqlite3.Connection) -> list[tuple[str, date, datetime, object]]:
            return [(k, date.fromisoformat(d), datetime.fromisoformat(a), json.loads(i))
                    for k, d, a, i in conn.execute(
                        "SELECT kind, taken_on, answered_at, items FROM measures"
                        " ORDER BY answered_at, id")]
        return self._read(read)

    def skip_measure(self, kind: str, taken_on: date, skipped_at: datetime) -> bool:
        """Note that the app asked ``kind`` and the person skipped it; True when new, False
        when that skip was already stored (safe to repeat)."""
        offset_minutes(skipped_at)
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO measure_skips (kind, taken_on, skipped_at) VALUES (?, ?, ?)"
                " ON CONFLICT (kind, skipped_at) DO NOTHING",
                (kind, taken_on.isoformat(), skipped_at.isoformat()))
            return cursor.rowcount > 0

    def measure_skips(self) -> list[tuple[str, date, datetime]]:
        """(kind, day, skipped at) for every skipped questionnaire, oldest first."""
        def read(conn: sqlite3.Connection) -> list[tuple[str, date, datetime]]:
            return [(k, date.fromisoformat(d), datetime.fromisoformat(a))
                    for k, d, a in conn.execute(
                        "SELECT kind, taken_on, skipped_at FROM measure_skips"
                        " ORDER BY skipped_at, id")]
        return self._read(read)
