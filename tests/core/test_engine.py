"""The session engine, driven with plain numbers for time."""

from __future__ import annotations

import random

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import (
    Adjusted,
    Cue,
    EngineSettings,
    ExerciseFinished,
    GoalReached,
    Paused,
    RepCounted,
    SessionEngine,
    SessionFinished,
    Sound,
    State,
    StepStarted,
)
from backrehab_gui.core.timeline import StepKind, compile_routine


def ex(ident: str, dose: dict, cue: str = "Keep breathing") -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": ident.replace("-", " ").capitalize(), "category": "core",
        "position": "on-back", "steps": ["Do it"], "key_cue": cue, "why": "It helps",
        "dose": dose,
    })


def engine(*items, prepare: float = 5, settings: EngineSettings | None = None, **routine_extra):
    """An engine over exercises given as (id, dose) or (id, dose, item-extra)."""
    lib, entries = {}, []
    for entry in items:
        ident, dose, *extra = entry
        lib[ident] = ex(ident, dose)
        entries.append({"exercise": ident, **(extra[0] if extra else {})})
    routine = m.Routine.model_validate({"id": "test", "name": "Test", "exercises": entries,
                                        "rest_between_exercises": 10, **routine_extra})
    return SessionEngine(compile_routine(routine, lib, prepare=prepare), settings)


def run_until(eng: SessionEngine, until: float, start: float = 0.0, step: float = 0.25):
    """Tick every ``step`` seconds; return every event with the tick time it came at."""
    events = []
    t = start
    while t <= until + 1e-9:
        events += [(t, e) for e in eng.tick(t)]
        t += step
    return events


def texts(events) -> list[str]:
    """What is said aloud, in order."""
    return [e.text for _, e in events if isinstance(e, Cue) and e.spoken]


def captions(events) -> list[str]:
    """What is only shown, because the plan had no room to say it."""
    return [e.shown for _, e in events if isinstance(e, Cue) and not e.spoken]


def kinds_started(events) -> list[str]:
    return [e.step.kind.value for _, e in events if isinstance(e, StepStarted)]


# --- Holds, sides, sets and rests -------------------------------------------------


def test_a_hold_speaks_its_name_halfway_and_counts_down():
    eng = engine(("wall-sit", {"hold": 30}), prepare=10)
    first = eng.start(0.0)
    assert Cue("Get ready. First: Wall sit") in first
    events = run_until(eng, 45)
    said = texts(events)
    assert said[:4] == ["3", "2", "1", "Wall sit. Keep breathing"]
    assert said[4:] == ["Halfway", "3", "2", "1", "Session complete"]
    halfway = next(e for _, e in events if isinstance(e, Cue) and e.text == "Halfway")
    assert halfway.due == 10 + 15


def test_long_cues_give_way_so_the_countdown_is_on_time():
    # A 5-second get-ready has no room for "Get ready. First: Wall sit" before "3"
    # at 2 s: it is shortened to the name (the screen shows the rest).
    short = engine(("wall-sit", {"hold": 30}), prepare=5)
    assert texts([(0.0, e) for e in short.start(0.0)]) == ["Wall sit"]
    # With room, nothing is cut.
    roomy = engine(("wall-sit", {"hold": 30}), prepare=10)
    assert texts([(0.0, e) for e in roomy.start(0.0)]) == ["Get ready. First: Wall sit"]


