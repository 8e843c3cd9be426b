"""File menu actions on the record: a session done away from the laptop, backup, restore.

Each uses the same infra code as the `backrehab log`, `backup` and `restore`
commands, so the app and the command line file sessions the same way.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from ..core.away import LogError
from ..infra.store import StoreError
from .plain import plain_label

if TYPE_CHECKING:
    from ..core.loading import Library
    from .app import App


class AwayDialog(QDialog):
    """Which routine, when, how much of it, and the usual answers. Keyboard first: every
    field has a mnemonic, Enter saves and Escape cancels."""

    def __init__(self, library: Library, now: datetime, suggested: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("A session done away from the laptop")
        form = QFormLayout(self)
        form.addRow(plain_label("It counts like a session done in the app: on its day, or "
                                "for a phase session planned on another day of the same "
                                "week.", wrap=True))
        self.routine = QComboBox()
        for routine in sorted(library.routines.values(), key=lambda r: r.name.lower()):
            self.routine.addItem(routine.name, routine.id)
        if suggested is not None and self.routine.findData(suggested) >= 0:
            self.routine.setCurrentIndex(self.routine.findData(suggested))
        self.routine.setAccessibleName("Routine")
        form.addRow("&Routine:", self.routine)
        self.when = QDateTimeEdit(QDateTime(now.replace(second=0, microsecond=0,
                                                        tzinfo=None)))
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setMaximumDateTime(QDateTime(now.replace(tzinfo=None)))
        self.when.setAccessibleName("When it started")
        form.addRow("&Started at:", self.when)
        self.share = QSpinBox()
        self.share.setRange(5, 100)
        self.share.setSingleStep(5)
        self.share.setValue(100)
        self.share.setSuffix(" %")
        self.share.setAccessibleName("How much of it was done, percent")
        form.addRow("&How much was done:", self.share)
        self.pain_before = _scale("Pain before, 0 to 10")
        self.pain_after = _scale("Pain after, 0 to 10")
        self.effort = _scale("Effort, 0 to 10")
        form.addRow("Pain &before (0-10):", self.pain_before)
        form.addRow("Pain &after (0-10):", self.pain_after)
        form.addRow("&Effort (0-10):", self.effort)
        self.note = QLineEdit()
        self.note.setAccessibleName("Note")
        form.addRow("&Note:", self.note)
        self.problem = plain_label("", wrap=True, name="problem")
        self.problem.setVisible(False)
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self, zone_of: datetime) -> dict:
        started = self.when.dateTime().toPython().replace(tzinfo=zone_of.tzinfo)
        return {"routine_id": self.routine.currentData(), "started_at": started,
                "share": self.share.value() / 100, "pain_before": _value(self.pain_before),
                "pain_after": _value(self.pain_after), "effort": _value(self.effort),
                "note": self.note.text().strip()}

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))


def _scale(name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(-1, 10)
    spin.setValue(-1)
    spin.setSpecialValueText("not given")
    spin.setAccessibleName(name)
    return spin


def _value(spin: QSpinBox) -> int | None:
    return None if spin.value() < 0 else spin.value()


def log_away(app: App, dialog: AwayDialog | None = None) -> str:
    """Ask for a session done away from the laptop and record it; returns what happened.
    ``dialog`` (already filled in) is for tests; otherwise one is shown."""
    from ..infra.record import log_session

    if app.store is None:
        return app.store_problem
    now = app.wall_clock()
    if dialog is None:
        dialog = AwayDialog(app.library, now, parent=app.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return ""
    values = dialog.values(now)
    try:
        logged = log_session(app.store, app.library, app.calendar, now=now, **values)
    except LogError as err:
        return f"Not recorded: {err}"
    except StoreError as err:
        return f"Not recorded: {err.message}"
    app.refresh()
    name = app.library.routines[values["routine_id"]].name
    if not logged.new:
        return f"{name} at {values['started_at']:%H:%M} was already in your history."
    return f"Recorded {name} at {values['started_at']:%a %d %b %H:%M}."


def backup(app: App, path: Path | None = None) -> str:
    from ..infra.backup import BackupError, write_backup

    if path is None:
        path = app.dialogs.save_file(app.window, "backup", "Back up everything",
                                     "backrehab-backup.zip", "BackRehab backup (*.zip)")
        if path is None:
            return ""
    try:
        count = write_backup(app.data_dir, path, app.wall_clock())
    except BackupError as err:
        return f"Not backed up: {err.message}"
    return f"Backed up {count} sessions, your settings and routines to {path}"


def restore(app: App, path: Path | None = None) -> str:
    from ..infra.backup import BackupError, restore_backup

    if path is None:
        path = app.dialogs.open_file(app.window, "backup", "Restore from a backup",
                                     "BackRehab backup (*.zip)")
        if path is None:
            return ""
    try:
        summary = restore_backup(path, app.data_dir, app.wall_clock())
    except (BackupError, StoreError) as err:
        return f"Not restored: {err.message}"
    if summary.settings == "settings restored":
        from ..infra.settings import day_end_of

        app.settings = app.settings_store.load()
        if app.store is not None:
            app.store.day_end = day_end_of(app.settings)
    if summary.enrolment.startswith("enrolment restored"):
        from .enrol_form import EnrolForm

        if isinstance(app.today_view.pages.currentWidget(), EnrolForm):
            app.today_view.close_form()  # the restored plan replaces the question
    app.reload_routines()  # refreshes every view too
    return f"Restored: {summary.text()}"


class MeasuresDialog(QDialog):
    """PEG (three 0-10 ratings about the past week) and the PSFS (3-5 named activities,
    each 0-10). Either part may be left out: leaving PEG at "skip" or fewer than three
    PSFS activities named skips it. Every field is reachable with Tab."""

    def __init__(self, activities: tuple[str, ...], ask_peg: bool, ask_psfs: bool,
                 parent: QWidget | None = None) -> None:
        from ..core import measures

        super().__init__(parent)
        self.setWindowTitle("How has your back been?")
        form = QFormLayout(self)
        self.peg: list[QSpinBox] = []
        if ask_peg:
            form.addRow(plain_label("PEG: about the past week (0-10).", wrap=True))
            for text, question in zip(("&Pain on average:", "Enjoyment of &life:",
                                       "&General activity:"), measures.PEG_QUESTIONS):
                spin = _scale(question)
                spin.setSpecialValueText("skip")
                form.addRow(text, spin)
                self.peg.append(spin)
        self.names: list[QLineEdit] = []
        self.ratings: list[QSpinBox] = []
        if ask_psfs:
            form.addRow(plain_label(f"Activities that are hard because of your back: "
                                    f"{measures.PSFS_QUESTION}", wrap=True))
            for i in range(measures.PSFS_MAX):
                name = QLineEdit(activities[i] if i < len(activities) else "")
                name.setAccessibleName(f"Activity {i + 1}")
                name.setPlaceholderText("an activity, e.g. putting on socks")
                rating = _scale(f"Activity {i + 1}, how able, 0 to 10")
                rating.setSpecialValueText("skip")
                form.addRow(name, rating)
                self.names.append(name)
                self.ratings.append(rating)
        self.problem = plain_label("", wrap=True, name="problem")
        form.addRow(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Not now")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def accept(self) -> None:
        """Save only answers that can be scored: a half-filled part says what is missing
        and the dialog stays open with everything typed."""
        from datetime import date

        from ..core.measures import MeasureError

        try:
            self.answers(date.min)      # the check does not depend on the day
        except MeasureError as err:
            self.problem.setText(f"Not saved yet: {err}.")
            return
        super().accept()

    def answers(self, day) -> list:
        """The answers given (raises MeasureError for a half-filled part)."""
        from ..core import measures

        out = []
        pegs = [_value(s) for s in self.peg]
        if any(v is not None for v in pegs):
            if None in pegs:
                raise measures.MeasureError("answer all three PEG questions, or none")
            out.append(measures.peg(day, *pegs))
        pairs = [(n.text().strip(), _value(r)) for n, r in zip(self.names, self.ratings)
                 if n.text().strip()]
        if pairs:
            if any(r is None for _, r in pairs):
                raise measures.MeasureError("rate each activity you named, 0 to 10")
            out.append(measures.psfs(day, [n for n, _ in pairs], [r for _, r in pairs]))
        return out


def ask_measures(app: App, dialog: MeasuresDialog | None = None) -> str:
    """Ask PEG and the PSFS (whichever is due, or both from the menu); store the answers."""
    from ..core import measures
    from ..infra.record import read_answers, save_answer

    if app.store is None:
        return app.store_problem
    try:
        answers = read_answers(app.store)
    except StoreError as err:
        return err.message
    if dialog is None:
        dialog = MeasuresDialog(measures.psfs_activities(answers), True, True, app.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return ""
    now = app.wall_clock()
    try:
        given = dialog.answers(app.today())
        for answer in given:
            save_answer(app.store, answer, now)
    except measures.MeasureError as err:
        return f"Not saved: {err}"
    except StoreError as err:
        return f"Not saved: {err.message}"
    app.refresh()   # History charts the new scores
    return "Saved: " + ", ".join(f"{a.kind.upper()} {a.score:.1f}" for a in given) \
        if given else "Nothing was answered."
