"""Runs BackRehab as the `backrehab` command does, offscreen, and quits it as a person would.

    python quit_driver.py DATA_DIR menu     File > Quit
    python quit_driver.py DATA_DIR ctrl-q   the Ctrl+Q key

Prints "ready" once the app is built and the quit is sent; exits with the
app's own exit status (7 if the quit did nothing within 10 s).
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication


def main() -> int:
    data, how = sys.argv[1], sys.argv[2]
    qapp = QApplication(sys.argv[:1])
    from backrehab_gui.ui.app import App
    from backrehab_gui.ui.launch import run_gui

    def built() -> App | None:
        return next((o for o in gc.get_objects() if isinstance(o, App)), None)

    def quit_when_ready() -> None:
        app = built()
        # Ready once the start is finished (the menus, with Quit's Ctrl+Q, come after Today).
        if app is None or not app.window.isVisible() or app.tray is None:
            QTimer.singleShot(50, quit_when_ready)
            return
        if how != "menu" and not app.window.isActiveWindow():
            app.window.activateWindow()     # keys go to the active window, as a person's do
            QTimer.singleShot(50, quit_when_ready)
            return
        print("ready", flush=True)
        if how == "menu":
            app.window.quit_action.trigger()
        else:
            target = QApplication.focusWidget() or app.window
            QTest.keyClick(target, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
        QTimer.singleShot(10000, lambda: qapp.exit(7))

    QTimer.singleShot(0, quit_when_ready)
    return run_gui(data)


if __name__ == "__main__":
    sys.exit(main())
