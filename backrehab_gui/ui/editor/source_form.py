"""A new source for a dose: a paper, a guide or one's own clinical judgement.

A therapist gives its title, and who wrote it, when and where to find it if
known. The id is made from the title, free of every source id already loaded
(BackRehab's own included) and of those made earlier in this editor. Before the
dialog closes the source is checked by the loader's own rules, beside the file
it will be saved in: a problem shows under its field in plain words, and what
was typed stays for fixing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from .document import free_id, slug
from .fields import problem_label, show_problems, with_problem

Checker = Callable[[dict], Mapping[tuple, str]]
"""Checks a source (plain data) beside everything else; problems by path inside it."""

FIELDS = (
    ("title", "Title", "e.g. My clinical judgement, or the paper's title"),
    ("author", "Author", "Who wrote or prescribed it (optional)"),
    ("date", "Date", "When, as you like to write it: 2025-09-26, Sept 2025 (optional)"),
    ("url", "Link", "Where to find it, e.g. https://... (optional)"),
)


class SourceForm(QDialog):
    """Make a new source for the routine file being edited."""

    def __init__(self, taken: set[str], check: Checker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New source")
        self.taken = taken
        self.check = check
        self.result_tree: dict | None = None
        self.edits: dict[str, QLineEdit] = {}
        self.problems: dict[str, QWidget] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for key, label, hint in FIELDS:
            # No length limit on the box: a pasted title too long is kept whole and the
            # check says how long it may be, rather than cutting it off unseen.
            edit = QLineEdit()
            edit.setObjectName(f"source_{key}")
            edit.setAccessibleName(f"source {label.casefold()}")
            edit.setPlaceholderText(hint)
            self.edits[key] = edit
            self.problems[key] = problem_label(f"source_{key}")
            form.addRow(label, with_problem(edit, self.problems[key]))
        self.general = problem_label("source_general")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add the source")
        buttons.accepted.connect(self.try_accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.resize(520, self.sizeHint().height())

    @property
    def title(self) -> QLineEdit:
        return self.edits["title"]

    def tree(self) -> dict:
        """The source as the file will hold it; empty optional fields are left out."""
        title = self.title.text().strip()
        out: dict = {"id": free_id(slug(title, "my-source"), self.taken), "title": title}
        for key, _, _ in FIELDS[1:]:
            text = self.edits[key].text().strip()
            if text:
                out[key] = text
        return out

    def try_accept(self) -> bool:
        """Check with the loader's rules; close only when there is nothing to fix."""
        tree = self.tree()
        problems = dict(self.check(tree))
        if not tree["title"]:  # the loader's "should not be empty" says less than this
            problems[("title",)] = "Give the source a title, e.g. My clinical judgement."
        show_problems(problems, self.problems, self.general)
        if problems:
            return False
        self.result_tree = tree
        self.accept()
        return True
