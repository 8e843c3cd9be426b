"""The routine editor: pick exercises, set their doses, see the session take shape, save.

Left, the exercise library with search and drawings (Enter adds). In the
middle, the routine's exercises in order: drag them, or Ctrl+Up / Ctrl+Down,
Delete removes. Right, the chosen exercise's dose, cues, note and rest. Below,
the estimated time and the steps the player will run, recompiled after every
edit, and any problem, marked at its field by the loader's own rules.

Saving writes the person's routines folder, never the bundled files: a bundled
routine is edited as a copy.
"""

from __future__ import annotations

from itertools import count
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QListWidgetItem,
    QWidget,
)

from ...core import model as m
from ...core.dose_text import describe
from ...core.loading import Library
from ...core.routine_check import Checked
from ...core.step_text import step_lines
from ...core.timeline import compile_routine
from ...core.units import format_clock
from ...infra.routine_files import RoutineFileError
from . import routine_layout
from .document import free_id, is_bundled, plain, slug, starting_point
from .dose_editor import DoseEditor
from .exercise_form import ExerciseForm
from .source_form import SourceForm

WARNING = "\u26a0"


class RoutineEditor(QWidget):
    """Edits one routine; ``sig_saved`` after each save so the app reloads its routines."""

    sig_saved = Signal(str)
    """The routine with this id was saved."""
    sig_handout = Signal(object)
    """Make a handout of this routine (a model)."""
    sig_send = Signal(object)
    """Send this routine (a model) to the patient."""

    def __init__(self, data: Path, library: Library, routine: m.Routine | None = None, *,
                 copy: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.data = data
        self.library = library
        self.checked: Checked | None = None
        self.model: m.Routine | None = None
        self.custom: dict[str, dict] = {}
        """New exercises made here, saved into this routine's file."""
        self.custom_sources: dict[str, dict] = {}
        """New sources made here, saved into this routine's file."""
        self.item_data: dict[int, dict] = {}
        self._keys = count()
        self._id_edited = False
        self._loading = True
        origin = library.origins.get(("routines", routine.id)) if routine else None
        bundled = origin is not None and origin.folder is not None and \
            is_bundled(origin.folder / "x")
        self.copying = routine is not None and (copy or bundled or origin is None)
        ident, name, self.document, self.original_id = starting_point(
            data, "routine", routine, origin, self.copying,
            set(library.routines) | set(library.exercises))
        self._build()
        self.name.setText(name)
        self.ident.setText(ident)
        self._id_edited = routine is not None and not self.copying  # a copy's id follows
        if routine is not None:
            self._load(routine)
        self._loading = False
        self.notice.setText(self._notice(routine, bundled))
        self.check_now()

    # --- Building ------------------------------------------------------------------------

    def _build(self) -> None:
        routine_layout.build(self)   # the fields, lists and panes, at any window size
        self._check_soon = QTimer(self)
        self._check_soon.setSingleShot(True)
        self._check_soon.setInterval(150)
        self._check_soon.timeout.connect(self.check_now)
        self.name.textChanged.connect(self._on_name)
        self.ident.textEdited.connect(self._on_id_edited)
        for edit in (self.ident, self.summary):
            edit.textChanged.connect(self._changed)
        for box in (self.prepare, self.set_rest, self.exercise_rest):
            box.valueChanged.connect(self._changed)
        self.picker.sig_add.connect(self.add_exercise)
        self.new_exercise_button.clicked.connect(lambda: self.exercise_form().open())
        dose = self.item_editor.dose
        dose.allow_new_sources(lambda: self.source_form(dose).open())
        self.items.currentItemChanged.connect(self._on_current)
        self.items.model().rowsMoved.connect(lambda *_: (self._renumber(), self._changed()))
        self.item_editor.sig_changed.connect(self._on_item_changed)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(1))
        self.remove_button.clicked.connect(self.remove_current)
        self.save_button.clicked.connect(self.save)
        self.handout_button.clicked.connect(lambda: self.model and self.sig_handout.emit(
            self.model))
        self.send_button.clicked.connect(lambda: self.model and self.sig_send.emit(self.model))
        self.items.installEventFilter(self)
        QShortcut(QKeySequence.StandardKey.Save, self).activated.connect(self.save)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt's name
        # The list view takes Ctrl+Up and Ctrl+Down for itself: catch them first.
        if watched is self.items and event.type() == QEvent.Type.KeyPress:
            ctrl = event.modifiers() & Qt.KeyboardModifier.ControlModifier
            if ctrl and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
                self.move_current(-1 if event.key() == Qt.Key.Key_Up else 1)
                return True
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.remove_current()
                return True
        return super().eventFilter(watched, event)

    def _load(self, routine: m.Routine) -> None:
        self.summary.setText(routine.summary or "")
        self.prepare.set_value_or_none(routine.prepare)
        self.set_rest.set_value_or_none(routine.rest_between_sets)
        self.exercise_rest.setValue(routine.rest_between_exercises)
        for item in routine.exercises:
            entry = {"exercise": item.exercise}
            if item.dose is not None:
                entry["dose"] = item.dose
            if item.cues:
                entry["cues"] = [{"at": c.at, "say": c.say} for c in item.cues]
            if item.note:
                entry["note"] = item.note
            if item.rest_after is not None:
                entry["rest_after"] = item.rest_after
            self._append(entry)
        self.items.setCurrentRow(0)

    def _notice(self, routine: m.Routine | None, bundled: bool) -> str:
        if routine is None:
            return "A new routine, saved in your routines folder."
        if bundled and self.copying:
            return ("BackRehab's own routines are never changed: this is a copy, saved in your "
                    "routines folder.")
        if self.copying:
            return f"A copy of {routine.name}, saved in your routines folder."
        return ""

    # --- The routine as data --------------------------------------------------------------

    def routine_tree(self) -> dict:
        out: dict = {"id": self.ident.text().strip(), "name": self.name.text().strip()}
        if self.summary.text().strip():
            out["summary"] = self.summary.text().strip()
        out["exercises"] = [self.item_data[k] for k in self.order()]
        if self.prepare.value_or_none() is not None:
            out["prepare"] = self.prepare.value()
        if self.set_rest.value_or_none() is not None:
            out["rest_between_sets"] = self.set_rest.value()
        out["rest_between_exercises"] = self.exercise_rest.value()
        return out

    def entries(self) -> dict[str, list[dict]]:
        return {"sources": list(self.custom_sources.values()),
                "exercises": list(self.custom.values()), "routines": [plain(
            self.routine_tree())]}

    def order(self) -> list[int]:
        return [self.items.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.items.count())]

    # --- Items ----------------------------------------------------------------------------

    def add_exercise(self, exercise_id: str) -> None:
        """Add an exercise with its usual dose, after the selected one."""
        row = self.items.currentRow() + 1 if self.items.currentRow() >= 0 else self.items.count()
        self._append({"exercise": exercise_id}, row)
        self.items.setCurrentRow(row)
        self._changed()

    def _append(self, entry: dict, row: int | None = None) -> None:
        key = next(self._keys)
        self.item_data[key] = entry
        item = QListWidgetItem()
        item.setData(Qt.ItemDataRole.UserRole, key)
        self.items.insertItem(self.items.count() if row is None else row, item)
        self._renumber()

    def move_current(self, step: int) -> None:
        row = self.items.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.items.count():
            return
        item = self.items.takeItem(row)
        self.items.insertItem(target, item)
        self.items.setCurrentRow(target)
        self._renumber()
        self._changed()

    def remove_current(self) -> None:
        row = self.items.currentRow()
        if row < 0:
            return
        item = self.items.takeItem(row)
        self.item_data.pop(item.data(Qt.ItemDataRole.UserRole), None)
        self._renumber()
        self.items.setCurrentRow(min(row, self.items.count() - 1))
        if not self.items.count():
            self.item_editor.setEnabled(False)
        self._changed()

    def _renumber(self, problems: dict[int, list[str]] | None = None) -> None:
        exercises = self.checked.library.exercises if self.checked else self.library.exercises
        for i in range(self.items.count()):
            item = self.items.item(i)
            entry = self.item_data[item.data(Qt.ItemDataRole.UserRole)]
            exercise = exercises.get(entry["exercise"])
            name = exercise.name if exercise else entry["exercise"]
            dose = self.model.exercises[i].dose if self.model and i < len(
                self.model.exercises) else None
            dose = dose or (exercise.dose if exercise else None)
            marker = f"{WARNING} " if problems and problems.get(i) else ""
            words = f" \u2013 {describe(dose)}" if dose is not None else ""
            item.setText(f"{marker}{i + 1}. {name}{words}")
            item.setToolTip("\n".join(problems.get(i, [])) if problems else "")

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        entry = self.item_data[item.data(Qt.ItemDataRole.UserRole)]
        exercises = self.checked.library.exercises if self.checked else self.library.exercises
        exercise = exercises.get(entry["exercise"])
        if exercise is None:
            return
        self.item_editor.setEnabled(True)
        self.item_editor.set_item(plain(entry), exercise)
        self._show_item_problems()

    def _on_item_changed(self) -> None:
        item = self.items.currentItem()
        if item is None:
            return
        self.item_data[item.data(Qt.ItemDataRole.UserRole)] = self.item_editor.value()
        self._changed()

    # --- Checking -------------------------------------------------------------------------

    def _on_name(self, text: str) -> None:
        if not self._id_edited:
            taken = (set(self.library.routines) | set(self.library.exercises)) - {
                self.original_id}
            self.ident.setText(free_id(slug(text), taken))
        self._changed()

    def _on_id_edited(self, _text: str) -> None:
        self._id_edited = True

    def _changed(self) -> None:
        if not self._loading:
            self.status.setText("Not saved yet.")
            self._check_soon.start()

    def check_now(self) -> Checked:
        """Check the routine as it would be saved; mark problems; update the preview."""
        self._check_soon.stop()
        checked = self.document.check(self.entries())
        self.checked = checked
        ident = self.ident.text().strip()
        self.model = checked.library.routines.get(ident) if checked.ok else None
        self._place_problems(checked, ident)
        self._preview()
        self._renumber(self._item_problems)
        self.save_button.setEnabled(checked.ok)
        self.handout_button.setEnabled(self.model is not None)
        self.send_button.setEnabled(self.model is not None)
        if checked.ok and self.status.text() != "Not saved yet.":
            self.status.setText(self.document.plan().describe())
        return checked

    def _place_problems(self, checked: Checked, ident: str) -> None:
        index = checked.index_of("routines", ident)
        fields: dict[str, list[str]] = {}
        self._item_problems: dict[int, list[str]] = {}
        self._item_paths: dict[int, dict[tuple, str]] = {}
        general: list[str] = []
        for located in checked.problems:
            path = located.path
            if index is not None and path[:2] == ("routines", index) and len(path) > 2:
                rest = path[2:]
                if rest[0] == "exercises" and len(rest) > 1 and isinstance(rest[1], int):
                    self._item_problems.setdefault(rest[1], []).append(located.message)
                    self._item_paths.setdefault(rest[1], {})[rest[2:]] = located.message
                    continue
                if rest[0] in self.field_problems:
                    fields.setdefault(str(rest[0]), []).append(located.message)
                    continue
            general.append(str(located.problem).split(": ", 1)[-1])
        for key, label in self.field_problems.items():
            label.setText("\n".join(fields.get(key, [])))
            label.setVisible(key in fields)
        self.problems.setText("\n".join(general))
        self.problems.setVisible(bool(general))
        self._show_item_problems()

    def _show_item_problems(self) -> None:
        row = self.items.currentRow()
        if row >= 0 and self.item_editor.isEnabled():
            self.item_editor.show_problems(getattr(self, "_item_paths", {}).get(row, {}))

    def _preview(self) -> None:
        self.steps.clear()
        if self.model is None:
            self.estimate.setText("Estimated time: \u2013 (fix the problems marked in red)")
            return
        timeline = compile_routine(self.model, self.checked.library.exercises)
        self.estimate.setText(f"Estimated time: about {format_clock(timeline.estimate)} "
                              f"\u00b7 {len(timeline.steps) - 1} steps")
        for at, words, length in step_lines(timeline.steps):
            self.steps.addItem(f"{at:>6}   {words}   ({length})")

    # --- Saving ---------------------------------------------------------------------------

    def save(self) -> bool:
        """Save when every check passes; says what happened in the status line."""
        checked = self.check_now()
        if not checked.ok or self.model is None:
            self.status.setText(f"Not saved: {len(checked.problems)} problem(s), marked in red.")
            return False
        if self.original_id and self.original_id != self.model.id:
            self.document.remove = {"routines": [self.original_id]}
        try:
            plan = self.document.save(checked.library, {"sources": list(self.custom_sources),
                                                        "exercises": list(self.custom),
                                                        "routines": [self.model.id]})
        except RoutineFileError as err:
            self.status.setText(f"Not saved: {err.message}")
            return False
        self.original_id = self.model.id
        self.copying = False
        done = "Saved" if plan.keeps_comments else f"Saved; the old file is kept as " \
            f"{plan.backup.name}"
        self.status.setText(f"{done}: {self.document.path}")
        self.sig_saved.emit(self.model.id)
        return True

    def add_custom(self, exercise: dict) -> None:
        """A new exercise made for this routine: saved in its file, added to the routine."""
        self.custom[exercise["id"]] = exercise
        checked = self.check_now()
        self.picker.set_library(checked.library)
        if exercise["id"] in checked.library.exercises:
            self.add_exercise(exercise["id"])
            self.check_now()

    def exercise_form(self) -> ExerciseForm:
        """The form for a new exercise; once accepted, it joins this routine."""
        library = self.checked.library if self.checked else self.library
        form = ExerciseForm(library, self.document.path.parent, self.taken_ids(),
                            self.check_exercise, self)
        form.accepted.connect(lambda: self.add_custom(form.result_tree))
        form.dose.allow_new_sources(lambda: self.source_form(form.dose).open())
        return form

    def source_form(self, dose: DoseEditor) -> SourceForm:
        """The form for a new source; once accepted, it is offered and chosen in ``dose``."""
        form = SourceForm(self.taken_source_ids(), self.check_source, dose.window())
        form.accepted.connect(lambda: self.add_source(form.result_tree, dose))
        return form

    def add_source(self, source: dict, dose: DoseEditor) -> None:
        """A new source made here: saved in this routine's file, offered to every dose."""
        self.custom_sources[source["id"]] = source
        for editor in {self.item_editor.dose, dose}:
            editor.offer_source(source["id"], source["title"], choose=editor is dose)
        self.check_now()

    def check_exercise(self, exercise: dict) -> dict[tuple, str]:
        """Problems with a new exercise, by path inside it, as saving would find them."""
        return self._check_entry("exercises", exercise)

    def check_source(self, source: dict) -> dict[tuple, str]:
        """Problems with a new source, by path inside it, as saving would find them."""
        return self._check_entry("sources", source)

    def _check_entry(self, section: str, entry: dict) -> dict[tuple, str]:
        entries = self.entries()
        entries[section] = [*(e for e in entries[section] if e["id"] != entry["id"]), entry]
        checked = self.document.check(entries)
        index = checked.index_of(section, entry["id"])
        return {p.path[2:]: p.message for p in checked.problems
                if index is not None and p.path[:2] == (section, index)}

    def taken_ids(self) -> set[str]:
        library = self.checked.library if self.checked else self.library
        return set(library.exercises) | set(library.routines) | set(self.custom)

    def taken_source_ids(self) -> set[str]:
        """Every source id loaded (BackRehab's own, this file's, the others') or made here."""
        library = self.checked.library if self.checked else self.library
        return set(library.sources) | set(self.library.sources) | set(self.custom_sources)
