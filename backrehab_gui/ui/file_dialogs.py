"""File dialogs that open where that kind of file was last taken from or put.

A person who imports from Downloads, or keeps backups on a stick, should not
walk there from the home folder every time. Each kind of dialog (see
``infra.settings.FOLDER_KINDS``) starts in the folder it last used, kept in
the settings, and falls back to the home folder when that folder is gone.

The app makes one ``FileDialogs`` and installs it (``install``), so that the
editors, which know nothing of the settings, use the same memory through
``current()``. ``ask`` is the dialog itself; tests give their own so that no
dialog opens.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

Ask = Callable[[str, QWidget | None, str, str, str], str]
"""(mode: 'open', 'save' or 'folder'; parent; title; start path; filter) -> chosen or ""."""


def _qt_ask(mode: str, parent: QWidget | None, title: str, start: str, filter_: str) -> str:
    from PySide6.QtWidgets import QFileDialog  # its class and enums: when a dialog opens

    if mode == "open":
        return QFileDialog.getOpenFileName(parent, title, start, filter_)[0]
    if mode == "save":
        return QFileDialog.getSaveFileName(parent, title, start, filter_)[0]
    return QFileDialog.getExistingDirectory(parent, title, start)


class FileDialogs:
    """Open, save and folder dialogs that remember a folder per kind."""

    def __init__(self, folder: Callable[[str], Path | None] = lambda _kind: None,
                 remember: Callable[[str, Path], None] = lambda _kind, _folder: None,
                 ask: Ask | None = None) -> None:
        self.folder = folder
        """kind -> the folder to start in (None: the home folder)."""
        self.remember = remember
        self.ask: Ask = ask or _qt_ask

    def start(self, kind: str) -> Path:
        return self.folder(kind) or Path.home()

    def open_file(self, parent: QWidget | None, kind: str, title: str,
                  filter_: str) -> Path | None:
        chosen = self.ask("open", parent, title, str(self.start(kind)), filter_)
        return self._chosen(kind, chosen, Path(chosen).parent if chosen else None)

    def save_file(self, parent: QWidget | None, kind: str, title: str, name: str,
                  filter_: str) -> Path | None:
        chosen = self.ask("save", parent, title, str(self.start(kind) / name), filter_)
        return self._chosen(kind, chosen, Path(chosen).parent if chosen else None)

    def choose_folder(self, parent: QWidget | None, kind: str, title: str, *,
                      remember_parent: bool = False) -> Path | None:
        """A folder; ``remember_parent`` for a folder taken from somewhere (a sent folder in
        Downloads: next time start in Downloads), else the folder itself (where to put one)."""
        chosen = self.ask("folder", parent, title, str(self.start(kind)), "")
        if not chosen:
            return None
        return self._chosen(kind, chosen, Path(chosen).parent if remember_parent
                            else Path(chosen))

    def _chosen(self, kind: str, chosen: str, folder: Path | None) -> Path | None:
        if not chosen:
            return None
        if folder is not None:
            self.remember(kind, folder)
        return Path(chosen)


_current = FileDialogs()


def install(dialogs: FileDialogs) -> None:
    """Make ``dialogs`` the ones every part of the app uses."""
    global _current
    _current = dialogs


def current() -> FileDialogs:
    return _current
