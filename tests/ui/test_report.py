"""The PDF report for a physical therapist: content, pagination, atomic saving, plain errors."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from backrehab_gui.infra.export import ExportError
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui.report import ReportError, write_report

from .pdf_checks import flat_text, pdf_text, words_above_margin
from .test_history_view import TODAY, add, make_calendar, make_library


def page_count(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@pytest.fixture
def store(tmp_path):
    with HistoryStore.open(tmp_path / "data") as opened:
        add(opened, date(2026, 5, 4), before=3, after=2, effort=5, note="Felt fine")
        add(opened, date(2026, 5, 6), 0.5, before=3, after=3)
        add(opened, date(2026, 5, 11), before=2, after=5, effort=7, note="Bridges hurt my hip")
        add(opened, date(2026, 5, 9), routine="check", kind="extra", holds=(30.0, 41.5),
            hour=10)
        yield opened


def report(tmp_path: Path, store, **kwargs) -> Path:
    library = make_library()
    path = tmp_path / "report.pdf"
    kwargs.setdefault("today", TODAY)
    write_report(path, store=store, library=library, calendar=make_calendar(library),
                 program=library.programs["p"], **kwargs)
    return path


def test_the_report_is_a_pdf_with_the_program_weeks_pain_and_flags(qapp, tmp_path, store):
    path = report(tmp_path, store, person_note="For: Alex <b>Example</b>")
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert 2 <= page_count(data) <= 6
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # pdftotext may drop the thin spaces around an arrow.
    flat = re.sub(r" ?→ ?", " → ", flat_text(path))
    assert "BackRehab progress report" in flat
    assert "For: Alex <b>Example</b>" in flat  # plain text, never markup
    assert "Not medical advice" in flat
    assert "Covers Monday 4 May 2026 to Wednesday 13 May 2026" in flat
    assert "Program: Test back program" in flat
    assert "Now: week 2 of 4, phase 1 of 2: Foundation" in flat
    assert "Phase sessions on: Mon, Wed, Fri" in flat
    assert "Daily blocks: none" in flat
    # Weekly adherence: week 1 = 1.5 of 3 sessions; week 2 so far 1 of 3.
    assert re.search(r"W1 4 May 2026 – 10 May 2026 Foundation 3 1.5 50 %", flat)
    assert "target 80 %" in flat
    assert "Streak: 0 weeks" in flat and "Habit strength today:" in flat
    # Pain: the weekly means and the flagged session with its reason and note.
    assert re.search(r"W2 11 May 2026 – 17 May 2026 2.0 5.0 1 1", flat)
    assert "Flagged sessions" in flat
    assert re.search(r"11 May 2026 18:05 Session one 2 → 5 pain rose by 3 points", flat)
    assert "Bridges hurt my hip" in flat
    # Open-hold bests, and every session in the table.
    assert "Open-hold bests" in flat and "best 0:42 on 9 May 2026" in flat
    assert re.search(r"Session one ◑ stopped early 50 %", flat)
    assert flat.count("Session one") >= 4
    # It explains its own words: no pointer to a document the reader does not have.
    assert "How to read this report" in flat and "docs/" not in flat
    assert "→ moved: A phase session done on another day of the same program week" in flat
    assert "m = 0.5^(1/14)" in flat


def test_a_long_history_paginates_without_cutting_text(qapp, tmp_path):
    with HistoryStore.open(tmp_path / "data") as store:
        start = date(2026, 1, 5)
        library = make_library()
        calendar = make_calendar(library, start)
        notes = {}
        for plan in calendar.days(start, 120):
            for _ in plan.sessions:
                note = (f"note-{plan.day:%m%d} " + "a longer remark that has to wrap " *
                        (plan.day.day % 4)).strip()
                notes[plan.day] = note
                add(store, plan.day, before=2, after=3, note=note)
        path = tmp_path / "long.pdf"
        today = start + timedelta(days=120)
        write_report(path, store=store, library=library, calendar=calendar,
                     program=library.programs["p"], today=today)
    data = path.read_bytes()
    pages = page_count(data)
    assert 4 <= pages <= 20
    flat = flat_text(path)
    for day in notes:
        assert f"note-{day:%m%d}" in flat
    assert words_above_margin(path) == pages  # nothing below the bottom margin


def test_an_unwritable_path_gives_a_plain_error_and_leaves_nothing_behind(qapp, tmp_path, store):
    library = make_library()
    kwargs = dict(store=store, library=library, calendar=make_calendar(library),
                  program=library.programs["p"], today=TODAY)
    with pytest.raises(ReportError, match="does not exist") as caught:
        write_report(tmp_path / "missing" / "report.pdf", **kwargs)
    assert isinstance(caught.value, ExportError)  # the app reports both alike
    assert caught.value.message.startswith("The folder ")
    folder = tmp_path / "a-folder"
    folder.mkdir()
    with pytest.raises(ReportError, match="is a folder"):
        write_report(folder, **kwargs)
    assert list(folder.iterdir()) == []
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="part of that path is a file"):
        write_report(blocker / "report.pdf", **kwargs)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-folder", "data", "file"]


def test_an_existing_report_is_replaced_whole(qapp, tmp_path, store):
    path = tmp_path / "report.pdf"
    path.write_bytes(b"old")
    report(tmp_path, store)
    assert path.read_bytes().startswith(b"%PDF")


def test_no_program_and_a_backwards_range_are_plain_errors(qapp, tmp_path, store):
    library = make_library()
    with pytest.raises(ReportError, match="no program to report on"):
        write_report(tmp_path / "r.pdf", store=store, library=library, calendar=None,
                     program=library.programs["p"], today=TODAY)
    with pytest.raises(ReportError, match="cannot end"):
        report(tmp_path, store, first=date(2026, 5, 10), last=date(2026, 5, 1))


def test_a_range_before_the_start_and_one_without_sessions(qapp, tmp_path, store):
    path = report(tmp_path, store, first=date(2026, 4, 1), last=date(2026, 4, 30))
    assert path.read_bytes().startswith(b"%PDF")
    flat = flat_text(path)
    assert "No sessions were recorded in this period." in flat
    assert "No program weeks in this period." in flat
    assert "April 2026" in flat


def test_a_moved_session_reads_moved_in_the_report(qapp, tmp_path):
    with HistoryStore.open(tmp_path / "data") as store:
        add(store, date(2026, 5, 5))  # Monday's session, done on Tuesday
        add(store, date(2026, 5, 6))
        path = report(tmp_path, store)
    flat = flat_text(path)
    assert "5 May 2026 18:05 Session one ✓ done (planned Mon 4 May 2026)" in flat
    # Week 1: Mon (moved) and Wed done of three; one moved.
    assert re.search(r"W1 4 May 2026 – 10 May 2026 Foundation 3 2 67 % 67 % 1", flat)


def test_peg_and_psfs_are_charted_and_judged_with_their_references(qapp, tmp_path):
    from datetime import datetime, timezone

    from backrehab_gui.core import measures as ms
    from backrehab_gui.infra.record import save_answer

    with HistoryStore.open(tmp_path / "data") as store:
        add(store, date(2026, 5, 4))
        for day, peg, ratings in ((date(2026, 5, 4), (6, 5, 4), (3, 4, 2)),
                                  (date(2026, 5, 12), (4, 4, 3), (6, 5, 4))):
            at = datetime(day.year, day.month, day.day, 9, tzinfo=timezone.utc)
            save_answer(store, ms.peg(day, *peg), at)
            save_answer(store, ms.psfs(day, ["walking", "sitting", "lifting"], ratings), at)
        path = report(tmp_path, store)
    flat = flat_text(path)
    assert "Outcome measures" in flat
    assert "PEG score (0-10, lower is better) 5.0 (4 May 2026) 3.7 (12 May 2026) -1.3" in flat
    assert re.search(r"PSFS mean \(0-10, higher is better\) 3.0 .{0,40} \+2.0 2 points "
                     r"✓ yes, better", flat)
    assert "PSFS: lifting 2.0" in flat and "✗ no, better" in flat
    assert "Krebs EE" in flat and "Stratford P" in flat and "Farrar JT" in flat


def test_the_report_shows_urgent_signs_clearances_and_stops_with_their_dates(qapp, tmp_path,
                                                                             store):
    from datetime import datetime, timezone

    from backrehab_gui.core.screening import EventKind, SafetyEvent

    plus2 = timezone(timedelta(hours=2))
    store.record_safety_event(SafetyEvent(
        datetime(2026, 5, 5, 8, 15, tzinfo=plus2), EventKind.CHECK, ("saddle-numbness",),
        "Weekly check. Yes to: Is your groin numb?", emergency=True))
    store.record_safety_event(SafetyEvent(
        datetime(2026, 5, 7, 19, 0, tzinfo=plus2), EventKind.EMERGENCY_CLEARED,
        detail="Confirmed that a doctor has examined them."))
    store.record_safety_event(SafetyEvent(
        datetime(2026, 5, 11, 18, 9, tzinfo=plus2), EventKind.HURT, exercise_id="bird-dog",
        exercise_name="Bird dog", what="leg", action="end"))
    path = report(tmp_path, store)
    flat = flat_text(path)
    assert "Safety No urgent sign is open." in flat
    assert "3 safety records, 1 with an urgent sign, and 1 stop in a session" in flat
    assert re.search(r"5 May 2026 08:15 Urgent-sign check URGENT SIGN\. Weekly check\. Yes to: "
                     r"Is your groin numb\?", flat)
    assert re.search(r"7 May 2026 19:00 Doctor's clearance after urgent signs", flat)
    # (pdftotext may read a table's last header after the first rows.)
    assert "11 May 2026 18:09 Stop: it hurts Bird dog" in flat
    assert "pain or tingling spreading down a leg; ended the session" in flat
    assert "not a diagnosis" in flat
    # Every page says it is not medical advice.
    pages = pdf_text(path).split("\f")
    assert all("Not medical advice." in p for p in pages if p.strip())


def test_the_report_says_when_an_urgent_sign_is_still_open(qapp, tmp_path, store):
    from datetime import datetime, timezone

    from backrehab_gui.core.screening import EventKind, SafetyEvent

    store.record_safety_event(SafetyEvent(
        datetime(2026, 5, 12, 8, 0, tzinfo=timezone.utc), EventKind.SCREENING,
        ("bladder-bowel-changes",), "Yes to: Bladder?", emergency=True))
    path = report(tmp_path, store)
    flat = flat_text(path)
    assert "An urgent sign reported on 12 May 2026 has not been cleared" in flat
