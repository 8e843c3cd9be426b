"""The questionnaires as the app asks them, each a screen in the Today view: PEG (three
0-10 ratings about the past week) and the PSFS (3 to 5 activities the person names, each
rated 0-10). Keyboard first: a number key answers the question in focus and moves on
(T is 10), Tab moves between questions, Enter saves, Esc skips.

Scoring and the rules of when to ask are in ``core.measures``; ``measure_prompts``
decides when these screens appear and stores what they give.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import measures as ms
from .folding import page_scroll
from .pain_scale import Scale
from .plain import plain_label
from .safety_screens import heading

PEG_WORDS = tuple(q.split(" (")[0] for q in ms.PEG_QUESTIONS)
"""The three PEG questions in their published words; their anchors are the scale's ends."""
PEG_ENDS = (("no pain", "pain as bad as you can imagine"),
            ("does not interfere", "completely interferes"),
            ("does not interfere", "completely interferes"))
PSFS_ENDS = ("unable to do it", "as well as before the problem")
KEYS = "Press 0 to 9 for each question (T for 10), or click a number."
_Role = QPalette.ColorRole


class Rating(Scale):
    """A 0-10 scale for a form of several: the scale itself takes the focus (its eleven
    buttons are for the mouse), shows a frame when it has it, and says its answer to
    screen readers."""

    def __init__(self, question: str, ends: tuple[str, str], description: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(question, ends, parent=parent)
        self.skip_button.hide()      # the whole form is skipped, not one question
        font = QFont(self.question.font())
        font.setPointSizeF(font.pointSizeF() / 1.6 * 1.15)
        self.question.setFont(font)
        for button in self.buttons:
            # Not checkable: the high-contrast style draws a checked button dithered,
            # which hides its number; the answer is marked in colour and bold instead.
            button.setCheckable(False)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setMinimumHeight(40)
        self.setAccessibleName(question)
        self.setAccessibleDescription(description or "not answered yet")
        self.sig_chosen.connect(self._on_chosen)

    def _on_chosen(self, value: int | None) -> None:
        if value is not None:
            self.setAccessibleDescription(f"Answered {value} out of 10")
        self._mark()

    def _mark(self) -> None:
        """A checked button is barely darker in most styles: the answer is drawn in the
        theme's highlight colours, in bold, so it shows at a glance. Flat, from a style
        sheet made from the current palette (and made again when the theme changes):
        Fusion lightens and greys a button colour given in a palette, and white on that
        paler highlight was too faint (3:1)."""
        mine = self.palette()
        ground = mine.color(_Role.Highlight)
        ink = mine.color(_Role.HighlightedText)
        edge = mine.color(_Role.WindowText)
        chosen_sheet = (f"QPushButton {{ background: {ground.name()}; color: {ink.name()}; "
                        f"border: 2px solid {edge.name()}; border-radius: 4px; "
                        "font-weight: bold; }")
        for number, button in enumerate(self.buttons):
            sheet = chosen_sheet if number == self.value else ""
            if button.styleSheet() != sheet:
                button.setStyleSheet(sheet)

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._mark()        # the theme changed: the answer takes its new colours

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        # Esc is the form's (it skips the whole questionnaire); S is no key here, since
        # skipping one question of several is not possible.
        if event.key() in (Qt.Key.Key_Escape, Qt.Key.Key_S):
            event.ignore()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusInEvent(event)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().focusOutEvent(event)
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.hasFocus():
            painter = QPainter(self)
            pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 3)
            painter.setPen(pen)
            painter.drawRoundedRect(QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5), 6, 6)


