"""Clocks and zones: a session belongs to the local date it started on, whatever happens."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.core.today import today
from backrehab_gui.infra.paths import assets, bundled_routines
from backrehab_gui.infra.store import HistoryStore

BERLIN = ZoneInfo("Europe/Berlin")
LIB = load_library([bundled_routines()], asset_roots=[assets()])
PROGRAM = LIB.programs["lower-back-8-weeks"]


def record(store, started: datetime, ended: datetime) -> int:
    sid = store.begin_session("daily-evening", "Evening", "f", "daily", "evening", started)
    result = ExerciseResult(0, "dead-bug", "Dead bug", "done", 60.0, 1, 1, 10, 10, (), 1.0)
    store.record_exercise(sid, result, ended)
    store.finish_session(sid, Summary("daily-evening", "Evening", (result,), True, 60.0, 1.0),
                         ended)
    return sid


def test_a_late_evening_session_on_the_night_clocks_change_stays_on_its_day(tmp_path):
    # Clocks go forward at 02:00 on Sunday 29 March 2026 in Berlin.
    store = HistoryStore.open(tmp_path)
    start = datetime(2026, 3, 29, 23, 40, tzinfo=BERLIN)  # already summer time, +02:00
    sid = record(store, start, start + timedelta(minutes=25))  # ends after midnight
    saved = store.session(sid)
    assert saved.local_date == date(2026, 3, 29)
    assert store.sessions_between(date(2026, 3, 30), date(2026, 3, 30)) == []
    cal = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, date(2026, 3, 23)))
    plan = today(cal, LIB, [saved], date(2026, 3, 29))
    # Week 1's evening block is the no-band one; a session recorded as the evening
    # block counts for it whatever routine was done.
    evening = next(i for i in plan.items if i.planned.block is not None
                   and i.planned.block.value == "evening")
    assert evening.done == 1.0 and plan.plan.week == 1
    assert today(cal, LIB, [saved], date(2026, 3, 30)).plan.week == 2


def test_travelling_to_another_zone_keeps_each_session_on_its_own_local_date(tmp_path):
    store = HistoryStore.open(tmp_path)
    home = datetime(2026, 5, 4, 22, 30, tzinfo=timezone(timedelta(hours=2)))
    away = datetime(2026, 5, 4, 19, 0, tzinfo=timezone(timedelta(hours=-4)))  # later in UTC
    record(store, home, home + timedelta(minutes=10))
    record(store, away, away + timedelta(minutes=10))
    both = store.sessions_between(date(2026, 5, 4), date(2026, 5, 4))
    assert [s.started_at for s in both] == [home, away]  # ordered by the real instant
    assert all(s.local_date == date(2026, 5, 4) for s in both)


def test_a_clock_moved_back_mid_session_loses_nothing(tmp_path):
    store = HistoryStore.open(tmp_path)
    start = datetime(2026, 6, 1, 19, 0, tzinfo=timezone.utc)
    sid = record(store, start, start - timedelta(hours=1))  # the clock jumped back an hour
    saved = store.session(sid)
    assert saved.status == "completed" and saved.local_date == date(2026, 6, 1)
    assert len(saved.results) == 1
