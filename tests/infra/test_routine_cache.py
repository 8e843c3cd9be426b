"""Checked routine files kept between starts: faster, never different."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from backrehab_gui.core import loading
from backrehab_gui.infra import routine_cache, routines
from backrehab_gui.infra.routines import load_for_app

MINE = """\
format: 1
routines:
  - id: my-evening
    name: My evening
    exercises:
      - exercise: bird-dog
      - exercise: plank
        dose: {hold: 20s}
"""
BROKEN = MINE.replace("bird-dog", "bird-dgo").replace("hold: 20s", "hold: 20x")
# Fine as written; at its most, the weekly step makes one set of bird dogs take 8.9 hours.
OVERGROWN = """\
format: 1
routines:
  - id: my-long
    name: My long one
    exercises:
      - exercise: bird-dog
        dose: {reps: 10, hold: 60s}
programs:
  - id: my-program
    name: My program
    phases:
      - id: only
        name: Only
        weeks: 1-4
        sessions:
          - {routine: my-long, per_week: 2}
    progressions:
      - {exercise: bird-dog, change: reps, add: 10, up_to: 500}
"""


@pytest.fixture
def checks(monkeypatch):
    """The files actually checked (read as YAML and validated), by name."""
    seen: list[str] = []
    real = loading.parse_text

    def parse_text(data, name, folder=None):
        seen.append(Path(name).name)
        return real(data, name, folder)

    monkeypatch.setattr(loading, "parse_text", parse_text)
    return seen


def summary(lib) -> tuple:
    return (sorted(lib.routines), sorted(lib.exercises), sorted(lib.programs),
            [str(p) for p in lib.problems], lib.routines, lib.exercises)


def test_a_second_start_checks_nothing_and_loads_the_same(tmp_path, checks):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "mine.yaml").write_text(MINE)
    first = load_for_app(tmp_path)
    assert "mine.yaml" in checks
    checks.clear()
    second = load_for_app(tmp_path)
    assert checks == []
    assert summary(second) == summary(first)
    assert "my-evening" in second.routines


def test_located_problems_come_back_from_the_cache_as_they_were(tmp_path, checks):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "mine.yaml").write_text(BROKEN)
    first = [str(p) for p in load_for_app(tmp_path).problems]
    assert any("mine.yaml:8:16: " in p and '"20x"' in p for p in first), first
    checks.clear()
    assert [str(p) for p in load_for_app(tmp_path).problems] == first
    assert checks == []


def test_a_changed_file_is_checked_again_even_with_the_same_size_and_time(tmp_path, checks):
    mine = tmp_path / "routines" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text(MINE)
    stamp = mine.stat()
    assert load_for_app(tmp_path).ok
    # The same number of bytes, the old modification time: only the content says it changed.
    mine.write_text(MINE.replace("bird-dog", "bird-dgo"))
    os.utime(mine, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert mine.stat().st_size == stamp.st_size
    checks.clear()
    lib = load_for_app(tmp_path)
    assert checks == ["mine.yaml"]
    assert any("bird-dog" in str(p) for p in lib.problems)


def test_a_damaged_cache_entry_is_checked_again_and_replaced(tmp_path, checks):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "mine.yaml").write_text(MINE)
    expected = summary(load_for_app(tmp_path))
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "BackRehab" / "routines"
    for entry in cache.glob("*.pickle"):
        entry.write_bytes(b"\x80\x05not a pickle at all")
    checks.clear()
    assert summary(load_for_app(tmp_path)) == expected
    assert "mine.yaml" in checks
    checks.clear()
    load_for_app(tmp_path)
    assert checks == []  # written again, whole


def test_without_a_usable_cache_folder_the_files_load_all_the_same(tmp_path, monkeypatch):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "mine.yaml").write_text(MINE)
    lib = load_for_app(tmp_path)
    assert "my-evening" in lib.routines and "daily-morning" in lib.routines


def test_the_same_file_at_another_path_is_its_own_entry(tmp_path):
    cache = tmp_path / "cache"
    one, two = tmp_path / "one.yaml", tmp_path / "two.yaml"
    one.write_text(BROKEN)
    two.write_text(BROKEN)
    first = routine_cache.parse_file(one, cache)
    second = routine_cache.parse_file(two, cache)
    assert all(p.file == str(two) for p in second.problems)
    assert [p.line for p in first.problems] == [p.line for p in second.problems]


def test_the_cache_keeps_only_the_newest_entries(tmp_path):
    cache = tmp_path / "cache"
    for number in range(routine_cache.KEEP + 5):
        path = tmp_path / f"file-{number}.yaml"
        path.write_text(MINE.replace("my-evening", f"my-evening-{number}"))
        routine_cache.parse_file(path, cache)
    assert len(list(cache.glob("*.pickle"))) == routine_cache.KEEP
    assert not list(cache.glob("*.part"))


def test_the_app_reads_the_bundled_files_from_the_cache_without_yaml(tmp_path):
    load_for_app(tmp_path)  # fills the cache
    import subprocess
    import sys

    code = ("import sys; from pathlib import Path; from backrehab_gui.infra.routines import "
            "load_for_app; lib = load_for_app(Path(sys.argv[1])); "
            "print(len(lib.routines), 'yaml' in sys.modules, 'pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, env=dict(os.environ), check=True).stdout.split()
    # Nothing is read as YAML or checked again: neither PyYAML nor pydantic is loaded.
    assert out == [str(len(routines.load_for_app(tmp_path).routines)), "False", "False"]


def overgrowth(lib) -> list[str]:
    return [str(p) for p in lib.problems if "at its most" in p.message]


def test_a_program_that_grows_a_dose_too_far_is_reported_from_the_cache_too(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "mine.yaml").write_text(OVERGROWN)
    first = load_for_app(tmp_path)
    (problem,) = overgrowth(first)
    assert "mine.yaml:18:53: " in problem and "one set would take 8 h 53 min" in problem, problem
    assert "my-program" not in first.programs and "my-long" in first.routines
    import subprocess
    import sys

    # The next start reads the files and the growth check's answer from the cache: the
    # same problem, the same program left out, without checking anything again.
    code = ("import sys; from pathlib import Path; from backrehab_gui.infra.routines import "
            "load_for_app; lib = load_for_app(Path(sys.argv[1])); "
            "print([str(p) for p in lib.problems if 'at its most' in p.message]); "
            "print('my-program' in lib.programs, 'pydantic' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True,
                         text=True, env=dict(os.environ), check=True).stdout.splitlines()
    assert out == [repr([problem]), "False False"]


def test_damaged_growth_answers_are_worked_out_again(tmp_path):
    (tmp_path / "routines").mkdir()
    (tmp_path / "routines" / "mine.yaml").write_text(OVERGROWN)
    expected = overgrowth(load_for_app(tmp_path))
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "BackRehab" / "routines"
    (answers,) = cache.glob("growth-*.pickle")
    for damage in (b"\x80\x05not a pickle at all", pickle.dumps({"a key": "not an answer"})):
        answers.write_bytes(damage)
        assert overgrowth(load_for_app(tmp_path)) == expected
        assert pickle.loads(answers.read_bytes()) != {"a key": "not an answer"}  # rewritten
