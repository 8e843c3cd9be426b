"""The stage for the layout audit: apps, players and windows built once, in temporary
data folders on made-up clocks, shown in a theme, text size and window size on demand.

``Scenes`` owns them; ``Screen(name, show)`` is one screen in one state, where
``show(scenes)`` puts it into that state (cheaply: it runs once per size, text size and
theme) and returns the window to measure. The screens themselves are listed in
``audit_screens.SCREENS``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import audit_history as data
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget

from backrehab_gui.core.timeline import compile_routine
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui import theme
from backrehab_gui.ui.app import App
from backrehab_gui.ui.player.controller import SessionController
from backrehab_gui.ui.player.window import PlayerWindow

SIZES = ((800, 600), (1366, 768), (1920, 1080))
TEXT_SCALES = (1.0, 1.5, 2.0)
THEMES = ("light", "dark", "high-contrast")


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Scenes:
    """Owns the apps, windows and data folders; builds each part the first time it is
    asked for and keeps it until ``close``."""

    def __init__(self, qapp: QApplication, folder: Path | None = None) -> None:
        self.qapp = qapp
        self._tmp = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="backrehab-audit-")
            folder = Path(self._tmp.name)
        self.folder = folder
        self._built: dict[str, object] = {}
        self.players: list[PlayerWindow] = []
        self.shown: QWidget | None = None
        self.theme = ""
        self.scale = 0.0
        theme.original_font(qapp)  # the 100 % font, before any change

    # --- Building -----------------------------------------------------------------------

    def once(self, key: str, build: Callable[[], object]) -> object:
        if key not in self._built:
            self._built[key] = build()
        return self._built[key]

    def app(self, kind: str) -> App:
        """'first-run' (nothing answered yet) or 'enrolled' (five weeks of history)."""
        def build() -> App:
            home = self.folder / kind
            home.mkdir(parents=True, exist_ok=True)
            if kind == "enrolled":
                data.make_history(home)
                SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-04-12"))
            clock = Clock()
            app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
                      keep_awake=RecordingKeepAwake(), clock=clock,
                      wall_clock=lambda: data.NOW + timedelta(seconds=clock.now - 1000),
                      tray_available=False)
            return app
        return self.once(f"app:{kind}", build)

    def player(self, key: str, routine_id: str = "audit-every-step",
               **options) -> tuple[PlayerWindow, Clock]:
        """A player window of its own for each state, on its own clock; ``options`` go to
        the window (``safety``, ``easier_for``, ``voice_notice``)."""
        def build() -> tuple[PlayerWindow, Clock]:
            library = self.app("enrolled").library
            clock = Clock()
            timeline = compile_routine(library.routines[routine_id], library.exercises)
            controller = SessionController(timeline, RecordingSpeaker(), RecordingSoundPlayer(),
                                           clock=clock)
            window = PlayerWindow(controller, library.exercises, library.images,
                                  text_scale=self.scale or 1.0, **options)
            window.confirm_stop = lambda: True
            self.players.append(window)
            return window, clock
        return self.once(f"player:{key}", build)

    # --- Showing ------------------------------------------------------------------------

    def apply(self, name: str, scale: float) -> None:
        """The theme and text size, as the settings apply them (players included)."""
        if (name, scale) == (self.theme, self.scale):
            return
        self.theme, self.scale = name, scale
        theme.apply(self.qapp, name, scale)
        for player in self.players:
            player.set_text_scale(scale)
        settle()

    def present(self, screen: Screen, size: tuple[int, int]) -> QWidget:
        """``screen`` in its state at ``size``, laid out and on (the offscreen) screen."""
        window = screen.show(self)
        if isinstance(window, PlayerWindow) and window.text_scale != self.scale:
            window.set_text_scale(self.scale)
        if self.shown is not None and self.shown is not window:
            self.shown.hide()
        self.shown = window
        window.resize(*size)
        window.show()
        settle()
        if (window.width(), window.height()) != size:
            # Showing it fitted it onto the offscreen screen (800x800, ui/screen_fit):
            # the size asked for is a screen of that size.
            window.resize(*size)
            settle()
        return window

    def close(self) -> None:
        for player in self.players:
            player.controller._timer.stop()
            player.hide()
            player.deleteLater()
        for key, value in self._built.items():
            if key.startswith("app:"):
                value.close()
                value.window.hide()
                value.window.deleteLater()
            elif isinstance(value, QWidget):
                value.hide()
                value.deleteLater()
        theme.apply(self.qapp, "system", 1.0)
        settle()
        if self._tmp is not None:
            self._tmp.cleanup()


def settle() -> None:
    """Let layouts, fonts and deferred refreshes finish, as the running app would: turns
    of the event loop until one passes without a layout asking to be redone.

    A fixed number of turns measured some screens mid-way: each level of nested layouts
    that grows (a wrapped label, its panel, their column, the splitter, the scroll
    area's page) takes one turn of its own, and a deep page takes more than three."""
    watch = _LayoutWatch()
    app = QApplication.instance()
    app.installEventFilter(watch)
    try:
        for _ in range(40):
            watch.requests = 0
            QApplication.processEvents()
            if not watch.requests:
                break
    finally:
        app.removeEventFilter(watch)


class _LayoutWatch(QObject):
    """Counts the layout requests delivered while installed on the application."""

    requests = 0

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.LayoutRequest:
            self.requests += 1
        return False


@dataclass(frozen=True)
class Screen:
    name: str
    show: Callable[[Scenes], QWidget]
    """Put the screen into its state; returns the window."""
