"""The player: the controller with a fake clock, the window by keyboard, a routine end to end."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import State
from backrehab_gui.core.timeline import StepKind, compile_routine
from backrehab_gui.infra.audio import VOICE, ProcessAudioOutput, stand_in_command
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker, make_speaker
from backrehab_gui.ui.app import App
from backrehab_gui.ui.player.controller import SessionController
from backrehab_gui.ui.player.window import PlayerWindow


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def exercise(ident: str, dose: dict) -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": ident.replace("-", " ").capitalize(), "category": "core",
        "position": "on-back", "steps": ["Lie down", "Move slowly"], "key_cue": "Breathe",
        "why": "It helps", "dose": dose, "equipment": ["mat"],
    })


LIBRARY = {
    "wall-sit": exercise("wall-sit", {"hold": 20, "sets": 2, "rest": 10}),
    "tilt": exercise("tilt", {"reps": 3}),
    "plank": exercise("plank", {"hold": "max"}),
    "paced": exercise("paced", {"reps": 4, "tempo": {"up": 2, "down": 2}}),
}


def make(qtbot, *ids: str, prepare: float = 3):
    routine = m.Routine.model_validate({"id": "t", "name": "Test",
                                        "exercises": [{"exercise": i} for i in ids]})
    clock = FakeClock()
    speaker, sounds = RecordingSpeaker(), RecordingSoundPlayer()
    controller = SessionController(compile_routine(routine, LIBRARY, prepare=prepare), speaker,
                                   sounds, clock=clock)
    window = PlayerWindow(controller, LIBRARY)
    window.confirm_stop = lambda: True
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    return controller, window, clock, speaker, sounds


def advance(controller, clock, seconds: float, step: float = 0.1) -> None:
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.now = min(clock.now + step, end)
        controller.update_now()


def press(qtbot, window, key) -> None:
    qtbot.keyClick(window, key)


# --- Controller --------------------------------------------------------------------


def test_controller_speaks_sounds_and_arms_one_precise_timer(qtbot):
    controller, window, clock, speaker, sounds = make(qtbot, "wall-sit")
    with qtbot.waitSignal(controller.sig_step_started):
        controller.start()
    # Three seconds to get ready: room for the name before the countdown, no more.
    assert speaker.texts == ["Wall sit"]
    timer = controller._timer
    assert timer.isActive() and timer.timerType() == Qt.TimerType.PreciseTimer
    assert timer.interval() == 1000  # the next displayed second, exactly
    advance(controller, clock, 3.0)
    assert speaker.texts[-1] == "Wall sit. Breathe"
    assert sounds.played[:3] == ["tick", "tick", "start"]  # no tick at the very start
    assert window.timer.text() == "20"


def test_captions_show_what_is_said_even_when_muted(qtbot):
    controller, window, clock, speaker, _ = make(qtbot, "wall-sit")
    controller.start()
    press(qtbot, window, Qt.Key.Key_M)
    assert controller.muted and speaker.stops >= 1
    advance(controller, clock, 3.0)
    assert "Wall sit. Breathe" not in speaker.texts
    assert window.caption.text().endswith("Wall sit. Breathe")


class SlowVoice(RecordingSpeaker):
    """A speaker whose words become ready only when the test says so."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: list = []

    def prepare(self, texts, on_ready=None) -> None:
        self.prepared.extend(texts)
        self.waiting.append(on_ready)


def test_the_start_waits_for_the_first_words_then_goes_at_once(qtbot):
    routine = m.Routine.model_validate({"id": "t", "name": "Test",
                                        "exercises": [{"exercise": "wall-sit"}]})
    speaker = SlowVoice()
    controller = SessionController(compile_routine(routine, LIBRARY, prepare=10), speaker,
                                   RecordingSoundPlayer(), clock=FakeClock())
    # The first step's words are asked for first, then everything else.
    assert speaker.prepared[0] == "Get ready. First: Wall sit" and "Halfway" in speaker.prepared
    assert speaker.prepared.index("Halfway") > speaker.prepared.index("3")
    controller.start()
    assert controller.engine.state is State.READY and speaker.texts == []
    first, everything = speaker.waiting
    with qtbot.waitSignal(controller.sig_step_started):
        first()  # from the speaker's thread in the app
    assert controller.engine.state is State.RUNNING
    assert speaker.texts == ["Get ready. First: Wall sit"]
    assert controller.start_waited is not None


