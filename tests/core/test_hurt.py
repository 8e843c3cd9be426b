""""Stop: it hurts": which answers open the red-flag check, what is offered first, and
which easier variant a person may be given."""

from __future__ import annotations

from backrehab_gui.core import model as m
from backrehab_gui.core.hurt import (
    Action,
    Hurt,
    advice,
    choices,
    easier_variant,
    opens_check,
    recommended,
)


def ex(ident: str, easier=(), moves=()) -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": ident.capitalize(), "category": "core", "position": "on-back",
        "steps": ["Do it"], "key_cue": "Breathe", "why": "It helps", "dose": {"hold": 10},
        "easier": list(easier), "spine_moves": list(moves),
    })


LIB = {e.id: e for e in (
    ex("plank", easier=["gone", "crunch", "cobra", "knee-plank"]),
    ex("knee-plank"),
    ex("crunch"),
    ex("cobra", moves=["bend-backward"]),
    ex("bridge"),
)}
SAFETY = m.Safety.model_validate({
    "disclaimer": "Not medical advice.",
    "avoid": [{"id": "crunches", "name": "Crunches", "why": "Strain.", "covers": ["crunch"]}],
})


def test_leg_symptoms_and_numbness_open_the_red_flag_check():
    assert opens_check(Hurt.LEG) and opens_check(Hurt.NUMBNESS)
    assert not opens_check(Hurt.BACK) and not opens_check(Hurt.OTHER)


def test_going_on_with_the_exercise_that_hurts_is_never_offered():
    assert choices(in_exercise=True, has_easier=True) == [Action.EASIER, Action.SKIP, Action.END]
    assert choices(in_exercise=True, has_easier=False) == [Action.SKIP, Action.END]
    assert choices(in_exercise=False, has_easier=True) == [Action.GO_ON, Action.END]


def test_leg_symptoms_recommend_ending_back_pain_the_easier_variant():
    with_easier = choices(True, True)
    assert recommended(Hurt.LEG, with_easier) is Action.END
    assert recommended(Hurt.NUMBNESS, with_easier) is Action.END
    assert recommended(Hurt.BACK, with_easier) is Action.EASIER
    assert recommended(Hurt.BACK, choices(True, False)) is Action.SKIP
    assert recommended(Hurt.OTHER, choices(False, False)) is Action.GO_ON


def test_every_answer_says_to_stop_the_exercise_and_when_to_see_someone():
    for hurt in Hurt:
        assert advice(hurt).startswith("Stop this exercise")
    assert "doctor" in advice(Hurt.LEG) and "doctor" in advice(Hurt.BACK)


def test_the_easier_variant_skips_what_is_missing_covered_or_moves_a_sensitive_way():
    # "gone" is not in the library, "crunch" is covered by the avoid list.
    assert easier_variant("plank", LIB, SAFETY).id == "cobra"
    assert easier_variant("plank", LIB, SAFETY, {m.SpineMove.BEND_BACKWARD}).id == "knee-plank"
    assert easier_variant("bridge", LIB, SAFETY) is None
    assert easier_variant(None, LIB, SAFETY) is None
    assert easier_variant("not-there", LIB, SAFETY) is None
