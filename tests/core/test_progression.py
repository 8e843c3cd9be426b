"""Weekly progressions raise a dose step by step and never past their limit."""

from backrehab_gui.core import model as m
from backrehab_gui.core.dose_text import describe
from backrehab_gui.core.progression import (
    HELD_BY_FLAG,
    HELD_BY_PERSON,
    HOLD,
    RESUME,
    STEP_BACK,
    DoseHistory,
    ProgressionChoice,
    course,
    doses_for_week,
    given_steps,
    progressed,
    steps_taken,
)

PLANK = m.Progression(exercise="plank", change="hold", add=5, from_week=3, up_to=60)


def test_plank_hold_grows_five_seconds_a_week_up_to_a_minute():
    base = m.HoldDose(hold=20)
    holds = [progressed(base, "plank", [PLANK], week).hold for week in range(1, 15)]
    assert holds[:4] == [20, 20, 25, 30]
    assert max(holds) == 60 and holds[-1] == 60


def test_rules_only_touch_their_exercise_and_never_lower_a_dose():
    assert progressed(m.HoldDose(hold=20), "bird-dog", [PLANK], 10).hold == 20
    assert progressed(m.HoldDose(hold=90), "plank", [PLANK], 10).hold == 90


def test_reps_and_sets_rules():
    reps = m.Progression(exercise="x", change="reps", add=2, every_weeks=2, up_to=15)
    sets = m.Progression(exercise="x", change="sets", add=1, from_week=2, up_to=3)
    dose = m.RepsDose.model_validate({"reps": "8-12", "target": 10, "sets": 2})
    assert steps_taken(reps, 1) == 1 and steps_taken(reps, 2) == 1 and steps_taken(reps, 3) == 2
    week5 = progressed(dose, "x", [reps, sets], 5)
    assert week5.count == 15 and week5.sets == 3


def test_describe_says_the_dose_in_words():
    assert describe(m.RepsDose.model_validate(
        {"reps": 10, "hold": 3, "sides": "alternating", "sets": 2})) == \
        "2 x 10 reps, 3s hold each, per side, alternating"
    assert describe(m.HoldDose(hold="max", goal=30)) == "hold as long as you can (goal 30s)"
    assert describe(m.ActivityDose(activity=600)) == "10 min"


# --- The dose actually given: holds after a flag, the person's own choices ----------------

def given(rule, flags=None, choices=(), weeks=8, nominal=lambda w: w):
    history = DoseHistory(nominal, flags or {}, tuple(choices))
    return [progressed(m.HoldDose(hold=20), "plank", [rule], w, given_steps(history)).hold
            for w in range(1, weeks + 1)]


def test_without_flags_or_choices_the_dose_given_is_the_plan():
    plan = [progressed(m.HoldDose(hold=20), "plank", [PLANK], w).hold for w in range(1, 9)]
    assert given(PLANK) == plan == [20, 20, 25, 30, 35, 40, 45, 50]


def test_a_flag_holds_the_next_step_and_the_dose_carries_on_one_step_behind():
    # A flag in week 3: week 4's step waits; the next steps come as planned.
    assert given(PLANK, {3: ("pain 3 to 6",)}) == [20, 20, 25, 25, 30, 35, 40, 45]
    history = DoseHistory(lambda w: w, {3: ("pain 3 to 6",)})
    steps = course(PLANK, history, 5)
    assert steps[3].held == HELD_BY_FLAG and steps[3].flag_weeks == (3,)
    assert history.flag_texts(steps[3].flag_weeks) == ("pain 3 to 6",)
    assert (steps[3].planned, steps[3].given) == (2, 1)
    assert steps[4].held is None
    # A flag in a week with no step after it holds nothing; nor does one two weeks back.
    assert given(PLANK, {1: ("x",)}) == given(PLANK)
    assert given(PLANK, {5: ("x",)})[5] == 35 and given(PLANK, {4: ("x",)})[5] == 35


def test_the_person_can_hold_resume_and_step_back():
    # Held from week 5: 30 s stays until resumed from week 7.
    hold = [ProgressionChoice("plank", 5, HOLD), ProgressionChoice("plank", 7, RESUME)]
    assert given(PLANK, choices=hold) == [20, 20, 25, 30, 30, 30, 35, 40]
    steps = course(PLANK, DoseHistory(lambda w: w, {}, tuple(hold)), 7)
    assert steps[4].held == HELD_BY_PERSON and steps[4].paused and not steps[6].paused
    # Stepping back in week 5 (35 s planned) goes one step down and holds there.
    back = [ProgressionChoice("plank", 5, STEP_BACK)]
    assert given(PLANK, choices=back) == [20, 20, 25, 30, 30, 30, 30, 30]
    step = course(PLANK, DoseHistory(lambda w: w, {}, tuple(back)), 5)[4]
    assert step.stepped_back and (step.stepped_from, step.given) == (3, 2)
    # Never below the dose as written; other exercises' choices change nothing.
    many = [ProgressionChoice("plank", 3, STEP_BACK)] * 3
    assert given(PLANK, choices=many)[2:4] == [20, 20]
    assert given(PLANK, choices=[ProgressionChoice("bird-dog", 4, HOLD)]) == given(PLANK)


def test_a_repeated_week_takes_no_step_and_the_plan_goes_on_after_it():
    # Calendar week 4 repeats program week 3.
    def nominal(week):
        return week if week <= 3 else week - 1

    assert given(PLANK, nominal=nominal) == [20, 20, 25, 25, 30, 35, 40, 45]


def test_rules_every_two_weeks_wait_for_their_own_step():
    rule = m.Progression(exercise="plank", change="hold", add=10, every_weeks=2, from_week=2,
                         up_to=60)
    assert given(rule) == [20, 30, 30, 40, 40, 50, 50, 60]
    # A flag in week 2 holds nothing (week 3 has no step); in week 3 it holds week 4's,
    # and from then on the dose is one step behind the plan.
    assert given(rule, {2: ("x",)}) == given(rule)
    assert given(rule, {3: ("x",)}) == [20, 30, 30, 30, 30, 40, 40, 50]


def test_doses_for_week_uses_the_history_for_calendar_weeks():
    exercises = {"plank": m.Exercise.model_validate({
        "id": "plank", "name": "Plank", "category": "core", "position": "on-front",
        "steps": ["Hold"], "key_cue": "Breathe", "why": "Strength", "dose": {"hold": 20}})}
    routine = m.Routine.model_validate({"id": "r", "name": "R",
                                        "exercises": [{"exercise": "plank"}]})
    program = m.Program.model_validate({
        "id": "p", "name": "P", "progressions": [PLANK.model_dump()],
        "phases": [{"id": "one", "name": "One", "weeks": "1-8",
                    "sessions": [{"routine": "r", "per_week": 3}]}]})
    assert doses_for_week(routine, exercises, program, 4)[0].hold == 30
    history = DoseHistory(lambda w: w, {3: ("worse",)})
    assert doses_for_week(routine, exercises, program, 4, history)[0].hold == 25
    assert doses_for_week(routine, exercises, program, 2, history) == {}


def test_a_held_dose_still_reaches_the_rules_maximum():
    held = given(PLANK, {3: ("x",), 5: ("y",)}, weeks=16)
    assert held[-1] == 60 and held.index(60) == given(PLANK, weeks=16).index(60) + 2