def test_the_name_and_key_cue_come_during_the_get_ready_and_the_count_starts_at_one():
    lib_cue = "Keep your back flat like a table and reach long through your heel"
    exercises = {"bird-dog": ex("bird-dog", {"reps": 3, "hold": 3}, cue=lib_cue)}
    routine = m.Routine.model_validate({"id": "t", "name": "T",
                                        "exercises": [{"exercise": "bird-dog"}]})
    eng = SessionEngine(compile_routine(routine, exercises, prepare=12))
    events = [(0.0, e) for e in eng.start(0.0)] + run_until(eng, 40)
    said = texts(events)
    assert said[:6] == ["Get ready. First: Bird dog", f"Bird dog. {lib_cue}", "3", "2", "1",
                        "1"]
    assert said.count("Hold") == 3 and said.count("And back") == 3
    name = next(e for _, e in events if isinstance(e, Cue) and e.text.startswith("Bird dog."))
    assert name.due + name.length <= 9.0 - 0.15  # ends before "3", with a breath between
    assert eng.state is State.FINISHED and eng.summary.completed
    # Without a get-ready there is no room before the first rep: the count still
    # starts at one, and the name and key cue are shown.
    bare = SessionEngine(compile_routine(routine, exercises, prepare=0))
    events = [(0.0, e) for e in bare.start(0.0)] + run_until(bare, 30)
    assert texts(events)[:3] == ["1", "Hold", "And back"]
    assert captions(events) == [f"Bird dog. {lib_cue}"]


def test_sides_and_sets_announce_switch_last_set_and_rests():
    eng = engine(("stretch", {"hold": 20, "sides": "both", "sets": 2, "rest": 30}))
    eng.start(0.0)
    said = texts(run_until(eng, 200))
    assert "Switch sides" in said and "Right side" in said
    assert "Rest 30 seconds. Then the last set" in said
    assert "Last set" in said
    assert said[-1] == "Session complete"


def test_short_holds_tick_but_do_not_talk_over_the_name():
    eng = engine(("tiny", {"hold": 5}))
    eng.start(0.0)
    events = run_until(eng, 20)
    assert "3" not in texts(events)[3:]  # only the prepare countdown speaks numbers
    assert sum(1 for _, e in events if e == Sound("tick")) >= 6


def test_rest_between_exercises_says_what_is_next():
    eng = engine(("a-one", {"hold": 10}), ("b-two", {"hold": 10}))
    eng.start(0.0)
    said = texts(run_until(eng, 60))
    assert "Rest 10 seconds. Next: B two" in said


# --- Reps, breaths, activities, open holds -----------------------------------------


def test_guided_reps_with_a_hold_count_each_rep_and_alternate_sides():
    eng = engine(("bird-dog", {"reps": 2, "hold": 3, "sides": "alternating"}), prepare=0)
    events = [(0.0, e) for e in eng.start(0.0)] + run_until(eng, 40)
    said = texts(events)
    assert said[0] == "1 left"
    assert said.count("Hold") == 4 and said.count("And back") == 4
    assert [s for s in said if s[0].isdigit()] == ["1 left", "1 right", "2 left", "2 right"]
    counted = [e for _, e in events if isinstance(e, RepCounted)]
    assert [(c.count, c.side) for c in counted] == [(1, "left"), (1, "right"), (2, "left"),
                                                   (2, "right")]
    result = next(e.result for _, e in events if isinstance(e, ExerciseFinished))
    assert result.status == "done" and result.reps_done == 4 and result.reps_target == 4


def test_guided_rep_view_shows_rep_number_phase_and_time_left_in_it():
    eng = engine(("bridge", {"reps": 10, "tempo": {"up": 2, "down": 3}}), prepare=0)
    eng.start(0.0)
    view = eng.view(11.0)  # rep 3 (10-15 s), 1 s into the 2 s "up" phase
    assert (view.rep, view.phase, view.phase_remaining) == (3, "up", 1.0)
    assert eng.view(13.5).phase == "down"


def test_breaths_are_paced_in_and_out():
    eng = engine(("cat-cow", {"breaths": 3, "inhale": 4, "exhale": 4}), prepare=0)
    events = [(0.0, e) for e in eng.start(0.0)] + run_until(eng, 30)
    said = texts(events)
    assert said[:4] == ["Breathe in", "Breathe out", "Breathe in", "Breathe out"]
    assert said.count("In") == 1 and said.count("Out") == 1
    assert eng.view(25).state is State.FINISHED


