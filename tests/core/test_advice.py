"""End-of-phase advice: move on or repeat a week, and when to ask."""

from datetime import date, datetime, timedelta, timezone

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.advice import (
    ADHERENCE,
    FLAG,
    PAIN,
    UNKNOWN,
    due_advice,
    phase_advice,
)
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.next_day import SAME, WORSE, NextDayCheck
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar

MONDAY = date(2026, 1, 5)
END_OF_ONE = MONDAY + timedelta(days=13)  # Sunday of week 2


def program(pain_not_rising=True, **extra) -> m.Program:
    return m.Program.model_validate({
        "id": "p", "name": "P",
        "phases": [
            {"id": "one", "name": "Foundation", "weeks": "1-2",
             "sessions": [{"routine": "s1", "per_week": 3}],
             "advance": {"adherence": 80, "pain_not_rising": pain_not_rising}},
            {"id": "two", "name": "Strength", "weeks": "3-4",
             "sessions": [{"routine": "s2", "per_week": 3}]},
        ],
        "daily": [{"block": "morning", "routine": "am"}],
        **extra,
    })


def calendar(enrolment=None, **extra) -> ProgramCalendar:
    return ProgramCalendar(program(**extra), enrolment or Enrolment("p", MONDAY, (0, 2, 4)))


def rec(day, routine="s1", share=1.0, before=None, after=None) -> SessionRecord:
    started = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
    return SessionRecord(1, routine, routine, "f" * 16, "phase", None, day, started, None,
                         "completed", share, before, after)


def sessions(cal, weeks, skip=(), after=None, routine="s1"):
    """Phase sessions (Mon, Wed, Fri) in the given calendar weeks; pain after by week in
    ``after`` (2 before), or 2 before and after every session when ``after`` is None."""
    out = []
    for week in weeks:
        for offset in (0, 2, 4):
            day = cal.week_start(week) + timedelta(days=offset)
            if day not in skip:
                pain = 2 if after is None else after.get(week)
                out.append(rec(day, routine, before=None if pain is None else 2, after=pain))
    return out


def test_move_on_with_adherence_at_target_and_pain_not_rising():
    cal = calendar()
    advice = phase_advice(cal, sessions(cal, [1, 2], after={1: 3, 2: 3}), "one", END_OF_ONE)
    assert advice.move_on and advice.unmet == ()
    assert advice.adherence == pytest.approx(100.0) and advice.target == 80
    assert (advice.pain_first_week, advice.pain_last_week) == (3.0, 3.0)
    assert "ready to move on to Strength" in advice.message
    assert "your choice" in advice.message


def test_daily_blocks_do_not_count_towards_the_phase_adherence():
    cal = calendar()  # the morning block is planned every day and never done here
    assert phase_advice(cal, sessions(cal, [1, 2]), "one", END_OF_ONE).move_on


def test_repeat_suggested_when_adherence_is_below_target():
    cal = calendar()
    missed = {MONDAY, MONDAY + timedelta(days=2)}
    advice = phase_advice(cal, sessions(cal, [1, 2], skip=missed), "one", END_OF_ONE)
    assert not advice.move_on and advice.unmet == (ADHERENCE,)
    assert advice.adherence == pytest.approx(4 / 6 * 100)
    assert "Repeating a week of Foundation" in advice.message
    assert "You did 66% of your Foundation sessions; the aim is 80%." in advice.message


def test_pain_rising_by_one_point_on_average_suggests_a_repeat():
    cal = calendar()
    advice = phase_advice(cal, sessions(cal, [1, 2], after={1: 2, 2: 3}), "one", END_OF_ONE)
    assert advice.pain_rising and advice.unmet == (PAIN,) and not advice.move_on
    assert "went up from 2.0 to 3.0" in advice.message
    assert "physiotherapist or doctor" in advice.message
    # Half a point is not a rise: week 2 has pain after 3 and 2 (mean 2.5) against 2.
    records = sessions(cal, [1], after={1: 2}) + [
        rec(MONDAY + timedelta(days=7), before=2, after=3),
        rec(MONDAY + timedelta(days=9), before=2, after=2),
        rec(MONDAY + timedelta(days=11))]
    assert phase_advice(cal, records, "one", END_OF_ONE).move_on


def test_a_flagged_session_in_the_last_week_counts_as_rising():
    cal = calendar()
    records = sessions(cal, [1, 2], after={1: 3, 2: 3})
    records.append(rec(MONDAY + timedelta(days=10), "walk", before=1, after=4))
    advice = phase_advice(cal, records, "one", END_OF_ONE)
    assert advice.flagged_last_week == 1 and advice.pain_rising and not advice.move_on
    assert "A session in the last week left you with more pain." in advice.message
    # A flag in the first week does not.
    early = sessions(cal, [1, 2], after={1: 3, 2: 3}) + [rec(MONDAY, "walk", 0.0, 1, 4)]
    assert phase_advice(cal, early, "one", END_OF_ONE).move_on


