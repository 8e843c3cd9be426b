"""The session history: one SQLite file in the data folder, written as a session runs.

It also keeps the safety records (red-flag answers, doctors' clearances, "Stop:
it hurts" in a session), each with its date, for the therapist's report.

Durability. The database runs in WAL mode with ``synchronous=FULL``: every
commit is on the disk before the call returns, so a crash or a power cut loses
at most the exercise in progress. Each write is one short transaction,
committed at once: a session row when the session starts, one result row as
each exercise finishes, the final status at the end. A session still marked
'running' when the store is next opened was cut short; ``open()`` marks it
'interrupted' and keeps every result it had.

Retrying. A write that fails raises a :class:`StoreError` and leaves nothing
half-written. The caller keeps what it holds in memory and may simply call
again later, in the same order; every write is safe to repeat:

* ``begin_session`` with the same routine id and ``started_at`` returns the
  session it already made;
* ``record_exercise`` replaces the result for (session, item), so a retry, or
  going back and redoing an exercise, leaves one row;
* ``finish_session`` also stores every result in the summary, so retrying just
  ``begin_session`` + ``finish_session`` loses nothing;
* ``set_feedback``, ``save_enrolment`` and ``record_next_day`` overwrite.

The next-day checks and the person's progression choices are written by the
methods in ``infra/pain_answers.py``, mixed in.

The app writes sessions from its background writer (``infra/writer.py``) on a
connection of its own (``twin()``); what the store refuses goes to the
recovery journal (``infra/journal.py``) and is merged back by routine id and
start (``find_session``), never downgrading a session.

Faults reach the caller as a ``StoreError`` subclass whose message is a plain
sentence a person can act on (read-only folder, full disk, another copy of the
app holding the file, damaged file, file from a newer version). A full disk is
called full even where SQLite reports it as an I/O error.

Damage. ``open()`` checks the file: fully (every index against its table) when
it was not closed cleanly, quickly otherwise (``infra/clean_close.py`` says how
it knows, and why). A damaged file is never deleted: what can still be read from
it is copied into a new history (``infra/salvage.py``), the damaged file is
moved aside unchanged, and ``recovered_from``, ``salvage`` and
``recovery_message`` say what was recovered and what was lost.

Times. The store never reads the clock except through the ``now`` callable
given to ``open`` (used for enrolment timestamps and as the default
``recorded_at``). Times are stored as ISO 8601 text with their UTC offset;
the stored ``local_date`` is the calendar date of its own ``started_at``, so
it stays on that day whatever the machine's time zone is later; a session read
back belongs to that date, or the day before when it started before the
person's end of day (``HistoryStore.day_end``).

Schema changes. ``PRAGMA user_version`` holds the schema version; the steps
from an empty file are in ``infra/migrations.py``, each applied in its own
transaction. A file from a newer version is refused and left untouched.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from backrehab_gui.core import model as m
from backrehab_gui.core.history import DEFAULT_DAY_END, SESSION_KINDS, SessionRecord, session_day
from backrehab_gui.core.schedule import WEEKDAYS, Enrolment
from backrehab_gui.core.screening import EventKind, SafetyEvent

from . import clean_close, migrations
from .migrations import RESULT_STATUSES, schema_version
from .pain_answers import PainAnswers

if TYPE_CHECKING:  # start-up reads the history without them (see _result and _rescue)
    from backrehab_gui.core.engine import ExerciseResult, Summary

    from .salvage import SalvageReport

FILE_NAME = "history.sqlite3"
BUSY_TIMEOUT = 2.0
"""Seconds a write waits for another connection before giving up."""

_T = TypeVar("_T")


# --- Errors ----------------------------------------------------------------------


class StoreError(Exception):
    """A history problem, with a message meant for the person using the app."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreReadOnlyError(StoreError):
    """The folder or the file cannot be written."""


class StoreFullError(StoreError):
    """The disk is full."""


class StoreLockedError(StoreError):
    """Another program (most likely another BackRehab) holds the file."""


class StoreCorruptError(StoreError):
    """The file is damaged and could not be set aside."""


class StoreTooNewError(StoreError):
    """The file was written by a newer version of the app."""


class StoreMigrationError(StoreError):
    """Updating the file to this version's format failed; it was left as it was."""


