"""A damaged history: found by the full check after an abnormal shutdown, and what
can be read is rescued into a new history, with a plain report of what was lost.

The damage here is real: bytes of the database file are overwritten in the page
of an index or a table, found through SQLite's own page map (dbstat)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import Summary
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra.clean_close import MARKER_SUFFIX
from backrehab_gui.infra.store import FILE_NAME, HistoryStore, StoreCorruptError, StoreError

from .test_store import PLUS2, V1_SCHEMA, begin, file_hash, open_store, result

HERE = Path(__file__).resolve().parent
START = datetime(2026, 5, 4, 18, 30, tzinfo=PLUS2)
ENROLMENT = Enrolment("lower-back-8-weeks", date(2026, 4, 27), (0, 2, 4),
                      (m.Block.MORNING, m.Block.EVENING), (("foundation", 1),))


# --- Building a history and damaging it ----------------------------------------------


def build(folder: Path, days: int = 7, *, crash: bool = True) -> dict[int, SessionRecord]:
    """A history of one session a day from START, each with two results and answers;
    then the app dies without closing the store (``crash``) or closes it cleanly.
    Returns the sessions as the store read them back before the damage."""
    store = open_store(folder)
    store._conn.execute("PRAGMA synchronous = OFF")    # building is not what is tested
    store.save_enrolment(ENROLMENT)
    store.record_moved_on("strength")
    store.save_measure("peg", START.date(), START, {"items": [6, 5, 4]})
    for n in range(days):
        started = START + timedelta(days=n)
        sid = begin(store, started, pain_before=n % 11, item_weights=(40.0, 40.0))
        first, second = result(0), result(1, "partial", 0.5)
        store.record_exercise(sid, first, started + timedelta(minutes=5))
        store.finish_session(sid, Summary("phase1-a", "Phase 1, session A", (first, second),
                                          True, 81.0, 0.75), started + timedelta(minutes=20))
        store.set_feedback(sid, pain_after=2, effort=5, note=f"day {n}")
    expected = {s.id: s for s in store.all_sessions(with_results=True)}
    if crash:
        store._conn.close()    # what a crash leaves: committed data, no clean close
    else:
        store.close()
    return expected


def page_size(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()


def pages_of(path: Path, name: str, kind: str = "leaf") -> list[tuple[int, int]]:
    """(page number, cells on it) of each ``kind`` page of table or index ``name``."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = ?"
                            " ORDER BY pageno", (name, kind)).fetchall()
    finally:
        conn.close()


def edit_page(path: Path, number: int, old: bytes, new: bytes, *, keep_time: bool = False
              ) -> None:
    """Replace ``old`` with ``new`` (same length) once in page ``number`` of the file."""
    assert len(old) == len(new)
    size = page_size(path)
    stat = path.stat()
    data = bytearray(path.read_bytes())
    page = data[(number - 1) * size:number * size]
    assert page.count(old) == 1, (old, page.count(old))
    at = page.index(old)
    data[(number - 1) * size + at:(number - 1) * size + at + len(old)] = new
    path.write_bytes(bytes(data))
    if keep_time:   # damage that does not show in the file's size or time
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))


def wipe_page(path: Path, number: int) -> None:
    size = page_size(path)
    data = bytearray(path.read_bytes())
    data[(number - 1) * size:number * size] = b"\xff" * size
    path.write_bytes(bytes(data))


def checks(path: Path) -> tuple[str, str]:
    conn = sqlite3.connect(path)
    try:
        quick = "; ".join(r[0] for r in conn.execute("PRAGMA quick_check"))
        full = "; ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
        return quick, full
    finally:
        conn.close()


def index_root(path: Path, name: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                            (name,)).fetchone()[0]
    finally:
        conn.close()


def started(n: int) -> bytes:
    return (START + timedelta(days=n)).isoformat().encode()


def statements_of(folder: Path) -> list[str]:
    """Every SQL statement run while the store is opened and closed."""
    seen: list[str] = []

    def connect(*args, **kwargs):
        conn = sqlite3.connect(*args, **kwargs)
        conn.set_trace_callback(seen.append)
        return conn

    open_store(folder, connect=connect).close()
    return seen


