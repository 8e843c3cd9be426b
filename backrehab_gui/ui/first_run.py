"""First run: what the program is, that it is not medical advice, the red-flag screen and
the checklist. A see-a-doctor sign stops here until the person confirms a doctor cleared
them; an emergency sign ends the screening (the app then shows the lock,
``safety_screens.LockScreen``)."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import model as m
from ..core.screening import Verdict, flags_of, verdict
from .plain import mnemonic_safe, plain_label
from .widgets import WrapCheckBox


@dataclass(frozen=True)
class Screening:
    """The answers: red flags answered yes, and whether a doctor cleared the person."""

    red_flags: tuple[str, ...]
    cleared: bool


def _heading(text: str) -> QWidget:
    label = plain_label(text, wrap=True, name="heading")
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.6)
    font.setBold(True)
    label.setFont(font)
    return label


class FirstRun(QWidget):
    """Welcome -> red flags -> (see a doctor) -> checklist. The enrolment form follows."""

    sig_screened = Signal(object)
    """The Screening, once the person may start (no red flag, or cleared by a doctor)."""
    sig_emergency = Signal(object)
    """The Screening, when an emergency sign was answered yes: no clearance is offered."""
    sig_not_now = Signal(object)
    """The person stopped at a red flag without being cleared (the Screening)."""
    sig_closed = Signal()
    """Back to Today without answering again (only when ``closable``)."""

    def __init__(self, safety: m.Safety | None, program: m.Program | None,
                 previous: tuple[str, ...] = (), parent: QWidget | None = None, *,
                 closable: bool = False) -> None:
        super().__init__(parent)
        # Revisited from Help by someone already screened: reading the welcome again must
        # not mean answering everything again, so every page can be left (Esc too).
        self.closable = closable
        self.close_buttons: list[QPushButton] = []
        self.safety = safety or m.Safety(disclaimer="BackRehab is not medical advice.")
        self.pages = QStackedWidget()
        self.welcome = self._welcome_page(program)
        self.flags_page = self._flags_page(previous)
        self.doctor_page = self._doctor_page()
        self.checklist_page = self._checklist_page()
        for page in (self.welcome, self.flags_page, self.doctor_page, self.checklist_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self.answers: tuple[str, ...] = ()
        if closable:
            leave = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
            leave.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            leave.activated.connect(self.sig_closed.emit)

    # --- Pages -------------------------------------------------------------------------

    def _page(self, title: str, body: QWidget, buttons: list[QPushButton]) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_heading(title))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout.addWidget(scroll, 1)
        row = QHBoxLayout()
        if self.closable:
            back = QPushButton("Back to Today, nothing changed  [Esc]")
            back.setAccessibleName("Back to Today without changing your answers")
            back.clicked.connect(self.sig_closed.emit)
            self.close_buttons.append(back)
            row.addWidget(back)
        row.addStretch(1)
        for button in buttons:
            row.addWidget(button)
        layout.addLayout(row)
        return page

    def _welcome_page(self, program: m.Program | None) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        if program is not None:
            layout.addWidget(plain_label(
                f"{program.name}: {program.summary or ''}", wrap=True, name="program_summary"))
            phases = "\n".join(f"\u2022 Weeks {p.weeks}: {p.name}" + (f". {p.focus}" if
                                                                     p.focus else "")
                               for p in program.phases)
            layout.addWidget(plain_label(phases, wrap=True, name="phases"))
        layout.addWidget(plain_label(
            "Lay a mat next to your laptop. BackRehab tells you what today's session is, then "
            "leads you through it with a big timer and spoken cues, so you never have to look "
            "up mid-exercise.", wrap=True))
        disclaimer = plain_label(f"\u26a0 {self.safety.disclaimer}", wrap=True,
                                 name="disclaimer")
        bold = QFont(disclaimer.font())
        bold.setBold(True)
        disclaimer.setFont(bold)
        layout.addWidget(disclaimer)
        layout.addStretch(1)
        self.welcome_next = QPushButton("I understand: continue")
        self.welcome_next.setDefault(True)
        self.welcome_next.clicked.connect(lambda: self.pages.setCurrentWidget(self.flags_page))
        return self._page("Welcome to BackRehab", body, [self.welcome_next])

    def _flags_page(self, previous: tuple[str, ...]) -> QWidget:
        body = QWidget()
        grid = QGridLayout(body)
        grid.addWidget(plain_label(
            "Before you start, answer these honestly. A yes does not mean something is wrong, "
            "but it needs a doctor's check first.", wrap=True), 0, 0, 1, 3)
        self.flag_groups: dict[str, QButtonGroup] = {}
        row = 1
        for tier, title in ((m.RedFlagTier.EMERGENCY, "Signs that need medical help today"),
                            (m.RedFlagTier.SEE_DOCTOR, "Signs that need a doctor's check "
                                                       "before you start")):
            flags = flags_of(self.safety, tier)
            if not flags:
                continue
            label = plain_label(title, wrap=True, name=f"tier_{tier.value}")
            label.setContentsMargins(0, 10, 0, 2)
            bold = QFont(label.font())
            bold.setBold(True)
            label.setFont(bold)
            grid.addWidget(label, row, 0, 1, 3)
            row += 1
            for flag in flags:
                self._add_question(grid, row, flag, previous, body)
                row += 1
        grid.setColumnStretch(0, 1)
        grid.setRowStretch(row, 1)
        self.flags_next = QPushButton("Continue")
        self.flags_next.setDefault(True)
        self.flags_next.clicked.connect(self._on_flags_done)
        self._on_flag_answered()
        return self._page("Is it safe to start?", body, [self.flags_next])

    def _add_question(self, grid: QGridLayout, row: int, flag: m.RedFlag,
                      previous: tuple[str, ...], body: QWidget) -> None:
        question = plain_label(flag.question, wrap=True)
        yes, no = QRadioButton("Yes"), QRadioButton("No")
        yes.setAccessibleName(f"Yes: {flag.question}")
        no.setAccessibleName(f"No: {flag.question}")
        group = QButtonGroup(body)
        group.addButton(yes, 1)
        group.addButton(no, 0)
        if previous:
            (yes if flag.id in previous else no).setChecked(True)
        group.buttonToggled.connect(self._on_flag_answered)
        self.flag_groups[flag.id] = group
        grid.addWidget(question, row, 0)
        grid.addWidget(yes, row, 1)
        grid.addWidget(no, row, 2)

    def _doctor_page(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        self.doctor_advice = plain_label("", wrap=True, name="doctor_advice")
        layout.addWidget(self.doctor_advice)
        self.cleared = WrapCheckBox("A doctor or physiotherapist has checked me and cleared me "
                                 "to exercise.")
        self.cleared.toggled.connect(lambda on: self.doctor_next.setEnabled(on))
        layout.addWidget(self.cleared)
        layout.addStretch(1)
        self.not_now = QPushButton("Not now")
        self.not_now.clicked.connect(
            lambda: self.sig_not_now.emit(Screening(self.answers, False)))
        self.doctor_next = QPushButton("I have been cleared: continue")
        self.doctor_next.setEnabled(False)
        self.doctor_next.clicked.connect(
            lambda: self.pages.setCurrentWidget(self.checklist_page))
        return self._page("See a doctor first", body, [self.not_now, self.doctor_next])

    def _checklist_page(self) -> QWidget:
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(plain_label("Tick each one that is true for you.", wrap=True))
        self.checks: dict[str, WrapCheckBox] = {}
        for item in self.safety.checklist:
            box = WrapCheckBox(mnemonic_safe(item.text))
            box.toggled.connect(self._on_checked)
            layout.addWidget(box)
            self.checks[item.id] = box
        self.checklist_note = plain_label("", wrap=True, name="checklist_note")
        layout.addWidget(self.checklist_note)
        layout.addStretch(1)
        self.checklist_next = QPushButton("Continue to your plan")
        self.checklist_next.setDefault(True)
        self.checklist_next.clicked.connect(self._on_checklist_done)
        self._on_checked()
        return self._page("Before you start", body, [self.checklist_next])

    # --- Handlers ----------------------------------------------------------------------

    def _on_flag_answered(self, *_args) -> None:
        answered = all(g.checkedId() != -1 for g in self.flag_groups.values())
        self.flags_next.setEnabled(answered)

    def _on_flags_done(self) -> None:
        self.answers = tuple(fid for fid, g in self.flag_groups.items() if g.checkedId() == 1)
        found = verdict(self.safety, self.answers)
        if found is Verdict.EMERGENCY:
            # No tick, no "a doctor has cleared me": the app locks and says what to do.
            self.sig_emergency.emit(Screening(self.answers, False))
            return
        if found is Verdict.CLEAR:
            self.pages.setCurrentWidget(self.checklist_page)
            return
        advice = [f"\u26a0 {flag.advice}" for flag in self.safety.red_flags
                  if flag.id in self.answers]
        self.doctor_advice.setText("You answered yes to something that needs a doctor's "
                                   "check before exercise.\n\n" + "\n\n".join(advice) +
                                   "\n\nThe program starts once a doctor has cleared you.")
        self.cleared.setChecked(False)
        self.pages.setCurrentWidget(self.doctor_page)

    def _on_checked(self, *_args) -> None:
        missing = [box for box in self.checks.values() if not box.isChecked()]
        self.checklist_next.setEnabled(not missing)
        self.checklist_note.setText(
            "" if not missing else "Each of these matters for exercising safely at home. "
            "When one is not true yet, sort it out first: you can come back any time.")

    def _on_checklist_done(self) -> None:
        self.sig_screened.emit(Screening(self.answers, bool(self.answers)))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            page = self.pages.currentWidget()
            for button in page.findChildren(QPushButton):
                if button.isDefault() and button.isEnabled():
                    button.click()
                    return
        super().keyPressEvent(event)
