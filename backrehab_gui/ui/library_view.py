"""The exercise library: find an exercise, read how to do it well, and what to avoid.

A search box and a category filter above a list on the left; on the right the
chosen exercise (drawings, dose, numbered steps, key cue, tip, why it helps,
when to stop, caution, easier and harder variants), or the list of things to
avoid with the safer exercises to do instead.

Everything from the routine files is shown as plain text, never as markup.
Text sizes are multiples of the widget's own font, so the view follows the
application font and the person's accessibility settings. Every action has a
key: Ctrl+F finds, arrows move through the list, Tab reaches each button and
Enter presses it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import model as m
from ..core.dose_text import describe, origin
from ..core.loading import Library
from ..core.swaps import WORDS, moves
from ..core.wording import plural
from .flow_layout import FlowLayout
from .plain import mnemonic_safe, plain_label
from .widgets import Illustration, WrapList

CATEGORY_WORDS = {
    m.Category.CORE: "Core",
    m.Category.GLUTES: "Glutes",
    m.Category.BACK: "Back",
    m.Category.UPPER_BACK: "Upper back",
    m.Category.MOBILITY: "Mobility",
    m.Category.STRETCH: "Stretch",
    m.Category.BREATHING: "Breathing",
    m.Category.CARDIO: "Cardio",
    m.Category.LEGS: "Legs",
}
POSITION_WORDS = {
    m.Position.ON_BACK: "Lying on your back",
    m.Position.ON_FRONT: "Lying on your front",
    m.Position.ON_SIDE: "Lying on your side",
    m.Position.ALL_FOURS: "On hands and knees",
    m.Position.KNEELING: "Kneeling",
    m.Position.HALF_KNEELING: "Half kneeling",
    m.Position.SITTING: "Sitting",
    m.Position.STANDING: "Standing",
}

# Symbols every bundled font has; each goes with a word, never alone.
CAUTION_SYMBOL = "\u26a0"
AVOID_SYMBOL = "\u2717"
EASIER_SYMBOL = "\u25c0"
HARDER_SYMBOL = "\u25b6"

_STYLE = """
QFrame#key_cue_box { border-left: 4px solid palette(highlight);
                     background: palette(alternate-base); border-radius: 4px; }
QFrame#caution_box, QFrame#avoid_note { border: 2px solid #e0a100; border-radius: 6px;
                                        background: rgba(255, 193, 7, 0.12); }
