"""The next-day check (when to ask) and flags over time (open or settled, by week)."""

from datetime import date, datetime, timedelta, timezone

from backrehab_gui.core import model as m
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.next_day import (
    BETTER,
    SAME,
    WORSE,
    NextDayCheck,
    due_check,
    session_names,
)
from backrehab_gui.core.pain import RISE
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.core.setbacks import (
    check_text,
    dose_history,
    flag_events,
    flags_by_week,
    open_flag,
)

MONDAY = date(2026, 3, 2)
UTC = timezone.utc


def rec(day, kind="phase", share=1.0, before=None, after=None, hour=9, name="Foundation",
        lasted=None) -> SessionRecord:
    at = datetime(day.year, day.month, day.day, hour, tzinfo=UTC)
    return SessionRecord(1, "r", name, "f" * 16, kind, None, day, at, None, "completed",
                         share, before, after, pain_lasted=lasted)


def answer(about, kind, pain=None, days=1, hour=8) -> NextDayCheck:
    at = datetime(about.year, about.month, about.day, hour, tzinfo=UTC) + timedelta(days=days)
    return NextDayCheck(about, at, kind, pain)


TUESDAY = MONDAY + timedelta(days=1)


def test_asked_the_day_after_a_session_day_once():
    records = [rec(MONDAY)]
    assert due_check(records, [], TUESDAY) == MONDAY
    assert due_check(records, [answer(MONDAY, SAME)], TUESDAY) is None
    # A skip counts as asked.
    assert due_check(records, [answer(MONDAY, None)], TUESDAY) is None
    # Not on the day itself, and not two days later: it is a next-day question.
    assert due_check(records, [], MONDAY) is None
    assert due_check(records, [], MONDAY + timedelta(days=2)) is None


def test_only_real_sessions_make_a_session_day():
    # Daily blocks alone, or a session stopped before anything was done, do not.
    assert due_check([rec(MONDAY, "daily")], [], TUESDAY) is None
    assert due_check([rec(MONDAY, share=0.0)], [], TUESDAY) is None
    assert due_check([rec(MONDAY, "extra", 0.3)], [], TUESDAY) == MONDAY
    assert due_check([rec(MONDAY, "maintenance")], [], TUESDAY) == MONDAY


def test_not_asked_once_a_session_has_started_today():
    # The moment to compare with "before the last session" has passed.
    assert due_check([rec(MONDAY), rec(TUESDAY, "daily")], [], TUESDAY) is None


def test_the_session_names_of_the_day():
    records = [rec(MONDAY, name="Foundation"), rec(MONDAY, "daily", name="Morning"),
               rec(MONDAY, "extra", name="Walk", hour=18), rec(MONDAY, name="Foundation")]
    assert session_names(records, MONDAY) == ["Foundation", "Walk"]


def test_flags_come_from_sessions_and_worse_answers_in_time_order():
    records = [rec(MONDAY, before=2, after=5), rec(MONDAY + timedelta(days=2), before=2,
                                                   after=2)]
    checks = [answer(MONDAY, WORSE, 6), answer(MONDAY + timedelta(days=2), BETTER, 1)]
    events = flag_events(records, checks)
    assert [(e.reason, e.text) for e in events] == [
        (RISE, "Mon 2 Mar: pain 2 to 5 in Foundation"),
        (WORSE, "the day after Mon 2 Mar: worse, 6 of 10")]
    assert check_text(answer(MONDAY, None)) == "the day after Mon 2 Mar: skipped"
    assert flag_events([rec(MONDAY, before=1, after=9)], [])[0].text == \
        "Mon 2 Mar: pain 9 of 10 after in Foundation"
    assert "more than light for over 15 minutes" in flag_events(
        [rec(MONDAY, before=1, after=2, lasted=True)], [])[0].text


def test_a_flag_belongs_to_the_week_of_the_session_it_is_about():
    program = m.Program.model_validate({
        "id": "p", "name": "P", "phases": [{"id": "one", "name": "One", "weeks": "1-4",
                                            "sessions": [{"routine": "r", "per_week": 3}]}]})
    cal = ProgramCalendar(program, Enrolment("p", MONDAY))
    sunday = MONDAY + timedelta(days=6)
    # Answered on Monday of week 2, about Sunday of week 1: a week-1 flag.
    events = flag_events([], [answer(sunday, WORSE, 5)])
    assert flags_by_week(cal, events) == {1: ("the day after Sun 8 Mar: worse, 5 of 10",)}
    history = dose_history(cal, [], [answer(sunday, WORSE, 5)])
    assert history.flags == {1: ("the day after Sun 8 Mar: worse, 5 of 10",)}
    assert history.nominal(3) == 3


def test_a_flag_stays_open_until_something_shows_the_back_settled():
    flagged = rec(MONDAY, before=2, after=5)
    end = MONDAY + timedelta(days=6)
    assert open_flag([flagged], [], MONDAY, end).text.startswith("Mon 2 Mar")
    # A later session without a flag, with pain after given, settles it...
    assert open_flag([flagged, rec(TUESDAY, before=3, after=3)], [], MONDAY, end) is None
    # ...one without a pain score does not, nor does an earlier one.
    assert open_flag([rec(MONDAY, hour=7, before=1, after=1), flagged, rec(TUESDAY)], [],
                     MONDAY, end) is not None
    # "Better" or "the same" the day after settles it; "worse" is a flag of its own.
    assert open_flag([flagged], [answer(MONDAY, SAME)], MONDAY, end) is None
    still = open_flag([flagged], [answer(MONDAY, WORSE, 6)], MONDAY, end)
    assert still.reason == WORSE
    # Flags about days outside the range are not looked at.
    assert open_flag([flagged], [], TUESDAY, end) is None