def test_the_start_waits_a_second_at_most_for_a_slow_voice(qtbot):
    routine = m.Routine.model_validate({"id": "t", "name": "Test",
                                        "exercises": [{"exercise": "wall-sit"}]})
    controller = SessionController(compile_routine(routine, LIBRARY, prepare=10), SlowVoice(),
                                   RecordingSoundPlayer(), clock=FakeClock())
    controller.start()
    with qtbot.waitSignal(controller.sig_step_started, timeout=3000):
        pass
    assert controller.engine.state is State.RUNNING


def test_the_timer_wakes_by_itself(qtbot):
    controller, window, clock, speaker, _ = make(qtbot, "wall-sit")
    controller.start()
    clock.now += 1.0
    with qtbot.waitSignal(controller.sig_view, timeout=3000):
        pass
    assert window.timer.text() == "2"
    assert controller.lateness and controller.lateness[0] >= 0


# --- The window by keyboard -------------------------------------------------------------


def test_space_pauses_and_resumes_with_a_get_ready(qtbot):
    controller, window, clock, speaker, _ = make(qtbot, "wall-sit")
    controller.start()
    advance(controller, clock, 5.0)
    press(qtbot, window, Qt.Key.Key_Space)
    assert controller.paused and "PAUSED" in window.badge.text()
    shown = window.timer.text()
    advance(controller, clock, 30.0)
    assert window.timer.text() == shown
    press(qtbot, window, Qt.Key.Key_Space)
    assert not controller.paused and "GET READY" in window.badge.text()
    assert speaker.texts[-1] == "Get ready"


@pytest.mark.speech
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_pause_silences_the_voice_at_once(qtbot, tmp_path):
    """The real voice, played by a stand-in player that lasts as long as each clip."""
    clock = FakeClock()
    output = ProcessAudioOutput(stand_in_command(tmp_path / "played.log"), mixing=False)
    speaker = make_speaker(True, output=output, cache_dir=tmp_path / "clips", clock=clock)
    try:
        routine = m.Routine.model_validate({"id": "t", "name": "Test",
                                            "exercises": [{"exercise": "wall-sit"}]})
        controller = SessionController(compile_routine(routine, LIBRARY, prepare=10), speaker,
                                       RecordingSoundPlayer(), clock=clock)
        window = PlayerWindow(controller, LIBRARY)
        window.confirm_stop = lambda: True
        qtbot.addWidget(window)
        window.show()
        controller.start()  # "Get ready. First: Wall sit", about two seconds of speech
        qtbot.waitUntil(lambda: output.playing(VOICE), timeout=10_000)
        press(qtbot, window, Qt.Key.Key_Space)
        assert controller.paused
        assert not output.playing(VOICE)  # already silent when the key press returns
        assert output.history[-1].outcome == "stopped"
    finally:
        speaker.close()


def test_right_skips_left_goes_back_plus_minus_change_time(qtbot):
    controller, window, clock, _, _ = make(qtbot, "wall-sit", "plank")
    controller.start()
    press(qtbot, window, Qt.Key.Key_Right)  # skip prepare
    assert controller.engine.current.kind is StepKind.WORK
    press(qtbot, window, Qt.Key.Key_Plus)
    assert controller.view().remaining == 30
    press(qtbot, window, Qt.Key.Key_Minus)
    assert controller.view().remaining == 20
    advance(controller, clock, 5.0)
    press(qtbot, window, Qt.Key.Key_Left)  # 5 s in: restart the hold
    assert controller.view().remaining == 20
    press(qtbot, window, Qt.Key.Key_Left)  # just restarted: back to the prepare step
    assert controller.engine.current.kind is StepKind.PREPARE


