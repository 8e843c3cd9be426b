"""The command line: exit codes, one-line located errors on stderr, no tracebacks."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backrehab_gui.cli import main

REPO = Path(__file__).resolve().parents[1]

GOOD = """\
format: 1
routines:
  - id: my-evening
    name: My evening
    exercises:
      - exercise: bird-dog
        dose: {reps: 8, hold: 3s, sides: alternating}
      - exercise: glute-bridge
"""

BAD_INPUTS = {
    "typo": (GOOD.replace("sides: alternating", "sidez: alternating"),
             "unknown field 'sidez' (did you mean 'sides'?)"),
    "wrong type": (GOOD.replace("reps: 8", "reps: eight"), "should be a whole number"),
    "unknown exercise": (GOOD.replace("glute-bridge", "glute-bridg"),
                         "no exercise with the id 'glute-bridg' (did you mean 'glute-bridge'?)"),
    "negative duration": (GOOD.replace("hold: 3s", "hold: -3s"), "is not a duration"),
    "python tag": (GOOD.replace("name: My evening", "name: !!python/object/apply:os.getpid []"),
                   "Python tag"),
    "alias bomb": ("format: 1\na: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{n}: &{n} [{','.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefgh", "bcdefghi")),
        "more than 50000 values"),
    "nan hold": (GOOD.replace("hold: 3s", "hold: .nan"), '"nan" is not a number'),
    "nan as text": (GOOD.replace("hold: 3s", "hold: nan"), '"nan" is not a duration'),
    "infinite hold": (GOOD.replace("hold: 3s", "hold: .inf"), "far too large for a time"),
    "1e308 reps": (GOOD.replace("reps: 8", "reps: 1.0e+308"), "must be at most 500, not 1e+308"),
    "30-digit reps": (GOOD.replace("reps: 8", "reps: 123456789012345678901234567890"),
                      "must be at most 500, not 123456789012345678901234567890"),
    "escape in a name": (GOOD.replace("name: My evening", 'name: "\\e[2JMy evening"'),
                         "contains a control character (character 1, U+001B)"),
    "direction override in a name": (GOOD.replace("name: My evening", 'name: "My \\u202Eevening"'),
                                     "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "zero-width space in a name": (GOOD.replace("name: My evening", 'name: "My\\u200Bevening"'),
                                   "invisible formatting character"),
    "cue after the set": (GOOD.replace("sides: alternating}", "sides: alternating}\n"
                                       "        cues: [{at: 2 min, say: Well done}]"),
                          "comes 2 min into a set that lasts 1m52s, so it would never be said"),
}


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_bundled_routines_are_valid(capsys):
    code, out, err = run(capsys, "validate", str(REPO / "routines"))
    assert code == 0, err
    assert re.search(r"OK: (\d+) exercises", out) and int(re.search(r"(\d+) exercises",
                                                                    out).group(1)) >= 30


def test_a_good_file_that_uses_the_bundled_library(tmp_path, capsys):
    path = tmp_path / "mine.yaml"
    path.write_text(GOOD)
    code, out, err = run(capsys, "validate", str(path))
    assert (code, err) == (0, "")


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_each_bad_input_gets_one_located_line_and_exit_1(tmp_path, capsys, case):
    text, expected = BAD_INPUTS[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    lines = [line for line in err.splitlines() if line.startswith(str(path))]
    assert len(lines) == 1, err
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: ", lines[0])
    assert expected in lines[0]
    assert "Traceback" not in err


def test_counts_are_in_words(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_INPUTS["typo"][0])
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert re.search(r"^1 problem in 1 of \d+ files$", err, re.MULTILINE), err
    code, out, _ = run(capsys, "validate", str(REPO / "routines"))
    # The bundled files hold one program.
    assert code == 0 and re.fullmatch(r"\d+ files OK: \d+ exercises, \d+ routines, 1 program\n",
                                      out), out


def test_validate_never_prints_a_raw_control_character(tmp_path, capsys):
    folder = tmp_path / "in\x1b[2Jbox"
    folder.mkdir()
    path = folder / "a\u202egnp.yaml"
    path.write_text(GOOD.replace("name: My evening", "name: My evening\n    \x1b]0;x: 1")
                    .replace("sides: alternating", "sides: alter\u200bnating"))
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u202e]", out + err), err
    assert "in\\x1b[2Jbox" in err and "a\\u202egnp.yaml" in err


def test_list_show_and_plan_print_names_in_any_script(tmp_path, capsys):
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "mine.yaml").write_text(GOOD.replace("My evening", "Soirée 🙂 Вечер"),
                                        encoding="utf-8")
    code, out, _ = run(capsys, "--data", str(tmp_path), "list")
    assert code == 0 and "Soirée 🙂 Вечер" in out
    code, out, _ = run(capsys, "--data", str(tmp_path), "show", "my-evening")
    assert code == 0 and out.startswith("Soirée 🙂 Вечер (my-evening)")


def test_plan_and_show_look_ahead_at_most_ten_years(capsys):
    code, _, err = run(capsys, "plan", "--weeks", "1000000000")
    assert code == 2 and "--weeks must be from 1 to 520" in err
    code, _, err = run(capsys, "show", "daily-evening", "--week", "10" * 20)
    assert code == 2 and "--week counts from 1 to 520" in err
    assert run(capsys, "plan", "--weeks", "520", "--json")[0] == 0


def test_a_program_of_a_billion_weeks_is_refused_at_once(tmp_path, capsys):
    routines = tmp_path / "routines"
    routines.mkdir()
    (routines / "long.yaml").write_text(GOOD + """\
