"""Every problem of a file at once: a bad id is not held back until the rest is fixed.

The format guide promises that `backrehab validate` (and the import, and the
editor, which use the same loader) list every problem together. An entry with
problems of its own is left out of the library, so the ids it names are read
from the file as written and checked too.
"""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from backrehab_gui.cli import main
from backrehab_gui.core.loading import combine, load_library, parse_text
from backrehab_gui.core.routine_check import check_text
from backrehab_gui.infra.routine_import import import_file

REPO = Path(__file__).resolve().parents[2]

# Three kinds of problem in one routine: an unknown field, a number out of
# range, and an exercise id that does not exist.
THREE = """\
format: 1
routines:
  - id: my-evening
    name: My evening
    exercises:
      - exercise: bird-dog
        dose: {reps: 0, hold: 3s}
      - exercise: glute-bridgee
      - exercise: dead-bug
        setz: 2
"""

EXPECTED = [
    (7, "routines[my-evening].exercises[bird-dog].dose.reps: must be at least 1, not 0"),
    (8, "routines[my-evening].exercises[glute-bridgee].exercise: there is no exercise with "
        "the id 'glute-bridgee' (did you mean 'glute-bridge'?)"),
    (10, "routines[my-evening].exercises[dead-bug].setz: unknown field 'setz'"),
]


def located(problems, name: str) -> list[tuple[int, str]]:
    return [(p.line, str(p)) for p in problems if p.file == name]


def assert_all_three(found: list[tuple[int, str]]) -> None:
    assert [line for line, _ in found] == [line for line, _ in EXPECTED], found
    for (_, text), (_, wanted) in zip(found, EXPECTED):
        assert wanted in text


