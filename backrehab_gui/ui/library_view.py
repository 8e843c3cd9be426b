"""The exercise library: find an exercise, read how to do it well, and what to avoid.

A search box and a category filter above a list on the left; on the right the
chosen exercise (drawings, dose, numbered steps, key cue, tip, why it helps,
when to stop, caution, easier and harder variants), or the list of things to
avoid with the safer exercises to do instead (both in ``exercise_detail``).

Everything from the routine files is shown as plain text, never as markup.
Text sizes are multiples of the widget's own font, so the view follows the
application font and the person's accessibility settings. Every action has a
key: Ctrl+F finds, arrows move through the list, Tab reaches each button and
Enter presses it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..core import model as m
from ..core.loading import Library
from ..core.wording import plural
from .exercise_detail import AVOID_SYMBOL, STYLE, AvoidList, ExerciseDetail, scaled_font
from .exercise_words import category_words, matches, position_words, search_text
from .plain import plain_label
from .widgets import WrapList


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
        self.setStyleSheet(STYLE)

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
