"""CSV and iCalendar exports: read back with the csv module and icalendar, faults in plain words."""

from __future__ import annotations

import csv
import dataclasses
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.schedule import Enrolment, PlannedSession, ProgramCalendar
from backrehab_gui.infra.export import (
    CSV_COLUMNS,
    ExportError,
    planned_between,
    routine_details,
    session_uid,
    write_csv,
    write_ics,
)
from backrehab_gui.infra.paths import assets, bundled_routines
from backrehab_gui.infra.store import HistoryStore

PLUS2 = timezone(timedelta(hours=2))
MINUS5 = timezone(timedelta(hours=-5))
STAMP = datetime(2024, 6, 1, 12, 0, tzinfo=timezone.utc)


def result(item: int, name: str, status: str = "done", **kw) -> ExerciseResult:
    values = dict(item=item, exercise_id=f"ex-{item}", name=name, status=status, seconds=90.0,
                  sets_done=2, sets=2, reps_done=10, reps_target=10, hold_times=(),
                  share=1.0)
    values.update(kw)
    return ExerciseResult(**values)


def session(id: int, start: datetime, minutes: float = 20, **kw) -> SessionRecord:
    values = dict(id=id, routine_id="evening-strength", routine_name="Evening strength and stretch",
                  fingerprint="f" * 16, kind="phase", block=None, local_date=start.date(),
                  started_at=start, ended_at=start + timedelta(minutes=minutes),
                  status="completed", share=1.0)
    values.update(kw)
    return SessionRecord(**values)


@pytest.fixture
def records() -> list[SessionRecord]:
    berlin = session(
        1, datetime(2024, 5, 1, 18, 5, tzinfo=PLUS2), pain_before=3, pain_after=6, effort=5,
        note="=HYPERLINK(\"http://evil\")", share=0.6,
        results=(
            result(0, "Cat-cow"),
            result(1, "Side plank (open hold)", "partial", seconds=75.5, sets_done=1,
                   reps_done=None, reps_target=None, hold_times=(20.0, 15.5, 40.0), share=0.5),
            result(2, "-Bird dog", "skipped", seconds=0.0, sets_done=0, reps_done=0, share=0.0),
        ))
    new_york = session(
        2, datetime(2024, 5, 2, 7, 30, tzinfo=MINUS5), minutes=12, routine_id="morning",
        routine_name="Mobilité du matin – Rücken", kind="daily", block="morning",
        pain_before=2, pain_after=2, note="felt good",
        results=(result(0, "Knie zur Brust", seconds=60.0),))
    empty = session(3, datetime(2024, 5, 3, 9, 0, tzinfo=PLUS2), minutes=1, status="stopped",
                    share=0.0, routine_id="extra-walk", routine_name="@Walk", kind="extra",
                    pain_after=8)
    return [berlin, new_york, empty]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def read_ics(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


# --- CSV -----------------------------------------------------------------------------------


def test_csv_has_the_header_and_one_row_per_result(tmp_path, records):
    path = tmp_path / "history.csv"
    assert write_csv(path, records) == 5
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with path.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle))
    assert tuple(header) == CSV_COLUMNS
    rows = read_csv(path)
    assert len(rows) == 5
    assert [r["Exercise"] for r in rows[:3]] == ["Cat-cow", "Side plank (open hold)",
                                                 "'-Bird dog"]
    assert [r["Exercise number"] for r in rows[:3]] == ["1", "2", "3"]