def test_validate_prints_all_three_kinds_of_problem_at_once(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    path.write_text(THREE)
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert_all_three([(int(re.match(rf"{re.escape(str(path))}:(\d+):", line).group(1)), line)
                      for line in lines])
    assert re.search(r"^3 problems in 1 of \d+ files$", err, re.MULTILINE), err


def test_fixing_the_others_reveals_nothing_new(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(THREE)
    bundled = REPO / "routines"
    first = located(load_library([bundled, path]).problems, str(path))
    assert_all_three(first)
    path.write_text(THREE.replace("reps: 0", "reps: 8").replace("        setz: 2\n", ""))
    after = located(load_library([bundled, path]).problems, str(path))
    assert after == [first[1]]


def test_the_import_lists_all_three_and_copies_nothing(tmp_path):
    sent = tmp_path / "Downloads" / "plan.yaml"
    sent.parent.mkdir()
    sent.write_text(THREE)
    data = tmp_path / "data"
    result = import_file(sent, data)
    assert result.target is None
    assert_all_three(located(result.problems, str(sent)))
    assert not (data / "routines").exists()


def test_the_editor_marks_the_bad_id_with_the_other_two():
    bundled = [parse_text(p.read_bytes(), p.name, p.parent)
               for p in sorted((REPO / "routines").glob("*.yaml"))]
    checked = check_text(THREE, "mine.yaml", None, bundled)
    paths = [located.path for located in checked.problems]
    assert ("routines", 0, "exercises", 1, "exercise") in paths
    assert len(checked.problems) == 3, [str(p.problem) for p in checked.problems]


EXERCISE = """\
  - id: {id}
    name: {id}
    category: core
    position: all-fours
    steps: [Reach out]
    key_cue: Keep your back flat
    why: Steadies the spine
    dose: {{reps: 10}}
"""


def library(text: str):
    return combine([parse_text(textwrap.dedent(text), "f.yaml")])


def messages(lib) -> list[str]:
    return [str(p) for p in lib.problems]


def test_a_broken_exercise_still_has_its_variants_and_source_checked():
    text = ("format: 1\nexercises:\n"
            + EXERCISE.format(id="plank").replace("category: core", "category: cor")
            + "    harder: [side-plnk]\n    neutral_instead: nowhere\n")
    text = text.replace("dose: {reps: 10}", "dose: {reps: 10, source: guide-x}")
    found = messages(library(text))
    assert any("category: should be one of" in p for p in found), found
    assert any("harder[#1]: there is no exercise with the id 'side-plnk'" in p for p in found)
    assert any("neutral_instead: there is no exercise with the id 'nowhere'" in p
               for p in found)
    assert any("dose.source: there is no source with the id 'guide-x'" in p for p in found)


def test_a_broken_program_still_has_its_routines_and_progressions_checked():
    text = ("format: 1\nexercises:\n" + EXERCISE.format(id="plank") + textwrap.dedent("""\
        routines:
          - {id: evening, name: Evening, exercises: [{exercise: plank}]}
        programs:
          - id: prog
            name: Program
            colour: blue
            phases:
              - {id: one, name: One, weeks: 1-2, sessions: [{routine: evenin, per_week: 3}]}
            daily: [{block: morning, routine: mornin}]
            progressions:
              - {exercise: plnk, change: reps, add: 1, up_to: 12}
        """))
    found = messages(library(text))
    assert any("unknown field 'colour'" in p for p in found), found
    assert any("sessions[evenin].routine: there is no routine with the id 'evenin'" in p
               for p in found), found
    assert any("daily[mornin].routine: there is no routine with the id 'mornin'" in p
               for p in found), found
    assert any("progressions[plnk].exercise: there is no exercise with the id 'plnk'" in p
               for p in found), found


def test_a_broken_safety_section_still_has_its_exercises_checked():
    text = ("format: 1\nexercises:\n" + EXERCISE.format(id="plank") + textwrap.dedent("""\
        safety:
          avoid:
            - {id: no-sit-ups, name: Sit-ups, why: strain, instead: [plnk], covers: [sit-up]}
        """))
    found = messages(library(text))
    assert any("'disclaimer' is missing" in p for p in found), found
    assert any("instead[#1]: there is no exercise with the id 'plnk'" in p for p in found)
    assert any("covers[#1]: there is no exercise with the id 'sit-up'" in p for p in found)


def test_a_repeated_entry_still_has_its_references_checked():
    text = ("format: 1\nexercises:\n" + EXERCISE.format(id="plank") + textwrap.dedent("""\
        routines:
          - {id: evening, name: Evening, exercises: [{exercise: plank}]}
          - {id: evening, name: Evening again, exercises: [{exercise: plnk}]}
        """))
    found = messages(library(text))
    assert len(found) == 2, found
    assert "the id 'evening' is already used" in found[0]
    assert "there is no exercise with the id 'plnk'" in found[1]


def test_no_second_problem_where_the_entry_already_has_one():
    # An id that is not even in the form of an id is told once, by its own check;
    # an id of an exercise that is there but broken points to that exercise's problems.
    text = ("format: 1\nexercises:\n"
            + EXERCISE.format(id="plank").replace("category: core", "category: cor")
            + textwrap.dedent("""\
        routines:
          - id: evening
            name: Evening
            extra: 1
            exercises: [{exercise: Bird Dog}, {exercise: plank}]
        """))
    found = messages(library(text))
    assert len(found) == 3, found
    assert sum("Bird Dog" in p for p in found) == 1
    assert not any("no exercise with the id 'plank'" in p for p in found)


def test_a_late_cue_is_told_beside_an_unknown_exercise():
    text = ("format: 1\nexercises:\n" + EXERCISE.format(id="plank") + textwrap.dedent("""\
        routines:
          - id: evening
            name: Evening
            exercises:
              - {exercise: plnk}
              - exercise: plank
                dose: {hold: 20s}
                cues: [{at: 25s, say: Breathe}]
        """))
    found = messages(library(text))
    assert len(found) == 2, found
    assert "no exercise with the id 'plnk'" in found[0]
    assert "comes 25s into a set that lasts 20s" in found[1]