def same_session(got: SessionRecord, want: SessionRecord) -> None:
    assert (got.local_date, got.started_at, got.ended_at, got.status, got.share) == \
        (want.local_date, want.started_at, want.ended_at, want.status, want.share)
    assert (got.pain_before, got.pain_after, got.effort, got.note) == \
        (want.pain_before, want.pain_after, want.effort, want.note)
    assert got.results == want.results


# --- Noticing the damage -----------------------------------------------------------------


def test_quick_check_misses_a_damaged_index_that_reads_a_date_wrong(tmp_path):
    build(tmp_path, crash=False)
    path = tmp_path / FILE_NAME
    # The last entry of the index by date now says the 19th: still in order, so the
    # page looks sound, but the session was on the 10th.
    edit_page(path, index_root(path, "sessions_by_date"), b"2026-05-10" + started(6),
              b"2026-05-19" + started(6))
    quick, full = checks(path)
    assert quick == "ok"
    assert "missing from index sessions_by_date" in full
    conn = sqlite3.connect(path)
    wrong = conn.execute("SELECT local_date FROM sessions INDEXED BY sessions_by_date"
                         " WHERE local_date >= '2026-05-10'").fetchall()
    conn.close()
    assert wrong == [("2026-05-19",)]


def test_after_an_abnormal_shutdown_a_damaged_index_is_found_and_every_session_kept(tmp_path):
    expected = build(tmp_path)
    path = tmp_path / FILE_NAME
    edit_page(path, index_root(path, "sessions_by_date"), b"2026-05-10" + started(6),
              b"2026-05-19" + started(6))
    damaged = path.read_bytes()
    with open_store(tmp_path) as store:
        aside = store.recovered_from
        assert aside is not None and aside.read_bytes() == damaged      # kept byte for byte
        report = store.salvage
        assert (report.sessions, report.results, report.enrolment, report.answers) == \
            (7, 14, True, 3)     # a repeat, a move-on and a PEG questionnaire
        assert report.lost == {} and report.cleared == 0
        got = {s.id: s for s in store.all_sessions(with_results=True)}
        assert got.keys() == expected.keys()
        for sid, want in expected.items():
            same_session(got[sid], want)
        assert [s.id for s in store.sessions_between(date(2026, 5, 10), date(2026, 5, 10))] \
            == [7]
        assert store.sessions_between(date(2026, 5, 19), date(2026, 5, 19)) == []
        assert store.enrolment() == ENROLMENT
        assert store.moved_on() == {"strength"}
        assert [(kind, taken) for kind, taken, _at, _items in store.measures()] == \
            [("peg", START.date())]
        message = store.recovery_message
        assert "damaged" in message and "7 sessions with 14 exercise results" in message
        assert "your program enrolment" in message and "Nothing was missing" in message
        assert str(aside) in message and "nothing was deleted" in message
    assert checks(path) == ("ok", "ok")
    with open_store(tmp_path) as store:                   # and it stays mended
        assert store.recovered_from is None and len(store.all_sessions()) == 7


def test_a_full_check_runs_after_a_killed_run_and_a_quick_one_after_a_clean_close(tmp_path):
    child = subprocess.Popen([sys.executable, str(HERE / "crash_writer.py"), str(tmp_path),
                              "third"], stdout=subprocess.PIPE, text=True)
    try:
        for line in child.stdout:
            if line.strip() == "in-third":
                break
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert not (tmp_path / (FILE_NAME + MARKER_SUFFIX)).exists()
    after_kill = statements_of(tmp_path)
    assert "PRAGMA integrity_check" in after_kill and "PRAGMA quick_check" not in after_kill
    after_close = statements_of(tmp_path)
    assert "PRAGMA quick_check" in after_close and "PRAGMA integrity_check" not in after_close


def test_a_file_changed_while_the_app_was_closed_gets_the_full_check(tmp_path):
    build(tmp_path, days=1, crash=False)
    path = tmp_path / FILE_NAME
    conn = sqlite3.connect(path)                  # say, a backup tool restoring an old copy
    conn.execute("UPDATE sessions SET note = 'edited elsewhere'")
    conn.commit()
    conn.close()
    assert "PRAGMA integrity_check" in statements_of(tmp_path)


