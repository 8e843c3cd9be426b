"""Windows stay fully on a screen that exists, whatever the screens do.

The main window and the player come back where they were last time
(``saveGeometry``/``restoreGeometry``). Between runs the resolution may have
dropped or the second monitor gone; while the app runs, a projector may be
unplugged or the resolution changed. Qt's restore moves a window that would be
lost, but not always wholly inside (a title bar or an edge can still hang
off), and nothing at all happens when the screens change under a window that
is already open. So every watched window is fitted, when it is shown and
after any screen is added, removed or changes size: moved (and shrunk if it
is larger, never below its minimum) into the available area of the screen it
overlaps most, or the primary screen when it overlaps none.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import QEvent, QObject, QRect, QTimer
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def fitted(frame: QRect, available: QRect, least_width: int = 0,
           least_height: int = 0) -> QRect:
    """``frame`` moved, and shrunk when larger (not below the least size), into ``available``."""
    width = max(min(frame.width(), available.width()), least_width)
    height = max(min(frame.height(), available.height()), least_height)
    x = min(max(frame.x(), available.x()), available.x() + available.width() - width)
    y = min(max(frame.y(), available.y()), available.y() + available.height() - height)
    # A window larger than the screen even at its least size keeps its top-left corner
    # (and with it the title bar and the first controls) on the screen.
    return QRect(max(x, available.x()), max(y, available.y()), width, height)


def best_screen(frame: QRect, screens: list[QScreen]) -> QScreen | None:
    """The screen ``frame`` overlaps most; the primary one when it overlaps none."""
    def overlap(screen: QScreen) -> int:
        shared = frame.intersected(screen.availableGeometry())
        return shared.width() * shared.height() if shared.isValid() else 0

    best = max(screens, key=overlap, default=None)
    if best is not None and overlap(best) > 0:
        return best
    return QGuiApplication.primaryScreen()


def fit_on_screen(window: QWidget) -> bool:
    """Move ``window`` wholly onto a current screen; True when it had to move or shrink.

    Full-screen and maximized windows are left to the window system, which
    sizes them to their screen itself.
    """
    if window.isFullScreen() or window.isMaximized() or window.isMinimized():
        return False
    frame, inner = window.frameGeometry(), window.geometry()
    screen = best_screen(frame, QGuiApplication.screens())
    if screen is None:
        return False
    left, top = inner.x() - frame.x(), inner.y() - frame.y()
    extra_w, extra_h = frame.width() - inner.width(), frame.height() - inner.height()
    least = window.minimumSize()
    target = fitted(frame, screen.availableGeometry(), least.width() + extra_w,
                    least.height() + extra_h)
    if target == frame:
        return False
    window.setGeometry(target.x() + left, target.y() + top,
                       target.width() - extra_w, target.height() - extra_h)
    return True


class ScreenWatch(QObject):
    """Fits the watched windows when they are shown and whenever the screens change."""

    SETTLE_MS = 250
    """Screen changes come in bursts (remove, resize, new primary), and the window
    system moves windows itself first: fit once they have settled."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._windows: weakref.WeakSet[QWidget] = weakref.WeakSet()
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(self.SETTLE_MS)
        self._soon.timeout.connect(self.fit_all)
        self.fitted: list[QWidget] = []
        """Windows moved by the last fit, for tests and diagnostics."""
        app = QGuiApplication.instance()
        if app is not None:
            app.screenAdded.connect(self._on_screen_added)
            app.screenRemoved.connect(self._on_screens_changed)
            app.primaryScreenChanged.connect(self._on_screens_changed)
            for screen in QGuiApplication.screens():
                self._follow(screen)

    def watch(self, window: QWidget) -> None:
        """Keep ``window`` on a screen from now on, starting when it is next shown."""
        self._windows.add(window)
        window.installEventFilter(self)
        if window.isVisible():
            fit_on_screen(window)

    def fit_all(self) -> None:
        # A closed window's Python side can outlive the window itself.
        alive = [w for w in list(self._windows) if shiboken6.isValid(w)]
        self._windows = weakref.WeakSet(alive)
        self.fitted = [w for w in alive if w.isVisible() and fit_on_screen(w)]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget):
            # After the show, once the window system has placed it (and framed it).
            window = weakref.ref(watched)
            QTimer.singleShot(0, self, lambda: (w := window()) is not None
                              and shiboken6.isValid(w) and w.isVisible() and fit_on_screen(w))
        return False

    def _follow(self, screen: QScreen) -> None:
        screen.availableGeometryChanged.connect(self._on_screens_changed)
        screen.geometryChanged.connect(self._on_screens_changed)

    def _on_screen_added(self, screen: QScreen) -> None:
        self._follow(screen)
        self._on_screens_changed()

    def _on_screens_changed(self, *_args: object) -> None:
        self._soon.start()
