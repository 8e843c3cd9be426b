"""What the player tells a screen reader: the step, each rep, the last seconds, no more."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from backrehab_gui.core import model as m
from backrehab_gui.core.timeline import compile_routine
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui.player.announce import duration_words
from backrehab_gui.ui.player.controller import SessionController
from backrehab_gui.ui.player.window import PlayerWindow

from .test_player import FakeClock


def exercise(ident: str, dose: dict) -> m.Exercise:
    return m.Exercise.model_validate({
        "id": ident, "name": ident.replace("-", " ").capitalize(), "category": "core",
        "position": "on-back", "steps": ["Lie down"], "key_cue": "Breathe out.",
        "why": "It helps", "dose": dose})


LIBRARY = {
    "wall-sit": exercise("wall-sit", {"hold": 20, "sets": 2, "rest": 10}),
    "tilt": exercise("tilt", {"reps": 3}),
    "bridge": exercise("bridge", {"reps": 3, "tempo": {"up": 1, "down": 1}}),
}


@pytest.fixture
def player(qtbot):
    routine = m.Routine.model_validate({"id": "t", "name": "Test", "exercises": [
        {"exercise": "wall-sit"}, {"exercise": "tilt"}, {"exercise": "bridge"}]})
    clock = FakeClock()
    controller = SessionController(compile_routine(routine, LIBRARY, prepare=5),
                                   RecordingSpeaker(), RecordingSoundPlayer(), clock=clock)
    window = PlayerWindow(controller, LIBRARY, ask_pain=False)
    window.confirm_stop = lambda: True
    qtbot.addWidget(window)
    window.show()
    heard: list[tuple[str, bool]] = []
    window.announcer.say = lambda text, urgent: heard.append((text, urgent))
    return controller, window, clock, heard


def advance(controller, clock, seconds: float) -> None:
    end = clock.now + seconds
    while clock.now < end - 1e-9:
        clock.now = min(clock.now + 0.1, end)
        controller.update_now()


def test_a_timed_step_is_announced_once_then_only_its_last_three_seconds(player):
    controller, window, clock, heard = player
    window.begin()
    assert heard == [("Get ready, 5 seconds. First: Wall sit.", False)]
    assert window.timer.accessibleName() == "5 seconds left"
    advance(controller, clock, 5.05)
    assert heard[1:] == [("3", True), ("2", True), ("1", True),
                         ("Wall sit, hold 20 seconds, set 1 of 2. Breathe out.", False)]
    heard.clear()
    advance(controller, clock, 19.9)  # twenty seconds on the screen, three of them said
    assert heard == [("3", True), ("2", True), ("1", True)]
    assert window.timer.accessibleName() == "1 second left"
    assert window.badge.accessibleName() == "Work"
    advance(controller, clock, 0.2)
    assert heard[-1] == ("Rest, 10 seconds. Then set 2 of 2.", False)
    assert window.badge.accessibleName() == "Rest"


def test_pause_and_going_on_are_announced_and_the_button_says_what_it_does(player, qtbot):
    controller, window, clock, heard = player
    window.begin()
    advance(controller, clock, 1)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert heard[-1] == ("Paused. Press Space to go on.", True)
    assert window.buttons["pause"].accessibleName() == "Resume"
    assert window.timer.accessibleName() == "Paused, 4 seconds"
    advance(controller, clock, 30)  # nothing is said while paused
    assert heard[-1] == ("Paused. Press Space to go on.", True)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert heard[-1] == ("Going on in 3 seconds", False)
    assert window.buttons["pause"].accessibleName() == "Pause"


def test_reps_are_announced_as_they_are_counted(player):
    controller, window, clock, heard = player
    window.begin()
    for _ in range(5):  # get ready, the wall sit's two sets and two rests
        controller.skip()
    assert heard[-1] == ("Tilt, 3 reps, press Enter after each. Breathe out.", False)
    assert window.timer.accessibleName() == "0 of 3 reps done"
    controller.enter()
    assert heard[-1] == ("1 of 3 reps done", False)
    advance(controller, clock, 2)  # waiting for a self-paced rep says nothing
    assert heard[-1] == ("1 of 3 reps done", False)
    controller.enter()
    controller.enter()
    # The last rep ends the step: what comes next is said instead.
    assert heard[-2][0] == "2 of 3 reps done"
    assert heard[-1][0].startswith("Rest, ")
    controller.skip()
    assert heard[-1] == ("Bridge, 3 reps. Breathe out.", False)
    heard.clear()
    advance(controller, clock, 6.5)
    assert ("Rep 2 of 3", False) in heard and ("Rep 3 of 3", False) in heard
    assert all(not text.isdigit() for text, _ in heard)  # reps, not seconds


def test_the_end_is_announced(player):
    controller, window, clock, heard = player
    window.begin()
    controller.stop()
    assert heard[-1] == ("Session stopped: 0 of 3 exercises done.", True)


def test_durations_are_said_in_words():
    assert duration_words(0) == "0 seconds"
    assert duration_words(1) == "1 second"
    assert duration_words(60) == "1 minute"
    assert duration_words(75) == "1 minute 15 seconds"
    assert duration_words(3600) == "60 minutes"