QFrame#avoid_entry { border: 1px solid palette(mid); border-radius: 6px; }
"""


def category_words(category: m.Category) -> str:
    return CATEGORY_WORDS.get(category, category.value.replace("-", " ").capitalize())


def position_words(position: m.Position) -> str:
    return POSITION_WORDS.get(position, position.value.replace("-", " ").capitalize())


def scaled_font(base: QFont, factor: float = 1.0, *, bold: bool = False) -> QFont:
    """``base`` made ``factor`` times larger, whether it is sized in points or pixels."""
    font = QFont(base)
    if base.pointSizeF() > 0:
        font.setPointSizeF(base.pointSizeF() * factor)
    elif base.pixelSize() > 0:
        font.setPixelSize(max(1, round(base.pixelSize() * factor)))
    font.setBold(bold)
    return font


def search_text(exercise: m.Exercise) -> str:
    """Everything a search looks through: name, category, position, equipment, all text."""
    parts = [exercise.name, exercise.id.replace("-", " "), category_words(exercise.category),
             exercise.category.value, position_words(exercise.position),
             exercise.position.value.replace("-", " "), *exercise.equipment, *exercise.steps,
             exercise.key_cue, exercise.tip or "", exercise.why, *exercise.stop_if,
             exercise.caution or ""]
    return "\n".join(parts).casefold()


def matches(haystack: str, query: str) -> bool:
    """Every word of the query starts a word somewhere in the haystack ("band" finds
    "band" and "bands", not "husband")."""
    return all(re.search(r"(?<!\w)" + re.escape(word), haystack)
               for word in query.casefold().split())


class ExerciseDetail(QWidget):
    """Everything about one exercise, for reading before doing it."""

    def __init__(self, exercise: m.Exercise, library: Library, base: QFont, *,
                 on_select: Callable[[str], None], on_try: Callable[[str], None] | None,
                 sensitive: frozenset[m.SpineMove] = frozenset(),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exercise = exercise
        self.swap_note: QFrame | None = None
        self.variant_buttons: dict[str, QPushButton] = {}
        self.instead_buttons: dict[str, QPushButton] = {}
        self.steps: list[QLabel] = []
        self.stop_if: list[QLabel] = []
        self.caution: QFrame | None = None
        self.caution_text: QLabel | None = None
        self.avoid_note: QFrame | None = None
        self.pictures: list[Illustration] = []
        self.try_button: QPushButton | None = None
        self._base = base
        self._on_select = on_select
        line = max(1, self.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(line, line // 2, line, line)
        layout.setSpacing(max(4, line // 2))

        self.name = self._label(exercise.name, "exercise_name", 1.7, bold=True)
        title = QHBoxLayout()
        title.addWidget(self.name, 1)
        if on_try is not None:
            self.try_button = self._button(f"{HARDER_SYMBOL} Try this exercise",
                                           f"Try {exercise.name} on its own",
                                           lambda: on_try(exercise.id))
            title.addWidget(self.try_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(title)
        meta = [category_words(exercise.category), position_words(exercise.position)]
        meta.append("Needs: " + ", ".join(exercise.equipment) if exercise.equipment
                    else "No equipment")
        self.meta = self._label("   \u00b7   ".join(meta), "meta")
        layout.addWidget(self.meta)

        move = moves(exercise, sensitive)
        if move is not None and exercise.neutral_instead in library.exercises:
            instead = library.exercises[exercise.neutral_instead].name
            self.swap_note, _text = self._notice(
                "swap_box", f"{CAUTION_SYMBOL} Swapped in your program",
                f"You said {WORDS[move]} makes your pain worse, and this exercise does "
                f"that. Your program does {instead} instead. You can change your answer "
                "under Today → Change plan.")
            layout.addWidget(self.swap_note)
        if exercise.caution:
            self.caution, self.caution_text = self._notice(
                "caution_box", f"{CAUTION_SYMBOL} Caution", exercise.caution)
            layout.addWidget(self.caution)
        covering = [a for a in (library.safety.avoid if library.safety else ())
                    if exercise.id in a.covers]
        if covering:
            layout.addWidget(self._avoid_note(covering, library))

        images = library.images.get(exercise.id)
        if images:
            layout.addLayout(self._pictures(images, line))

        self.dose = self._label(f"Usual dose: {describe(exercise.dose)}", "dose", 1.1, bold=True)
        layout.addWidget(self.dose)
        self.dose_origin = self._label(origin(exercise.dose, library.sources), "dose_origin")
        layout.addWidget(self.dose_origin)
        box = QFrame()
        box.setObjectName("key_cue_box")
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(line, line // 2, line, line // 2)
        box_layout.addWidget(self._label("Key cue", "key_cue_heading", bold=True))
        self.key_cue = self._label(exercise.key_cue, "key_cue", 1.15)
        box_layout.addWidget(self.key_cue)
        layout.addWidget(box)

        layout.addWidget(self._heading("How to do it"))
        steps = QGridLayout()
        steps.setHorizontalSpacing(line // 2)
        for row, step in enumerate(exercise.steps):
            number = self._label(f"{row + 1}.", f"step_number_{row + 1}", wrap=False)
            number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label = self._label(step, f"step_{row + 1}")
            self.steps.append(label)
            steps.addWidget(number, row, 0)
            steps.addWidget(label, row, 1)
        steps.setColumnStretch(1, 1)
        layout.addLayout(steps)

        self.tip = None
        if exercise.tip:
            layout.addWidget(self._heading("Tip"))
            self.tip = self._label(exercise.tip, "tip")
            layout.addWidget(self.tip)
        layout.addWidget(self._heading("Why it helps"))
        self.why = self._label(exercise.why, "why")
        layout.addWidget(self.why)
        if exercise.stop_if:
            layout.addWidget(self._heading("Stop if"))
            for number, sign in enumerate(exercise.stop_if, start=1):
                label = self._label(f"\u2022  {sign}", f"stop_if_{number}")
                label.setAccessibleName(sign)  # the words without the bullet
                self.stop_if.append(label)
                layout.addWidget(label)

        variants = [(ident, "easier") for ident in exercise.easier] + \
                   [(ident, "harder") for ident in exercise.harder]
        variants = [(i, kind) for i, kind in variants if i in library.exercises]
        if variants:
            layout.addWidget(self._heading("Variants"))
            row_layout = FlowLayout()
            for ident, kind in variants:
                name = library.exercises[ident].name
                text = (f"{EASIER_SYMBOL} Easier: {name}" if kind == "easier"
                        else f"Harder: {name} {HARDER_SYMBOL}")
                button = self._button(text, f"{kind.capitalize()} variant: {name}",
                                      lambda _=False, i=ident: self._on_select(i))
                self.variant_buttons[ident] = button
                row_layout.addWidget(button)
            layout.addLayout(row_layout)
        layout.addStretch(1)

    # --- Pieces ------------------------------------------------------------------------

    def _label(self, text: str, name: str, factor: float = 1.0, *, bold: bool = False,
               wrap: bool = True) -> QLabel:
        label = plain_label(text, wrap=wrap, name=name)
        label.setFont(scaled_font(self._base, factor, bold=bold))
        if wrap:
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        return label

    def _heading(self, text: str) -> QLabel:
        label = self._label(text, "section_heading", 1.2, bold=True)
        label.setAccessibleName(text)
        return label

    def _button(self, text: str, accessible: str, handler: Callable[[], None]) -> QPushButton:
        button = QPushButton(mnemonic_safe(text))
        button.setAccessibleName(accessible)
        button.setFont(scaled_font(self._base))
        button.setAutoDefault(True)  # Enter presses it, not only Space
        button.clicked.connect(handler)
        return button

    def _notice(self, name: str, title: str, text: str) -> tuple[QFrame, QLabel]:
        frame = QFrame()
        frame.setObjectName(name)
        frame.setAccessibleName(title.split(" ", 1)[-1])
        line = max(1, self.fontMetrics().lineSpacing())
        box = QVBoxLayout(frame)
        box.setContentsMargins(line, line // 2, line, line // 2)
        box.addWidget(self._label(title, f"{name}_title", 1.1, bold=True))
        body = self._label(text, f"{name}_text")
        box.addWidget(body)
        return frame, body

    def _avoid_note(self, covering: list[m.Avoid], library: Library) -> QFrame:
        frame = QFrame()
        frame.setObjectName("avoid_note")
        frame.setAccessibleName("Left out of the program")
        line = max(1, self.fontMetrics().lineSpacing())
        box = QVBoxLayout(frame)
        box.setContentsMargins(line, line // 2, line, line // 2)
        box.addWidget(self._label(f"{AVOID_SYMBOL} Left out of the program", "avoid_note_title",
                                  1.1, bold=True))
        for avoid in covering:
            box.addWidget(self._label(f"{avoid.name}: {avoid.why}", "avoid_note_why"))
            if avoid.instead_text:
                box.addWidget(self._label(f"Instead: {avoid.instead_text}", "avoid_note_instead"))
            buttons = FlowLayout()
            present = [i for i in avoid.instead if i in library.exercises]
            if present:
                buttons.addWidget(self._label("Do instead:", "avoid_note_do", wrap=False))
            for ident in present:
                name = library.exercises[ident].name
                button = self._button(f"{name} {HARDER_SYMBOL}", f"Instead: {name}",
                                      lambda _=False, i=ident: self._on_select(i))
                self.instead_buttons[ident] = button
                buttons.addWidget(button)
            box.addLayout(buttons)
        self.avoid_note = frame
        return frame

    def _pictures(self, images: tuple[Path, Path | None], line: int) -> FlowLayout:
        """The start and end drawings side by side, or one above the other when the
        detail is too narrow for both (``_fit_pictures`` sizes them)."""
        row = FlowLayout()
        start, end = images
        shown = [(start, "Start")] + ([(end, "End")] if end else [])
        for path, caption in shown:
            picture = Illustration()
            picture.show_image(path, description=f"{self.exercise.name}: {caption.lower()} "
                                                 "position")
            if not picture.has_image:
                continue
            self.pictures.append(picture)
            holder = QWidget()
            column = QVBoxLayout(holder)
            column.setContentsMargins(0, 0, 0, 0)
            column.addWidget(picture)
            if len(shown) > 1:
                label = self._label(caption, "picture_caption", wrap=False)
                label.setAlignment(Qt.AlignmentFlag.AlignCenter)
                column.addWidget(label)
            row.addWidget(holder)
        self._fit_pictures(line * 20)
        return row

    def _fit_pictures(self, width: int) -> None:
        """Each drawing nine lines high, as wide as its shape asks, never wider than the
        detail (a wide drawing in a narrow window or at large text scrolled sideways)."""
        line = max(1, self.fontMetrics().lineSpacing())
        margins = self.layout().contentsMargins() if self.layout() else None
        room = max(width - (margins.left() + margins.right() if margins else 0), line * 4)
        for picture in self.pictures:
            size = picture.natural_size()
            aspect = size.width() / size.height() if size.height() > 0 else 1.0
            aspect = min(max(aspect, 0.5), 2.5)
            height = min(line * 9, int(room / aspect))
            picture.setFixedSize(round(height * aspect), height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit_pictures(self.width())


class AvoidList(QWidget):
    """Each thing to avoid, why, and the library exercises to do instead."""

    def __init__(self, safety: m.Safety | None, library: Library, base: QFont, *,
                 on_select: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.instead_buttons: dict[str, list[QPushButton]] = {}
        self.entries: dict[str, QFrame] = {}
        line = max(1, self.fontMetrics().lineSpacing())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(line, line // 2, line, line)
        layout.setSpacing(max(4, line // 2))

        def label(text: str, name: str, factor: float = 1.0, bold: bool = False,
                  wrap: bool = True) -> QLabel:
            widget = plain_label(text, wrap=wrap, name=name)
            widget.setFont(scaled_font(base, factor, bold=bold))
            if wrap:
                widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            return widget

        self.heading = label("What to avoid, and what to do instead", "avoid_heading", 1.7,
                             bold=True)
        layout.addWidget(self.heading)
        layout.addWidget(label("These can make a sore lower back worse. Each comes with safer "
                               "choices; choose one to read how to do it.", "avoid_intro"))
        for avoid in safety.avoid if safety else ():
            frame = QFrame()
            frame.setObjectName("avoid_entry")
            frame.setAccessibleName(f"Avoid: {avoid.name}")
            box = QVBoxLayout(frame)
            box.setContentsMargins(line, line // 2, line, line // 2)
            box.addWidget(label(f"{AVOID_SYMBOL} Avoid: {avoid.name}", "avoid_name", 1.15,
                                bold=True))
            box.addWidget(label(avoid.why, "avoid_why"))
            if avoid.instead_text:
                box.addWidget(label(f"Instead: {avoid.instead_text}", "avoid_instead_text"))
            present = [i for i in avoid.instead if i in library.exercises]
            buttons: list[QPushButton] = []
            if present:
                row = FlowLayout()
                row.addWidget(label("Do instead:", "avoid_do_instead", bold=True, wrap=False))
                for ident in present:
                    name = library.exercises[ident].name
                    button = QPushButton(mnemonic_safe(f"{name} {HARDER_SYMBOL}"))
                    button.setAccessibleName(f"Instead of {avoid.name}: {name}")
                    button.setFont(scaled_font(base))
                    button.setAutoDefault(True)
                    button.clicked.connect(lambda _=False, i=ident: on_select(i))
                    buttons.append(button)
                    row.addWidget(button)
                box.addLayout(row)
            self.instead_buttons[avoid.id] = buttons
            self.entries[avoid.id] = frame
            layout.addWidget(frame)
        if not self.entries:
            layout.addWidget(label("The routine files list nothing to avoid.", "avoid_none"))
        layout.addStretch(1)


class LibraryView(QWidget):
    """Browse and search the exercise library; read any exercise; see what to avoid."""

    sig_try = Signal(str)
    """The person asked to try this exercise (its id) on its own."""

    def __init__(self, library: Library, *, can_try: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.can_try = can_try
        self.sensitive: frozenset[m.SpineMove] = frozenset()
        self.detail: ExerciseDetail | None = None
        self.avoid_list: AvoidList | None = None
        self._haystacks: dict[str, str] = {}
        self._font_refresh_due = False
        self._arranged = False
        self.setStyleSheet(_STYLE)

        self.heading = plain_label("Exercise library", name="library_heading")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by name, body area, position, equipment or "
                                       "any word  (Ctrl+F)")
        self.search.setAccessibleName("Search exercises")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._on_filter_changed)
        self.search.installEventFilter(self)
        self.category = QComboBox()
        self.category.setAccessibleName("Category")
        self.category.currentIndexChanged.connect(self._on_filter_changed)
        self.count = plain_label("", name="result_count")
        self.listing = WrapList()
        self.listing.setAccessibleName("Exercises")
        self.listing.currentItemChanged.connect(self._on_current)
        self.listing.itemActivated.connect(self._on_activated)
        self.listing.itemClicked.connect(self._on_activated)
        self.empty = plain_label("", wrap=True, name="no_match")
        self.empty.hide()
        # Short, so the list beside the details stays narrow; the page it opens says it all.
        self.avoid_button = QPushButton(f"{AVOID_SYMBOL} What to avoid")
        self.avoid_button.setAccessibleName("What to avoid, and what to do instead")
        self.avoid_button.setAutoDefault(True)
        self.avoid_button.setCheckable(True)
        self.avoid_button.clicked.connect(self._on_avoid_clicked)

        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(self.category, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.count)
        left_layout.addWidget(self.listing, 1)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.avoid_button)

        self.detail_scroll = QScrollArea()
        self.detail_scroll.setWidgetResizable(True)
        self.detail_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.detail_scroll.setAccessibleName("Exercise details")
        self.avoid_scroll = QScrollArea()
        self.avoid_scroll.setWidgetResizable(True)
        self.avoid_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.avoid_scroll.setAccessibleName("What to avoid")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.detail_scroll)
        self.pages.addWidget(self.avoid_scroll)
        self.pages.currentChanged.connect(self._on_page_changed)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self._left = left
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.pages)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.splitter, 1)

        find = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        find.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        find.activated.connect(self.focus_search)
        self.setFocusProxy(self.search)
        self._apply_fonts()
        self.set_library(library)

    # --- Public ------------------------------------------------------------------------

    def set_sensitive(self, sensitive: frozenset[m.SpineMove]) -> None:
        """The movements that hurt this person: their exercises say they are swapped."""
        self.sensitive = frozenset(sensitive)
        self.set_library(self.library)

    def set_library(self, library: Library) -> None:
        """Show ``library`` (after routine files changed); keeps the selection if it can."""
        keep = self.selected_id()
        self.library = library
        self._haystacks = {i: search_text(e) for i, e in library.exercises.items()}
        self.category.blockSignals(True)
        chosen = self.category.currentData()
        self.category.clear()
        self.category.addItem("All categories", None)
        present = {e.category for e in library.exercises.values()}
        for category in m.Category:
            if category in present:
                count = sum(1 for e in library.exercises.values() if e.category is category)
                self.category.addItem(f"{category_words(category)} ({count})", category.value)
        self.category.setCurrentIndex(max(0, self.category.findData(chosen)))
        self.category.blockSignals(False)
        self.listing.blockSignals(True)
        self.listing.clear()
        for exercise in sorted(library.exercises.values(), key=lambda e: e.name.casefold()):
            item = QListWidgetItem(f"{exercise.name}\n{category_words(exercise.category)}"
                                   f"  \u00b7  {position_words(exercise.position)}")
            item.setData(Qt.ItemDataRole.UserRole, exercise.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{exercise.name}, {category_words(exercise.category)}, "
                         f"{position_words(exercise.position)}")
            self.listing.addItem(item)
        self.listing.blockSignals(False)
        self.avoid_button.setVisible(bool(library.safety and library.safety.avoid))
        self._build_avoid_list()
        self._apply_filter()
        if not (keep and self.select(keep, focus_list=False)):
            self._select_first_visible()
        self._show_current()

    def selected_id(self) -> str | None:
        item = self.listing.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def visible_ids(self) -> list[str]:
        return [self.listing.item(r).data(Qt.ItemDataRole.UserRole)
                for r in range(self.listing.count()) if not self.listing.item(r).isHidden()]

    def select(self, exercise_id: str, *, focus_list: bool = True) -> bool:
        """Show this exercise; clears the search and filter if they hide it."""
        item = self._item(exercise_id)
        if item is None:
            return False
        if item.isHidden():
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.category.blockSignals(True)
            self.category.setCurrentIndex(0)
            self.category.blockSignals(False)
            self._apply_filter()
        if self.listing.currentItem() is item:
            self._show_current()
        else:
            self.listing.setCurrentItem(item)
        item.setSelected(True)
        self.listing.scrollToItem(item)
        self.pages.setCurrentWidget(self.detail_scroll)
        if focus_list:
            self.listing.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def show_avoid(self) -> None:
        """Show the list of things to avoid and their safer alternatives."""
        self.pages.setCurrentWidget(self.avoid_scroll)
        self.avoid_scroll.verticalScrollBar().setValue(0)
        # The list keeps its place, but nothing in it looks chosen while this shows.
        self.listing.clearSelection()

    @property
    def showing_avoid(self) -> bool:
        return self.pages.currentWidget() is self.avoid_scroll

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # --- Filtering ---------------------------------------------------------------------

    def _on_filter_changed(self, *_args) -> None:
        self._apply_filter()
        current = self.listing.currentItem()
        if current is None or current.isHidden():
            self._select_first_visible()

    def _apply_filter(self) -> None:
        query = self.search.text().strip()
        category = self.category.currentData()
        shown = 0
        for row in range(self.listing.count()):
            item = self.listing.item(row)
            ident = item.data(Qt.ItemDataRole.UserRole)
            exercise = self.library.exercises[ident]
            visible = (category is None or exercise.category.value == category) and \
                (not query or matches(self._haystacks[ident], query))
            item.setHidden(not visible)
            shown += visible
        self._order(query)
        total = self.listing.count()
        self.count.setText(plural(total, "exercise") if shown == total
                           else f"{shown} of {plural(total, 'exercise')}")
        self.empty.setText(f"No exercise matches \u201c{query}\u201d." if query
                           else "No exercise in this category.")
        self.empty.setVisible(shown == 0)

    def _order(self, query: str) -> None:
        """Exercises whose name matches come first; each group by name."""
        def key(item: QListWidgetItem) -> tuple[bool, str]:
            exercise = self.library.exercises[item.data(Qt.ItemDataRole.UserRole)]
            named = bool(query) and matches(exercise.name.casefold(), query)
            return (not named, exercise.name.casefold())

        items = [self.listing.item(r) for r in range(self.listing.count())]
        wanted = sorted(items, key=key)
        if wanted == items:
            return
        current = self.listing.currentItem()
        self.listing.blockSignals(True)
        hidden = {id(i): i.isHidden() for i in items}
        while self.listing.count():
            self.listing.takeItem(0)
        for item in wanted:
            self.listing.addItem(item)
            item.setHidden(hidden[id(item)])
        if current is not None:
            self.listing.setCurrentItem(current)
        self.listing.blockSignals(False)

    def _select_first_visible(self) -> None:
        for row in range(self.listing.count()):
            if not self.listing.item(row).isHidden():
                self.listing.setCurrentRow(row)
                return
        self.listing.setCurrentItem(None)

    def _item(self, exercise_id: str) -> QListWidgetItem | None:
        for row in range(self.listing.count()):
            item = self.listing.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == exercise_id:
                return item
        return None

    # --- Showing -----------------------------------------------------------------------

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        self.pages.setCurrentWidget(self.detail_scroll)
        self._show_current()

    def _on_activated(self, item: QListWidgetItem) -> None:
        self.pages.setCurrentWidget(self.detail_scroll)
        item.setSelected(True)

    def _on_avoid_clicked(self, checked: bool) -> None:
        if checked:
            self.show_avoid()
        else:
            self.pages.setCurrentWidget(self.detail_scroll)
            if self.listing.currentItem() is not None:
                self.listing.currentItem().setSelected(True)

    def _on_page_changed(self, _index: int) -> None:
        self.avoid_button.setChecked(self.showing_avoid)

    def _show_current(self) -> None:
        ident = self.selected_id()
        exercise = self.library.exercises.get(ident) if ident else None
        if exercise is None or (self.listing.currentItem() and
                                self.listing.currentItem().isHidden()):
            widget = QWidget()
            box = QVBoxLayout(widget)
            box.addWidget(plain_label("Choose an exercise on the left to read how to do it.",
                                      wrap=True, name="no_exercise"))
            box.addStretch(1)
            self.detail = None
        else:
            widget = ExerciseDetail(exercise, self.library, self.font(),
                                    on_select=self._on_variant,
                                    on_try=self.sig_try.emit if self.can_try else None,
                                    sensitive=self.sensitive)
            self.detail = widget
        self._replace(self.detail_scroll, widget)
        self.detail_scroll.verticalScrollBar().setValue(0)

    def _build_avoid_list(self) -> None:
        self.avoid_list = AvoidList(self.library.safety, self.library, self.font(),
                                    on_select=self._on_variant)
        self._replace(self.avoid_scroll, self.avoid_list)

    @staticmethod
    def _replace(scroll: QScrollArea, widget: QWidget) -> None:
        # The old page may hold the button being clicked right now: delete it later.
        old = scroll.takeWidget()
        if old is not None:
            old.hide()
            old.deleteLater()
        scroll.setWidget(widget)

    def _on_variant(self, exercise_id: str) -> None:
        self.select(exercise_id)

    # --- Fonts and keys ----------------------------------------------------------------

    def _apply_fonts(self) -> None:
        base = self.font()
        self.heading.setFont(scaled_font(base, 1.6, bold=True))
        item_font = scaled_font(base, 1.05)
        self.listing.setFont(item_font)
        spacing = max(2, self.fontMetrics().lineSpacing() // 3)
        self.listing.setSpacing(spacing)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange and hasattr(self, "library") and \
                not self._font_refresh_due:
            # After the code that changed the font has finished: a theme that rescales
            # every widget's own font by its ratio must see the old pages, not new ones
            # already built at the new size (which it would scale a second time).
            self._font_refresh_due = True
            QTimer.singleShot(0, self, self._on_font_changed)
        super().changeEvent(event)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._arrange()

    def _arrange(self) -> None:
        """The list beside the details when both have room, else above them: details
        squeezed beside a list at large text scrolled sideways."""
        line = self.fontMetrics().height()
        wide = self._left.minimumSizeHint().width() + line * 30
        orientation = Qt.Orientation.Horizontal if self.width() >= wide \
            else Qt.Orientation.Vertical
        if orientation == self.splitter.orientation() and self._arranged:
            return  # keep the sizes the person dragged the divider to
        self._arranged = True
        self.splitter.setOrientation(orientation)
        if orientation == Qt.Orientation.Horizontal:
            left = max(self._left.minimumSizeHint().width(),
                       min(line * 18, int(self.width() * 0.35)))
            self.splitter.setSizes([left, max(self.width() - left, 1)])
        else:
            height = self.splitter.height()
            self.splitter.setSizes([int(height * 0.4), height - int(height * 0.4)])

    def _on_font_changed(self) -> None:
        self._font_refresh_due = False
        self._arrange()
        self._apply_fonts()
        self._build_avoid_list()
        self._show_current()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if self.listing.currentItem() is None or self.listing.currentItem().isHidden():
                    self._select_first_visible()
                self.listing.setFocus(Qt.FocusReason.OtherFocusReason)
                return True
            if key == Qt.Key.Key_Escape and self.search.text():
                self.search.clear()
                return True
        return super().eventFilter(watched, event)
