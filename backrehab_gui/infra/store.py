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

The store is one class made of parts, each a module of its own: the
enrolment (``store_enrolment``), the safety records (``store_safety``), the
outcome measures (``store_measures``), the next-day checks and progression
choices (``pain_answers``), all on the transactions of ``store_transactions``;
the file is opened and rescued by ``store_open``, rows become values in
``store_rows``, and faults become sentences in ``store_errors``.

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

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from backrehab_gui.core.history import DEFAULT_DAY_END, SESSION_KINDS, SessionRecord

from . import clean_close, migrations
from .migrations import schema_version
from .pain_answers import PainAnswers
from .store_enrolment import EnrolmentRecords
from .store_errors import (
    StoreCorruptError,
    StoreError,
    StoreMigrationError,
    StoreTooNewError,
    too_new_message,
)
from .store_measures import MeasureRecords
from .store_open import Damaged, make_folder, open_connection, probe, rescue
from .store_rows import (
    RESULT_COLUMNS,
    SESSION_COLUMNS,
    check_scale,
    clamp,
    exercise_result,
    offset_minutes,
    plain,
    session_record,
    share_from_results,
    upsert_results,
)
from .store_safety import SafetyRecords

if TYPE_CHECKING:  # start-up reads the history without them (see store_rows and rescue)
    from backrehab_gui.core.engine import ExerciseResult, Summary

    from .salvage import SalvageReport

FILE_NAME = "history.sqlite3"
BUSY_TIMEOUT = 2.0
"""Seconds a write waits for another connection before giving up."""


# --- The store -----------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class HistoryStore(EnrolmentRecords, SafetyRecords, MeasureRecords, PainAnswers):
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
            make_folder(folder)
        elif not path.exists():
            raise StoreError(f"There is no session history in {folder} yet.")
        aside: Path | None = None
        report: SalvageReport | None = None
        try:
            probe(path, busy_timeout, connect, full=not clean_close.vouches(path))
        except Damaged as damaged:
            if read_only:
                raise StoreCorruptError(
                    f"The session history {path} is damaged. Open BackRehab to recover what "
                    "can be read from it.") from damaged
            aside, report = rescue(path, now())
        if not read_only:
            clean_close.forget(path)
        conn = open_connection(path, busy_timeout, read_only, connect)
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
            raise StoreTooNewError(too_new_message(self.path, version, current))
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
        conn = open_connection(self.path, busy_timeout, self.read_only, connect)
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
        check_scale("pain_before", pain_before)
        offset = offset_minutes(started_at)
        started = started_at.isoformat()
        weights = json.dumps([float(w) for w in item_weights]) if item_weights else None
        with self._write() as conn:
            conn.execute(
                "INSERT INTO sessions (routine_id, routine_name, fingerprint, kind, block,"
                " local_date, started_at, utc_offset_min, item_weights, pain_before,"
                " program_week, phase_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (routine_id, started_at) DO NOTHING",
                (routine_id, routine_name, fingerprint, kind, plain(block),
                 started_at.date().isoformat(), started, offset, weights, pain_before,
                 program_week, phase_id))
            row = conn.execute("SELECT id FROM sessions WHERE routine_id = ? AND started_at = ?",
                               (routine_id, started)).fetchone()
        return int(row[0])

    def record_exercise(self, session_id: int, result: ExerciseResult,
                        recorded_at: datetime | None = None) -> None:
        """Store (or replace) the result of one exercise of a running session."""
        recorded = recorded_at if recorded_at is not None else self._now()
        offset_minutes(recorded)
        with self._write() as conn:
            self._require_session(conn, session_id)
            upsert_results(conn, session_id, (result,), recorded.isoformat())
            # Keeps the share of an unfinished session true to what is recorded.
            conn.execute("UPDATE sessions SET share = ? WHERE id = ?"
                         " AND status IN ('running', 'interrupted')",
                         (share_from_results(conn, session_id), session_id))

    def finish_session(self, session_id: int, summary: Summary, ended_at: datetime) -> None:
        """The session ended: completed or stopped, with the summary's share and results.

        Results already recorded and unchanged keep their ``recorded_at``.
        """
        offset_minutes(ended_at)
        ended = ended_at.isoformat()
        with self._write() as conn:
            routine_id = self._require_session(conn, session_id)
            if routine_id != summary.routine_id:
                raise ValueError(f"session {session_id} is routine {routine_id!r}, "
                                 f"the summary is for {summary.routine_id!r}")
            upsert_results(conn, session_id, summary.results, ended)
            conn.execute("UPDATE sessions SET status = ?, share = ?, ended_at = ? WHERE id = ?",
                         ("completed" if summary.completed else "stopped",
                          clamp(summary.share), ended, session_id))

    def set_feedback(self, session_id: int, pain_after: int | None = None,
                     effort: int | None = None, note: str | None = None,
                     pain_lasted: bool | None = None) -> None:
        """Store the answers given after a session; None leaves an answer as it is.

        A skipped question stays empty (NULL). ``note=""`` clears the note.
        ``pain_lasted``: pain more than light for longer than 15 minutes, yes or no.
        """
        check_scale("pain_after", pain_after)
        check_scale("effort", effort)
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
                             (share_from_results(conn, session_id), session_id))
        return ids

    # --- Reading ---------------------------------------------------------------------

    def session(self, session_id: int) -> SessionRecord:
        """One session with its results. Raises KeyError for an unknown id."""
        def read(conn: sqlite3.Connection) -> SessionRecord:
            row = conn.execute(f"SELECT {SESSION_COLUMNS} FROM sessions WHERE id = ?",
                               (session_id,)).fetchone()
            if row is None:
                raise KeyError(f"no session {session_id} in the history")
            results = [exercise_result(r) for r in conn.execute(
                f"SELECT {RESULT_COLUMNS} FROM exercise_results WHERE session_id = ?"
                " ORDER BY item", (session_id,))]
            return session_record(row, tuple(results), self.day_end)
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
            rows = conn.execute(f"SELECT {SESSION_COLUMNS} FROM sessions {where}"
                                " ORDER BY local_date, started_at, id", args).fetchall()
            results: dict[int, list[ExerciseResult]] = {}
            if with_results and rows:
                inner = f"SELECT id FROM sessions {where}"
                for r in conn.execute(f"SELECT {RESULT_COLUMNS} FROM exercise_results"
                                      f" WHERE session_id IN ({inner})"
                                      " ORDER BY session_id, item", args):
                    results.setdefault(r[0], []).append(exercise_result(r))
            records = [session_record(row, tuple(results.get(row[0], ())), self.day_end)
                       for row in rows]
            # Text order is wrong across offsets (a trip east); sort by the instant.
            records.sort(key=lambda s: (s.started_at, s.id))
            return records
        return self._read(read)

    # --- Restoring a backup ---------------------------------------------------------

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
                 offset_minutes(record.started_at),
                 record.ended_at.isoformat() if record.ended_at else None, status,
                 clamp(record.share), record.pain_before, record.pain_after, record.effort,
                 record.note, record.program_week, record.phase_id))
            if cursor.rowcount == 0:
                return False
            upsert_results(conn, int(cursor.lastrowid), record.results,
                           (record.ended_at or record.started_at).isoformat())
        return True

    def _require_session(self, conn: sqlite3.Connection, session_id: int) -> str:
        row = conn.execute("SELECT routine_id FROM sessions WHERE id = ?",
                           (session_id,)).fetchone()
        if row is None:
            raise KeyError(f"no session {session_id} in the history")
        return row[0]
