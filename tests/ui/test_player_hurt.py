""""Stop: it hurts" in the player: a key and a big button, what happened recorded on the
exercise, the easier variant for the rest of the session, and the red-flag check."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea

from backrehab_gui.core.engine import State
from backrehab_gui.core.screening import EventKind
from backrehab_gui.core.timeline import StepKind
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui.app import App
from backrehab_gui.ui.safety_screens import LockScreen

from .test_player import FakeClock, advance

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=timezone(timedelta(hours=1)))


@pytest.fixture
def app(qtbot, tmp_path):
    clock = FakeClock()
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-23",
                                          checked_on="2026-11-23"))
    application = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
                      keep_awake=RecordingKeepAwake(), clock=clock, tray_available=False,
                      wall_clock=lambda: EVENING + timedelta(seconds=clock.now - 1000))
    application.clock_for_tests = clock
    qtbot.addWidget(application.window)
    yield application
    application.close()


def start_evening(qtbot, app, seconds: float = 15.0):
    """The evening block, a few seconds into its first exercise (the dead bug)."""
    player = app.start_routine("daily-evening")
    qtbot.addWidget(player)
    player.confirm_stop = lambda: True
    qtbot.keyClick(player, Qt.Key.Key_S)           # skip the pain question
    advance(player.controller, app.clock_for_tests, seconds)
    assert player.controller.engine.current.exercise_id == "dead-bug"
    app.keeper.flush()   # the session's start is in the history, as seconds later it is
    return player


def safety_events(app):
    return app.store.safety_events_between(date(2026, 1, 1), date(2026, 12, 31))


def test_h_pauses_asks_records_it_on_the_exercise_and_offers_the_easier_variant(qtbot, app):
    player = start_evening(qtbot, app)
    controller = player.controller
    assert player.buttons["hurt"].text().startswith("Stop: it hurts")
    qtbot.keyClick(player, Qt.Key.Key_H)
    assert controller.paused
    hurt = player.hurt.view
    assert player._pages.currentWidget() is hurt and hurt.during.text() == "During: Dead bug"
    qtbot.keyClick(player, Qt.Key.Key_1)             # sharper back pain
    (event,) = safety_events(app)
    assert (event.kind, event.what, event.exercise_id, event.exercise_name) == \
        (EventKind.HURT, "back", "dead-bug", "Dead bug")
    assert event.session_id == app.store.all_sessions()[0].id
    # Offered: the easier variant (first, the default), skipping, ending. Not going on.
    offered = [a.value for a in hurt.offered]
    assert offered == ["easier", "skip", "end"]
    assert hurt.action_buttons[hurt.offered[0]].text().startswith("\u2713 Do Leg slides instead")
    assert not hurt.action_buttons[hurt.offered[0]].isHidden()
    assert hurt.action_buttons[type(hurt.offered[0]).GO_ON].isHidden()
    assert "Stop this exercise" in hurt.advice.text()
    qtbot.keyClick(player, Qt.Key.Key_Return)        # the default: the easier variant
    assert player._pages.currentWidget() is player._session
    assert not controller.paused
    assert "Pause" in player.buttons["pause"].text()
    engine = controller.engine
    assert engine.current.kind is StepKind.REST and engine.current.next_name == "Leg slides"
    advance(controller, app.clock_for_tests, 12.0)
    assert engine.current.exercise_id == "leg-slides"
    assert player.name.text() == "Leg slides"
    # For the rest of the session: the dead bug does not come back.
    later = engine.timeline.steps[engine.index:]
    assert not any(s.exercise_id == "dead-bug" for s in later if s.kind is StepKind.WORK)
    assert safety_events(app)[0].action == "easier"
    controller.stop()
    results = {r.exercise_id: r.status for r in player.summary.results}
    assert results["dead-bug"] == "partial" and "leg-slides" in results


def test_the_easier_variants_words_are_made_ahead_and_it_counts_from_one(qtbot, app):
    player = start_evening(qtbot, app)
    speaker = app.speaker
    qtbot.keyClick(player, Qt.Key.Key_H)
    qtbot.keyClick(player, Qt.Key.Key_1)             # sharper back pain
    made, said = len(speaker.prepared), len(speaker.texts)
    qtbot.keyClick(player, Qt.Key.Key_Return)        # leg slides instead
    # The new steps' words are asked for at once, what the lead-in says first.
    new = speaker.prepared[made:]
    assert new[0] == "Rest 10 seconds. Next: Leg slides"
    assert "Leg slides. Slide the heel out slowly; your hips stay still" in new
    assert "6 right" in new
    advance(player.controller, app.clock_for_tests, 10.0 + 12 * 6.0)
    spoken = speaker.texts[said:]
    assert spoken[0] == "Rest 10 seconds. Next: Leg slides"
    counts = [t for t in spoken if re.fullmatch(r"\d+ (left|right)", t)][:12]
    assert counts == [f"{n // 2 + 1} {'left' if n % 2 == 0 else 'right'}" for n in range(12)]
    name = next(n for n, t in enumerate(spoken) if t.startswith("Leg slides"))
    assert name < spoken.index("1 left")
    assert not [t for t in spoken if "Dead bug" in t]


def test_pressed_by_mistake_goes_back_to_the_session_and_records_nothing(qtbot, app):
    player = start_evening(qtbot, app)
    player.buttons["hurt"].click()
    assert player.controller.paused
    qtbot.keyClick(player, Qt.Key.Key_Escape)
    assert player._pages.currentWidget() is player._session
    advance(player.controller, app.clock_for_tests, 4.0)      # after the get-ready
    assert not player.controller.paused
    assert safety_events(app) == []


def test_leg_symptoms_open_the_check_and_no_urgent_sign_recommends_ending(qtbot, app):
    player = start_evening(qtbot, app)
    qtbot.keyClick(player, Qt.Key.Key_H)
    qtbot.keyClick(player, Qt.Key.Key_2)             # pain or tingling down a leg
    hurt = player.hurt.view
    assert hurt.pages.currentWidget() is hurt.check
    qtbot.keyClick(player, Qt.Key.Key_N)             # none of the urgent signs
    assert hurt.pages.currentWidget() is hurt.options_page
    assert hurt.default.value == "end"
    qtbot.keyClick(player, Qt.Key.Key_Return)
    assert player.controller.finished and player.on_summary
    kinds = [(e.kind, e.emergency) for e in safety_events(app)]
    assert kinds == [(EventKind.HURT, False), (EventKind.CHECK, False)]
    assert safety_events(app)[0].action == "end"
    assert app.screening_passed


def test_numbness_with_an_urgent_sign_ends_the_session_and_locks_the_program(qtbot, app):
    player = start_evening(qtbot, app)
    qtbot.keyClick(player, Qt.Key.Key_H)
    qtbot.keyClick(player, Qt.Key.Key_3)             # numbness
    hurt = player.hurt.view
    hurt.check.boxes["saddle-numbness"].setChecked(True)
    qtbot.keyClick(player, Qt.Key.Key_Return)
    assert player.hurt.emergency and player.controller.finished
    assert hurt.pages.currentWidget() is hurt.emergency_page
    assert not player.on_summary                     # help first, no questions after
    assert "groin" in hurt.emergency.text()
    assert not app.screening_passed
    with qtbot.waitSignal(player.sig_closed):
        qtbot.keyClick(player, Qt.Key.Key_Return)
    assert isinstance(app.today_view.pages.currentWidget(), LockScreen)
    events = safety_events(app)
    assert [(e.kind, e.emergency, e.action) for e in events] == [
        (EventKind.HURT, False, "emergency"), (EventKind.CHECK, True, None)]
    app.keeper.flush()                   # session writes go through the writer thread
    (session,) = app.store.all_sessions()
    assert session.status == "stopped"


def test_between_exercises_going_on_is_offered_instead(qtbot, app):
    player = app.start_routine("daily-evening")
    qtbot.addWidget(player)
    player.confirm_stop = lambda: True
    qtbot.keyClick(player, Qt.Key.Key_S)
    assert player.controller.engine.current.kind is StepKind.PREPARE
    qtbot.keyClick(player, Qt.Key.Key_H)
    hurt = player.hurt.view
    assert hurt.during.text() == "Between exercises."
    qtbot.keyClick(player, Qt.Key.Key_4)             # something else
    assert [a.value for a in hurt.offered] == ["go-on", "end"]
    qtbot.keyClick(player, Qt.Key.Key_G)
    assert player.controller.engine.state is State.RUNNING
    (event,) = safety_events(app)
    assert (event.exercise_id, event.what, event.action) == (None, "other", "go-on")


def test_a_history_that_refuses_keeps_the_record_until_it_can_write(qtbot, app,
                                                                    monkeypatch):
    from backrehab_gui.infra.store_errors import StoreFullError

    player = start_evening(qtbot, app)
    real = app.store.record_safety_event

    def full(event):
        raise StoreFullError("The disk is full.")

    monkeypatch.setattr(app.store, "record_safety_event", full)
    qtbot.keyClick(player, Qt.Key.Key_H)
    qtbot.keyClick(player, Qt.Key.Key_1)
    qtbot.keyClick(player, Qt.Key.Key_S)             # skip the rest of the dead bug
    assert len(app.gate.pending) == 1 and app.gate.pending[0].action == "skip"
    assert "1 safety record" in app.gate.notice() and "disk is full" in app.gate.notice()
    monkeypatch.setattr(app.store, "record_safety_event", real)
    app.gate.retry()
    (event,) = safety_events(app)
    assert (event.what, event.action) == ("back", "skip") and app.gate.pending == []


def test_the_hurt_pages_follow_a_new_text_size_and_scroll_rather_than_cut(qtbot, app):
    """A text size chosen with the player open reached the session but not "Stop: it
    hurts" (it kept the size it was opened with); and its long pages ran off the window."""
    player = start_evening(qtbot, app)
    player.resize(800, 600)
    qtbot.keyClick(player, Qt.Key.Key_H)
    hurt = player.hurt.view
    before = hurt.during.font().pixelSize()
    player.set_text_scale(2.0)
    assert hurt.during.font().pixelSize() >= before * 1.8
    # The urgent page at 200 % in a small window: all of it reachable by scrolling, from
    # the keys too (the buttons never take the focus).
    hurt.show_emergency(frozenset({"saddle-numbness", "bladder-bowel-changes"}))
    area = hurt.emergency_page.findChild(QScrollArea)
    qtbot.waitUntil(lambda: area.verticalScrollBar().maximum() > 0)
    text = hurt.emergency
    assert area.widget().height() >= text.y() + text.heightForWidth(text.width())
    qtbot.keyClick(player, Qt.Key.Key_PageDown)
    assert area.verticalScrollBar().value() > 0
    assert player._pages.currentWidget() is hurt  # scrolling is not closing
