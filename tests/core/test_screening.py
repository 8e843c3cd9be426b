"""The red-flag rules: tiers, the emergency lock and its later-day unlock, the weekly check."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.screening import (
    EventKind,
    ScreeningLocked,
    ScreeningState,
    Verdict,
    after_check,
    after_clearance,
    after_screening,
    answered_event,
    can_clear,
    check_due,
    emergency_flags,
    verdict,
)

SAFETY = m.Safety.model_validate({
    "disclaimer": "Not medical advice.",
    "red_flags": [
        {"id": "saddle", "tier": "emergency", "question": "Numb saddle?", "advice": "Today."},
        {"id": "bladder", "tier": "emergency", "question": "Bladder?", "advice": "Today."},
        {"id": "leg-pain", "tier": "see-doctor", "question": "Leg pain?", "advice": "Doctor."},
        {"id": "fever", "question": "Fever?", "advice": "Doctor."},
    ],
})
MON = date(2026, 11, 23)


def screened(yes=(), cleared=False, day=MON) -> ScreeningState:
    return after_screening(ScreeningState(), SAFETY, yes, cleared, day)


def test_a_flag_without_a_tier_is_a_see_a_doctor_sign():
    assert [f.id for f in emergency_flags(SAFETY)] == ["saddle", "bladder"]
    assert SAFETY.red_flags[3].tier is m.RedFlagTier.SEE_DOCTOR


def test_the_most_urgent_answer_decides():
    assert verdict(SAFETY, []) is Verdict.CLEAR
    assert verdict(SAFETY, ["fever"]) is Verdict.SEE_DOCTOR
    assert verdict(SAFETY, ["fever", "bladder"]) is Verdict.EMERGENCY
    assert verdict(SAFETY, ["gone-from-the-file"]) is Verdict.CLEAR


def test_no_yes_passes_at_once():
    state = screened()
    assert state.passed and not state.locked
    assert state.checked_on == MON


def test_a_see_a_doctor_sign_is_cleared_by_the_persons_word_at_once():
    assert not screened(["leg-pain"]).passed            # "not now"
    state = screened(["leg-pain"], cleared=True)
    assert state.passed and state.cleared_on == MON


def test_an_emergency_yes_locks_and_a_tick_does_not_unlock_it():
    state = screened(["saddle", "fever"], cleared=True)
    assert state.locked and not state.passed
    assert state.emergency_on == MON and state.emergency_yes == {"saddle"}
    assert state.cleared_on is None


def test_an_emergency_cannot_be_cleared_the_same_day():
    state = screened(["bladder"])
    assert not can_clear(state, MON)
    with pytest.raises(ScreeningLocked):
        after_clearance(state, MON)
    assert state.clearable_from == MON + timedelta(days=1)


def test_an_emergency_is_cleared_on_a_later_day_by_the_confirmation():
    state = screened(["bladder", "leg-pain"])
    assert can_clear(state, MON + timedelta(days=1))
    cleared = after_clearance(state, MON + timedelta(days=3))
    assert cleared.passed and not cleared.locked
    assert cleared.cleared_on == MON + timedelta(days=3)
    # What was answered stays on record.
    assert cleared.yes == {"bladder", "leg-pain"}


def test_a_clock_set_back_does_not_open_the_lock():
    state = screened(["bladder"])
    assert not can_clear(state, MON - timedelta(days=5))


def test_answering_again_cannot_undo_an_open_emergency():
    state = screened(["saddle"])
    with pytest.raises(ScreeningLocked):
        after_screening(state, SAFETY, [], False, MON)
    with pytest.raises(ScreeningLocked):
        after_screening(state, SAFETY, [], False, MON + timedelta(days=4))


def test_a_check_that_finds_an_emergency_locks_and_none_only_dates_the_check():
    state = screened()
    later = MON + timedelta(days=8)
    fine = after_check(state, SAFETY, [], later)
    assert fine.passed and fine.checked_on == later
    # A see-a-doctor id is not asked in the check, and does not count in it.
    assert after_check(state, SAFETY, ["fever"], later).passed
    locked = after_check(state, SAFETY, ["bladder"], later)
    assert locked.locked and locked.emergency_on == later and not locked.passed
    assert not can_clear(locked, later)
    assert after_clearance(locked, later + timedelta(days=1)).passed


def test_the_check_is_due_at_the_first_session_of_each_program_week():
    start = date(2026, 11, 25)                  # a Wednesday: weeks run Wednesday-Tuesday
    state = screened(day=date(2026, 11, 24))
    assert check_due(state, SAFETY, date(2026, 11, 25), start)        # week 1 began since
    state = after_check(state, SAFETY, [], date(2026, 11, 25))
    assert not check_due(state, SAFETY, date(2026, 11, 25), start)    # once a week
    assert not check_due(state, SAFETY, date(2026, 12, 1), start)     # Tuesday, week 1
    assert check_due(state, SAFETY, date(2026, 12, 2), start)         # Wednesday, week 2
    # A week missed altogether: the next session asks.
    assert check_due(state, SAFETY, date(2026, 12, 20), start)


def test_without_a_program_the_check_comes_every_seven_days():
    state = screened()
    assert not check_due(state, SAFETY, MON + timedelta(days=6), None)
    assert check_due(state, SAFETY, MON + timedelta(days=7), None)
    assert check_due(ScreeningState(), SAFETY, MON, None)


def test_no_check_without_emergency_questions_or_while_locked():
    plain = SAFETY.model_copy(update={"red_flags": SAFETY.red_flags[2:]})
    assert not check_due(screened(), plain, MON + timedelta(days=30), None)
    assert not check_due(screened(["saddle"]), SAFETY, MON + timedelta(days=30), None)


def test_events_keep_the_signs_in_words():
    at = datetime(2026, 11, 23, 9, 0, tzinfo=timezone(timedelta(hours=1)))
    event = answered_event(EventKind.SCREENING, SAFETY, ["fever", "saddle"], at)
    assert event.flags == ("saddle", "fever") and event.emergency
    assert "Numb saddle?" in event.detail and "Fever?" in event.detail
    check = answered_event(EventKind.CHECK, SAFETY, [], at)
    assert check.flags == () and not check.emergency
    assert check.detail == "No to all 2 urgent signs."
    assert check.local_date == MON


def test_the_history_tells_whether_an_emergency_is_still_open():
    from backrehab_gui.core.screening import SafetyEvent, open_emergency

    at = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
    yes = SafetyEvent(at, EventKind.CHECK, ("bladder",), emergency=True)
    again = SafetyEvent(at + timedelta(hours=2), EventKind.SCREENING, ("saddle",),
                        emergency=True)
    cleared = SafetyEvent(at + timedelta(days=1), EventKind.EMERGENCY_CLEARED)
    fine = SafetyEvent(at + timedelta(days=8), EventKind.CHECK)
    assert open_emergency([]) is None
    assert open_emergency([again, yes]) == yes          # the first one, whatever the order
    assert open_emergency([yes, again, cleared, fine]) is None
    later = SafetyEvent(at + timedelta(days=9), EventKind.CHECK, ("saddle",), emergency=True)
    assert open_emergency([yes, cleared, later]) == later
