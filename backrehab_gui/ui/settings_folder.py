"""The settings screen's data folder: choosing another one, checking it can be written
in, and saying what the next start will find there. A mixin for SettingsView, which keeps
the choice until Save; the folder is used from the next start and nothing is moved.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QFileDialog

from ..infra.store import FILE_NAME as HISTORY_FILE
from .settings_boxes import show_row


class SettingsFolder:
    """The data folder row's showing and handlers; a mixin for SettingsView."""

    def _show_folder(self) -> None:
        self.folder.setText(str(self.data_dir))
        self.folder.setCursorPosition(0)
        if self._folder_chosen:
            self.folder_status.setText(
                f"Used from the next start, once you press Save: "
                f"{self._folder_summary(self._folder_choice)}")
        else:
            self.folder_status.setText(self._next_folder_note)
        show_row(self.folder_status, bool(self.folder_status.text()))

    def _folder_summary(self, folder: Path | None) -> str:
        shown = folder if folder is not None else self.default_dir
        text = f"the default folder, {shown}." if folder is None else f"{shown}."
        if (shown / HISTORY_FILE).is_file():
            return text + " It already holds a BackRehab history, which will be used."
        return text + (" It has no BackRehab history yet, so BackRehab will start afresh "
                       "there unless you copy your files into it.")

    def _on_change_folder(self) -> None:
        start = self._folder_choice if self._folder_chosen and self._folder_choice \
            else self.data_dir
        folder = self.choose_folder(start)
        if folder is None:
            return
        folder = Path(folder)
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            self.folder_status.setText(
                f"BackRehab cannot write in {folder}; the data folder is unchanged. "
                "Choose a folder you can save files in.")
            show_row(self.folder_status, True)
            return
        self._choose(folder)

    def _on_default_folder(self) -> None:
        self._choose(None)

    def _choose(self, folder: Path | None) -> None:
        target = folder if folder is not None else self.default_dir
        if target == self.data_dir and not self._next_folder_note and not self._folder_chosen:
            self.folder_status.setText("That is the folder in use already.")
            show_row(self.folder_status, True)
            return
        self._folder_choice, self._folder_chosen = folder, True
        self._show_folder()
        self._on_edited()

    # --- The real dialog (replaced in tests) -------------------------------------------------

    def _ask_folder(self, start: Path) -> Path | None:
        text = QFileDialog.getExistingDirectory(
            self, "Choose a folder for your BackRehab history", str(start))
        return Path(text) if text else None