def test_self_paced_reps_wait_for_the_person_and_count_on_enter():
    eng = engine(("tilt", {"reps": 3}), prepare=0)
    eng.start(0.0)
    assert run_until(eng, 60) == [] or eng.current.kind is StepKind.WORK  # waits forever
    assert eng.current.kind is StepKind.WORK
    first = eng.enter(61.0)
    assert RepCounted(1, 3, None) in first and Cue("1") in first
    eng.enter(62.0)
    last = eng.enter(63.0)
    assert any(isinstance(e, SessionFinished) for e in last)
    result = eng.summary.results[0]
    assert result.status == "done" and result.reps_done == 3


def test_self_paced_set_finished_without_counting_records_the_target():
    eng = engine(("tilt", {"reps": 10, "sets": 2}), prepare=0)
    eng.start(0.0)
    eng.finish_set(20.0)  # Enter is "count a rep"; finish_set is the explicit "set done"
    assert eng.current.kind is StepKind.REST
    eng.skip(21.0)
    eng.enter(22.0)
    eng.enter(23.0)
    # D after counting 2 of 10: "this set is done" (the README's word), not "partly done".
    eng.finish_set(24.0)
    result = eng.summary.results[0]
    assert result.reps_done == 20 and result.reps_target == 20 and result.status == "done"
    assert result.sets_done == 2


def test_activity_runs_for_its_time_with_a_minute_warning():
    eng = engine(("walk", {"activity": "5 min"}), prepare=0)
    eng.start(0.0)
    said = texts(run_until(eng, 310, step=1.0))
    assert "Halfway" in said and "One minute left" in said and said[-1] == "Session complete"


def test_open_hold_counts_up_and_records_the_time_reached():
    eng = engine(("plank", {"hold": "max", "goal": 20}), prepare=0)
    eng.start(0.0)
    events = run_until(eng, 26)
    assert any(isinstance(e, GoalReached) for _, e in events)
    view = eng.view(26.0)
    assert view.remaining is None and view.display_seconds == 26
    eng.enter(26.4)
    assert eng.summary.results[0].hold_times == (26.4,)
    assert eng.summary.results[0].status == "done"


def test_plus_ten_on_an_open_hold_moves_the_goal():
    eng = engine(("plank", {"hold": "max", "goal": 20}), prepare=0)
    eng.start(0.0)
    events = eng.adjust(3.0, +10)
    assert Adjusted(10.0) in events and eng.view(3.0).goal == 30
    assert not any(isinstance(e, GoalReached) for _, e in run_until(eng, 25, start=3.0))
    assert any(isinstance(e, GoalReached) for _, e in run_until(eng, 31, start=25.25))
    eng.adjust(31.0, -10)
    eng.adjust(31.0, -10)
    eng.adjust(31.0, -10)
    assert eng.view(31.0).goal == 5  # never below 5 s


# --- Commands and edges ---------------------------------------------------------------


def test_plus_and_minus_ten_change_a_hold_and_its_countdown_follows():
    eng = engine(("wall-sit", {"hold": 30}), prepare=0)
    eng.start(0.0)
    eng.adjust(5.0, +10)
    assert eng.view(5.0).remaining == 35
    events = run_until(eng, 45)
    count = [e for _, e in events if isinstance(e, Cue) and e.text == "3"]
    assert count[0].due == 37
    eng2 = engine(("wall-sit", {"hold": 30}), prepare=0)
    eng2.start(0.0)
    assert Adjusted(-10.0) in eng2.adjust(1.0, -10)
    eng2.adjust(1.0, -30)  # never below one second from now
    assert eng2.view(1.0).remaining == 1.0


def test_pause_during_a_rest_freezes_it_and_resume_counts_in_again():
    eng = engine(("wall-sit", {"hold": 10, "sets": 2, "rest": 20}), prepare=0)
    eng.start(0.0)
    run_until(eng, 15)
    assert eng.current.kind is StepKind.REST
    assert Paused() in eng.pause(15.0)
    assert eng.tick(100.0) == [] and eng.view(100.0).remaining == 15
    assert eng.next_deadline() is None
    resumed = eng.resume(100.0)
    assert Cue("Get ready") in resumed
    assert eng.view(101.0).resuming == 2.0 and eng.view(101.0).remaining == 15
    events = run_until(eng, 125, start=100.25)
    work = [t for t, e in events if isinstance(e, StepStarted) and e.step.kind is StepKind.WORK]
    assert work == [118.0]  # 3 s getting ready + the 15 s of rest that were left


