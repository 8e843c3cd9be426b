"""A session is written as it runs, and a refusing disk loses nothing."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.infra.recorder import SessionRecorder
from backrehab_gui.infra.store import HistoryStore, StoreFullError

START = datetime(2026, 3, 2, 19, 0, tzinfo=timezone(timedelta(hours=1)))


def result(item: int, status: str = "done") -> ExerciseResult:
    return ExerciseResult(item, f"ex-{item}", f"Exercise {item}", status, 30.0, 2, 2, 20, 20,
                          (), 1.0 if status == "done" else 0.5)


def recorder(store) -> SessionRecorder:
    return SessionRecorder(store, routine_id="daily-evening", routine_name="Evening",
                           fingerprint="abc", kind="daily", block="evening", program_week=3,
                           phase_id="strength", item_weights=(60, 60))


class FlakyStore:
    """A real store that refuses writes while ``full`` is set, like a full disk."""

    def __init__(self, store: HistoryStore) -> None:
        self.store, self.full = store, False

    def __getattr__(self, name):
        real = getattr(self.store, name)
        if name in ("begin_session", "record_exercise", "finish_session", "set_feedback"):
            def write(*args, **kwargs):
                if self.full:
                    raise StoreFullError("The disk is full: free some space, then try again.")
                return real(*args, **kwargs)
            return write
        return real


def test_each_step_is_in_the_history_as_soon_as_it_happens(tmp_path):
    store = HistoryStore.open(tmp_path)
    rec = recorder(store)
    rec.begin(START, pain_before=4)
    (row,) = store.all_sessions()
    assert row.status == "running" and row.pain_before == 4 and row.local_date == START.date()
    rec.exercise(result(0), START + timedelta(minutes=2))
    assert len(store.session(rec.session_id).results) == 1
    summary = Summary("daily-evening", "Evening", (result(0), result(1, "partial")), False,
                      60.0, 0.75)
    rec.finish(summary, START + timedelta(minutes=5))
    rec.feedback(6, 5, "tight hip")
    saved = store.session(rec.session_id)
    assert (saved.status, saved.share, saved.pain_after, saved.effort, saved.note) == \
        ("stopped", 0.75, 6, 5, "tight hip")
    assert rec.saved


def test_a_full_disk_keeps_the_session_in_memory_until_it_can_be_written(tmp_path):
    flaky = FlakyStore(HistoryStore.open(tmp_path))
    rec = recorder(flaky)
    rec.begin(START, pain_before=3)
    flaky.full = True
    rec.exercise(result(0), START + timedelta(minutes=2))
    assert not rec.saved and "disk is full" in rec.error
    summary = Summary("daily-evening", "Evening", (result(0), result(1)), True, 60.0, 1.0)
    rec.finish(summary, START + timedelta(minutes=5))
    rec.feedback(2, 4, None)
    in_memory = rec.record()
    assert in_memory.status == "completed" and in_memory.pain_after == 2
    assert len(in_memory.results) == 2
    assert not rec.retry()  # still full
    flaky.full = False
    assert rec.retry()
    (saved,) = flaky.store.all_sessions(with_results=True)
    assert saved.status == "completed" and len(saved.results) == 2 and saved.pain_after == 2


def test_without_a_history_the_session_still_runs_and_says_why():
    rec = SessionRecorder(None, routine_id="r", routine_name="R", fingerprint="f", kind="extra",
                          block=None, program_week=None, phase_id=None,
                          unavailable="Another BackRehab seems to be open.")
    rec.begin(START, None)
    rec.exercise(result(0), START)
    assert not rec.saved and rec.error == "Another BackRehab seems to be open."
    assert rec.record().results == (result(0),)
