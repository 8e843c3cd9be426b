"""Routines compile to the steps a person goes through, with honest durations."""

from backrehab_gui.core import model as m
from backrehab_gui.core.timeline import (
    SELF_PACED_REP,
    SWITCH_SIDES,
    StepKind,
    WorkKind,
    compile_routine,
)


def ex(ident: str, dose: dict) -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": ident.title(), "category": "core", "position": "on-back",
        "steps": ["Do it"], "key_cue": "Breathe", "why": "It helps", "dose": dose,
    })


def routine(*items: dict, **extra) -> m.Routine:
    return m.Routine.model_validate({"id": "r", "name": "R", "exercises": list(items), **extra})


def kinds(timeline):
    return [s.kind for s in timeline.steps]


def test_a_hold_with_sets_rests_between_sets_but_not_after_the_last():
    lib = {"wall-sit": ex("wall-sit", {"hold": 30, "sets": 3, "rest": 20})}
    t = compile_routine(routine({"exercise": "wall-sit"}), lib, prepare=10)
    assert kinds(t) == [StepKind.PREPARE, StepKind.WORK, StepKind.REST, StepKind.WORK,
                        StepKind.REST, StepKind.WORK, StepKind.DONE]
    assert [s.duration for s in t.steps] == [10, 30, 20, 30, 20, 30, 0]
    assert [s.set_number for s in t.steps if s.kind is StepKind.WORK] == [1, 2, 3]
    assert t.estimate == 10 + 3 * 30 + 2 * 20


def test_both_sides_go_left_then_right_with_a_switch():
    lib = {"stretch": ex("stretch", {"hold": "2 min", "sides": "both", "sets": 2})}
    t = compile_routine(routine({"exercise": "stretch"}, rest_between_sets=15), lib, prepare=0)
    work = [(s.kind, s.side, s.set_number) for s in t.steps]
    assert work == [
        (StepKind.WORK, "left", 1), (StepKind.SWITCH, "right", 1), (StepKind.WORK, "right", 1),
        (StepKind.REST, None, 1),
        (StepKind.WORK, "left", 2), (StepKind.SWITCH, "right", 2), (StepKind.WORK, "right", 2),
        (StepKind.DONE, None, 1),
    ]
    assert t.estimate == 4 * 120 + 2 * SWITCH_SIDES + 15


def test_guided_reps_with_a_hold_are_timed_per_rep_and_alternating_doubles_them():
    lib = {"bird-dog": ex("bird-dog", {"reps": 10, "hold": 3, "sides": "alternating"})}
    t = compile_routine(routine({"exercise": "bird-dog"}), lib, prepare=0)
    work = t.steps[0]
    assert work.work is WorkKind.GUIDED_REPS and work.phases == (2, 3, 2)
    assert work.count == 10 and work.total_reps == 20
    assert work.duration == 20 * 7


def test_self_paced_reps_are_open_with_an_estimate():
    lib = {"tilt": ex("tilt", {"reps": "8-12", "target": 10})}
    work = compile_routine(routine({"exercise": "tilt"}), lib, prepare=0).steps[0]
    assert work.work is WorkKind.REPS and work.is_open and work.count == 10
    assert work.estimate == 10 * SELF_PACED_REP


def test_range_without_target_counts_to_the_low_end():
    lib = {"tilt": ex("tilt", {"reps": "8-12", "tempo": {"up": 1, "down": 1}})}
    work = compile_routine(routine({"exercise": "tilt"}), lib, prepare=0).steps[0]
    assert work.count == 8 and work.duration == 16


def test_breaths_activity_and_open_hold():
    lib = {
        "cat-cow": ex("cat-cow", {"breaths": "5-10", "target": 8, "inhale": 3, "exhale": 5}),
        "walk": ex("walk", {"activity": "10 min"}),
        "plank": ex("plank", {"hold": "max", "goal": 45}),
    }
    t = compile_routine(routine({"exercise": "cat-cow"}, {"exercise": "walk"},
                                {"exercise": "plank"}, rest_between_exercises=0), lib, prepare=0)
    breaths, walk, plank = t.steps[:3]
    assert breaths.work is WorkKind.BREATHS and breaths.duration == 64 and breaths.phases == (3, 5)
    assert walk.work is WorkKind.ACTIVITY and walk.duration == 600
    assert plank.work is WorkKind.OPEN_HOLD and plank.is_open and plank.estimate == 45


def test_rests_between_exercises_name_what_comes_next():
    lib = {"a": ex("a", {"hold": 10}), "b": ex("b", {"hold": 10})}
    t = compile_routine(routine({"exercise": "a", "rest_after": 40}, {"exercise": "b"}), lib,
                        prepare=5)
    assert t.steps[0].next_name == "A"
    rest = t.steps[2]
    assert rest.kind is StepKind.REST and rest.before_next_exercise
    assert rest.duration == 40 and rest.next_name == "B"


def test_routine_prepare_and_cues_and_dose_overrides():
    lib = {"a": ex("a", {"hold": 10})}
    r = routine({"exercise": "a", "dose": {"hold": 20},
                 "cues": [{"at": 5, "say": "Keep breathing"}]}, prepare=3)
    t = compile_routine(r, lib, prepare=10)
    assert t.steps[0].duration == 3
    assert t.steps[1].duration == 20 and t.steps[1].cues[0].say == "Keep breathing"
    t2 = compile_routine(r, lib, doses={0: m.HoldDose(hold=45)})
    assert t2.steps[1].duration == 45


def test_remaining_time_counts_from_a_step():
    lib = {"a": ex("a", {"hold": 10, "sets": 2, "rest": 5})}
    t = compile_routine(routine({"exercise": "a"}), lib, prepare=10)
    assert t.remaining_from(0) == t.estimate == 35
    assert t.remaining_from(2) == 15


def test_the_default_rest_applies_to_every_exercise_that_leaves_it_open():
    lib = {"a": ex("a", {"hold": 10, "sets": 2}), "b": ex("b", {"hold": 10, "sets": 2})}
    t = compile_routine(routine({"exercise": "a"}, {"exercise": "b"},
                                rest_between_exercises=15), lib, prepare=0, rest=45)
    set_rests = [s.duration for s in t.steps if s.kind is StepKind.REST
                 and not s.before_next_exercise]
    assert set_rests == [45, 45]
    t2 = compile_routine(routine({"exercise": "a"}, rest_between_sets=20), lib, rest=45)
    assert [s.duration for s in t2.steps if s.kind is StepKind.REST] == [20]
