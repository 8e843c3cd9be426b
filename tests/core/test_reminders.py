"""Reminders and sitting breaks: every rule with plain datetimes, no clock, no Qt."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.reminder_times import (
    ReminderSettings,
    local_at,
    parse_hhmm,
    quiet,
    seconds_until,
)
from backrehab_gui.core.reminders import (
    MISSED_GRACE,
    Reminder,
    next_reminders,
    pick_due,
    plan_reminders,
    snooze,
)
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.core.sitting import SittingTimer
from backrehab_gui.infra.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")
START = date(2026, 1, 5)  # a Monday
MONDAY = date(2026, 1, 12)  # week 2, a session day
TUESDAY = date(2026, 1, 13)  # no session


def at(day: date, hour: int, minute: int = 0, second: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, second, tzinfo=BERLIN)


def calendar(start: date = START) -> ProgramCalendar:
    program = m.Program.model_validate({
        "id": "p", "name": "P",
        "phases": [{"id": "one", "name": "One", "weeks": "1-8",
                    "sessions": [{"routine": "s1", "per_week": 3}]}],
        "daily": [{"block": "morning", "routine": "am"},
                  {"block": "midday", "routine": "mid"},
                  {"block": "evening", "routine": "pm"}],
    })
    return ProgramCalendar(program, Enrolment("p", start, (0, 2, 4)))


def record(routine_id: str, day: date, *, block: str | None = None, share: float = 1.0,
           kind: str = "daily") -> SessionRecord:
    started = at(day, 7, 40)
    return SessionRecord(1, routine_id, routine_id, "f", kind, block, day, started,
                         started + timedelta(minutes=5), "completed", share)


def times(reminders) -> list[tuple[str, str, str]]:
    return [(r.at.strftime("%a %H:%M"), r.kind, r.routine_id) for r in reminders]


# --- Blocks and sessions ------------------------------------------------------------


def test_a_session_day_reminds_each_block_and_the_session_at_their_times():
    found = next_reminders(Settings(), calendar(), set(), at(MONDAY, 6, 0))
    today = [r for r in found if r.at.date() == MONDAY]
    assert times(today) == [("Mon 07:30", "block", "am"), ("Mon 12:30", "block", "mid"),
                            ("Mon 18:00", "session", "s1"), ("Mon 19:00", "block", "pm")]
    assert today[0].title == "Morning block"
    assert today[0].block is m.Block.MORNING
    assert today[2].title == "Phase session"


def test_reminders_cover_tomorrow_too_and_only_what_is_still_ahead():
    found = next_reminders(Settings(), calendar(), set(), at(MONDAY, 19, 30))
    assert times(found) == [("Tue 07:30", "block", "am"), ("Tue 12:30", "block", "mid"),
                            ("Tue 19:00", "block", "pm")]


def test_the_phase_session_is_reminded_only_on_session_days():
    found = next_reminders(Settings(), calendar(), set(), at(TUESDAY, 6, 0))
    assert [r for r in found if r.kind == "session" and r.at.date() == TUESDAY] == []
    wednesday = [r for r in found if r.at.date() == TUESDAY + timedelta(days=1)]
    assert [r.kind for r in wednesday] == ["block", "block", "session", "block"]


def test_a_done_block_or_session_is_not_reminded():
    found = next_reminders(Settings(), calendar(), {"am", "s1"}, at(MONDAY, 6, 0))
    today = [r.routine_id for r in found if r.at.date() == MONDAY]
    assert today == ["mid", "pm"]
    # What is done today does not make tomorrow's reminders go away.
    assert "am" in [r.routine_id for r in found if r.at.date() == TUESDAY]


def test_records_count_a_block_done_with_another_routine_and_even_partly():
    records = [record("daily-stretch", MONDAY, block="morning", share=0.4),
               record("s1", MONDAY - timedelta(days=2), kind="phase")]  # another day
    found = next_reminders(Settings(), calendar(), records, at(MONDAY, 6, 0))
    today = [r.routine_id for r in found if r.at.date() == MONDAY]
    assert today == ["mid", "s1", "pm"]


def test_an_empty_time_turns_that_reminder_off():
    settings = Settings(remind_midday="", remind_session="")
    found = next_reminders(settings, calendar(), set(), at(MONDAY, 6, 0))
    assert [r.routine_id for r in found if r.at.date() == MONDAY] == ["am", "pm"]


def test_reminders_disabled_means_none_at_all():
    settings = Settings(reminders_enabled=False)
    sitting = SittingTimer(at(MONDAY, 9, 0))
    assert next_reminders(settings, calendar(), set(), at(MONDAY, 9, 0), sitting=sitting) == []
    assert plan_reminders(settings, None, set(), at(MONDAY, 9, 0)).due == ()


def test_before_the_program_starts_only_sitting_breaks_come():
    later = calendar(start=date(2026, 2, 2))
    sitting = SittingTimer(at(MONDAY, 9, 0))
    found = next_reminders(Settings(), later, set(), at(MONDAY, 9, 0), sitting=sitting)
    assert times(found) == [("Mon 09:25", "sitting", "sitting-break")]


def test_without_an_enrolment_the_default_daily_blocks_are_reminded_and_no_session():
    found = next_reminders(Settings(), None, {"daily-midday"}, at(MONDAY, 6, 0),
                           names={"daily-morning": "Morning mobility"})
    today = [r for r in found if r.at.date() == MONDAY]
    assert [r.routine_id for r in today] == ["daily-morning", "daily-evening"]
    assert today[0].text == "Time for your morning block: Morning mobility."


# --- Quiet hours -------------------------------------------------------------------


def test_quiet_hours_may_cross_midnight():
    settings = Settings(quiet_start="22:00", quiet_end="07:00")
    assert quiet(settings, at(MONDAY, 23, 30))
    assert quiet(settings, at(MONDAY, 3, 0))
    assert quiet(settings, at(MONDAY, 22, 0))
    assert not quiet(settings, at(MONDAY, 7, 0))
    assert not quiet(settings, at(MONDAY, 21, 59))
    assert not quiet(Settings(quiet_start="", quiet_end="07:00"), at(MONDAY, 3, 0))
    assert not quiet(Settings(quiet_start="07:00", quiet_end="07:00"), at(MONDAY, 7, 0))


def test_a_reminder_in_quiet_hours_moves_to_their_end_on_the_same_day():
    settings = Settings(remind_morning="06:30", quiet_start="22:00", quiet_end="07:00")
    found = next_reminders(settings, calendar(), set(), at(MONDAY, 5, 0))
    assert times(found)[0] == ("Mon 07:00", "block", "am")


def test_a_reminder_whose_quiet_hours_end_the_next_day_is_dropped():
    settings = Settings(remind_evening="23:00", quiet_start="22:00", quiet_end="07:00")
    found = next_reminders(settings, calendar(), set(), at(MONDAY, 20, 0))
    assert [r for r in found if r.at.date() == MONDAY] == []
    assert [r.routine_id for r in found if r.at.date() == TUESDAY] == ["am", "mid"]


def test_daytime_quiet_hours_move_a_reminder_to_their_end():
    settings = Settings(remind_midday="13:30", quiet_start="13:00", quiet_end="14:00")
    found = next_reminders(settings, calendar(), set(), at(MONDAY, 8, 0))
    assert ("Mon 14:00", "block", "mid") in times(found)


# --- Pause -------------------------------------------------------------------------


def test_paused_today_silences_everything_until_midnight():
    settings = Settings(reminders_paused_on=MONDAY.isoformat())
    sitting = SittingTimer(at(MONDAY, 9, 0))
    found = next_reminders(settings, calendar(), set(), at(MONDAY, 9, 0), sitting=sitting)
    assert found and all(r.at.date() == TUESDAY for r in found)
    assert times(found)[0] == ("Tue 07:25", "sitting", "sitting-break")
    # A pause on another day changes nothing today.
    other = Settings(reminders_paused_on=TUESDAY.isoformat())
    assert {r.at.date() for r in next_reminders(other, calendar(), set(),
                                                at(MONDAY, 6, 0))} == {MONDAY}


# --- Snooze ------------------------------------------------------------------------


def block_reminder(day: date = MONDAY, hour: int = 19) -> Reminder:
    return Reminder(at(day, hour), "block", "pm", "Evening block", "Time.", m.Block.EVENING)


def test_snooze_comes_back_after_the_minutes_asked():
    again = snooze(block_reminder(), 10, at(MONDAY, 19, 2), Settings())
    assert again.at == at(MONDAY, 19, 12)
    assert (again.kind, again.routine_id, again.block, again.day) == (
        "block", "pm", m.Block.EVENING, MONDAY)


def test_snooze_respects_quiet_hours_and_the_pause():
    settings = Settings(quiet_start="21:00", quiet_end="22:00")
    assert snooze(block_reminder(), 10, at(MONDAY, 20, 55), settings).at == at(MONDAY, 22, 0)
    overnight = Settings(quiet_start="21:00", quiet_end="07:00")
    assert snooze(block_reminder(), 10, at(MONDAY, 20, 55), overnight) is None
    paused = Settings(reminders_paused_on=MONDAY.isoformat())
    assert snooze(block_reminder(), 10, at(MONDAY, 19, 0), paused) is None
    # A block belongs to its day: a snooze past midnight is dropped.
    assert snooze(block_reminder(), 30, at(MONDAY, 23, 50), Settings(quiet_start="")) is None
    with pytest.raises(ValueError):
        snooze(block_reminder(), 0, at(MONDAY, 19, 0))


def test_a_snoozed_reminder_is_planned_until_its_block_is_done():
    again = snooze(block_reminder(), 10, at(MONDAY, 19, 2), Settings())
    plan = plan_reminders(Settings(), calendar(), set(), at(MONDAY, 19, 3), snoozed=[again])
    assert plan.next == again
    done = plan_reminders(Settings(), calendar(), {"pm"}, at(MONDAY, 19, 3), snoozed=[again])
    assert again not in done.upcoming


# --- Due and missed ----------------------------------------------------------------


def test_due_holds_what_fell_between_since_and_now():
    plan = plan_reminders(Settings(), calendar(), set(), at(MONDAY, 12, 30),
                          since=at(MONDAY, 7, 0))
    assert times(plan.due) == [("Mon 07:30", "block", "am"), ("Mon 12:30", "block", "mid")]
    assert plan.next.routine_id == "s1"
    assert plan.wake_at == at(MONDAY, 18, 0)


def test_only_the_latest_missed_reminder_within_the_grace_is_shown():
    plan = plan_reminders(Settings(), calendar(), set(), at(MONDAY, 13, 0),
                          since=at(MONDAY, 7, 0))
    assert pick_due(plan.due, at(MONDAY, 13, 0)).routine_id == "mid"
    late = at(MONDAY, 12, 30) + MISSED_GRACE + timedelta(minutes=1)
    plan = plan_reminders(Settings(), calendar(), set(), late, since=at(MONDAY, 7, 0))
    assert pick_due(plan.due, late) is None
    assert pick_due((), late) is None


def test_at_the_same_moment_a_session_wins_over_a_block():
    session = Reminder(at(MONDAY, 19), "session", "s1", "Phase session", "")
    assert pick_due([block_reminder(), session], at(MONDAY, 19, 1)) == session


def test_wake_at_is_midnight_when_nothing_is_left_today():
    plan = plan_reminders(Settings(), calendar(), set(), at(MONDAY, 19, 30))
    assert plan.wake_at == at(TUESDAY, 0, 0)


# --- Sitting breaks ----------------------------------------------------------------


def test_a_sitting_break_is_offered_after_the_set_minutes():
    timer = SittingTimer(at(MONDAY, 9, 0))
    found = next_reminders(Settings(sitting_break_minutes=30), None, set(),
                           at(MONDAY, 9, 10), sitting=timer)
    assert times(found)[0] == ("Mon 09:30", "sitting", "sitting-break")
    assert found[0].title == "Time to stand up"
    assert timer.due_at(0) is None
    assert next_reminders(Settings(sitting_break_minutes=0), None, set(), at(MONDAY, 9, 10),
                          sitting=timer)[0].kind == "block"


def test_any_session_resets_the_sitting_count_and_none_is_offered_during_it():
    timer = SittingTimer(at(MONDAY, 9, 0))
    timer.session_started(at(MONDAY, 9, 20))
    assert timer.due_at(25) is None
    timer.session_ended(at(MONDAY, 9, 35))
    assert timer.due_at(25) == at(MONDAY, 10, 0)
    timer.break_taken(at(MONDAY, 9, 50))
    assert timer.due_at(25) == at(MONDAY, 10, 15)


def test_snoozing_a_sitting_break_postpones_it_and_an_offer_restarts_the_count():
    timer = SittingTimer(at(MONDAY, 9, 0))
    timer.snooze(at(MONDAY, 9, 25), 10)
    assert timer.due_at(25) == at(MONDAY, 9, 35)
    timer.offered(at(MONDAY, 9, 35))
    assert timer.due_at(25) == at(MONDAY, 10, 0)


def test_being_away_restarts_the_sitting_count():
    timer = SittingTimer(at(MONDAY, 9, 0))
    timer.activity(at(MONDAY, 9, 10), idle_seconds=60)
    assert timer.due_at(25) == at(MONDAY, 9, 25)
    timer.activity(at(MONDAY, 9, 20), idle_seconds=400)
    assert timer.due_at(25) == at(MONDAY, 9, 45)
    timer.away(at(MONDAY, 11, 0))
    assert timer.due_at(25) == at(MONDAY, 11, 25)


def test_an_overdue_break_not_offered_yet_is_due_now():
    timer = SittingTimer(at(MONDAY, 9, 0))
    now = at(MONDAY, 9, 40)
    plan = plan_reminders(Settings(), None, set(), now, since=at(MONDAY, 9, 30), sitting=timer)
    # Due at 09:25, before what was looked at (09:30), and never offered: it comes now.
    assert [(r.kind, r.at) for r in plan.due] == [("sitting", now)]
    plan = plan_reminders(Settings(), None, set(), now, sitting=timer)
    assert plan.next.kind == "sitting" and plan.next.at == now


def test_sitting_breaks_wait_for_the_end_of_quiet_hours_and_count_from_there():
    settings = Settings(quiet_start="22:00", quiet_end="07:00", sitting_break_minutes=25)
    timer = SittingTimer(at(MONDAY, 21, 50))
    found = next_reminders(settings, None, set(), at(MONDAY, 21, 55), sitting=timer)
    sitting = [r for r in found if r.kind == "sitting"]
    assert sitting[0].at == at(TUESDAY, 7, 25)
    # The next morning, with the same old count, the break still waits its full period.
    found = next_reminders(settings, None, set(), at(TUESDAY, 7, 5), sitting=timer)
    assert [r.at for r in found if r.kind == "sitting"] == [at(TUESDAY, 7, 25)]


# --- Settings ----------------------------------------------------------------------


def test_settings_are_read_from_the_app_settings_and_bad_times_count_as_off():
    rs = ReminderSettings.of(Settings(remind_morning="7:5x", sitting_break_minutes=40,
                                      reminders_paused_on="not a date"))
    assert rs.block_times[m.Block.MORNING] is None
    assert rs.block_times[m.Block.EVENING] == time(19, 0)
    assert rs.sitting_minutes == 40
    assert rs.paused_on is None
    assert ReminderSettings.of(rs) is rs
    assert parse_hhmm("24:00") is None and parse_hhmm("07:30") == time(7, 30)


def test_times_must_be_aware():
    with pytest.raises(ValueError):
        Reminder(datetime(2026, 1, 1, 7, 30), "block", "am", "t", "x")
    with pytest.raises(ValueError):
        next_reminders(Settings(), None, set(), datetime(2026, 1, 1, 7, 30))
    with pytest.raises(ValueError):
        Reminder(at(MONDAY, 7), "nag", "am", "t", "x")


# --- Daylight saving ---------------------------------------------------------------


def test_on_the_spring_change_a_0730_reminder_is_at_0730_local():
    day = date(2026, 3, 29)  # clocks go from 02:00 to 03:00 in Berlin
    now = at(day, 0, 30)
    found = next_reminders(Settings(), None, set(), now)
    first = found[0]
    assert first.at.strftime("%H:%M %z") == "07:30 +0200"
    assert seconds_until(first.at, now) == 6 * 3600  # one hour less than the wall clock says


def test_on_the_autumn_change_a_0730_reminder_is_at_0730_local():
    day = date(2026, 10, 25)  # clocks go from 03:00 back to 02:00
    now = at(day, 0, 30)
    first = next_reminders(Settings(), None, set(), now)[0]
    assert first.at.strftime("%H:%M %z") == "07:30 +0100"
    assert seconds_until(first.at, now) == 8 * 3600


def test_a_time_skipped_by_the_change_comes_an_hour_later():
    moved = local_at(date(2026, 3, 29), time(2, 30), BERLIN)
    assert moved.strftime("%H:%M %z") == "03:30 +0200"


def test_a_sitting_break_across_the_change_counts_real_minutes():
    day = date(2026, 3, 29)
    timer = SittingTimer(datetime(2026, 3, 29, 1, 50, tzinfo=BERLIN))
    due = timer.due_at(25)
    assert due.strftime("%H:%M %z") == "03:15 +0200"
    assert seconds_until(due, timer.since) == 25 * 60
    assert due.date() == day