def test_skip_the_last_step_finishes_with_a_summary():
    eng = engine(("a-one", {"hold": 10}), ("b-two", {"hold": 10}), prepare=0)
    eng.start(0.0)
    eng.skip(2.0)   # a-one partly done
    eng.skip(3.0)   # the rest
    events = eng.skip(3.5)  # b-two barely started: skipped
    finished = next(e for e in events if isinstance(e, SessionFinished))
    statuses = [r.status for r in finished.summary.results]
    assert statuses == ["partial", "skipped"] and finished.summary.completed
    assert eng.skip(4.0) == []


def test_back_at_the_first_step_restarts_it():
    eng = engine(("a-one", {"hold": 10}), prepare=5)
    eng.start(0.0)
    events = eng.back(2.0)
    assert StepStarted(0, eng.timeline.steps[0]) in events
    assert eng.index == 0 and eng.view(2.0).remaining == 5


def test_back_restarts_a_step_or_goes_to_the_previous_exercise_when_just_started():
    eng = engine(("a-one", {"hold": 10}), ("b-two", {"hold": 10}), prepare=0)
    eng.start(0.0)
    run_until(eng, 25)
    assert eng.current.name == "B two" and eng.current.kind is StepKind.WORK
    eng.back(26.0)   # 6 s into b-two: restart it
    assert eng.current.name == "B two" and eng.view(26.0).remaining == 10
    eng.back(27.0)   # 1 s in: back to a-one
    assert eng.current.name == "A one" and eng.view(27.0).remaining == 10


def test_stop_during_prepare_keeps_an_all_skipped_summary():
    eng = engine(("a-one", {"hold": 10}), ("b-two", {"reps": 5}))
    eng.start(0.0)
    events = eng.stop(2.0)
    finished = next(e for e in events if isinstance(e, SessionFinished))
    assert not finished.summary.completed
    assert [r.status for r in finished.summary.results] == ["skipped", "skipped"]
    assert finished.summary.share == 0
    assert eng.tick(10.0) == [] and eng.state is State.FINISHED


def test_stop_midway_reports_done_and_partial_work():
    eng = engine(("a-one", {"hold": 10}), ("b-two", {"hold": 20}), prepare=0)
    eng.start(0.0)
    run_until(eng, 30)  # a-one done, rest done, 10 s into b-two
    summary = next(e for e in eng.stop(30.0) if isinstance(e, SessionFinished)).summary
    a, b = summary.results
    assert (a.status, a.seconds) == ("done", 10.0)
    assert (b.status, b.seconds) == ("partial", 10.0)
    assert summary.share == pytest.approx((10 + 10) / 30, abs=0.01)


def test_each_exercise_is_reported_once_as_it_finishes():
    eng = engine(("a-one", {"hold": 10, "sets": 2, "rest": 5}), ("b-two", {"hold": 10}),
                 prepare=0)
    events = [(0.0, e) for e in eng.start(0.0)] + run_until(eng, 60)
    reports = [(t, e.result.exercise_id) for t, e in events if isinstance(e, ExerciseFinished)]
    assert reports == [(25.0, "a-one"), (45.0, "b-two")]


def test_routine_cues_are_spoken_at_their_offset_in_every_set():
    eng = engine(("bridge", {"hold": 20, "sets": 2, "rest": 10},
                  {"cues": [{"at": 8, "say": "Squeeze your glutes"}]}), prepare=0)
    eng.start(0.0)
    events = run_until(eng, 60)
    dues = [e.due for _, e in events if isinstance(e, Cue) and e.text == "Squeeze your glutes"]
    assert dues == [8.0, 38.0]


