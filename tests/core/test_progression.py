"""Weekly progressions raise a dose step by step and never past their limit."""

from backrehab_gui.core import model as m
from backrehab_gui.core.dose_text import describe
from backrehab_gui.core.progression import progressed, steps_taken

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
