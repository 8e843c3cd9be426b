"""Layouts that fit the window whatever its size and text size: nothing is cut, nothing
scrolls sideways, and a small window or large text scrolls up and down instead.

    page_scroll      a page in a scroll area that scrolls up and down only
    FitColumn        a column as tall as its wrapped words need (inside a splitter)
    FoldingSplitter  panes side by side while they fit, one above the other when not
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtWidgets import QFrame, QScrollArea, QSplitter, QWidget


def page_scroll(page: QWidget, name: str = "") -> QScrollArea:
    """``page`` in a frameless scroll area that scrolls up and down only (its words wrap):
    a short window or large text scrolls it rather than squeezing its lines together.
    It paints no ground of its own: the window's shows through (the player's is dark)."""
    scroll = QScrollArea()
    if name:
        scroll.setObjectName(name)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    scroll.setWidget(page)
    page.setAutoFillBackground(False)
    scroll.viewport().setAutoFillBackground(False)
    return scroll


class FitColumn(QWidget):
    """A column whose minimum height is what its layout needs at its width, wrapped
    words included.

    A QSplitter sizes its panes by their minimum sizes only and never asks a pane for
    its height at its width: a pane holding wrapped labels (or a flow of buttons) was
    given the height of its widest guess, and its layout squeezed the last widgets
    below their minimums (History's questionnaire words lost their last line). This
    column turns its height-for-width into a minimum, which the splitter honours."""

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._keep_height()

    def event(self, event) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.LayoutRequest:
            # A child's words or font changed: what the layout needs may have too.
            self._keep_height()
        return handled

    def _keep_height(self) -> None:
        layout = self.layout()
        if layout is None or self.width() <= 0:
            return
        need = layout.totalMinimumHeightForWidth(self.width()) \
            if layout.hasHeightForWidth() else 0
        if need != self.minimumHeight():
            self.setMinimumHeight(need)


class FoldingSplitter(QSplitter):
    """Panes side by side while their least widths fit, one above the other when the
    window is narrow or the text large (a page around it then scrolls up and down).

    Side by side, a QSplitter cannot be narrower than all its panes at their least
    widths: with three panes a small window could not hold it at 150 %. This one asks
    only for its widest pane and folds when its width falls short. A pane that scrolls
    (a QScrollArea) counts at the least width of what it holds: folded rather than
    scrolled sideways. ``sig_folded`` says which way it went (True: one above the
    other)."""

    sig_folded = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setChildrenCollapsible(False)

    @property
    def folded(self) -> bool:
        return self.orientation() == Qt.Orientation.Vertical

    def least_width(self, pane: QWidget) -> int:
        if isinstance(pane, QScrollArea) and pane.widget() is not None:
            bar = pane.verticalScrollBar().sizeHint().width()
            return pane.widget().minimumSizeHint().width() + bar + 2 * pane.frameWidth()
        return max(pane.minimumSizeHint().width(), pane.minimumWidth())

    def _panes(self) -> list[QWidget]:
        return [self.widget(i) for i in range(self.count()) if not self.widget(i).isHidden()]

    def side_by_side_width(self) -> int:
        panes = self._panes()
        return sum(self.least_width(p) for p in panes) + \
            self.handleWidth() * max(len(panes) - 1, 0)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().minimumSizeHint()
        widest = max((self.least_width(p) for p in self._panes()), default=0)
        return QSize(widest, hint.height())

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.fold()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.fold(told=False)

    def fold(self, told: bool = True) -> None:
        """Side by side or one above the other, whichever the width allows now; tells
        ``sig_folded`` when that changed (or, ``told`` False, in any case: the text size
        changed, and with it the heights kept for the panes)."""
        folded = self.width() < self.side_by_side_width()
        for pane in self._panes():
            if isinstance(pane, QScrollArea):
                # Side by side, a scrolling pane keeps the width of what it holds (the
                # splitter would give it less, and it scrolled sideways).
                pane.setMinimumWidth(0 if folded else self.least_width(pane))
        if folded != self.folded:
            self.setOrientation(Qt.Orientation.Vertical if folded
                                else Qt.Orientation.Horizontal)
            self.updateGeometry()
        elif told:
            return
        self.sig_folded.emit(folded)