# --- Time ---------------------------------------------------------------------------


def test_late_ticks_never_accumulate_drift():
    """However late and irregular the ticks, steps start at their exact planned times."""
    def starts(eng, times):
        out = []
        for t in times:
            out += [(e.index, round(t, 6)) for e in eng.tick(t) if isinstance(e, StepStarted)]
        return out

    items = (("a-one", {"hold": 30, "sides": "both"}), ("b-two", {"hold": 45, "sets": 3}))
    exact = engine(*items)
    exact.start(0.0)
    planned, t = [], 0.0
    while exact.state is not State.FINISHED:
        t = exact.next_deadline()
        planned += [(e.index, e.step.kind) for e in exact.tick(t) if isinstance(e, StepStarted)]
    total = t
    rng = random.Random(7)
    late = engine(*items)
    late.start(0.0)
    times, t = [], 0.0
    while t < total + 5:
        t += rng.uniform(0.01, 2.5)
        times.append(t)
    seen = starts(late, times)
    assert [i for i, _ in seen] == [i for i, _ in planned]
    summary = late.summary
    assert summary.completed and summary.active_seconds == pytest.approx(60 + 135)
    # The step boundaries inside the engine are exact, not tick-aligned:
    assert late.records()[1].seconds == 30.0


def test_next_deadline_wakes_on_each_displayed_second_and_each_cue():
    eng = engine(("wall-sit", {"hold": 12.5}), prepare=0)
    eng.start(0.0)
    wakes = []
    while eng.state is not State.FINISHED:
        t = eng.next_deadline()
        wakes.append(t)
        eng.tick(t)
    # 12.5 s hold: the display changes at 0.5, 1.5, ... 11.5 and the step ends at 12.5.
    assert wakes[0] == 0.5 and wakes[-1] == 12.5
    assert 6.25 in wakes  # halfway cue
    assert all(b > a for a, b in zip(wakes, wakes[1:]))


def test_the_view_tracks_session_progress():
    eng = engine(("a-one", {"hold": 10}), ("b-two", {"hold": 10}), prepare=0)
    eng.start(0.0)
    assert eng.view(0.0).session_left == 30 and eng.view(0.0).session_fraction == 0
    eng.tick(15.0)
    assert eng.view(15.0).session_left == pytest.approx(15)
    run_until(eng, 31)
    assert eng.view(31.0).session_fraction == 1.0


def test_time_left_counts_added_seconds_and_an_open_hold_is_not_zero():
    eng = engine(("plank", {"hold": 30}), ("side", {"hold": "max"}),
                 ("bridge", {"hold": 20}), prepare=0)
    eng.start(0.0)
    before = eng.view(5.0).session_left
    eng.adjust(5.0, 10)
    assert eng.view(5.0).session_left == pytest.approx(before + 10)
    eng.skip(6.0)   # to the rest
    eng.skip(7.0)   # to the open hold
    assert eng.current.work.value == "open-hold"
    # While the hold counts up, what is left is the session after it: never 0:00 early.
    rest_after = eng.view(8.0).session_left
    assert rest_after > 20 and eng.view(500.0).session_left == rest_after


def test_controls_act_only_where_they_do_something():
    from backrehab_gui.core.controls import controls_for

    eng = engine(("tilt", {"reps": 10}), ("dead-bug", {"reps": 6, "tempo": {"up": 2}}),
                 ("plank", {"hold": 20}), ("side", {"hold": "max"}), prepare=0)
    kinds = {}
    for step in eng.timeline.steps:
        if step.kind is StepKind.WORK:
            kinds[step.work.value] = controls_for(step)
    assert kinds["reps"].enter == "Rep" and not kinds["reps"].time
    assert kinds["open-hold"].enter == "Done" and kinds["open-hold"].time
    paced = kinds["guided-reps"]
    assert paced.enter is None and not paced.time and "paces" in paced.enter_why_not
    assert kinds["hold"].enter is None and kinds["hold"].time