def test_both_conditions_named_when_both_fail():
    cal = calendar()
    records = sessions(cal, [1, 2], skip={MONDAY, MONDAY + timedelta(days=2)},
                       after={1: 1, 2: 4})
    advice = phase_advice(cal, records, "one", END_OF_ONE)
    # Every session of week 2 rose by 2 points, so the last flag is still open too.
    assert advice.unmet == (ADHERENCE, PAIN, FLAG)
    assert "the aim is 80%" in advice.message and "went up from" in advice.message
    assert "Nothing since the last flag (Fri 16 Jan: pain 2 to 4 in s1)" in advice.message


def test_pain_is_ignored_when_the_phase_does_not_require_it():
    cal = calendar(pain_not_rising=False)
    advice = phase_advice(cal, sessions(cal, [1, 2], after={1: 1, 2: 5}), "one", END_OF_ONE)
    assert advice.move_on and advice.pain_rising and not advice.pain_required
    assert "take it gently" in advice.message


def test_sessions_still_to_come_are_not_held_against_anyone():
    cal = calendar()
    friday_week2 = MONDAY + timedelta(days=11)
    records = sessions(cal, [1]) + sessions(cal, [2], skip={friday_week2})
    advice = phase_advice(cal, records, "one", friday_week2 - timedelta(days=1))
    assert advice.adherence == pytest.approx(100.0) and advice.move_on


def test_after_a_repeat_only_the_repeated_weeks_are_judged():
    enrolment = Enrolment("p", MONDAY, (0, 2, 4)).with_repeat("one", 1)
    cal = calendar(enrolment)
    records = sessions(cal, [1], skip={MONDAY}) + sessions(cal, [3])  # week 2 missed
    advice = phase_advice(cal, records, "one", MONDAY + timedelta(days=20))
    assert advice.judged_weeks == (3, 3) and advice.adherence == pytest.approx(100.0)
    assert advice.move_on


def test_the_last_phase_moves_on_to_maintenance_or_finishes():
    end_of_two = MONDAY + timedelta(days=27)
    cal = calendar()
    advice = phase_advice(cal, sessions(cal, [3, 4], routine="s2"), "two", end_of_two)
    assert advice.move_on and advice.next_name is None and "finish the program" in advice.message
    cal = calendar(maintenance={"sessions": [{"routine": "keep", "per_week": 2}]})
    advice = phase_advice(cal, sessions(cal, [3, 4], routine="s2"), "two", end_of_two)
    assert "move on to maintenance" in advice.message


def test_no_sessions_due_yet_is_not_a_reason_to_move_on():
    cal = calendar()
    advice = phase_advice(cal, [], "two", MONDAY)
    assert not advice.move_on and advice.adherence is None
    assert "No Strength sessions were due yet." in advice.message


def test_an_unknown_phase_is_an_error():
    with pytest.raises(KeyError, match="nope"):
        phase_advice(calendar(), [], "nope", MONDAY)


def test_advice_is_due_in_the_last_two_days_and_the_first_days_after():
    cal = calendar()
    assert due_advice(cal, END_OF_ONE - timedelta(days=2)) is None
    assert due_advice(cal, END_OF_ONE - timedelta(days=1)) == "one"
    assert due_advice(cal, END_OF_ONE) == "one"
    assert due_advice(cal, END_OF_ONE + timedelta(days=3)) == "one"
    assert due_advice(cal, END_OF_ONE + timedelta(days=4)) is None
    assert due_advice(cal, END_OF_ONE, decided={"one"}) is None
    assert due_advice(cal, MONDAY + timedelta(days=27)) == "two"
    assert due_advice(cal, MONDAY + timedelta(days=27), days_before=0) is None


def test_after_a_repeat_the_question_comes_at_the_new_end():
    cal = calendar(Enrolment("p", MONDAY, (0, 2, 4)).with_repeat("one", 1))
    assert due_advice(cal, END_OF_ONE) is None
    assert due_advice(cal, END_OF_ONE + timedelta(days=7)) == "one"


# --- Pain steering: open flags, next-day answers, too few pain answers ---------------------

def answer(about, kind, pain=None, hour=8):
    """A next-day answer about ``about``, given the next morning."""
    at = datetime(about.year, about.month, about.day, hour, tzinfo=timezone.utc) + \
        timedelta(days=1)
    return NextDayCheck(about, at, kind, pain)


