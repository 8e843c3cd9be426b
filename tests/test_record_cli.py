"""The record from the command line: enrol, log and stats use the app's store and rules."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import pytest

from backrehab_gui.cli import main
from backrehab_gui.infra.store import HistoryStore

PROGRAM = "lower-back-8-weeks"


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse refuses a value it cannot parse
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def local_today() -> date:
    # As the commands count it: before 03:00 it is still yesterday.
    return (datetime.now().astimezone() - timedelta(hours=3)).date()


def last_monday_but(weeks: int) -> date:
    today = local_today()
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks)


def phase_days(start: date, count: int) -> list[date]:
    days, day = [], start
    while len(days) < count:
        if day.weekday() in (0, 2, 4):
            days.append(day)
        day += timedelta(days=1)
    return days


def stats(capsys) -> dict:
    code, out, err = run(capsys, "stats", "--json")
    assert code == 0, err
    return json.loads(out)


def test_six_foundation_sessions_each_a_day_late_are_a_full_phase(capsys):
    start = last_monday_but(2)  # weeks 1 and 2 are over, week 3 has begun
    code, out, err = run(capsys, "enrol", "--program", PROGRAM, "--start", start.isoformat(),
                         "--days", "mon,wed,fri", "--blocks", "morning,midday,evening")
    assert code == 0, err
    assert "phase sessions on Mon, Wed, Fri" in out
    for day in phase_days(start, 6):
        late = day + timedelta(days=1)
        code, out, err = run(capsys, "log", "phase-1-foundation", "--at", f"{late} 18:30")
        assert code == 0, err
        assert f"counts for the session planned on {day:%a %d %b} (moved)" in out
    result = stats(capsys)
    weeks = result["weeks"]
    assert [w["phase_adherence"] for w in weeks[:2]] == [100.0, 100.0]
    assert [w["moved"] for w in weeks[:2]] == [3, 3]
    assert [w["extra"] for w in weeks[:2]] == [0, 0]
    # Full adherence, and no pain answers were logged: no advice to repeat; the
    # pain rules (issue: too few pain answers) say they cannot tell yet.
    assert result["advice"]["suggestion"] == "cannot tell yet"
    assert result["advice"]["adherence"] == 100.0
    assert "adherence" not in result["advice"]["unmet"]
    assert "Repeating" not in result["advice"]["message"]
    assert result["score"] > 0


def test_a_session_logged_at_0020_counts_for_the_day_before(capsys):
    start = last_monday_but(1)
    run(capsys, "enrol", "--program", PROGRAM, "--start", start.isoformat(), "--days",
        "mon,wed,fri", "--blocks", "none")
    saturday = start + timedelta(days=5)
    code, out, err = run(capsys, "log", "phase-1-foundation", "--at", f"{saturday} 00:20")
    assert code == 0, err
    friday = saturday - timedelta(days=1)
    assert f"for {friday:%a %d %b %Y}" in out
    assert "counts for that day's planned session" in out
    week = stats(capsys)["weeks"][0]
    assert (week["phase_done"], week["moved"], week["extra"]) == (1.0, 0, 0)


def test_logging_the_same_session_twice_changes_nothing(capsys, _isolated_home):
    start = last_monday_but(1)
    run(capsys, "enrol", "--program", PROGRAM, "--start", start.isoformat(), "--blocks",
        "none")
    args = ("log", "phase-1-foundation", "--at", f"{start} 18:00", "--pain-before", "3",
            "--pain-after", "4", "--effort", "6", "--note", "garden, then this")
    assert run(capsys, *args)[0] == 0
    code, out, _ = run(capsys, *args)
    assert code == 0 and "already in your history" in out
    with HistoryStore.open(_isolated_home) as store:
        (record,) = store.all_sessions()
    assert (record.pain_before, record.pain_after, record.effort, record.note) == (
        3, 4, 6, "garden, then this")
    assert record.status == "completed" and record.share == 1.0


@pytest.mark.parametrize("args, message", [
    (("--share", "1.5"), "share done must be more than 0 and at most 1"),
    (("--share", "nan"), "share done must be more than 0"),
    (("--pain-after", "11"), "pain after must be a whole number from 0 to 10"),
    (("--at", "2099-01-01 10:00"), "is still to come"),
    (("--at", "yesterday"), "is not a date and time like"),
])
def test_bad_values_are_refused_in_one_plain_line_and_nothing_is_written(
        capsys, _isolated_home, args, message):
    run(capsys, "enrol", "--program", PROGRAM, "--start", last_monday_but(1).isoformat())
    base = ["log", "phase-1-foundation", "--at", f"{last_monday_but(1)} 18:00"]
    code, out, err = run(capsys, *base, *args)
    assert code == 2 and message in err and "Traceback" not in err
    with HistoryStore.open(_isolated_home) as store:
        assert store.all_sessions() == []


def test_enrol_refuses_an_unknown_program_or_block(capsys):
    code, _, err = run(capsys, "enrol", "--program", "lower-back", "--start", "2026-01-05")
    assert code == 2 and "did you mean 'lower-back-8-weeks'" in err
    code, _, err = run(capsys, "enrol", "--program", PROGRAM, "--start", "2026-01-05",
                       "--blocks", "morning,night")
    assert code == 2 and "'night' is not a daily block" in err


def test_stats_before_enrolling_says_what_to_do(capsys):
    code, _, err = run(capsys, "stats")
    assert code == 2 and "there is no history" in err
    run(capsys, "log", "daily-morning", "--at", f"{local_today()} 00:00")
    code, _, err = run(capsys, "stats")
    assert code == 2 and "enrol first" in err


# --- Backup and restore ----------------------------------------------------------------


def test_a_backup_restores_into_an_empty_folder_and_again_without_doubling(
        capsys, tmp_path, _isolated_home, monkeypatch):
    start = last_monday_but(1)
    run(capsys, "enrol", "--program", PROGRAM, "--start", start.isoformat(), "--days",
        "tue,thu,sat", "--blocks", "morning")
    for hour in (8, 18):
        run(capsys, "log", "phase-1-foundation", "--at", f"{start} {hour}:00", "--note", "hi")
    (_isolated_home / "settings.json").write_text('{"day_ends_at": "04:00"}')
    mine = _isolated_home / "routines"
    mine.mkdir(exist_ok=True)
    (mine / "mine.yaml").write_text("format: 1\nroutines: []\n")
    backup = tmp_path / "everything.zip"
    code, out, err = run(capsys, "backup", "--out", str(backup))
    assert code == 0 and "Backed up 2 sessions" in out, err
    before = stats(capsys)

    new_home = tmp_path / "new-laptop"
    monkeypatch.setenv("BACKREHAB_HOME", str(new_home))
    code, out, err = run(capsys, "restore", str(backup))
    assert code == 0, err
    assert "2 sessions added, 0 already there" in out and "enrolment restored" in out
    assert (new_home / "routines" / "mine.yaml").exists()
    assert '"04:00"' in (new_home / "settings.json").read_text()
    assert stats(capsys) == before
    code, out, _ = run(capsys, "restore", str(backup))
    assert "0 sessions added, 2 already there" in out
    with HistoryStore.open(new_home) as store:
        assert len(store.all_sessions()) == 2
        assert store.enrolment().session_days == (1, 3, 5)


def test_restore_into_a_folder_with_its_own_history_merges_and_keeps_its_enrolment(
        capsys, tmp_path, monkeypatch):
    start = last_monday_but(1)
    run(capsys, "enrol", "--program", PROGRAM, "--start", start.isoformat())
    run(capsys, "log", "phase-1-foundation", "--at", f"{start} 08:00")
    backup = tmp_path / "old.zip"
    run(capsys, "backup", "--out", str(backup))
    other = tmp_path / "other"
    monkeypatch.setenv("BACKREHAB_HOME", str(other))
    run(capsys, "enrol", "--program", PROGRAM, "--start", (start - timedelta(days=7)).isoformat())
    run(capsys, "log", "daily-morning", "--at", f"{start} 07:00")
    code, out, _ = run(capsys, "restore", str(backup))
    assert code == 0 and "1 session added" in out and "enrolment" in out and "kept" in out
    with HistoryStore.open(other) as store:
        assert {r.routine_id for r in store.all_sessions()} == {"phase-1-foundation",
                                                                 "daily-morning"}


def test_a_file_that_is_not_a_backup_is_refused_and_nothing_changes(capsys, tmp_path):
    bad = tmp_path / "notes.zip"
    bad.write_text("hello")
    code, _, err = run(capsys, "restore", str(bad))
    assert code == 1 and "not a BackRehab backup" in err and "Nothing was changed" in err


def test_late_sessions_with_pain_scores_advise_moving_on(capsys):
    start = last_monday_but(2)
    code, _, err = run(capsys, "enrol", "--program", PROGRAM, "--start", start.isoformat(),
                       "--days", "mon,wed,fri", "--blocks", "morning")
    assert code == 0, err
    for day in phase_days(start, 6):
        late = day + timedelta(days=1)
        code, _, err = run(capsys, "log", "phase-1-foundation", "--at", f"{late} 18:30",
                           "--pain-before", "3", "--pain-after", "3")
        assert code == 0, err
    result = stats(capsys)
    assert [w["phase_adherence"] for w in result["weeks"][:2]] == [100.0, 100.0]
    assert result["advice"]["suggestion"] == "move on", result["advice"]
