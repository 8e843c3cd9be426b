"""The settings screen as App opens it, and its values saved and put into effect: the look
(theme and text size), the end of the day, voice, sounds, reminders, starting with the
desktop, and the data folder for the next start.

A mixin for App (``app``), which builds and wires every part used here.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from ..infra import autostart, paths
from ..infra.settings import Settings, day_end_of

if TYPE_CHECKING:
    from .settings_view import SettingsView


class SettingsApply:
    """Open the settings screen and apply what it saves; a mixin for App."""

    def open_settings(self) -> SettingsView:
        from .settings_view import SettingsView

        view = self.settings_window
        if view is None:
            view = SettingsView(self.settings, self.speaker, self.sounds, self.data_dir,
                                folder_note=self._folder_note())
            view.setWindowTitle("BackRehab settings")
            view.resize(900, 680)
            view.sig_saved.connect(self.apply_settings)
            view.sig_preview_theme.connect(self._preview_theme)
            view.sig_autostart.connect(self._on_autostart)
            view.sig_data_folder.connect(self._on_data_folder)
            self.settings_window = view
            self.audio.attach_settings(view)

        view.set_settings(self.settings.changed(start_with_desktop=autostart.enabled()))
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _folder_note(self) -> str:
        if os.environ.get(paths.HOME_ENV):
            return (f"${paths.HOME_ENV} is set, so BackRehab uses {self.data_dir} whatever "
                    "is chosen here.")
        return ""

    @staticmethod
    def _preview_theme(name: str, scale: float) -> None:
        app = QApplication.instance()
        if app is not None:
            from . import theme

            theme.apply(app, name, scale)

    def apply_settings(self, new: Settings) -> None:
        """Save the settings screen's values and put each one into effect."""
        from .settings_view import SettingsView

        old = self.settings
        self.settings = SettingsView.merge(self.settings, new)
        try:
            self.settings_store.save(self.settings)
        except OSError as err:
            if self.settings_window is not None:
                self.settings_window.show_problem(
                    f"Not saved: {err.strerror or err}. The new settings apply until you quit.")
        self._preview_theme(self.settings.theme, self.settings.text_scale)
        if self.settings.day_ends_at != old.day_ends_at and self.store is not None:
            self.store.day_end = day_end_of(self.settings)
            self.refresh()
        if self.settings.voice_enabled != old.voice_enabled:
            if self.player is None:
                # A running session keeps its speaker; the new one starts with the next.
                self.speaker.close()
            from ..infra.speech import make_speaker

            self.speaker = make_speaker(
                self.settings.voice_enabled, voice=self.settings.voice_id or None,
                rate=self.settings.voice_rate, volume=self.settings.voice_volume,
                output=self.audio_output)
            self._voice_notice_shown = False
        else:
            self.speaker.configure(voice=self.settings.voice_id or None,
                                   rate=self.settings.voice_rate,
                                   volume=self.settings.voice_volume)
        if self.settings.sounds_enabled != old.sounds_enabled:
            from ..infra.sound import make_sound_player

            self.sounds = make_sound_player(self.settings.sounds_enabled,
                                            paths.assets() / "sounds",
                                            output=self.audio_output)
        if (self.settings.voice_enabled and not old.voice_enabled) or \
                (self.settings.sounds_enabled and not old.sounds_enabled):
            self.audio.start()
        if self.settings_window is not None:
            self.settings_window.set_speaker(self.speaker)
            self.settings_window.set_sounds(self.sounds)
        self.reminders.set_settings(self.settings)

    def _on_autostart(self, on: bool) -> None:

        try:
            autostart.enable() if on else autostart.disable()
        except autostart.AutostartError as err:
            if self.settings_window is not None:
                self.settings_window.show_problem(err.message)
        self._save_settings(start_with_desktop=autostart.enabled())

    def _on_data_folder(self, folder: Path | None) -> None:
        try:
            paths.choose_data_dir(folder)
        except OSError as err:
            if self.settings_window is not None:
                self.settings_window.show_problem(
                    f"The folder was not changed: {err.strerror or err}")
