"""The speech plan: placing cues so none talks over another, on the bundled routines,
and planning again after pause, skip, back and +/- 10 s."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import Cue, SessionEngine, State, VoiceStop
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.speech_plan import (
    GAP,
    Rank,
    Want,
    estimate_seconds,
    first_sentence,
    overlaps,
    place,
)
from backrehab_gui.core.timeline import StepKind, WorkKind, compile_routine

ROUTINES = Path(__file__).resolve().parents[2] / "routines"


def fixed(seconds: dict[str, float]):
    return lambda text: seconds.get(text)


# --- Placing ----------------------------------------------------------------------------


def test_an_on_time_cue_keeps_its_moment_and_an_instruction_makes_room_before_it():
    wants = [
        Want(("in",), "In", "rep", 50.0, 50.0, Rank.ON_TIME),
        Want(("own",), "Halfway. Keep it slow and smooth.", "routine", 50.0, 45.0,
             Rank.FLEXIBLE),
        Want(("out",), "Out", "rep", 45.0, 45.0, Rank.ON_TIME),
    ]
    plan = place(wants, fixed({"In": 0.4, "Out": 0.5,
                               "Halfway. Keep it slow and smooth.": 2.9}))
    by_key = {p.key: p for p in plan}
    assert by_key[("in",)].start == 50.0 and by_key[("out",)].start == 45.0
    own = by_key[("own",)]
    assert own.status == "spoken"
    # As late as it can be: it ends a breath before "In".
    assert own.end == pytest.approx(50.0 - GAP)
    assert overlaps(plan, GAP) == []
    assert [p.key for p in plan] == [("out",), ("own",), ("in",)]


def test_what_does_not_fit_is_shortened_then_shown_never_placed_late():
    wants = [
        Want(("count", 3), "3", "countdown", 2.0, 2.0, Rank.ON_TIME),
        Want(("start",), "Rest 5 seconds. Next: Bridge", "rest", 0.0, 0.0, Rank.MOMENT,
             ("Next: Bridge", "Rest 5 seconds")),
        Want(("note",), "A long instruction that cannot fit anywhere", "routine", 0.5, 0.0,
             Rank.FLEXIBLE),
    ]
    plan = place(wants, fixed({"3": 0.4, "Rest 5 seconds. Next: Bridge": 2.5,
                               "Next: Bridge": 1.2, "Rest 5 seconds": 1.0,
                               "A long instruction that cannot fit anywhere": 2.5}))
    by_key = {p.key: p for p in plan}
    assert (by_key[("start",)].said, by_key[("start",)].status) == ("Next: Bridge", "shortened")
    note = by_key[("note",)]
    assert note.status == "caption" and note.start == 0.5 and note.said is None
    assert all(p.start <= p.want.at for p in plan)


def test_no_utterance_straddles_a_step_boundary_or_starts_over_a_busy_voice():
    want = Want(("name",), "Bridge. Squeeze", "name", 10.0, 0.0, Rank.FLEXIBLE)
    plan = place([want], fixed({"Bridge. Squeeze": 3.0}), bounds=[11.0], busy=[(0.0, 4.0)])
    (p,) = plan
    # The latest start at or before 10 s that does not cross 11 s.
    assert p.start == pytest.approx(8.0) and p.end == pytest.approx(11.0)
    plan = place([want], fixed({"Bridge. Squeeze": 3.0}), bounds=[11.0], busy=[(7.0, 9.0)])
    # ... nor meets the busy span, with a breath between.
    assert plan[0].end == pytest.approx(7.0 - GAP)


def test_a_late_window_is_used_only_when_nothing_fits_in_time():
    count = Want(("rep", 0), "1", "count", 0.0, 0.0, Rank.ON_TIME)
    name = Want(("opening",), "Bridge. Squeeze your glutes", "name", 0.0, 0.0,
                Rank.FLEXIBLE, ("Bridge",), latest=2.0)
    lengths = fixed({"1": 0.4, "Bridge. Squeeze your glutes": 2.0, "Bridge": 0.6})
    plan = {p.key: p for p in place([count, name], lengths)}
    assert plan[("opening",)].start == pytest.approx(0.4 + GAP)
    assert plan[("opening",)].said == "Bridge. Squeeze your glutes"
    # Without a late window it is only shown.
    strict = Want(("opening",), name.text, "name", 0.0, 0.0, Rank.FLEXIBLE, ("Bridge",))
    plan = {p.key: p for p in place([count, strict], lengths)}
    assert plan[("opening",)].status == "caption"


def test_unknown_lengths_are_estimated_and_the_estimate_grows_with_a_slower_voice():
    assert 0.3 < estimate_seconds("1") < 0.6
    assert 1.8 < estimate_seconds("Let your lower back widen as you breathe in.") < 3.0
    assert estimate_seconds("Halfway", 110) > 1.4 * estimate_seconds("Halfway", 165)
    assert first_sentence("Halfway. Keep it slow and smooth.") == "Halfway"
    assert first_sentence("Keep breathing.") == "Keep breathing."


# --- Whole sessions -----------------------------------------------------------------------


def run(eng: SessionEngine, until: float | None = None, start: float | None = None):
    """Tick the engine at every deadline it asks for, as the controller's timer does."""
    events = [] if start is None else [(start, e) for e in eng.start(start)]
    while eng.state is State.RUNNING:
        t = eng.next_deadline()
        if until is not None and t > until:
            break
        events += [(t, e) for e in eng.tick(t)]
    return events


