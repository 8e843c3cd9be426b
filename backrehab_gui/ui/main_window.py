"""The app's main window: Today, History, Routines and Exercises, exports in a menu.

It is built in steps so that a window is on screen at once: the bare frame
first; then an "Opening" line (``prepare``), painted at once; then Today
(``install``), once the routine files and the history are loaded; then the
menus (``add_menus``); the other tabs' views when first opened. Menus and
text cost tens of milliseconds of font and action set-up, which is why they
come after the frame and Today.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

# Not `Qt`: its first import costs ~15 ms, paid after the window is on screen.
from PySide6.QtCore import QByteArray, QEvent, QSize, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QMainWindow, QTabWidget, QWidget

if TYPE_CHECKING:
    from ..core.loading import Library
    from ..core.schedule import ProgramCalendar
    from .routines_view import RoutinesView


class MainWindow(QMainWindow):
    sig_start = Signal(str)
    """Start the routine with this id (from the routine list)."""
    sig_geometry = Signal(str)
    """The window's geometry (base64) when it closes, to remember."""
    sig_export = Signal(str)
    """Export the history: 'csv', 'ics' or 'pdf'."""
    sig_settings = Signal()
    """Open the settings screen."""
    sig_record = Signal(str)
    """'away' (log a session done without the player), 'measures' (PEG, PSFS), 'backup'
    or 'restore'."""
    sig_quit = Signal()
    """Quit the app (not just close the window)."""
    sig_exposed = Signal()
    """The window is on screen (its first paint is done)."""
    sig_today_painted = Signal()
    """Today was first painted with the day's plan: the app can be used (start-up ends)."""
    sig_safety_check = Signal()
    """Show the welcome, red-flag screen and checklist again."""
    sig_import = Signal()
    """Import a routine file (from the Routines tab)."""
    sig_import_folder = Signal()
    """Import a folder of routine files (from the Routines tab)."""
    sig_open_folder = Signal()
    """Open the person's routines folder (from the Routines tab)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("BackRehab")
        self.tabs: QTabWidget | None = None
        self.history: QWidget | None = None
        self.opening: QLabel | None = None
        self.hide_on_close: Callable[[], bool] = lambda: False
        self.may_close: Callable[[], bool] = lambda: True
        """Asked before the window closes for good (the app then ends); False keeps it."""
        self._painted = False
        self._prepared = False
        self._menus = False
        # As large as suits the views, but never larger than the screen it opens on.
        screen = QGuiApplication.primaryScreen()
        room = screen.availableGeometry().size() if screen is not None else QSize(1000, 680)
        self.resize(min(1000, room.width()), min(680, room.height()))

    def prepare(self) -> None:
        """An "Opening" line, shown at once (repainted now)."""
        if self._prepared:
            return
        self._prepared = True
        if self.tabs is None:
            self.opening = QLabel("   Opening BackRehab\u2026")
            self.setCentralWidget(self.opening)
        if self.isVisible():
            self.repaint()

    def add_menus(self) -> None:
        """The menus and the status bar: some 25 ms of actions, shortcuts and fonts, so
        they come once Today is on screen."""
        if not self._menus:
            self._menus = True
            self._build_menu()
            self.statusBar()

    def install(self, library: Library) -> None:
        """Add the views, now that the routine files are loaded: Today now, the others
        when first opened."""
        from .today_view import TodayView

        self.prepare()
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.today = TodayView()
        self._routines: RoutinesView | None = None
        self._library_data = library
        self._sensitive: frozenset = frozenset()
        self.library: QWidget | None = None
        self._lazy: dict[QWidget, Callable[[], QWidget]] = {}
        self.tabs.addTab(self.today, "&Today")
        self.today.heading.installEventFilter(self)  # until it is painted with the plan
        self._routines_tab = self.add_lazy_tab("&Routines", self._make_routines_view)
        self.add_lazy_tab("&Exercises", self._make_library_view)
        self.tabs.currentChanged.connect(self._on_tab)
        self.setCentralWidget(self.tabs)
        self.opening = None

    def add_lazy_tab(self, title: str, make: Callable[[], QWidget], index: int = -1) -> QWidget:
        """A tab whose view is built the first time it is opened: the app opens
        sooner, and a view nobody looks at costs nothing. Returns its placeholder."""
        placeholder = QWidget()
        self._lazy[placeholder] = make
        self.tabs.insertTab(index, placeholder, title)
        return placeholder

    def view_of(self, index: int) -> QWidget:
        """The view in a tab, building it now if it was waiting."""
        widget = self.tabs.widget(index)
        make = self._lazy.pop(widget, None)
        if make is None:
            return widget
        view = make()
        title = self.tabs.tabText(index)
        current = self.tabs.currentIndex() == index
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, title)
        if current:
            self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        widget.deleteLater()
        return view

    def _on_tab(self, index: int) -> None:
        # Focus follows the tab, so each view's keys (Ctrl+F in Exercises) work at once.
        self.view_of(index).setFocus()

    @property
    def routines(self) -> RoutinesView:
        """The Routines tab's view, built now if it was waiting."""
        if self._routines is None:
            self.view_of(self.tabs.indexOf(self._routines_tab))
        assert self._routines is not None
        return self._routines

    @property
    def routines_built(self) -> RoutinesView | None:
        """The Routines view if its tab was opened (or asked for) already, else None."""
        return self._routines

    def _make_routines_view(self) -> QWidget:
        from .routines_view import RoutinesView

        view = RoutinesView(self._library_data)
        view.sig_start.connect(self.sig_start)
        view.sig_import.connect(self.sig_import)
        view.sig_import_folder.connect(self.sig_import_folder)
        view.sig_open_folder.connect(self.sig_open_folder)
        self._routines = view
        return view

    def _make_library_view(self) -> QWidget:
        from .library_view import LibraryView

        self.library = LibraryView(self._library_data)
        self.library.set_sensitive(self._sensitive)
        return self.library

    def set_sensitive(self, sensitive: frozenset) -> None:
        """The spine movements that hurt the person, for the exercise library's notes."""
        if frozenset(sensitive) == self._sensitive:
            return
        self._sensitive = frozenset(sensitive)
        if hasattr(self.library, "set_sensitive"):
            self.library.set_sensitive(self._sensitive)

    def _build_menu(self) -> None:
        from PySide6.QtGui import QAction, QKeySequence  # their enums: after Today

        menu = self.menuBar().addMenu("&File")
        for kind, text in (("csv", "Export history as &CSV\u2026"),
                           ("ics", "Export to a &calendar (ICS)\u2026"),
                           ("pdf", "&Report for your therapist (PDF)\u2026")):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, k=kind: self.sig_export.emit(k))
            menu.addAction(action)
        menu.addSeparator()
        # The same as the Routines tab's buttons (what is asked is asked there): where a
        # person who was sent a routine looks first.
        for signal, text in ((self.sig_import, "&Import a routine file\u2026"),
                             (self.sig_import_folder, "Import a routine fol&der\u2026")):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, s=signal: s.emit())
            menu.addAction(action)
        menu.addSeparator()
        for kind, text in (("away", "I did a session &away from the laptop\u2026"),
                           ("measures", "How has my back been? (PEG, PS&FS)\u2026"),
                           ("backup", "&Back up everything to a file\u2026"),
                           ("restore", "Restore from a bac&kup\u2026")):
            action = QAction(text, self)
            action.triggered.connect(lambda _=False, k=kind: self.sig_record.emit(k))
            menu.addAction(action)
        menu.addSeparator()
        settings = QAction("&Settings\u2026", self)
        settings.setShortcut(QKeySequence("Ctrl+,"))
        settings.triggered.connect(self.sig_settings.emit)
        menu.addAction(settings)
        menu.addSeparator()
        quit_action = QAction("&Quit", self)
        # The platform's own key where it has one; Ctrl+Q everywhere (Windows and some
        # Linux desktops define none).
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
        ctrl_q = QKeySequence("Ctrl+Q")
        quit_action.setShortcuts(keys + [ctrl_q] if ctrl_q not in keys else keys)
        self.quit_action = quit_action
        quit_action.triggered.connect(self.sig_quit.emit)
        menu.addAction(quit_action)
        # Also on the window itself: a menu bar made after the window is on screen (see
        # add_menus) may not be shown yet, and a hidden menu's keys do nothing.
        self.addAction(quit_action)
        # Alt+H belongs to the History tab (Alt+T, Alt+H, Alt+R, Alt+E for the tabs);
        # Help takes Alt+L.
        help_menu = self.menuBar().addMenu("He&lp")
        check = QAction("&Welcome and safety check…", self)
        check.triggered.connect(self.sig_safety_check.emit)
        help_menu.addAction(check)

    def set_library(self, library: Library) -> None:
        self._library_data = library
        for view in (self.history, self._routines, self.library):
            if view is not None and hasattr(view, "set_library"):
                view.set_library(library)

    def add_history(self, make: Callable[[], QWidget]) -> None:
        """The History tab; ``make`` builds its view when it is first opened."""
        def build() -> QWidget:
            self.history = make()
            return self.history

        self.add_lazy_tab("&History", build, 1)

    def set_calendar(self, calendar: ProgramCalendar | None) -> None:
        if self.history is not None and hasattr(self.history, "set_calendar"):
            self.history.set_calendar(calendar)

    def show_today(self) -> None:
        self.tabs.setCurrentWidget(self.today)

    def show_routines(self) -> None:
        self.tabs.setCurrentWidget(self.routines)
        self.routines.listing.setFocus()

    def restore(self, encoded: str) -> None:
        if encoded:
            self.restoreGeometry(QByteArray.fromBase64(encoded.encode("ascii")))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        if watched is self.today.heading and event.type() == QEvent.Type.Paint and \
                self.today.heading.text():
            self.today.heading.removeEventFilter(self)
            self.sig_today_painted.emit()  # as it is painted
        return super().eventFilter(watched, event)

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            self.sig_exposed.emit()

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        self.sig_geometry.emit(bytes(self.saveGeometry().toBase64()).decode("ascii"))
        if self.hide_on_close():
            # Reminders go on from the tray; Quit in the tray or File menu ends the app.
            event.ignore()
            self.hide()
            return
        if not self.may_close():
            event.ignore()
            return
        super().closeEvent(event)
