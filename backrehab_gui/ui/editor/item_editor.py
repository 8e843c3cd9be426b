"""One exercise of a routine: its dose, spoken cues, a note for the patient, the rest after."""

from __future__ import annotations

from collections.abc import Mapping

from pydantic import TypeAdapter, ValidationError
from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...core import model as m
from ...core.dose_text import describe
from ..plain import plain_label
from .dose_editor import DoseEditor
from .fields import DurationBox


class CueList(QWidget):
    """Spoken cues: a time into each set and what to say then."""

    sig_changed = Signal()
    """A cue was added, removed or edited."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[tuple[DurationBox, QLineEdit, QWidget]] = []
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.add_button = QPushButton("Add a spoken cue")
        self.add_button.setObjectName("add_cue")
        self.add_button.clicked.connect(lambda: self.add(5.0, "", focus=True))
        self.layout_.addWidget(self.add_button)

    def add(self, at: float, say: str, focus: bool = False) -> None:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        when = DurationBox(least=0, name=f"cue_{len(self.rows) + 1}_at")
        when.setValue(at)
        text = QLineEdit(say)
        text.setObjectName(f"cue_{len(self.rows) + 1}_say")
        text.setAccessibleName("what to say")
        text.setPlaceholderText("What to say, e.g. Keep breathing.")
        text.setMaxLength(500)  # the loader says how long it may be
        remove = QPushButton("Remove")
        remove.setAccessibleName("remove this cue")
        layout.addWidget(plain_label("at"))
        layout.addWidget(when)
        layout.addWidget(text, 1)
        layout.addWidget(remove)
        entry = (when, text, row)
        self.rows.append(entry)
        self.layout_.insertWidget(self.layout_.count() - 1, row)
        when.valueChanged.connect(self.sig_changed.emit)
        text.textChanged.connect(self.sig_changed.emit)
        remove.clicked.connect(lambda: self._remove(entry))
        if focus:
            text.setFocus()
        self.sig_changed.emit()

    def _remove(self, entry) -> None:
        self._drop(entry)
        self.sig_changed.emit()

    def _drop(self, entry) -> None:
        self.rows.remove(entry)
        entry[2].setParent(None)  # gone from the form at once, not at the next idle moment
        entry[2].deleteLater()

    def set_cues(self, cues: list[dict]) -> None:
        for entry in list(self.rows):
            self._drop(entry)
        for cue in cues:
            self.add(cue["at"], cue["say"])

    def value(self) -> list[dict]:
        return [{"at": when.value(), "say": text.text()} for when, text, _ in self.rows]


class ItemEditor(QWidget):
    """Edits one routine item (plain data, as in the file)."""

    sig_changed = Signal()
    """The item changed."""

    def __init__(self, sources: Mapping[str, m.Source], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._loading = False
        self.exercise: m.Exercise | None = None
        self.title = plain_label("", name="item_title")
        font = self.title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title.setFont(font)
        self.usual = QCheckBox("Use this exercise's usual dose")
        self.usual.setObjectName("usual_dose")
        self.dose = DoseEditor(sources)
        self.cues = CueList()
        self.note = QPlainTextEdit()
        self.note.setObjectName("note")
        self.note.setAccessibleName("note for the patient")
        self.note.setPlaceholderText("A note for the patient, shown with this exercise")
        self.note.setMaximumHeight(self.fontMetrics().lineSpacing() * 4)
        self.note.setTabChangesFocus(True)
        self.rest_after = DurationBox(least=0, empty="the routine's rest", name="rest_after")
        self.problems = plain_label("", wrap=True, name="item_problems")
        self.problems.setStyleSheet("color: #b00020;")
        form = QFormLayout()
        form.addRow(self.usual)
        form.addRow(self.dose)
        form.addRow("Spoken cues", self.cues)
        form.addRow("Note", self.note)
        form.addRow("Rest after it", self.rest_after)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        self.usual.toggled.connect(self._on_usual)
        self.dose.sig_changed.connect(self._on_changed)
        self.cues.sig_changed.connect(self._on_changed)
        self.note.textChanged.connect(self._on_changed)
        self.rest_after.valueChanged.connect(self._on_changed)

    def set_item(self, item: dict, exercise: m.Exercise) -> None:
        self._loading = True
        try:
            self.exercise = exercise
            self.title.setText(exercise.name)
            self.usual.setText(f"Use this exercise's usual dose ({describe(exercise.dose)})")
            dose = item.get("dose")
            self.usual.setChecked(dose is None)
            self.dose.set_dose(exercise.dose if dose is None else _dose_model(dose,
                                                                              exercise.dose))
            self.dose.setEnabled(dose is not None)
            self.cues.set_cues(item.get("cues", []))
            self.note.setPlainText(item.get("note") or "")
            self.rest_after.set_value_or_none(item.get("rest_after"))
        finally:
            self._loading = False
        self.show_problems({})

    def value(self) -> dict:
        assert self.exercise is not None
        out: dict = {"exercise": self.exercise.id}
        if not self.usual.isChecked():
            out["dose"] = self.dose.value()
        cues = self.cues.value()
        if cues:
            out["cues"] = cues
        if self.rest_after.value_or_none() is not None:
            out["rest_after"] = self.rest_after.value()
        if self.note.toPlainText().strip():
            out["note"] = self.note.toPlainText().strip()
        return out

    def show_problems(self, problems: Mapping[tuple, str]) -> None:
        """Problems by path inside the item: ("dose", "reps"), ("cues", 0, "say"), ("note",)."""
        dose = {str(p[1]) if len(p) > 1 else "": msg for p, msg in problems.items()
                if p and p[0] == "dose"}
        self.dose.show_problems(dose)
        rest = [f"{_where(p)}{msg}" for p, msg in problems.items() if not p or p[0] != "dose"]
        self.problems.setText("\n".join(rest))
        self.problems.setVisible(bool(rest))

    def _on_usual(self, usual: bool) -> None:
        self.dose.setEnabled(not usual)
        if usual and self.exercise is not None:
            self.dose.set_dose(self.exercise.dose)
        self._on_changed()

    def _on_changed(self) -> None:
        if not self._loading:
            self.sig_changed.emit()


def _where(path: tuple) -> str:
    words = {"cues": "Spoken cue", "note": "Note", "rest_after": "Rest after it"}
    if not path:
        return ""
    if path[0] == "cues" and len(path) > 1 and isinstance(path[1], int):
        return f"Spoken cue {path[1] + 1}: "
    return f"{words.get(str(path[0]), str(path[0]))}: "


_DOSE = TypeAdapter(m.Dose)


def _dose_model(dose: dict, fallback: m.Dose) -> m.Dose:
    """The dose a plain mapping describes; the fallback while it is not valid yet."""
    try:
        return _DOSE.validate_python(dose)
    except ValidationError:
        return fallback
