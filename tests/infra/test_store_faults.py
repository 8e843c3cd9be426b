"""A full disk is called full, and what the background writer and the journal need of the store."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest

from backrehab_gui.core.engine import ExerciseResult
from backrehab_gui.infra.store import HistoryStore, StoreFullError

START = datetime(2026, 5, 4, 12, 0, tzinfo=timezone.utc)


def begin(store: HistoryStore, started_at: datetime = START, routine_id: str = "core") -> int:
    return store.begin_session(routine_id, "Core", "f", "extra", None, started_at)


def test_a_full_disk_at_opening_is_called_full_not_an_io_error(disk):
    HistoryStore.open(disk.path).close()
    disk.fill()
    with pytest.raises(StoreFullError) as caught:
        HistoryStore.open(disk.path)
    assert "is full" in caught.value.message and "I/O" not in caught.value.message
    assert str(disk.path) in caught.value.message
    disk.free()
    HistoryStore.open(disk.path).close()  # space freed: it opens


def test_a_disk_that_fills_up_mid_session_is_called_full(disk):
    with HistoryStore.open(disk.path) as store:
        session_id = begin(store)
        disk.fill()
        big = ExerciseResult(0, "x", "X" * 300_000, "done", 1.0, 1, 1, None, None, (), 1.0)
        with pytest.raises(StoreFullError, match="is full"):
            store.record_exercise(session_id, big, START)
        disk.free()
        store.record_exercise(session_id, big, START)
        assert store.session(session_id).results == (big,)


def test_a_session_is_found_by_routine_and_start(tmp_path):
    with HistoryStore.open(tmp_path) as store:
        session_id = begin(store)
        found = store.find_session("core", START.astimezone(timezone(timedelta(hours=2))))
        assert found is None  # the same instant written another way is another session
        assert store.find_session("core", START).id == session_id
        assert store.find_session("other", START) is None


def test_one_session_can_be_marked_interrupted_and_an_ended_one_is_left_alone(tmp_path):
    with HistoryStore.open(tmp_path) as store:
        first = begin(store)
        second = begin(store, START + timedelta(hours=1))
        assert store.mark_interrupted(second) == [second]
        assert store.session(first).status == "running"
        assert store.session(second).status == "interrupted"
        assert store.mark_interrupted(second) == []


def test_a_twin_is_a_connection_for_another_thread(tmp_path):
    store = HistoryStore.open(tmp_path, busy_timeout=0.5)
    found: list = []

    def other_thread() -> None:
        twin = store.twin()
        found.append(begin(twin))
        twin.close()

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert [s.id for s in store.all_sessions()] == found
    assert store.interrupted == [] and store.session(found[0]).status == "running"
    store.close()