def spans(events) -> list[tuple[float, float, Cue]]:
    """(start, end, cue) of every cue spoken; a VoiceStop ends the one playing."""
    out: list[list] = []
    for t, e in events:
        if isinstance(e, VoiceStop) and out and out[-1][1] > t:
            out[-1][1] = t
        if isinstance(e, Cue) and e.spoken:
            out.append([e.due, e.due + e.length, e])
    return [tuple(s) for s in out]


def assert_no_talking_over(events) -> None:
    said = spans(events)
    for (s1, e1, c1), (s2, _e2, c2) in zip(said, said[1:]):
        assert s2 >= s1, (c1, c2)
        assert s2 >= e1 - 1e-6, f"{c2.text!r} at {s2:.2f} over {c1.text!r} ({s1:.2f}-{e1:.2f})"


def counts_by_step(events) -> dict[int, list[str]]:
    counted: dict[int, list[str]] = {}
    for _, e in events:
        if isinstance(e, Cue) and e.spoken and e.kind == "count":
            counted.setdefault(e.key[0], []).append(e.text)
    return counted


def expected_counts(step) -> list[str]:
    if step.side == "alternating":
        return [f"{i // 2 + 1} {'left' if i % 2 == 0 else 'right'}"
                for i in range(step.total_reps)]
    return [str(i + 1) for i in range(step.total_reps)]


LIBRARY = load_library(sorted(ROUTINES.glob("*.yaml")))
SLOW_VOICE = 110  # words a minute: every utterance half as long again


@pytest.mark.parametrize("routine_id", sorted(LIBRARY.routines))
@pytest.mark.parametrize("wpm", [165, SLOW_VOICE])
def test_bundled_routines_are_planned_without_overlap_loss_or_late_cues(routine_id, wpm):
    timeline = compile_routine(LIBRARY.routines[routine_id], LIBRARY.exercises, prepare=10,
                               rest=30)
    eng = SessionEngine(timeline, lengths=lambda text: estimate_seconds(text, wpm))
    events = run(eng, start=0.0)
    assert eng.state is State.FINISHED and eng.summary.completed
    assert_no_talking_over(events)
    cues = [e for _, e in events if isinstance(e, Cue)]
    # Nothing due is lost: every cue of every step was said or shown, once.
    wanted = {(i, *w.key) for i, step in enumerate(timeline.steps)
              for w in eng.speech._script_of(i, step.duration, step.goal).wants}
    keys = [c.key for c in cues]
    assert len(keys) == len(set(keys)) and set(keys) == wanted
    # None is said after its moment; counts, numbers and breaths exactly on it.
    for cue in cues:
        assert cue.due <= cue.at + 1e-6, cue
        if cue.kind in ("count", "countdown") or cue.text in ("In", "Out", "Breathe in",
                                                               "Breathe out"):
            assert cue.spoken and cue.due == pytest.approx(cue.at), cue
    # Every guided count is said, from one.
    counted = counts_by_step(events)
    for index, step in enumerate(timeline.steps):
        if step.kind is StepKind.WORK and step.work is WorkKind.GUIDED_REPS:
            assert counted[index] == expected_counts(step), (index, step.name)
    # Each exercise's name is heard before its first count or breath (with a slow
    # voice, a 5-second rest may only have room to show it).
    first_heard: dict[int, int] = {}
    for n, cue in enumerate(cues):
        if cue.spoken:
            first_heard.setdefault(cue.key[0], n)
    for index, step in enumerate(timeline.steps):
        if step.kind is StepKind.WORK and step.set_number == 1 and step.side != "right":
            names = [n for n, c in enumerate(cues) if c.spoken and step.name in c.text]
            if wpm == SLOW_VOICE and not names:
                assert any(step.name in c.shown for c in cues if not c.spoken)
                continue
            assert names and names[0] <= first_heard[index], step.name


