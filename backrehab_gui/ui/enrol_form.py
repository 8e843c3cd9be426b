"""Choosing the program, its start date, the session weekdays and the daily blocks."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import model as m
from ..core.schedule import WEEKDAYS, Enrolment, default_session_days
from ..core.swaps import WORDS
from ..core.wording import with_length
from .flow_layout import FlowLayout
from .folding import page_scroll
from .plain import plain_label

_DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class EnrolForm(QWidget):
    """A form for an Enrolment. The start date can be moved or set in the past."""

    sig_enrol = Signal(object)
    """The Enrolment the person chose."""
    sig_cancel = Signal()
    """The person closed the form without changing anything."""

    def __init__(self, programs: dict[str, m.Program], today: date,
                 current: Enrolment | None = None, parent: QWidget | None = None, *,
                 sensitive: frozenset[m.SpineMove] = frozenset()) -> None:
        super().__init__(parent)
        self.programs = programs
        self.heading = plain_label("Start your program" if current is None else
                                   "Change your plan", name="heading")
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.program = QComboBox()
        self.program.setAccessibleName("Program")
        for program in programs.values():
            self.program.addItem(with_length(program.name, program.weeks), program.id)
        self.start = QDateEdit()
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dddd d MMMM yyyy")
        self.start.setAccessibleName("Start date")
        self.start_hint = plain_label("Today, or the day you started if you began earlier.",
                                      wrap=True)
        self.days: list[QCheckBox] = []
        days_row = FlowLayout()
        for number, name in enumerate(WEEKDAYS):
            box = QCheckBox(name.capitalize())
            # The whole day's name: "Mon" alone is read as a word, not a day.
            box.setAccessibleName(f"Phase sessions on {_DAY_NAMES[number]}")
            days_row.addWidget(box)
            self.days.append(box)
        self.blocks: dict[m.Block, QCheckBox] = {}
        blocks_row = FlowLayout()
        for block in m.Block:
            box = QCheckBox(f"{block.value.capitalize()} block")
            blocks_row.addWidget(box)
            self.blocks[block] = box
        # The lead guide warns against forward bends after a painful toe-touch test,
        # and against bending and twisting with a disc problem.
        self.moves_hint = plain_label(
            "Does any of these make your back pain worse? Exercises that move that way "
            "are swapped for ones that keep your spine still. You can change this later.",
            wrap=True, name="moves_hint")
        self.moves: dict[m.SpineMove, QCheckBox] = {}
        moves_box = QVBoxLayout()
        for move in m.SpineMove:
            box = QCheckBox(f"{WORDS[move].capitalize()}")
            box.setAccessibleName(f"{WORDS[move].capitalize()} makes my pain worse")
            box.setChecked(move in sensitive)
            moves_box.addWidget(box)
            self.moves[move] = box
        self.problem = plain_label("", wrap=True, name="enrol_problem")
        self.save = QPushButton("Start the program" if current is None else "Save")
        self.save.setDefault(True)
        self.save.clicked.connect(self._on_save)
        self.cancel = QPushButton("Cancel")
        self.cancel.clicked.connect(self.sig_cancel.emit)
        self.cancel.setVisible(current is not None)
        page = QWidget()
        form = QFormLayout()
        # Labels above their fields when the window is narrow or the text large.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow("Program", self.program)
        form.addRow("Start date", self.start)
        form.addRow("", self.start_hint)
        form.addRow("Phase sessions on", days_row)
        form.addRow("Daily blocks", blocks_row)
        form.addRow("", self.moves_hint)
        form.addRow("Makes my pain worse", moves_box)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.save)
        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addLayout(buttons)
        layout.addStretch(1)
        # A small window or large text scrolls the form rather than squeezing it.
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(page_scroll(page))
        self.program.currentIndexChanged.connect(self._on_program_changed)
        self._fill(current, today)

    def _fill(self, current: Enrolment | None, today: date) -> None:
        if current is not None and current.program_id in self.programs:
            self.program.setCurrentIndex(self.program.findData(current.program_id))
            start = current.start
            days = current.session_days
            blocks = current.blocks
        else:
            start, days, blocks = today, None, tuple(m.Block)
        self.start.setDate(QDate(start.year, start.month, start.day))
        self._set_days(days)
        for block, box in self.blocks.items():
            box.setChecked(block in blocks)

    def _set_days(self, days: tuple[int, ...] | None) -> None:
        if days is None:
            program = self.selected_program()
            per_week = sum(s.per_week for s in program.phases[0].sessions) if program else 3
            days = default_session_days(per_week)
        for index, box in enumerate(self.days):
            box.setChecked(index in days)

    def selected_program(self) -> m.Program | None:
        return self.programs.get(self.program.currentData())

    def _on_program_changed(self, _index: int) -> None:
        self._set_days(None)

    def enrolment(self) -> Enrolment | None:
        program = self.selected_program()
        days = tuple(i for i, box in enumerate(self.days) if box.isChecked())
        if program is None:
            self.problem.setText("Choose a program.")
            return None
        if not days:
            self.problem.setText("Choose at least one weekday for the phase sessions.")
            return None
        picked = self.start.date()
        start = date(picked.year(), picked.month(), picked.day())
        blocks = tuple(b for b, box in self.blocks.items() if box.isChecked())
        self.problem.setText("")
        return Enrolment(program.id, start, days, blocks)

    def sensitive(self) -> frozenset[m.SpineMove]:
        """The spine movements the person ticked as making their pain worse."""
        return frozenset(move for move, box in self.moves.items() if box.isChecked())

    def _on_save(self) -> None:
        enrolment = self.enrolment()
        if enrolment is not None:
            self.sig_enrol.emit(enrolment)
