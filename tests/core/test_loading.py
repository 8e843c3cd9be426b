"""The loader: every kind of bad input gets a clear, located problem and loses nothing else."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.loading import RoutineError, combine, load_file, load_library, parse_text

EXERCISE = """\
  - id: {id}
    name: {name}
    category: core
    position: all-fours
    steps: [Reach out, Come back]
    key_cue: Keep your back flat
    why: Trains the muscles that keep the spine steady
    dose: {{reps: 10, hold: 3s, sides: alternating}}
"""


def exercise(ident: str = "bird-dog", name: str = "Bird dog") -> str:
    return EXERCISE.format(id=ident, name=name)


def good_file() -> str:
    return (
        "format: 1\nexercises:\n" + exercise() + exercise("plank", "Plank")
        + "routines:\n  - id: evening\n    name: Evening\n    exercises:\n"
        "      - exercise: bird-dog\n      - exercise: plank\n        dose: {hold: 30s, sets: 2}\n"
    )


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def only_problem(lib_or_parsed) -> str:
    problems = lib_or_parsed.problems
    assert len(problems) == 1, [str(p) for p in problems]
    return str(problems[0])


def test_a_good_file_loads_into_models():
    lib = combine([parse_text(good_file(), "good.yaml")])
    assert lib.ok, [str(p) for p in lib.problems]
    assert set(lib.exercises) == {"bird-dog", "plank"}
    routine = lib.routines["evening"]
    assert routine.exercises[1].dose == m.HoldDose(hold=30, sets=2)
    dose = lib.exercises["bird-dog"].dose
    assert isinstance(dose, m.RepsDose) and dose.guided and dose.rep_phases == (2, 3, 2)


def test_typo_in_a_field_name_gets_a_did_you_mean():
    text = good_file().replace("dose: {reps: 10, hold: 3s", "dose: {repz: 10, hold: 3s", 1)
    problem = only_problem(parse_text(text, "typo.yaml"))
    assert problem.startswith(f"typo.yaml:{line_of(text, 'repz')}:")
    assert "exercises[bird-dog].dose.repz" in problem
    assert "did you mean 'reps'" in problem


def test_unknown_top_level_section():
    problem = only_problem(parse_text(good_file() + "programmes: []\n", "f.yaml"))
    assert "unknown field 'programmes' (did you mean 'programs'?)" in problem


def test_wrong_type_names_what_it_got():
    text = good_file().replace("hold: 30s, sets: 2", "hold: 30s, sets: two")
    problem = only_problem(parse_text(text, "f.yaml"))
    assert "routines[evening].exercises[plank].dose.sets" in problem
    assert "should be a whole number, not the text 'two'" in problem


def test_negative_duration():
    text = good_file().replace("hold: 30s, sets: 2", "hold: -10, sets: 2")
    problem = only_problem(parse_text(text, "f.yaml"))
    assert f":{line_of(text, 'hold: -10')}:" in problem
    assert "dose.hold" in problem and "more than 0" in problem


def test_missing_field_points_at_its_entry():
    text = good_file().replace("    key_cue: Keep your back flat\n", "", 1)
    problem = only_problem(parse_text(text, "f.yaml"))
    assert problem.startswith("f.yaml:3:") and "'key_cue' is missing" in problem


def test_all_problems_in_a_file_are_reported_together():
    text = (good_file().replace("sets: 2", "sets: 0")
            .replace("category: core", "category: cor", 1)
            .replace("format: 1", "format: 1\nextra: true"))
    problems = parse_text(text, "f.yaml").problems
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_one_broken_entry_does_not_lose_the_others():
    text = good_file().replace("category: core", "category: nope", 1)
    lib = combine([parse_text(text, "f.yaml")])
    assert "plank" in lib.exercises and "bird-dog" not in lib.exercises
    # The routine needs the broken exercise, so it is reported, not silently half-loaded.
    assert "evening" not in lib.routines
    assert any("has problems of its own" in str(p) for p in lib.problems)


def test_unknown_exercise_in_a_routine(tmp_path):
    text = good_file().replace("exercise: plank", "exercise: plnk")
    write(tmp_path, "a.yaml", text)
    lib = load_library([tmp_path])
    problem = only_problem(lib)
    assert f"a.yaml:{line_of(text, 'plnk')}:9:" in problem
    assert "no exercise with the id 'plnk' (did you mean 'plank'?)" in problem
    assert "evening" not in lib.routines and "plank" in lib.exercises


def test_references_work_across_files_and_a_broken_file_does_not_stop_the_others(tmp_path):
    write(tmp_path, "1-library.yaml", "format: 1\nexercises:\n" + exercise())
    write(tmp_path, "2-broken.yaml", "format: 1\nexercises: [\n")
    write(tmp_path, "3-routine.yaml", """\
        format: 1
        routines:
          - id: mine
            name: Mine
            exercises: [{exercise: bird-dog}]
        """)
    lib = load_library([tmp_path])
    assert "mine" in lib.routines and "bird-dog" in lib.exercises
    problem = only_problem(lib)
    assert "2-broken.yaml:" in problem and "not valid YAML" in problem


def test_duplicate_ids_across_files_name_the_first(tmp_path):
    write(tmp_path, "a.yaml", "format: 1\nexercises:\n" + exercise())
    write(tmp_path, "b.yaml", "format: 1\nexercises:\n" + exercise(name="Bird dog, mine"))
    problem = only_problem(load_library([tmp_path]))
    assert "b.yaml:3:" in problem and "already used at" in problem and "a.yaml:3" in problem
    assert "defined differently there" in problem


def test_two_files_may_carry_the_same_exercise_word_for_word(tmp_path):
    # Two routines sent at different times both bring the custom exercise they use.
    routine = "routines:\n  - {{id: {0}, name: {0}, exercises: [{{exercise: my-dog}}]}}\n"
    write(tmp_path, "a.yaml", "format: 1\nexercises:\n" + exercise("my-dog")
          + routine.format("first"))
    write(tmp_path, "b.yaml", "format: 1\nexercises:\n" + exercise("my-dog")
          + routine.format("second"))
    lib = load_library([tmp_path])
    assert lib.ok, [str(p) for p in lib.problems]
    assert {"first", "second"} <= set(lib.routines) and "my-dog" in lib.exercises
    assert lib.origins[("exercises", "my-dog")].file.endswith("a.yaml")
    # Within one file, a repeated entry is still a mistake, even word for word.
    write(tmp_path, "a.yaml", "format: 1\nexercises:\n" + exercise("my-dog") * 2)
    assert "already used at" in only_problem(load_library([tmp_path / "a.yaml"]))
    # A routine is never shared: the same routine in two files is one too many.
    write(tmp_path, "c.yaml", "format: 1\n" + routine.format("second"))
    assert "the id 'second' is already used" in str(load_library([tmp_path]).problems)


def test_variant_cycles_are_refused():
    text = "format: 1\nexercises:\n" + exercise("a", "A") + "    easier: [b]\n" + exercise(
        "b", "B") + "    easier: [c]\n" + exercise("c", "C") + "    easier: [a]\n"
    problems = [str(p) for p in combine([parse_text(text, "f.yaml")]).problems]
    assert len(problems) == 1
    assert "go round in a circle" in problems[0] and "a -> c -> b -> a" in problems[0]


def test_self_variant_and_unknown_variant():
    text = ("format: 1\nexercises:\n" + exercise("a", "A") + "    easier: [a]\n"
            "    harder: [zz]\n")
    problems = [str(p) for p in combine([parse_text(text, "f.yaml")]).problems]
    assert any("its own easier variant" in p for p in problems)
    assert any("no exercise with the id 'zz'" in p for p in problems)


def test_python_tags_are_refused_without_running_anything(tmp_path):
    marker = tmp_path / "pwned"
    text = f'format: 1\nexercises: !!python/object/apply:os.system ["touch {marker}"]\n'
    problem = only_problem(parse_text(text, "evil.yaml"))
    assert "evil.yaml:2:" in problem and "Python tag" in problem
    assert not marker.exists()


def test_custom_tags_are_refused():
    problem = only_problem(parse_text("format: 1\nexercises: !include other.yaml\n", "f.yaml"))
    assert "tag '!include' is not allowed" in problem


def test_alias_bomb_is_refused_quickly():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    started = time.perf_counter()
    problem = only_problem(parse_text("\n".join(lines), "bomb.yaml"))
    # Generous bound: fully expanded this is 10^9 strings; refusing costs milliseconds.
    assert time.perf_counter() - started < 5
    assert "bomb.yaml:" in problem and "more than 50000 values" in problem


def test_aliases_within_limits_are_fine():
    text = good_file().replace("dose: {hold: 30s, sets: 2}", "dose: &hold {hold: 30s, sets: 2}")
    text += ("  - id: twice\n    name: Twice\n    exercises:\n"
             "      - {exercise: plank, dose: *hold}\n")
    lib = combine([parse_text(text, "f.yaml")])
    assert lib.ok and lib.routines["twice"].exercises[0].dose.sets == 2


def test_file_size_limit(tmp_path):
    big = write(tmp_path, "big.yaml", "format: 1\n" + "# padding\n" * 120_000)
    problem = only_problem(load_library([big]))
    assert "big.yaml" in problem and "KiB" in problem


def test_duplicate_keys_are_an_error():
    problem = only_problem(parse_text(good_file().replace("format: 1", "format: 1\nformat: 1"),
                                      "f.yaml"))
    assert "f.yaml:2:" in problem and "appears twice" in problem


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "must be a mapping"),
        ("exercises: []\n", "'format: 1' is missing"),
        ("format: 9\n", "format 9; this version of BackRehab reads format 1"),
        ("format: 1\n\texercises: []\n", "tab"),
        ("format: 1\n---\nformat: 1\n", "more than one YAML document"),
        (b"format: 1\nname: \xff\xfe\n", "not UTF-8"),
        ("format: 1\nexercises: {}\n", "should be a list"),
        ("format: 1\nexercises:\n  - <<: {id: x}\n", "merge keys"),
    ],
)
def test_malformed_files(text, expected):
    problem = only_problem(parse_text(text, "f.yaml"))
    assert expected in problem and problem.startswith("f.yaml")


def test_deep_nesting_is_refused():
    problem = only_problem(parse_text("format: 1\nx: " + "[" * 200 + "]" * 200 + "\n", "f.yaml"))
    assert "nested" in problem


def test_illustrations_cannot_point_outside_the_allowed_folders(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "secret.svg").write_text("<svg/>")
    text = "format: 1\nexercises:\n" + exercise() + "    illustration: {start: ../secret.svg}\n"
    write(tmp_path / "routines", "a.yaml", text)
    problem = only_problem(load_library([tmp_path / "routines"]))
    assert "points outside the routine and asset folders" in problem


def test_illustrations_resolve_next_to_the_file_or_in_assets(tmp_path):
    folder, assets = tmp_path / "routines", tmp_path / "assets"
    folder.mkdir()
    (assets / "img").mkdir(parents=True)
    (folder / "start.svg").write_text("<svg/>")
    (assets / "img" / "end.svg").write_text("<svg/>")
    text = ("format: 1\nexercises:\n" + exercise()
            + "    illustration: {start: start.svg, end: img/end.svg}\n")
    write(folder, "a.yaml", text)
    lib = load_library([folder], asset_roots=[assets])
    assert lib.ok, [str(p) for p in lib.problems]
    start, end = lib.images["bird-dog"]
    assert start == (folder / "start.svg").resolve() and end == (assets / "img/end.svg").resolve()


def test_missing_illustration_is_reported(tmp_path):
    text = "format: 1\nexercises:\n" + exercise() + "    illustration: {start: nope.svg}\n"
    write(tmp_path, "a.yaml", text)
    assert "was not found" in only_problem(load_library([tmp_path]))


def test_unknown_source_id():
    text = good_file().replace("hold: 30s, sets: 2", "hold: 30s, sets: 2, source: guide-x")
    assert "no source with the id 'guide-x'" in only_problem(combine([parse_text(text, "f")]))


def test_a_program_may_not_use_an_exercise_the_safety_list_covers():
    text = good_file() + textwrap.dedent("""\
        programs:
          - id: prog
            name: Program
            phases:
              - {id: one, name: One, weeks: 1-2, sessions: [{routine: evening, per_week: 3}]}
        safety:
          disclaimer: Not medical advice.
          avoid:
            - id: no-plank
              name: Planks (for this test)
              why: test
              covers: [plank]
        """)
    lib = combine([parse_text(text, "f.yaml")])
    assert "prog" not in lib.programs
    assert "which the safety list says to avoid" in only_problem(lib)


def test_program_phases_must_follow_on():
    text = good_file() + textwrap.dedent("""\
        programs:
          - id: prog
            name: Program
            phases:
              - {id: one, name: One, weeks: 1-2, sessions: [{routine: evening, per_week: 3}]}
              - {id: two, name: Two, weeks: 4-6, sessions: [{routine: evening, per_week: 3}]}
        """)
    assert "starts in week 4, but should start in week 3" in only_problem(
        parse_text(text, "f.yaml"))


def test_text_is_kept_as_written_not_markup():
    text = good_file().replace("Keep your back flat", "'<b>Keep</b> & <i>flat</i>'", 1)
    lib = combine([parse_text(text, "f.yaml")])
    assert lib.exercises["bird-dog"].key_cue == "<b>Keep</b> & <i>flat</i>"


def test_load_file_raises_the_projects_error_with_every_problem(tmp_path):
    path = write(tmp_path, "a.yaml", good_file().replace("sets: 2", "sets: 0").replace(
        "format: 1", "format: 1\nbogus: 1"))
    with pytest.raises(RoutineError) as err:
        load_file(path)
    assert len(err.value.problems) == 2
    assert load_file(write(tmp_path, "b.yaml", good_file())).routines[0].id == "evening"


def test_unreadable_path_is_a_problem_not_a_crash(tmp_path):
    lib = load_library([tmp_path / "missing.yaml"])
    assert "no such file" in only_problem(lib)


def test_tab_indentation_is_named():
    problem = only_problem(parse_text("format: 1\nexercises:\n\t- id: x\n", "f.yaml"))
    assert "a tab is used for indentation" in problem and "f.yaml:3:" in problem


def test_clock_times_stay_text_rather_than_base_60_numbers():
    text = good_file().replace("dose: {hold: 30s, sets: 2}", "dose: {hold: 1:30, sets: 2}")
    lib = combine([parse_text(text, "f.yaml")])
    assert lib.ok and lib.routines["evening"].exercises[1].dose.hold == 90


def test_a_file_without_a_known_format_is_not_half_read():
    parsed = parse_text(good_file().replace("format: 1", "format: true"), "f.yaml")
    assert "should be 1, not True" in only_problem(parsed)
    assert parsed.entries["exercises"] == []


def test_a_misspelt_dose_kind_gets_a_hint():
    text = good_file().replace("dose: {hold: 30s, sets: 2}", "dose: {hodl: 30s}")
    problem = only_problem(parse_text(text, "f.yaml"))
    assert "a dose needs one of" in problem and "did you mean 'hold' for 'hodl'" in problem


def test_durations_beyond_four_hours_say_so_in_plain_words():
    text = good_file().replace("dose: {hold: 30s, sets: 2}", "dose: {hold: 5 hours}")
    assert "at most 4 hours" in only_problem(parse_text(text, "f.yaml"))


def test_upper_case_extensions_are_read(tmp_path):
    write(tmp_path, "A.YAML", good_file())
    assert "evening" in load_library([tmp_path]).routines


PROGRAM = """\
programs:
  - id: prog
    name: Program
    phases:
      - {id: one, name: One, weeks: 1-2, sessions: [{routine: evening, per_week: 3}]}
    progressions:
      - {exercise: %s, change: %s, add: 5s, up_to: 1 min}