def test_damage_met_while_running_is_checked_fully_at_the_next_start(tmp_path):
    build(tmp_path, crash=False)
    path = tmp_path / FILE_NAME
    # The index entry of the last session now points at a row that does not exist:
    # the quick check passes, reading through the index fails.
    edit_page(path, index_root(path, "sessions_by_date"), started(6) + b"\x07",
              started(6) + b"\x63", keep_time=True)
    with open_store(tmp_path) as store:
        assert store.recovered_from is None              # the clean close vouched for it
        with pytest.raises(StoreCorruptError, match="damaged"):
            store.sessions_between(date(2026, 5, 1), date(2026, 5, 31))
    with open_store(tmp_path) as store:
        assert store.recovered_from is not None
        assert store.salvage.sessions == 7 and store.salvage.lost == {}
        assert len(store.sessions_between(date(2026, 5, 1), date(2026, 5, 31))) == 7


def test_an_export_while_the_app_is_closed_keeps_the_quick_check(tmp_path):
    build(tmp_path, days=1, crash=False)
    HistoryStore.open(tmp_path, read_only=True).close()
    assert "PRAGMA quick_check" in statements_of(tmp_path)


# --- What is lost, and said ----------------------------------------------------------------


@pytest.mark.parametrize("which", [0, 1, -1], ids=["first", "middle", "last"])
def test_a_damaged_sessions_page_loses_only_its_rows_and_says_how_many(tmp_path, which):
    expected = build(tmp_path, days=120)
    path = tmp_path / FILE_NAME
    leaves = pages_of(path, "sessions")
    assert len(leaves) >= 3
    number, cells = leaves[which]
    wipe_page(path, number)
    with open_store(tmp_path) as store:
        report = store.salvage
        got = {s.id: s for s in store.all_sessions(with_results=True)}
        message = store.recovery_message
    assert report.sessions == len(got) == 120 - cells
    assert report.lost == {"sessions": cells, "results": 2 * cells}   # theirs go with them
    assert report.results == 2 * len(got)
    for sid, session in got.items():
        same_session(session, expected[sid])
    missing = sorted(expected.keys() - got.keys())
    assert missing == list(range(missing[0], missing[0] + cells))   # one page's run of ids
    assert f"{120 - cells} sessions with {2 * (120 - cells)} exercise results" in message
    assert f"Missing, because they could not be read: {cells} sessions and {2 * cells} " \
           "exercise results" in message


def test_a_date_read_wrong_from_a_table_page_is_not_carried_over(tmp_path):
    expected = build(tmp_path)
    path = tmp_path / FILE_NAME
    (leaf, _), = pages_of(path, "sessions")
    # Session 4 now says it started on the 17th, while its stored day is the 7th.
    edit_page(path, leaf, started(3), started(13))
    # Session 6's end moved ten years on: kept, but without an end time.
    ended = (START + timedelta(days=5, minutes=20)).isoformat().encode()
    edit_page(path, leaf, ended, ended.replace(b"2026", b"2036"))
    with open_store(tmp_path) as store:
        report = store.salvage
        got = {s.id: s for s in store.all_sessions(with_results=True)}
        message = store.recovery_message
    assert sorted(got) == [1, 2, 3, 5, 6, 7]
    assert report.lost == {"sessions": 1, "results": 2} and report.cleared == 1
    assert got[6].ended_at is None and got[6].note == "day 5"
    for sid in (1, 2, 3, 5, 7):
        same_session(got[sid], expected[sid])
    assert "1 session and 2 exercise results" in message
    assert "1 value (such as a pain score or an end time) looked wrong and was left empty" \
        in message


