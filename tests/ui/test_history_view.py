"""The history view: the month calendar, a day's sessions, the charts, empty states, speed."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFont, QFontMetrics

from backrehab_gui.core import model as m
from backrehab_gui.core.adherence import DayStatus, compute
from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.loading import Library
from backrehab_gui.core.outcomes import Outcome
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui import charts
from backrehab_gui.ui.history_view import HistoryView, open_hold_exercises

TZ = timezone(timedelta(hours=2))
START = date(2026, 5, 4)
"""A Monday. Phase sessions Mon, Wed, Fri; no daily blocks, so other days are rest days."""
TODAY = date(2026, 5, 13)


def exercise(ident: str, dose: dict) -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": ident.replace("-", " ").capitalize(), "category": "core",
        "position": "on-back", "steps": ["Lie down"], "key_cue": "Breathe", "why": "It helps",
        "dose": dose})


def make_library() -> Library:
    exercises = {e.id: e for e in (exercise("bridge", {"reps": 10}),
                                   exercise("side-plank", {"hold": "max", "goal": 60}))}
    routines = {r.id: r for r in (
        m.Routine.model_validate({"id": "s1", "name": "Session one",
                                  "exercises": [{"exercise": "bridge"}]}),
        m.Routine.model_validate({"id": "check", "name": "Side plank check",
                                  "exercises": [{"exercise": "side-plank"}]}),
    )}
    program = m.Program.model_validate({
        "id": "p", "name": "Test back program",
        "phases": [{"id": "one", "name": "Foundation", "weeks": "1-2",
                    "sessions": [{"routine": "s1", "per_week": 3}]},
                   {"id": "two", "name": "Strength", "weeks": "3-4",
                    "sessions": [{"routine": "s1", "per_week": 3}]}],
        "maintenance": {"sessions": [{"routine": "s1", "per_week": 3}]}})
    return Library(exercises=exercises, routines=routines, programs={"p": program})


def make_calendar(library: Library, start: date = START) -> ProgramCalendar:
    return ProgramCalendar(library.programs["p"], Enrolment("p", start, (0, 2, 4), ()))


def add(store: HistoryStore, day: date, share: float = 1.0, *, routine: str = "s1",
        kind: str = "phase", before: int | None = None, after: int | None = None,
        effort: int | None = None, note: str | None = None, holds: tuple = (),
        hour: int = 18) -> int:
    started = datetime(day.year, day.month, day.day, hour, 5, tzinfo=TZ)
    name = "Session one" if routine == "s1" else "Side plank check"
    sid = store.begin_session(routine, name, "0" * 16, kind, None, started, 1, "one", before)
    if holds:
        result = ExerciseResult(0, "side-plank", "Side plank", "done", sum(holds), 1, 1, None,
                                None, holds, 1.0)
    else:
        done = share >= 1
        result = ExerciseResult(0, "bridge", "Bridge", "done" if done else "partial", 60.0, 1,
                                1, 10 if done else 5, 10, (), share)
    store.record_exercise(sid, result, started + timedelta(minutes=3))
    store.finish_session(sid, Summary(routine, name, (result,), share >= 1, 60.0, share),
                         started + timedelta(minutes=10))
    store.set_feedback(sid, after, effort, note)
    return sid


@pytest.fixture
def library():
    return make_library()


@pytest.fixture
def store(tmp_path):
    with HistoryStore.open(tmp_path / "data") as opened:
        yield opened


@pytest.fixture
def history(store):
    """Done Mon 4, rest Tue 5, partial Wed 6, missed Fri 8, done and flagged Mon 11."""
    add(store, date(2026, 5, 4), before=3, after=2, effort=5)
    add(store, date(2026, 5, 6), 0.5, before=3, after=3)
    add(store, date(2026, 5, 11), before=2, after=5, effort=7, note="Bridges hurt my hip")
    add(store, date(2026, 5, 9), routine="check", kind="extra", holds=(30.0, 41.5), hour=10)
    add(store, date(2026, 5, 12), routine="check", kind="extra", holds=(45.0,), hour=10)
    return store


def make_view(qtbot, store, library, calendar, today=TODAY) -> HistoryView:
    view = HistoryView(store, library, calendar, lambda: today)
    qtbot.addWidget(view)
    view.resize(1366, 768)
    view.show()
    qtbot.waitExposed(view)
    return view


# --- The calendar ---------------------------------------------------------------------------


def test_the_calendar_marks_done_partial_missed_rest_upcoming_and_before_start(
        qtbot, history, library):
    view = make_view(qtbot, history, library, make_calendar(library))
    statuses = view.month_statuses()
    assert view.shown_month() == (2026, 5)
    assert view.month_title.text() == "May 2026"
    assert statuses[date(2026, 5, 1)] is DayStatus.BEFORE_START
    assert statuses[date(2026, 5, 4)] is DayStatus.DONE
    assert statuses[date(2026, 5, 5)] is DayStatus.REST
    assert statuses[date(2026, 5, 6)] is DayStatus.PARTIAL
    assert statuses[date(2026, 5, 8)] is DayStatus.MISSED
    assert statuses[date(2026, 5, 13)] is DayStatus.UPCOMING  # today: never "missed"
    assert statuses[date(2026, 5, 15)] is DayStatus.UPCOMING
    assert len(statuses) == 31
    # Words and symbols, not colour alone.
    calendar = view.month_calendar
    assert "\u2713 done" in calendar.day_text(date(2026, 5, 4))
    assert "\u25d1 partly done" in calendar.day_text(date(2026, 5, 6))
    assert "\u2717 missed" in calendar.day_text(date(2026, 5, 8))
    assert "\u2013 rest" in calendar.day_text(date(2026, 5, 5))
    assert "(today)" in calendar.day_text(TODAY)
    assert "0 of 1 planned session done" in calendar.day_text(date(2026, 5, 8))
    # A screen reader hears the focused day in words (no symbols) and the month's tally.
    assert calendar.accessibleName() == calendar.spoken_day(TODAY)
    assert calendar.accessibleName().startswith("Wednesday 13 May 2026 (today): upcoming")
    assert "May 2026: days " in calendar.accessibleDescription()
    assert "1 missed" in calendar.accessibleDescription()
    view.grab()  # paints without a warning


def test_a_flagged_day_is_marked(qtbot, history, library):
    view = make_view(qtbot, history, library, make_calendar(library))
    assert view.month_calendar.days[date(2026, 5, 11)].flagged
    assert not view.month_calendar.days[date(2026, 5, 4)].flagged
    assert "! pain flagged" in view.month_calendar.day_text(date(2026, 5, 11))
    assert "flagged" not in view.month_calendar.day_text(date(2026, 5, 4))


def test_months_switch_by_button_and_by_key(qtbot, history, library):
    view = make_view(qtbot, history, library, make_calendar(library))
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.shown_month() == (2026, 6)
    assert view.month_title.text() == "June 2026"
    # The 4-week program ended on 31 May; maintenance goes on.
    assert view.month_statuses()[date(2026, 6, 1)] is DayStatus.UPCOMING
    assert view.month_statuses()[date(2026, 6, 2)] is DayStatus.REST
    qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.previous_button, Qt.MouseButton.LeftButton)
    assert view.shown_month() == (2026, 4)
    assert set(view.month_statuses().values()) == {DayStatus.BEFORE_START}
    view.month_calendar.setFocus()
    qtbot.keyClick(view.month_calendar, Qt.Key.Key_PageDown)
    assert view.shown_month() == (2026, 5)
    qtbot.keyClick(view.month_calendar, Qt.Key.Key_PageDown)
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.shown_month() == (2026, 7)
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.shown_month() == (2026, 6)
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.shown_month() == (2026, 5)
    # Across the year boundary.
    view.show_month(2026, 12)
    qtbot.mouseClick(view.next_button, Qt.MouseButton.LeftButton)
    assert view.shown_month() == (2027, 1)
    assert view.month_title.text() == "January 2027"


def test_clicking_a_day_shows_its_sessions_with_pain_effort_note_flag_and_results(
        qtbot, history, library):
    view = make_view(qtbot, history, library, make_calendar(library))
    flagged = date(2026, 5, 11)
    cell = view.month_calendar.cell_rect(flagged)
    qtbot.mouseClick(view.month_calendar, Qt.MouseButton.LeftButton,
                     pos=cell.center().toPoint())
    assert view.selected_day == flagged
    text = view.day_panel.text()
    assert "Monday 11 May 2026" in text
    assert "Session one" in text and "18:05" in text
    assert "\u2713 done" in text.splitlines()[2]
    assert "Pain before \u2192 after: 2 \u2192 5" in text
    assert "Effort: 7 of 10" in text
    assert "Note: Bridges hurt my hip" in text
    assert "! Pain flagged: Your pain went up from 2 to 5" in text
    assert "Bridge  |  \u2713 Done  |  1 of 1 set  |  10 of 10 reps" in text

    partial = view.month_calendar.cell_rect(date(2026, 5, 6)).center().toPoint()
    qtbot.mouseClick(view.month_calendar, Qt.MouseButton.LeftButton, pos=partial)
    text = view.day_panel.text()
    assert "\u25d1 stopped early \u00b7 50 %" in text
    assert "3 \u2192 3" in text and "Effort: not given" in text
    assert "Pain flagged" not in text

    missed = view.month_calendar.cell_rect(date(2026, 5, 8)).center().toPoint()
    qtbot.mouseClick(view.month_calendar, Qt.MouseButton.LeftButton, pos=missed)
    assert "No sessions recorded on this day." in view.day_panel.text()
    assert "\u2717 Not done: Session one (phase session)" in view.day_panel.text()

    rest = view.month_calendar.cell_rect(date(2026, 5, 5)).center().toPoint()
    qtbot.mouseClick(view.month_calendar, Qt.MouseButton.LeftButton, pos=rest)
    assert "A rest day" in view.day_panel.text()

    # A day of the neighbouring month's padding is not clickable.
    outside = view.month_calendar.cell_rect(date(2026, 4, 27)).center().toPoint()
    qtbot.mouseClick(view.month_calendar, Qt.MouseButton.LeftButton, pos=outside)
    assert view.selected_day == date(2026, 5, 5)


def test_arrow_keys_move_the_focus_and_enter_opens_the_day(qtbot, history, library):
    view = make_view(qtbot, history, library, make_calendar(library))
    calendar = view.month_calendar
    calendar.setFocus()
    assert calendar.focus_day == TODAY
    qtbot.keyClick(calendar, Qt.Key.Key_Up)      # a week back: Wednesday 6 May
    qtbot.keyClick(calendar, Qt.Key.Key_Right)   # Thursday 7
    qtbot.keyClick(calendar, Qt.Key.Key_Left)
    qtbot.keyClick(calendar, Qt.Key.Key_Left)    # Tuesday 5
    assert calendar.focus_day == date(2026, 5, 5)
    assert calendar.accessibleName().startswith("Tuesday 5 May 2026: rest")
    qtbot.keyClick(calendar, Qt.Key.Key_Right)
    qtbot.keyClick(calendar, Qt.Key.Key_Return)
    assert view.selected_day == date(2026, 5, 6)
    assert "stopped early \u00b7 50 %" in view.day_panel.text()
    # Moving off the month shows the next one.
    for _ in range(4):
        qtbot.keyClick(calendar, Qt.Key.Key_Down)
    assert calendar.focus_day == date(2026, 6, 3)
    assert view.shown_month() == (2026, 6)
    qtbot.keyClick(calendar, Qt.Key.Key_Enter)
    assert view.selected_day == date(2026, 6, 3)
    assert "still to come" in view.day_panel.text()
    assert "\u25cb Still to do: Session one (maintenance session)" in view.day_panel.text()


def test_the_view_opens_on_today_and_refresh_shows_a_new_session(qtbot, history, library):
    view = make_view(qtbot, history, library, make_calendar(library))
    assert view.selected_day == TODAY
    assert view.month_statuses()[TODAY] is DayStatus.UPCOMING
    add(history, TODAY, 0.6, before=1, after=1)
    view.refresh()
    assert view.month_statuses()[TODAY] is DayStatus.PARTIAL
    assert "stopped early \u00b7 60 %" in view.day_panel.text()


# --- Charts, streak and score ---------------------------------------------------------------


def test_charts_show_weekly_adherence_pain_and_hold_bests(qtbot, history, library):
    calendar = make_calendar(library)
    view = make_view(qtbot, history, library, calendar)
    weeks = view.week_chart.accessibleDescription()
    # Week 1: Mon done, Wed half, Fri missed = 1.5 of 3. Week 2 so far: Mon done of 3.
    assert "target 80 %" in weeks
    assert "week 1: 50 %" in weeks
    assert "week 2: 33 % so far" in weeks
    pain = view.pain_chart.accessibleDescription()
    assert "week 1: before 3.0, after 2.5" in pain
    assert "week 2: before 2.0, after 5.0, 1 flagged" in pain
    assert "Reading your side plank holds" in view.hold_chart.accessibleDescription()
    qtbot.waitUntil(lambda: "best" in view.hold_chart.accessibleDescription(), timeout=2000)
    holds = view.hold_chart.accessibleDescription()
    assert "best hold 0:45 on 12 May 2026" in holds
    assert "09 May: 0:42" in holds  # the best of the day's two holds, rounded
    assert view.hold_title.text() == "Open-hold bests: Side plank"
    assert not view.hold_choice.isVisibleTo(view)  # one exercise: no selector
    view.grab()


def test_streak_best_streak_and_score_match_the_core(qtbot, history, library):
    calendar = make_calendar(library)
    view = make_view(qtbot, history, library, calendar)
    qtbot.waitUntil(lambda: view.totals is not None, timeout=3000)
    expected = compute(calendar, history.all_sessions(), TODAY)
    assert view.totals == (expected.streak, expected.best_streak, expected.score)
    text = view.totals_label.text()
    assert f"habit strength: {round(expected.score)} of 100" in text
    assert "Streak: 0 weeks" in text


def test_streak_counts_across_many_chunks_of_history(qtbot, store, library):
    start = date(2024, 1, 1)
    calendar = make_calendar(library, start)
    today = date(2025, 3, 5)
    for plan in calendar.days(start, (today - start).days):
        for _ in plan.sessions:
            add(store, plan.day)
    view = make_view(qtbot, store, library, calendar, today)
    qtbot.waitUntil(lambda: view.totals is not None, timeout=5000)
    streak, best, score = view.totals
    # Every finished week met the target; the current one has only Monday done so far.
    assert streak == best == calendar.week(today) - 1
    assert score > 99


def test_several_open_hold_exercises_get_a_selector(qtbot, history):
    library = make_library()
    library.exercises["wall-sit"] = exercise("wall-sit", {"reps": 5})
    library.routines["wall"] = m.Routine.model_validate({
        "id": "wall", "name": "Wall", "exercises": [
            {"exercise": "wall-sit", "dose": {"hold": "max"}}]})
    assert [i for i, _, _ in open_hold_exercises(library)] == ["side-plank", "wall-sit"]
    view = make_view(qtbot, history, library, make_calendar(library))
    assert view.hold_choice.isVisibleTo(view)
    assert view.hold_choice.count() == 2
    view.hold_choice.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "No wall sit holds recorded" in
                    view.hold_chart.accessibleDescription(), timeout=2000)
    view.hold_choice.setCurrentIndex(0)
    qtbot.waitUntil(lambda: "best hold 0:45" in view.hold_chart.accessibleDescription(),
                    timeout=2000)


# --- Empty states ---------------------------------------------------------------------------


def test_without_a_program_the_view_says_so(qtbot, store, library):
    view = make_view(qtbot, store, library, None)
    assert view.pages.currentWidget() is view.no_program
    assert "not started a program yet" in view.no_program.text()
    view.set_calendar(make_calendar(library))
    assert view.pages.currentIndex() == 1
    assert view.month_statuses()[date(2026, 5, 4)] is DayStatus.MISSED
    view.set_calendar(None)
    assert view.pages.currentWidget() is view.no_program


def test_with_no_sessions_yet_the_view_says_so(qtbot, store, library):
    view = make_view(qtbot, store, library, make_calendar(library))
    qtbot.waitUntil(lambda: view.totals is not None, timeout=3000)
    assert view.empty_notice.isVisibleTo(view)
    assert "No sessions recorded yet" in view.empty_notice.text()
    assert "No pain scores" in view.pain_chart.accessibleDescription() or \
        "before \u2013, after \u2013" in view.pain_chart.accessibleDescription()
    add(store, TODAY)
    view.refresh()
    qtbot.waitUntil(lambda: view.totals is not None, timeout=3000)
    assert not view.empty_notice.isVisibleTo(view)


def test_before_the_program_starts(qtbot, store, library):
    view = make_view(qtbot, store, library, make_calendar(library, date(2026, 6, 1)))
    assert set(view.month_statuses().values()) == {DayStatus.BEFORE_START}
    assert "starts on Monday 1 June 2026" in view.week_chart.accessibleDescription()
    assert "start with your program" in view.totals_label.text()
    qtbot.waitUntil(lambda: view.totals is not None, timeout=3000)
    assert view.totals == (0, 0, 0.0)
    assert "start with your program" in view.totals_label.text()
    view.grab()


def test_the_report_button_asks_for_a_report(qtbot, store, library):
    view = make_view(qtbot, store, library, make_calendar(library))
    with qtbot.waitSignal(view.sig_report_requested, timeout=1000):
        qtbot.mouseClick(view.report_button, Qt.MouseButton.LeftButton)


# --- Glyphs ---------------------------------------------------------------------------------


def test_every_symbol_drawn_is_in_the_dejavu_fonts(qapp):
    symbols = set(charts.GLYPHS)
    for words in ([o.text for o in Outcome], [charts.pain_text(1, 2)]):
        for text in words:
            symbols.update(c for c in text if ord(c) > 127)
    symbols.update("\u2039\u203a\u00b7\u2026\u2013")  # buttons, separators
    fm = QFontMetrics(QFont("DejaVu Sans"))
    missing = [f"U+{ord(c):04X}" for c in sorted(symbols) if not fm.inFontUcs4(ord(c))]
    assert not missing


def test_the_view_starts_pointing_at_the_right_day_near_a_month_end(qtbot, history, library):
    days = iter([date(2026, 5, 31), date(2026, 6, 1)])
    current = [next(days)]
    view = HistoryView(history, library, make_calendar(library), lambda: current[0])
    qtbot.addWidget(view)
    assert view.shown_month() == (2026, 5)
    current[0] = next(days)
    view.refresh()  # past midnight into June: "this month" follows
    assert view.shown_month() == (2026, 6)
    assert view.selected_day == date(2026, 6, 1)
    view.show_month(2026, 3)
    view.refresh()  # a month chosen by hand stays
    assert view.shown_month() == (2026, 3)


def test_painted_cells_are_where_clicks_land(qtbot, history, library):
    view = make_view(qtbot, history, library, make_calendar(library))
    for day in (date(2026, 5, 1), date(2026, 5, 17), date(2026, 5, 31)):
        rect = view.month_calendar.cell_rect(day)
        qtbot.mouseClick(view.month_calendar, Qt.MouseButton.LeftButton,
                         pos=QPoint(int(rect.left() + 3), int(rect.bottom() - 3)))
        assert view.selected_day == day


# --- Moved sessions and the end of the day ----------------------------------------------------


def test_a_session_done_a_day_late_shows_moved_on_its_day_and_done_where_it_was_done(
        qtbot, store, library):
    add(store, date(2026, 5, 5))  # Monday's session, on Tuesday
    view = make_view(qtbot, store, library, make_calendar(library))
    calendar = view.month_calendar
    assert "\u2192 moved" in calendar.day_text(date(2026, 5, 4))
    assert "\u2713 done" in calendar.day_text(date(2026, 5, 5))
    assert "extra" not in calendar.day_text(date(2026, 5, 5))
    view.show_day(date(2026, 5, 4))
    assert "Session one: moved to Tue 5 May (done)" in view.day_panel.text()
    view.show_day(date(2026, 5, 5))
    text = view.day_panel.text()
    assert "moved from Mon 4 May" in text and "extra" not in text


def test_a_session_started_after_midnight_counts_for_the_evening_before(qtbot, store,
                                                                        library):
    add(store, date(2026, 5, 7), hour=0)  # 00:05 on Thursday: Wednesday evening
    view = make_view(qtbot, store, library, make_calendar(library))
    assert "\u2713 done" in view.month_calendar.day_text(date(2026, 5, 6))
    assert "\u2013 rest" in view.month_calendar.day_text(date(2026, 5, 7))