def test_csv_values(tmp_path, records):
    path = tmp_path / "history.csv"
    write_csv(path, records)
    rows = read_csv(path)
    plank = rows[1]
    assert plank["Date"] == "2024-05-01"
    assert plank["Start time"] == "2024-05-01T18:05:00+02:00"
    assert plank["End time"] == "2024-05-01T18:25:00+02:00"
    assert plank["Routine id"] == "evening-strength"
    assert plank["Kind"] == "phase" and plank["Block"] == ""
    assert plank["Outcome"] == "partly done" and plank["Session done (%)"] == "60"
    assert (plank["Pain before (0-10)"], plank["Pain after (0-10)"],
            plank["Effort (0-10)"]) == ("3", "6", "5")
    assert plank["Pain flag"] == "yes"
    assert plank["Pain flag reason"] == "pain went up from 3 to 6 during the session"
    assert plank["Exercise status"] == "partial" and plank["Seconds"] == "75.5"
    assert (plank["Sets done"], plank["Sets planned"]) == ("1", "2")
    assert plank["Reps done"] == "" and plank["Reps target"] == ""
    assert plank["Open-hold times (s)"] == "20;15.5;40"
    cat = rows[0]
    assert (cat["Reps done"], cat["Reps target"], cat["Seconds"]) == ("10", "10", "90")
    morning = rows[3]
    assert morning["Start time"] == "2024-05-02T07:30:00-05:00"
    assert morning["Block"] == "morning" and morning["Pain flag"] == "no"
    assert morning["Pain flag reason"] == "" and morning["Note"] == "felt good"


def test_csv_keeps_a_session_without_results(tmp_path, records):
    path = tmp_path / "history.csv"
    write_csv(path, records)
    row = read_csv(path)[4]
    assert row["Routine id"] == "extra-walk" and row["Outcome"] == "stopped early"
    assert row["Pain flag"] == "yes" and row["Pain flag reason"] == \
        "pain 8 out of 10 after the session"
    exercise_columns = CSV_COLUMNS[CSV_COLUMNS.index("Exercise number"):]
    assert all(row[c] == "" for c in exercise_columns)