def test_the_morning_routine_no_longer_drops_or_delays_what_the_listener_heard():
    """The three collisions measured on the Morning mobility routine (issue 12)."""
    timeline = compile_routine(LIBRARY.routines["daily-morning"], LIBRARY.exercises)
    eng = SessionEngine(timeline)
    cues = [e for _, e in run(eng, start=0.0) if isinstance(e, Cue)]
    spoken = {c.text: c for c in cues if c.spoken}
    own = spoken["Halfway. Keep it slow and smooth."]
    breath = next(c for c in cues if c.at == own.at and c.text == "In")
    assert breath.spoken and own.due + own.length <= breath.due - GAP + 1e-6
    widen = spoken["Let your lower back widen as you breathe in."]
    halfway = spoken["Halfway"]
    assert halfway.due == halfway.at and widen.due + widen.length <= halfway.due
    tilt = timeline.steps.index(next(s for s in timeline.steps
                                     if s.exercise_id == "standing-pelvic-tilt"))
    counts = [c for c in cues if c.key[0] == tilt and c.kind == "count"]
    assert [c.text for c in counts] == [str(n) for n in range(1, 11)]
    assert all(c.spoken and c.due == c.at for c in counts)
    name = next(c for c in cues if c.text.startswith("Standing pelvic tilt."))
    assert name.spoken and name.due + name.length < counts[0].due - 3  # before "3, 2, 1"


# --- Planning again -----------------------------------------------------------------------


def two_exercises(**extra):
    exercises = {
        "bridge": m.Exercise.model_validate({
            "id": "bridge", "name": "Bridge", "category": "core", "position": "on-back",
            "steps": ["Lift"], "key_cue": "Squeeze your glutes at the top.", "why": "It helps",
            "dose": {"reps": 5, "tempo": {"up": 2, "down": 2}}}),
        "wall-sit": m.Exercise.model_validate({
            "id": "wall-sit", "name": "Wall sit", "category": "core", "position": "standing",
            "steps": ["Sit"], "key_cue": "Back flat to the wall.", "why": "It helps",
            "dose": {"hold": 30}}),
    }
    routine = m.Routine.model_validate({
        "id": "t", "name": "T", "rest_between_exercises": 20,
        "exercises": [{"exercise": "wall-sit",
                       "cues": [{"at": 15, "say": "Keep breathing."}]},
                      {"exercise": "bridge"}], **extra})
    return SessionEngine(compile_routine(routine, exercises, prepare=10))


def name_cue(events, name="Bridge"):
    return next(e for _, e in events if isinstance(e, Cue) and e.spoken
                and e.text.startswith(name))


def test_a_pause_silences_the_voice_and_what_was_cut_is_said_again_in_time():
    eng = two_exercises()
    events = run(eng, until=40.0, start=0.0)  # wall sit done at 40 s; the rest has begun
    assert eng.current.kind is StepKind.REST
    name = eng.speech.plan and next(p for p in eng.speech.plan if p.said and
                                    p.said.startswith("Bridge"))
    middle = name.start + name.length / 2 + 40.0
    events += run(eng, until=middle)
    paused = eng.pause(middle)
    assert VoiceStop() in paused  # the name was being said: it stops at once
    assert eng.next_deadline() is None
    events += [(middle, e) for e in paused]
    events += [(100.0, e) for e in eng.resume(100.0)]
    events += run(eng)
    said_names = [e for _, e in events if isinstance(e, Cue) and e.spoken
                  and e.key[1:] == ("opening",) and e.text.startswith("Bridge")]
    # Cut, then said again (shortened to what fits before "3") before the first count.
    assert [c.text for c in said_names] == ["Bridge. Squeeze your glutes at the top", "Bridge"]
    counts = [e for _, e in events if isinstance(e, Cue) and e.kind == "count"]
    assert said_names[1].due + said_names[1].length <= counts[0].due
    assert [c.text for c in counts] == ["1", "2", "3", "4", "5"]
    assert_no_talking_over(events)


