"""The history's schema: every version of it, and the steps between them.

``PRAGMA user_version`` holds a file's schema version; MIGRATIONS lists the
steps from an empty file, each applied in its own transaction by :func:`apply`.
The list is append only: a shipped step is never edited, a change is a new step.
The store (``infra/store.py``) runs them on open and refuses a file from a newer
version; the salvage (``infra/salvage.py``) reads a damaged file of any version.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Sequence

SESSION_STATUSES = ("running", "completed", "stopped", "interrupted")
RESULT_STATUSES = ("done", "partial", "skipped")
"""The values the CHECK constraints below allow."""

_V1 = (
    """CREATE TABLE enrolment (
        id INTEGER PRIMARY KEY,
        program_id TEXT NOT NULL,
        start_date TEXT NOT NULL,
        session_days TEXT,
        blocks TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        replaced_at TEXT
    )""",
    # At most one current enrolment; replaced ones are kept as history.
    "CREATE UNIQUE INDEX enrolment_current ON enrolment (replaced_at IS NULL)"
    " WHERE replaced_at IS NULL",
    """CREATE TABLE phase_repeats (
        id INTEGER PRIMARY KEY,
        enrolment_id INTEGER NOT NULL REFERENCES enrolment (id) ON DELETE CASCADE,
        phase_id TEXT NOT NULL,
        extra_weeks INTEGER NOT NULL CHECK (extra_weeks >= 0),
        decided_at TEXT NOT NULL
    )""",
    "CREATE INDEX phase_repeats_by_enrolment ON phase_repeats (enrolment_id)",
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        routine_id TEXT NOT NULL,
        routine_name TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('phase', 'maintenance', 'daily', 'extra')),
        block TEXT,
        local_date TEXT NOT NULL,
        started_at TEXT NOT NULL,
        utc_offset_min INTEGER NOT NULL,
        ended_at TEXT,
        status TEXT NOT NULL DEFAULT 'running'
            CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
        share REAL NOT NULL DEFAULT 0 CHECK (share BETWEEN 0 AND 1),
        item_weights TEXT,
        pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
        pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
        note TEXT NOT NULL DEFAULT '',
        program_week INTEGER,
        phase_id TEXT
    )""",
    "CREATE INDEX sessions_by_date ON sessions (local_date, started_at)",
    # Makes begin_session safe to retry.
    "CREATE UNIQUE INDEX sessions_by_start ON sessions (routine_id, started_at)",
    """CREATE TABLE exercise_results (
        session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
        item INTEGER NOT NULL,
        exercise_id TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('done', 'partial', 'skipped')),
        seconds REAL NOT NULL,
        sets_done INTEGER NOT NULL,
        sets_planned INTEGER NOT NULL,
        reps_done INTEGER,
        reps_target INTEGER,
        hold_times TEXT NOT NULL DEFAULT '[]',
        share REAL NOT NULL CHECK (share BETWEEN 0 AND 1),
        recorded_at TEXT NOT NULL,
        PRIMARY KEY (session_id, item)
    )""",
)

_V2 = (
    "ALTER TABLE sessions ADD COLUMN effort INTEGER CHECK (effort BETWEEN 0 AND 10)",
    # For open-hold progress per exercise.
    "CREATE INDEX exercise_results_by_exercise ON exercise_results (exercise_id)",
)

_V3 = (
    # "Move on" answers to end-of-phase advice, so the question is not asked
    # again. A repeat is not stored here: it lengthens the phase in
    # phase_repeats, and the question comes back at the new end.
    """CREATE TABLE phase_decisions (
        enrolment_id INTEGER NOT NULL REFERENCES enrolment (id) ON DELETE CASCADE,
        phase_id TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        PRIMARY KEY (enrolment_id, phase_id)
    )""",
)

_V4 = (
    # Outcome measures (core.measures): PEG weekly, PSFS at the start and every two
    # weeks. items: the answers as JSON, as core.measures reads them.
    """CREATE TABLE measures (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('peg', 'psfs')),
        taken_on TEXT NOT NULL,
        answered_at TEXT NOT NULL,
        items TEXT NOT NULL,
        UNIQUE (kind, answered_at)
    )""",
)