def test_csv_neutralises_formulas(tmp_path, records):
    path = tmp_path / "history.csv"
    write_csv(path, records)
    rows = read_csv(path)
    assert rows[0]["Note"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[2]["Exercise"] == "'-Bird dog"
    assert rows[4]["Routine"] == "'@Walk"
    # Every cell of the file: nothing a spreadsheet would evaluate.
    with path.open(encoding="utf-8-sig", newline="") as handle:
        cells = [c for row in csv.reader(handle) for c in row]
    assert not any(c.lstrip().startswith(("=", "+", "-", "@")) for c in cells)


@pytest.mark.parametrize("text", ["+1", " =1+1", "\t=1", "@SUM(A1)", "-2"])
def test_csv_neutralises_every_formula_start(tmp_path, text):
    path = tmp_path / "history.csv"
    write_csv(path, [session(1, datetime(2024, 5, 1, 8, tzinfo=PLUS2), note=text)])
    assert read_csv(path)[0]["Note"].startswith("'")


def test_csv_keeps_non_ascii_and_line_breaks(tmp_path, records):
    path = tmp_path / "history.csv"
    note = "Ça va. Rücken: besser 👍\nzweite Zeile"
    write_csv(path, [*records[1:2], session(9, datetime(2024, 5, 4, 8, tzinfo=PLUS2),
                                            note=note)])
    rows = read_csv(path)
    assert rows[0]["Routine"] == "Mobilité du matin – Rücken"
    assert rows[0]["Exercise"] == "Knie zur Brust"
    assert rows[1]["Note"] == note


def test_csv_with_no_sessions_has_just_the_header(tmp_path):
    path = tmp_path / "history.csv"
    assert write_csv(path, []) == 0
    assert read_csv(path) == []
    assert path.read_text(encoding="utf-8-sig").startswith("Date,Start time,")


# --- iCalendar -----------------------------------------------------------------------------


def test_ics_has_one_event_per_session(tmp_path, records):
    path = tmp_path / "history.ics"
    assert write_ics(path, records, now=STAMP) == 3
    calendar = read_ics(path)
    assert str(calendar["prodid"]).startswith("-//BackRehab//")
    assert str(calendar["version"]) == "2.0" and str(calendar["calscale"]) == "GREGORIAN"
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == [
        "BackRehab: Evening strength and stretch (partly done \u00b7 60 %)",
        "BackRehab: Mobilité du matin – Rücken (done)",
        "BackRehab: @Walk (stopped early \u00b7 0 %)",
    ]
    for event in events:
        assert event["dtstamp"].dt == STAMP
        assert "BackRehab" in event["categories"].cats


def test_ics_times_are_the_real_instants_in_utc(tmp_path, records):
    path = tmp_path / "history.ics"
    write_ics(path, records, now=STAMP)
    text = path.read_text(encoding="utf-8")
    assert "DTSTART:20240501T160500Z" in text and "DTSTART:20240502T123000Z" in text
    events = read_ics(path).walk("VEVENT")
    for event, record in zip(events, records):
        start, end = event["dtstart"].dt, event["dtend"].dt
        assert start.utcoffset() == timedelta(0) and start == record.started_at
        assert end == record.ended_at
    assert events[0]["dtstart"].dt == datetime(2024, 5, 1, 16, 5, tzinfo=timezone.utc)
    assert events[1]["dtstart"].dt == datetime(2024, 5, 2, 12, 30, tzinfo=timezone.utc)


def test_ics_can_use_a_named_time_zone(tmp_path, records):
    path = tmp_path / "history.ics"
    write_ics(path, records, tz=ZoneInfo("Europe/Berlin"), now=STAMP)
    calendar = read_ics(path)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert "DTSTART;TZID=Europe/Berlin:20240502T143000" in path.read_text(encoding="utf-8")
    for event, record in zip(calendar.walk("VEVENT"), records):
        assert event["dtstart"].dt == record.started_at


def test_ics_uids_are_stable_and_distinct(tmp_path, records):
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    write_ics(first, records, now=STAMP)
    # Feedback added later changes the text, not the identity.
    changed = [dataclasses.replace(records[0], note="later", pain_after=4), *records[1:]]
    write_ics(second, changed, now=STAMP + timedelta(days=1))
    uids = [str(e["uid"]) for e in read_ics(first).walk("VEVENT")]
    assert uids == [str(e["uid"]) for e in read_ics(second).walk("VEVENT")]
    assert len(set(uids)) == 3
    # The same id in a new history (another start time) is another session.
    other = session(1, datetime(2025, 1, 1, 8, tzinfo=PLUS2))
    write_ics(second, [other], now=STAMP)
    assert str(read_ics(second).walk("VEVENT")[0]["uid"]) != uids[0]


def test_ics_description_lists_each_exercise_and_the_pain(tmp_path, records):
    path = tmp_path / "history.ics"
    write_ics(path, records, now=STAMP)
    events = read_ics(path).walk("VEVENT")
    text = str(events[0]["description"])
    for name in ("Cat-cow", "Side plank (open hold)", "-Bird dog"):
        assert name in text
    assert "1. Cat-cow: done, 2 of 2 sets, 10 of 10 reps, 1 min 30 s in all." in text
    assert "holds 20 s / 15.5 s / 40 s, 1 min 16 s in all." in text
    assert "3. -Bird dog: skipped." in text
    assert "Pain before: 3/10. Pain after: 6/10. Effort: 5/10." in text
    assert "Pain flag: pain went up from 3 to 6 during the session." in text
    assert "18:05 to 18:25 (UTC+02:00)" in text
    # Text is data: the note comes back exactly, quotes and all.
    assert 'Note: =HYPERLINK("http://evil")' in text
    assert "Pain flag: none." in str(events[1]["description"])
    assert "No exercise was recorded." in str(events[2]["description"])


def test_ics_text_is_escaped_by_the_library(tmp_path):
    path = tmp_path / "history.ics"
    tricky = "a; b, c\\d\nnext line"
    write_ics(path, [session(1, datetime(2024, 5, 1, 8, tzinfo=PLUS2),
                             routine_name="Back; neck, hips", note=tricky)], now=STAMP)
    event = read_ics(path).walk("VEVENT")[0]
    assert str(event["summary"]) == "BackRehab: Back; neck, hips (done)"
    assert str(event["description"]).endswith(f"Note: {tricky}")


def test_ics_planned_events_only_when_asked(tmp_path, records):
    path = tmp_path / "history.ics"
    planned = [
        # Done on that day: no plan event.
        (date(2024, 5, 1), PlannedSession("evening-strength", "phase")),
        (date(2024, 5, 2), PlannedSession("morning", "daily", m.Block.MORNING)),
        # Not done yet.
        (date(2024, 5, 6), PlannedSession("evening-strength", "phase")),
        (date(2024, 5, 6), PlannedSession("morning", "daily", m.Block.MORNING)),
    ]
    assert write_ics(path, records, now=STAMP) == 3
    assert write_ics(path, records, planned, routine_names={"morning": "Morning mobility"},
                     estimates={"morning": 600.0}, now=STAMP) == 5
    events = read_ics(path).walk("VEVENT")
    plans = [e for e in events if str(e["summary"]).startswith("BackRehab plan:")]
    assert [str(e["summary"]) for e in plans] == [
        "BackRehab plan: Evening strength and stretch", "BackRehab plan: Morning mobility"]
    for event in plans:
        assert event["dtstart"].dt == date(2024, 5, 6)
        assert event["dtend"].dt == date(2024, 5, 7)
        assert not isinstance(event["dtstart"].dt, datetime)
        assert str(event["status"]) == "TENTATIVE"
    assert "about 10 min" in str(plans[1]["description"])
    uids = [str(e["uid"]) for e in plans]
    write_ics(path, [], planned, now=STAMP + timedelta(days=3))
    again = {str(e["uid"]) for e in read_ics(path).walk("VEVENT")}
    assert len(again) == 4 and set(uids) <= again


def test_ics_session_without_an_end(tmp_path):
    start = datetime(2024, 5, 1, 8, tzinfo=PLUS2)
    record = session(1, start, ended_at=None, status="interrupted", share=0.25,
                     results=(result(0, "Cat-cow", seconds=300.0),))
    path = tmp_path / "history.ics"
    write_ics(path, [record], now=STAMP)
    event = read_ics(path).walk("VEVENT")[0]
    assert str(event["summary"]) == "BackRehab: Evening strength and stretch " \
        "(interrupted \u00b7 25 %)"
    assert event["dtend"].dt - event["dtstart"].dt == timedelta(minutes=5)


def test_ics_is_folded_with_crlf(tmp_path, records):
    long_note = "Sehr lange Notiz über Rückenschmerzen und Übungen. " * 20
    path = tmp_path / "history.ics"
    write_ics(path, [*records, session(7, datetime(2024, 5, 5, 8, tzinfo=PLUS2),
                                       routine_name="Ä" * 80, note=long_note)],
              [(date(2024, 5, 9), PlannedSession("x" * 120, "phase"))], now=STAMP)
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    lines = raw.split(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"\r" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    raw.decode("utf-8")  # folding never splits a character
    note = str(read_ics(path).walk("VEVENT")[3]["description"])
    assert note.endswith(long_note.strip())


# --- Faults and atomic writes ---------------------------------------------------------------


@pytest.mark.parametrize("writer", [write_csv, write_ics])
def test_an_unwritable_place_gives_a_plain_error(tmp_path, records, writer):
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder")
    with pytest.raises(ExportError) as caught:
        writer(blocker / "out.file", records)
    message = caught.value.message
    assert str(caught.value) == message
    assert "file.txt" in message and "Traceback" not in message
    assert "Choose another folder" in message


@pytest.mark.parametrize("writer", [write_csv, write_ics])
def test_a_missing_folder_gives_a_plain_error(tmp_path, records, writer):
    with pytest.raises(ExportError, match="does not exist"):
        writer(tmp_path / "nowhere" / "out.file", records)


def test_a_folder_as_the_target_gives_a_plain_error(tmp_path, records):
    (tmp_path / "taken").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        write_csv(tmp_path / "taken", records)
    assert [p.name for p in tmp_path.iterdir()] == ["taken"]


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path, records, monkeypatch):
    path = tmp_path / "history.csv"
    write_csv(path, records)
    before = path.read_bytes()

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("backrehab_gui.infra.export.os.fsync", full)
    with pytest.raises(ExportError, match="disk is full"):
        write_csv(path, records[:1])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["history.csv"]


def test_exports_replace_old_files_and_leave_no_temporaries(tmp_path, records):
    write_ics(tmp_path / "history.ics", records, now=STAMP)
    write_ics(tmp_path / "history.ics", records[:1], now=STAMP)
    write_csv(tmp_path / "history.csv", records)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["history.csv", "history.ics"]
    assert len(read_ics(tmp_path / "history.ics").walk("VEVENT")) == 1


# --- Inputs from the bundled program ----------------------------------------------------------


def test_planned_sessions_and_routine_details_from_the_bundled_program(tmp_path):
    library = load_library([bundled_routines()], asset_roots=[assets()])
    assert library.ok, [str(p) for p in library.problems]
    names, estimates = routine_details(library)
    assert set(names) == set(library.routines) == set(estimates)
    assert all(seconds > 60 for seconds in estimates.values())
    program = next(iter(library.programs.values()))
    start = date(2024, 5, 6)
    calendar = ProgramCalendar(program, Enrolment(program.id, start))
    planned = planned_between(calendar, start, start + timedelta(days=6))
    assert {day for day, _ in planned} == {start + timedelta(days=i) for i in range(7)}
    assert sum(p.kind == "phase" for _, p in planned) >= 1
    assert planned_between(calendar, start, start - timedelta(days=1)) == []
    path = tmp_path / "plan.ics"
    assert write_ics(path, [], planned, names, estimates, now=STAMP) == len(planned)
    summaries = {str(e["summary"]) for e in read_ics(path).walk("VEVENT")}
    assert summaries == {f"BackRehab plan: {names[p.routine_id]}" for _, p in planned}


def test_sessions_read_from_the_history_store_export(tmp_path):
    start = datetime(2024, 5, 1, 18, 5, tzinfo=PLUS2)
    results = (result(0, "Cat-cow"), result(1, "Side plank", "partial", hold_times=(20.0,),
                                            share=0.5))
    with HistoryStore.open(tmp_path / "data") as store:
        sid = store.begin_session("evening-strength", "Evening strength and stretch", "f" * 16,
                                  "phase", None, start, pain_before=3)
        store.finish_session(sid, Summary("evening-strength", "Evening strength and stretch",
                                          results, True, 300.0, 0.75),
                             start + timedelta(minutes=20))
        store.set_feedback(sid, pain_after=7, note="+ felt it in the knee")
        records = store.sessions_between(date(2024, 5, 1), date(2024, 5, 1), with_results=True)
    assert write_csv(tmp_path / "h.csv", records) == 2
    rows = read_csv(tmp_path / "h.csv")
    assert rows[1]["Open-hold times (s)"] == "20" and rows[0]["Note"] == "'+ felt it in the knee"
    assert rows[0]["Pain flag reason"] == "pain 7 out of 10 after the session"
    assert write_ics(tmp_path / "h.ics", records, now=STAMP) == 1
    event = read_ics(tmp_path / "h.ics").walk("VEVENT")[0]
    assert str(event["summary"]) == \
        "BackRehab: Evening strength and stretch (partly done \u00b7 75 %)"
    assert event["dtstart"].dt == start and str(event["uid"]) == session_uid(records[0])


# --- Outcomes, weeks and moves, as the calendar shows them -----------------------------------


def _library():
    return load_library([bundled_routines()], asset_roots=[assets()])


def test_an_empty_calendar_is_refused_in_plain_words_and_nothing_is_written(tmp_path):
    path = tmp_path / "history.ics"
    with pytest.raises(ExportError, match="nothing to put in a calendar"):
        write_ics(path, [], [], now=STAMP)
    assert not path.exists()


def test_csv_and_ics_give_program_week_phase_and_the_day_a_moved_session_was_planned(
        tmp_path):
    from backrehab_gui.core.placement import places

    library = _library()
    program = library.programs["lower-back-8-weeks"]
    monday = date(2026, 1, 5)
    calendar = ProgramCalendar(program, Enrolment(program.id, monday, (0, 2, 4), ()))
    late = session(1, datetime(2026, 1, 6, 18, tzinfo=PLUS2), routine_id="phase-1-foundation",
                   routine_name="Foundation")  # Monday's, done on Tuesday
    where = places(calendar, [late], date(2026, 1, 20))
    path = tmp_path / "h.csv"
    write_csv(path, [late], where)
    row = read_csv(path)[0]
    assert (row["Program week"], row["Phase"], row["Outcome"], row["Moved from"]) == (
        "1", "Foundation", "done", "2026-01-05")
    ics = tmp_path / "h.ics"
    write_ics(ics, [late], now=STAMP, where=where)
    event = read_ics(ics).walk("VEVENT")[0]
    assert str(event["summary"]) == "BackRehab: Foundation (done, moved from Mon 5 Jan)"
    assert "program week 1, Foundation" in str(event["description"])


def test_an_interrupted_session_lists_every_exercise_as_a_stopped_one_does(tmp_path):
    from backrehab_gui.core.history import routine_fingerprint

    library = _library()
    routine = library.routines["phase-1-foundation"]
    fingerprint = routine_fingerprint(routine, library.exercises)
    cut = session(1, datetime(2026, 1, 5, 18, tzinfo=PLUS2), routine_id=routine.id,
                  routine_name=routine.name, fingerprint=fingerprint, status="interrupted",
                  share=0.2, results=(result(0, "First"),))
    path = tmp_path / "h.csv"
    assert write_csv(path, [cut], library=library) == len(routine.exercises)
    rows = read_csv(path)
    assert [r["Exercise status"] for r in rows] == \
        ["done"] + ["not reached"] * (len(routine.exercises) - 1)
    assert rows[1]["Exercise"] == library.exercises[routine.exercises[1].exercise].name


def test_planned_events_leave_out_a_session_already_done_earlier_in_its_week(tmp_path):
    from backrehab_gui.infra.export import planned_between
    from backrehab_gui.infra.routines import load_for_app

    library = load_for_app(tmp_path)
    program = library.programs["lower-back-8-weeks"]
    # Phase sessions on Mon, Wed and Fri; the first two of week 1 done on Mon and Tue.
    calendar = ProgramCalendar(program, Enrolment(program.id, date(2026, 1, 5), (0, 2, 4)))
    done = [session(n, datetime(2026, 1, day, 18, 0, tzinfo=PLUS2), routine_id="phase-1-foundation",
                    routine_name="Phase 1: Foundation")
            for n, day in ((1, 5), (2, 6))]
    plans = planned_between(calendar, date(2026, 1, 7), date(2026, 1, 9), done,
                            date(2026, 1, 6))
    phase_days = [day for day, planned in plans if planned.kind == "phase"]
    # Wednesday's session was done on Tuesday (moved): only Friday's is still to do.
    assert phase_days == [date(2026, 1, 9)]
    everything = planned_between(calendar, date(2026, 1, 7), date(2026, 1, 9))
    assert [d for d, p in everything if p.kind == "phase"] == [date(2026, 1, 7),
                                                               date(2026, 1, 9)]
