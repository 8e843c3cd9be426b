"""The app's main window: a tab for each view."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Signal
from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from ..core.loading import Library
from .routines_view import RoutinesView


class MainWindow(QMainWindow):
    sig_start = Signal(str)
    """Start the routine with this id."""
    sig_geometry = Signal(str)
    """The window's geometry (base64) when it closes, to remember."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("BackRehab")
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.routines = RoutinesView(library)
        self.routines.sig_start.connect(self.sig_start)
        self.tabs.addTab(self.routines, "Routines")
        self.setCentralWidget(self.tabs)
        self.resize(1000, 680)

    def restore(self, encoded: str) -> None:
        if encoded:
            self.restoreGeometry(QByteArray.fromBase64(encoded.encode("ascii")))

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.sig_geometry.emit(bytes(self.saveGeometry().toBase64()).decode("ascii"))
        super().closeEvent(event)
