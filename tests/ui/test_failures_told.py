"""Failures that used to pass in silence or in raw words are told in plain words.

No sound device: the voice and every sound fail in aplay, so the player and
Settings say so once. No file manager: "Open my routines folder" shows the
folder's path to copy. No session bus: the status bar says what it means and
what to do instead of "Failed to connect to bus".
"""

from __future__ import annotations

import os
import threading
from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import Qt, QUrl

from backrehab_gui.infra import paths
from backrehab_gui.infra.audio_check import NO_DEVICE, AudioCheck, FixedAudioCheck
from backrehab_gui.infra.keep_awake import KeepAwake, RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui.app import App

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=timezone(timedelta(hours=1)))


def make_app(qtbot, home, **devices) -> App:
    SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                      checked_on="2026-11-23"))
    devices.setdefault("keep_awake", RecordingKeepAwake())
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              tray_available=False, wall_clock=lambda: EVENING, **devices)
    qtbot.addWidget(app.window)
    return app


def open_player(qtbot, app: App):
    player = app.start_routine("sitting-break")
    qtbot.addWidget(player)
    return player


def close_player(qtbot, app: App, player) -> None:
    player.confirm_stop = lambda: True
    with qtbot.waitSignal(player.sig_closed):
        player.close()


# --- No sound device --------------------------------------------------------------------


def test_no_sound_device_is_told_once_in_the_player(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path, audio=FixedAudioCheck(NO_DEVICE))
    player = open_player(qtbot, app)
    assert player.notice.text() == NO_DEVICE
    assert not player.notice.isHidden()
    assert player.notice.textFormat() == Qt.TextFormat.PlainText
    close_player(qtbot, app, player)
    second = open_player(qtbot, app)
    assert second.notice.isHidden()  # told once, not before every session
    close_player(qtbot, app, second)
    app.close()


def test_an_answer_that_comes_after_the_player_opened_still_reaches_it(qtbot, tmp_path):
    release = threading.Event()

    def slow() -> str:
        release.wait(5)
        return NO_DEVICE

    check = AudioCheck(slow)
    app = make_app(qtbot, tmp_path, audio=check)
    player = open_player(qtbot, app)
    assert not player.notice.text()
    release.set()
    qtbot.waitUntil(lambda: player.notice.text() == NO_DEVICE, timeout=5000)
    assert not player.notice.isHidden()
    close_player(qtbot, app, player)
    app.close()


def test_turning_voice_and_sounds_off_leaves_nothing_to_tell(qtbot, tmp_path):
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                      checked_on="2026-11-23",
                                          voice_enabled=False, sounds_enabled=False))
    check = FixedAudioCheck(NO_DEVICE)
    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), tray_available=False,
              wall_clock=lambda: EVENING, audio=check)
    qtbot.addWidget(app.window)
    assert check.starts == 0
    player = open_player(qtbot, app)
    assert not player.notice.text()
    close_player(qtbot, app, player)
    app.close()


def test_settings_says_so_beside_the_tests_and_testing_checks_again(qtbot, tmp_path):
    check = FixedAudioCheck(NO_DEVICE)
    app = make_app(qtbot, tmp_path, audio=check)
    view = app.open_settings()
    qtbot.addWidget(view)
    assert view.voice_status.text() == NO_DEVICE and not view.voice_status.isHidden()
    assert view.sound_status.text() == NO_DEVICE
    assert view.voice_status.textFormat() == Qt.TextFormat.PlainText
    starts = check.starts
    check.problem = ""  # headphones plugged in
    qtbot.mouseClick(view.test_voice, Qt.MouseButton.LeftButton)
    assert check.starts == starts + 1
    assert app.speaker.texts  # the sample was still said
    assert view.voice_status.text() == "" and view.voice_status.isHidden()
    check.problem = NO_DEVICE
    qtbot.mouseClick(view.test_sound, Qt.MouseButton.LeftButton)
    assert view.sound_status.text() == NO_DEVICE
    view.close()
    app.close()


# --- No file manager ---------------------------------------------------------------------


def test_without_a_file_manager_the_folder_path_is_shown_to_copy(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    asked: list[QUrl] = []
    app.open_url = lambda url: asked.append(url) or False
    app.window.routines.folder_button.click()
    folder = paths.user_routines(tmp_path)
    assert [u.toLocalFile() for u in asked] == [str(folder)] and folder.is_dir()
    message = app.window.routines.message
    assert "No file manager could be opened" in message.text()
    assert str(folder) in message.text().splitlines()
    assert message.textFormat() == Qt.TextFormat.PlainText
    assert message.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    app.close()


def test_when_the_file_manager_opens_nothing_more_is_said(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    app.open_url = lambda url: True
    assert app.open_routines_folder()
    assert app.window.routines.message.text() == ""
    app.close()


# --- No session bus ----------------------------------------------------------------------


@pytest.mark.skipif(os.name != "posix", reason="uses sh")
def test_no_session_bus_is_told_in_plain_words_in_the_status_bar(qtbot, tmp_path):
    no_bus = ["sh", "-c", "echo 'Failed to connect to bus: No such file or directory' >&2; "
              "exit 1"]
    keeper = KeepAwake([no_bus], settle=0.3)
    app = make_app(qtbot, tmp_path, keep_awake=keeper)
    keeper.on_change = app.sig_keep_awake.emit
    player = open_player(qtbot, app)
    bar = app.window.statusBar()
    qtbot.waitUntil(lambda: bar.currentMessage() != "", timeout=5000)
    assert bar.currentMessage() == (
        "Could not keep the screen awake: no desktop session bus is running. Move the mouse "
        "now and then, or change the screen-saver settings.")
    assert "Failed to connect" not in bar.currentMessage()
    close_player(qtbot, app, player)
    app.close()
