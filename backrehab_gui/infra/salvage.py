"""Noticing a damaged history, and rescuing what can still be read from it.

Noticing. ``PRAGMA quick_check`` is quick because it does not compare an index
with its table, so a damaged index goes unnoticed by it, and a query that
takes a date from that index reads the date wrong. ``PRAGMA integrity_check``
compares them too, in time that grows with the file (milliseconds for years of
history: ``benchmarks/store_check.py``). The store runs the full check whenever
the file was not closed cleanly: after a crash, a power cut, a kill mid-write,
which is when damage is most likely, and after anything changed the file while
BackRehab was closed. Otherwise the quick check is enough.

"Closed cleanly" is a small marker file beside the database that ``close()``
writes and ``open()`` removes, holding the size and modification time of the
database and its WAL at that close. Why this rather than the alternatives:

* a flag inside the database would be read from the very file being checked,
  and setting it at close is a write that a full disk can refuse;
* a leftover ``-wal`` file is no sure sign: a clean close leaves one when
  another program still had the file open, and without WAL (some network
  folders) there is none to leave;
* the marker fails safe: when it is missing, unreadable, or does not match the
  file (a crash before close, a failed write of the marker, a history copied
  in from elsewhere, a file changed by another program while BackRehab was
  closed), the only cost is one full check.

Rescuing. SQLite's ``.recover`` lives in its command-line shell only, so the
rescue reads the damaged file itself, read-only (the file is moved aside
unchanged afterwards): every table is read by rowid with ``NOT INDEXED``, so a
damaged index is never used; a read that fails skips past the rows it cannot
read and carries on after them; and every value is checked before it is
carried over (dates parse and agree with each other, numbers are whole or
finite and in range), so a value read wrongly from a damaged page is not
carried over silently. What passes is written to a new file with the current
schema, and a :class:`SalvageReport` says what was recovered and what was lost.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from backrehab_gui.core import model as m
from backrehab_gui.core.history import SESSION_KINDS
from backrehab_gui.core.schedule import WEEKDAYS

from . import migrations
from .migrations import RESULT_STATUSES, SESSION_STATUSES

MARKER_SUFFIX = ".closed-cleanly"

WALK_LIMIT = 1_000_000
"""Row ids tried one by one past damaged pages of one table, at most (seconds of work)."""


# --- Clean close marker ---------------------------------------------------------------


def _marker(db: Path) -> Path:
    return db.with_name(db.name + MARKER_SUFFIX)


def _identity(db: Path) -> dict[str, list[int] | None]:
    """The size and modification time of the database and its WAL.

    An empty WAL counts as none: a read-only reader (an export while BackRehab
    is closed) leaves one behind, and it holds nothing.
    """
    found: dict[str, list[int] | None] = {}
    for key, path in (("db", db), ("wal", db.with_name(db.name + "-wal"))):
        try:
            stat = path.stat()
        except FileNotFoundError:
            found[key] = None
        else:
            found[key] = [stat.st_size, stat.st_mtime_ns] if stat.st_size else None
    return found


def note_clean_close(db: Path) -> None:
    """Record that the history ``db`` was just closed cleanly, as it is now."""
    # Should this fail, the next open checks the whole file: slower, never wrong.
    with contextlib.suppress(OSError):
        _marker(db).write_text(json.dumps(_identity(db)), encoding="utf-8")


def closed_cleanly(db: Path) -> bool:
    """Whether ``db`` was closed cleanly and has not changed since."""
    try:
        saved = json.loads(_marker(db).read_text(encoding="utf-8"))
        return bool(saved == _identity(db))
    except (OSError, ValueError):
        return False


def forget_clean_close(db: Path) -> None:
    """The file is about to be written: a crash from now on must not pass as clean."""
    # Failing cannot happen where the history can be written at all; and a marker
    # left behind still stops vouching once a write changes the file.
    with contextlib.suppress(OSError):
        _marker(db).unlink(missing_ok=True)


# --- The report -------------------------------------------------------------------------


@dataclass(frozen=True)
class SalvageReport:
    """What was rescued from a damaged history, and what could not be."""

    readable: bool = True
    """False when nothing at all could be read (not a database, schema lost)."""
    sessions: int = 0
    results: int = 0
    """Exercise results, in the sessions recovered."""
    enrolment: bool = False
    """Whether the current program enrolment was recovered."""
    older_enrolments: int = 0
    answers: int = 0
    """Answers to end-of-phase advice: repeats and moves on."""
    cleared: int = 0
    """Single values (a pain score, an end time...) left empty because they looked wrong."""
    lost: dict[str, int] = field(default_factory=dict)
    """Rows that could not be read or did not pass the checks, by kind (never zeros).

    A lower bound when the end of a table is damaged: rows past the last readable
    one leave no trace to count.
    """

    @property
    def sessions_lost(self) -> int:
        return self.lost.get("sessions", 0)

    @property
    def results_lost(self) -> int:
        return self.lost.get("results", 0)

    def message(self, aside: Path) -> str:
        """What happened, in plain words, for the person using the app."""
        kept = f"The damaged file was kept unchanged as {aside} (nothing was deleted)."
        if not self.readable or not (self.sessions or self.enrolment or self.older_enrolments):
            lost = self.sessions_lost + self.results_lost
            return ("The session history file was damaged and nothing in it could be read"
                    + (f" ({lost} records were lost)" if lost else "") + ". "
                    f"A new, empty history was started. {kept}")
        parts = [_count(self.sessions, "session")
                 + (f" with {_count(self.results, 'exercise result')}" if self.results else "")]
        if self.enrolment:
            parts.append("your program enrolment")
        if self.answers:
            parts.append(_count(self.answers, "answer") + " about moving on or repeating a "
                         "phase")
        text = ("The session history file was damaged. BackRehab copied what it could read "
                f"into a new history: {_join(parts)}. ")
        lost = [_count(n, _KIND_WORDS[kind]) for kind, n in self.lost.items()]
        if lost:
            text += f"Could not be read and are missing: {_join(lost)}. "
        else:
            text += "Nothing was missing. "
        if self.cleared:
            text += (f"{_count(self.cleared, 'value')} (such as a pain score or an end time) "
                     "looked wrong and were left empty. ")
        return text + kept


_KIND_WORDS = {"sessions": "session", "results": "exercise result",
               "enrolments": "program enrolment", "answers": "phase answer"}


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --- Reading a damaged file -------------------------------------------------------------


@dataclass
class _Table:
    rows: dict[int, tuple] = field(default_factory=dict)
    """Rows read, by rowid."""
    unreadable: int = 0
    """Row ids that raised when read (some may never have held a row)."""
    top: int = 0
    """The highest row id seen."""


def _open_damaged(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True,
                           isolation_level=None)
    # A schema entry that cannot be parsed (a damaged index definition) is skipped
    # rather than making the whole file unreadable; this connection never writes.
    conn.execute("PRAGMA writable_schema = ON")
    # Checks each cell's size as it is read, so more damage raises instead of
    # being read as wrong values.
    conn.execute("PRAGMA cell_size_check = ON")
    return conn


def _present_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The columns of ``table`` in this file (older versions lack some); empty if none."""
    try:
        return {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
    except sqlite3.Error:
        return set()


def _scan(conn: sqlite3.Connection, sql: str, args: tuple,
          table: _Table) -> tuple[bool, int | None]:
    """Read rows until the end or the first failure: (reached the end, last row id read)."""
    last = None
    try:
        for row in conn.execute(sql, args):
            table.rows[row[0]] = row[1:]
            last = row[0]
    except sqlite3.Error:
        # Malformed pages raise DatabaseError; text that is not UTF-8 raises
        # OperationalError while fetching. Either way the rows so far are kept.
        return False, last
    return True, last


def _read(conn: sqlite3.Connection, name: str, columns: Sequence[str],
          present: set[str], hint: int = 0) -> _Table:
    """Every row of ``name`` that can be read, without any index.

    Reads forward until the first failure, then backward from the end to find
    where readable rows resume, then walks the row ids between, skipping each
    one that cannot be read. ``hint``: a row id known to have existed (from a
    table that refers to this one), for when the end itself is damaged.
    """
    select = ", ".join(c if c in present else "NULL" for c in columns)
    base = f"SELECT rowid, {select} FROM {name} NOT INDEXED"
    table = _Table()
    try:
        complete = [r for r in conn.execute(base + " ORDER BY rowid")]
    except sqlite3.Error:
        complete = None
    if complete is not None:
        table.rows = {r[0]: r[1:] for r in complete}
        table.top = max(table.rows, default=0)
        return table
    _scan(conn, base + " ORDER BY rowid", (), table)
    start = max(table.rows, default=0) + 1
    before = set(table.rows)
    _scan(conn, base + " ORDER BY rowid DESC", (), table)
    resumes = min(set(table.rows) - before, default=max(hint, start - 1) + 1)
    rowid, steps = start, 0
    while rowid < resumes and steps < WALK_LIMIT:
        steps += 1
        finished, last = _scan(conn, base + " WHERE rowid >= ? AND rowid < ? ORDER BY rowid",
                               (rowid, resumes), table)
        if finished:
            break
        if last is None:
            # Reading a row also steps to the next one, so a sound row just before
            # a damaged page fails with it: ask for this one row alone.
            try:
                row = conn.execute(base + " WHERE rowid = ?", (rowid,)).fetchone()
            except sqlite3.Error:
                table.unreadable += 1
            else:
                if row is not None:
                    table.rows[rowid] = row[1:]
            rowid += 1
        else:
            rowid = last + 1
    table.top = max(max(table.rows, default=0), hint)
    return table


# --- Checking values --------------------------------------------------------------------

class _Bad(Exception):
    """A value that cannot be trusted."""


def _text(value: object, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()) or "\x00" in value:
        raise _Bad
    return value


def _whole(value: object, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _Bad
    return value


def _number(value: object, low: float, high: float) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or \
            not math.isfinite(value) or not low <= value <= high:
        raise _Bad
    return float(value)


def _moment(value: object) -> datetime:
    """An ISO time with its UTC offset, as the store writes them."""
    try:
        moment = datetime.fromisoformat(_text(value))
    except ValueError as err:
        raise _Bad from err
    if moment.utcoffset() is None:
        raise _Bad
    return moment


def _day(value: object) -> date:
    try:
        day = date.fromisoformat(_text(value))
    except ValueError as err:
        raise _Bad from err
    if day.isoformat() != value:
        raise _Bad
    return day


def _one_of(value: object, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise _Bad
    return str(value)


def _numbers(value: object) -> list[float]:
    """A JSON list of finite, non-negative numbers."""
    try:
        items = json.loads(_text(value))
    except ValueError as err:
        raise _Bad from err
    if not isinstance(items, list):
        raise _Bad
    return [_number(x, 0.0, 1e6) for x in items]


def _words(value: object, allowed: Sequence[str]) -> str:
    """A comma-separated list of allowed words, as the enrolment stores days and blocks."""
    text = _text(value, empty=True)
    for word in text.split(","):
        if word and word not in allowed:
            raise _Bad
    return text


_BLOCKS = tuple(b.value for b in m.Block)
_SCALE = (0, 10)
_MAX_SECONDS = 24 * 3600.0
_LONGEST_SESSION = timedelta(days=2)


class _Values:
    """Checks optional values one by one: a bad one becomes empty and is counted."""

    def __init__(self) -> None:
        self.cleared = 0

    def optional(self, check: Callable[[], object], value: object,
                 empty: object = None) -> object:
        if value is None:
            return None
        try:
            check()
        except _Bad:
            self.cleared += 1
            return empty
        return value


# --- The tables, as the current schema has them -----------------------------------------

_SESSIONS = ("id", "routine_id", "routine_name", "fingerprint", "kind", "block", "local_date",
             "started_at", "utc_offset_min", "ended_at", "status", "share", "item_weights",
             "pain_before", "pain_after", "effort", "note", "program_week", "phase_id")
_RESULTS = ("session_id", "item", "exercise_id", "name", "status", "seconds", "sets_done",
            "sets_planned", "reps_done", "reps_target", "hold_times", "share", "recorded_at")
_ENROLMENT = ("id", "program_id", "start_date", "session_days", "blocks", "created_at",
              "updated_at", "replaced_at")
_REPEATS = ("id", "enrolment_id", "phase_id", "extra_weeks", "decided_at")
_DECISIONS = ("enrolment_id", "phase_id", "decided_at")


def _session(row: tuple, values: _Values) -> tuple:
    (sid, routine_id, routine_name, fingerprint, kind, block, local_date, started_at, offset,
     ended_at, status, share, weights, pain_before, pain_after, effort, note, week,
     phase_id) = row
    _whole(sid, 1, 2**62)
    _text(routine_id), _text(routine_name), _text(fingerprint)
    _one_of(kind, SESSION_KINDS)
    if block is not None:
        _one_of(block, _BLOCKS)
    started = _moment(started_at)
    # The three ways the start is stored must agree: a date read wrongly from a
    # damaged page would otherwise put the session on another day.
    if _day(local_date) != started.date() or \
            _whole(offset, -24 * 60, 24 * 60) * 60 != started.utcoffset().total_seconds():
        raise _Bad
    _one_of(status, SESSION_STATUSES)
    share = _number(share, 0.0, 1.0)

    def plausible_end() -> None:
        if abs(_moment(ended_at) - started) > _LONGEST_SESSION:
            raise _Bad

    def scale(value: object) -> Callable[[], object]:
        return lambda: _whole(value, *_SCALE)

    return (sid, routine_id, routine_name, fingerprint, kind, block, local_date, started_at,
            offset, values.optional(plausible_end, ended_at), status, share,
            values.optional(lambda: _numbers(weights), weights),
            values.optional(scale(pain_before), pain_before),
            values.optional(scale(pain_after), pain_after),
            values.optional(scale(effort), effort),
            values.optional(lambda: _text(note, empty=True), note, "") or "",
            values.optional(lambda: _whole(week, -10_000, 10_000), week),
            values.optional(lambda: _text(phase_id), phase_id))


def _result(row: tuple) -> tuple:
    (session_id, item, exercise_id, name, status, seconds, sets_done, sets_planned,
     reps_done, reps_target, holds, share, recorded_at) = row
    _whole(item, 0, 10_000)
    _text(exercise_id), _text(name)
    _one_of(status, RESULT_STATUSES)
    _number(seconds, 0.0, _MAX_SECONDS)
    _whole(sets_done, 0, 10_000), _whole(sets_planned, 0, 10_000)
    for reps in (reps_done, reps_target):
        if reps is not None:
            _whole(reps, 0, 100_000)
    _numbers(holds)
    _number(share, 0.0, 1.0)
    _moment(recorded_at)
    return row


def _enrolment(row: tuple) -> tuple:
    eid, program_id, start_date, days, blocks, created_at, updated_at, replaced_at = row
    _whole(eid, 1, 2**62)
    _text(program_id)
    _day(start_date)
    if days is not None:
        _words(days, WEEKDAYS)
    _words(blocks, _BLOCKS)
    _moment(created_at), _moment(updated_at)
    if replaced_at is not None:
        _moment(replaced_at)
    return row


def _repeat(row: tuple) -> tuple:
    rid, _enrolment_id, phase_id, weeks, decided_at = row
    _whole(rid, 1, 2**62)
    _text(phase_id)
    _whole(weeks, 0, 520)
    _moment(decided_at)
    return row


def _decision(row: tuple) -> tuple:
    _enrolment_id, phase_id, decided_at = row
    _text(phase_id)
    _moment(decided_at)
    return row


def _checked(rows: dict[int, tuple], check: Callable[[tuple], tuple]) -> tuple[list[tuple], int]:
    """The rows that pass ``check`` in row id order, and how many did not."""
    good, bad = [], 0
    for rowid in sorted(rows):
        try:
            good.append(check(rows[rowid]))
        except _Bad:
            bad += 1
    return good, bad


# --- The rescue ---------------------------------------------------------------------------


def salvage(damaged: Path, into: Path) -> SalvageReport:
    """Copy what can be read from the history ``damaged`` into a new file ``into``.

    ``damaged`` is only read. ``into`` must not exist; it gets the current schema
    and every row that could be read and passed the checks. Raises sqlite3.Error
    or OSError when ``into`` cannot be written (the caller removes it).
    """
    if into.exists():
        raise FileExistsError(f"{into} is in the way")
    try:
        source = _open_damaged(damaged)
    except sqlite3.Error:
        source = None
    try:
        found = _gather(source) if source is not None else None
    finally:
        if source is not None:
            source.close()
    conn = sqlite3.connect(into, isolation_level=None)
    try:
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        for number in range(1, migrations.schema_version() + 1):
            migrations.apply(conn, number)
        if found is None:
            return SalvageReport(readable=False)
        return _write(conn, found)
    finally:
        conn.close()


@dataclass
class _Found:
    sessions: list[tuple]
    results: list[tuple]
    enrolments: list[tuple]
    repeats: list[tuple]
    decisions: list[tuple]
    lost: dict[str, int]
    cleared: int


def _lost(table: _Table, rejected: int, *, dense: bool) -> int:
    """Rows not carried over. Sessions, results, enrolments and decisions are never
    deleted, so their row ids run 1, 2, 3...: a missing one below the highest is a
    lost row. Repeats are deleted when the person changes them, so only row ids
    that could not be read count."""
    if dense:
        return max(table.top - len(table.rows), table.unreadable) + rejected
    return table.unreadable + rejected


def _gather(conn: sqlite3.Connection) -> _Found | None:
    present = {t: _present_columns(conn, t) for t in
               ("sessions", "exercise_results", "enrolment", "phase_repeats",
                "phase_decisions")}
    if not present["sessions"] and not present["enrolment"]:
        return None   # the schema itself is lost
    lost: dict[str, int] = {}
    values = _Values()

    # Results first: the session ids they name tell how far the sessions went.
    result_table = _read(conn, "exercise_results", _RESULTS, present["exercise_results"]) \
        if present["exercise_results"] else _Table()
    results, results_rejected = _checked(result_table.rows, _result)
    referred = max((r[0] for r in results if isinstance(r[0], int)), default=0)
    session_table = _read(conn, "sessions", _SESSIONS, present["sessions"], hint=referred) \
        if present["sessions"] else _Table()
    sessions, rejected = _checked(session_table.rows, lambda r: _session(r, values))
    lost["sessions"] = _lost(session_table, rejected, dense=True)

    # A damaged unique index may have let a retried start be stored twice: keep
    # the first, and give it the results of both.
    kept: dict[tuple[str, str], int] = {}
    same_as: dict[int, int] = {}
    unique = []
    for row in sessions:
        first = kept.setdefault((row[1], row[7]), row[0])
        same_as[row[0]] = first
        if first == row[0]:
            unique.append(row)
    sessions = unique

    rejected = results_rejected
    seen: set[tuple[int, int]] = set()
    carried = []
    for row in results:
        key = (same_as.get(row[0], 0), row[1])
        if key[0] and key not in seen:
            seen.add(key)
            carried.append((key[0], *row[1:]))
        else:
            rejected += 1        # its session was lost, or a second copy of a result
    lost["results"] = _lost(result_table, rejected, dense=True)

    enrolment_table = _read(conn, "enrolment", _ENROLMENT, present["enrolment"]) \
        if present["enrolment"] else _Table()
    enrolments, rejected = _checked(enrolment_table.rows, _enrolment)
    lost["enrolments"] = _lost(enrolment_table, rejected, dense=True)
    enrolments = _one_current(enrolments)
    known = {e[0] for e in enrolments}

    answers_lost = 0
    repeats: list[tuple] = []
    decisions: list[tuple] = []
    for name, columns, check, dense, into in (
            ("phase_repeats", _REPEATS, _repeat, False, repeats),
            ("phase_decisions", _DECISIONS, _decision, True, decisions)):
        if not present[name]:
            continue
        table = _read(conn, name, columns, present[name])
        rows, rejected = _checked(table.rows, check)
        into.extend(r for r in rows if r[columns.index("enrolment_id")] in known)
        answers_lost += _lost(table, rejected + len(rows) - len(into), dense=dense)
    lost["answers"] = answers_lost
    return _Found(sessions, carried, enrolments, repeats, decisions,
                  {k: n for k, n in lost.items() if n > 0}, values.cleared)


def _one_current(enrolments: list[tuple]) -> list[tuple]:
    """At most one current enrolment, as the schema requires: if damage left more
    than one unreplaced, the latest is current and the others end when it began."""
    current = [e for e in enrolments if e[7] is None]
    if len(current) <= 1:
        return enrolments
    latest = max(current, key=lambda e: (_moment(e[6]), e[0]))
    return [e if e[7] is not None or e is latest else (*e[:7], latest[5])
            for e in enrolments]


def _write(conn: sqlite3.Connection, found: _Found) -> SalvageReport:
    lost = dict(found.lost)
    conn.execute("BEGIN IMMEDIATE")
    try:
        def insert(table: str, columns: Sequence[str], rows: list[tuple], kind: str) -> int:
            sql = (f"INSERT INTO {table} ({', '.join(columns)})"
                   f" VALUES ({', '.join('?' * len(columns))})")
            done = 0
            for row in rows:
                try:
                    conn.execute(sql, row)
                except sqlite3.IntegrityError:
                    # The new file's constraints are the last check; a failed
                    # statement undoes only itself.
                    lost[kind] = lost.get(kind, 0) + 1
                else:
                    done += 1
            return done

        sessions = insert("sessions", _SESSIONS, found.sessions, "sessions")
        results = insert("exercise_results", _RESULTS, found.results, "results")
        enrolments = insert("enrolment", _ENROLMENT, found.enrolments, "enrolments")
        answers = insert("phase_repeats", _REPEATS, found.repeats, "answers") + \
            insert("phase_decisions", _DECISIONS, found.decisions, "answers")
        current = conn.execute("SELECT count(*) FROM enrolment WHERE replaced_at IS NULL"
                               ).fetchone()[0]
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return SalvageReport(sessions=sessions, results=results, enrolment=current > 0,
                         older_enrolments=enrolments - current, answers=answers,
                         cleared=found.cleared, lost=lost)


def discard(path: Path) -> None:
    """Remove a half-written rescue file and its journal, as far as possible."""
    for extra in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(path.with_name(path.name + extra))