def test_enter_counts_self_paced_reps_and_ends_an_open_hold(qtbot):
    controller, window, clock, speaker, _ = make(qtbot, "tilt", "plank", prepare=0)
    controller.start()
    assert window.timer.text() == "0/3"
    for expected in ("1/3", "2/3"):
        press(qtbot, window, Qt.Key.Key_Return)
        assert window.timer.text() == expected
    press(qtbot, window, Qt.Key.Key_Enter)
    assert controller.engine.current.kind is StepKind.REST
    press(qtbot, window, Qt.Key.Key_Right)
    advance(controller, clock, 42.0)
    assert window.timer.text() == "42"  # an open hold counts up
    press(qtbot, window, Qt.Key.Key_Return)
    assert controller.finished
    assert window.summary.results[1].hold_times == (42.0,)
    assert window.on_summary


def test_escape_leaves_full_screen_then_stops_after_asking(qtbot):
    controller, window, clock, _, _ = make(qtbot, "wall-sit")
    asked = []
    window.confirm_stop = lambda: asked.append(True) or False
    controller.start()
    press(qtbot, window, Qt.Key.Key_F)
    assert window.isFullScreen()
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.isFullScreen() and not asked
    press(qtbot, window, Qt.Key.Key_Escape)
    assert asked and not controller.finished and not controller.paused  # said no: goes on
    window.confirm_stop = lambda: True
    advance(controller, clock, 8.0)
    press(qtbot, window, Qt.Key.Key_Escape)
    assert controller.finished
    summary = window.summary
    assert not summary.completed and summary.results[0].status == "partial"
    assert "Session stopped" in window._summary_view.title.text()


def test_closing_the_window_mid_session_keeps_the_partial_summary(qtbot):
    controller, window, clock, _, _ = make(qtbot, "wall-sit")
    controller.start()
    advance(controller, clock, 10.0)
    with qtbot.waitSignal(window.sig_closed) as closed:
        window.close()
    assert closed.args[0] is not None and closed.args[0].results[0].seconds == 7.0


def test_routine_text_is_shown_as_plain_text(qtbot):
    lib = dict(LIBRARY)
    markup = "<b>bold</b> & <a href=x>y</a>"
    lib["wall-sit"] = lib["wall-sit"].model_copy(update={"key_cue": markup})
    routine = m.Routine.model_validate({"id": "t", "name": "T", "exercises": [
        {"exercise": "wall-sit"}]})
    controller = SessionController(compile_routine(routine, lib, prepare=0), RecordingSpeaker(),
                                   RecordingSoundPlayer(), clock=FakeClock())
    window = PlayerWindow(controller, lib)
    window.confirm_stop = lambda: True
    qtbot.addWidget(window)
    controller.start()
    assert window.key_cue.text() == "<b>bold</b> & <a href=x>y</a>"
    assert window.key_cue.textFormat() == Qt.TextFormat.PlainText


# --- End to end: a real bundled routine in the real window -------------------------------


@pytest.fixture
def app(qtbot, tmp_path):
    clock = FakeClock()
    speaker, sounds = RecordingSpeaker(), RecordingSoundPlayer()
    evening = datetime(2026, 11, 23, 19, 0, tzinfo=timezone(timedelta(hours=1)))
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                          checked_on="2026-11-23"))
    application = App(tmp_path, speaker=speaker, sounds=sounds, keep_awake=RecordingKeepAwake(),
                      clock=clock,
                      wall_clock=lambda: evening + timedelta(seconds=clock.now - 1000))
    application.clock_for_tests = clock
    qtbot.addWidget(application.window)
    yield application
    application.close()