"""


def test_progressions_accept_time_units_and_must_apply():
    ok = combine([parse_text(good_file() + PROGRAM % ("plank", "hold"), "f.yaml")])
    assert ok.ok and ok.programs["prog"].progressions[0].up_to == 60
    spare = good_file().replace("routines:\n", exercise("spare", "Spare") + "routines:\n")
    unused = combine([parse_text(spare + PROGRAM % ("spare", "hold"), "f.yaml")])
    assert "no routine of this program uses 'spare'" in only_problem(unused)
    wrong = combine([parse_text(good_file() + PROGRAM % ("plank", "reps"), "f.yaml")])
    assert "'plank' has no reps to grow" in only_problem(wrong)


def test_duplicate_phase_ids_are_refused():
    text = good_file() + PROGRAM.replace(
        "      - {id: one, name: One, weeks: 1-2, sessions: [{routine: evening, per_week: 3}]}\n",
        "      - {id: one, name: One, weeks: 1-2, sessions: [{routine: evening, per_week: 3}]}\n"
        "      - {id: one, name: Two, weeks: 3-4, sessions: [{routine: evening, per_week: 3}]}\n"
    ) % ("plank", "hold")
    assert "the id 'one' appears twice in phases" in only_problem(parse_text(text, "f.yaml"))
