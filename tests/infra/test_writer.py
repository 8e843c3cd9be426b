"""The background writer: the caller never waits, and merging the journal never doubles or
downgrades a session."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta, timezone

import pytest

from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.infra.journal import SessionJournal
from backrehab_gui.infra.recorder import Feedback, SessionDraft, SessionRecorder
from backrehab_gui.infra.store import FILE_NAME, HistoryStore
from backrehab_gui.infra.writer import HistoryWriter

START = datetime(2026, 6, 1, 18, 0, tzinfo=timezone(timedelta(hours=2)))
R0 = ExerciseResult(0, "bridge", "Bridge", "done", 40.0, 2, 2, 10, 10, (), 1.0)
R1 = ExerciseResult(1, "plank", "Plank", "done", 30.0, 1, 1, None, None, (30.0,), 1.0)


def draft(revision: int, *, results=(R0,), finished: bool = False,
          feedback: Feedback | None = None) -> SessionDraft:
    summary = Summary("core", "Core", tuple(results), True, 70.0, 1.0) if finished else None
    return SessionDraft(routine_id="core", routine_name="Core", fingerprint="f", kind="extra",
                        block=None, program_week=None, phase_id=None, started_at=START,
                        item_weights=(40.0, 30.0), pain_before=2,
                        results=tuple((r, START + timedelta(minutes=r.item + 1))
                                      for r in results),
                        summary=summary, ended_at=START + timedelta(minutes=5) if finished
                        else None, feedback=feedback, revision=revision)


@pytest.fixture
def folder(tmp_path):
    HistoryStore.open(tmp_path).close()
    return tmp_path


@pytest.fixture
def journal(folder, tmp_path_factory):
    return SessionJournal(folder, fallbacks=[tmp_path_factory.mktemp("state") / "j.jsonl"])


def merge(folder, journal) -> list:
    """Open the history as a launch does, merge the journal, read what is there."""
    store = HistoryStore.open(folder)
    writer = HistoryWriter(journal)
    writer.use(store.twin)
    writer.merge_journal()
    writer.close()
    sessions = store.all_sessions(with_results=True)
    store.close()
    return sessions


def test_a_journaled_session_is_merged_once_however_often_it_is_merged(folder, journal):
    journal.append(draft(0))
    journal.append(draft(4, results=(R0, R1), finished=True, feedback=Feedback(1, 5, "ok")))
    (saved,) = merge(folder, journal)
    assert (saved.status, saved.pain_before, saved.pain_after, saved.note) == \
        ("completed", 2, 1, "ok")
    assert [r.item for r in saved.results] == [0, 1]
    assert journal.pending() == []
    journal.append(draft(4, results=(R0, R1), finished=True))  # a merge cut short, say
    (again,) = merge(folder, journal)
    assert again == saved


def test_a_session_cut_short_in_the_history_is_completed_from_the_journal(folder, journal):
    """The history took the start, the disk refused the rest; opening marked it
    interrupted; the journal has it completed: completed it is, not interrupted."""
    with HistoryStore.open(folder) as store:
        session_id = store.begin_session("core", "Core", "f", "extra", None, START,
                                         pain_before=2)
        store.record_exercise(session_id, R0, START)
    journal.append(draft(3, results=(R0, R1), finished=True))
    (saved,) = merge(folder, journal)
    assert saved.id == session_id and saved.status == "completed" and len(saved.results) == 2


def test_an_older_snapshot_never_downgrades_an_ended_session(folder, journal):
    with HistoryStore.open(folder) as store:
        session_id = store.begin_session("core", "Core", "f", "extra", None, START)
        store.finish_session(session_id, Summary("core", "Core", (R0, R1), True, 70.0, 1.0),
                             START + timedelta(minutes=5))
    journal.append(draft(1, results=(R0,), feedback=Feedback(3, None, None)))
    (saved,) = merge(folder, journal)
    assert saved.status == "completed" and len(saved.results) == 2
    assert saved.pain_after == 3  # an answer the history lacked is still added


def test_a_session_an_earlier_run_never_ended_is_merged_as_interrupted(folder, journal):
    journal.append(draft(2, results=(R0,)))
    (saved,) = merge(folder, journal)
    assert saved.status == "interrupted" and saved.results == (R0,)
    assert saved.ended_at == START + timedelta(minutes=1)  # its last result
    assert saved.share == pytest.approx(40 / 70, abs=0.001)


def test_the_caller_never_waits_for_a_locked_history(folder, journal):
    store = HistoryStore.open(folder, busy_timeout=0.3)
    writer = HistoryWriter(journal)
    gate = threading.Event()

    def connect() -> HistoryStore:  # the writer's thread waits here until the test is ready
        gate.wait(10)
        return store.twin()

    writer.use(connect)
    other = sqlite3.connect(folder / FILE_NAME, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        rec = SessionRecorder(writer.save, routine_id="core", routine_name="Core",
                              fingerprint="f", kind="extra", block=None, program_week=None,
                              phase_id=None)
        rec.begin(START, 1)  # returns at once, the write still to come
        assert rec.state().saving and not rec.saved
        gate.set()
        writer.flush()
        state = rec.state()
        assert not state.saved and "Another BackRehab seems to be open" in state.error
        assert state.journal_path == folder / "unsaved-sessions.jsonl"
    finally:
        other.execute("ROLLBACK")
        other.close()
    rec.retry()
    writer.flush()
    assert rec.saved and journal.pending() == []
    assert [s.pain_before for s in store.all_sessions()] == [1]
    writer.close()
    store.close()


def test_closing_finishes_the_queued_writes(folder, journal):
    store = HistoryStore.open(folder)
    writer = HistoryWriter(journal)
    writer.use(store.twin)
    rec = SessionRecorder(writer.save, routine_id="core", routine_name="Core", fingerprint="f",
                          kind="extra", block=None, program_week=None, phase_id=None)
    rec.begin(START, None)
    rec.exercise(R0)
    assert writer.close()
    assert store.all_sessions(with_results=True)[0].results == (R0,)
    rec.exercise(R1)  # after closing: still written, on the caller's thread
    assert rec.saved
    store.close()
