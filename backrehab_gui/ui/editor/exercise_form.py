"""A custom exercise: name, steps, key cue, tip, when to stop, dose, source and drawings.

The drawings are picked from the ones BackRehab has (any exercise's start or
end position) or from an image file, which is checked by its content and size
(``infra.pictures``) and by Qt actually reading it, then copied beside the
routine file. The exercise is checked by the loader's rules before the dialog
closes: problems show under the field they concern.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ...core import model as m
from ...core.loading import Library
from ...infra import paths, pictures
from .. import file_dialogs
from ..exercise_words import category_words, position_words
from .document import free_id, slug
from .dose_editor import DoseEditor
from .fields import narrow_combo, problem_label, show_problems
from .picker import drawing_icon

Checker = Callable[[dict], Mapping[tuple, str]]
"""Checks an exercise (plain data) beside everything else; problems by path inside it."""


def drawings(library: Library, folder: Path) -> list[tuple[str, str, Path]]:
    """(label, path to write in the file, image) for every drawing a new exercise may use."""
    assets = paths.assets().resolve()
    out: list[tuple[str, str, Path]] = []
    for ident, images in sorted(library.images.items(),
                                key=lambda kv: library.exercises[kv[0]].name.casefold()):
        for part, image in zip(("start", "end"), images):
            if image is None:
                continue
            resolved = image.resolve()
            if resolved.is_relative_to(assets):
                written = resolved.relative_to(assets).as_posix()
            elif resolved.is_relative_to(folder.resolve()):
                written = resolved.relative_to(folder.resolve()).as_posix()
            else:
                continue
            out.append((f"{library.exercises[ident].name}, {part}", written, resolved))
    return out


class DrawingChoice(QWidget):
    """One drawing: none, one BackRehab has, or an image file copied in."""

    def __init__(self, what: str, choices: list[tuple[str, str, Path]], folder: Path,
                 on_problem: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.on_problem = on_problem
        self.combo = narrow_combo()   # "Lying hamstring stretch with towel, start"
        self.combo.setObjectName(f"drawing_{what}")
        self.combo.setAccessibleName(f"drawing of the {what} position")
        self.combo.setIconSize(QSize(40, 40))
        self.combo.addItem("No drawing", None)
        for label, written, image in choices:
            self.combo.addItem(drawing_icon(image, 40), label, (written, str(image)))
        self.file_button = QPushButton("Image file\u2026")
        self.file_button.setAccessibleName(f"choose an image file for the {what} position")
        self.file_button.clicked.connect(self._on_file)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo, 1)
        layout.addWidget(self.file_button)

    def use_file(self, source: Path) -> bool:
        """Check and copy in an image file, then select it; False (and a problem) if not."""
        try:
            kind, _ = pictures.check(source)
        except pictures.PictureError as err:
            self.on_problem(err.message)
            return False
        readable = QSvgRenderer(str(source)).isValid() if kind == "svg" else \
            QImageReader(str(source)).canRead()
        if not readable:
            self.on_problem(f"{source.name} could not be read as an image; it may be damaged.")
            return False
        try:
            written = pictures.copy_in(source, self.folder)
        except pictures.PictureError as err:
            self.on_problem(err.message)
            return False
        image = self.folder / written
        self.combo.addItem(drawing_icon(image, 40), source.name, (written, str(image)))
        self.combo.setCurrentIndex(self.combo.count() - 1)
        self.on_problem("")
        return True

    def _on_file(self) -> None:
        path = file_dialogs.current().open_file(self, "picture", "Choose a drawing",
                                                "Images (*.png *.jpg *.jpeg *.svg)")
        if path:
            self.use_file(path)

    def value(self) -> str | None:
        data = self.combo.currentData()
        return data[0] if data else None


class ExerciseForm(QDialog):
    """Make a new exercise for the library of this routine file."""

    def __init__(self, library: Library, folder: Path, taken: set[str], check: Checker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New exercise")
        self.check = check
        self.taken = taken
        self.result_tree: dict | None = None
        self.name = QLineEdit()
        self.name.setObjectName("exercise_name")
        self.category = QComboBox()
        self.category.setObjectName("category")
        for category in m.Category:
            self.category.addItem(category_words(category), category.value)
        self.position = QComboBox()
        self.position.setObjectName("position")
        for position in m.Position:
            self.position.addItem(position_words(position), position.value)
        self.steps = _lines("steps", "One step per line, in order")
        self.key_cue = QLineEdit()
        self.key_cue.setObjectName("key_cue")
        self.key_cue.setPlaceholderText("The one thing to remember; spoken at the start")
        self.tip = QLineEdit()
        self.tip.setObjectName("tip")
        self.why = QLineEdit()
        self.why.setObjectName("why")
        self.why.setPlaceholderText("Why it helps, in a sentence")
        self.stop_if = _lines("stop_if", "One sign per line, e.g. Pain spreads into a leg.")
        self.equipment = QLineEdit()
        self.equipment.setObjectName("equipment")
        self.equipment.setPlaceholderText("e.g. mat, resistance band (commas between)")
        self.dose = DoseEditor(library.sources)
        self.picture_problem = problem_label("drawing")
        choices = drawings(library, folder)
        self.start = DrawingChoice("start", choices, folder, self._on_picture_problem)
        self.end = DrawingChoice("end", choices, folder, self._on_picture_problem)
        self.flip = QCheckBox("Mirror the drawing for the right side")
        self.flip.setObjectName("flip_for_right")
        self.problems: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label, widget in (("name", "Name", self.name), ("category", "Trains",
                                   self.category), ("position", "Starts", self.position),
                                   ("steps", "Steps", self.steps), ("key_cue", "Key cue",
                                   self.key_cue), ("tip", "Tip", self.tip), ("why", "Why",
                                   self.why), ("stop_if", "Stop if", self.stop_if),
                                   ("equipment", "Equipment", self.equipment),
                                   ("dose", "Usual dose", self.dose),
                                   ("illustration", "Start drawing", self.start)):
            problem = problem_label(key)
            self.problems[key] = problem
            box = QWidget()
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(widget)
            inner.addWidget(problem)
            form.addRow(label, box)
        form.addRow("End drawing", self.end)
        form.addRow("", self.flip)
        form.addRow("", self.picture_problem)
        body = QWidget()
        body.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        self.general = problem_label("general")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add to the routine")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.resize(760, 760)

    def tree(self) -> dict:
        def lines(edit: QPlainTextEdit) -> list[str]:
            return [t.strip() for t in edit.toPlainText().splitlines() if t.strip()]

        name = self.name.text().strip()
        out: dict = {"id": free_id(slug(name, "my-exercise"), self.taken), "name": name,
                     "category": self.category.currentData(),
                     "position": self.position.currentData(), "steps": lines(self.steps),
                     "key_cue": self.key_cue.text().strip()}
        if self.tip.text().strip():
            out["tip"] = self.tip.text().strip()
        out["why"] = self.why.text().strip()
        equipment = [e.strip() for e in self.equipment.text().split(",") if e.strip()]
        if equipment:
            out["equipment"] = equipment
        out["dose"] = self.dose.value()
        start, end = self.start.value(), self.end.value()
        if start or end:
            picture: dict = {"start": start or end}
            if start and end:
                picture["end"] = end
            if self.flip.isChecked():
                picture["flip_for_right"] = True
            out["illustration"] = picture
        stops = lines(self.stop_if)
        if stops:
            out["stop_if"] = stops
        return out

    def try_accept(self) -> bool:
        """Check with the loader's rules; close only when there is nothing to fix."""
        tree = self.tree()
        problems = self.check(tree)
        show_problems(problems, self.problems, self.general)
        if problems:
            return False
        self.result_tree = tree
        self.accept()
        return True

    def _on_picture_problem(self, message: str) -> None:
        self.picture_problem.setText(message)
        self.picture_problem.setVisible(bool(message))


def _lines(name: str, hint: str) -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(hint)
    edit.setTabChangesFocus(True)
    edit.setMaximumHeight(edit.fontMetrics().lineSpacing() * 6)
    return edit
