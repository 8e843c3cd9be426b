"""Red-flag answers, clearances and "Stop: it hurts" in the history: kept with their dates."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import pytest

from backrehab_gui.core.screening import EventKind, SafetyEvent
from backrehab_gui.infra.store import FILE_NAME, HistoryStore, StoreReadOnlyError

PLUS1 = timezone(timedelta(hours=1))
AT = datetime(2026, 11, 23, 9, 30, tzinfo=PLUS1)


def emergency(at: datetime = AT) -> SafetyEvent:
    return SafetyEvent(at, EventKind.SCREENING, ("saddle-numbness",),
                       "Yes to: Is any part of your groin numb?", emergency=True)


def test_events_come_back_with_their_dates_and_words(tmp_path):
    with HistoryStore.open(tmp_path) as store:
        first = store.record_safety_event(emergency())
        cleared = SafetyEvent(AT + timedelta(days=2), EventKind.EMERGENCY_CLEARED,
                              detail="A doctor examined me and cleared exercise.")
        store.record_safety_event(cleared)
        events = store.safety_events_between(date(2026, 11, 1), date(2026, 11, 30))
    assert [e.kind for e in events] == [EventKind.SCREENING, EventKind.EMERGENCY_CLEARED]
    assert events[0].id == first and events[0].emergency
    assert events[0].flags == ("saddle-numbness",) and "groin" in events[0].detail
    assert events[1].at == AT + timedelta(days=2) and events[1].local_date == date(2026, 11, 25)
    # Survives closing and opening again.
    with HistoryStore.open(tmp_path) as store:
        assert store.safety_events_between(date(2026, 11, 25), date(2026, 11, 25)) == [events[1]]


def test_writing_an_event_again_stores_it_once(tmp_path):
    with HistoryStore.open(tmp_path) as store:
        assert store.record_safety_event(emergency()) == store.record_safety_event(emergency())
        assert len(store.safety_events_between(date(2026, 1, 1), date(2026, 12, 31))) == 1


def test_a_hurt_is_recorded_on_its_exercise_and_session_then_gets_its_action(tmp_path):
    with HistoryStore.open(tmp_path) as store:
        session = store.begin_session("phase1-a", "Phase 1", "abcd", "phase", None, AT)
        hurt = SafetyEvent(AT + timedelta(minutes=4), EventKind.HURT, session_id=session,
                           exercise_id="bird-dog", exercise_name="Bird dog", what="back")
        event_id = store.record_safety_event(hurt)
        store.set_safety_action(event_id, "easier")
        (stored,) = store.safety_events_between(AT.date(), AT.date())
        assert (stored.session_id, stored.exercise_id, stored.what, stored.action) == \
            (session, "bird-dog", "back", "easier")
        # A session the history does not have (its start could not be written) does not
        # lose the event.
        lost = SafetyEvent(AT + timedelta(minutes=9), EventKind.HURT, session_id=999,
                           exercise_name="Plank", what="leg")
        store.record_safety_event(lost)
        assert store.safety_events_between(AT.date(), AT.date())[-1].session_id is None


def test_the_table_refuses_an_unknown_kind(tmp_path):
    with HistoryStore.open(tmp_path) as store, pytest.raises(sqlite3.IntegrityError):
        store._conn.execute("INSERT INTO safety_events (at, local_date, kind)"
                            " VALUES ('2026-11-23T09:00:00+01:00', '2026-11-23', 'maybe')")


def test_a_read_only_history_refuses_the_write_plainly(tmp_path):
    HistoryStore.open(tmp_path).close()
    with HistoryStore.open(tmp_path, read_only=True) as store, \
            pytest.raises(StoreReadOnlyError):
        store.record_safety_event(emergency())
    assert (tmp_path / FILE_NAME).exists()


def test_a_damaged_history_is_rescued_with_its_safety_records(tmp_path):
    from .test_salvage import edit_page, index_root

    with HistoryStore.open(tmp_path) as store:
        session = store.begin_session("phase1-a", "Phase 1", "abcd", "phase", None, AT)
        store.record_safety_event(emergency())
        store.record_safety_event(SafetyEvent(AT + timedelta(minutes=5), EventKind.HURT,
                                              session_id=session, exercise_name="Plank",
                                              what="leg", action="end"))
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store._conn.close()     # a crash: no clean close, so the next open checks fully
    path = tmp_path / FILE_NAME
    when = AT.isoformat().encode()
    # The index by kind and time now points at another time: only the full check sees it.
    edit_page(path, index_root(path, "safety_events_once"), when, when.replace(b"09:30",
                                                                              b"09:31"))
    with HistoryStore.open(tmp_path) as store:
        assert store.recovered_from is not None
        assert store.salvage.safety == 2 and store.salvage.lost == {}
        assert "2 safety records" in store.recovery_message
        events = store.safety_events_between(AT.date(), AT.date())
    assert [(e.kind, e.emergency, e.session_id, e.action) for e in events] == [
        (EventKind.SCREENING, True, None, None), (EventKind.HURT, False, session, "end")]


def test_writing_a_hurt_again_with_its_action_adds_the_action(tmp_path):
    hurt = SafetyEvent(AT, EventKind.HURT, exercise_name="Plank", what="back")
    with HistoryStore.open(tmp_path) as store:
        first = store.record_safety_event(hurt)
        assert store.record_safety_event(replace(hurt, action="skip")) == first
        assert store.record_safety_event(hurt) == first       # an old copy does not undo it
        (stored,) = store.safety_events_between(AT.date(), AT.date())
    assert stored.action == "skip"
