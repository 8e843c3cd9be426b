"""The one place that builds the app's parts and wires them together."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QMessageBox

from ..core.engine import EngineSettings
from ..core.loading import Library
from ..core.timeline import compile_routine
from ..infra import paths, routines
from ..infra.settings import Settings, SettingsStore
from ..infra.sound import SoundPlayer, make_sound_player
from ..infra.speech import Speaker, make_speaker
from .main_window import MainWindow
from .player.controller import SessionController
from .player.window import PlayerWindow


class App(QObject):
    """Holds the long-lived parts: settings, library, speech, sounds, windows."""

    def __init__(self, data_dir: Path, *, speaker: Speaker | None = None,
                 sounds: SoundPlayer | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.clock = clock
        self.store = SettingsStore(data_dir)
        self.settings: Settings = self.store.load()
        self.library: Library = routines.load_for_app(data_dir)
        self.speaker = speaker or make_speaker(
            self.settings.voice_enabled, voice=self.settings.voice_id or None,
            rate=self.settings.voice_rate, volume=self.settings.voice_volume)
        self.sounds = sounds or make_sound_player(self.settings.sounds_enabled,
                                                  paths.assets() / "sounds")
        self._voice_notice_shown = False
        self.player: PlayerWindow | None = None
        self.window = MainWindow(self.library)
        self.window.restore(self.settings.main_geometry)
        self.window.sig_start.connect(self.start_routine)
        self.window.sig_geometry.connect(lambda g: self._save(main_geometry=g))

    def show(self) -> None:
        self.window.show()
        if self.library.problems:
            QMessageBox.warning(
                self.window, "Some routine files have problems",
                f"{len(self.library.problems)} problem(s) were found; those entries are left "
                "out and everything else loaded:\n\n"
                + "\n".join(str(p) for p in self.library.problems[:8]))

    def start_routine(self, routine_id: str) -> PlayerWindow | None:
        if self.player is not None:
            self.player.raise_()
            self.player.activateWindow()
            return self.player
        routine = self.library.routines[routine_id]
        timeline = compile_routine(routine, self.library.exercises,
                                   prepare=float(self.settings.prepare_seconds))
        engine_settings = EngineSettings(resume_prepare=float(self.settings.resume_seconds),
                                         countdown=self.settings.countdown_seconds)
        controller = SessionController(timeline, self.speaker, self.sounds, engine_settings,
                                       clock=self.clock)
        notice = None
        if not self.speaker.available and self.settings.voice_enabled \
                and not self._voice_notice_shown:
            notice = (f"{self.speaker.reason} The session still runs with sounds, "
                      "captions and flashes.")
            self._voice_notice_shown = True
        player = PlayerWindow(controller, self.library.exercises, self.library.images, notice)
        player.restore_geometry(self.settings.player_geometry)
        player.sig_window_state.connect(self._on_player_state)
        player.sig_closed.connect(self._on_player_closed)
        self.player = player
        if self.settings.player_fullscreen:
            player.showFullScreen()
        else:
            player.show()
        controller.start()
        return player

    def _on_player_state(self, fullscreen: bool, geometry: str) -> None:
        values: dict[str, object] = {"player_fullscreen": fullscreen}
        if geometry:
            values["player_geometry"] = geometry
        self._save(**values)

    def _on_player_closed(self, _summary) -> None:
        self.player = None

    def _save(self, **values: object) -> None:
        self.settings = self.settings.changed(**values)
        try:
            self.store.save(self.settings)
        except OSError as err:
            # Losing a window size is not worth interrupting anyone for.
            print(f"backrehab: settings not saved: {err}", file=sys.stderr)

    def close(self) -> None:
        self.speaker.close()


def run_gui(data: str | None = None) -> int:
    qapp = QApplication.instance() or QApplication(sys.argv)
    qapp.setApplicationName("BackRehab")
    qapp.setDesktopFileName("backrehab")
    app = App(paths.data_dir(data))
    app.show()
    try:
        return qapp.exec()
    finally:
        app.close()
