"""The history page's widgets and their arrangement: the month navigation, the calendar
with its legend and a day's sessions on the left, the totals and charts on the right, side
by side when they fit and one above the other when not. ``HistoryLayout`` builds them onto
the view (history_view), which reads the history and fills them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from .flow_layout import FlowLayout
from .folding import FitColumn
from .history_day import DayPanel
from .history_widgets import ChartView, Legend, MonthCalendar
from .measures_chart import MeasuresPanel
from .plain import plain_label

_NO_PROGRAM = ("You have not started a program yet. Once you choose a program and a start "
               "date, your calendar, weekly progress and pain trend appear here.")
_NO_SESSIONS = ("No sessions recorded yet. Each session you do is marked on the calendar, "
                "with your pain scores and progress.")


class _PageScroll(QScrollArea):
    """The history's page scroll: Page Up, Page Down and Home change the month (the view
    handles them), the wheel and the scroll bar scroll."""

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown, Qt.Key.Key_Home):
            event.ignore()
            return
        super().keyPressEvent(event)



class HistoryLayout:
    """The widgets and their arrangement; a mixin for HistoryView, which owns the widgets
    it creates."""

    def _build(self) -> None:
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.pages = QStackedWidget()
        self.no_program = plain_label(_NO_PROGRAM, wrap=True, name="no_program")
        self.no_program.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pages.addWidget(self.no_program)
        main = QWidget()
        self.pages.addWidget(main)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(8, 8, 8, 8)
        outer.addWidget(self.pages)

        self.previous_button = QPushButton("\u2039 Previous")
        self.previous_button.setToolTip("The month before  [Page Up]")
        self.previous_button.setAccessibleName("Previous month")
        self.next_button = QPushButton("Next \u203a")
        self.next_button.setToolTip("The month after  [Page Down]")
        self.next_button.setAccessibleName("Next month")
        self.this_month_button = QPushButton("This month")
        self.this_month_button.setToolTip("Back to this month  [Home]")
        self.month_title = plain_label("", name="month_title")
        title_font = QFont(self.month_title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.month_title.setFont(title_font)
        self.month_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.report_button = QPushButton("Report for your therapist\u2026")
        self.report_button.setToolTip("Save your history as a PDF to show a physical therapist")
        nav = FlowLayout()
        for widget in (self.previous_button, self.month_title, self.next_button,
                       self.this_month_button, self.report_button):
            nav.addWidget(widget)

        self.notice = plain_label("", wrap=True, name="history_notice")
        self.notice.hide()
        self.empty_notice = plain_label(_NO_SESSIONS, wrap=True, name="no_sessions")
        self.empty_notice.hide()
        self.month_calendar = MonthCalendar()
        self.legend = Legend()
        self.day_panel = DayPanel()

        self.left = FitColumn()
        left_box = QVBoxLayout(self.left)
        left_box.setContentsMargins(0, 0, 0, 0)
        left_box.addWidget(self.month_calendar, 3)
        left_box.addWidget(self.legend)
        left_box.addWidget(self.day_panel, 2)

        self.totals_label = plain_label("", wrap=True, name="streak_and_score")
        self.week_title = plain_label("Weekly adherence: sessions done of those planned",
                                      wrap=True, name="week_chart_title")
        self.week_chart = ChartView("Weekly adherence")
        self.pain_title = plain_label("Pain before and after sessions, weekly mean (0-10)",
                                      wrap=True, name="pain_chart_title")
        self.pain_chart = ChartView("Pain trend")
        self.hold_title = plain_label("Open-hold bests", wrap=True, name="hold_chart_title")
        self.hold_choice = QComboBox()
        self.hold_choice.setAccessibleName("Exercise for the open-hold bests")
        # On Linux a combo box's name is its current text; the label names it by relation.
        self.hold_title.setBuddy(self.hold_choice)
        for exercise_id, name, _goal in self._holds:
            self.hold_choice.addItem(name, exercise_id)
        self.hold_chart = ChartView("Open-hold bests")
        for title in (self.week_title, self.pain_title, self.hold_title):
            font = QFont(title.font())
            font.setBold(True)
            title.setFont(font)
        hold_head = FlowLayout()
        hold_head.addWidget(self.hold_title)
        hold_head.addWidget(self.hold_choice)
        self.hold_choice.setVisible(len(self._holds) > 1)

        self.right = FitColumn()
        right_box = QVBoxLayout(self.right)
        right_box.setContentsMargins(0, 0, 0, 0)
        right_box.addWidget(self.totals_label)
        right_box.addWidget(self.week_title)
        right_box.addWidget(self.week_chart, 1)
        right_box.addWidget(self.pain_title)
        right_box.addWidget(self.pain_chart, 1)
        self.hold_section = QWidget()
        hold_box = QVBoxLayout(self.hold_section)
        hold_box.setContentsMargins(0, 0, 0, 0)
        hold_box.addLayout(hold_head)
        hold_box.addWidget(self.hold_chart, 1)
        right_box.addWidget(self.hold_section, 1)
        self.hold_section.setVisible(bool(self._holds))
        self.measures_panel = MeasuresPanel()     # PEG and PSFS (measures_chart)
        right_box.addWidget(self.measures_panel)

        # Side by side when there is room, one above the other when the window is narrow
        # or the text large; a window too short for either scrolls, never squeezes.
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.right)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 6)
        self.splitter.setChildrenCollapsible(False)
        self.scroll = _PageScroll()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.splitter)
        box = QVBoxLayout(main)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(nav)
        box.addWidget(self.notice)
        box.addWidget(self.empty_notice)
        box.addWidget(self.scroll, 1)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._arrange()

    def changeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._arrange()

    def _arrange(self) -> None:
        """Two columns if both fit side by side, else one; the day panel and each chart
        keep enough lines to be read when stacked."""
        line = self.fontMetrics().height()
        wide = self.left.minimumSizeHint().width() + self.right.minimumSizeHint().width() + \
            self.splitter.handleWidth() + line * 2
        vertical = self.scroll.viewport().width() < wide
        self.splitter.setOrientation(Qt.Orientation.Vertical if vertical
                                     else Qt.Orientation.Horizontal)
        self.day_panel.setMinimumHeight(line * (14 if vertical else 9))
