"""Quit is clean: exit status 0, no traceback, and everything let go of."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.infra.store import FILE_NAME, HistoryStore
from backrehab_gui.ui.app import App
from backrehab_gui.ui.single_instance import LOCK_NAME
from backrehab_gui.ui.tray import TrayIcon

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MONDAY = datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=1)))


@pytest.mark.parametrize("how", ["menu", "ctrl-q"])
def test_quitting_the_running_app_exits_0_and_lets_go_of_everything(tmp_path, how):
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-01"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(REPO))
    env.pop("BACKREHAB_HOME", None)
    done = subprocess.run([sys.executable, str(HERE / "quit_driver.py"), str(tmp_path), how],
                          env=env, capture_output=True, text=True, timeout=120)
    assert "ready" in done.stdout
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / LOCK_NAME).exists()  # the single-instance lock was released
    assert (tmp_path / FILE_NAME).exists()
    # The history was closed: SQLite removes its write-ahead log with the last connection.
    assert not (tmp_path / (FILE_NAME + "-wal")).exists()


def test_quit_during_a_session_stops_it_keeps_it_and_releases_everything(qtbot, tmp_path):
    # The weekly urgent-sign check answered today: the session starts straight away.
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                          checked_on=MONDAY.date().isoformat()))
    now = [0.0]
    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=lambda: now[0],
              wall_clock=lambda: MONDAY + timedelta(seconds=now[0]))
    qtbot.addWidget(app.window)
    player = app.start_routine("breathing-break")
    assert player is not None
    QTest.keyClick(player, Qt.Key.Key_S)
    now[0] += 30
    player.controller.update_now()
    assert app.keep_awake.active
    player.confirm_stop = lambda: True  # "Stop the session?" Yes
    asked: list = []
    app.ask_quit = lambda unsaved: asked.append(unsaved) or "quit"
    assert app.quit()
    assert asked == []  # everything was in the history: nothing to ask
    assert app.player is None and not app.keep_awake.active
    assert app.speaker.closed and app.tray.closed
    assert not app.keeper.writer._thread.is_alive()
    with pytest.raises(Exception, match="closed"):
        app.store.all_sessions()
    app.close()  # the launcher's clean-up after Quit: harmless
    with HistoryStore.open(tmp_path, read_only=True) as store:
        (saved,) = store.all_sessions()
    assert saved.status == "stopped"


def test_closing_the_tray_twice_is_harmless(qtbot):
    tray = TrayIcon(available=False)
    tray.close()
    tray.close()
    tray.hide()
    tray.set_today(None)
    assert tray.closed


def test_quit_with_the_summary_open_keeps_the_answers_given(qtbot, tmp_path):
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                          checked_on=MONDAY.date().isoformat()))
    now = [0.0]
    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=lambda: now[0],
              wall_clock=lambda: MONDAY + timedelta(seconds=now[0]))
    qtbot.addWidget(app.window)
    player = app.start_routine("breathing-break")
    assert player is not None
    QTest.keyClick(player, Qt.Key.Key_S)
    while not player.controller.finished:
        now[0] += 0.5
        if player.controller.engine.current.is_open:
            player.controller.enter()
        player.controller.update_now()
    player._summary_view.pain_after.choose(0)  # "no pain" is an answer too
    assert app.quit()  # Ctrl+Q with the summary still open
    with HistoryStore.open(tmp_path, read_only=True) as store:
        (saved,) = store.all_sessions()
    assert (saved.status, saved.pain_after) == ("completed", 0)
