"""A history damaged by a crash: the app starts on what was rescued and says so."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from PySide6.QtCore import Qt

from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra.store import FILE_NAME, HistoryStore

from .test_today import MONDAY, make_app


def crashed_history(folder) -> None:
    """Three weeks into the program with two sessions, then the app died."""
    store = HistoryStore.open(folder)
    store.save_enrolment(Enrolment("lower-back-8-weeks", MONDAY.date() - timedelta(weeks=3)))
    for days in (3, 1):
        started = MONDAY - timedelta(days=days)
        sid = store.begin_session("phase-2-strength", "Phase 2: Strength", "f" * 16, "phase",
                                  None, started)
        done = ExerciseResult(0, "bird-dog", "Bird dog", "done", 60.0, 2, 2, 8, 8, (), 1.0)
        store.finish_session(sid, Summary("phase-2-strength", "Phase 2: Strength", (done,),
                                          True, 60.0, 1.0), started + timedelta(minutes=25))
    store._conn.close()            # no clean close


def damage_date_index(path) -> None:
    """The index by date now puts the last session on another day; its table is sound."""
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sessions_by_date'"
                        ).fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    page = slice((root - 1) * size, root * size)
    last = (MONDAY - timedelta(days=1)).isoformat().encode()
    old = last[:10] + last
    at = data[page].index(old) + page.start
    data[at:at + 10] = b"2026-11-29"
    path.write_bytes(bytes(data))


def test_the_person_is_told_what_was_recovered_and_the_plan_goes_on(qtbot, tmp_path):
    crashed_history(tmp_path)
    damage_date_index(tmp_path / FILE_NAME)
    app, _ = make_app(qtbot, tmp_path, questionnaires=False)    # opening it would mend it
    notice = app.today_view.notice
    assert notice.isVisibleTo(app.window)
    text = notice.text()
    assert "damaged" in text and "2 sessions with 2 exercise results" in text
    assert "your program enrolment" in text and "Nothing was missing" in text
    assert str(app.store.recovered_from) in text
    assert notice.textFormat() == Qt.TextFormat.PlainText      # a path is never markup
    assert app.today_view.heading.text() == "Week 4 of 8 \u00b7 Phase 2: Strength"
    days = [s.local_date for s in app.store.all_sessions()]
    assert days == [(MONDAY - timedelta(days=n)).date() for n in (3, 1)]
    app.close()
