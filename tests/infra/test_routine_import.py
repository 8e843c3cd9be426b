"""Importing a routine file: checked first, copied in only when it is good."""

from backrehab_gui.infra.routines import import_file, load_for_app

GOOD = """\
format: 1
routines:
  - id: from-my-therapist
    name: From my therapist
    exercises:
      - exercise: bird-dog
        dose: {reps: 6, hold: 5s, sides: alternating}
"""


def test_a_good_file_is_copied_in_and_loads_with_the_bundled_library(tmp_path):
    sent = tmp_path / "Downloads" / "plan.yaml"
    sent.parent.mkdir()
    sent.write_text(GOOD)
    data = tmp_path / "data"
    target, problems = import_file(sent, data)
    assert problems == [] and target == data / "routines" / "plan.yaml"
    assert "from-my-therapist" in load_for_app(data).routines
    again = tmp_path / "Downloads" / "other" / "plan.yaml"
    again.parent.mkdir()
    again.write_text(GOOD.replace("from-my-therapist", "second-one"))
    target2, problems = import_file(again, data)
    assert problems == [] and target2.name == "plan-2.yaml"


def test_a_bad_file_is_refused_with_located_problems_and_nothing_is_copied(tmp_path):
    sent = tmp_path / "plan.yaml"
    sent.write_text(GOOD.replace("bird-dog", "bird-dgo").replace("sides:", "sidez:"))
    data = tmp_path / "data"
    target, problems = import_file(sent, data)
    assert target is None and problems  # the broken entry is reported, not half-checked
    assert all(p.file == str(sent) and p.line for p in problems)
    assert not (data / "routines").exists()


def test_an_id_that_clashes_with_the_bundled_program_is_refused(tmp_path):
    sent = tmp_path / "plan.yaml"
    sent.write_text(GOOD.replace("from-my-therapist", "daily-evening"))
    target, problems = import_file(sent, tmp_path / "data")
    assert target is None and "already used" in str(problems[0])


def test_only_yaml_files(tmp_path):
    sent = tmp_path / "plan.txt"
    sent.write_text(GOOD)
    assert import_file(sent, tmp_path / "data")[0] is None
