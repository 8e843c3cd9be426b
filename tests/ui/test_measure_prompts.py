"""The app asks the questionnaires itself: PEG at the first session of each program week
(after the weekly urgent-sign check), the PSFS right after enrolling and every two weeks.
Each is answered with the keyboard, skippable with Esc, and never holds a session up."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt

from backrehab_gui.core import measures as ms
from backrehab_gui.infra.record import read_answers, read_skips, save_answer
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui.enrol_form import EnrolForm
from backrehab_gui.ui.measure_screens import PegScreen, PsfsScreen
from backrehab_gui.ui.player.window import PlayerWindow
from backrehab_gui.ui.safety_screens import QuickCheck

from .test_today import MONDAY, make_app

DAY = 24 * 3600
ACTIVITIES = ("walking the dog", "sitting an hour", "lifting a bag")


def shown(app):
    return app.today_view.pages.currentWidget()


def keys(qtbot, app, *pressed: Qt.Key) -> None:
    """Press each key where the keyboard focus is, as a person would."""
    for key in pressed:
        target = app.window.focusWidget()
        assert target is not None
        qtbot.keyClick(target, key)


def closed(qtbot, player) -> None:
    assert isinstance(player, PlayerWindow)
    qtbot.addWidget(player)
    player.confirm_stop = lambda: True
    player.close()


def rated_before(home, days_ago: int = 0) -> None:
    """A PSFS answered ``days_ago`` (so only PEG is due now)."""
    day = MONDAY.date() - timedelta(days=days_ago)
    with HistoryStore.open(home) as store:
        save_answer(store, ms.psfs(day, ACTIVITIES, [3, 4, 2]),
                    MONDAY - timedelta(days=days_ago, hours=1))


def test_peg_is_asked_once_a_program_week_and_the_session_follows(qtbot, enrolled):
    rated_before(enrolled)
    app, clocks = make_app(qtbot, enrolled, questionnaires=False)
    app.window.show()
    assert app.start_routine("daily-evening") is None
    peg = shown(app)
    assert isinstance(peg, PegScreen) and "(1 of" not in peg.title.text()
    assert app.window.focusWidget() is peg.ratings[0]
    assert not peg.save.isEnabled()
    keys(qtbot, app, Qt.Key.Key_5, Qt.Key.Key_6)
    assert app.window.focusWidget() is peg.ratings[2]       # each number moves on
    keys(qtbot, app, Qt.Key.Key_T)                          # T is ten
    assert peg.save.isEnabled() and app.window.focusWidget() is peg.save
    assert peg.ratings[2].accessibleDescription() == "Answered 10 out of 10"
    keys(qtbot, app, Qt.Key.Key_Return)
    closed(qtbot, app.player)                               # straight into the session
    (answer,) = [a for a in read_answers(app.store) if a.kind == ms.PEG]
    assert answer.items == (5, 6, 10) and answer.day == MONDAY.date()
    assert not app.today_view.showing_form
    # Later that week: no questions.
    clocks.now += 3 * DAY
    closed(qtbot, app.start_routine("daily-evening"))
    # The next program week: the urgent-sign check, then PEG again, one after the other.
    clocks.now += 4 * DAY
    assert app.start_routine("daily-evening") is None
    assert isinstance(shown(app), QuickCheck)
    keys(qtbot, app, Qt.Key.Key_N)
    assert isinstance(shown(app), PegScreen) and app.player is None
    keys(qtbot, app, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_2, Qt.Key.Key_Return)
    closed(qtbot, app.player)
    pegs = [a for a in read_answers(app.store) if a.kind == ms.PEG]
    assert [a.items for a in pegs] == [(5, 6, 10), (2, 3, 2)]
    app.close()


def test_skipping_goes_straight_to_the_session_and_waits_for_the_next_due_point(
        qtbot, enrolled):
    app, clocks = make_app(qtbot, enrolled, questionnaires=False)
    app.window.show()
    app.start_routine("daily-evening")
    peg = shown(app)
    assert isinstance(peg, PegScreen) and "(1 of 2)" in peg.title.text()   # PSFS next
    keys(qtbot, app, Qt.Key.Key_4, Qt.Key.Key_Escape)
    closed(qtbot, app.player)                # Esc skips both: on with the session
    assert read_answers(app.store) == []
    assert read_skips(app.store) == {"peg": [MONDAY.date()], "psfs": [MONDAY.date()]}
    closed(qtbot, app.start_routine("daily-evening"))       # not again that day
    clocks.now += 7 * DAY                                   # next week: PEG only
    app.gate.checked((), "Answered in a test.")             # the urgent-sign check
    app.start_routine("daily-evening")
    again = shown(app)
    assert isinstance(again, PegScreen) and "(1 of" not in again.title.text()
    again.skip.click()                                      # the button does the same
    closed(qtbot, app.player)
    clocks.now += 7 * DAY                                   # two weeks on: both again
    app.gate.checked((), "Answered in a test.")
    app.start_routine("daily-evening")
    assert "(1 of 2)" in shown(app).title.text()
    keys(qtbot, app, Qt.Key.Key_3, Qt.Key.Key_3, Qt.Key.Key_3, Qt.Key.Key_Return)
    psfs = shown(app)
    assert isinstance(psfs, PsfsScreen) and "(2 of 2)" in psfs.title.text()
    keys(qtbot, app, Qt.Key.Key_Escape)                     # only the PSFS left to skip
    closed(qtbot, app.player)
    assert [a.kind for a in read_answers(app.store)] == [ms.PEG]
    assert len(read_skips(app.store)["psfs"]) == 2
    app.close()


def test_psfs_at_enrolment_then_re_rated_two_weeks_later(qtbot, tmp_path):
    app, clocks = make_app(qtbot, tmp_path, questionnaires=False)
    app.window.show()
    form = shown(app)
    assert isinstance(form, EnrolForm)
    form.start.setDate(QDate(2026, 11, 23))
    form.save.click()
    psfs = shown(app)
    assert isinstance(psfs, PsfsScreen) and app.window.focusWidget() is psfs.names[0]
    psfs.names[0].setText(ACTIVITIES[0])
    psfs.names[1].setText("<b>sitting</b> & reading")       # a person's words, as typed
    keys(qtbot, app, Qt.Key.Key_Return)
    assert "Name 3 to 5 activities, not 2." in psfs.problem.text()
    assert psfs.names[1].text() == "<b>sitting</b> & reading"   # nothing typed is lost
    psfs.names[2].setText(ACTIVITIES[2])
    keys(qtbot, app, Qt.Key.Key_Return)
    assert [r.question.text() for r in psfs.ratings] == \
        [ACTIVITIES[0], "<b>sitting</b> & reading", ACTIVITIES[2]]
    assert all(r.question.textFormat() == Qt.TextFormat.PlainText for r in psfs.ratings)
    keys(qtbot, app, Qt.Key.Key_2, Qt.Key.Key_5, Qt.Key.Key_1, Qt.Key.Key_Return)
    assert not app.today_view.showing_form                  # back to the plan
    (first,) = read_answers(app.store)
    assert first.items == (2, 5, 1) and first.activities[1] == "<b>sitting</b> & reading"
    # The first session: PEG alone (the PSFS was just answered).
    app.start_routine("daily-evening")
    assert isinstance(shown(app), PegScreen) and "(1 of" not in shown(app).title.text()
    keys(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_Return)
    closed(qtbot, app.player)
    # Two weeks on, the same activities are rated again: no naming.
    clocks.now += 14 * DAY
    app.gate.checked((), "Answered in a test.")
    app.start_routine("daily-evening")
    keys(qtbot, app, Qt.Key.Key_1, Qt.Key.Key_1, Qt.Key.Key_0, Qt.Key.Key_Return)
    again = shown(app)
    assert isinstance(again, PsfsScreen) and again.pages.currentIndex() == 1
    assert not again.back.isVisible()           # the same activities, so change shows
    assert [r.question.text() for r in again.ratings] == list(first.activities)
    keys(qtbot, app, Qt.Key.Key_6, Qt.Key.Key_7, Qt.Key.Key_4, Qt.Key.Key_Return)
    closed(qtbot, app.player)
    scales = [a for a in read_answers(app.store) if a.kind == ms.PSFS]
    assert [a.items for a in scales] == [(2, 5, 1), (6, 7, 4)]
    assert scales[1].day == MONDAY.date() + timedelta(days=14)
    app.close()


def test_skipping_the_psfs_at_enrolment_is_kept(qtbot, tmp_path):
    app, _ = make_app(qtbot, tmp_path, questionnaires=False)
    shown(app).save.click()                                 # enrol, starting today
    assert isinstance(shown(app), PsfsScreen)
    qtbot.keyClick(shown(app), Qt.Key.Key_Escape)
    assert not app.today_view.showing_form
    assert read_skips(app.store) == {"psfs": [MONDAY.date()]}
    app.start_routine("daily-evening")
    assert isinstance(shown(app), PegScreen) and "(1 of" not in shown(app).title.text()
    app.close()


def test_an_answer_the_history_refuses_waits_and_the_session_still_starts(qtbot, enrolled):
    rated_before(enrolled)
    app, _ = make_app(qtbot, enrolled, questionnaires=False)
    writable = app.store
    app.keeper.store = HistoryStore.open(enrolled, read_only=True)  # the disk refuses writes
    app.start_routine("daily-evening")
    for rating, value in zip(shown(app).ratings, (7, 7, 6)):
        rating.choose(value)
    shown(app).save.click()
    closed(qtbot, app.player)
    assert "1 questionnaire answer is not in your history yet" in \
        app.today_view.notice.text()
    app.store.close()
    app.keeper.store = writable
    app.refresh()                                           # the history works again
    assert [a.items for a in read_answers(app.store) if a.kind == ms.PEG] == [(7, 7, 6)]
    assert "questionnaire" not in app.today_view.notice.text()
    app.close()


def test_without_a_program_nothing_is_asked(qtbot, tmp_path):
    app, _ = make_app(qtbot, tmp_path, questionnaires=False)
    app.today_view.close_form()                             # the enrolment form, not now
    closed(qtbot, app.start_routine("daily-evening"))
    assert read_skips(app.store) == {} and read_answers(app.store) == []
    app.close()


def test_the_app_is_told_the_day_of_each_answer_by_its_own_day_end(qtbot, enrolled):
    # At 01:30 on Tuesday the person's day is still Monday (their day ends at 03:00).
    rated_before(enrolled)
    late = MONDAY.replace(hour=0, minute=0) + timedelta(days=1, hours=1, minutes=30)
    app, _ = make_app(qtbot, enrolled, late, questionnaires=False)
    app.start_routine("daily-evening")
    for rating in shown(app).ratings:
        rating.choose(3)
    shown(app).save.click()
    closed(qtbot, app.player)
    (peg,) = [a for a in read_answers(app.store) if a.kind == ms.PEG]
    assert peg.day == MONDAY.date()
    app.close()