# --- The store -----------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


_SESSION_COLUMNS = ("id, routine_id, routine_name, fingerprint, kind, block, local_date,"
                    " started_at, ended_at, status, share, pain_before, pain_after, effort,"
                    " note, program_week, phase_id, pain_lasted")
_SAFETY_COLUMNS = ("id, at, kind, emergency, flags, detail, session_id, exercise_id,"
                   " exercise_name, what, action")
_RESULT_COLUMNS = ("session_id, item, exercise_id, name, status, seconds, sets_done,"
                   " sets_planned, reps_done, reps_target, hold_times, share")


class HistoryStore(PainAnswers):
    """Sessions, exercise results and the enrolment, in ``folder/history.sqlite3``.

    Create with :meth:`open`. One store per process, used from one thread.
    """

    day_end: time = DEFAULT_DAY_END
    """The person's end of day: each session read gets the day it belongs to
    (``SessionRecord.local_date``, see core.history.session_day). The stored
    ``local_date`` column keeps the calendar date, so changing this re-files nothing."""

    def __init__(self, conn: sqlite3.Connection, path: Path, now: Callable[[], datetime],
                 read_only: bool) -> None:
        self._conn = conn
        self.path = path
        self._now = now
        self.read_only = read_only
        self.recovered_from: Path | None = None
        """Where a damaged history file was moved on open, or None."""
        self.salvage: SalvageReport | None = None
        """What was recovered from that damaged file, or None."""
        self.recovery_message: str | None = None
        """Plain sentences telling the person about that, or None."""
        self._damage_seen = False
        self.interrupted: list[int] = []
        """Sessions found still running on open and marked interrupted."""
        self._reconnect: tuple[float, Callable[..., sqlite3.Connection]] = \
            (BUSY_TIMEOUT, sqlite3.connect)

    # --- Opening -------------------------------------------------------------------

    @classmethod
    def open(cls, folder: Path, *, now: Callable[[], datetime] = _utc_now,
             busy_timeout: float = BUSY_TIMEOUT, read_only: bool = False,
             connect: Callable[..., sqlite3.Connection] = sqlite3.connect) -> HistoryStore:
        """Open (creating as needed) the history in ``folder``.

        Migrates an older file, refuses a newer one, rescues what it can from a
        damaged one (which it sets aside) and marks sessions left running as
        interrupted. ``read_only`` opens an existing file for reading only
        (tools such as an export, which must not touch the sessions of a running
        app); every write then raises StoreReadOnlyError. ``connect`` is
        sqlite3.connect or a wrapper of it. Raises StoreError.
        """
        folder = Path(folder)
        path = folder / FILE_NAME
        if not read_only:
            _make_folder(folder)
        elif not path.exists():
            raise StoreError(f"There is no session history in {folder} yet.")
        aside: Path | None = None
        report: SalvageReport | None = None
        try:
            _probe(path, busy_timeout, connect, full=not clean_close.vouches(path))
        except _Damaged as damaged:
            if read_only:
                raise StoreCorruptError(
                    f"The session history {path} is damaged. Open BackRehab to recover what "
                    "can be read from it.") from damaged
            aside, report = _rescue(path, now())
        if not read_only:
            clean_close.forget(path)
        conn = _connect(path, busy_timeout, read_only, connect)
        store = cls(conn, path, now, read_only)
        store._reconnect = (busy_timeout, connect)
        try:
            store._prepare()
        except BaseException:
            conn.close()
            raise
        if aside is not None and report is not None:
            store.recovered_from = aside
            store.salvage = report
            store.recovery_message = report.message(aside)
        return store

    def _prepare(self) -> None:
        version = self._read(lambda c: c.execute("PRAGMA user_version").fetchone()[0])
        current = schema_version()
        if version > current:
            raise StoreTooNewError(_too_new(self.path, version, current))
        if self.read_only:
            if version < current:
                raise StoreError(
                    f"The history file {self.path} is from an older version of BackRehab. "
                    "Open BackRehab once to update it, then try again.")
            return
        try:
            # Where WAL is impossible (some network folders) SQLite keeps its rollback
            # journal, which synchronous=FULL makes just as durable, only slower.
            self._conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as err:
            raise self._translate(err) from err
        for number in range(version + 1, current + 1):
            self._migrate(number)
        self.interrupted = self.mark_interrupted()

    def _migrate(self, number: int) -> None:
        try:
            migrations.apply(self._conn, number)
        except sqlite3.Error as err:
            translated = self._translate(err)
            if type(translated) is StoreError:
                raise StoreMigrationError(
                    f"BackRehab could not update the history file {self.path} to this "
                    f"version's format ({err}). The file was left as it was.") from err
            raise translated from err

    def twin(self) -> HistoryStore:
        """Another connection to this history, already opened, for another thread.

        ``open()`` has checked, migrated and tidied the file, so none of that is
        done again. A connection belongs to the thread that made it: call this
        on the thread that will use the twin (the background writer).
        """
        busy_timeout, connect = self._reconnect
        conn = _connect(self.path, busy_timeout, self.read_only, connect)
        twin = type(self)(conn, self.path, self._now, self.read_only)
        twin._reconnect = self._reconnect
        return twin

    def close(self) -> None:
        """Close the file; the next open then trusts the quick check, unless this run
        met damage or the file changes before then."""
        self._conn.close()
        if not self.read_only and not self._damage_seen:
            clean_close.note(self.path)

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- Writing a session ----------------------------------------------------------

    def begin_session(self, routine_id: str, routine_name: str, fingerprint: str, kind: str,
                      block: str | None, started_at: datetime, program_week: int | None = None,
                      phase_id: str | None = None, pain_before: int | None = None, *,
                      item_weights: Sequence[float] = ()) -> int:
        """Record that a session started; returns its id.

        ``item_weights``: the planned work (seconds) of each item, in item order,
        as the engine weighs them; it lets the share of an interrupted session be
        worked out. Without it, an interrupted session's share is the average of
        the exercises recorded. Calling again with the same routine id and
        ``started_at`` returns the same id (safe to retry).
        """
        if kind not in SESSION_KINDS:
            raise ValueError(f"kind must be one of {SESSION_KINDS}, not {kind!r}")
        _check_scale("pain_before", pain_before)
        offset = _offset_minutes(started_at)
        started = started_at.isoformat()
        weights = json.dumps([float(w) for w in item_weights]) if item_weights else None
        with self._write() as conn:
            conn.execute(
                "INSERT INTO sessions (routine_id, routine_name, fingerprint, kind, block,"
                " local_date, started_at, utc_offset_min, item_weights, pain_before,"
                " program_week, phase_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (routine_id, started_at) DO NOTHING",
                (routine_id, routine_name, fingerprint, kind, _plain(block),
                 started_at.date().isoformat(), started, offset, weights, pain_before,
                 program_week, phase_id))
            row = conn.execute("SELECT id FROM sessions WHERE routine_id = ? AND started_at = ?",
                               (routine_id, started)).fetchone()
        return int(row[0])

    def record_exercise(self, session_id: int, result: ExerciseResult,
                        recorded_at: datetime | None = None) -> None:
        """Store (or replace) the result of one exercise of a running session."""
        recorded = recorded_at if recorded_at is not None else self._now()
        _offset_minutes(recorded)
        with self._write() as conn:
            self._require_session(conn, session_id)
            _upsert_results(conn, session_id, (result,), recorded.isoformat())
            # Keeps the share of an unfinished session true to what is recorded.
            conn.execute("UPDATE sessions SET share = ? WHERE id = ?"
                         " AND status IN ('running', 'interrupted')",
                         (_share_from_results(conn, session_id), session_id))

    def finish_session(self, session_id: int, summary: Summary, ended_at: datetime) -> None:
        """The session ended: completed or stopped, with the summary's share and results.

        Results already recorded and unchanged keep their ``recorded_at``.
        """
        _offset_minutes(ended_at)
        ended = ended_at.isoformat()
        with self._write() as conn:
            routine_id = self._require_session(conn, session_id)
            if routine_id != summary.routine_id:
                raise ValueError(f"session {session_id} is routine {routine_id!r}, "
                                 f"the summary is for {summary.routine_id!r}")
            _upsert_results(conn, session_id, summary.results, ended)
            conn.execute("UPDATE sessions SET status = ?, share = ?, ended_at = ? WHERE id = ?",
                         ("completed" if summary.completed else "stopped",
                          _clamp(summary.share), ended, session_id))

    def set_feedback(self, session_id: int, pain_after: int | None = None,
                     effort: int | None = None, note: str | None = None,
                     pain_lasted: bool | None = None) -> None:
        """Store the answers given after a session; None leaves an answer as it is.

        A skipped question stays empty (NULL). ``note=""`` clears the note.
        ``pain_lasted``: pain more than light for longer than 15 minutes, yes or no.
        """
        _check_scale("pain_after", pain_after)
        _check_scale("effort", effort)
        if pain_lasted is not None and not isinstance(pain_lasted, bool):
            raise ValueError(f"pain_lasted must be True, False or None, not {pain_lasted!r}")
        lasted = None if pain_lasted is None else int(pain_lasted)
        with self._write() as conn:
            self._require_session(conn, session_id)
            conn.execute(
                "UPDATE sessions SET pain_after = coalesce(?, pain_after),"
                " effort = coalesce(?, effort), note = coalesce(?, note),"
                " pain_lasted = coalesce(?, pain_lasted) WHERE id = ?",
                (pain_after, effort, note, lasted, session_id))

    def mark_interrupted(self, session_id: int | None = None) -> list[int]:
        """Mark sessions still 'running' as 'interrupted'; returns their ids.

        Called by ``open()``: only a session from an earlier run can still be
        running then. Its results are kept, its share is worked out from them, and
        its end is the time of its last result (unknown when it has none).
        ``session_id``: only that session (one merged from the recovery journal);
        a session that already ended is left as it is.
        """
        if self.read_only:
            return []
        only, args = ("", ()) if session_id is None else (" AND id = ?", (session_id,))
        with self._write() as conn:
            ids = [r[0] for r in conn.execute(
                f"SELECT id FROM sessions WHERE status = 'running'{only} ORDER BY id", args)]
            # Run even when nothing matches: it makes open() find a read-only file.
            conn.execute("UPDATE sessions SET status = 'interrupted', ended_at ="
                         " (SELECT max(recorded_at) FROM exercise_results"
                         f"  WHERE session_id = sessions.id) WHERE status = 'running'{only}",
                         args)
            for session_id in ids:
                conn.execute("UPDATE sessions SET share = ? WHERE id = ?",
                             (_share_from_results(conn, session_id), session_id))
        return ids

    # --- The enrolment -------------------------------------------------------------

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
            return Enrolment(row[1], date.fromisoformat(row[2]), _days_from_text(row[3]),
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
        blocks = ",".join(_plain(b) for b in enrolment.blocks)
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

    # --- Safety records ---------------------------------------------------------------

    def record_safety_event(self, event: SafetyEvent) -> int:
        """Store a red-flag answer, a clearance or a "Stop: it hurts"; returns its id.
        Safe to repeat: the same kind at the same time is stored once (a repeat may
        add the action)."""
        _offset_minutes(event.at)
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
                f"SELECT {_SAFETY_COLUMNS} FROM safety_events WHERE local_date BETWEEN ? AND ?"
                " ORDER BY at, id", (first.isoformat(), last.isoformat())).fetchall()
            events = [_safety_event(r) for r in rows]
            events.sort(key=lambda e: (e.at, e.id))
            return events
        return self._read(read)

    # --- Reading ---------------------------------------------------------------------

    def session(self, session_id: int) -> SessionRecord:
        """One session with its results. Raises KeyError for an unknown id."""
        def read(conn: sqlite3.Connection) -> SessionRecord:
            row = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
            if row is None:
                raise KeyError(f"no session {session_id} in the history")
            results = [_result(r) for r in conn.execute(
                f"SELECT {_RESULT_COLUMNS} FROM exercise_results WHERE session_id = ?"
                " ORDER BY item", (session_id,))]
            return _record(row, tuple(results), self.day_end)
        return self._read(read)

    def find_session(self, routine_id: str, started_at: datetime) -> SessionRecord | None:
        """The session of this routine that started at this moment, or None.

        (Routine id and start are a session's identity: ``begin_session`` never
        makes two rows for them.)
        """
        row = self._read(lambda conn: conn.execute(
            "SELECT id FROM sessions WHERE routine_id = ? AND started_at = ?",
            (routine_id, started_at.isoformat())).fetchone())
        return None if row is None else self.session(row[0])

    def sessions_between(self, first: date, last: date, *,
                         with_results: bool = False) -> list[SessionRecord]:
        """Sessions whose local date is from ``first`` to ``last`` (both included),
        in the order they started."""
        # A session early on the day after ``last`` may belong to ``last``.
        where = "WHERE local_date BETWEEN ? AND ?"
        found = self._sessions(where, (first.isoformat(),
                                       (last + timedelta(days=1)).isoformat()), with_results)
        return [r for r in found if first <= r.local_date <= last]

    def all_sessions(self, *, with_results: bool = False) -> list[SessionRecord]:
        """Every session, in the order they started."""
        return self._sessions("", (), with_results)

    def open_hold_bests(self, exercise_id: str) -> list[tuple[date, float]]:
        """The longest open hold of an exercise on each day it was done, by date."""
        def read(conn: sqlite3.Connection) -> list[tuple[date, float]]:
            best: dict[str, float] = {}
            for day, holds in conn.execute(
                    "SELECT s.local_date, r.hold_times FROM exercise_results r"
                    " JOIN sessions s ON s.id = r.session_id"
                    " WHERE r.exercise_id = ? AND r.hold_times <> '[]'", (exercise_id,)):
                times = json.loads(holds)
                if times:
                    best[day] = max(best.get(day, 0.0), *map(float, times))
            return [(date.fromisoformat(d), best[d]) for d in sorted(best)]
        return self._read(read)

    def _sessions(self, where: str, args: tuple, with_results: bool) -> list[SessionRecord]:
        def read(conn: sqlite3.Connection) -> list[SessionRecord]:
            rows = conn.execute(f"SELECT {_SESSION_COLUMNS} FROM sessions {where}"
                                " ORDER BY local_date, started_at, id", args).fetchall()
            results: dict[int, list[ExerciseResult]] = {}
            if with_results and rows:
                inner = f"SELECT id FROM sessions {where}"
                for r in conn.execute(f"SELECT {_RESULT_COLUMNS} FROM exercise_results"
                                      f" WHERE session_id IN ({inner})"
                                      " ORDER BY session_id, item", args):
                    results.setdefault(r[0], []).append(_result(r))
            records = [_record(row, tuple(results.get(row[0], ())), self.day_end)
                       for row in rows]
            # Text order is wrong across offsets (a trip east); sort by the instant.
            records.sort(key=lambda s: (s.started_at, s.id))
            return records
        return self._read(read)

    # --- Outcome measures and restoring a backup ---------------------------------------
    # (kept together and apart: core.measures scores the answers; infra.backup merges)

    def save_measure(self, kind: str, taken_on: date, answered_at: datetime,
                     items: object) -> bool:
        """Store one set of answers (``items``: JSON-ready); True when new, False when the
        same kind was already answered at that moment (safe to repeat)."""
        _offset_minutes(answered_at)
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
        _offset_minutes(skipped_at)
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

    def import_session(self, record: SessionRecord) -> bool:
        """Add a session with its results (from a backup) unless this history already has
        the same routine started at the same moment; True when it was added. A session
        that was still running when the backup was made comes in as interrupted."""
        status = "interrupted" if record.status == "running" else record.status
        started = record.started_at.isoformat()
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT INTO sessions (routine_id, routine_name, fingerprint, kind, block,"
                " local_date, started_at, utc_offset_min, ended_at, status, share,"
                " pain_before, pain_after, effort, note, program_week, phase_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (routine_id, started_at) DO NOTHING",
                (record.routine_id, record.routine_name, record.fingerprint, record.kind,
                 record.block, record.started_at.date().isoformat(), started,
                 _offset_minutes(record.started_at),
                 record.ended_at.isoformat() if record.ended_at else None, status,
                 _clamp(record.share), record.pain_before, record.pain_after, record.effort,
                 record.note, record.program_week, record.phase_id))
            if cursor.rowcount == 0:
                return False
            _upsert_results(conn, int(cursor.lastrowid), record.results,
                            (record.ended_at or record.started_at).isoformat())
        return True

    # --- Transactions and faults ------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreReadOnlyError(_read_only(self.path))
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise self._translate(err) from err
        except BaseException:
            self._rollback()
            raise

    def _read(self, fn: Callable[[sqlite3.Connection], _T]) -> _T:
        conn = self._conn
        try:
            conn.execute("BEGIN")
            try:
                return fn(conn)
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise self._translate(err) from err

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> str:
        row = conn.execute("SELECT routine_id FROM sessions WHERE id = ?",
                           (session_id,)).fetchone()
        if row is None:
            raise KeyError(f"no session {session_id} in the history")
        return row[0]

    def _translate(self, err: sqlite3.Error) -> StoreError:
        if _code(err) in (_CORRUPT, _NOTADB):
            self._damage_seen = True     # so the next open checks the whole file
        return _translate(err, self.path)


