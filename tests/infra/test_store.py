"""The session history: round trips, crash safety, migrations and plain-spoken faults."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from datetime import time as dt_time
from pathlib import Path

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra import migrations
from backrehab_gui.infra.store import (
    FILE_NAME,
    HistoryStore,
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreLockedError,
    StoreMigrationError,
    StoreReadOnlyError,
    StoreTooNewError,
    schema_version,
)

HERE = Path(__file__).resolve().parent
PLUS2 = timezone(timedelta(hours=2))
UTC = timezone.utc
CLOCK = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def fixed_clock() -> datetime:
    return CLOCK


def open_store(folder: Path, **kwargs) -> HistoryStore:
    kwargs.setdefault("now", fixed_clock)
    return HistoryStore.open(folder, **kwargs)


def result(item: int, status: str = "done", share: float = 1.0, holds: tuple = (),
           exercise_id: str | None = None) -> ExerciseResult:
    return ExerciseResult(item, exercise_id or f"exercise-{item}", f"Exercise {item}", status,
                          40.0 + item, 2 if status == "done" else 1, 2, 10 if not holds else None,
                          10 if not holds else None, holds, share)


def begin(store: HistoryStore, started_at: datetime, routine_id: str = "phase1-a",
          **kwargs) -> int:
    return store.begin_session(routine_id, "Phase 1, session A", "0123456789abcdef", "phase",
                               None, started_at, **kwargs)


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path) as opened:
        yield opened


# --- Round trips -------------------------------------------------------------------------


def test_a_session_round_trips_with_results_and_feedback(tmp_path):
    started = datetime(2026, 5, 4, 18, 30, tzinfo=PLUS2)
    with open_store(tmp_path / "new" / "folder") as store:
        sid = store.begin_session("phase1-a", "Phase 1, session A", "0123456789abcdef",
                                  "phase", None, started, 2, "phase-1", 4)
        first, second = result(0), result(1, "partial", 0.5, holds=(21.5, 30.0))
        store.record_exercise(sid, first, started + timedelta(minutes=3))
        store.record_exercise(sid, second, started + timedelta(minutes=6))
        third = result(2, "skipped", 0.0)
        summary = Summary("phase1-a", "Phase 1, session A", (first, second, third), False,
                          90.0, 0.45)
        store.finish_session(sid, summary, started + timedelta(minutes=7))
        store.set_feedback(sid, pain_after=3, effort=6, note="Left side tight")
    with open_store(tmp_path / "new" / "folder") as store:
        got = store.session(sid)
    assert got.routine_id == "phase1-a" and got.routine_name == "Phase 1, session A"
    assert got.fingerprint == "0123456789abcdef" and got.kind == "phase" and got.block is None
    assert got.local_date == date(2026, 5, 4)
    assert got.started_at == started and got.started_at.utcoffset() == timedelta(hours=2)
    assert got.ended_at == started + timedelta(minutes=7)
    assert got.status == "stopped" and got.share == 0.45
    assert (got.pain_before, got.pain_after, got.effort) == (4, 3, 6)
    assert got.note == "Left side tight"
    assert (got.program_week, got.phase_id) == (2, "phase-1")
    assert got.results == (first, second, third)


def test_a_completed_daily_session_keeps_its_block(store):
    started = datetime(2026, 5, 4, 7, 5, tzinfo=PLUS2)
    sid = store.begin_session("daily-morning", "Morning", "ffff", "daily", m.Block.MORNING,
                              started)
    summary = Summary("daily-morning", "Morning", (result(0),), True, 40.0, 1.0)
    store.finish_session(sid, summary, started + timedelta(minutes=5))
    got = store.session(sid)
    assert got.status == "completed" and got.share == 1.0 and got.block == "morning"
    assert got.pain_before is None and got.pain_after is None and got.effort is None


def test_feedback_leaves_skipped_questions_empty_and_none_changes_nothing(store):
    sid = begin(store, datetime(2026, 5, 4, 18, 0, tzinfo=PLUS2))
    store.set_feedback(sid, pain_after=2)
    assert (store.session(sid).pain_after, store.session(sid).effort) == (2, None)
    store.set_feedback(sid, effort=5, note="ok")
    store.set_feedback(sid, note="")
    got = store.session(sid)
    assert (got.pain_after, got.effort, got.note) == (2, 5, "")


def test_enrolment_round_trips_with_repeats(tmp_path):
    times = iter([datetime(2026, 3, 1, 9, tzinfo=UTC), datetime(2026, 3, 22, 9, tzinfo=UTC),
                  datetime(2026, 4, 5, 9, tzinfo=UTC)])
    with open_store(tmp_path, now=lambda: next(times)) as store:
        assert store.enrolment() is None
        enrolment = Enrolment("back-8-weeks", date(2026, 3, 2), (0, 2, 4),
                              (m.Block.MORNING, m.Block.EVENING))
        store.save_enrolment(enrolment)
        assert store.enrolment() == enrolment
        repeated = enrolment.with_repeat("phase-2").with_repeat("phase-3", 2)
        store.save_enrolment(repeated)
    with open_store(tmp_path) as store:
        assert store.enrolment() == repeated
        store.save_enrolment(repeated)      # saving again keeps when each repeat was decided
        decided = store._conn.execute(
            "SELECT phase_id, decided_at FROM phase_repeats ORDER BY id").fetchall()
    assert decided == [("phase-2", "2026-03-22T09:00:00+00:00"),
                       ("phase-3", "2026-03-22T09:00:00+00:00")]


def test_a_new_start_replaces_the_enrolment_and_keeps_the_old_one(store):
    first = Enrolment("back-8-weeks", date(2026, 3, 2), None, ()).with_repeat("phase-1")
    store.save_enrolment(first)
    again = Enrolment("back-8-weeks", date(2026, 6, 1))
    store.save_enrolment(again)
    assert store.enrolment() == again
    rows = store._conn.execute("SELECT start_date, replaced_at IS NULL FROM enrolment"
                               " ORDER BY id").fetchall()
    assert rows == [("2026-03-02", 0), ("2026-06-01", 1)]
    assert store._conn.execute("SELECT count(*) FROM phase_repeats").fetchone()[0] == 1


def test_unknown_session_and_bad_values_are_programming_errors(store):
    with pytest.raises(KeyError):
        store.session(99)
    with pytest.raises(KeyError):
        store.record_exercise(99, result(0), CLOCK)
    with pytest.raises(ValueError, match="time zone"):
        begin(store, datetime(2026, 5, 4, 18, 0))
    with pytest.raises(ValueError, match="pain_before"):
        begin(store, CLOCK, pain_before=11)
    with pytest.raises(ValueError, match="kind"):
        store.begin_session("x", "X", "f", "bonus", None, CLOCK)
    sid = begin(store, CLOCK)
    with pytest.raises(ValueError, match="summary"):
        store.finish_session(sid, Summary("other", "O", (), True, 0, 1.0), CLOCK)


# --- Retries and redone exercises ----------------------------------------------------


def test_a_redone_exercise_replaces_its_result(store):
    started = datetime(2026, 5, 4, 18, 0, tzinfo=PLUS2)
    sid = begin(store, started)
    store.record_exercise(sid, result(0, "partial", 0.4), started + timedelta(minutes=1))
    store.record_exercise(sid, result(0), started + timedelta(minutes=3))
    assert store.session(sid).results == (result(0),)
    recorded = "SELECT recorded_at FROM exercise_results WHERE session_id = ? AND item = 0"
    assert store._conn.execute(recorded, (sid,)).fetchone()[0] == \
        (started + timedelta(minutes=3)).isoformat()
    # The summary repeats that result: unchanged, it keeps the time it was recorded.
    store.finish_session(sid, Summary("phase1-a", "A", (result(0), result(1)), True, 80, 1.0),
                         started + timedelta(minutes=9))
    assert store._conn.execute(recorded, (sid,)).fetchone()[0] == \
        (started + timedelta(minutes=3)).isoformat()
    assert len(store.session(sid).results) == 2


def test_every_write_is_safe_to_repeat(store):
    started = datetime(2026, 5, 4, 18, 0, tzinfo=PLUS2)
    sid = begin(store, started, pain_before=3)
    assert begin(store, started, pain_before=3) == sid
    for _ in range(2):
        store.record_exercise(sid, result(0), started + timedelta(minutes=1))
        store.finish_session(sid, Summary("phase1-a", "A", (result(0),), True, 40, 1.0),
                             started + timedelta(minutes=2))
        store.set_feedback(sid, pain_after=2)
    assert len(store.all_sessions()) == 1
    got = store.session(sid)
    assert got.status == "completed" and got.results == (result(0),) and got.pain_after == 2


def test_the_recorded_time_defaults_to_the_injected_clock(store):
    sid = begin(store, datetime(2026, 5, 4, 13, 0, tzinfo=PLUS2))
    store.record_exercise(sid, result(0))
    assert store._conn.execute("SELECT recorded_at FROM exercise_results").fetchone()[0] == \
        CLOCK.isoformat()


# --- Dates -----------------------------------------------------------------------------


def test_sessions_between_includes_both_ends_across_month_ends(store):
    days = [date(2026, 1, 31), date(2026, 2, 1), date(2026, 2, 28), date(2026, 3, 1)]
    ids = {}
    for day in days:
        for hour in (7, 19):
            started = datetime(day.year, day.month, day.day, hour, tzinfo=PLUS2)
            ids[(day, hour)] = begin(store, started)
            store.record_exercise(ids[(day, hour)], result(0), started)
    february = store.sessions_between(date(2026, 2, 1), date(2026, 2, 28))
    assert [s.id for s in february] == [ids[(d, h)] for d in days[1:3] for h in (7, 19)]
    assert all(s.results == () for s in february)
    with_results = store.sessions_between(date(2026, 2, 1), date(2026, 2, 28),
                                          with_results=True)
    assert all(s.results == (result(0),) for s in with_results)
    assert [s.local_date for s in store.sessions_between(date(2026, 1, 31),
                                                         date(2026, 1, 31))] == [days[0]] * 2
    assert store.sessions_between(date(2026, 3, 2), date(2026, 12, 31)) == []
    assert len(store.all_sessions()) == 8


def test_a_late_session_stays_on_its_local_start_date(tmp_path):
    """23:50 at +02:00 is 21:50 UTC the same day; 00:10 at +02:00 is the previous UTC day."""
    with open_store(tmp_path) as store:
        late = begin(store, datetime(2026, 3, 31, 23, 50, tzinfo=PLUS2))
        early = begin(store, datetime(2026, 4, 1, 0, 10, tzinfo=PLUS2), routine_id="daily-m")
    script = (
        "import sys, time; from datetime import date; from pathlib import Path\n"
        "from backrehab_gui.infra.store import HistoryStore\n"
        "s = HistoryStore.open(Path(sys.argv[1]))\n"
        "from datetime import time as t; s.day_end = t(0, 0)\n"
        "print(time.strftime('%z'), s.session(int(sys.argv[2])).local_date,"
        " s.session(int(sys.argv[3])).local_date,"
        " [x.id for x in s.sessions_between(date(2026, 3, 31), date(2026, 3, 31))])\n")
    for zone, machine_offset in (("Pacific/Honolulu", "-1000"), ("Asia/Tokyo", "+0900"),
                                 ("UTC", "+0000")):
        env = {**os.environ, "TZ": zone}
        out = subprocess.run([sys.executable, "-c", script, str(tmp_path), str(late),
                              str(early)], env=env, capture_output=True, text=True, check=True)
        offset, late_day, early_day, march_31 = out.stdout.split(" ", 3)
        assert offset == machine_offset                 # the reader's zone really differs
        assert (late_day, early_day) == ("2026-03-31", "2026-04-01"), zone
        assert march_31.strip() == f"[{late}]", zone


def test_a_session_before_the_end_of_the_persons_day_belongs_to_the_day_before(store):
    """By default the day ends at 03:00: 00:20 on Saturday is still Friday evening."""
    friday = date(2026, 4, 3)
    late = begin(store, datetime(2026, 4, 4, 0, 20, tzinfo=PLUS2))
    morning = begin(store, datetime(2026, 4, 4, 3, 0, tzinfo=PLUS2), routine_id="daily-m")
    assert store.session(late).local_date == friday
    assert store.session(morning).local_date == friday + timedelta(days=1)
    assert [r.id for r in store.sessions_between(friday, friday)] == [late]
    assert [r.id for r in store.sessions_between(friday + timedelta(days=1),
                                                 friday + timedelta(days=1))] == [morning]
    store.day_end = dt_time(0, 0)  # midnight: the calendar date again
    assert store.session(late).local_date == friday + timedelta(days=1)


def test_sessions_come_in_the_order_they_started_across_time_zones(store):
    """After flying east, a session on a later local date can start earlier in real time."""
    at_home = begin(store, datetime(2026, 6, 1, 23, 0, tzinfo=UTC), routine_id="a")
    abroad = begin(store, datetime(2026, 6, 2, 3, 0, tzinfo=timezone(timedelta(hours=5))),
                   routine_id="b")
    assert [s.id for s in store.all_sessions()] == [abroad, at_home]
    assert [s.local_date for s in store.all_sessions()] == [date(2026, 6, 2), date(2026, 6, 1)]


def test_open_hold_bests_are_per_day(store):
    for day, holds in ((3, (20.0, 31.5)), (3, (33.0,)), (5, (25.0,))):
        started = datetime(2026, 5, day, 9, tzinfo=PLUS2)
        sid = begin(store, started)
        store.record_exercise(sid, result(0, holds=holds, exercise_id="side-plank"), started)
        store.record_exercise(sid, result(1), started)
    assert store.open_hold_bests("side-plank") == [(date(2026, 5, 3), 33.0),
                                                   (date(2026, 5, 5), 25.0)]
    assert store.open_hold_bests("exercise-1") == []


# --- Crashes ----------------------------------------------------------------------------


def _writer(folder: Path, mode: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(HERE / "crash_writer.py"), str(folder), mode],
                            stdout=subprocess.PIPE, text=True)


def test_a_killed_session_is_interrupted_with_its_results(tmp_path):
    child = _writer(tmp_path, "third")
    try:
        lines = []
        for line in child.stdout:
            lines.append(line.strip())
            if line.strip() == "in-third":
                break
        assert lines[-1] == "in-third", lines
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    sid = int(lines[0].split()[1])
    with open_store(tmp_path) as store:
        assert store.interrupted == [sid]
        got = store.session(sid)
    assert got.status == "interrupted"
    assert [r.item for r in got.results] == [0, 1]
    assert got.share == 0.5                            # two of four equal exercises
    assert got.ended_at == datetime(2026, 5, 4, 18, 32, tzinfo=PLUS2)   # the last result
    with open_store(tmp_path) as store:
        assert store.interrupted == []                 # only once


def test_a_kill_at_any_moment_leaves_every_committed_result(tmp_path):
    child = _writer(tmp_path, "loop")
    recorded = -1
    try:
        for line in child.stdout:
            if line.startswith("recorded"):
                recorded = int(line.split()[1])
                if recorded >= 25:
                    break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    with open_store(tmp_path) as store:
        assert store._conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        (got,) = store.all_sessions(with_results=True)
    items = [r.item for r in got.results]
    assert got.status == "interrupted"
    assert items == list(range(len(items))) and len(items) > recorded


def test_the_file_is_set_up_for_durability(tmp_path):
    connections = []

    def connect(*args, **kwargs):
        connections.append(sqlite3.connect(*args, **kwargs))
        return connections[-1]

    with open_store(tmp_path, connect=connect, busy_timeout=1.5):
        conn = connections[-1]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2       # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 1500
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()


# --- Versions ---------------------------------------------------------------------------

# Version 1 exactly as it shipped: no effort column, no index by exercise.
V1_SCHEMA = """
CREATE TABLE enrolment (id INTEGER PRIMARY KEY, program_id TEXT NOT NULL,
    start_date TEXT NOT NULL, session_days TEXT, blocks TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, replaced_at TEXT);
