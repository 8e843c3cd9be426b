"""The home screen's plan: the right week and phase, estimates, and what is done."""

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.core.today import today

LIB = load_library([Path(__file__).resolve().parents[2] / "routines"],
                   asset_roots=[Path(__file__).resolve().parents[2] / "assets"])
PROGRAM = LIB.programs["lower-back-8-weeks"]


def record(day: date, routine: str, share: float, kind="phase") -> SessionRecord:
    start = datetime(day.year, day.month, day.day, 18, tzinfo=timezone.utc)
    return SessionRecord(1, routine, routine, "f", kind, None, day, start, start, "completed",
                         share)


def test_three_weeks_after_the_start_it_is_week_four_phase_two():
    day = date(2026, 11, 23)  # a Monday
    cal = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, day - timedelta(weeks=3)))
    plan = today(cal, LIB, [], day)
    assert plan.heading == "Week 4 of 8 \u00b7 Phase 2: Strength"
    labels = [i.label for i in plan.items]
    assert labels == ["Phase session", "Morning block", "Midday block", "Evening block"]
    assert plan.next_item.routine.id == "phase-2-strength"


def test_done_sessions_are_marked_and_the_next_one_moves_on():
    day = date(2026, 11, 23)
    cal = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, day))
    records = [record(day, "phase-1-foundation", 1.0), record(day, "daily-morning", 0.5,
                                                              "daily")]
    plan = today(cal, LIB, records, day)
    done = {i.routine.id: i.done for i in plan.items}
    assert done["phase-1-foundation"] == 1.0 and done["daily-morning"] == 0.5
    assert plan.next_item.routine.id == "daily-morning"


def test_estimates_follow_the_weeks_progressions():
    start = date(2026, 1, 5)
    cal = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, start))
    week3 = today(cal, LIB, [], start + timedelta(weeks=2)).items[0].estimate
    week6 = today(cal, LIB, [], start + timedelta(weeks=5)).items[0].estimate
    assert week6 > week3  # the plank hold has grown


def test_before_the_start_it_says_when():
    start = date(2026, 12, 7)
    cal = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, start))
    plan = today(cal, LIB, [], date(2026, 12, 1))
    assert plan.items == () and plan.heading == "The program starts on Monday 07 December"


def test_a_phase_session_missed_earlier_this_week_is_offered_today_and_counts_for_its_day():
    monday = date(2026, 11, 23)
    cal = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, monday, (0, 2, 4), ()))
    tuesday = monday + timedelta(days=1)
    plan = today(cal, LIB, [], tuesday)
    catch_up = [i for i in plan.items if i.planned_on is not None]
    assert [(i.routine.id, i.planned_on, i.status) for i in catch_up] == [
        ("phase-1-foundation", monday, "from Mon 23 Nov")]
    assert plan.next_item is catch_up[0]
    # Done on Tuesday, it is Monday's session: nothing is left to catch up.
    done = [record(tuesday, "phase-1-foundation", 1.0)]
    assert [i for i in today(cal, LIB, done, tuesday).items if i.planned_on] == []


def test_a_session_planned_today_but_done_earlier_in_the_week_shows_as_moved():
    monday = date(2026, 11, 23)
    cal = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, monday, (0, 2, 4), ()))
    # Monday's and Wednesday's both done on Monday.
    done = [record(monday, "phase-1-foundation", 1.0), record(monday, "phase-1-foundation", 1.0)]
    plan = today(cal, LIB, done, monday + timedelta(days=2))
    item = plan.items[0]
    assert item.moved_to == monday and item.done == 1.0
    assert item.status == "moved to Mon 23 Nov"
    assert plan.next_item is None