SAFETY_KINDS = ("screening", "check", "cleared", "emergency-cleared", "hurt")
"""The kinds of safety_events rows (``core.screening.EventKind``)."""

_SAFETY = (
    # Red-flag answers, doctors' clearances and "Stop: it hurts" in sessions, each
    # with its date, for the therapist's report. The words are kept as shown at the
    # time. Unique by kind and time, so writing an event again changes nothing.
    """CREATE TABLE safety_events (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        local_date TEXT NOT NULL,
        kind TEXT NOT NULL
            CHECK (kind IN ('screening', 'check', 'cleared', 'emergency-cleared', 'hurt')),
        emergency INTEGER NOT NULL DEFAULT 0 CHECK (emergency IN (0, 1)),
        flags TEXT NOT NULL DEFAULT '',
        detail TEXT NOT NULL DEFAULT '',
        session_id INTEGER REFERENCES sessions (id) ON DELETE SET NULL,
        exercise_id TEXT,
        exercise_name TEXT,
        what TEXT,
        action TEXT
    )""",
    "CREATE UNIQUE INDEX safety_events_once ON safety_events (kind, at)",
    "CREATE INDEX safety_events_by_date ON safety_events (local_date, at)",
)

_PAIN_STEERING = (
    # The answer to "was your pain more than light for longer than 15 minutes?"
    # (1 yes, 0 no, NULL not asked or skipped); a yes flags the session.
    "ALTER TABLE sessions ADD COLUMN pain_lasted INTEGER CHECK (pain_lasted IN (0, 1))",
    # The day-after question, once per session day ("about"); a skip is kept as
    # an empty answer so it is not asked again.
    """CREATE TABLE next_day_checks (
        about TEXT PRIMARY KEY,
        answered_at TEXT NOT NULL,
        answer TEXT CHECK (answer IN ('better', 'same', 'worse')),
        pain INTEGER CHECK (pain BETWEEN 0 AND 10)
    )""",
    # The person's holds, step backs and resumes of a progression, in the weeks
    # of one enrolment (a new start date counts weeks afresh).
    """CREATE TABLE progression_overrides (
        id INTEGER PRIMARY KEY,
        enrolment_id INTEGER NOT NULL REFERENCES enrolment (id) ON DELETE CASCADE,
        exercise_id TEXT NOT NULL,
        week INTEGER NOT NULL CHECK (week >= 1),
        action TEXT NOT NULL CHECK (action IN ('hold', 'step-back', 'resume')),
        decided_at TEXT NOT NULL
    )""",
    "CREATE INDEX progression_overrides_by_enrolment ON progression_overrides (enrolment_id)",
)

_MEASURE_SKIPS = (
    # A questionnaire the app asked and the person skipped (core.measures): not asked
    # again until its next due point (PEG: next program week; PSFS: two weeks on).
    """CREATE TABLE measure_skips (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('peg', 'psfs')),
        taken_on TEXT NOT NULL,
        skipped_at TEXT NOT NULL,
        UNIQUE (kind, skipped_at)
    )""",
)

Migration = Sequence[str] | Callable[[sqlite3.Connection], None]

MIGRATIONS: list[Migration] = [_V1, _V2, _V3, _V4, _SAFETY, _PAIN_STEERING,
                               _MEASURE_SKIPS]
"""Migration n (1-based) takes a file from user_version n-1 to n. Append only."""


def schema_version() -> int:
    """The version this code writes."""
    return len(MIGRATIONS)


def apply(conn: sqlite3.Connection, number: int) -> None:
    """Take the file from version ``number - 1`` to ``number``, in one transaction.

    ``conn`` is in autocommit mode (isolation_level=None). On any error the
    transaction is rolled back and the error raised, so the file stays at the
    version it had.
    """
    step = MIGRATIONS[number - 1]
    try:
        conn.execute("BEGIN IMMEDIATE")
        # A second copy may have migrated while we waited for the lock.
        if conn.execute("PRAGMA user_version").fetchone()[0] >= number:
            conn.execute("COMMIT")
            return
        if callable(step):
            step(conn)
        else:
            for statement in step:
                conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {int(number)}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")
        raise