CREATE UNIQUE INDEX enrolment_current ON enrolment (replaced_at IS NULL)
    WHERE replaced_at IS NULL;
CREATE TABLE phase_repeats (id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES enrolment (id) ON DELETE CASCADE,
    phase_id TEXT NOT NULL, extra_weeks INTEGER NOT NULL CHECK (extra_weeks >= 0),
    decided_at TEXT NOT NULL);
CREATE INDEX phase_repeats_by_enrolment ON phase_repeats (enrolment_id);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, routine_id TEXT NOT NULL,
    routine_name TEXT NOT NULL, fingerprint TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('phase', 'maintenance', 'daily', 'extra')),
    block TEXT, local_date TEXT NOT NULL, started_at TEXT NOT NULL,
    utc_offset_min INTEGER NOT NULL, ended_at TEXT,
    status TEXT NOT NULL DEFAULT 'running'
        CHECK (status IN ('running', 'completed', 'stopped', 'interrupted')),
    share REAL NOT NULL DEFAULT 0 CHECK (share BETWEEN 0 AND 1), item_weights TEXT,
    pain_before INTEGER CHECK (pain_before BETWEEN 0 AND 10),
    pain_after INTEGER CHECK (pain_after BETWEEN 0 AND 10),
    note TEXT NOT NULL DEFAULT '', program_week INTEGER, phase_id TEXT);