programs:
  - id: forever
    name: Forever
    phases:
      - {id: all, name: All, weeks: 1-1000000000, sessions: [{routine: my-evening, per_week: 3}]}
""")
    code, out, err = run(capsys, "--data", str(tmp_path), "plan", "--program", "forever")
    assert code == 2 and "there is no program 'forever'" in err
    code, out, err = run(capsys, "validate", str(routines))
    assert code == 1 and 'weeks: must be at most 104, not "1-1000000000"' in err


def test_json_output_for_machines(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_INPUTS["typo"][0])
    code, out, _ = run(capsys, "validate", "--json", str(path))
    report = json.loads(out)
    assert code == 1 and report["ok"] is False
    assert report["problems"][0]["line"] == 7 and report["problems"][0]["file"] == str(path)


def test_usage_errors_exit_2(capsys, tmp_path):
    assert run(capsys, "validate", str(tmp_path / "nope.yaml"))[0] == 2
    assert run(capsys, "show", "no-such-routine")[0] == 2
    with pytest.raises(SystemExit) as exit_:
        main(["plan", "--start", "yesterday"])
    assert exit_.value.code == 2


def test_list_and_show(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0 and "daily-evening" in out and "phase-1-foundation" in out
    code, out, _ = run(capsys, "show", "daily-evening")
    assert code == 0
    assert "Get ready" in out and "Switch to the right side" in out and "Session complete" in out


def test_plan_prints_eight_weeks_of_phases_and_daily_blocks(capsys):
    code, out, _ = run(capsys, "plan", "--start", "2026-01-05")
    assert code == 0
    weeks = re.findall(r"^Week (\d+) of 8: phase (\d)", out, flags=re.M)
    assert [int(w) for w, _ in weeks] == list(range(1, 9))
    assert [int(p) for _, p in weeks] == [1, 1, 2, 2, 2, 2, 3, 3]
    days = re.findall(r"^  \w{3} (\d{4}-\d\d-\d\d)  (.*)$", out, flags=re.M)
    assert len(days) == 56 and days[0][0] == "2026-01-05" and days[-1][0] == "2026-03-01"
    assert all("morning + midday + evening" in text for _, text in days)
    sessions = [d for d, text in days if "Phase" in text]
    assert len(sessions) == 24  # three a week for eight weeks
    assert "Phase 1: Foundation" in out and "Phase 2: Strength" in out


def test_plan_json_and_chosen_days(capsys):
    code, out, _ = run(capsys, "plan", "--start", "2026-01-07", "--weeks", "2", "--days",
                       "tue,thu,sat", "--json")
    plan = json.loads(out)
    phase_days = [d["date"] for d in plan["days"]
                  if any(s["kind"] == "phase" for s in d["sessions"])]
    assert phase_days == ["2026-01-08", "2026-01-10", "2026-01-13", "2026-01-15",
                          "2026-01-17", "2026-01-20"]
    assert len(plan["days"]) == 14


def test_schema_command_matches_the_shipped_file(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0 and out == (REPO / "routines" / "backrehab.schema.json").read_text()


def test_the_installed_command_runs_without_a_traceback(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD_INPUTS["python tag"][0])
    result = subprocess.run([sys.executable, "-m", "backrehab_gui", "validate", str(path)],
                            capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Python tag" in result.stderr


# --- export -----------------------------------------------------------------------------


@pytest.fixture
def history(tmp_path, monkeypatch):
    from datetime import date, datetime, timedelta, timezone

    from backrehab_gui.core.engine import ExerciseResult, Summary
    from backrehab_gui.core.schedule import Enrolment
    from backrehab_gui.infra.store import HistoryStore

    monkeypatch.setenv("BACKREHAB_HOME", str(tmp_path))
    store = HistoryStore.open(tmp_path)
    store.save_enrolment(Enrolment("lower-back-8-weeks", date(2026, 11, 2)))
    start = datetime(2026, 11, 9, 18, 0, tzinfo=timezone(timedelta(hours=1)))
    sid = store.begin_session("phase-1-foundation", "Phase 1: Foundation", "f", "phase", None,
                              start, 2, "foundation", pain_before=3)
    result = ExerciseResult(0, "dead-bug", "Dead bug", "done", 80.0, 2, 2, 40, 40, (), 1.0)
    store.record_exercise(sid, result, start + timedelta(minutes=3))
    store.finish_session(sid, Summary("phase-1-foundation", "Phase 1: Foundation", (result,),
                                      True, 80.0, 1.0), start + timedelta(minutes=12))
    store.set_feedback(sid, pain_after=6, effort=5)
    store.close()
    return tmp_path


def test_export_csv_and_ics(capsys, history):
    import csv

    import icalendar

    out = history / "out.csv"
    code, printed, err = run(capsys, "export", "--format", "csv", "--out", str(out),
                             "--to", "2026-11-30")
    assert code == 0, err
    with open(out, encoding="utf-8-sig", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert row["Exercise"] == "Dead bug" and row["Pain flag"] == "yes"
    ics = history / "out.ics"
    code, _, err = run(capsys, "export", "--format", "ics", "--out", str(ics),
                       "--from", "2026-11-01", "--to", "2026-11-30")
    assert code == 0, err
    events = icalendar.Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    assert len(events) == 1 and "Phase 1: Foundation" in str(events[0]["SUMMARY"])


def test_export_problems_are_plain(capsys, history, tmp_path_factory):
    empty = tmp_path_factory.mktemp("empty")
    code, _, err = run(capsys, "--data", str(empty), "export", "--format", "csv", "--out",
                       str(empty / "x.csv"))
    assert code == 2 and "no history" in err
    code, _, err = run(capsys, "export", "--format", "csv", "--out",
                       str(history / "no-folder" / "x.csv"))
    assert code == 1 and "Traceback" not in err and err.startswith("backrehab export:")


def test_without_a_desktop_the_app_says_so_and_points_to_the_command_line_tools(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["BACKREHAB_HOME"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "backrehab_gui"], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "needs a desktop session" in done.stderr
    assert "backrehab list, show, plan, validate and export" in done.stderr
    assert "Reinstalling" not in done.stderr and "Traceback" not in done.stderr


def test_a_display_that_is_not_running_is_named():
    from backrehab_gui.ui.launch import missing_desktop

    assert missing_desktop({"DISPLAY": ":4242"}) == "the display :4242 is not running"
    assert missing_desktop({}) is not None
    assert missing_desktop({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert missing_desktop({"WAYLAND_DISPLAY": "wayland-0"}) is None
    assert missing_desktop({"DISPLAY": "otherhost:0"}) is None  # remote: Qt will tell
