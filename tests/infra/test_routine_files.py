"""Saving routine files: what is written loads back equal, and hand-written files keep
their comments, key order and way of writing values."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core import routine_writer as w
from backrehab_gui.core.loading import parse_text
from backrehab_gui.infra import paths, routine_files, routines


@pytest.fixture(scope="module")
def bundled():
    return routines.load_for_app(Path("/nonexistent-backrehab-data"))


def read_back(text: str, folder: Path | None = None):
    parsed = parse_text(text, "saved.yaml", folder)
    assert parsed.problems == []
    entries = {k: {e.id: e for _, e in v} for k, v in parsed.entries.items()}
    return entries, parsed.safety


def test_every_bundled_entry_is_written_and_read_back_equal(bundled):
    assert bundled.ok
    text = routine_files.dump(w.file_tree(
        sources=bundled.sources.values(), exercises=bundled.exercises.values(),
        routines=bundled.routines.values(), programs=bundled.programs.values(),
        safety=bundled.safety))
    entries, safety = read_back(text, paths.bundled_routines())
    for section in ("sources", "exercises", "routines", "programs"):
        wanted = getattr(bundled, section)
        assert entries[section].keys() == wanted.keys()
        for ident, entry in wanted.items():
            assert entries[section][ident] == entry, (section, ident)
    assert safety == bundled.safety
    assert "# Made with BackRehab's routine editor" in text


EVERY_DOSE = [
    {"hold": 30},
    {"hold": 20.5, "sides": "both", "sets": 3, "rest": 45},
    {"hold": "max"},
    {"hold": "max", "goal": 90, "sets": 2, "rest": 0},
    {"reps": 10},
    {"reps": "8-12", "target": 10, "sides": "alternating", "sets": 2, "rest": "1:30"},
    {"reps": 6, "tempo": {"up": 1.5, "down": 3}},
    {"reps": 12, "tempo": {}, "sides": "both"},
    {"reps": 5, "hold": 3, "sides": "alternating"},
    {"reps": "5-8", "target": 8, "hold": 10, "tempo": {"up": 1, "down": 2}, "sets": 3},
    {"breaths": 8},
    {"breaths": "5-10", "target": 7, "inhale": 4.5, "exhale": 6, "sets": 2, "rest": 10},
    {"activity": 600},
    {"activity": "1h"},
    {"activity": 95.25, "source": "pt"},
]


@pytest.mark.parametrize("dose", EVERY_DOSE, ids=lambda d: ",".join(map(str, d.values())))
def test_every_kind_of_dose_reads_back_equal(dose):
    routine = m.Routine.model_validate({
        "id": "r", "name": "R", "prepare": 0, "rest_between_sets": 12.5,
        "rest_between_exercises": 20,
        "exercises": [{"exercise": "e", "dose": dose, "note": "Gently",
                       "cues": [{"at": 2.5, "say": "Breathe: out"}], "rest_after": 0}]})
    source = m.Source(id="pt", title="My prescription")
    text = routine_files.dump(w.file_tree(sources=[source], routines=[routine]))
    entries, _ = read_back(text)
    assert entries["routines"]["r"] == routine


def test_durations_and_counts_are_written_as_a_person_writes_them():
    assert [w.duration(s) for s in (5, 45, 60, 90, 120, 2.5, 3600)] == [
        "5s", "45s", "1 min", "1m30s", "2 min", "2.5s", "60 min"]
    dose = m.RepsDose.model_validate({"reps": "8-12", "target": 10, "hold": 3,
                                      "sides": "alternating", "source": "x"})
    assert list(w.tree(dose).items()) == [("reps", "8-12"), ("target", 10), ("hold", "3s"),
                                          ("sides", "alternating"), ("source", "x")]


HAND_WRITTEN = """\
format: 1

# Jordan's plan for A. Smith, reviewed 3 March.
routines:
  - id: smith-week-1
    name: Week 1   # keep it short
    rest_between_exercises: 15s   # the default, spelled out
    exercises:
      # Start gently.
      - exercise: bird-dog
        dose: {reps: 6, hold: "0:05", sides: alternating}
        note: Slowly.
      - exercise: glute-bridge   # the main one
        dose:
          reps: 10
          hold: 2s
"""


def test_editing_a_hand_written_file_keeps_comments_order_and_style(tmp_path):
    path = tmp_path / "smith.yaml"
    path.write_text(HAND_WRITTEN)
    plan = routine_files.plan_save(path)
    assert plan.exists and plan.keeps_comments
    parsed = parse_text(HAND_WRITTEN, "smith.yaml")
    routine = parsed.entries["routines"][0][1]
    bridge = routine.exercises[1]
    changed = routine.model_copy(update={"exercises": [
        routine.exercises[0],
        bridge.model_copy(update={"dose": m.RepsDose.model_validate(
            {"reps": 12, "hold": 2, "sets": 3})})]})
    routine_files.save(path, {"routines": [w.tree(changed, defaults=True)]})
    text = path.read_text()
    for kept in ("# Jordan's plan for A. Smith, reviewed 3 March.", "# keep it short",
                 "rest_between_exercises: 15s   # the default, spelled out", "# Start gently.",
                 '{reps: 6, hold: "0:05", sides: alternating}', "# the main one"):
        assert kept in text
    assert "sets: 3" in text and "reps: 12" in text
    assert not (tmp_path / "smith.yaml.bak").exists()
    entries, _ = read_back(text)
    assert entries["routines"]["smith-week-1"] == changed


def test_a_reordered_routine_keeps_each_items_comments(tmp_path):
    path = tmp_path / "smith.yaml"
    path.write_text(HAND_WRITTEN)
    routine = parse_text(HAND_WRITTEN, "smith.yaml").entries["routines"][0][1]
    swapped = routine.model_copy(update={"exercises": routine.exercises[::-1]})
    routine_files.save(path, {"routines": [w.tree(swapped, defaults=True)]})
    text = path.read_text()
    assert text.index("glute-bridge   # the main one") < text.index("exercise: bird-dog")
    assert read_back(text)[0]["routines"]["smith-week-1"] == swapped


def test_other_entries_stay_and_removed_ones_go(tmp_path):
    path = tmp_path / "two.yaml"
    shutil.copy(paths.bundled_routines() / "daily.yaml", path)
    before = path.read_text()
    routine_files.save(path, {}, remove={"routines": ["daily-midday"]})
    text = path.read_text()
    assert "id: daily-midday" not in text and "id: daily-evening" in text
    assert text.splitlines()[:6] == before.splitlines()[:6]


def test_a_file_that_is_not_yaml_is_rewritten_after_a_backup(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("format: 1\nroutines: [\n")
    plan = routine_files.plan_save(path)
    assert not plan.keeps_comments and "not valid YAML" in plan.describe()
    routine = m.Routine.model_validate({"id": "r", "name": "R",
                                        "exercises": [{"exercise": "cat-cow"}]})
    routine_files.save(path, {"routines": [w.tree(routine)]})
    assert (tmp_path / "broken.yaml.bak").read_text() == "format: 1\nroutines: [\n"
    assert read_back(path.read_text())[0]["routines"]["r"] == routine


def test_an_unwritable_folder_is_a_plain_error(tmp_path):
    routine = m.Routine.model_validate({"id": "r", "name": "R",
                                        "exercises": [{"exercise": "cat-cow"}]})
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(routine_files.RoutineFileError, match="not saved|cannot be saved"):
        routine_files.save(blocker / "r.yaml", {"routines": [w.tree(routine)]})
