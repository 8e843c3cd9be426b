"""What a new version changes, in the words the import's question uses."""

from __future__ import annotations

from backrehab_gui.core import model as m
from backrehab_gui.core.replacement import exercise_changes, program_changes, routine_changes


def exercise(**change) -> m.Exercise:
    data = {"id": "my-tilt", "name": "My pelvic tilt", "category": "mobility",
            "position": "on-back", "steps": ["Flatten your back."], "key_cue": "Slowly",
            "why": "It wakes the deep belly muscles.", "dose": {"reps": 8}}
    return m.Exercise.model_validate({**data, **change})


def routine(items: list[dict], **change) -> m.Routine:
    return m.Routine.model_validate({"id": "r", "name": "Mine", "exercises": items, **change})


EXERCISES = {"my-tilt": exercise(), "bird-dog": exercise(id="bird-dog", name="Bird dog")}


def test_an_exercise_names_each_kind_of_change_once():
    assert exercise_changes(exercise(), exercise()) == []
    assert exercise_changes(exercise(), exercise(
        name="Pelvic tilt", dose={"reps": 8, "tempo": {"up": 3}}, steps=["Flatten it."],
        key_cue="Gently", stop_if=["Sharp pain"], harder=["bird-dog"])) == [
        "its name becomes 'Pelvic tilt'",
        "its usual dose changes in its details (8 reps)",
        "its instructions change", "its warnings change", "its easier and harder choices "
        "change"]


def test_a_routine_tells_moves_cues_notes_and_rests_apart_from_doses():
    old = routine([{"exercise": "my-tilt"}, {"exercise": "bird-dog"},
                   {"exercise": "bird-dog", "dose": {"reps": 6}}])
    new = routine([{"exercise": "bird-dog"}, {"exercise": "my-tilt", "note": "Slowly now",
                                              "cues": [{"at": 2, "say": "Breathe"}]}],
                  rest_between_exercises=20, prepare=5)
    assert routine_changes(old, new, EXERCISES, EXERCISES) == [
        "leaves out Bird dog",
        "My pelvic tilt: its spoken cues change",
        "My pelvic tilt: its note changes",
        "the exercises come in another order",
        "the time to get ready is now 5s",
        "the rest between exercises is now 20s"]
    assert routine_changes(old, old, EXERCISES, EXERCISES) == []
    paced = routine([{"exercise": "my-tilt", "dose": {"reps": 8, "tempo": {"up": 3}}}])
    assert routine_changes(routine([{"exercise": "my-tilt"}]), paced, EXERCISES,
                           EXERCISES) == ["My pelvic tilt: its dose changes in its details "
                                          "(8 reps)"]


def test_a_program_says_its_length_and_phases():
    def program(**change) -> m.Program:
        return m.Program.model_validate({
            "id": "p", "name": "Mine", "phases": [
                {"id": "a", "name": "Start", "weeks": "1-2",
                 "sessions": [{"routine": "r", "per_week": 3}]}], **change})

    longer = program(phases=[
        {"id": "a", "name": "Start", "weeks": "1-2", "sessions": [{"routine": "r", "per_week": 2}]},
        {"id": "b", "name": "Strength", "weeks": "3-6",
         "sessions": [{"routine": "r", "per_week": 3}]}])
    assert program_changes(program(), longer) == [
        "it lasts 6 weeks instead of 2", "adds the phase 'Strength'",
        "the phase 'Start' changes"]
    assert program_changes(longer, program()) == [
        "it lasts 2 weeks instead of 6", "leaves out the phase 'Strength'",
        "the phase 'Start' changes"]
