"""Print a handout, send a routine to the patient: from the editor and the Routines tab.

``send_to_patient`` writes one folder: the routine file (with any custom drawings
in ``pictures/`` beside it, ``infra.send``), the handout PDF and a short
read-me, ready to e-mail or copy to a stick. The dialogs only ask for the
name, the note, the paper and where; the work is in plain functions the tests
call directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from ...core import model as m
from ...core.loading import Library
from ...infra import send
from .. import file_dialogs
from ..handout import Handout, HandoutError, handout_for, write_handout
from ..plain import plain_label


@dataclass(frozen=True)
class HandoutChoice:
    name: str
    note: str
    paper: str


class HandoutOptions(QDialog):
    """Who the handout is for, the therapist's note, and the paper size."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.name = QLineEdit()
        self.name.setObjectName("handout_name")
        self.name.setAccessibleName("the patient's name")
        self.name.setMaxLength(120)
        self.note = QPlainTextEdit()
        self.note.setObjectName("handout_note")
        self.note.setAccessibleName("a note for the patient, printed at the top")
        self.note.setTabChangesFocus(True)
        self.paper = QComboBox()
        self.paper.setObjectName("handout_paper")
        self.paper.addItem("A4", "a4")
        self.paper.addItem("Letter (US)", "letter")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(plain_label(intro, wrap=True))
        form.addRow("For (name)", self.name)
        form.addRow("Your note", self.note)
        form.addRow("Paper", self.paper)
        form.addRow(buttons)

    def choice(self) -> HandoutChoice:
        return HandoutChoice(self.name.text().strip(), self.note.toPlainText().strip(),
                             self.paper.currentData())


def handout_file(path: Path, library: Library, ident: str, choice: HandoutChoice,
                 day: date | None = None) -> str:
    """Write the handout of a routine or program; a sentence saying what happened."""
    try:
        pages = write_handout(path, handout_for(library, ident, name=choice.name,
                                                note=choice.note, paper=choice.paper,
                                                day=day))
    except HandoutError as err:
        return f"No handout: {err.message}"
    return f"Saved the handout ({pages} page{'s' if pages != 1 else ''}) to {path}"


def ask_handout(parent: QWidget, library: Library, ident: str) -> str:
    """Ask for the details and a file name, then write the handout."""
    what = library.routines.get(ident) or library.programs.get(ident)
    if what is None:
        return ""
    dialog = HandoutOptions("Print a handout", f"A printable sheet of {what.name}: each "
                            "exercise with its drawings, steps, key cue, dose and when to stop.",
                            parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    path = file_dialogs.current().save_file(parent, "handout", "Save the handout",
                                            f"{ident}-handout.pdf", "PDF (*.pdf)")
    return handout_file(path, library, ident, dialog.choice()) if path else ""


def send_to_patient(parent_folder: Path, library: Library, routine: m.Routine,
                    choice: HandoutChoice, day: date | None = None) -> send.Package:
    """Write the patient's folder inside ``parent_folder``; raises send.SendError."""
    folder = send.new_folder(parent_folder, routine)
    handout_name = f"{routine.id}-handout.pdf"
    package = send.package(folder, library, routine, handout_name)
    try:
        write_handout(folder / handout_name, Handout(library, routines=[routine],
                                                     name=choice.name, note=choice.note,
                                                     paper=choice.paper, day=day))
    except HandoutError as err:
        raise send.SendError(f"The routine is in {folder}, but the handout was not made: "
                             f"{err.message}") from err
    return package


def ask_send(parent: QWidget, library: Library, routine: m.Routine) -> str:
    """Ask for the details and a folder, then write the patient's folder."""
    dialog = HandoutOptions(
        "Send to the patient", f"Makes a folder with {routine.name} for BackRehab (and any "
        "drawings of your own exercises) and a printable handout. E-mail the folder or copy "
        "it to a stick; in BackRehab the patient imports it from the Routines tab.", parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return ""
    where = file_dialogs.current().choose_folder(parent, "send", "Where should the folder go?")
    if where is None:
        return ""
    try:
        package = send_to_patient(where, library, routine, dialog.choice())
    except send.SendError as err:
        return f"Not sent: {err.message}"
    return f"Ready to send: {package.folder}"
