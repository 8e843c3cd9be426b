"""Which week and phase a day is in, and what it plans."""

from datetime import date, timedelta

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.schedule import (
    default_session_days,
    parse_weekdays,
    plan_day,
    plan_days,
    program_week,
)


def program(**extra) -> m.Program:
    return m.Program.model_validate({
        "id": "p", "name": "P",
        "phases": [
            {"id": "one", "name": "One", "weeks": "1-2",
             "sessions": [{"routine": "s1", "per_week": 3}]},
            {"id": "two", "name": "Two", "weeks": "3-6",
             "sessions": [{"routine": "s2", "per_week": 2}, {"routine": "s2b", "per_week": 1}]},
        ],
        "daily": [{"block": "morning", "routine": "am"}, {"block": "evening", "routine": "pm"}],
        **extra,
    })


def test_weeks_count_in_sevens_from_the_start_across_month_ends():
    start = date(2026, 1, 28)
    assert program_week(start, start) == 1
    assert program_week(start, date(2026, 2, 3)) == 1
    assert program_week(start, date(2026, 2, 4)) == 2
    assert program_week(start, date(2026, 1, 27)) == 0


def test_phase_sessions_fall_on_their_weekdays_and_daily_blocks_every_day():
    start = date(2026, 1, 5)  # a Monday
    days = plan_days(program(), start, start, 7)
    phase_days = [d.day.weekday() for d in days if any(s.kind == "phase" for s in d.sessions)]
    assert phase_days == [0, 2, 4]
    assert all([s.block for s in d.sessions if s.kind == "daily"] ==
               [m.Block.MORNING, m.Block.EVENING] for d in days)


def test_phase_two_rotates_its_sessions_over_chosen_days():
    start = date(2026, 1, 5)
    week3 = plan_days(program(), start, start + timedelta(weeks=2), 7, (1, 3, 5))
    routines = [s.routine_id for d in week3 for s in d.sessions if s.kind == "phase"]
    assert sorted(routines) == ["s2", "s2", "s2b"]
    assert week3[0].phase.id == "two" and week3[0].phase_number == 2


def test_after_the_last_week_comes_maintenance():
    p = program(maintenance={"sessions": [{"routine": "keep", "per_week": 2}]})
    day = plan_day(p, date(2026, 1, 5), date(2026, 1, 5) + timedelta(weeks=6, days=1))
    assert day.week == 7 and day.maintenance and day.phase is None
    assert [s.routine_id for s in day.sessions if s.kind == "maintenance"] == ["keep"]


def test_before_the_start_nothing_is_planned():
    day = plan_day(program(), date(2026, 1, 5), date(2026, 1, 1))
    assert not day.started and day.sessions == ()


def test_weekday_parsing():
    assert parse_weekdays("mon,wed,fri") == (0, 2, 4)
    assert parse_weekdays("Tuesday, thu") == (1, 3)
    with pytest.raises(ValueError, match="not a weekday"):
        parse_weekdays("mon,funday")
    assert default_session_days(3) == (0, 2, 4)


def test_repeating_a_phase_moves_later_phases_back_and_keeps_dose_weeks():
    from backrehab_gui.core.schedule import Enrolment, ProgramCalendar

    start = date(2026, 1, 5)
    cal = ProgramCalendar(program(), Enrolment("p", start).with_repeat("one", 1))
    assert cal.total_weeks == 7
    week3 = cal.day(start + timedelta(weeks=2))
    assert week3.phase.id == "one" and week3.repeating and week3.program_week == 2
    week4 = cal.day(start + timedelta(weeks=3))
    assert week4.phase.id == "two" and week4.program_week == 3 and not week4.repeating
    assert cal.phase_span("two") == (4, 7)
    after = cal.day(start + timedelta(weeks=7))
    assert after.maintenance and after.week == 8


def test_back_dated_start_gives_the_right_week_today():
    from backrehab_gui.core.schedule import Enrolment, ProgramCalendar

    today = date(2026, 3, 18)
    cal = ProgramCalendar(program(), Enrolment("p", today - timedelta(weeks=3)))
    plan = cal.day(today)
    assert plan.week == 4 and plan.phase.id == "two" and plan.phase_number == 2


def test_chosen_blocks_only():
    from backrehab_gui.core.schedule import Enrolment, ProgramCalendar

    start = date(2026, 1, 5)
    cal = ProgramCalendar(program(), Enrolment("p", start, (1,), blocks=(m.Block.EVENING,)))
    monday, tuesday = cal.day(start), cal.day(start + timedelta(days=1))
    assert [s.routine_id for s in monday.sessions] == ["pm"]
    assert [s.routine_id for s in tuesday.sessions] == ["s1", "pm"]