# --- Opening helpers -------------------------------------------------------------------

_LOCKED = ("The session history is in use by another program. Another BackRehab seems to be "
           "open: close it, then try again.")


def _read_only(path: Path) -> str:
    return (f"BackRehab cannot save to its session history: {path} or its folder is "
            f"read-only. Check that you may write to {path.parent}, or choose another "
            "data folder.")


def _too_new(path: Path, found: int, current: int) -> str:
    return (f"The session history {path} was written by a newer version of BackRehab "
            f"(history format {found}; this version reads up to {current}). Update BackRehab "
            "to open it. The file was not changed.")


class _Damaged(Exception):
    """The file is not a readable database."""


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError as err:
        raise StoreReadOnlyError(
            f"BackRehab cannot create its data folder {folder}: permission denied. "
            "Choose another data folder or check its permissions.") from err
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StoreFullError(full_message(folder)) from err
        if err.errno == errno.EROFS:
            raise StoreReadOnlyError(
                f"BackRehab cannot create its data folder {folder}: the disk is read-only. "
                "Choose another data folder.") from err
        raise StoreError(f"BackRehab cannot create its data folder {folder} "
                         f"({err.strerror or err}). Choose another data folder.") from err


def _probe(path: Path, busy_timeout: float, connect: Callable[..., sqlite3.Connection], *,
           full: bool) -> None:
    """Check an existing file read-only (so a file we refuse is never changed).

    ``full``: PRAGMA integrity_check, which also finds an index that disagrees
    with its table; otherwise quick_check.

    Raises _Damaged when it is not a readable database, StoreTooNewError when a
    newer version wrote it, other StoreErrors for other faults.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = connect(_uri(path, read_only=True), uri=True, timeout=busy_timeout,
                       isolation_level=None)
    except sqlite3.Error as err:
        raise _translate(err, path) from err
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema_version():
            raise StoreTooNewError(_too_new(path, version, schema_version()))
        check = "integrity_check" if full else "quick_check"
        problems = [r[0] for r in conn.execute(f"PRAGMA {check}")]
        if problems != ["ok"]:
            raise _Damaged("; ".join(str(p) for p in problems[:3]))
    except sqlite3.Error as err:
        if _code(err) in (_NOTADB, _CORRUPT):
            raise _Damaged(str(err)) from err
        raise _translate(err, path) from err
    finally:
        conn.close()


def _rescue(path: Path, when: datetime) -> tuple[Path, SalvageReport]:
    from . import salvage  # only for a damaged history

    """Copy what can be read from the damaged ``path`` into a new file, move the
    damaged one aside unchanged, and put the new one in its place.

    The new file is complete before anything moves: should writing it fail (a
    full disk), the damaged file stays where it was and the next open tries
    again. Returns where the damaged file went, and what was recovered.
    """
    rescued = path.with_name(path.name + ".rescued")
    salvage.discard(rescued)         # left by a rescue that was cut short
    try:
        report = salvage.salvage(path, rescued)
    except (sqlite3.Error, OSError) as err:
        salvage.discard(rescued)
        reason = _translate(err, rescued) if isinstance(err, sqlite3.Error) else StoreError(
            f"Writing {rescued} failed ({err.strerror or err}).")
        raise type(reason)(
            f"The session history {path} is damaged, and BackRehab could not write a new "
            f"one with what it can read from it. {reason.message} The damaged file was left "
            "where it was; BackRehab tries again at the next start.") from err
    try:
        aside = _set_aside(path, when)
    except StoreError:
        salvage.discard(rescued)
        raise
    try:
        os.replace(rescued, path)
    except OSError as err:
        raise StoreError(
            f"BackRehab recovered what it could from the damaged session history into "
            f"{rescued} but could not put it in place ({err.strerror or err}). Rename it to "
            f"{path.name} yourself, then start BackRehab again.") from err
    return aside, report


def _set_aside(path: Path, when: datetime) -> Path:
    """Move a damaged file (and its WAL and shared-memory files) out of the way."""
    stamp = when.astimezone().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        os.replace(path, aside)
        # Named so that SQLite finds them beside the moved file, should anyone try to
        # rescue it.
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                os.replace(extra, aside.with_name(aside.name + suffix))
    except OSError as err:
        raise StoreCorruptError(
            f"The session history {path} is damaged and could not be moved aside "
            f"({err.strerror or err}). Move or rename it yourself, then start BackRehab "
            "again.") from err
    return aside


def _uri(path: Path, *, read_only: bool) -> str:
    return path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rwc")


def _connect(path: Path, busy_timeout: float, read_only: bool,
             connect: Callable[..., sqlite3.Connection]) -> sqlite3.Connection:
    try:
        conn = connect(_uri(path, read_only=read_only), uri=True, timeout=busy_timeout,
                       isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: in WAL mode, NORMAL may lose the last commits on a power cut.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as err:
        raise _translate(err, path) from err
    return conn


# --- Faults ------------------------------------------------------------------------------

# SQLite's primary result codes (the sqlite3 module only names them from Python 3.11).
_BUSY, _LOCKED_CODE, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = \
    5, 6, 8, 10, 11, 13, 14, 26


def _code(err: sqlite3.Error) -> int | None:
    """SQLite's primary result code (Python 3.11+), else guessed from the message."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(err).lower()
    for needle, guess in (("disk is full", _FULL),
                          ("database is locked", _BUSY),
                          ("readonly", _READONLY),
                          ("unable to open", _CANTOPEN),
                          ("not a database", _NOTADB),
                          ("malformed", _CORRUPT)):
        if needle in text:
            return guess
    return None