def test_after_a_resume_nothing_but_get_ready_is_said_while_getting_ready():
    eng = two_exercises()
    events = run(eng, until=20.0, start=0.0)
    events += [(20.0, e) for e in eng.pause(20.0)]
    resumed = eng.resume(50.0)
    assert [e.text for e in resumed if isinstance(e, Cue)] == ["Get ready"]
    events += [(50.0, e) for e in resumed]
    events += run(eng)
    after = [e for t, e in events if isinstance(e, Cue) and 50.0 < e.due < 53.0]
    assert after == []
    assert_no_talking_over(events)
    keys = [e.key for _, e in events if isinstance(e, Cue)]
    assert len(keys) == len(set(keys))


def test_skipping_the_rest_still_counts_from_one_and_says_the_name_just_after():
    eng = two_exercises()
    events = run(eng, until=42.0, start=0.0)
    assert eng.current.kind is StepKind.REST
    skipped = eng.skip(42.0)
    events += [(42.0, e) for e in skipped]
    events += run(eng)
    counts = [e for _, e in events if isinstance(e, Cue) and e.kind == "count"]
    assert [c.text for c in counts] == ["1", "2", "3", "4", "5"]
    assert counts[0].due == 42.0
    name = name_cue(events)
    # No rest to say it in: the name comes straight after "1", within two seconds.
    assert counts[0].due < name.due <= 44.0
    assert_no_talking_over(events)


def test_back_says_the_step_again_from_its_start():
    eng = two_exercises()
    events = run(eng, until=65.0, start=0.0)  # into the bridge
    assert eng.current.exercise_id == "bridge"
    events += [(65.0, e) for e in eng.back(65.0)]
    assert eng.current.exercise_id == "bridge" and eng.view(65.0).elapsed == 0
    events += run(eng)
    counts = [e.text for _, e in events if isinstance(e, Cue) and e.kind == "count"]
    assert counts[-5:] == ["1", "2", "3", "4", "5"]
    assert counts[0] == "1" and counts.count("1") == 2
    assert_no_talking_over(events)


@pytest.mark.parametrize("delta", [+10, -10])
def test_plus_or_minus_ten_seconds_moves_the_countdown_and_plans_around_it(delta):
    eng = two_exercises()
    events = run(eng, until=22.0, start=0.0)  # 12 s into the 30 s wall sit
    events += [(22.0, e) for e in eng.adjust(22.0, delta)]
    events += run(eng)
    hold_end = 10 + 30 + delta
    countdown = [e for _, e in events if isinstance(e, Cue) and e.kind == "countdown"
                 and 10 < e.due < hold_end + 1]
    assert [(c.text, c.due) for c in countdown] == [("3", hold_end - 3), ("2", hold_end - 2),
                                                    ("1", hold_end - 1)]
    halfway = [e for _, e in events if isinstance(e, Cue) and e.text == "Halfway"]
    if delta > 0:
        assert [h.due for h in halfway] == [10 + (30 + delta) / 2]
    else:
        assert halfway == []  # its moment (10 s into 20) is gone, not fired at once
    assert_no_talking_over(events)
    keys = [e.key for _, e in events if isinstance(e, Cue)]
    assert len(keys) == len(set(keys))


def test_real_lengths_arriving_late_move_what_is_still_to_come():
    lengths: dict[str, float] = {}
    timeline = compile_routine(LIBRARY.routines["daily-morning"], LIBRARY.exercises)
    eng = SessionEngine(timeline, lengths=lengths.get)
    events = [(0.0, e) for e in eng.start(0.0)]
    # The voice turns out slower than guessed, and that is known one second in.
    events += run(eng, until=1.0)
    lengths.update({t: 1.5 * estimate_seconds(t) for t in eng.speech_texts()})
    eng.lengths_changed()
    events += run(eng)
    for cue in (e for _, e in events if isinstance(e, Cue) and e.spoken and e.due > 1.0):
        assert cue.length == pytest.approx(lengths[cue.text])
    assert_no_talking_over(events)