def test_a_worse_next_day_answer_in_the_last_week_holds_the_phase_back():
    cal = calendar()
    records = sessions(cal, [1, 2])
    friday = MONDAY + timedelta(days=11)
    advice = phase_advice(cal, records, "one", END_OF_ONE, [answer(friday, WORSE, 5)])
    assert not advice.move_on and advice.unmet == (PAIN, FLAG)
    assert advice.worse_last_week == 1
    assert "The day after a session in the last week your back was worse." in advice.message
    assert "the day after Fri 16 Jan: worse, 5 of 10" in advice.message
    # "Better" or "the same" the day after is fine.
    assert phase_advice(cal, records, "one", END_OF_ONE, [answer(friday, SAME, 2)]).move_on
    # A worse answer about the first week does not count against the last.
    early = [answer(MONDAY, WORSE, 4)]
    assert phase_advice(cal, records, "one", END_OF_ONE, early).move_on


def test_a_flag_stays_open_until_an_answer_shows_the_back_settled():
    cal = calendar()
    friday = MONDAY + timedelta(days=11)
    records = sessions(cal, [1, 2], skip={friday}) + [rec(friday, before=2, after=5)]
    advice = phase_advice(cal, records, "one", END_OF_ONE)
    assert advice.unmet == (PAIN, FLAG) and advice.open_flag == "Fri 16 Jan: pain 2 to 5 in s1"
    # The next day's "same" settles it; the flag in the last week still counts as rising.
    advice = phase_advice(cal, records, "one", END_OF_ONE, [answer(friday, SAME, 3)])
    assert advice.unmet == (PAIN,) and advice.open_flag is None
    # A later session without a flag settles it too.
    later = records + [rec(friday + timedelta(days=1), "walk", before=3, after=3)]
    assert phase_advice(cal, later, "one", END_OF_ONE).open_flag is None


def test_pain_more_than_light_for_15_minutes_flags_the_session():
    cal = calendar()
    friday = MONDAY + timedelta(days=11)
    records = sessions(cal, [1, 2], skip={friday})
    lasted = rec(friday, before=3, after=4)
    records.append(SessionRecord(*[getattr(lasted, f) for f in (
        "id", "routine_id", "routine_name", "fingerprint", "kind", "block", "local_date",
        "started_at", "ended_at", "status", "share", "pain_before", "pain_after")],
        pain_lasted=True))
    advice = phase_advice(cal, records, "one", END_OF_ONE)
    assert advice.flagged_last_week == 1 and FLAG in advice.unmet
    assert "pain more than light for over 15 minutes" in advice.open_flag


def test_too_few_pain_answers_says_so_instead_of_advising_to_move_on():
    cal = calendar()
    # Pain after only in the first week: the last week cannot be compared.
    advice = phase_advice(cal, sessions(cal, [1, 2], after={1: 2}), "one", END_OF_ONE)
    assert not advice.move_on and advice.unmet == (UNKNOWN,) and advice.lacks_pain
    assert advice.rated == 3
    assert advice.message.startswith("BackRehab cannot tell yet whether your back is ready: "
                                     "3 sessions in Foundation had a pain score after them")
    assert "ready to move on" not in advice.message
    assert "you can move on to Strength or repeat a week" in advice.message
    # One score in each week is still too few (3 are needed).
    records = sessions(cal, [1, 2], after={}) + [rec(MONDAY, before=2, after=2),
                                                 rec(MONDAY + timedelta(days=7), "walk",
                                                     before=2, after=2)]
    advice = phase_advice(cal, records, "one", END_OF_ONE)
    assert advice.unmet == (UNKNOWN,) and advice.rated == 2
    # With three, one in each end week, it is enough.
    records.append(rec(MONDAY + timedelta(days=9), "walk", before=2, after=2))
    assert phase_advice(cal, records, "one", END_OF_ONE).move_on
    # Missed sessions and too few answers: both are named.
    advice = phase_advice(cal, sessions(cal, [1], after={}), "one", END_OF_ONE)
    assert advice.unmet == (ADHERENCE, UNKNOWN)
    assert "too few pain scores" in advice.message


def test_a_phase_that_does_not_ask_about_pain_moves_on_without_scores():
    cal = calendar(pain_not_rising=False)
    advice = phase_advice(cal, sessions(cal, [1, 2], after={}), "one", END_OF_ONE)
    assert advice.move_on and advice.lacks_pain
    assert "No pain scores were recorded, so only your sessions were counted." in \
        advice.message