def test_sitting_break_runs_to_session_complete(qtbot, app):
    clock = app.clock_for_tests
    player = app.start_routine("sitting-break")
    qtbot.addWidget(player)
    controller = player.controller
    assert controller.engine.state is State.READY  # asks about pain first
    press(qtbot, player, Qt.Key.Key_3)
    advance(controller, clock, 120.0, step=0.05)
    assert controller.finished
    assert app.speaker.texts == [
        "Walking",  # a 5-second get-ready: room for the name alone before "3"
        "3", "2", "1",
        "Walking. " + app.library.exercises["walking"].key_cue.rstrip("."),
        "Halfway", "3", "2", "1",
        "Standing pelvic tilt",  # a 5-second rest has room for the name alone
        "3", "2", "1",
        *[str(n) for n in range(1, 11)],  # every rep counted, from one
        "Session complete",
    ]
    # What had no room to be said is shown.
    shown = [c.shown for c in controller.cues if not c.spoken]
    assert shown == ["Standing pelvic tilt. " +
                     app.library.exercises["standing-pelvic-tilt"].key_cue.rstrip(".")]
    summary = player.summary
    assert summary.completed and [r.status for r in summary.results] == ["done", "done"]
    assert summary.results[1].reps_done == 10
    assert app.sounds.played[-1] == "complete"
    # After: pain 5 (two above before: flagged), effort 4, then Enter saves and closes.
    press(qtbot, player._summary_view.pain_after, Qt.Key.Key_5)
    flag = player._summary_view.flag
    assert flag.isVisibleTo(player) and "easier" in flag.text()
    press(qtbot, player._summary_view.effort, Qt.Key.Key_4)
    # Written behind the window's back; the summary says so once it is in.
    qtbot.waitUntil(lambda: "Saved in your history" in player._summary_view.save_status.text())
    with qtbot.waitSignal(player.sig_closed):
        press(qtbot, player._summary_view.note, Qt.Key.Key_Return)
    app.keeper.flush(10)
    (saved,) = app.store.all_sessions(with_results=True)
    assert (saved.status, saved.pain_before, saved.pain_after, saved.effort) == \
        ("completed", 3, 5, 4)
    assert saved.local_date.isoformat() == "2026-11-23" and len(saved.results) == 2


def test_evening_block_with_the_keyboard_alone(qtbot, app):
    """Follow the evening block to the end, using only keys: pause, resume, skip a rest."""
    clock = app.clock_for_tests
    player = app.start_routine("daily-evening")
    qtbot.addWidget(player)
    controller = player.controller
    press(qtbot, player, Qt.Key.Key_S)  # skip the pain question
    advance(controller, clock, 60.0, step=0.1)
    press(qtbot, player, Qt.Key.Key_Space)
    advance(controller, clock, 20.0)
    press(qtbot, player, Qt.Key.Key_Space)
    while not controller.finished and clock.now < 4000:
        if controller.engine.current.kind is StepKind.REST:
            press(qtbot, player, Qt.Key.Key_Right)
        if controller.engine.current.work is not None and \
                controller.engine.current.is_open:
            press(qtbot, player, Qt.Key.Key_Return)
        advance(controller, clock, 1.0, step=0.1)
    assert controller.finished and controller.engine.state is State.FINISHED
    said = app.speaker.texts
    assert said[-1] == "Session complete"
    for item in app.library.routines["daily-evening"].exercises:
        name = app.library.exercises[item.exercise].name
        assert any(text.startswith(name) for text in said), name
    assert "Switch sides" in said and "Last set" in " ".join(said)
    assert all(r.status == "done" for r in player.summary.results)


def test_controls_that_do_nothing_in_a_step_are_off_and_say_why(qtbot):
    controller, window, clock, *_ = make(qtbot, "paced", "tilt", prepare=0)
    controller.start()
    advance(controller, clock, 0.5)
    assert controller.engine.current.work.value == "guided-reps"
    enter, plus = window.buttons["enter"], window.buttons["plus"]
    assert not enter.isEnabled() and not plus.isEnabled()
    assert "paces" in enter.toolTip() and "paces" in plus.toolTip()
    rep = controller.engine.view(clock.now).rep
    press(qtbot, window, Qt.Key.Key_Return)      # nothing to press: it says so
    assert window.caption.text().startswith("\u2139 The app paces these for you")
    press(qtbot, window, Qt.Key.Key_Plus)
    assert controller.engine.current.work.value == "guided-reps"
    assert controller.engine.view(clock.now).rep == rep
    press(qtbot, window, Qt.Key.Key_Right)       # on to the rest before the next set
    assert controller.engine.current.kind is StepKind.REST
    assert not enter.isEnabled() and plus.isEnabled()    # a rest can be made longer
    press(qtbot, window, Qt.Key.Key_Right)
    assert controller.engine.current.work.value == "reps"
    assert enter.isEnabled() and enter.text().startswith("Rep")
    assert not plus.isEnabled()
