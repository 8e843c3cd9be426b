"""Pain flags around a session and the weekly pain trend."""

from datetime import date, datetime, timedelta, timezone

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.pain import (
    HIGH,
    LASTING,
    MODERATE_NOTE,
    RISE,
    after_session,
    check,
    easier_variants,
    flagged,
    record_flag,
    valid,
    weekly_pain,
)
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar

START = date(2026, 1, 28)


def rec(day, before=None, after=None, routine="s1", lasted=None) -> SessionRecord:
    started = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
    return SessionRecord(1, routine, routine, "f" * 16, "phase", None, day, started, None,
                         "completed", 1.0, before, after, pain_lasted=lasted)


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
    for lasted in (None, False, True):
        for before in values:
            for after in values:
                record = rec(START, before, after, lasted=lasted)
                assert flagged(record) == (check(before, after, lasted) is not None), \
                    (before, after, lasted)
                assert (record_flag(record) is not None) == flagged(record)


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


# --- The tiers after a session -------------------------------------------------------------

EASIER = [("Plank", "Knee plank"), ("Glute bridge march", "Glute bridge")]


def test_pain_more_than_light_for_fifteen_minutes_is_the_strongest_flag():
    flag = check(2, 3, lasted=True)
    assert flag.reason == LASTING
    assert "longer than 15 minutes" in flag.message and "stop" in flag.message
    assert "see a doctor or physiotherapist before your next session" in flag.message
    assert check(2, 8, lasted=True).reason == LASTING  # named before the high score
    assert check(None, None, lasted=True).reason == LASTING  # pain after skipped
    assert check(2, 3, lasted=False) is None


def test_a_flag_names_the_sessions_easier_variants():
    flag = check(2, 5, easier=EASIER)
    assert ("Easier variants in this session: Knee plank instead of Plank; Glute bridge "
            "instead of Glute bridge march.") in flag.message
    assert "Easier variants" not in check(2, 5).message


def test_moderate_pain_after_gets_a_softer_note_with_the_easier_variants():
    note = after_session(3, 4, easier=EASIER)
    assert note is not None and not note.flag and note.reason == MODERATE_NOTE
    assert note.message.startswith("Your back is at 4 out of 10 after this session: more "
                                   "than light. If one exercise brought it on, use its "
                                   "easier variant next time: Knee plank instead of Plank; "
                                   "Glute bridge instead of Glute bridge march.")
    assert note.message.endswith("Some soreness that has settled by tomorrow is fine.")
    assert after_session(5, 6, easier=EASIER).reason == MODERATE_NOTE  # 6: still the note
    assert "fewer repetitions or a shorter hold" in after_session(None, 5).message


def test_the_tiers_in_order_flag_note_nothing():
    assert after_session(2, 3) is None            # light: nothing to say
    assert after_session(3, 3) is None
    assert after_session(None, None) is None
    assert after_session(2, 4).flag and after_session(2, 4).reason == RISE  # a rise of 2
    assert after_session(4, 5).reason == MODERATE_NOTE
    assert after_session(6, 7).reason == HIGH
    assert after_session(3, 4, lasted=True).reason == LASTING


def test_easier_variants_name_each_exercise_once_in_order():
    def ex(ident, name, easier=()):
        return m.Exercise.model_validate({
            "id": ident, "name": name, "category": "core", "position": "on-back",
            "steps": ["Do it"], "key_cue": "Breathe", "why": "It helps", "dose": {"hold": 20},
            "easier": list(easier)})

    lib = {"plank": ex("plank", "Plank", ["knee-plank"]),
           "knee-plank": ex("knee-plank", "Knee plank"), "cat": ex("cat", "Cat", ["gone"])}
    assert easier_variants(["cat", "plank", "unknown", "plank", "knee-plank"], lib) == \
        [("Plank", "Knee plank")]


def test_a_lasting_answer_counts_in_the_weekly_flags():
    cal = calendar()
    (week,) = weekly_pain(cal, [rec(START, 2, 3, lasted=True)])
    assert week.flagged == 1
