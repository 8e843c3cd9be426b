"""The program: its phases (which sessions, how often, how many weeks) and daily blocks.

Each phase is a name, a number of weeks, what it works on and its sessions
(a routine and how many times a week); the weeks follow on from the phase
before, so they never leave a gap. The daily blocks pick a routine for the
morning, midday and evening, each with an optional reminder time. Saved as a
program file of its own in the person's routines folder, checked first by the
loader's rules like the routine editor (``document``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from ...core import model as m
from ...core.loading import Library
from ...core.routine_check import Checked
from ...infra.routine_files import RoutineFileError
from ..plain import plain_label
from .document import is_bundled, plain, slug, starting_point
from .fields import in_red, narrow_combo


class SessionRow(QWidget):
    """A routine and how many times a week."""

    def __init__(self, routines: dict[str, m.Routine], on_change, on_remove,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.routine = narrow_combo()
        self.routine.setAccessibleName("routine")
        for routine in routines.values():
            self.routine.addItem(routine.name, routine.id)
        self.per_week = QSpinBox()
        self.per_week.setRange(1, 7)
        self.per_week.setSuffix(" a week")
        self.per_week.setAccessibleName("times a week")
        remove = QPushButton("Remove")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.routine, 1)
        layout.addWidget(self.per_week)
        layout.addWidget(remove)
        self.routine.currentIndexChanged.connect(on_change)
        self.per_week.valueChanged.connect(on_change)
        remove.clicked.connect(lambda: on_remove(self))

    def value(self) -> dict:
        return {"routine": self.routine.currentData(), "per_week": self.per_week.value()}


class PhaseBox(QGroupBox):
    """One phase of the program."""

    def __init__(self, number: int, routines: dict[str, m.Routine], on_change, on_remove,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Phase {number}", parent)
        self.routines = routines
        self.on_change = on_change
        self.sessions: list[SessionRow] = []
        self.ident: str | None = None
        """A loaded phase keeps its id (the person's history refers to it)."""
        self.name = QLineEdit()
        self.name.setAccessibleName("phase name")
        self.weeks = QSpinBox()
        self.weeks.setRange(1, 52)
        self.weeks.setSuffix(" weeks")
        self.weeks.setAccessibleName("weeks in this phase")
        self.focus = QLineEdit()
        self.focus.setPlaceholderText("What this phase works on")
        self.session_box = QVBoxLayout()
        add = QPushButton("Add a session")
        add.clicked.connect(lambda: self.add_session(None, 3))
        remove = QPushButton("Remove this phase")
        remove.clicked.connect(lambda: on_remove(self))
        self.problem = plain_label("", wrap=True, name=f"phase_{number}_problems")
        in_red(self.problem)
        self.problem.setVisible(False)
        form = QFormLayout(self)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Name", self.name)
        form.addRow("Length", self.weeks)
        form.addRow("Focus", self.focus)
        form.addRow("Sessions", self.session_box)
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addStretch(1)
        buttons.addWidget(remove)
        form.addRow(buttons)
        form.addRow(self.problem)
        for edit in (self.name, self.focus):
            edit.textChanged.connect(on_change)
        self.weeks.valueChanged.connect(on_change)

    def add_session(self, routine_id: str | None, per_week: int) -> SessionRow:
        row = SessionRow(self.routines, self.on_change, self._remove_session)
        if routine_id is not None:
            row.routine.setCurrentIndex(max(0, row.routine.findData(routine_id)))
        row.per_week.setValue(per_week)
        self.sessions.append(row)
        self.session_box.addWidget(row)
        self.on_change()
        return row

    def _remove_session(self, row: SessionRow) -> None:
        self.sessions.remove(row)
        row.setParent(None)
        row.deleteLater()
        self.on_change()

    def value(self, first_week: int) -> dict:
        last = first_week + self.weeks.value() - 1
        out: dict = {"id": self.ident or slug(self.name.text(), "phase"),
                     "name": self.name.text().strip(),
                     "weeks": str(first_week) if last == first_week else f"{first_week}-{last}"}
        if self.focus.text().strip():
            out["focus"] = self.focus.text().strip()
        out["sessions"] = [row.value() for row in self.sessions]
        return out


class ProgramEditor(QWidget):
    """Edits a program; ``sig_saved`` after each save."""

    sig_saved = Signal(str)
    """The program with this id was saved."""
    sig_handout = Signal(object)
    """Print a handout of this program (the checked library and the id)."""

    def __init__(self, data: Path, library: Library, program: m.Program | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("BackRehab: program editor")
        self.library = library
        self.checked: Checked | None = None
        origin = library.origins.get(("programs", program.id)) if program else None
        bundled = origin is None or origin.folder is None or is_bundled(origin.folder / "x")
        self.copying = program is not None and bundled
        ident, name, self.document, self.original_id = starting_point(
            data, "program", program, origin, self.copying, set(library.programs))
        self.phases: list[PhaseBox] = []
        self.name = QLineEdit(name)
        self.name.setObjectName("program_name")
        self.ident = QLineEdit(ident)
        self.ident.setObjectName("program_id")
        self.summary = QLineEdit(program.summary or "" if program else "")
        self.phase_box = QVBoxLayout()
        add_phase = QPushButton("Add a phase")
        add_phase.clicked.connect(lambda: self.add_phase("", 2, "", []))
        self.blocks: dict[m.Block, tuple[QComboBox, QCheckBox, QTimeEdit]] = {}
        daily = QFormLayout()
        for block in m.Block:
            combo = narrow_combo()
            combo.setObjectName(f"daily_{block.value}")
            combo.addItem(f"No {block.value} block", "")
            for routine in library.routines.values():
                combo.addItem(routine.name, routine.id)
            remind = QCheckBox("remind at")
            time = QTimeEdit()
            time.setDisplayFormat("HH:mm")
            row = QHBoxLayout()
            row.addWidget(combo, 1)
            row.addWidget(remind)
            row.addWidget(time)
            daily.addRow(block.value.capitalize(), row)
            self.blocks[block] = (combo, remind, time)
            combo.currentIndexChanged.connect(self._changed)
            remind.toggled.connect(self._changed)
            time.timeChanged.connect(self._changed)
        self.overview = plain_label("", wrap=True, name="program_overview")
        self.problems = plain_label("", wrap=True, name="program_problems")
        in_red(self.problems)
        self.status = plain_label("", wrap=True, name="program_status")
        self.save_button = QPushButton("Save")
        self.save_button.clicked.connect(self.save)
        self.handout_button = QPushButton("Handout\u2026")
        self.handout_button.clicked.connect(
            lambda: self.checked and self.sig_handout.emit((self.checked.library,
                                                           self.ident.text().strip())))
        body = QWidget()
        form = QFormLayout(body)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(plain_label(self._notice(program), wrap=True))
        form.addRow("Name", self.name)
        form.addRow("Id", self.ident)
        form.addRow("About", self.summary)
        form.addRow(plain_label("Phases, in order (their weeks follow on)"))
        form.addRow(self.phase_box)
        form.addRow(add_phase)
        form.addRow(plain_label("Every day"))
        form.addRow(daily)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(body)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.handout_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.overview)
        layout.addWidget(self.problems)
        layout.addLayout(buttons)
        self._loading = True
        if program is not None:
            self._load(program)
        else:
            self.add_phase("Start", 2, "", [])
        self._loading = False
        for edit in (self.name, self.ident, self.summary):
            edit.textChanged.connect(self._changed)
        self.check_now()

    def _notice(self, program: m.Program | None) -> str:
        if self.copying:
            return "BackRehab's own program is never changed: this is a copy of it."
        return "" if program else "A new program, saved in your routines folder."

    def _load(self, program: m.Program) -> None:
        for phase in program.phases:
            self.add_phase(phase.name, phase.weeks.high - phase.weeks.low + 1, phase.focus or "",
                           [(s.routine, s.per_week) for s in phase.sessions], phase.id)
        for block in program.daily:
            combo, remind, time = self.blocks[block.block]
            combo.setCurrentIndex(max(0, combo.findData(block.routine)))
            remind.setChecked(block.remind_at is not None)
            if block.remind_at:
                time.setTime(QTime.fromString(block.remind_at, "HH:mm"))
        self._kept = {"progressions": program.progressions, "maintenance": program.maintenance}

    def add_phase(self, name: str, weeks: int, focus: str, sessions: list[tuple[str, int]],
                  ident: str | None = None) -> PhaseBox:
        box = PhaseBox(len(self.phases) + 1, self.library.routines, self._changed,
                       self._remove_phase)
        box.ident = ident
        box.name.setText(name)
        box.weeks.setValue(weeks)
        box.focus.setText(focus)
        for routine_id, per_week in sessions or [(None, 3)]:
            box.add_session(routine_id, per_week)
        self.phases.append(box)
        self.phase_box.addWidget(box)
        self._changed()
        return box

    def _remove_phase(self, box: PhaseBox) -> None:
        self.phases.remove(box)
        box.setParent(None)
        box.deleteLater()
        for number, phase in enumerate(self.phases, start=1):
            phase.setTitle(f"Phase {number}")
        self._changed()

    def tree(self) -> dict:
        out: dict = {"id": self.ident.text().strip(), "name": self.name.text().strip()}
        if self.summary.text().strip():
            out["summary"] = self.summary.text().strip()
        phases, week = [], 1
        for box in self.phases:
            phases.append(box.value(week))
            week += box.weeks.value()
        out["phases"] = phases
        daily = []
        for block, (combo, remind, time) in self.blocks.items():
            if combo.currentData():
                entry = {"block": block.value, "routine": combo.currentData()}
                if remind.isChecked():
                    entry["remind_at"] = time.time().toString("HH:mm")
                daily.append(entry)
        if daily:
            out["daily"] = daily
        # What this form does not edit (progressions, maintenance) is kept as it was.
        kept = getattr(self, "_kept", {})
        if kept.get("progressions"):
            out["progressions"] = plain(list(kept["progressions"]))
        if kept.get("maintenance"):
            out["maintenance"] = plain(kept["maintenance"])
        return out

    def _changed(self, *_: object) -> None:
        if not getattr(self, "_loading", True):
            self.status.setText("Not saved yet.")
            self.check_now()

    def check_now(self) -> Checked:
        checked = self.document.check({"programs": [self.tree()]})
        self.checked = checked
        index = checked.index_of("programs", self.ident.text().strip())
        by_phase: dict[int, list[str]] = {}
        general = []
        for located in checked.problems:
            path = located.path
            if index is not None and path[:3] == ("programs", index, "phases") and \
                    len(path) > 3 and isinstance(path[3], int):
                by_phase.setdefault(path[3], []).append(located.message)
            else:
                general.append(str(located.problem).split(": ", 1)[-1])
        for number, box in enumerate(self.phases):
            box.problem.setText("\n".join(by_phase.get(number, [])))
            box.problem.setVisible(number in by_phase)
        self.problems.setText("\n".join(general))
        self.problems.setVisible(bool(general))
        program = checked.library.programs.get(self.ident.text().strip())
        if program is not None and checked.ok:
            per_week = ", ".join(f"{p.name} {sum(s.per_week for s in p.sessions)}x a week"
                                 for p in program.phases)
            self.overview.setText(f"{program.weeks} weeks: {per_week}; "
                                  f"{len(program.daily)} daily block(s).")
        else:
            self.overview.setText("")
        self.save_button.setEnabled(checked.ok)
        self.handout_button.setEnabled(checked.ok)
        return checked

    def save(self) -> bool:
        checked = self.check_now()
        ident = self.ident.text().strip()
        if not checked.ok:
            self.status.setText(f"Not saved: {len(checked.problems)} problem(s), shown in red.")
            return False
        if self.original_id and self.original_id != ident:
            self.document.remove = {"programs": [self.original_id]}
        try:
            self.document.save(checked.library, {"programs": [ident]})
        except RoutineFileError as err:
            self.status.setText(f"Not saved: {err.message}")
            return False
        self.original_id = ident
        self.status.setText(f"Saved: {self.document.path}")
        self.sig_saved.emit(ident)
        return True
