"""Rescuing what can still be read from a damaged history.

SQLite's ``.recover`` lives in its command-line shell only, so the
rescue reads the damaged file itself, read-only (the file is moved aside
unchanged afterwards): every table is read by rowid with ``NOT INDEXED``, so a
damaged index is never used; a read that fails skips past the rows it cannot
read and carries on after them; and every value is checked before it is
carried over (dates parse and agree with each other, numbers are whole or
finite and in range), so a value read wrongly from a damaged page is not
carried over silently. What passes is written to a new file with the current
schema, and a :class:`SalvageReport` says what was recovered and what was lost.

``infra/clean_close.py`` decides when the store checks a file fully;
``infra/salvage_checks.py`` holds the checks on each value.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from . import migrations
from .salvage_checks import (
    DECISIONS,
    ENROLMENT,
    MEASURE_SKIPS,
    MEASURES,
    NEXT_DAY,
    OVERRIDES,
    REPEATS,
    RESULTS,
    SAFETY,
    SESSIONS,
    Values,
    check_decision,
    check_enrolment,
    check_measure,
    check_measure_skip,
    check_next_day,
    check_override,
    check_repeat,
    check_result,
    check_safety_event,
    check_session,
    checked,
    one_current,
)

ANSWER_TABLES: tuple[tuple[str, Sequence[str], Callable[[tuple], tuple]], ...] = (
    ("measures", MEASURES, check_measure),
    ("measure_skips", MEASURE_SKIPS, check_measure_skip),
)
"""Tables of the person's answers that stand on their own (not tied to an enrolment):
each is carried over row by row with its check. A new table of answers joins here."""

WALK_LIMIT = 1_000_000
"""Row ids tried one by one past damaged pages of one table, at most (seconds of work)."""


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
    safety: int = 0
    """Red-flag answers, clearances and "Stop: it hurts" records."""
    next_day: int = 0
    """Answers to the next-day check."""
    choices: int = 0
    """Holds, step backs and resumes of a progression."""
    cleared: int = 0
    """Single values (a pain score, an end time...) left empty because they looked wrong."""
    lost: dict[str, int] = field(default_factory=dict)
    """Rows that could not be read or did not pass the checks, by kind (never zeros).

    A lower bound when the end of a table is damaged: rows past the last readable
    one leave no trace to count.
    """

    def message(self, aside: Path) -> str:
        """What happened, in plain words, for the person using the app."""
        kept = f"The damaged file was kept unchanged as {aside} (nothing was deleted)."
        lost = [_count(n, _KIND_WORDS[kind]) for kind, n in self.lost.items()]
        if not self.readable:
            return ("The session history file was damaged and could not be read at all. "
                    f"A new, empty history was started. {kept}")
        if not (self.sessions or self.enrolment or self.older_enrolments or self.safety):
            return ("The session history file was damaged and nothing in it could be "
                    "recovered" + (f" ({_join(lost)} could not be read)" if lost else "")
                    + f". A new, empty history was started. {kept}")
        parts = [_count(self.sessions, "session")
                 + (f" with {_count(self.results, 'exercise result')}" if self.results else "")]
        if self.enrolment:
            parts.append("your program enrolment")
        if self.answers:
            parts.append(_count(self.answers, "answer") + " (about your phases, and to "
                         "questionnaires)")
        if self.safety:
            parts.append(_count(self.safety, "safety record"))
        if self.next_day:
            parts.append(_count(self.next_day, "next-day answer"))
        if self.choices:
            parts.append(_count(self.choices, "progression choice"))
        text = ("The session history file was damaged. BackRehab copied what it could read "
                f"into a new history: {_join(parts)}. ")
        if lost:
            text += f"Missing, because they could not be read: {_join(lost)}. "
        else:
            text += "Nothing was missing. "
        if self.cleared:
            text += (f"{_count(self.cleared, 'value')} (such as a pain score or an end time) "
                     f"looked wrong and {'was' if self.cleared == 1 else 'were'} left empty. ")
        return text + kept


_KIND_WORDS = {"sessions": "session", "results": "exercise result",
               "enrolments": "program enrolment", "answers": "answer",
               "safety": "safety record", "next_day": "next-day answer",
               "choices": "progression choice"}


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
    finished, _ = _scan(conn, base + " ORDER BY rowid", (), table)
    if finished:
        table.top = max(table.rows, default=0)
        return table
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
            # The sqlite3 module steps to the next row before it hands one over, so
            # a sound row just before a damaged page fails with it: ask for this
            # one row alone.
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
    safety: list[tuple]
    next_day: list[tuple]
    choices: list[tuple]
    lost: dict[str, int]
    cleared: int
    answers: dict[str, list[tuple]] = field(default_factory=dict)
    """Rows of each of ANSWER_TABLES that could be read and passed their check."""


def _lost(table: _Table, rejected: int, *, dense: bool) -> int:
    """Rows not carried over. Sessions, results, enrolments, decisions, next-day
    answers and progression choices are never deleted, so their row ids run 1, 2,
    3...: a missing one below the highest is a lost row. Repeats are deleted when
    the person changes them, so only row ids that could not be read count."""
    if dense:
        return max(table.top - len(table.rows), table.unreadable) + rejected
    return table.unreadable + rejected


def _gather(conn: sqlite3.Connection) -> _Found | None:
    present = {t: _present_columns(conn, t) for t in
               ("sessions", "exercise_results", "enrolment", "phase_repeats",
                "phase_decisions", "safety_events", "next_day_checks",
                "progression_overrides")}
    if not present["sessions"] and not present["enrolment"]:
        return None   # the schema itself is lost
    lost: dict[str, int] = {}
    values = Values()

    # Results first: the session ids they name tell how far the sessions went.
    result_table = _read(conn, "exercise_results", RESULTS, present["exercise_results"]) \
        if present["exercise_results"] else _Table()
    results, results_rejected = checked(result_table.rows, check_result)
    referred = max((r[0] for r in results if isinstance(r[0], int)), default=0)
    session_table = _read(conn, "sessions", SESSIONS, present["sessions"], hint=referred) \
        if present["sessions"] else _Table()
    sessions, rejected = checked(session_table.rows, lambda r: check_session(r, values))
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

    enrolment_table = _read(conn, "enrolment", ENROLMENT, present["enrolment"]) \
        if present["enrolment"] else _Table()
    enrolments, rejected = checked(enrolment_table.rows, check_enrolment)
    lost["enrolments"] = _lost(enrolment_table, rejected, dense=True)
    enrolments = one_current(enrolments)
    known = {e[0] for e in enrolments}

    answers_lost = 0
    repeats: list[tuple] = []
    decisions: list[tuple] = []
    for name, columns, check, dense, into in (
            ("phase_repeats", REPEATS, check_repeat, False, repeats),
            ("phase_decisions", DECISIONS, check_decision, True, decisions)):
        if not present[name]:
            continue
        table = _read(conn, name, columns, present[name])
        rows, rejected = checked(table.rows, check)
        into.extend(r for r in rows if r[columns.index("enrolment_id")] in known)
        answers_lost += _lost(table, rejected + len(rows) - len(into), dense=dense)
    standalone: dict[str, list[tuple]] = {}
    for name, columns, check in ANSWER_TABLES:
        found_columns = _present_columns(conn, name)
        if not found_columns:
            continue     # a file from before this table existed
        table = _read(conn, name, columns, found_columns)
        rows, rejected = checked(table.rows, check)
        standalone[name] = rows
        answers_lost += _lost(table, rejected, dense=True)
    lost["answers"] = answers_lost

    safety: list[tuple] = []
    if present["safety_events"]:
        table = _read(conn, "safety_events", SAFETY, present["safety_events"])
        safety, rejected = checked(table.rows, lambda r: check_safety_event(r, values))
        lost["safety"] = _lost(table, rejected, dense=True)
        # A session that was lost takes no safety record with it, only the link.
        safety = [(*r[:7], same_as.get(r[7]) if r[7] is not None else None, *r[8:])
                  for r in safety]
    # Pain answers: next-day checks stand alone (by date); choices need their enrolment.
    next_day: list[tuple] = []
    if present["next_day_checks"]:
        table = _read(conn, "next_day_checks", NEXT_DAY, present["next_day_checks"])
        next_day, rejected = checked(table.rows, lambda r: check_next_day(r, values))
        lost["next_day"] = _lost(table, rejected, dense=True)
    choices: list[tuple] = []
    if present["progression_overrides"]:
        table = _read(conn, "progression_overrides", OVERRIDES,
                      present["progression_overrides"])
        rows, rejected = checked(table.rows, check_override)
        choices = [r for r in rows if r[1] in known]
        lost["choices"] = _lost(table, rejected + len(rows) - len(choices), dense=True)
    return _Found(sessions, carried, enrolments, repeats, decisions, safety, next_day,
                  choices, {k: n for k, n in lost.items() if n > 0}, values.cleared,
                  standalone)


def _write(conn: sqlite3.Connection, found: _Found) -> SalvageReport:
    lost = dict(found.lost)
    conn.execute("BEGIN IMMEDIATE")
    try:
        def insert(table: str, columns: Sequence[str], rows: list[tuple], kind: str) -> int:
            sql = (f"INSERT INTO {table} ({', '.join(columns)})"
                   f" VALUES ({', '.join('?' * len(columns))})")
            conn.execute("SAVEPOINT batch")
            try:
                conn.executemany(sql, rows)      # all at once, as they nearly always go
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK TO batch")
            else:
                conn.execute("RELEASE batch")
                return len(rows)
            conn.execute("RELEASE batch")
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

        sessions = insert("sessions", SESSIONS, found.sessions, "sessions")
        results = insert("exercise_results", RESULTS, found.results, "results")
        enrolments = insert("enrolment", ENROLMENT, found.enrolments, "enrolments")
        answers = insert("phase_repeats", REPEATS, found.repeats, "answers") + \
            insert("phase_decisions", DECISIONS, found.decisions, "answers")
        for name, columns, _check in ANSWER_TABLES:
            answers += insert(name, columns, found.answers.get(name, []), "answers")
        safety = insert("safety_events", SAFETY, found.safety, "safety")
        next_day = insert("next_day_checks", NEXT_DAY, found.next_day, "next_day")
        choices = insert("progression_overrides", OVERRIDES, found.choices, "choices")
        current = conn.execute("SELECT count(*) FROM enrolment WHERE replaced_at IS NULL"
                               ).fetchone()[0]
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return SalvageReport(sessions=sessions, results=results, enrolment=current > 0,
                         older_enrolments=enrolments - current, answers=answers,
                         safety=safety, next_day=next_day, choices=choices,
                         cleared=found.cleared, lost=lost)


def discard(path: Path) -> None:
    """Remove a half-written rescue file and its journal, as far as possible."""
    for extra in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.unlink(path.with_name(path.name + extra))
