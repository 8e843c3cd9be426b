"""The history's safety records: red-flag answers, doctors' clearances and "Stop: it
hurts", each with its date, for the weekly check, the emergency lock and the
therapist's report.

A part of ``HistoryStore`` (which mixes it in); written at once, safe to repeat.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from backrehab_gui.core.screening import SafetyEvent

from .store_rows import SAFETY_COLUMNS, offset_minutes, safety_event
from .store_transactions import Transactions


class SafetyRecords(Transactions):
    """Safety events, stored once each (kind and moment) and read back by day."""

    def record_safety_event(self, event: SafetyEvent) -> int:
        """Store a red-flag answer, a clearance or a "Stop: it hurts"; returns its id.
        Safe to repeat: the same kind at the same time is stored once (a repeat may
        add the action)."""
        offset_minutes(event.at)
        at = event.at.isoformat()
        with self._write() as conn:
            session = event.session_id
            if session is not None and conn.execute(
                    "SELECT 1 FROM sessions WHERE id = ?", (session,)).fetchone() is None:
                session = None      # a session not in the history: the event still counts
            conn.execute(
                "INSERT INTO safety_events (at, local_date, kind, emergency, flags, detail,"
                " session_id, exercise_id, exercise_name, what, action)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, at)"
                # Written again with the action chosen since: keep that.
                " DO UPDATE SET action = coalesce(excluded.action, action)",
                (at, event.at.date().isoformat(), event.kind.value, int(event.emergency),
                 ",".join(event.flags), event.detail, session, event.exercise_id,
                 event.exercise_name, event.what, event.action))
            row = conn.execute("SELECT id FROM safety_events WHERE kind = ? AND at = ?",
                               (event.kind.value, at)).fetchone()
        return int(row[0])

    def set_safety_action(self, event_id: int, action: str) -> None:
        """What the person chose after a "Stop: it hurts" (the event is written first)."""
        with self._write() as conn:
            conn.execute("UPDATE safety_events SET action = ? WHERE id = ?", (action, event_id))

    def safety_events_between(self, first: date, last: date) -> list[SafetyEvent]:
        """Safety records whose local date is from ``first`` to ``last``, oldest first."""
        def read(conn: sqlite3.Connection) -> list[SafetyEvent]:
            rows = conn.execute(
                f"SELECT {SAFETY_COLUMNS} FROM safety_events WHERE local_date BETWEEN ? AND ?"
                " ORDER BY at, id", (first.isoformat(), last.isoformat())).fetchall()
            events = [safety_event(r) for r in rows]
            events.sort(key=lambda e: (e.at, e.id))
            return events
        return self._read(read)
