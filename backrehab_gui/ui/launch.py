"""Opening the app: a window on screen at once, then Today, then everything else.

Only Qt, the settings file and the window frame are needed to show the main
window; the routine files (checked ones from the cache), the history and the
Today view load straight after, in the same event loop, while the window
already says it is opening; Today is painted; then speech, sounds, the tray
and reminders are built (``App.finish_start``).
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

NO_DESKTOP = (
    "BackRehab needs a desktop session to open its window, and {why}.\n"
    "Start it from your desktop, or set DISPLAY to a running X server.\n"
    "The command-line tools work without one: backrehab list, show, plan, validate "
    "and export (backrehab --help)."
)


def missing_desktop(env: dict[str, str] | None = None) -> str | None:
    """Why no window can open here, or None when a desktop (or a headless Qt platform
    such as offscreen) is there.

    Without it Qt's xcb plugin aborts the process with its own advice to reinstall
    the application (exit 134), which sends a person the wrong way.
    """
    env = os.environ if env is None else env
    if not sys.platform.startswith("linux"):
        return None
    platform = env.get("QT_QPA_PLATFORM", "").split(":")[0]
    if platform and platform not in ("xcb", "wayland", "wayland-egl"):
        return None  # offscreen, vnc, eglfs...: Qt draws without a desktop
    if env.get("WAYLAND_DISPLAY"):
        return None
    display = env.get("DISPLAY", "")
    if not display:
        return "no display was found (DISPLAY and WAYLAND_DISPLAY are not set)"
    host, _, number = display.rpartition(":")
    if host in ("", "unix") and number:
        socket = Path("/tmp/.X11-unix") / f"X{number.split('.')[0]}"
        if not socket.exists():
            return f"the display {display} is not running"
    return None


def run_gui(data: str | None = None, *, tray: bool = False) -> int:
    """Open BackRehab; with ``tray``, start quietly in the tray (at desktop log-in)."""
    why = missing_desktop()
    if why is not None:
        print("backrehab: " + NO_DESKTOP.format(why=why), file=sys.stderr)
        return 1
    # Start-up makes hundreds of thousands of objects (modules, classes, the routines)
    # and frees few: the cycle collector would walk them all again and again, for
    # nothing. It comes back once the app has started (in finish).
    gc.disable()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    _lighter_pyside_import_hook()
    from ..infra import paths
    from ..infra.settings import Settings, SettingsStore
    from .main_window import MainWindow
    from .single_instance import SingleInstance

    qapp = QApplication.instance() or QApplication(sys.argv)
    qapp.setApplicationName("BackRehab")
    qapp.setDesktopFileName("backrehab")
    data_dir = paths.data_dir(data)
    instance = SingleInstance(data_dir, listen_later=True)
    if not instance.is_primary():
        # Another copy is running on this data folder: it has been asked to come forward.
        if not instance.notified:
            print(f"backrehab: {instance.problem}", file=sys.stderr)
            return 1
        return 0
    settings = SettingsStore(data_dir).load()
    defaults = Settings()
    if (settings.theme, settings.text_scale) != (defaults.theme, defaults.text_scale):
        from . import theme  # the desktop's own look needs nothing from it

        theme.apply(qapp, settings.theme, settings.text_scale)
    window = MainWindow()
    window.restore(settings.main_geometry)
    if not tray:
        window.show()
    started: list = []

    def build() -> None:
        from .app import App

        try:
            app = App(data_dir, window=window, settings=settings, today_first=True)
        except BaseException:
            gc.enable()
            raise
        started.append(app)
        if window.isVisible():
            # Today on screen now, before the rest is built: its widgets are shown, laid
            # out and painted by events already posted, which would otherwise wait behind
            # the rest (paint requests come last in Qt's queue).
            qapp.sendPostedEvents()
        QTimer.singleShot(0, lambda: finish(app))

    def finish(app) -> None:
        from PySide6.QtGui import QIcon

        # The window's icon (an SVG, and QIcon's 150-odd enums) comes with the rest, once
        # Today is on screen.
        qapp.setWindowIcon(QIcon(str(paths.assets() / "icons" / "backrehab.svg")))
        app.finish_start()
        gc.enable()
        instance.sig_raise_requested.connect(app.raise_window)
        instance.listen()
        # Reminders keep running with the window closed to the tray.
        qapp.setQuitOnLastWindowClosed(not app.tray.available)
        app.start_reminders(catch_up=tray)
        if tray and not app.tray.available:
            window.show()  # no tray to live in: a window, so the app is not invisible
        if window.isVisible():
            app.ask_next_day()  # the first launch of the day: how did the last session sit?

    def on_screen() -> None:
        window.prepare()
        QTimer.singleShot(0, build)

    if tray:
        QTimer.singleShot(0, build)
    else:
        # Load the rest once the window is really on screen, not merely asked for.
        # (sig_exposed fires once: during the first paint, so the "Opening" line is
        # painted just after it; repainting inside a paint is refused by Qt.)
        window.sig_exposed.connect(lambda: QTimer.singleShot(0, on_screen))
    try:
        return qapp.exec()
    finally:
        for app in started:
            app.close()
        instance.close()


_OWN = __name__.split(".")[0] + "."


def _lighter_pyside_import_hook() -> None:
    """Have PySide look at each module imported after it the cheap way.

    PySide (6.x) hooks every import to ask whether the module uses PySide, for its
    optional ``__feature__`` switches (which this app does not use): it reads the
    module's whole source with ``inspect.getsource``, decoded line by line and kept in
    ``linecache``. For the hundred and fifty modules the app imports after Qt that cost
    some 30 ms at every start and 3 MB of source text kept in memory. The same question
    (does the file say "PySide6"?) is answered here from the file's bytes, kept
    nowhere, for the app's own modules from the layer they are in, and for built-in and
    compiled modules (no source, so PySide's check says no) at once. Anything else goes
    to PySide's own check; a PySide without this hook is left alone.
    """
    feature = sys.modules.get("shibokensupport.feature")
    upstream = getattr(feature, "_mod_uses_pyside", None)
    if upstream is None or getattr(upstream, "lighter", False):
        return

    def uses_pyside(module) -> bool:
        name = getattr(module, "__name__", "")
        if isinstance(name, str) and name.startswith(_OWN):
            # The app's own modules, without reading them: only the ui layer may use Qt
            # (import-linter checks it).
            return name.startswith(_OWN + "ui")
        path = getattr(module, "__file__", None)
        if not isinstance(path, str) or path.endswith((".so", ".pyd")):
            return False  # built in or compiled: no source, which PySide's check reads
        if path.endswith(".py"):
            try:
                with open(path, "rb") as source:
                    return b"PySide6" in source.read()
            except OSError:
                pass
        return upstream(module)

    uses_pyside.lighter = True  # type: ignore[attr-defined]
    feature._mod_uses_pyside = uses_pyside
