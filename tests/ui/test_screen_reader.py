"""The app as a screen reader meets it: through the real AT-SPI accessibility bus.

The app runs as a person starts it (``python -m backrehab_gui``) on an X server
(Xvfb) with Qt's accessibility bridge on, and ``screen_reader.py`` reads it
with Debian's pyatspi from the system Python, as Orca would: the tree of what
is showing (roles, names, descriptions), pressing buttons through their
actions, and every announcement. Today, a session in the player and History
must be understandable from that alone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.store import HistoryStore

HERE = Path(__file__).parent
SYSTEM_PYTHON = "/usr/bin/python3"
BUS_LAUNCHER = "/usr/libexec/at-spi-bus-launcher"

# The names labels used to be read by: the developers' names for them.
DEVELOPER_NAMES = {"week heading", "date line", "phase focus", "stats", "notice", "advice",
                   "session kind", "session name", "session status", "empty day", "timer",
                   "step", "spoken cue", "month calendar", "step 1", "stop if", "note"}
CONTROLS = {"push button", "toggle button", "check box", "radio button", "combo box", "text",
            "spin button", "slider", "page tab", "list", "table", "progress bar",
            "menu item"}

ROUTINE = """\
format: 1
routines:
  - id: reader-check
    name: Reader check
    prepare: 5s
    exercises:
      - exercise: dead-bug
        dose: {reps: 3}
      - exercise: childs-pose
        dose: {hold: 20s}
