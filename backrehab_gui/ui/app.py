"""The one place that builds the app's parts and wires them together."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication, QLabel, QListWidget, QMainWindow, QVBoxLayout, QWidget

from ..core.timeline import compile_routine
from ..core.units import format_clock
from ..infra import paths, routines


def run_gui(data: str | None = None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    lib = routines.load_for_app(paths.data_dir(data))
    window = QMainWindow()
    window.setWindowTitle("BackRehab")
    body = QWidget()
    layout = QVBoxLayout(body)
    layout.addWidget(QLabel("Routines"))
    listing = QListWidget()
    for routine in lib.routines.values():
        est = compile_routine(routine, lib.exercises).estimate
        listing.addItem(f"{routine.name}  ({format_clock(est)})")
    layout.addWidget(listing)
    window.setCentralWidget(body)
    window.resize(900, 600)
    window.show()
    return app.exec()