def test_every_text_the_session_may_say_is_listed_for_synthesis():
    timeline = compile_routine(LIBRARY.routines["daily-evening"], LIBRARY.exercises)
    eng = SessionEngine(timeline)
    texts = eng.speech_texts()
    spoken = {e.text for _, e in run(eng, start=0.0) if isinstance(e, Cue) and e.spoken}
    assert spoken <= set(texts)
    assert len(texts) == len(set(texts)) and "Get ready" in texts
    assert not [t for t in texts if re.search(r"\.\.|^\s|\s$", t)]


# --- Planning again when the rest of the session changes ----------------------------------


def _exercise(ident: str, name: str, key_cue: str, dose: dict) -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": name, "category": "core", "position": "on-back",
        "steps": ["Do it"], "key_cue": key_cue, "why": "It helps", "dose": dose})


HURTS = {e.id: e for e in (
    _exercise("plank", "Plank", "Long line from head to heels.",
              {"hold": 30, "sets": 2, "rest": 15}),
    _exercise("bridge", "Bridge", "Squeeze your glutes at the top.",
              {"reps": 5, "sets": 2, "rest": 15, "hold": 2, "tempo": {"up": 2, "down": 2}}),
    _exercise("knee-plank", "Knee plank", "Hips in line with your back.", {"hold": 30}),
    _exercise("dead-bug", "Dead bug", "Keep your lower back down.",
              {"reps": 6, "tempo": {"up": 2, "down": 2}}),
    _exercise("hook-lying-march", "Hook-lying march", "Lift one foot an inch, slowly.",
              {"reps": 4, "sides": "alternating", "hold": 1, "tempo": {"up": 2, "down": 2}}),
)}


def hurting_session(*ids: str) -> SessionEngine:
    routine = m.Routine.model_validate({
        "id": "h", "name": "H", "rest_between_exercises": 20,
        "exercises": [{"exercise": i} for i in ids]})
    return SessionEngine(compile_routine(routine, HURTS, prepare=10))


def cues_after(events, t: float) -> list[Cue]:
    return [e for when, e in events if isinstance(e, Cue) and when >= t]


def assert_every_cue_from(eng: SessionEngine, events, index: int, t: float) -> None:
    """Nothing due is lost: every cue of the steps from ``index`` on was said or shown
    after ``t``, each once."""
    wanted = {(i, *w.key) for i, step in enumerate(eng.timeline.steps) if i >= index
              for w in eng.speech._script_of(i, step.duration, step.goal).wants}
    keys = [c.key for c in cues_after(events, t) if c.key[0] >= index]
    assert len(keys) == len(set(keys))
    assert set(keys) == wanted


def test_a_swap_plans_the_easier_exercises_words_and_counts_it_from_one():
    eng = hurting_session("plank", "bridge")
    events = run(eng, until=22.0, start=0.0)   # 12 s into the plank's first set
    assert eng.current.exercise_id == "plank"
    index = eng.index
    swapped = eng.swap(22.0, HURTS["dead-bug"], set_rest=20, lead_in=10)
    events += [(22.0, e) for e in swapped]
    # The lead-in rest names the stand-in at once; the plank's halfway and countdown
    # belong to a step that is gone.
    assert eng.current.kind is StepKind.REST and eng.current.next_name == "Dead bug"
    said = [e for e in swapped if isinstance(e, Cue)]
    assert [c.text for c in said] == ["Rest 10 seconds. Next: Dead bug"]
    texts = eng.speech_texts(start=index)
    assert "Dead bug. Keep your lower back down" in texts
    assert texts.index("Rest 10 seconds. Next: Dead bug") < texts.index("6")
    events += run(eng)
    assert eng.state is State.FINISHED
    assert_no_talking_over(events)
    assert_every_cue_from(eng, events, index, 22.0)
    after = cues_after(events, 22.0)
    assert not [c for c in after if "Plank" in c.shown or c.text == "Halfway"]
    name = next(c for c in after if c.spoken and c.text.startswith("Dead bug"))
    counts = [c for c in after if c.kind == "count" and c.key[0] == index + 1]
    assert [c.text for c in counts] == ["1", "2", "3", "4", "5", "6"]
    assert all(c.spoken and c.due == pytest.approx(c.at) for c in counts)
    # Its name and key cue are heard in the lead-in, before its first count.
    assert name.due + name.length <= counts[0].due
    assert {c.text for c in after if c.spoken} <= set(texts)