CREATE INDEX sessions_by_date ON sessions (local_date, started_at);
CREATE UNIQUE INDEX sessions_by_start ON sessions (routine_id, started_at);
CREATE TABLE exercise_results (session_id INTEGER NOT NULL
        REFERENCES sessions (id) ON DELETE CASCADE,
    item INTEGER NOT NULL, exercise_id TEXT NOT NULL, name TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('done', 'partial', 'skipped')),
    seconds REAL NOT NULL, sets_done INTEGER NOT NULL, sets_planned INTEGER NOT NULL,
    reps_done INTEGER, reps_target INTEGER, hold_times TEXT NOT NULL DEFAULT '[]',
    share REAL NOT NULL CHECK (share BETWEEN 0 AND 1), recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, item));
INSERT INTO sessions (routine_id, routine_name, fingerprint, kind, local_date, started_at,
    utc_offset_min, ended_at, status, share, pain_before, pain_after, note)
    VALUES ('phase1-a', 'Phase 1, session A', 'abcd', 'phase', '2026-01-05',
            '2026-01-05T18:00:00+01:00', 60, '2026-01-05T18:20:00+01:00', 'completed', 1.0,
            4, 3, 'fine');
INSERT INTO exercise_results VALUES (1, 0, 'side-plank', 'Side plank', 'done', 45.0, 2, 2,
    NULL, NULL, '[20.0, 25.0]', 1.0, '2026-01-05T18:05:00+01:00');
