"""Pain flags around a session and the weekly pain trend."""

from datetime import date, datetime, timedelta, timezone

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.pain import HIGH, RISE, check, flagged, record_flag, valid, weekly_pain
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar

START = date(2026, 1, 28)


def rec(day, before=None, after=None, routine="s1") -> SessionRecord:
    started = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
    return SessionRecord(1, routine, routine, "f" * 16, "phase", None, day, started, None,
                         "completed", 1.0, before, after)


def calendar() -> ProgramCalendar:
    p = m.Program.model_validate({
        "id": "p", "name": "P",
        "phases": [{"id": "one", "name": "One", "weeks": "1-2",
                    "sessions": [{"routine": "s1", "per_week": 3}]}],
    })
    return ProgramCalendar(p, Enrolment("p", START))


def test_a_rise_of_two_points_is_flagged_one_point_is_not():
    flag = check(3, 5)
    assert flag is not None and flag.reason == RISE
    assert "from 3 to 5" in flag.message
    assert check(3, 4) is None
    assert check(5, 5) is None and check(6, 2) is None


def test_seven_or_more_after_is_flagged_whatever_the_rise():
    assert check(7, 7).reason == HIGH
    assert check(9, 7).reason == HIGH
    assert check(5, 8).reason == HIGH  # both rules: the higher concern is named
    assert check(0, 6).reason == RISE
    assert check(6, 6) is None


def test_with_a_score_missing_only_the_high_rule_applies():
    assert check(None, 6) is None
    assert check(None, 7).reason == HIGH
    assert check(2, None) is None
    assert check(None, None) is None


def test_messages_say_what_to_do_plainly():
    for flag in (check(2, 5), check(None, 8)):
        assert "easier variant" in flag.message
        assert "physiotherapist or doctor" in flag.message
        assert "medical advice" in flag.message
        assert "!" not in flag.message


def test_scores_outside_the_scale_are_refused_by_check_and_ignored_in_records():
    with pytest.raises(ValueError, match="0 to 10"):
        check(3, 11)
    with pytest.raises(ValueError, match="pain before"):
        check(-1, 3)
    assert valid(True) is None and valid(3.0) is None and valid(10) == 10
    assert not flagged(rec(START, -5, 4))
    assert flagged(rec(START, 99, 7))
    assert record_flag(rec(START, 99, 2)) is None


def test_flagged_agrees_with_check_everywhere():
    values = [None, *range(0, 11)]
    for before in values:
        for after in values:
            assert flagged(rec(START, before, after)) == (check(before, after) is not None), \
                (before, after)
            assert (record_flag(rec(START, before, after)) is not None) == \
                flagged(rec(START, before, after))


def test_weekly_pain_means_per_program_week():
    cal = calendar()
    records = [
        rec(START, 2, 3), rec(START + timedelta(days=2), 4, 5),  # week 1
        rec(START + timedelta(days=7), None, None),  # week 2: no scores
        rec(START + timedelta(days=20), 3, None),  # week 3: before only
        rec(START + timedelta(days=22), 3, 7),  # week 4: flagged
    ]
    weeks = weekly_pain(cal, records)
    assert [w.week for w in weeks] == [1, 2, 3, 4]
    assert (weeks[0].before, weeks[0].after, weeks[0].rated) == (3.0, 4.0, 2)
    assert (weeks[1].before, weeks[1].after, weeks[1].rated) == (None, None, 0)
    assert (weeks[2].before, weeks[2].after) == (3.0, None)
    assert weeks[3].flagged == 1 and weeks[0].flagged == 0
    assert weeks[1].first == date(2026, 2, 4)  # across the month end
    assert [w.week for w in weekly_pain(cal, records, 2, 6)] == [2, 3, 4, 5, 6]
    assert weekly_pain(cal, []) == ()
