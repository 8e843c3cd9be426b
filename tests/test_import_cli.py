"""`backrehab import` from the command line: the app's checks, a new version shown and
replaced only with --replace, and the history of the old version still counted."""

from __future__ import annotations

import json
from datetime import timedelta

from .infra.test_routine_replace import CORE, CORE_WEEK_3, TILT, send
from .test_record_cli import last_monday_but, run

PROGRAM = CORE + """\
programs:
  - id: alex-program
    name: Alex's program
    phases:
      - id: start
        name: Start
        weeks: 1-4
        sessions:
          - {routine: my-core, per_week: 3}
"""


def test_a_new_version_is_shown_then_replaced_and_the_old_sessions_still_count(
        capsys, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("BACKREHAB_HOME", str(data))
    code, out, err = run(capsys, "import", str(send(tmp_path / "week-1", "alex.yaml",
                                                    PROGRAM)))
    assert code == 0, err
    assert out == f"Imported alex.yaml into your routines folder: {data}/routines/alex.yaml\n"
    start = last_monday_but(1)
    assert run(capsys, "enrol", "--program", "alex-program", "--start", start.isoformat(),
               "--days", "mon,wed,fri", "--blocks", "none")[0] == 0
    code, out, err = run(capsys, "log", "my-core", "--at", f"{start} 18:00")
    assert code == 0 and "counts for that day's planned session" in out, err

    updated = send(tmp_path / "week-2", "alex.yaml",
                   PROGRAM.replace(CORE, CORE_WEEK_3).replace("weeks: 1-4", "weeks: 1-6"))
    code, out, err = run(capsys, "import", str(updated))
    assert code == 1
    assert out.splitlines() == [
        "alex.yaml is a new version of what you have. Importing it would change this:",
        "The routine 'My core' (alex.yaml) is replaced by the version sent:",
        "  \u2022 adds Dead bug (10 reps (8-12), per side, alternating)",
        "  \u2022 Bird dog: now 8 reps, 5s hold each, per side, alternating (was 6 reps, 5s "
        "hold each, per side, alternating)",
        "The program 'Alex's program' (alex.yaml) is replaced by the version sent:",
        "  \u2022 it lasts 6 weeks instead of 4",
        "  \u2022 the phase 'Start' changes"]
    assert err == ("Nothing was changed. To replace, run again with --replace; the old files "
                   f"are then kept in {data}/replaced.\n")
    assert (data / "routines" / "alex.yaml").read_text() == PROGRAM

    code, out, err = run(capsys, "import", str(updated), "--replace")
    assert code == 0, err
    assert out.splitlines()[-2] == ("Imported alex.yaml into your routines folder in place "
                                    f"of the old version: {data}/routines/alex.yaml")
    kept = out.splitlines()[-1].removeprefix("The old files are kept in ")
    assert (tmp_path / kept / "alex.yaml").read_text() == PROGRAM
    code, out, err = run(capsys, "show", "my-core")
    assert code == 0 and "Dead bug" in out
    # The session done with the old version is still in the history, and still counts.
    code, out, err = run(capsys, "stats", "--json", "--as-of",
                         (start + timedelta(days=6)).isoformat())
    assert code == 0, err
    week = json.loads(out)["weeks"][0]
    assert week["planned"] == 3 and week["done"] == 1
    csv = tmp_path / "history.csv"
    assert run(capsys, "export", "--format", "csv", "--out", str(csv))[0] == 0
    assert "My core" in csv.read_text()

    code, out, err = run(capsys, "import", str(updated))
    assert code == 0 and out == ("You already have everything in alex.yaml, exactly as sent; "
                                 "nothing was changed.\n")


def test_a_refused_import_prints_each_problem_and_copies_nothing(capsys, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("BACKREHAB_HOME", str(data))
    sent = send(tmp_path / "mail", "dog.yaml", CORE.replace("id: my-core", "id: daily-evening"))
    code, out, err = run(capsys, "import", str(sent))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0].startswith(f"{sent}:13:5: routines[daily-evening].id: 'daily-evening' is "
                               "one of BackRehab's own routines")
    assert lines[-1] == ("backrehab import: dog.yaml was not imported: 1 problem (above), so "
                         "nothing was copied.")
    assert not (data / "routines").exists()


def test_a_new_version_that_would_break_a_routine_you_keep_names_both_files(
        capsys, tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("BACKREHAB_HOME", str(data))
    assert run(capsys, "import", str(send(tmp_path / "week-1", "core.yaml", CORE)))[0] == 0
    (data / "routines" / "walk.yaml").write_text(
        "format: 1\nroutines:\n  - {id: my-walk, name: My walk, exercises: "
        "[{exercise: my-tilt}]}\n")
    without = CORE.replace(TILT, "").replace("exercises:\nroutines:", "routines:").replace(
        "      - exercise: my-tilt\n", "")
    code, out, err = run(capsys, "import", str(send(tmp_path / "week-3", "core.yaml",
                                                    without)), "--replace")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "backrehab import: not imported: core.yaml would replace or change core.yaml, and then "
        "walk.yaml would no longer load (below). Nothing was changed. Ask whoever sent it for "
        "a version that suits walk.yaml, or move it out of your routines folder first.",
        f"{data}/routines/walk.yaml:3:47: routines[my-walk].exercises[my-tilt].exercise: there "
        "is no exercise with the id 'my-tilt'"]
    assert (data / "routines" / "core.yaml").read_text() == CORE