PRAGMA user_version = 1;
"""


def write_v1(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.close()


def test_a_version_1_file_is_migrated_and_keeps_its_data(tmp_path):
    write_v1(tmp_path / FILE_NAME)
    with open_store(tmp_path) as store:
        assert store._conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()
        assert store.moved_on() == set()
        assert store.safety_events_between(date(2000, 1, 1), date(2100, 1, 1)) == []
        assert store.measures() == []
        (old,) = store.all_sessions(with_results=True)
        assert (old.status, old.pain_before, old.pain_after, old.effort, old.note) == \
            ("completed", 4, 3, None, "fine")
        assert old.results[0].hold_times == (20.0, 25.0)
        assert store.open_hold_bests("side-plank") == [(date(2026, 1, 5), 25.0)]
        store.set_feedback(old.id, effort=7)
        assert store.session(old.id).effort == 7
        indexes = {r[1] for r in store._conn.execute("PRAGMA index_list(exercise_results)")}
        assert "exercise_results_by_exercise" in indexes


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path, monkeypatch):
    write_v1(tmp_path / FILE_NAME)
    real = len(migrations.MIGRATIONS)
    broken = ("ALTER TABLE sessions ADD COLUMN mood TEXT", "THIS IS NOT SQL")
    monkeypatch.setattr(migrations, "MIGRATIONS", [*migrations.MIGRATIONS, broken])
    with pytest.raises(StoreMigrationError, match="left as it was"):
        open_store(tmp_path)
    conn = sqlite3.connect(tmp_path / FILE_NAME)
    # The real migrations went through, each in its own transaction; the broken
    # one after them left nothing.
    assert conn.execute("PRAGMA user_version").fetchone()[0] == real
    columns = {r[1] for r in conn.execute("PRAGMA table_info(sessions)")}
    assert "effort" in columns and "mood" not in columns
    conn.close()


def test_a_file_from_a_newer_version_is_refused_and_left_alone(tmp_path):
    path = tmp_path / FILE_NAME
    conn = sqlite3.connect(path)
    conn.executescript("CREATE TABLE sessions (id INTEGER PRIMARY KEY, running INTEGER);"
                       "INSERT INTO sessions VALUES (1, 1); PRAGMA user_version = 99;")
    conn.close()
    before = file_hash(path)
    with pytest.raises(StoreTooNewError) as caught:
        open_store(tmp_path)
    assert "newer version of BackRehab" in caught.value.message
    assert "not changed" in str(caught.value)
    assert file_hash(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


# --- Faults ---------------------------------------------------------------------------------


def test_a_garbage_file_is_moved_aside_and_a_new_history_started(tmp_path):
    path = tmp_path / FILE_NAME
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    (tmp_path / (FILE_NAME + "-wal")).write_bytes(b"wal garbage")
    with open_store(tmp_path, now=lambda: datetime(2026, 5, 4, 21, 7, 9, tzinfo=UTC)) as store:
        aside = store.recovered_from
        assert aside is not None and aside.parent == tmp_path
        assert aside.name.startswith(FILE_NAME + ".corrupt-2026050")
        assert aside.read_bytes() == garbage
        assert (tmp_path / (aside.name + "-wal")).read_bytes() == b"wal garbage"
        assert str(aside) in store.recovery_message
        assert "damaged" in store.recovery_message and "nothing was deleted" in \
            store.recovery_message
        assert store.all_sessions() == []
        begin(store, CLOCK)
    with open_store(tmp_path) as store:
        assert store.recovered_from is None and len(store.all_sessions()) == 1


def test_a_read_only_folder_is_reported_plainly(tmp_path):
    with open_store(tmp_path):
        pass
    tmp_path.chmod(0o555)
    try:
        probe = tmp_path / "probe"
        try:
            probe.touch()
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("running as root: chmod does not stop writes here "
                        "(test_a_read_only_store_refuses_writes covers the message)")
        with pytest.raises(StoreReadOnlyError, match="read-only"):
            open_store(tmp_path)
    finally:
        tmp_path.chmod(0o755)


def test_a_read_only_store_refuses_writes(tmp_path):
    with open_store(tmp_path) as store:
        running = begin(store, CLOCK)
    with open_store(tmp_path, read_only=True) as store:
        assert store.interrupted == []
        assert store.session(running).status == "running"  # a live app's session is left be
        with pytest.raises(StoreReadOnlyError) as caught:
            begin(store, CLOCK + timedelta(hours=1))
    assert "read-only" in caught.value.message and str(tmp_path) in caught.value.message


def test_a_read_only_database_file_gives_the_plain_message(tmp_path):
    """SQLite's own refusal, as a read-only file gives it (mode=ro works even as root)."""
    with open_store(tmp_path):
        pass

    def read_only_connect(target, **kwargs):
        return sqlite3.connect(target.replace("mode=rwc", "mode=ro"), **kwargs)

    with pytest.raises(StoreReadOnlyError, match="read-only"):
        open_store(tmp_path, connect=read_only_connect)


