"""Telling the person, once and in plain words, that this computer plays no sound.

The check (``infra.audio_check``) runs on its own thread and may answer after
the player has opened; this object brings the answer to the Qt thread and puts
it wherever it belongs: the player's notice (once per problem, not on every
session) and Settings, beside the voice and sound tests, which ask again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel, QWidget

from ..infra.audio_check import AudioChecker
from .plain import set_plain


class AudioNotice(QObject):
    """Owns the sound check's answer; ``problem`` is "" until a problem is known."""

    sig_result = Signal(str)
    """The check finished (emitted from its thread; handled on the Qt thread)."""

    def __init__(self, check: AudioChecker, *, player: Callable[[], QWidget | None],
                 settings: Callable[[], QWidget | None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.check = check
        self.problem = ""
        self._player = player
        self._settings = settings
        self._told = False
        self.sig_result.connect(self._on_result)
        check.on_done = self.sig_result.emit

    def start(self) -> None:
        """Check (again) whether sound can be played; the answer arrives later."""
        self.check.start()

    def take_for_player(self) -> str | None:
        """The problem for a player that is opening, the first time only."""
        if not self.problem or self._told:
            return None
        self._told = True
        return self.problem

    def attach_settings(self, view) -> None:
        """Show the answer in a Settings view and check again whenever it tests a sound."""
        view.set_audio_problem(self.problem)
        view.sig_audio_test.connect(self.start)

    def _on_result(self, problem: str) -> None:
        if problem != self.problem:
            self._told = False  # a new problem (or one that came back) is told again
        self.problem = problem
        view = self._settings()
        if view is not None:
            view.set_audio_problem(problem)
        player = self._player()
        notice = getattr(player, "notice", None)
        if isinstance(notice, QLabel) and problem and not self._told:
            self._told = True
            set_plain(notice, problem)
            notice.setVisible(True)