class _Questionnaire(QWidget):
    """What both screens share: a heading, a lead, the questions, Save and Skip."""

    sig_skipped = Signal()
    """The person chose not to answer now (the Skip button, or Esc)."""

    def __init__(self, title: str, lead: str, skip_text: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setSpacing(10)
        self.title = heading(title, 1.4)
        self.layout_.addWidget(self.title)
        self.lead = plain_label(lead, wrap=True, name="measure_lead")
        self.layout_.addWidget(self.lead)
        self.problem = plain_label("", wrap=True, name="problem")
        self.problem.setStyleSheet("font-weight: bold;")
        self.problem.hide()
        self.save = QPushButton("Save  [Enter]")
        self.save.setObjectName("measure_save")
        self.save.setAccessibleName("Save the answers")
        self.skip = QPushButton(f"{skip_text}  [Esc]")
        self.skip.setObjectName("measure_skip")
        self.skip.setAccessibleName(skip_text)
        self.skip.clicked.connect(self.sig_skipped.emit)
        for button in (self.save, self.skip):
            button.setMinimumHeight(44)
            button.setAutoDefault(False)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.skip)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.save)

    def finish_layout(self) -> None:
        self.layout_.addWidget(self.problem)
        self.layout_.addLayout(self.buttons)

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    @staticmethod
    def _chain(ratings: list[Rating], last: QWidget) -> None:
        """A number answers the question in focus, then the focus moves to the next."""
        for i, rating in enumerate(ratings):
            after = ratings[i + 1] if i + 1 < len(ratings) else last

            def moved(value, after=after) -> None:
                if value is not None:
                    after.setFocus()
            rating.sig_chosen.connect(moved)

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.sig_skipped.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.save.isEnabled():
            self.save.click()
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class PegScreen(_Questionnaire):
    """The three PEG questions about the past week."""

    sig_answered = Signal(object)
    """(pain, enjoyment, activity), each 0-10."""

    def __init__(self, step: str = "", skip_text: str = "Skip this week",
                 parent: QWidget | None = None) -> None:
        super().__init__(
            f"How has your back been this past week?{step}",
            "Three quick questions, once a week: how much pain you had, and how much it got "
            "in the way. Your answers are charted in History and go on the report for your "
            f"therapist. {KEYS}", skip_text, parent)
        self.setObjectName("peg_screen")
        self.ratings = [Rating(q, ends, full) for q, ends, full
                        in zip(PEG_WORDS, PEG_ENDS, ms.PEG_QUESTIONS)]
        content = QWidget()
        box = QVBoxLayout(content)
        box.setContentsMargins(0, 0, 0, 0)
        for rating in self.ratings:
            box.addWidget(rating)
            rating.sig_chosen.connect(self._on_chosen)
        box.addStretch(1)
        self.layout_.addWidget(page_scroll(content), 1)
        self.finish_layout()
        self._chain(self.ratings, self.save)
        self.save.clicked.connect(self._on_save)
        self._on_chosen()

    def start(self) -> None:
        """Put the focus on the first question (once shown)."""
        self.ratings[0].setFocus()

    def values(self) -> tuple[int | None, ...]:
        return tuple(r.value for r in self.ratings)

    def _on_chosen(self, *_args) -> None:
        self.save.setEnabled(None not in self.values())

    def _on_save(self) -> None:
        values = self.values()
        if None in values:
            self.show_problem("Answer all three questions, or skip them for this week.")
            return
        self.sig_answered.emit(values)


