"""The pain answers kept outside the sessions: next-day checks, progression choices, and the
15-minute answer on a session."""

from __future__ import annotations

import csv
import sqlite3
from datetime import date, datetime, timedelta

import pytest

from backrehab_gui.core.next_day import SAME, WORSE, NextDayCheck
from backrehab_gui.core.progression import HOLD, RESUME, STEP_BACK, ProgressionChoice
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra import migrations
from backrehab_gui.infra.export import CSV_ENCODING, write_csv
from backrehab_gui.infra.store import HistoryStore, StoreReadOnlyError

from .test_store import PLUS2, begin, open_store

MONDAY = date(2026, 5, 4)
AT = datetime(2026, 5, 5, 7, 45, tzinfo=PLUS2)


@pytest.fixture
def store(tmp_path):
    with open_store(tmp_path) as opened:
        yield opened


def test_next_day_answers_round_trip_and_a_second_replaces_the_first(tmp_path):
    with open_store(tmp_path) as store:
        store.record_next_day(NextDayCheck(MONDAY, AT, WORSE, 6))
        store.record_next_day(NextDayCheck(MONDAY + timedelta(days=2), AT + timedelta(days=2),
                                           None))      # skipped
    with open_store(tmp_path) as store:
        assert store.next_day_checks() == [
            NextDayCheck(MONDAY, AT, WORSE, 6),
            NextDayCheck(MONDAY + timedelta(days=2), AT + timedelta(days=2), None, None)]
        store.record_next_day(NextDayCheck(MONDAY, AT + timedelta(hours=1), SAME, 3))
        (first, _skip) = store.next_day_checks()
        assert (first.answer, first.pain, first.answered_at) == (SAME, 3,
                                                                 AT + timedelta(hours=1))
        assert store.next_day_checks(MONDAY + timedelta(days=1))[0].answer is None


def test_bad_next_day_answers_are_refused(store):
    with pytest.raises(ValueError, match="answer must be one of"):
        store.record_next_day(NextDayCheck(MONDAY, AT, "awful"))
    with pytest.raises(ValueError, match="0 to 10"):
        store.record_next_day(NextDayCheck(MONDAY, AT, WORSE, 11))
    with pytest.raises(ValueError, match="time zone"):
        store.record_next_day(NextDayCheck(MONDAY, datetime(2026, 5, 5, 8), WORSE))
    assert store.next_day_checks() == []


def test_progression_choices_belong_to_the_current_enrolment(store):
    with pytest.raises(KeyError, match="no current enrolment"):
        store.record_progression_choice(ProgressionChoice("plank", 4, HOLD))
    store.save_enrolment(Enrolment("p", MONDAY))
    choices = [ProgressionChoice("plank", 5, HOLD), ProgressionChoice("plank", 5, STEP_BACK),
               ProgressionChoice("plank", 7, RESUME)]
    for choice in choices:
        store.record_progression_choice(choice)
    assert store.progression_choices() == choices
    # Changing the days keeps them; a new start date counts weeks afresh.
    store.save_enrolment(Enrolment("p", MONDAY, (1, 3, 5)))
    assert store.progression_choices() == choices
    store.save_enrolment(Enrolment("p", MONDAY + timedelta(weeks=2)))
    assert store.progression_choices() == []
    with pytest.raises(ValueError, match="action must be one of"):
        store.record_progression_choice(ProgressionChoice("plank", 5, "skip"))
    with pytest.raises(ValueError, match="week counts from 1"):
        store.record_progression_choice(ProgressionChoice("plank", 0, HOLD))


def test_the_fifteen_minute_answer_is_kept_with_the_session(store):
    sid = begin(store, datetime(2026, 5, 4, 18, 30, tzinfo=PLUS2), pain_before=3)
    assert store.session(sid).pain_lasted is None
    store.set_feedback(sid, pain_after=5, pain_lasted=True)
    assert (store.session(sid).pain_after, store.session(sid).pain_lasted) == (5, True)
    store.set_feedback(sid, effort=4)              # None leaves it as it is
    assert store.session(sid).pain_lasted is True
    store.set_feedback(sid, pain_lasted=False)
    assert store.all_sessions()[0].pain_lasted is False
    with pytest.raises(ValueError, match="pain_lasted"):
        store.set_feedback(sid, pain_lasted=1)


def test_a_read_only_history_refuses_pain_answers(tmp_path):
    with open_store(tmp_path) as store:
        store.save_enrolment(Enrolment("p", MONDAY))
    with HistoryStore.open(tmp_path, read_only=True) as store:
        assert store.next_day_checks() == []
        with pytest.raises(StoreReadOnlyError):
            store.record_next_day(NextDayCheck(MONDAY, AT, WORSE, 6))
        with pytest.raises(StoreReadOnlyError):
            store.record_progression_choice(ProgressionChoice("plank", 4, HOLD))


def test_a_file_from_before_the_pain_answers_is_migrated_with_its_sessions(tmp_path):
    path = tmp_path / "history.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for number in range(1, len(migrations.MIGRATIONS)):      # every step but the last
        migrations.apply(conn, number)
    conn.execute("INSERT INTO sessions (routine_id, routine_name, fingerprint, kind,"
                 " local_date, started_at, utc_offset_min, status, share, pain_after)"
                 " VALUES ('r', 'R', 'f', 'phase', '2026-05-04', '2026-05-04T18:00:00+02:00',"
                 " 120, 'completed', 1, 4)")
    conn.close()
    with open_store(tmp_path) as store:
        (old,) = store.all_sessions()
        assert (old.pain_after, old.pain_lasted) == (4, None)
        assert store.next_day_checks() == [] and store.progression_choices() == []


def test_the_csv_export_names_the_fifteen_minute_flag(store, tmp_path):
    sid = begin(store, datetime(2026, 5, 4, 18, 30, tzinfo=PLUS2), pain_before=3)
    store.set_feedback(sid, pain_after=4, pain_lasted=True)
    write_csv(tmp_path / "h.csv", store.all_sessions())
    with open(tmp_path / "h.csv", encoding=CSV_ENCODING, newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert (row["Pain flag"], row["Pain flag reason"]) == (
        "yes", "pain more than light for longer than 15 minutes")
