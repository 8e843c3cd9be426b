"""How the routine editor (``window.RoutineEditor``) is laid out, at any window size.

At the top the routine's name, id, summary and timing; in the middle three panes: the
exercise library, the routine's exercises in order, the chosen exercise's dose; below,
the estimate and the steps the player will run, then Save.

The panes sit side by side on a wide window and one above the other on a narrow one or
at a large text size (``folding.FoldingSplitter``); the form's rows put their fields
under their names, and the timing boxes wrap, when there is no room beside them. The
whole page scrolls up and down when the window is short, never sideways; Save and its
neighbours stay in view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..flow_layout import FlowLayout
from ..folding import FoldingSplitter, page_scroll
from ..plain import plain_label
from ..widgets import WrapList
from .fields import DurationBox, in_red, layout_box, problem_label, with_problem
from .item_editor import ItemEditor
from .picker import ExercisePicker

if TYPE_CHECKING:
    from .window import RoutineEditor

FOLDED_LINES = {"picker": 12, "items": 8, "dose": 16}
"""Each pane's least height in lines when the panes are one above the other (the page
scrolls): enough to pick from, to see the order, to edit a dose."""


def build(editor: RoutineEditor) -> None:
    """Make the editor's fields, lists and buttons, and lay them out."""
    editor.setWindowTitle("BackRehab: routine editor")
    editor.name = QLineEdit()
    editor.name.setObjectName("routine_name")
    editor.name.setAccessibleName("routine name")
    editor.ident = QLineEdit()
    editor.ident.setObjectName("routine_id")
    editor.ident.setAccessibleName("routine id")
    editor.summary = QLineEdit()
    editor.summary.setObjectName("routine_summary")
    editor.summary.setAccessibleName("what the routine is for")
    editor.summary.setPlaceholderText("One or two sentences on what this session is for")
    editor.prepare = DurationBox(least=0, empty="the app's setting", name="prepare")
    editor.set_rest = DurationBox(least=0, empty="the app's setting", name="routine_set_rest")
    editor.exercise_rest = DurationBox(least=0, name="rest_between_exercises")
    editor.exercise_rest.setValue(15)
    editor.prepare.set_value_or_none(None)
    editor.set_rest.set_value_or_none(None)
    editor.field_problems = {key: problem_label(key) for key in
                             ("name", "id", "summary", "prepare", "rest_between_sets",
                              "rest_between_exercises", "exercises")}
    form = QFormLayout()
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    form.addRow("Name", with_problem(editor.name, editor.field_problems["name"]))
    form.addRow("Id", with_problem(editor.ident, editor.field_problems["id"]))
    form.addRow("About", with_problem(editor.summary, editor.field_problems["summary"]))
    # Each time with its name, the three wrapping onto more rows when narrow.
    rests = FlowLayout()
    for label, box, key in (("Get ready", editor.prepare, "prepare"),
                            ("Rest between sets", editor.set_rest, "rest_between_sets"),
                            ("between exercises", editor.exercise_rest,
                             "rest_between_exercises")):
        pair = QHBoxLayout()
        pair.setContentsMargins(0, 0, 0, 0)
        pair.addWidget(plain_label(label))
        pair.addWidget(with_problem(box, editor.field_problems[key]))
        rests.addWidget(layout_box(pair))
    form.addRow("Timing", rests)

    editor.picker = ExercisePicker(editor.library)
    editor.new_exercise_button = QPushButton("New exercise\u2026")
    editor.new_exercise_button.setObjectName("new_exercise")
    left = QVBoxLayout()
    left.addWidget(plain_label("Add from the library", wrap=True))
    left.addWidget(editor.picker, 1)
    left.addWidget(editor.new_exercise_button)

    editor.items = WrapList()
    editor.items.setObjectName("routine_items")
    editor.items.setAccessibleName("exercises in this routine, in order")
    editor.items.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
    editor.items.setDefaultDropAction(Qt.DropAction.MoveAction)
    editor.up_button = QPushButton("Move up")
    editor.down_button = QPushButton("Move down")
    editor.remove_button = QPushButton("Remove")
    moves = FlowLayout()
    for button in (editor.up_button, editor.down_button, editor.remove_button):
        moves.addWidget(button)
    middle = QVBoxLayout()
    middle.addWidget(plain_label("This routine, in order (drag, or Ctrl+Up / Ctrl+Down)",
                                 wrap=True))
    middle.addWidget(editor.items, 1)
    middle.addLayout(moves)
    middle.addWidget(editor.field_problems["exercises"])

    editor.item_editor = ItemEditor(editor.library.sources)
    editor.item_editor.setEnabled(False)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(editor.item_editor)

    editor.panes = FoldingSplitter()
    for part in (layout_box(left), layout_box(middle), scroll):
        editor.panes.addWidget(part)
    editor.panes.setStretchFactor(2, 2)
    editor.panes.sig_folded.connect(lambda folded: fit_panes(editor, folded))

    editor.estimate = plain_label("", wrap=True, name="estimate")
    font = editor.estimate.font()
    font.setBold(True)
    editor.estimate.setFont(font)
    editor.steps = WrapList()
    editor.steps.setObjectName("steps")
    editor.steps.setAccessibleName("the steps the player will run")
    editor.problems = plain_label("", wrap=True, name="problems")
    in_red(editor.problems)
    editor.notice = plain_label("", wrap=True, name="editor_notice")
    editor.status = plain_label("", wrap=True, name="save_status")
    editor.handout_button = QPushButton("Handout\u2026")
    editor.send_button = QPushButton("Send to patient\u2026")
    editor.save_button = QPushButton("Save")
    editor.save_button.setObjectName("save")
    editor.save_button.setDefault(True)
    actions = FlowLayout(align_right=True)
    for button in (editor.handout_button, editor.send_button, editor.save_button):
        actions.addWidget(button)
    buttons = QHBoxLayout()
    buttons.addWidget(editor.status, 1)
    buttons.addLayout(actions, 1)
    bottom = QSplitter(Qt.Orientation.Vertical)
    bottom.setChildrenCollapsible(False)
    bottom.addWidget(editor.panes)
    preview = QVBoxLayout()
    preview.addWidget(editor.estimate)
    preview.addWidget(editor.steps, 1)
    bottom.addWidget(layout_box(preview))
    bottom.setStretchFactor(0, 3)
    bottom.setStretchFactor(1, 1)
    bottom.setSizes([470, 230])

    body = QWidget()
    content = QVBoxLayout(body)
    content.setContentsMargins(0, 0, 0, 0)
    content.addWidget(editor.notice)
    content.addLayout(form)
    content.addWidget(bottom, 1)
    content.addWidget(editor.problems)
    layout = QVBoxLayout(editor)
    layout.addWidget(page_scroll(body), 1)
    layout.addLayout(buttons)


def fit_panes(editor: RoutineEditor, folded: bool) -> None:
    """One above the other, each pane keeps a few lines' height (the page scrolls);
    side by side, they share the window's height as before."""
    line = editor.fontMetrics().height()
    panes: list[tuple[QWidget, str]] = [(editor.picker, "picker"), (editor.items, "items"),
                                        (editor.panes.widget(2), "dose")]
    for widget, key in panes:
        widget.setMinimumHeight(line * FOLDED_LINES[key] if folded else 0)
