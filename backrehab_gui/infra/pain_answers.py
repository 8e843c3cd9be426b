"""The history's pain answers outside the sessions: next-day checks and progression choices.

A part of ``HistoryStore`` (which mixes it in), kept apart so the store stays a
size one can read. The same rules hold: every write is one short transaction,
safe to repeat, and faults reach the caller as a ``StoreError``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import date, datetime
from typing import TYPE_CHECKING, TypeVar

from backrehab_gui.core.next_day import ANSWERS, NextDayCheck
from backrehab_gui.core.progression import CHOICES, ProgressionChoice

_T = TypeVar("_T")


class PainAnswers:
    """Next-day checks (one per session day) and holds or step backs of a progression."""

    if TYPE_CHECKING:
        def _write(self) -> AbstractContextManager[sqlite3.Connection]: ...
        def _read(self, fn: Callable[[sqlite3.Connection], _T]) -> _T: ...
        _now: Callable[[], datetime]

    def record_next_day(self, check: NextDayCheck) -> None:
        """Store the answer (or skip: ``answer`` None) about a session day; a second
        answer about the same day replaces the first."""
        if check.answer is not None and check.answer not in ANSWERS:
            raise ValueError(f"answer must be one of {ANSWERS} or None, not {check.answer!r}")
        if check.pain is not None and not (type(check.pain) is int and 0 <= check.pain <= 10):
            raise ValueError(f"pain must be a whole number from 0 to 10, not {check.pain!r}")
        if check.answered_at.utcoffset() is None:
            raise ValueError(f"{check.answered_at!r} has no time zone; pass an aware datetime")
        with self._write() as conn:
            conn.execute("INSERT INTO next_day_checks (about, answered_at, answer, pain)"
                         " VALUES (?, ?, ?, ?) ON CONFLICT (about) DO UPDATE SET"
                         " answered_at = excluded.answered_at, answer = excluded.answer,"
                         " pain = excluded.pain",
                         (check.about.isoformat(), check.answered_at.isoformat(),
                          check.answer, check.pain))

    def next_day_checks(self, first: date | None = None) -> list[NextDayCheck]:
        """Every next-day answer about a session day from ``first`` on, by that day."""
        def read(conn: sqlite3.Connection) -> list[NextDayCheck]:
            rows = conn.execute("SELECT about, answered_at, answer, pain FROM next_day_checks"
                                " WHERE about >= ? ORDER BY about",
                                ((first or date.min).isoformat(),))
            return [NextDayCheck(date.fromisoformat(a), datetime.fromisoformat(t), answer,
                                 pain) for a, t, answer, pain in rows]
        return self._read(read)

    def record_progression_choice(self, choice: ProgressionChoice) -> None:
        """Add a hold, step back or resume to the current enrolment's progressions."""
        if choice.action not in CHOICES:
            raise ValueError(f"action must be one of {CHOICES}, not {choice.action!r}")
        if choice.week < 1:
            raise ValueError(f"week counts from 1, not {choice.week}")
        with self._write() as conn:
            row = conn.execute("SELECT id FROM enrolment WHERE replaced_at IS NULL").fetchone()
            if row is None:
                raise KeyError("no current enrolment")
            conn.execute("INSERT INTO progression_overrides (enrolment_id, exercise_id, week,"
                         " action, decided_at) VALUES (?, ?, ?, ?, ?)",
                         (row[0], choice.exercise, choice.week, choice.action,
                          self._now().isoformat()))

    def progression_choices(self) -> list[ProgressionChoice]:
        """The current enrolment's holds, step backs and resumes, in the order chosen."""
        def read(conn: sqlite3.Connection) -> list[ProgressionChoice]:
            return [ProgressionChoice(e, w, a) for e, w, a in conn.execute(
                "SELECT o.exercise_id, o.week, o.action FROM progression_overrides o"
                " JOIN enrolment e ON e.id = o.enrolment_id WHERE e.replaced_at IS NULL"
                " ORDER BY o.id")]
        return self._read(read)

