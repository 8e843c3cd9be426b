"""Every loaded routine with its estimated time; any of them can be started.

The selected routine's exercises, each with its dose, and the time it takes
are shown beside the list before Start, as the session will do them (the app
passes a preview that knows the program week and any swapped exercises).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core.loading import Library
from ..core.timeline import compile_routine
from ..core.today import SessionPreview, session_preview
from ..core.units import format_about
from ..core.wording import plural
from .flow_layout import FlowLayout
from .folding import page_scroll
from .plain import plain_label, tooltip_text
from .replace_question import ReplaceQuestion
from .widgets import WrapList


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
    sig_new = Signal()
    """Open the editor on a new routine."""
    sig_edit = Signal(str, bool)
    """Open the editor on this routine; True: on a copy of it."""
    sig_handout = Signal(str)
    """Print a handout of this routine."""
    sig_send = Signal(str)
    """Send this routine to the patient."""
    sig_program = Signal()
    """Open the program editor."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = plain_label("Routines", name="heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.heading.setFont(font)
        self.listing = WrapList()  # long names wrap rather than scroll sideways
        self.listing.setAccessibleName("Routines")
        self.listing.itemActivated.connect(self._on_activated)
        self.listing.currentItemChanged.connect(self._on_current)
        # A screen reader selects an entry without moving the current one: follow it.
        self.listing.itemSelectionChanged.connect(self._on_selection)
        self.summary = plain_label("", wrap=True, name="routine_summary")
        self.details = plain_label("", wrap=True, name="routine_details")
        self.details.setAccessibleName("exercises in the selected routine")
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        details_area = QScrollArea()
        details_area.setWidgetResizable(True)
        details_area.setFrameShape(QFrame.Shape.NoFrame)
        details_area.setWidget(self.details)
        self._preview: Callable[[str], SessionPreview] = self._file_preview
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
        bench = FlowLayout()  # the physiotherapist's bench: edit, print, send
        for text, action in (("New\u2026", self.sig_new.emit),
                             ("Edit a copy\u2026", lambda: self._emit(self.sig_edit, True)),
                             ("Edit\u2026", lambda: self._emit(self.sig_edit, False)),
                             ("Handout\u2026", lambda: self._emit(self.sig_handout)),
                             ("Send to patient\u2026", lambda: self._emit(self.sig_send)),
                             ("Program\u2026", self.sig_program.emit)):
            button = QPushButton(text)
            button.setObjectName(text.rstrip("\u2026").lower().replace(" ", "_"))
            button.clicked.connect(action)
            bench.addWidget(button)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("Problems in routine files")
        self.problems.setVisible(False)
        self.message = plain_label("", wrap=True, name="import_message")
        # Selectable: it may hold a folder's path to copy, or a file name to look for.
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        # Stays while the files stay set aside, whatever the last import or reload said.
        self.set_aside = plain_label("", wrap=True, name="set_aside")
        self.set_aside.setStyleSheet("QLabel#set_aside { background: #fff3e0; color: #4e342e;"
                                     " padding: 8px 12px; border-radius: 6px; }")
        self.set_aside.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.start_button)
        files = FlowLayout()
        files.addWidget(self.import_button)
        files.addWidget(self.import_folder_button)
        files.addWidget(self.folder_button)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addWidget(self.set_aside)
        chooser = QHBoxLayout()
        chooser.addWidget(self.listing, 3)
        chooser.addWidget(details_area, 2)
        layout.addLayout(chooser, 1)
        layout.addLayout(buttons)
        layout.addLayout(bench)
        layout.addLayout(files)
        layout.addWidget(self.message)
        layout.addWidget(self.problems)
        self.question = ReplaceQuestion()  # asked when an import brings a new version
        layout.addWidget(self.question)
        # The list shrinks to a few rows and the page scrolls when the window is small or
        # the text large, rather than laying the buttons over each other.
        self._keep_rows()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page_scroll(page))
        self.set_library(library)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._keep_rows()

    def _keep_rows(self) -> None:
        self.listing.setMinimumHeight(self.fontMetrics().height() * 6)

    def set_library(self, library: Library) -> None:
        self.library = library
        self.set_aside.setText(set_aside_notice(library))
        self.set_aside.setVisible(bool(library.set_aside))
        selected = self.selected_id() if self.listing.count() else None
        self.listing.clear()
        for routine in library.routines.values():
            estimate = compile_routine(routine, library.exercises).estimate
            item = QListWidgetItem(f"{routine.name}   \u00b7   {format_about(estimate)}"
                                   f"   \u00b7   {plural(len(routine.exercises), 'exercise')}")
            item.setData(Qt.ItemDataRole.UserRole, routine.id)
            item.setToolTip(tooltip_text(routine.summary or ""))
            self.listing.addItem(item)
        if self.listing.count():
            self.listing.setCurrentRow(0)
            if selected:
                self.select(selected)

    def set_preview(self, preview: Callable[[str], SessionPreview]) -> None:
        """How to tell what Start will do with a routine (the app knows the week and swaps)."""
        self._preview = preview
        self.show_details()

    def show_details(self) -> None:
        """Show the selected routine's exercises and doses again (the plan may have changed)."""
        ident = self.selected_id()
        if ident is None or ident not in self.library.routines:
            self.details.setText("")
            return
        try:
            preview = self._preview(ident)
        except Exception:  # noqa: BLE001 - a fault in the preview must not hide the routine
            preview = self._file_preview(ident)
        self.details.setText(details_text(preview))

    def _file_preview(self, ident: str) -> SessionPreview:
        return session_preview(self.library, self.library.routines[ident])

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
        self.show_details()
        self.start_button.setAccessibleName(f"Start {routine.name}" if routine else
                                            "Start the selected routine")

    def _on_selection(self) -> None:
        selected = self.listing.selectedItems()
        if len(selected) == 1 and selected[0] is not self.listing.currentItem():
            self.listing.setCurrentItem(selected[0])

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.sig_start.emit(item.data(Qt.ItemDataRole.UserRole))

    def _emit(self, signal, *extra) -> None:
        ident = self.selected_id()
        if ident:
            signal.emit(ident, *extra)

    def _on_start_clicked(self) -> None:
        ident = self.selected_id()
        if ident:
            self.sig_start.emit(ident)


def details_text(preview: SessionPreview) -> str:
    """The routine as Start will do it, in plain lines: time, then each exercise and dose."""
    count = plural(len(preview.lines), "exercise")
    lines = [preview.name, f"{format_about(preview.estimate).capitalize()}, {count}:"]
    lines += [f"{number}. {line}" for number, line in enumerate(preview.lines, start=1)]
    if preview.note:
        lines += ["", preview.note]
    return "\n".join(lines)


def set_aside_notice(library: Library) -> str:
    """Plain words naming each routine file that was set aside, and why."""
    if not library.set_aside:
        return ""
    lines = [f"BackRehab set aside {plural(len(library.set_aside), 'routine file')} it could not "
             "load; everything else loaded:"]
    lines += [f"\u2022 {p.file}: {p.message}" for p in library.set_aside]
    return "\n".join(lines)