"""


def missing_tools() -> str | None:
    for tool in ("Xvfb", "dbus-run-session"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (apt install xvfb dbus)"
    if not os.access(BUS_LAUNCHER, os.X_OK):
        return "at-spi-bus-launcher is not installed (apt install at-spi2-core)"
    if not os.access(SYSTEM_PYTHON, os.X_OK) or subprocess.run(
            [SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode:
        return "pyatspi is not installed for the system python3 (apt install python3-pyatspi)"
    return None


def prepare(home: Path, today: date) -> None:
    """Someone in week 3 of the program, with a few sessions behind them and a short
    routine of their own (so the test's session takes seconds)."""
    # The weekly urgent-sign check done today and the questionnaires skipped: the
    # session starts at its pain question (those screens have tests of their own).
    SettingsStore(home).save(Settings(welcome_done=True,
                                      screened_on=(today - timedelta(days=30)).isoformat(),
                                      checked_on=today.isoformat(),
                                      voice_enabled=False, sounds_enabled=False))
    monday = today - timedelta(days=today.weekday())
    store = HistoryStore.open(home)
    store.save_enrolment(Enrolment("lower-back-8-weeks", monday - timedelta(weeks=2)))
    zone_now = datetime.now().astimezone()
    for kind in ("peg", "psfs"):
        store.skip_measure(kind, today, zone_now)
    zone = datetime.now().astimezone().tzinfo
    for back in (3, 5, 8):
        day = today - timedelta(days=back)
        started = datetime(day.year, day.month, day.day, 8, 5, tzinfo=zone)
        sid = store.begin_session("daily-morning", "Morning mobility", "0" * 16, "daily",
                                  "morning", started, 1, None, 4)
        result = ExerciseResult(0, "cat-cow", "Cat-cow", "done", 100.0, 1, 1, 10, 10, (), 1.0)
        store.record_exercise(sid, result, started + timedelta(minutes=3))
        store.finish_session(sid, Summary("daily-morning", "Morning mobility", (result,), True,
                                          100.0, 1.0), started + timedelta(minutes=5))
        store.set_feedback(sid, 2, 4, "Felt loose afterwards")
    store.close()
    (home / "routines").mkdir()
    (home / "routines" / "reader-check.yaml").write_text(ROUTINE, encoding="utf-8")


def start_xvfb() -> tuple[subprocess.Popen, str]:
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0",
                               "1280x1024x24", "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    with os.fdopen(read) as pipe:
        number = pipe.readline().strip()
    if not number:
        server.kill()
        server.wait()
        pytest.fail("Xvfb did not start")
    return server, f":{number}"


@pytest.fixture(scope="module")
def heard(tmp_path_factory):
    """What the screen reader read and heard over one visit: Today, History, a session."""
    why = missing_tools()
    if why:
        pytest.skip(why)
    home = tmp_path_factory.mktemp("reader-home")
    today = date.today()
    prepare(home, today)
    steps = [
        {"wait": {"role": "push button", "name": "Change plan"}},
        {"dump": "today"},
        {"press": {"role": "page tab", "name": "History"}},
        {"wait": {"role": "push button", "name": "This month"}},
        {"listen": 0.5},
        {"dump": "history"},
        {"press": {"role": "page tab", "name": "Routines"}},
        {"select": {"role": "list item", "name": "Reader check"}},
        {"press": {"role": "push button", "name": "Start Reader check"}},
        {"wait": {"role": "push button", "name": "Skip and start"}},
        {"dump": "before"},
        {"mark": "started"},
        {"press": {"role": "push button", "name": "Skip and start"}},
        {"listen": 6.5},  # the 5 s get-ready, into the first exercise
        {"dump": "player"},
        {"mark": "rep"},
        {"press": {"role": "push button", "name": "Rep"}},
        {"listen": 1.0},
        {"mark": "stop"},
        {"press": {"role": "push button", "name": "Stop"}},
        {"press": {"role": "push button", "name": "Yes"}},
        {"wait": {"role": "push button", "name": "Save and close"}},
        {"dump": "summary"},
    ]
    server, display = start_xvfb()
    try:
        env = dict(os.environ, DISPLAY=display)
        env.pop("QT_QPA_PLATFORM", None)
        done = subprocess.run(
            ["dbus-run-session", "--", SYSTEM_PYTHON, str(HERE / "screen_reader.py"),
             sys.executable, str(home), json.dumps(steps)],
            env=env, capture_output=True, text=True, timeout=180, cwd=HERE.parent.parent)
    finally:
        server.terminate()
        server.wait()
    assert done.stdout, done.stderr[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    assert result["error"] is None, result["error"] + "\n" + done.stderr[-3000:]
    result["today"] = today
    return result


def nodes(tree: list[dict]):
    """Every node of a dump, depth first."""
    for node in tree:
        yield node
        yield from nodes(node["children"])


def window(result: dict, dump: str, title: str) -> list[dict]:
    """The windows in a dump whose name starts with ``title``."""
    return [w for w in result["dumps"][dump] if w["name"].startswith(title)]


def names(tree: list[dict], role: str | None = None) -> list[str]:
    return [n["name"] for n in nodes(tree) if role is None or n["role"] == role]


def assert_readable(tree: list[dict]) -> None:
    """Every control has a name, and no name is one of the developers' names."""
    for node in nodes(tree):
        if node["role"] in CONTROLS:
            assert node["name"].strip(), node
        assert node["name"].strip().lower() not in DEVELOPER_NAMES, node
        assert not re.fullmatch(r"[a-z]+(_[a-z]+)+", node["name"]), node


def test_today_reads_as_it_shows(heard):
    today = window(heard, "today", "BackRehab")
    assert today, [w["name"] for w in heard["dumps"]["today"]]
    assert_readable(today)
    labels = names(today, "label")
    day = heard["today"]
    assert any(re.fullmatch(r"Week 3 of 8 · Phase \d: .+", label) for label in labels), labels
    assert f"{day:%A} {day:%d} {day:%B %Y}" in labels
    assert any(label.startswith("This week: ") for label in labels), labels
    # Each planned session: its name, its length, its state in words (no symbol), a button.
    assert "Morning mobility" in labels and "to do" in labels, labels
    buttons = names(today, "push button")
    assert "Start Morning mobility" in buttons, buttons
    assert any(b.startswith("Start next: ") for b in buttons), buttons
    assert {"Today", "History", "Routines", "Exercises"} <= set(names(today, "page tab"))


def test_history_reads_as_it_shows(heard):
    history = window(heard, "history", "BackRehab")
    assert_readable(history)
    day = heard["today"]
    every = list(nodes(history))
    calendar = [n for n in every if "(today)" in n["name"]]
    assert calendar, names(history)
    # The focused day in words, the month's tally and how to move in the description.
    assert calendar[0]["name"].startswith(f"{day:%A} {day.day} {day:%B %Y} (today): ")
    assert calendar[0]["description"].startswith(f"Calendar of {day:%B %Y}: days ")
    assert "arrow keys" in calendar[0]["description"]
    charts = {n["name"]: n["description"] for n in every if n["role"] == "chart"}
    assert set(charts) == {"Weekly adherence", "Pain trend", "Open-hold bests"}, charts
    assert charts["Weekly adherence"].startswith("Weekly adherence, target 80 %. week 1: ")
    # The sessions before the test: pain 4 before and 2 after, every one.
    assert "before 4.0, after 2.0" in charts["Pain trend"], charts["Pain trend"]
    assert f"{day:%B %Y}" in names(history, "label")
    assert "Previous month" in names(history, "push button")


def test_a_session_is_followed_by_ear(heard):
    before = window(heard, "before", "BackRehab: Reader check")
    assert before, [w["name"] for w in heard["dumps"]["before"]]
    assert before[0]["role"] == "frame"
    assert_readable(before)
    answers = [n for n in nodes(before) if n["name"].endswith(" out of 10") or
               " out of 10: " in n["name"]]
    assert [a["name"] for a in answers][0] == "0 out of 10: no pain"
    assert answers[-1]["name"] == "10 out of 10: worst pain imaginable"
    assert all(a["description"] == "How is your back right now?" for a in answers)

    player = window(heard, "player", "BackRehab: Reader check")
    assert_readable(player)
    labels = names(player, "label")
    assert "Work" in labels and "Dead bug" in labels, labels
    assert "0 of 3 reps done" in labels, labels  # the big number, in words
    keys = {n["name"]: n["description"] for n in nodes(player) if n["role"] == "push button"}
    assert keys["Pause"] == "Key: Space" and keys["Rep"] == "Key: Enter", keys

    said = [(text, urgent, marks[-1] if marks else "") for text, urgent, marks in
            heard["announcements"]]
    started = [(text, urgent) for text, urgent, mark in said if mark == "started"]
    # The step, then only its last three seconds (assertive: a late number is useless), then
    # the exercise: never every second.
    assert started[0] == ("Get ready, 5 seconds. First: Dead bug.", 1), said
    assert started[1:4] == [("3", 2), ("2", 2), ("1", 2)], said
    assert started[4][0].startswith("Dead bug, 3 reps, press Enter after each."), said
    assert len(started) == 5, said
    assert ("1 of 3 reps done", 1) in [(t, u) for t, u, mark in said if mark == "rep"], said
    stopped = [t for t, _u, mark in said if mark == "stop"]
    assert "Paused. Press Space to go on." in stopped, said
    assert "Session stopped: 0 of 2 exercises done." in stopped, said


def test_the_summary_reads_as_it_shows(heard):
    summary = window(heard, "summary", "BackRehab: Reader check")
    assert_readable(summary)
    assert "Session stopped" in names(summary, "label")
    assert "Session results" in names(summary, "table")
    assert "Note for yourself or your therapist (optional)" in names(summary, "text")
    assert any(n.startswith("0 out of 10: no pain") for n in names(summary))
