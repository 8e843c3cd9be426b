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
from backrehab_gui.infra.salvage_checks import Values, check_next_day, check_override, checked
from backrehab_gui.infra.store import HistoryStore, StoreReadOnlyError

from .test_salvage import ENROLMENT, START, build, edit_page, index_root, started
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


def test_a_damaged_history_keeps_its_pain_answers(tmp_path):
    build(tmp_path, crash=False)
    with open_store(tmp_path) as store:
        sid = store.all_sessions()[-1].id
        store.set_feedback(sid, pain_lasted=True)
        store.record_next_day(NextDayCheck(MONDAY, AT, WORSE, 6))
        store.record_next_day(NextDayCheck(MONDAY + timedelta(days=1), AT + timedelta(days=1),
                                           None))
        store.record_progression_choice(ProgressionChoice("plank", 5, STEP_BACK))
        store._conn.close()                      # a crash: the full check runs next time
    path = tmp_path / "history.sqlite3"
    edit_page(path, index_root(path, "sessions_by_date"), b"2026-05-10" + started(6),
              b"2026-05-19" + started(6))
    with open_store(tmp_path) as store:
        report = store.salvage
        assert report is not None and (report.next_day, report.choices) == (2, 1)
        assert report.lost == {}
        assert "2 next-day answers and 1 progression choice" in store.recovery_message
        assert store.enrolment() == ENROLMENT
        assert store.next_day_checks() == [
            NextDayCheck(MONDAY, AT, WORSE, 6),
            NextDayCheck(MONDAY + timedelta(days=1), AT + timedelta(days=1), None)]
        assert store.progression_choices() == [ProgressionChoice("plank", 5, STEP_BACK)]
        lasted = {s.started_at: s.pain_lasted for s in store.all_sessions()}
        assert lasted[START + timedelta(days=6)] is True
        assert list(lasted.values()).count(None) == 6


def test_the_rescue_checks_each_pain_answer():
    values = Values()
    good = ("2026-05-04", AT.isoformat(), "worse", 12)
    assert checked({1: good}, lambda r: check_next_day(r, values)) == \
        ([("2026-05-04", AT.isoformat(), "worse", None)], 0)      # the bad score is emptied
    assert values.cleared == 1
    bad = {1: ("2026-5-4", AT.isoformat(), "worse", 3), 2: ("2026-05-04", "yesterday", None, 3),
           3: ("2026-05-04", AT.isoformat(), "awful", 3)}
    assert checked(bad, lambda r: check_next_day(r, values)) == ([], 3)
    fine = (1, 1, "plank", 5, "hold", AT.isoformat())
    assert checked({1: fine}, check_override) == ([fine], 0)
    bad = {1: (1, 1, "plank", 0, "hold", AT.isoformat()),
           2: (1, 1, "plank", 5, "jump", AT.isoformat()), 3: (1, 1, "", 5, "hold", "x")}
    assert checked(bad, check_override) == ([], 3)