def test_a_session_stored_twice_through_a_damaged_unique_index_is_kept_once(tmp_path):
    expected = build(tmp_path, days=2)
    path = tmp_path / FILE_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    # A retried start that the damaged unique index let through, with one result of
    # its own; the index no longer says it is unique.
    conn.executescript(f"""
        DROP INDEX sessions_by_start;
        INSERT INTO sessions (routine_id, routine_name, fingerprint, kind, local_date,
            started_at, utc_offset_min, status, share)
            SELECT routine_id, routine_name, fingerprint, kind, local_date, started_at,
                   utc_offset_min, 'running', 0 FROM sessions WHERE id = 1;
        INSERT INTO exercise_results SELECT 3, 2, 'exercise-2', 'Exercise 2', 'done', 42.0,
            2, 2, 10, 10, '[]', 1.0, '{START.isoformat()}';
        INSERT INTO exercise_results SELECT 3, 0, 'exercise-0', 'Exercise 0', 'done', 40.0,
            2, 2, 10, 10, '[]', 1.0, '{START.isoformat()}';
        CREATE INDEX sessions_by_start ON sessions (routine_id, started_at);
        PRAGMA writable_schema = ON;
        UPDATE sqlite_master SET sql = 'CREATE UNIQUE INDEX sessions_by_start ON sessions'
            || ' (routine_id, started_at)' WHERE name = 'sessions_by_start';
    """)
    conn.close()
    with open_store(tmp_path) as store:
        report = store.salvage
        got = store.all_sessions(with_results=True)
    assert [s.id for s in got] == [1, 2]
    assert [r.item for r in got[0].results] == [0, 1, 2]     # the copy's new result joined
    assert got[0].results[:2] == expected[1].results
    assert report.lost == {"results": 1}                      # its second copy of item 0


def test_a_damaged_index_definition_does_not_hide_the_tables(tmp_path):
    expected = build(tmp_path)
    path = tmp_path / FILE_NAME
    # The schema's pages (page 1 and, once it outgrows it, others) hold each
    # definition; one index's no longer parses, so SQLite refuses the whole file
    # until that entry is skipped.
    definition = b"CREATE INDEX sessions_by_date ON sessions (local_date"
    page = path.read_bytes().index(definition) // page_size(path) + 1
    edit_page(path, page, definition, b"CREATE INDEX sessions_by_date ON sessions (#ocal_date")
    conn = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError, match="malformed database schema"):
        conn.execute("SELECT count(*) FROM sessions").fetchone()
    conn.close()
    with open_store(tmp_path) as store:
        assert (store.salvage.sessions, store.salvage.results, store.salvage.lost) == \
            (7, 14, {})
        got = {s.id: s for s in store.all_sessions(with_results=True)}
    for sid, want in expected.items():
        same_session(got[sid], want)


def test_a_damaged_file_from_the_first_version_is_rescued(tmp_path):
    path = tmp_path / FILE_NAME
    conn = sqlite3.connect(path)
    conn.executescript(V1_SCHEMA)
    conn.close()
    edit_page(path, index_root(path, "sessions_by_date"), b"2026-01-052026-01-05T18",
              b"2026-01-252026-01-05T18")
    with open_store(tmp_path) as store:
        assert store.salvage.sessions == 1 and store.salvage.results == 1
        (old,) = store.all_sessions(with_results=True)
    assert (old.local_date, old.effort, old.note) == (date(2026, 1, 5), None, "fine")
    assert old.results[0].hold_times == (20.0, 25.0)


def test_a_rescue_that_cannot_be_written_leaves_the_damaged_file_for_next_time(tmp_path):
    build(tmp_path)
    path = tmp_path / FILE_NAME
    edit_page(path, index_root(path, "sessions_by_date"), b"2026-05-10" + started(6),
              b"2026-05-19" + started(6))
    before = file_hash(path)
    in_the_way = tmp_path / (FILE_NAME + ".rescued")
    in_the_way.mkdir()
    with pytest.raises(StoreError) as caught:
        open_store(tmp_path)
    assert "damaged" in caught.value.message and "tries again" in caught.value.message
    assert file_hash(path) == before
    assert not list(tmp_path.glob("*.corrupt-*"))
    in_the_way.rmdir()
    with open_store(tmp_path) as store:
        assert store.salvage.sessions == 7


def test_a_damaged_file_opened_read_only_is_checked_fully_and_left_alone(tmp_path):
    build(tmp_path)
    path = tmp_path / FILE_NAME
    edit_page(path, index_root(path, "sessions_by_date"), b"2026-05-10" + started(6),
              b"2026-05-19" + started(6))
    before = file_hash(path)
    with pytest.raises(StoreCorruptError, match="recover what can be read"):
        HistoryStore.open(tmp_path, read_only=True)
    assert file_hash(path) == before
    assert not list(tmp_path.glob("*.corrupt-*"))
