"""One routine file never stops the app: whatever goes wrong with it, it is set aside alone."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from backrehab_gui.core import loading
from backrehab_gui.infra import routines
from backrehab_gui.infra.routines import load_for_app

MINE = """\
format: 1
exercises:
  - id: my-tilt
    name: My pelvic tilt
    category: mobility
    position: on-back
    steps: [Flatten your back gently against the floor.]
    key_cue: Slowly
    why: It wakes the deep belly muscles.
    dose: {reps: 8}
routines:
  - id: my-evening
    name: My evening
    exercises:
      - exercise: my-tilt
"""

OTHER = """\
format: 1
routines:
  - id: other-one
    name: Another routine
    exercises:
      - exercise: bird-dog
        dose: {reps: 6, hold: 5s, sides: alternating}
"""


@pytest.fixture
def data(tmp_path) -> Path:
    folder = tmp_path / "routines"
    folder.mkdir()
    (folder / "mine.yaml").write_text(MINE)
    (folder / "other.yaml").write_text(OTHER)
    return tmp_path


def test_everything_loads_and_nothing_is_set_aside_when_nothing_fails(data):
    lib = load_for_app(data)
    assert lib.ok and lib.set_aside == []
    assert {"my-evening", "other-one", "daily-evening"} <= set(lib.routines)


def test_a_file_that_makes_reading_fail_is_set_aside_and_the_rest_loads(data, monkeypatch):
    real = routines.routine_cache.parse_file  # how the app reads each file

    def parse(path, *args):
        if path.name == "mine.yaml":
            raise KeyError("a fault of ours")
        return real(path, *args)

    monkeypatch.setattr(routines.routine_cache, "parse_file", parse)
    lib = load_for_app(data)
    assert [Path(p.file).name for p in lib.set_aside] == ["mine.yaml"]
    assert lib.set_aside[0] in lib.problems  # `backrehab list` and the notices count it too
    message = lib.set_aside[0].message
    assert "the file was set aside" in message and "KeyError" in message
    assert "my-evening" not in lib.routines and "my-tilt" not in lib.exercises
    assert {"other-one", "daily-evening"} <= set(lib.routines)
    assert (data / "routines" / "mine.yaml").read_text() == MINE  # left where it is, untouched


def test_a_failure_while_combining_the_files_is_traced_to_its_file(data, monkeypatch):
    real = loading._Checker._exercise

    def check(self, ident):
        if ident == "my-tilt":
            raise RecursionError("maximum recursion depth exceeded")
        return real(self, ident)

    monkeypatch.setattr(loading._Checker, "_exercise", check)
    lib = load_for_app(data)
    assert [Path(p.file).name for p in lib.set_aside] == ["mine.yaml"]
    assert "RecursionError" in lib.set_aside[0].message
    assert "other-one" in lib.routines and "bird-dog" in lib.exercises
    assert len(lib.routines) > 5  # the bundled program is all there


def test_a_routine_that_cannot_be_timed_sets_its_file_aside(data, monkeypatch):
    real = routines.compile_routine

    def compile_(routine, exercises, **kw):
        if routine.id == "other-one":
            raise ZeroDivisionError("division by zero")
        return real(routine, exercises, **kw)

    monkeypatch.setattr(routines, "compile_routine", compile_)
    lib = load_for_app(data)
    assert [Path(p.file).name for p in lib.set_aside] == ["other.yaml"]
    assert "other-one" not in lib.routines and "my-evening" in lib.routines


def test_each_failing_file_is_set_aside_on_its_own(data, monkeypatch):
    real = loading._Checker._routine

    def check(self, ident):
        if ident in ("my-evening", "other-one"):
            raise TypeError("unexpected")
        return real(self, ident)

    monkeypatch.setattr(loading._Checker, "_routine", check)
    lib = load_for_app(data)
    assert sorted(Path(p.file).name for p in lib.set_aside) == ["mine.yaml", "other.yaml"]
    assert "daily-evening" in lib.routines


def test_what_cannot_be_read_in_the_folder_is_named_not_skipped(data, monkeypatch):
    folder = data / "routines"
    (folder / "gone.yaml").symlink_to(folder / "deleted.yaml")
    (folder / ".#mine.yaml").symlink_to("someone@host.1234")  # an editor's lock file
    os.mkfifo(folder / "pipe.yaml")
    (data / "elsewhere").mkdir()
    (folder / "linked").symlink_to(data / "elsewhere")
    (folder / "locked").mkdir()
    (folder / "locked" / "inside.yaml").write_text(OTHER.replace("other-one", "locked-one"))
    real = os.scandir

    def scandir(path="."):
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    lib = load_for_app(data)
    said = {Path(p.file).name: p.message for p in lib.problems}
    assert "does not exist" in said["gone.yaml"]
    assert "not a plain file" in said["pipe.yaml"]
    assert "does not follow" in said["linked"]
    assert "cannot be read (Permission denied)" in said["locked"]
    assert ".#mine.yaml" not in said
    assert {"my-evening", "other-one"} <= set(lib.routines)  # and the pipe did not block
