"""Movement-sensitive swaps: exercises that move the spine a way that hurts are replaced."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.core.swaps import format_sensitive, parse_sensitive, swapped
from backrehab_gui.core.today import routine_for_day, today
from backrehab_gui.infra.routines import load_for_app, with_bundled

FORWARD = frozenset({m.SpineMove.BEND_FORWARD})
TWIST = frozenset({m.SpineMove.TWIST})


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    return load_for_app(tmp_path_factory.mktemp("data"))


def ids(routine: m.Routine) -> list[str]:
    return [item.exercise for item in routine.exercises]


def test_the_guides_flexion_exercises_are_tagged_with_a_neutral_alternative(lib):
    for ident in ("childs-pose", "cat-cow", "knee-to-chest", "hip-90-90-stretch"):
        exercise = lib.exercises[ident]
        assert m.SpineMove.BEND_FORWARD in exercise.spine_moves, ident
        assert lib.exercises[exercise.neutral_instead].spine_moves == []
    assert lib.exercises["seated-spinal-rotation"].spine_moves == [m.SpineMove.TWIST]


def test_forward_bending_swaps_the_morning_block(lib):
    morning, swaps = swapped(lib.routines["daily-morning"], lib.exercises, FORWARD)
    assert ids(morning) == ["draw-in-manoeuvre", "diaphragmatic-breathing",
                            "standing-pelvic-tilt"]
    assert [s.exercise for s in swaps] == ["cat-cow", "childs-pose"]
    # The swap takes its own dose and none of the other exercise's cues.
    assert morning.exercises[1].dose is None and morning.exercises[1].cues == []
    assert swaps[1].describe(lib.exercises) == (
        "Diaphragmatic (belly) breathing instead of Child's pose (bending forward makes "
        "your pain worse)") or "instead of Child's pose" in swaps[1].describe(lib.exercises)


def test_no_sensitivity_changes_nothing(lib):
    routine = lib.routines["daily-morning"]
    assert swapped(routine, lib.exercises, frozenset()) == (routine, [])


def test_twisting_swaps_the_seated_rotation_only(lib):
    midday, swaps = swapped(lib.routines["daily-midday"], lib.exercises, TWIST)
    assert ids(midday) == ["wall-sit", "doorway-chest-stretch", "standing-pelvic-tilt"]
    assert len(swaps) == 1


def test_today_says_what_was_swapped_and_why(lib):
    program = lib.programs["lower-back-8-weeks"]
    calendar = ProgramCalendar(program, Enrolment(program.id, date(2026, 1, 5), (0, 2, 4)))
    plan = today(calendar, lib, [], date(2026, 1, 6), FORWARD)
    morning = next(i for i in plan.items if i.planned.block is m.Block.MORNING)
    assert "draw-in-manoeuvre" in ids(morning.routine)
    assert morning.note.startswith("Swapped: ")
    assert "bending forward makes your pain worse" in morning.note
    # Every routine of the first twelve weeks is free of forward bending.
    for offset in range(12 * 7):
        day_plan = calendar.day(date(2026, 1, 5) + timedelta(days=offset))
        for planned in day_plan.sessions:
            routine, _ = routine_for_day(lib, day_plan, planned, FORWARD)
            bends = [i.exercise for i in routine.exercises
                     if m.SpineMove.BEND_FORWARD in lib.exercises[i.exercise].spine_moves]
            assert bends == [], (day_plan.day, routine.id)


def test_answers_are_stored_as_words_and_read_back():
    both = frozenset({m.SpineMove.TWIST, m.SpineMove.BEND_FORWARD})
    assert format_sensitive(both) == "bend-forward,twist"
    assert parse_sensitive("bend-forward,twist,nonsense") == both
    assert parse_sensitive("") == frozenset()


def test_a_spine_moving_exercise_needs_a_still_alternative(tmp_path):
    bad = tmp_path / "mine.yaml"
    bad.write_text("""format: 1
exercises:
  - id: my-twist
    name: My twist
    category: mobility
    position: sitting
    steps: [Turn.]
    key_cue: Turn gently
    why: It loosens the back.
    dose: {reps: 5}
    spine_moves: [twist]
  - id: my-other-twist
    name: My other twist
    category: mobility
    position: sitting
    steps: [Turn.]
    key_cue: Turn gently
    why: It loosens the back.
    dose: {reps: 5}
    spine_moves: [twist]
    neutral_instead: seated-spinal-rotation
""", encoding="utf-8")
    lib = load_library(with_bundled([bad]))
    messages = [p.message for p in lib.problems]
    assert any("needs a neutral_instead" in msg for msg in messages), messages
    assert any("'seated-spinal-rotation' moves the spine too (twist)" in msg
               for msg in messages), messages
