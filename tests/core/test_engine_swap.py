"""Swapping the exercise that hurts for its easier variant, mid-session."""

from __future__ import annotations

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import Cue, ExerciseFinished, SessionEngine, State
from backrehab_gui.core.timeline import StepKind, compile_routine, swap_exercise


def ex(ident: str, dose: dict) -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": ident.replace("-", " ").capitalize(), "category": "core",
        "position": "on-back", "steps": ["Do it"], "key_cue": "Breathe", "why": "It helps",
        "dose": dose,
    })


LIB = {e.id: e for e in (
    ex("plank", {"hold": 30, "sets": 3, "rest": 20}),
    ex("knee-plank", {"hold": 15, "sets": 2, "rest": 10}),
    ex("bridge", {"hold": 20}),
)}


def timeline(*ids: str):
    routine = m.Routine.model_validate({"id": "r", "name": "R", "rest_between_exercises": 10,
                                        "exercises": [{"exercise": i} for i in ids]})
    return compile_routine(routine, LIB, prepare=5)


def finished(events) -> list:
    return [e.result for e in events if isinstance(e, ExerciseFinished)]


def test_the_rest_of_the_exercise_gives_way_to_the_easier_one_after_a_lead_in():
    tl = timeline("plank", "bridge", "plank")
    # prepare, plank set 1 (index 1), rest, set 2 (index 3)...
    swapped = swap_exercise(tl, 3, LIB["knee-plank"], set_rest=30, lead_in=10)
    steps = swapped.timeline.steps
    assert steps[:3] == tl.steps[:3]
    lead_in = steps[3]
    assert (lead_in.kind, lead_in.duration, lead_in.next_name) == (StepKind.REST, 10,
                                                                   "Knee plank")
    work = [(s.exercise_id, s.item, s.set_number) for s in steps if s.kind is StepKind.WORK]
    # Plank's first set stays; its two other sets, and the later plank, become knee planks
    # at the knee plank's own dose (2 sets), each a new item.
    assert work == [("plank", 0, 1), ("knee-plank", 3, 1), ("knee-plank", 3, 2),
                    ("bridge", 1, 1), ("knee-plank", 4, 1), ("knee-plank", 4, 2)]
    assert swapped.replaced == ((3, 0), (4, 2))
    assert swapped.timeline.items == ("plank", "bridge", "plank", "knee-plank", "knee-plank")
    rest_before_last = [s for s in steps if s.before_next_exercise][-1]
    assert rest_before_last.next_name == "Knee plank"


def test_only_a_step_of_an_exercise_can_be_swapped():
    tl = timeline("plank", "bridge")
    with pytest.raises(ValueError):
        swap_exercise(tl, 0, LIB["knee-plank"], set_rest=30, lead_in=10)   # get ready
    between = next(i for i, s in enumerate(tl.steps) if s.before_next_exercise)
    with pytest.raises(ValueError):
        swap_exercise(tl, between, LIB["knee-plank"], set_rest=30, lead_in=10)


def test_a_swap_reports_what_was_done_and_the_easier_exercise_counts_for_the_rest():
    eng = SessionEngine(timeline("plank", "bridge"))
    eng.start(0.0)
    eng.tick(5 + 30 + 20 + 12)           # plank set 1 done, rest, 12 s into set 2
    eng.pause(67.0)
    events = eng.swap(70.0, LIB["knee-plank"], set_rest=30, lead_in=10)
    assert eng.state is State.RUNNING
    gave_way = finished(events)
    assert [(r.exercise_id, r.status, r.sets_done, r.sets) for r in gave_way] == \
        [("plank", "partial", 1, 3)]
    assert Cue("Rest 10 seconds. Next: Knee plank") in events
    # Back never returns to the plank that hurt.
    eng.back(71.0)
    assert eng.current.kind is StepKind.REST and eng.current.next_name == "Knee plank"
    t = 71.0
    while eng.state is not State.FINISHED:
        t += 0.5
        eng.tick(t)
    summary = eng.summary
    assert [(r.exercise_id, r.status) for r in summary.results] == [
        ("plank", "partial"), ("bridge", "done"), ("knee-plank", "done")]
    # Doing the easier exercise in full makes up for the plank's rest: the session's
    # share is all of the plan, not two thirds of the plank plus extra work.
    assert summary.share == pytest.approx(1.0, abs=0.01)
    assert summary.completed


def test_a_later_appearance_that_gave_way_is_reported_as_skipped_on_stop():
    eng = SessionEngine(timeline("plank", "bridge", "plank"))
    eng.start(0.0)
    eng.tick(10.0)
    eng.swap(10.0, LIB["knee-plank"], set_rest=30, lead_in=0)
    assert eng.current.exercise_id == "knee-plank"
    events = eng.stop(12.0)
    reported = {(r.item, r.exercise_id, r.status) for r in finished(events)}
    assert (2, "plank", "skipped") in reported
    assert (3, "knee-plank", "partial") in reported
    assert eng.summary.share < 0.2


def test_swap_outside_a_running_session_does_nothing():
    eng = SessionEngine(timeline("plank"))
    assert eng.swap(0.0, LIB["knee-plank"], set_rest=30) == []


def test_skipping_the_exercise_leaves_all_its_sets_and_goes_on_running():
    eng = SessionEngine(timeline("plank", "bridge"))
    eng.start(0.0)
    eng.tick(5 + 10)                      # 10 s into plank set 1 of 3
    eng.pause(15.0)
    events = eng.skip_exercise(20.0)
    assert [(r.exercise_id, r.status, r.sets_done) for r in finished(events)] == \
        [("plank", "partial", 0)]
    assert eng.state is State.RUNNING
    assert eng.current.before_next_exercise and eng.current.next_name == "Bridge"
    eng.tick(31.0)
    assert eng.current.exercise_id == "bridge"
    # Skipping the last exercise ends the session, keeping what was done.
    eng.skip_exercise(32.0)
    assert eng.state is State.FINISHED and eng.summary.results[1].status == "partial"
