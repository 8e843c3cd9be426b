"""The history's enrolment: the program a person follows, from which day, on which
days, with the phases repeated and the phases moved on from.

A part of ``HistoryStore`` (which mixes it in); every write is one short
transaction, safe to repeat.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from backrehab_gui.core import model as m
from backrehab_gui.core.schedule import WEEKDAYS, Enrolment

from .store_rows import days_from_text, plain
from .store_transactions import Transactions


class EnrolmentRecords(Transactions):
    """The current enrolment (an older one is kept as history) and its decisions."""

    def enrolment(self) -> Enrolment | None:
        """The current enrolment with its repeats, or None before the person enrols."""
        def read(conn: sqlite3.Connection) -> Enrolment | None:
            row = conn.execute("SELECT id, program_id, start_date, session_days, blocks"
                               " FROM enrolment WHERE replaced_at IS NULL").fetchone()
            if row is None:
                return None
            repeats = tuple((p, int(w)) for p, w in conn.execute(
                "SELECT phase_id, extra_weeks FROM phase_repeats WHERE enrolment_id = ?"
                " ORDER BY id", (row[0],)))
            return Enrolment(row[1], date.fromisoformat(row[2]), days_from_text(row[3]),
                             tuple(m.Block(b) for b in row[4].split(",") if b), repeats)
        return self._read(read)

    def save_enrolment(self, enrolment: Enrolment) -> None:
        """Make ``enrolment`` the current one, with its repeats.

        The same program and start date update the current enrolment (a repeat
        already stored keeps the time it was decided); a different program or
        start date replaces it, and the old one is kept as history.
        """
        now = self._now().isoformat()
        days = None if enrolment.session_days is None else \
            ",".join(WEEKDAYS[d] for d in enrolment.session_days)
        blocks = ",".join(plain(b) for b in enrolment.blocks)
        with self._write() as conn:
            row = conn.execute("SELECT id, program_id, start_date FROM enrolment"
                               " WHERE replaced_at IS NULL").fetchone()
            if row and (row[1], row[2]) == (enrolment.program_id, enrolment.start.isoformat()):
                enrolment_id = row[0]
                conn.execute("UPDATE enrolment SET session_days = ?, blocks = ?, updated_at = ?"
                             " WHERE id = ?", (days, blocks, now, enrolment_id))
            else:
                if row:
                    conn.execute("UPDATE enrolment SET replaced_at = ? WHERE id = ?",
                                 (now, row[0]))
                enrolment_id = conn.execute(
                    "INSERT INTO enrolment (program_id, start_date, session_days, blocks,"
                    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (enrolment.program_id, enrolment.start.isoformat(), days, blocks, now,
                     now)).lastrowid
            stored = conn.execute("SELECT id, phase_id, extra_weeks FROM phase_repeats"
                                  " WHERE enrolment_id = ? ORDER BY id",
                                  (enrolment_id,)).fetchall()
            wanted = [(p, int(w)) for p, w in enrolment.repeats]
            if any(w < 0 for _, w in wanted):
                raise ValueError(f"a repeat cannot have negative weeks: {enrolment.repeats}")
            same = 0
            while same < min(len(stored), len(wanted)) and \
                    (stored[same][1], stored[same][2]) == wanted[same]:
                same += 1
            for old in stored[same:]:
                conn.execute("DELETE FROM phase_repeats WHERE id = ?", (old[0],))
            conn.executemany("INSERT INTO phase_repeats (enrolment_id, phase_id, extra_weeks,"
                             " decided_at) VALUES (?, ?, ?, ?)",
                             [(enrolment_id, p, w, now) for p, w in wanted[same:]])

    def record_moved_on(self, phase_id: str) -> None:
        """The person chose to move on from ``phase_id`` in the current enrolment."""
        with self._write() as conn:
            row = conn.execute("SELECT id FROM enrolment WHERE replaced_at IS NULL").fetchone()
            if row is None:
                raise KeyError("no current enrolment")
            conn.execute("INSERT OR IGNORE INTO phase_decisions (enrolment_id, phase_id,"
                         " decided_at) VALUES (?, ?, ?)", (row[0], phase_id,
                                                          self._now().isoformat()))

    def moved_on(self) -> set[str]:
        """Phases of the current enrolment the person already chose to move on from."""
        def read(conn: sqlite3.Connection) -> set[str]:
            return {p for (p,) in conn.execute(
                "SELECT d.phase_id FROM phase_decisions d JOIN enrolment e"
                " ON e.id = d.enrolment_id WHERE e.replaced_at IS NULL")}
        return self._read(read)