def test_a_swap_without_a_lead_in_names_the_new_exercise_not_the_old_one():
    eng = hurting_session("plank", "bridge")
    events = run(eng, until=22.0, start=0.0)   # the plank's name was said as it began
    index = eng.index
    # As long as the plank: only what the step is, not its length, tells them apart.
    events += [(22.0, e) for e in eng.swap(22.0, HURTS["knee-plank"], set_rest=20,
                                              lead_in=0)]
    assert eng.current.exercise_id == "knee-plank" and eng.current.duration == 30
    events += run(eng)
    assert_no_talking_over(events)
    assert_every_cue_from(eng, events, index, 22.0)
    after = cues_after(events, 22.0)
    assert not [c for c in after if c.shown.startswith("Plank")]
    name = next(c for c in after if c.key == (index, "opening"))
    # No rest to say it in: just after the swap, within two seconds.
    assert name.spoken and name.text.startswith("Knee plank") and name.due <= 24.0
    assert [c.due for c in after if c.text == "Halfway" and c.key[0] == index] == [37.0]


def test_a_swap_while_speaking_stops_the_voice_and_plans_with_the_new_lengths():
    lengths: dict[str, float] = {}
    eng = SessionEngine(hurting_session("bridge", "plank").timeline, lengths=lengths.get)
    lengths.update({t: estimate_seconds(t) for t in eng.speech_texts()})
    events = run(eng, until=10.0, start=0.0)   # the bridge's first count
    assert eng.current.exercise_id == "bridge"
    index = eng.index
    counting = [e for e in eng.tick(10.05) if isinstance(e, Cue)]
    events += [(10.05, e) for e in counting]
    # While the count is still being said, it hurts: the voice stops at once.
    swapped = eng.swap(10.1, HURTS["hook-lying-march"], set_rest=15, lead_in=10)
    assert VoiceStop() in swapped
    events += [(10.1, e) for e in swapped]
    # The march's words are not made yet; made, they turn out longer than guessed.
    new = [t for t in eng.speech_texts(start=index) if t not in lengths]
    assert "Hook-lying march. Lift one foot an inch, slowly" in new
    events += run(eng, until=11.0)
    lengths.update({t: 1.4 * estimate_seconds(t) for t in new})
    eng.lengths_changed()
    events += run(eng)
    assert_no_talking_over(events)
    assert_every_cue_from(eng, events, index, 10.1)
    after = [c for c in cues_after(events, 11.0) if c.spoken]
    for cue in after:
        assert cue.length == pytest.approx(lengths[cue.text])
        assert cue.due <= cue.at + 1e-6
    march = next(i for i, s in enumerate(eng.timeline.steps)
                 if s.exercise_id == "hook-lying-march")
    assert counts_by_step(events)[march] == expected_counts(eng.timeline.steps[march])
    assert counts_by_step(events)[march][0] == "1 left"


def test_skipping_the_exercise_plans_from_the_next_one_and_counts_it_from_one():
    eng = hurting_session("bridge", "dead-bug")
    events = run(eng, until=14.2, start=0.0)    # the first rep's "And back" being said
    assert eng.current.exercise_id == "bridge" and eng.current.set_number == 1
    skipped = eng.skip_exercise(14.2)
    assert VoiceStop() in skipped
    events += [(14.2, e) for e in skipped]
    # Its second set goes too: the rest before the dead bug names it.
    assert eng.current.before_next_exercise and eng.current.next_name == "Dead bug"
    index = eng.index
    events += run(eng)
    assert_no_talking_over(events)
    assert_every_cue_from(eng, events, index, 14.2)
    after = cues_after(events, 14.2)
    assert not [c for c in after if c.text in ("Last set", "Rest 15 seconds. Then the last set")]
    counts = [c for c in after if c.kind == "count"]
    assert [c.text for c in counts] == ["1", "2", "3", "4", "5", "6"]
    name = next(c for c in after if c.spoken and c.text.startswith("Dead bug"))
    assert name.due + name.length <= counts[0].due
