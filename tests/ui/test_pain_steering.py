"""Pain steering on screen: the next-day check, the notes after a session, and holding or
stepping back a progression from Today."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.holds import ProgressLine
from backrehab_gui.core.next_day import SAME, WORSE
from backrehab_gui.core.progression import HOLD, RESUME, STEP_BACK, ProgressionChoice
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.core.timeline import StepKind
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui.next_day_dialog import NextDayDialog
from backrehab_gui.ui.player.summary import SummaryView
from backrehab_gui.ui.today_view import TodayView

from .test_today import MONDAY, make_app, run_to_end

TODAY = MONDAY.date()


# --- The next-day dialog ------------------------------------------------------------------

def dialog(qtbot) -> tuple[NextDayDialog, list]:
    got: list = []
    box = NextDayDialog(TODAY - timedelta(days=1), TODAY, ["Phase 2: Strength"])
    box.sig_answered.connect(lambda answer, pain: got.append((answer, pain)))
    qtbot.addWidget(box)
    box.show()
    return box, got


def test_the_next_day_dialog_is_answered_with_three_keys(qtbot):
    box, got = dialog(qtbot)
    assert box.intro.text() == ("Yesterday, Sunday 22 November, you did Phase 2: Strength. "
                                "Compared with before that session, your back is:")
    QTest.keyClick(box.scale, Qt.Key.Key_W)     # the scale has no say over these letters
    assert box.choices[WORSE].isChecked() and box.note.isVisibleTo(box)
    assert "Worse counts as a flag" in box.note.text()
    QTest.keyClick(box, Qt.Key.Key_T)
    QTest.keyClick(box.choices[WORSE], Qt.Key.Key_6)
    assert box.pain == 6
    QTest.keyClick(box.choices[WORSE], Qt.Key.Key_Return)
    assert got == [(WORSE, 6)] and not box.isVisible()


def test_enter_without_an_answer_says_what_is_missing_and_esc_skips(qtbot):
    box, got = dialog(qtbot)
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert got == [] and box.isVisible() and "Choose better, the same or worse" in \
        box.note.text()
    QTest.keyClick(box.scale, Qt.Key.Key_S)
    assert box.answer == SAME and box.scale.value is None  # S is "the same", not "skip"
    QTest.keyClick(box, Qt.Key.Key_Escape)
    assert got == [(None, None)] and not box.isVisible()


# --- The app asks once, at launch or before the first session ------------------------------

def with_session_yesterday(home, before=2, after=3) -> None:
    store = HistoryStore.open(home)
    store.save_enrolment(Enrolment("lower-back-8-weeks", TODAY - timedelta(weeks=3)))
    yesterday = MONDAY - timedelta(days=1)
    sid = store.begin_session("phase-2-strength", "Phase 2: Strength", "f" * 16, "phase",
                              None, yesterday, 3, "strength", before)
    store.finish_session(sid, Summary("phase-2-strength", "Phase 2: Strength", (), True, 900,
                                      1.0), yesterday + timedelta(minutes=15))
    store.set_feedback(sid, pain_after=after)
    store.close()


def test_the_app_asks_about_yesterday_once_and_stores_the_answer(qtbot, tmp_path):
    with_session_yesterday(tmp_path)
    app, _ = make_app(qtbot, tmp_path)
    box = app.ask_next_day()
    assert box is not None and box.isVisible() and box.isModal()
    QTest.keyClick(box, Qt.Key.Key_S)
    QTest.keyClick(box, Qt.Key.Key_2)
    QTest.keyClick(box, Qt.Key.Key_Return)
    (check,) = app.store.next_day_checks()
    assert (check.about, check.answer, check.pain) == (TODAY - timedelta(days=1), SAME, 2)
    assert app.ask_next_day() is None and app.next_day_due() is None
    app.close()
    app, _ = make_app(qtbot, tmp_path)        # a second launch the same day
    assert app.ask_next_day() is None
    app.close()


def test_before_the_first_session_of_the_day_the_check_comes_first(qtbot, tmp_path):
    with_session_yesterday(tmp_path)
    app, _ = make_app(qtbot, tmp_path)
    assert app.start_routine("daily-morning") is None
    box = app.next_day_dialog
    assert box is not None and box.isVisible()
    QTest.keyClick(box, Qt.Key.Key_Escape)    # skipped: still counts as asked
    assert app.player is not None and app.player.controller.engine.timeline.routine_id == \
        "daily-morning"
    (check,) = app.store.next_day_checks()
    assert check.answer is None
    app.player.close()
    app.close()


def test_a_session_asked_for_while_the_question_is_open_starts_once_it_is_answered(
        qtbot, tmp_path):
    with_session_yesterday(tmp_path)
    app, _ = make_app(qtbot, tmp_path)
    box = app.ask_next_day()                  # at launch
    assert app.start_routine("daily-midday") is None   # from the tray, say
    assert app.next_day_dialog is box and app.player is None
    QTest.keyClick(box, Qt.Key.Key_B)
    QTest.keyClick(box, Qt.Key.Key_Return)
    assert app.player is not None and app.player.controller.engine.timeline.routine_id == \
        "daily-midday"
    app.player.close()
    app.close()


def test_a_worse_answer_holds_this_weeks_step_on_today_and_in_the_player(qtbot, tmp_path):
    with_session_yesterday(tmp_path)
    app, _ = make_app(qtbot, tmp_path)
    (line,) = app.today_view.progress_rows
    assert line[0].given == "2 x hold 25s"                # week 4: up from 20 s
    box = app.ask_next_day()
    QTest.keyClick(box, Qt.Key.Key_W)
    QTest.keyClick(box, Qt.Key.Key_5)
    QTest.keyClick(box, Qt.Key.Key_Return)
    (line,) = app.today_view.progress_rows
    assert line[0].given == "2 x hold 20s"
    assert "the day after Sun 22 Nov: worse, 5 of 10" in line[0].text
    player = app.start_routine("phase-2-strength")
    planks = [s.duration for s in player.controller.engine.timeline.steps
              if s.kind is StepKind.WORK and s.exercise_id == "plank"]
    assert planks == [20.0, 20.0]
    player.close()
    app.close()


# --- After a session: the tiers and the 15-minute question ---------------------------------

def summary_view(qtbot, library) -> tuple[SummaryView, list]:
    view = SummaryView(library.exercises)
    qtbot.addWidget(view)
    got: list = []
    view.sig_feedback.connect(lambda *args: got.append(args))
    results = (ExerciseResult(0, "plank", "Plank", "done", 40, 2, 2, None, None),
               ExerciseResult(1, "glute-bridge-march", "Glute bridge march", "done", 60, 2, 2,
                              10, 10),
               ExerciseResult(2, "split-stance-band-row", "Split-stance band row", "skipped",
                              0, 0, 3, 0, 12))
    view.show_summary(Summary("phase-2-strength", "Phase 2: Strength", results, True, 100,
                              0.9), pain_before=4)
    view.show()
    return view, got


def test_moderate_pain_names_the_exercises_and_asks_about_fifteen_minutes(qtbot, tmp_path):
    app, _ = make_app(qtbot, tmp_path)
    view, got = summary_view(qtbot, app.library)
    assert not view.lasted.isVisibleTo(view)
    QTest.keyClick(view.pain_after, Qt.Key.Key_5)
    assert view.flag.property("tier") == "note"
    assert view.flag.text().startswith("\u2139 Your back is at 5 out of 10 after this "
                                       "session: more than light.")
    # The exercises done, each with its easier variant; the skipped row is not named.
    assert ("Knee plank instead of Plank; Glute bridge instead of Glute bridge march."
            in view.flag.text())
    assert "Split-stance" not in view.flag.text()
    assert view.lasted.isVisibleTo(view) and view.focusWidget() is view.lasted
    QTest.keyClick(view.lasted, Qt.Key.Key_N)
    assert view.flag.property("tier") == "note" and view.focusWidget() is view.effort
    QTest.keyClick(view.lasted, Qt.Key.Key_Y)
    assert view.flag.property("tier") == "flag"
    assert "longer than 15 minutes is a sign to stop" in view.flag.text()
    view.note.setText("Sharp pain in the plank")
    QTest.keyClick(view.note, Qt.Key.Key_Return)
    assert got == [(5, None, "Sharp pain in the plank", True)]
    app.close()


def test_light_pain_asks_nothing_more_and_a_rise_is_a_flag(qtbot, tmp_path):
    app, _ = make_app(qtbot, tmp_path)
    view, got = summary_view(qtbot, app.library)
    QTest.keyClick(view.pain_after, Qt.Key.Key_3)
    assert not view.flag.isVisibleTo(view) and not view.lasted.isVisibleTo(view)
    assert view.focusWidget() is view.effort
    view.pain_after.choose(6)                        # 4 -> 6: a rise of 2
    assert view.flag.property("tier") == "flag" and "went up from 4 to 6" in view.flag.text()
    assert "Knee plank instead of Plank" in view.flag.text()
    view.pain_after.choose(2)                        # changed their mind: no question left
    assert not view.lasted.isVisibleTo(view) and not view.flag.isVisibleTo(view)
    QTest.keyClick(view.note, Qt.Key.Key_Return)
    assert got == [(2, None, "", None)]
    app.close()


def test_the_fifteen_minute_answer_is_saved_with_the_session(qtbot, enrolled):
    app, clocks = make_app(qtbot, enrolled)
    player = app.start_routine("breathing-break")
    run_to_end(player, clocks, pain_key=Qt.Key.Key_3)
    summary = player._summary_view
    QTest.keyClick(summary.pain_after, Qt.Key.Key_4)
    QTest.keyClick(summary.lasted, Qt.Key.Key_Y)
    QTest.keyClick(summary.note, Qt.Key.Key_Return)
    app.keeper.flush()                   # session writes go through the writer thread
    (saved,) = app.store.all_sessions()
    assert (saved.pain_before, saved.pain_after, saved.pain_lasted) == (3, 4, True)
    app.close()


# --- Holding and stepping back from Today --------------------------------------------------

def test_hold_step_back_and_resume_from_today(qtbot, enrolled):
    app, _ = make_app(qtbot, enrolled)           # week 4
    view = app.today_view
    assert view.progress_box.isVisibleTo(view)
    ((line, buttons),) = view.progress_rows
    assert line.text == "Plank: 2 x hold 25s this week, up from 2 x hold 20s."
    assert set(buttons) == {"hold", "back"}
    assert buttons["back"].text() == "Step back to 2 x hold 20s"
    buttons["hold"].click()
    assert app.store.progression_choices() == [ProgressionChoice("plank", 5, HOLD)]
    ((line, buttons),) = view.progress_rows
    assert line.text.endswith("you are holding it here from next week.")
    assert set(buttons) == {"resume", "back"}
    buttons["back"].click()
    ((line, buttons),) = view.progress_rows
    assert line.given == "2 x hold 20s" and "you stepped it back from 2 x hold 25s" in \
        line.text
    assert app.store.progression_choices()[-1] == ProgressionChoice("plank", 4, STEP_BACK)
    estimate = view.rows[0][0].estimate
    buttons["resume"].click()
    assert app.store.progression_choices()[-1] == ProgressionChoice("plank", 5, RESUME)
    assert view.rows[0][0].estimate == estimate   # this week stays stepped back
    app.close()
    # Next week it goes up again from where it was.
    app, _ = make_app(qtbot, enrolled, MONDAY + timedelta(weeks=1))
    ((line, _),) = app.today_view.progress_rows
    assert line.text == "Plank: 2 x hold 25s this week, up from 2 x hold 20s."
    app.close()



# --- Text from files is never markup here either -------------------------------------------

MARK = '<img src="missing.png"><b>big</b> r&amp;d & co'


def test_names_in_the_new_screens_are_shown_as_written(qtbot):
    box = NextDayDialog(TODAY - timedelta(days=1), TODAY, [MARK])
    qtbot.addWidget(box)
    assert MARK in box.intro.text() and box.intro.textFormat() == Qt.TextFormat.PlainText

    def ex(ident, easier=()):
        return m.Exercise.model_validate({
            "id": ident, "name": f"{ident} {MARK}", "category": "core",
            "position": "on-back", "steps": ["Do it"], "key_cue": "Breathe", "why": "Helps",
            "dose": {"hold": 20}, "easier": list(easier)})

    view = SummaryView({"hard": ex("hard", ["soft"]), "soft": ex("soft")})
    qtbot.addWidget(view)
    view.show_summary(Summary("r", MARK, (ExerciseResult(0, "hard", MARK, "done", 20, 1, 1,
                                                         None, None),), True, 20, 1.0), 4)
    view.pain_after.choose(5)
    assert f"soft {MARK} instead of hard {MARK}" in view.flag.text()
    assert view.flag.textFormat() == Qt.TextFormat.PlainText

    today = TodayView()
    qtbot.addWidget(today)
    today.set_progress([ProgressLine("hard", MARK, MARK, f"{MARK}: held", False, MARK)])
    (label,) = today.progress_box.findChildren(QLabel)
    assert label.text() == f"{MARK}: held" and label.textFormat() == Qt.TextFormat.PlainText
    ((_line, buttons),) = today.progress_rows
    assert buttons["back"].text() == f"Step back to {MARK}".replace("&", "&&")
