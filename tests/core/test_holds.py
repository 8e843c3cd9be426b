"""Progressions as Today and the report show them: the dose given, and why it differs."""

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.holds import dose_rows, progress_lines
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.next_day import WORSE, NextDayCheck
from backrehab_gui.core.progression import HOLD, RESUME, STEP_BACK, ProgressionChoice
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.core.setbacks import dose_history
from backrehab_gui.core.today import today

ROOT = Path(__file__).resolve().parents[2]
LIB = load_library([ROOT / "routines"], asset_roots=[ROOT / "assets"])
PROGRAM = LIB.programs["lower-back-8-weeks"]
START = date(2026, 1, 5)  # a Monday
CAL = ProgramCalendar(PROGRAM, Enrolment(PROGRAM.id, START))


def day(week: int, offset: int = 0) -> date:
    return START + timedelta(weeks=week - 1, days=offset)


def worse_about(about: date) -> NextDayCheck:
    at = datetime(about.year, about.month, about.day, 8, tzinfo=timezone.utc) + \
        timedelta(days=1)
    return NextDayCheck(about, at, WORSE, 5)


def session(on: date, before: int, after: int) -> SessionRecord:
    at = datetime(on.year, on.month, on.day, 18, tzinfo=timezone.utc)
    return SessionRecord(1, "phase-2-strength", "Phase 2: Strength", "f", "phase", None, on,
                         at, None, "completed", 1.0, before, after)


def lines(history, on):
    return {line.exercise: line for line in progress_lines(CAL, LIB, history, on)}


def test_no_progression_line_before_the_plank_is_in_the_routines():
    assert lines(dose_history(CAL, [], []), day(2)) == {}


def test_the_plank_line_says_when_it_will_grow_and_how_it_grew():
    history = dose_history(CAL, [], [])
    plank = lines(history, day(3))["plank"]
    assert plank.text == ("Plank: 2 x hold 20s this week. It goes up 5s every week from the "
                          "program's week 4.")
    assert plank.back_to is None and not plank.paused
    plank = lines(history, day(4))["plank"]
    assert plank.text == "Plank: 2 x hold 25s this week, up from 2 x hold 20s."
    assert plank.back_to == "2 x hold 20s"


def test_a_worse_answer_in_week_three_holds_week_four_and_today_says_why():
    checks = [worse_about(day(3, 2))]
    history = dose_history(CAL, [], checks)
    plank = lines(history, day(4))["plank"]
    assert plank.given == "2 x hold 20s"
    assert plank.text == ("Plank: 2 x hold 20s this week. It stays here instead of 2 x hold "
                          "25s: the week before had a flag (the day after Wed 21 Jan: worse, "
                          "5 of 10). It goes up again after a week without one.")
    # Today's estimate uses the dose given: shorter than the plan's.
    planned = today(CAL, LIB, [], day(4)).items[0].estimate
    held = today(CAL, LIB, [], day(4), history=history).items[0].estimate
    assert planned - held == 10  # two sets of 5 s less


def test_holding_resuming_and_stepping_back_show_on_today():
    hold = ProgressionChoice("plank", 5, HOLD)     # pressed in week 4, from week 5
    history = dose_history(CAL, [], [], [hold])
    assert lines(history, day(4))["plank"].text.endswith(
        "you are holding it here from next week.")
    assert lines(history, day(4))["plank"].paused
    assert lines(history, day(6))["plank"].text == ("Plank: 2 x hold 25s this week. You are "
                                                    "holding it here (the plan says 2 x hold "
                                                    "35s).")
    resumed = dose_history(CAL, [], [], [hold, ProgressionChoice("plank", 7, RESUME)])
    assert not lines(resumed, day(6))["plank"].paused
    assert lines(resumed, day(6))["plank"].text.endswith(
        "You held it here; it goes up again from next week.")
    assert lines(resumed, day(7))["plank"].given == "2 x hold 30s"
    back = dose_history(CAL, [], [], [ProgressionChoice("plank", 5, STEP_BACK)])
    assert lines(back, day(5))["plank"].text == ("Plank: 2 x hold 25s this week: you stepped "
                                                 "it back from 2 x hold 30s.")
    assert lines(back, day(6))["plank"].text == ("Plank: 2 x hold 25s this week. You are "
                                                 "holding it here (the plan says 2 x hold "
                                                 "35s).")


def test_the_report_rows_list_the_dose_given_and_why_week_by_week():
    records = [session(day(3, 2), 3, 6)]   # a rise of 3 in week 3
    history = dose_history(CAL, records, [], [ProgressionChoice("plank", 6, STEP_BACK)])
    rows = dose_rows(CAL, LIB, history, 1, 6)
    assert [(r.week, r.planned, r.given) for r in rows] == [
        (3, "2 x hold 20s", "2 x hold 20s"), (4, "2 x hold 25s", "2 x hold 20s"),
        (5, "2 x hold 30s", "2 x hold 25s"), (6, "2 x hold 35s", "2 x hold 25s")]
    assert rows[0].why == ""
    assert rows[1].why == ("held: the week before had a flag (Wed 21 Jan: pain 3 to 6 in "
                           "Phase 2: Strength)")
    assert rows[2].why == "a step held earlier has not been made up yet"
    assert rows[3].why == "you stepped it back"
    assert dose_rows(CAL, LIB, history, 5, 5)[0].week == 5
