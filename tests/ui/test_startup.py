"""Start-up order: Today first, then the rest; the app as a person starts it.

How fast is measured in benchmarks/startup.py; these check the order that makes
it fast and that nothing is missing once the start is over.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from backrehab_gui.core.engine import Summary
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra.journal import JOURNAL_NAME, SessionJournal
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.recorder import SessionDraft
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui.app import App

REPO = Path(__file__).resolve().parents[2]


def enrolled(home: Path, today: date) -> None:
    SettingsStore(home).save(Settings(welcome_done=True, screened_on=today.isoformat(),
                                      voice_enabled=False, sounds_enabled=False))
    store = HistoryStore.open(home)
    store.save_enrolment(Enrolment("lower-back-8-weeks", today - timedelta(weeks=3)))
    store.close()


def test_today_is_built_first_and_the_rest_once_it_is_shown(qtbot, tmp_path):
    wall = datetime(2026, 11, 23, 18, 30).astimezone()
    enrolled(tmp_path, wall.date())
    speaker = RecordingSpeaker()
    app = App(tmp_path, speaker=speaker, sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), wall_clock=lambda: wall, tray_available=False,
              today_first=True)
    qtbot.addWidget(app.window)
    assert app.today_view.heading.text().startswith("Week 4 of 8")
    assert app.today_view.rows
    assert app.tray is None and not hasattr(app, "speaker")
    assert app.window.menuBar().actions() == []
    app.finish_start()
    assert app.speaker is speaker
    assert [a.text() for a in app.window.menuBar().actions()] == ["&File", "He&lp"]
    assert app.reminders is not None and app.tray is not None
    app.close()


def test_the_window_says_when_today_is_first_painted(qtbot, tmp_path):
    wall = datetime(2026, 11, 23, 18, 30).astimezone()
    enrolled(tmp_path, wall.date())
    from backrehab_gui.ui.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    painted: list[str] = []
    window.sig_today_painted.connect(lambda: painted.append(window.today.heading.text()))
    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), wall_clock=lambda: wall, tray_available=False,
              window=window, today_first=True)
    qtbot.waitUntil(lambda: bool(painted), timeout=5000)
    window.repaint()
    qtbot.wait(50)
    assert painted == [app.today_view.heading.text()]  # once, with the plan
    app.finish_start()
    app.close()


CHILD = r"""
import json, os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

qapp = QApplication(sys.argv)
seen = {}


def modules():
    return {name: name in sys.modules for name in (
        "yaml", "pydantic", "backrehab_gui.infra.speech", "backrehab_gui.ui.tray",
        "backrehab_gui.ui.player.window", "backrehab_gui.ui.routines_view")}


class Probe(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Expose and obj.isWindowType():
            for widget in qapp.topLevelWidgets():
                if isinstance(widget, QMainWindow) and widget.windowHandle() is obj:
                    qapp.removeEventFilter(self)
                    widget.sig_today_painted.connect(lambda w=widget: self.painted(w))
        return False

    def painted(self, window):
        seen["heading"] = window.today.heading.text()
        seen["at_paint"] = modules()
        QTimer.singleShot(300, lambda: self.done(window))

    def done(self, window):
        seen["later"] = modules()
        seen["menus"] = [a.text() for a in window.menuBar().actions()]
        print(json.dumps(seen), flush=True)
        os._exit(0)


probe = Probe()
qapp.installEventFilter(probe)
QTimer.singleShot(30000, lambda: os._exit(3))
from backrehab_gui.cli import main

sys.exit(main([]))
"""


@pytest.mark.parametrize("cache", ["empty", "filled"])
def test_backrehab_paints_today_before_speech_the_tray_or_other_tabs(tmp_path, cache):
    home = tmp_path / "data"
    home.mkdir()
    enrolled(home, date.today())
    env = dict(os.environ, BACKREHAB_HOME=str(home), XDG_CACHE_HOME=str(tmp_path / "cache"),
               QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path))
    runs = 2 if cache == "filled" else 1  # the first start fills the cache
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True,
                              text=True, timeout=60, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.splitlines()[-1])
    assert seen["heading"].startswith("Week 4 of 8")
    at_paint = seen["at_paint"]
    assert not at_paint["backrehab_gui.infra.speech"] and not at_paint["backrehab_gui.ui.tray"]
    assert not at_paint["backrehab_gui.ui.player.window"]
    assert not at_paint["backrehab_gui.ui.routines_view"]
    # Checked files come from the cache, without reading YAML or checking anything.
    assert at_paint["yaml"] is (cache == "empty")
    assert at_paint["pydantic"] is (cache == "empty")
    assert seen["later"]["backrehab_gui.infra.speech"] and seen["later"]["backrehab_gui.ui.tray"]
    assert seen["menus"] == ["&File", "He&lp"]


def today_shown(app: App) -> list[str]:
    """Everything Today says, in order: its labels and buttons."""
    from PySide6.QtWidgets import QAbstractButton, QLabel

    view = app.today_view
    texts = [w.text() for w in view.findChildren(QLabel) + view.findChildren(QAbstractButton)]
    return [*texts, *(f"{day}: {summary}" for day, summary in view.week.days)]


def test_today_is_the_same_from_the_cache_as_from_checking_every_file(qtbot, tmp_path,
                                                                      monkeypatch):
    wall = datetime(2026, 11, 23, 18, 30).astimezone()
    enrolled(tmp_path, wall.date())
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shown = []
    for _ in range(2):  # the first start checks every file and fills the cache
        app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
                  keep_awake=RecordingKeepAwake(), wall_clock=lambda: wall,
                  tray_available=False, today_first=True)
        qtbot.addWidget(app.window)
        shown.append(today_shown(app))
        app.finish_start()
        app.close()
    assert list((tmp_path / "cache").rglob("*.pickle"))
    assert shown[0] == shown[1]
    assert any(text.startswith("Week 4 of 8") for text in shown[1])


def test_a_session_kept_in_the_journal_is_on_today_once_the_start_is_over(qtbot, tmp_path):
    wall = datetime(2026, 11, 23, 18, 30).astimezone()
    enrolled(tmp_path, wall.date())
    # A morning block an earlier run finished but could not write to the history.
    began = wall.replace(hour=8)
    SessionJournal(tmp_path).append(SessionDraft(
        routine_id="daily-morning", routine_name="Morning mobility", fingerprint="0" * 16,
        kind="daily", block="morning", program_week=4, phase_id=None, started_at=began,
        summary=Summary("daily-morning", "Morning mobility", (), True, 300.0, 1.0),
        ended_at=began + timedelta(minutes=5), revision=2))
    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), wall_clock=lambda: wall, tray_available=False,
              today_first=True)
    qtbot.addWidget(app.window)
    # Today comes first; the journal (nearly always empty) is read back right after.
    before = app.today_view.stats.text()
    assert (tmp_path / JOURNAL_NAME).exists()
    app.finish_start()
    qtbot.waitUntil(lambda: not (tmp_path / JOURNAL_NAME).exists(), timeout=10000)
    app.keeper.flush(10)
    qtbot.waitUntil(lambda: app.today_view.stats.text() != before, timeout=10000)
    assert [r.routine_id for r in app.store.sessions_between(wall.date(), wall.date())] == \
        ["daily-morning"]
    app.close()