def test_a_folder_that_cannot_be_made_is_reported(tmp_path):
    (tmp_path / "file").write_text("in the way")
    with pytest.raises(StoreError, match="cannot create its data folder"):
        open_store(tmp_path / "file" / "data")


def test_a_full_disk_gives_a_plain_message_and_the_write_can_be_retried(tmp_path):
    connections = []

    def connect(*args, **kwargs):
        connections.append(sqlite3.connect(*args, **kwargs))
        return connections[-1]

    store = open_store(tmp_path, connect=connect)
    conn = connections[-1]
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    sid = begin(store, CLOCK)
    held = ExerciseResult(0, "x", "X" * 20000, "done", 1.0, 1, 1, None, None, (), 1.0)
    with pytest.raises(StoreFullError) as caught:
        store.record_exercise(sid, held, CLOCK)
    assert "disk" in caught.value.message and "full" in caught.value.message
    assert not conn.in_transaction
    conn.execute("PRAGMA max_page_count = 1000000")       # space was freed
    store.record_exercise(sid, held, CLOCK)
    assert store.session(sid).results == (held,)
    store.close()


def test_a_locked_file_says_another_copy_seems_open(tmp_path):
    with open_store(tmp_path, busy_timeout=0.1) as store:
        other = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")
        try:
            with pytest.raises(StoreLockedError) as caught:
                begin(store, CLOCK)
            assert store.all_sessions() == []                   # reading still works
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert "Another BackRehab seems to be open" in caught.value.message
        begin(store, CLOCK)                                     # the retry goes through
        assert len(store.all_sessions()) == 1



