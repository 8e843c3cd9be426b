"""Pick exercises from the library: search by any word, see each one's drawing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QImageReader, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from ...core import model as m
from ...core.dose_text import describe
from ...core.loading import Library
from ..library_view import category_words, matches, search_text

ICON = 56


def drawing_icon(path: Path | None, size: int = ICON) -> QIcon:
    """An exercise drawing as a small icon (blank when there is none or it cannot be read)."""
    key = (path, size)
    if key not in _ICONS:
        _ICONS[key] = _render_icon(path, size)
    return _ICONS[key]


_ICONS: dict[tuple[Path | None, int], QIcon] = {}
"""Drawings do not change while the app runs; each is drawn once per size."""


def _render_icon(path: Path | None, size: int) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("white"))
    if path is not None:
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if path.suffix.lower() == ".svg":
            renderer = QSvgRenderer(str(path))
            if renderer.isValid():
                renderer.setAspectRatioMode(Qt.AspectRatioMode.KeepAspectRatio)
                renderer.render(painter)
        else:
            reader = QImageReader(str(path))
            reader.setAutoTransform(True)
            image = reader.read()
            if not image.isNull():
                image = image.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                     Qt.TransformationMode.SmoothTransformation)
                painter.drawImage((size - image.width()) // 2, (size - image.height()) // 2,
                                  image)
        painter.end()
    return QIcon(pixmap)


class ExercisePicker(QWidget):
    """A search box over the exercise list; Enter or a double-click adds the exercise."""

    sig_add = Signal(str)
    """Add the exercise with this id to the routine."""

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("exercise_search")
        self.search.setAccessibleName("search the exercises")
        self.search.setPlaceholderText("Search exercises: name, position, equipment\u2026")
        self.search.setClearButtonEnabled(True)
        self.listing = QListWidget()
        self.listing.setObjectName("exercise_choices")
        self.listing.setAccessibleName("exercises to add")
        self.listing.setIconSize(QSize(ICON, ICON))
        self.listing.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.listing, 1)
        self.search.textChanged.connect(self._on_search)
        self.search.returnPressed.connect(self._on_search_enter)
        self.listing.itemActivated.connect(
            lambda item: self.sig_add.emit(item.data(Qt.ItemDataRole.UserRole)))
        self._haystacks: dict[str, str] = {}
        self.set_library(library)

    def set_library(self, library: Library) -> None:
        self.library = library
        self.listing.clear()
        self._haystacks = {}
        for exercise in sorted(library.exercises.values(), key=lambda e: e.name.casefold()):
            self._add_row(exercise, library.images.get(exercise.id, (None, None))[0])
        self._on_search(self.search.text())

    def _add_row(self, exercise: m.Exercise, image: Path | None) -> None:
        item = QListWidgetItem(drawing_icon(image),
                               f"{exercise.name}\n{category_words(exercise.category)} \u00b7 "
                               f"{describe(exercise.dose)}")
        item.setData(Qt.ItemDataRole.UserRole, exercise.id)
        item.setToolTip(exercise.key_cue)
        self.listing.addItem(item)
        self._haystacks[exercise.id] = search_text(exercise)

    def visible_ids(self) -> list[str]:
        return [self.listing.item(i).data(Qt.ItemDataRole.UserRole)
                for i in range(self.listing.count()) if not self.listing.item(i).isHidden()]

    def _on_search(self, text: str) -> None:
        first = by_name = None
        for i in range(self.listing.count()):
            item = self.listing.item(i)
            ident = item.data(Qt.ItemDataRole.UserRole)
            shown = matches(self._haystacks[ident], text)
            item.setHidden(not shown)
            if shown and first is None:
                first = item
            if shown and by_name is None and text.strip() and matches(
                    self.library.exercises[ident].name.casefold(), text):
                by_name = item
        # Enter adds the best match: one whose name has the words, before one whose steps do.
        best = by_name or first
        if best is not None and (text.strip() or self.listing.currentItem() is None
                                 or self.listing.currentItem().isHidden()):
            self.listing.setCurrentItem(best)

    def _on_search_enter(self) -> None:
        item = self.listing.currentItem()
        if item is not None and not item.isHidden():
            self.sig_add.emit(item.data(Qt.ItemDataRole.UserRole))
