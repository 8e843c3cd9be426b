"""Every loaded routine with its estimated time; any of them can be started."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core.loading import Library
from ..core.timeline import compile_routine
from ..core.units import format_clock
from ..core.wording import plural
from .plain import plain_label, tooltip_text


class RoutinesView(QWidget):
    """A list of routines; Enter or double-click starts the selected one."""

    sig_start = Signal(str)
    """Start the routine with this id."""
    sig_import = Signal()
    """Import a routine file (the app asks which)."""
    sig_import_folder = Signal()
    """Import a folder of routine files and their pictures (the app asks which)."""
    sig_open_folder = Signal()
    """Open the person's routines folder in the file manager."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = plain_label("Routines", name="heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.listing = QListWidget()
        self.listing.setAccessibleName("Routines")
        self.listing.itemActivated.connect(self._on_activated)
        self.listing.currentItemChanged.connect(self._on_current)
        # A screen reader selects an entry without moving the current one: follow it.
        self.listing.itemSelectionChanged.connect(self._on_selection)
        self.summary = plain_label("", wrap=True, name="routine_summary")
        self.start_button = QPushButton("\u25b6 Start")
        self.start_button.setAccessibleName("Start the selected routine")
        self.start_button.clicked.connect(self._on_start_clicked)
        self.import_button = QPushButton("Import a routine file\u2026")
        self.import_button.setAccessibleName("Import a routine file")
        self.import_button.clicked.connect(self.sig_import.emit)
        self.import_folder_button = QPushButton("Import a folder\u2026")
        self.import_folder_button.setAccessibleName("Import a folder of routine files")
        self.import_folder_button.setToolTip("A folder a therapist sent: every routine file in "
                                             "it, with its pictures")
        self.import_folder_button.clicked.connect(self.sig_import_folder.emit)
        self.folder_button = QPushButton("Open my routines folder")
        self.folder_button.clicked.connect(self.sig_open_folder.emit)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems in routine files")
        self.problems.setVisible(False)
        self.message = plain_label("", wrap=True, name="import_message")
        # Stays while the files stay set aside, whatever the last import or reload said.
        self.set_aside = plain_label("", wrap=True, name="set_aside")
        self.set_aside.setStyleSheet("QLabel#set_aside { background: #fff3e0; color: #4e342e;"
                                     " padding: 8px 12px; border-radius: 6px; }")
        self.set_aside.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.start_button)
        files = QHBoxLayout()
        files.addWidget(self.import_button)
        files.addWidget(self.import_folder_button)
        files.addWidget(self.folder_button)
        files.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.set_aside)
        layout.addWidget(self.listing, 1)
        layout.addLayout(buttons)
        layout.addLayout(files)
        layout.addWidget(self.message)
        layout.addWidget(self.problems)
        self.set_library(library)

    def set_library(self, library: Library) -> None:
        self.library = library
        self.set_aside.setText(set_aside_notice(library))
        self.set_aside.setVisible(bool(library.set_aside))
        selected = self.selected_id() if self.listing.count() else None
        self.listing.clear()
        for routine in library.routines.values():
            estimate = compile_routine(routine, library.exercises).estimate
            item = QListWidgetItem(f"{routine.name}   \u00b7   about {format_clock(estimate)}"
                                   f"   \u00b7   {plural(len(routine.exercises), 'exercise')}")
            item.setData(Qt.ItemDataRole.UserRole, routine.id)
            item.setToolTip(tooltip_text(routine.summary or ""))
            self.listing.addItem(item)
        if self.listing.count():
            self.listing.setCurrentRow(0)
            if selected:
                self.select(selected)

    def show_message(self, text: str, problems: list[str] = ()) -> None:
        """A line about the last import or reload, and any problems, one per line."""
        self.message.setText(text)
        self.problems.setPlainText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def select(self, routine_id: str) -> None:
        for row in range(self.listing.count()):
            if self.listing.item(row).data(Qt.ItemDataRole.UserRole) == routine_id:
                self.listing.setCurrentRow(row)
                return

    def selected_id(self) -> str | None:
        item = self.listing.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        routine = self.library.routines.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        self.summary.setText(routine.summary or "" if routine else "")
        self.start_button.setAccessibleName(f"Start {routine.name}" if routine else
                                            "Start the selected routine")

    def _on_selection(self) -> None:
        selected = self.listing.selectedItems()
        if len(selected) == 1 and selected[0] is not self.listing.currentItem():
            self.listing.setCurrentItem(selected[0])

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.sig_start.emit(item.data(Qt.ItemDataRole.UserRole))

    def _on_start_clicked(self) -> None:
        ident = self.selected_id()
        if ident:
            self.sig_start.emit(ident)


def set_aside_notice(library: Library) -> str:
    """Plain words naming each routine file that was set aside, and why."""
    if not library.set_aside:
        return ""
    lines = [f"BackRehab set aside {plural(len(library.set_aside), 'routine file')} it could not "
             "load; everything else loaded:"]
    lines += [f"\u2022 {p.file}: {p.message}" for p in library.set_aside]
    return "\n".join(lines)