def test_a_damaged_file_opened_read_only_is_reported_not_moved(tmp_path):
    (tmp_path / FILE_NAME).write_bytes(b"not a database at all" * 200)
    with pytest.raises(StoreCorruptError, match="damaged"):
        open_store(tmp_path, read_only=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == [FILE_NAME]


def test_opening_while_another_copy_writes_says_so(tmp_path):
    with open_store(tmp_path):
        pass
    other = sqlite3.connect(tmp_path / FILE_NAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreLockedError, match="Another BackRehab seems to be open"):
            open_store(tmp_path, busy_timeout=0.1)
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_without_item_weights_an_interrupted_share_averages_what_was_recorded(tmp_path):
    with open_store(tmp_path) as store:
        sid = begin(store, CLOCK)
        store.record_exercise(sid, result(0, "partial", 0.5), CLOCK)
        store.record_exercise(sid, result(1), CLOCK)
    with open_store(tmp_path) as store:
        got = store.session(sid)
    assert (got.status, got.share) == ("interrupted", 0.75)


def test_move_on_decisions_belong_to_the_current_enrolment(tmp_path):
    from datetime import date as _date

    from backrehab_gui.core.schedule import Enrolment

    store = HistoryStore.open(tmp_path)
    store.save_enrolment(Enrolment("p", _date(2026, 1, 5)))
    assert store.moved_on() == set()
    store.record_moved_on("foundation")
    store.record_moved_on("foundation")
    assert store.moved_on() == {"foundation"}
    store.save_enrolment(Enrolment("p", _date(2026, 3, 2)))  # a new start: asked afresh
    assert store.moved_on() == set()
    store.close()
    reopened = HistoryStore.open(tmp_path)
    assert reopened.moved_on() == set()
    reopened.close()