LOW_SPACE = 1 << 20
"""Bytes free under which a disk error is taken for a full disk."""


def _disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (almost) no space left.

    SQLite reports some writes on a full disk as a plain I/O error (growing its
    shared-memory file, for one: SQLITE_IOERR_SHMSIZE), and Python does not
    pass on the errno, so the free space says which it was.
    """
    for folder in (path.parent, *path.parent.parents):
        try:
            return shutil.disk_usage(folder).free < LOW_SPACE
        except OSError:
            continue
    return False


def full_message(folder: Path) -> str:
    return (f"The disk holding {folder} is full, so BackRehab could not save your session "
            "history. Free some space on it, then try again.")


def _translate(err: sqlite3.Error, path: Path) -> StoreError:
    code = _code(err)
    if code == _FULL or (code == _IOERR and _disk_full(path)):
        return StoreFullError(full_message(path.parent))
    if code in (_BUSY, _LOCKED_CODE):
        return StoreLockedError(_LOCKED)
    if code == _READONLY or (code == _CANTOPEN and
                                           not os.access(path.parent, os.W_OK)):
        return StoreReadOnlyError(_read_only(path))
    if code == _CANTOPEN:
        return StoreError(f"BackRehab could not open its session history {path}. Check that "
                          "the folder exists and that you may write to it.")
    if code in (_CORRUPT, _NOTADB):
        return StoreCorruptError(
            f"The session history {path} is damaged. Restart BackRehab: it will set the "
            "damaged file aside and start a new history.")
    if code == _IOERR:
        return StoreError(f"BackRehab could not read or write its session history {path} "
                          f"(the disk reported an error: {err}). Check the disk, then try "
                          "again.")
    return StoreError(f"BackRehab could not use its session history {path} ({err}).")


# --- Values ------------------------------------------------------------------------------

def _plain(value: object) -> str | None:
    """A str-valued enum (such as Block) as its plain text."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def _offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime")
    return int(offset.total_seconds() // 60)


def _check_scale(name: str, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and 0 <= value <= 10):
        raise ValueError(f"{name} must be a whole number from 0 to 10, not {value!r}")


def _clamp(share: float) -> float:
    return min(max(float(share), 0.0), 1.0)


def _days_from_text(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    return tuple(WEEKDAYS.index(d) for d in text.split(",") if d)


def _upsert_results(conn: sqlite3.Connection, session_id: int,
                    results: Sequence[ExerciseResult], recorded_at: str) -> None:
    for r in results:
        if r.status not in RESULT_STATUSES:
            raise ValueError(f"result status must be one of {RESULT_STATUSES}, not {r.status!r}")
    conn.executemany(
        "INSERT INTO exercise_results (session_id, item, exercise_id, name, status, seconds,"
        " sets_done, sets_planned, reps_done, reps_target, hold_times, share, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (session_id, item) DO UPDATE SET exercise_id = excluded.exercise_id,"
        " name = excluded.name, status = excluded.status, seconds = excluded.seconds,"
        " sets_done = excluded.sets_done, sets_planned = excluded.sets_planned,"
        " reps_done = excluded.reps_done, reps_target = excluded.reps_target,"
        " hold_times = excluded.hold_times, share = excluded.share,"
        " recorded_at = excluded.recorded_at"
        # An unchanged result keeps the time it was first recorded.
        " WHERE (exercise_results.exercise_id, exercise_results.name, exercise_results.status,"
        " exercise_results.seconds, exercise_results.sets_done, exercise_results.sets_planned,"
        " exercise_results.reps_done, exercise_results.reps_target,"
        " exercise_results.hold_times, exercise_results.share) IS NOT (excluded.exercise_id,"
        " excluded.name, excluded.status, excluded.seconds, excluded.sets_done,"
        " excluded.sets_planned, excluded.reps_done, excluded.reps_target,"
        " excluded.hold_times, excluded.share)",
        [(session_id, r.item, r.exercise_id, r.name, r.status, float(r.seconds), r.sets_done,
          r.sets, r.reps_done, r.reps_target, json.dumps([float(t) for t in r.hold_times]),
          _clamp(r.share), recorded_at) for r in results])


def _share_from_results(conn: sqlite3.Connection, session_id: int) -> float:
    """The share of planned work done, from the results recorded so far."""
    raw = conn.execute("SELECT item_weights FROM sessions WHERE id = ?",
                       (session_id,)).fetchone()[0]
    shares = dict(conn.execute("SELECT item, share FROM exercise_results WHERE session_id = ?",
                               (session_id,)).fetchall())
    weights = json.loads(raw) if raw else None
    if weights:
        total = sum(weights) or 1.0
        done = sum(w * shares.get(i, 0.0) for i, w in enumerate(weights))
    else:
        total = len(shares) or 1
        done = sum(shares.values())
    return round(_clamp(done / total), 3)


def _result(row: Sequence) -> ExerciseResult:
    from backrehab_gui.core.engine import ExerciseResult

    return ExerciseResult(item=row[1], exercise_id=row[2], name=row[3], status=row[4],
                          seconds=row[5], sets_done=row[6], sets=row[7], reps_done=row[8],
                          reps_target=row[9], hold_times=tuple(json.loads(row[10])),
                          share=row[11])


def _record(row: Sequence, results: tuple[ExerciseResult, ...],
            day_end: time = DEFAULT_DAY_END) -> SessionRecord:
    started = datetime.fromisoformat(row[7])
    return SessionRecord(
        id=row[0], routine_id=row[1], routine_name=row[2], fingerprint=row[3], kind=row[4],
        block=row[5], local_date=session_day(started, day_end), started_at=started,
        ended_at=datetime.fromisoformat(row[8]) if row[8] else None, status=row[9],
        share=row[10], pain_before=row[11], pain_after=row[12], effort=row[13],
        note=row[14], program_week=row[15], phase_id=row[16], results=results,
        pain_lasted=None if row[17] is None else bool(row[17]))


def _safety_event(row: Sequence) -> SafetyEvent:
    return SafetyEvent(at=datetime.fromisoformat(row[1]), kind=EventKind(row[2]),
                       emergency=bool(row[3]), flags=tuple(f for f in row[4].split(",") if f),
                       detail=row[5], session_id=row[6], exercise_id=row[7],
                       exercise_name=row[8], what=row[9], action=row[10], id=row[0])