class PsfsScreen(_Questionnaire):
    """The PSFS: name 3 to 5 activities (the first time), then rate each 0-10. Given the
    activities named before, only the rating page shows: the same activities are
    re-rated every two weeks."""

    sig_answered = Signal(object)
    """(activities, ratings): two tuples of the same length."""

    def __init__(self, activities: tuple[str, ...] = (), step: str = "",
                 skip_text: str = "Skip for now", parent: QWidget | None = None) -> None:
        naming = not activities
        super().__init__("", "", skip_text, parent)
        self.step = step
        self.naming = naming
        self.setObjectName("psfs_screen")
        self.activities: tuple[str, ...] = tuple(activities)
        self.pages = QStackedWidget()
        self.names: list[QLineEdit] = []
        self.ratings: list[Rating] = []
        self._rating_box = QVBoxLayout()
        self.back = QPushButton("\u2039 Change the activities")
        self.back.setAutoDefault(False)
        self.back.setMinimumHeight(44)
        self.back.clicked.connect(self._on_back)
        self.back.setVisible(False)
        self.next = QPushButton("Next: rate them  [Enter]")
        self.next.setObjectName("psfs_next")
        self.next.setAccessibleName("Next: rate the activities")
        self.next.setAutoDefault(False)
        self.next.setMinimumHeight(44)
        self.next.clicked.connect(self._on_next)
        self.pages.addWidget(page_scroll(self._naming_page()))
        rate = QWidget()
        rate_box = QVBoxLayout(rate)
        rate_box.setContentsMargins(0, 0, 0, 0)
        rate_box.addLayout(self._rating_box)
        rate_box.addStretch(1)
        self.pages.addWidget(page_scroll(rate))
        self.layout_.addWidget(self.pages, 1)
        self.buttons.insertWidget(1, self.back)
        self.buttons.addWidget(self.next)
        self.finish_layout()
        self.save.clicked.connect(self._on_save)
        if naming:
            self._show_naming()
        else:
            self._show_rating()

    def _naming_page(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.setContentsMargins(0, 0, 0, 0)
        examples = ("putting on socks", "sitting through a film", "lifting a shopping bag",
                    "", "")
        for i in range(ms.PSFS_MAX):
            required = i < ms.PSFS_MIN
            label = plain_label(f"Activity {i + 1}" + ("" if required else " (if you like)"))
            edit = QLineEdit(self.activities[i] if i < len(self.activities) else "")
            edit.setMaxLength(80)
            edit.setAccessibleName(label.text())
            if examples[i]:
                edit.setPlaceholderText(f"for example: {examples[i]}")
            label.setBuddy(edit)
            grid.addWidget(label, i, 0)
            grid.addWidget(edit, i, 1)
            self.names.append(edit)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(ms.PSFS_MAX, 1)
        return page

    def _show_naming(self) -> None:
        self.title.setText(f"Which everyday activities are hard because of your back?{self.step}")
        self.lead.setText(
            f"Name {ms.PSFS_MIN} to {ms.PSFS_MAX} everyday activities that you find hard, or "
            "cannot do, because of your back. You rate them now and again every two weeks, "
            "so you and your therapist can see them get easier. They are charted in History "
            "and go on the report.")
        self.pages.setCurrentIndex(0)
        self.next.show()
        self.save.hide()
        self.back.hide()
        self.show_problem("")

    def _show_rating(self) -> None:
        while self._rating_box.count():
            widget = self._rating_box.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.ratings = [Rating(name, PSFS_ENDS, ms.PSFS_QUESTION) for name in self.activities]
        self.title.setText(f"How able are you to do each activity today?{self.step}")
        for rating in self.ratings:
            self._rating_box.addWidget(rating)
            rating.sig_chosen.connect(self._on_chosen)
        self._chain(self.ratings, self.save)
        self.lead.setText("For each activity: 0 = unable to do it, 10 = able to do it as well as "
                          f"before the problem. {KEYS}")
        self.pages.setCurrentIndex(1)
        self.next.hide()
        self.save.show()
        # Named just now: they can still be changed. Named weeks ago: the same ones are
        # re-rated, so the change can be measured.
        self.back.setVisible(self.naming)
        self.show_problem("")
        self._on_chosen()

    def start(self) -> None:
        """Put the focus on the first field or question (once shown)."""
        if self.pages.currentIndex() == 0:
            self.names[0].setFocus()
        elif self.ratings:
            self.ratings[0].setFocus()

    def _named(self) -> list[str]:
        return [e.text() for e in self.names if e.text().strip()]

    def _on_next(self) -> None:
        if self.pages.currentIndex() != 0:
            return
        try:
            self.activities = ms.activity_names(self._named())
        except ms.MeasureError as err:
            self.show_problem(f"{str(err)[0].upper()}{str(err)[1:]}.")
            return
        self._show_rating()
        self.start()

    def _on_back(self) -> None:
        self._show_naming()
        self.start()

    def _on_chosen(self, *_args) -> None:
        self.save.setEnabled(bool(self.ratings) and None not in self.values())

    def values(self) -> tuple[int | None, ...]:
        return tuple(r.value for r in self.ratings)

    def _on_save(self) -> None:
        values = self.values()
        if not self.ratings or None in values:
            self.show_problem("Rate each activity, or skip for now.")
            return
        self.sig_answered.emit((self.activities, values))

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and \
                self.pages.currentIndex() == 0:
            self._on_next()
            event.accept()
            return
        super().keyPressEvent(event)
