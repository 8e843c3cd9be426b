"""A session is written as it runs, behind the window's back, and a refusing disk loses nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.infra.journal import SessionJournal
from backrehab_gui.infra.recorder import SessionRecorder
from backrehab_gui.infra.store import HistoryStore, StoreFullError
from backrehab_gui.infra.writer import HistoryWriter

START = datetime(2026, 3, 2, 19, 0, tzinfo=timezone(timedelta(hours=1)))


def result(item: int, status: str = "done") -> ExerciseResult:
    return ExerciseResult(item, f"ex-{item}", f"Exercise {item}", status, 30.0, 2, 2, 20, 20,
                          (), 1.0 if status == "done" else 0.5)


class Clock:
    """A monotonic clock the test moves."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def journal(tmp_path):
    return SessionJournal(tmp_path / "data", fallbacks=[tmp_path / "state" / "j.jsonl"])


@pytest.fixture
def writer(journal):
    opened = HistoryWriter(journal)
    yield opened
    opened.close()


def recorder(writer: HistoryWriter, clock: Clock | None = None) -> SessionRecorder:
    return SessionRecorder(writer.save, routine_id="daily-evening", routine_name="Evening",
                           fingerprint="abc", kind="daily", block="evening", program_week=3,
                           phase_id="strength", item_weights=(60, 60), clock=clock or Clock())


class FlakyStore:
    """A real store that refuses writes while ``full`` is set, like a full disk."""

    def __init__(self) -> None:
        self.store, self.full = None, False

    def connect(self, opened: HistoryStore):
        """For the writer: a connection of its own thread, wrapped."""
        self.store = opened.twin()
        return self

    def __getattr__(self, name):
        real = getattr(self.store, name)
        if name in ("begin_session", "record_exercise", "finish_session", "set_feedback"):
            def write(*args, **kwargs):
                if self.full:
                    raise StoreFullError("The disk is full: free some space, then try again.")
                return real(*args, **kwargs)
            return write
        return real


def test_each_step_is_in_the_history_as_soon_as_it_is_written(tmp_path, writer):
    store = HistoryStore.open(tmp_path / "data")
    writer.use(store.twin)
    clock = Clock()
    rec = recorder(writer, clock)
    rec.begin(START, pain_before=4)
    writer.flush()
    (row,) = store.all_sessions()
    assert row.status == "running" and row.pain_before == 4 and row.local_date == START.date()
    clock.now += 120
    rec.exercise(result(0))
    writer.flush()
    (saved,) = store.session(rec_id(store)).results
    assert saved == result(0)
    summary = Summary("daily-evening", "Evening", (result(0), result(1, "partial")), False,
                      60.0, 0.75)
    clock.now += 180
    rec.finish(summary)
    rec.feedback(6, 5, "tight hip")
    writer.flush()
    saved = store.session(rec_id(store))
    assert (saved.status, saved.share, saved.pain_after, saved.effort, saved.note) == \
        ("stopped", 0.75, 6, 5, "tight hip")
    assert saved.ended_at == START + timedelta(minutes=5)
    assert rec.saved and rec.state().journal_path is None
    store.close()


def rec_id(store: HistoryStore) -> int:
    (row,) = store.all_sessions()
    return row.id


def test_a_full_disk_mid_session_keeps_the_session_in_the_journal_until_it_fits(
        tmp_path, writer, journal):
    opened = HistoryStore.open(tmp_path / "data")
    flaky = FlakyStore()
    writer.use(lambda: flaky.connect(opened))
    rec = recorder(writer)
    rec.begin(START, pain_before=3)
    writer.flush()
    flaky.full = True
    rec.exercise(result(0))
    writer.flush()
    state = rec.state()
    assert not state.saved and "disk is full" in state.error
    assert state.journal_path == tmp_path / "data" / "unsaved-sessions.jsonl"
    summary = Summary("daily-evening", "Evening", (result(0), result(1)), True, 60.0, 1.0)
    rec.finish(summary)
    rec.feedback(2, 4, None)
    writer.flush()
    (kept,) = journal.pending()
    assert kept.status == "completed" and kept.feedback.pain_after == 2
    assert len(kept.results) == 1 and len(kept.summary.results) == 2
    rec.retry()  # still full
    writer.flush()
    assert not rec.saved and "disk is full" in rec.state().error
    flaky.full = False
    rec.retry()
    writer.flush()
    assert rec.saved
    (saved,) = opened.all_sessions(with_results=True)
    assert saved.status == "completed" and len(saved.results) == 2 and saved.pain_after == 2
    assert journal.pending() == []
    assert not (tmp_path / "data" / "unsaved-sessions.jsonl").exists()
    opened.close()


def test_a_wall_clock_moved_back_cannot_end_a_session_before_it_began(tmp_path, writer):
    """The end is the start plus the time measured since, whatever the wall clock says."""
    store = HistoryStore.open(tmp_path / "data")
    writer.use(store.twin)
    clock = Clock()
    rec = recorder(writer, clock)
    rec.begin(START, None)
    clock.now += 90.5  # meanwhile the wall clock was set back an hour: nobody asks it
    rec.exercise(result(0))
    clock.now += 30
    rec.finish(Summary("daily-evening", "Evening", (result(0),), False, 120.5, 0.5))
    writer.flush()
    (saved,) = store.all_sessions(with_results=True)
    assert saved.ended_at == START + timedelta(seconds=120.5)
    assert saved.ended_at > saved.started_at
    store.close()


def test_a_session_across_a_daylight_saving_change_ends_after_the_real_time(tmp_path, writer):
    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 3, 29, 1, 50, tzinfo=paris)  # clocks go 02:00 -> 03:00
    store = HistoryStore.open(tmp_path / "data")
    writer.use(store.twin)
    clock = Clock()
    rec = recorder(writer, clock)
    rec.begin(start, None)
    clock.now += 20 * 60
    rec.finish(Summary("daily-evening", "Evening", (), False, 1200.0, 0.0))
    writer.flush()
    (saved,) = store.all_sessions()
    assert saved.ended_at == datetime(2026, 3, 29, 3, 10, tzinfo=paris)
    store.close()


def test_without_a_history_the_session_is_journaled_and_says_why(writer, journal):
    writer.use(None, "Another BackRehab seems to be open.")
    rec = recorder(writer)
    rec.begin(START, None)
    rec.exercise(result(0))
    writer.flush()
    state = rec.state()
    assert not state.saved and state.error == "Another BackRehab seems to be open."
    assert state.journal_path is not None and state.kept
    assert rec.record().results == (result(0),)
    lines = state.journal_path.read_text().count("\n")
    rec.retry()  # Try again, with the history still closed: the reason stays
    writer.flush()
    assert rec.state().error == "Another BackRehab seems to be open."
    assert state.journal_path.read_text().count("\n") == lines  # kept already: not again
    (kept,) = journal.pending()
    assert kept.results[0][0] == result(0)


def test_when_even_the_journal_is_refused_the_session_is_still_in_memory(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("in the way")
    journal = SessionJournal(blocked / "data", fallbacks=[blocked / "state.jsonl"])
    writer = HistoryWriter(journal)
    try:
        writer.use(None, "The history is read-only.")
        rec = recorder(writer)
        rec.begin(START, 2)
        writer.flush()
        state = rec.state()
        assert not state.kept and "only in memory" in state.journal_error
        assert rec.record().pain_before == 2
    finally:
        writer.close()
