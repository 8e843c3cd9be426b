"""The questionnaires in History: PEG by program week and the PSFS mean over time, each
with the band of "no meaningful change yet" around the first answer, and in words:
baseline, latest, change, and whether the change reaches the published meaningful
difference (``core.measures``).

Drawn in the colours of the current theme (light, dark, high contrast), never by colour
alone: the two charts are apart and titled, PEG's points are discs on a solid line, the
PSFS's hollow squares on a dashed one, and the band is named in each chart's legend.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

from ..core import measures as ms
from ..core.schedule import ProgramCalendar
from ..core.wording import plural
from ..infra.record import read_answers
from ..infra.store import HistoryStore, StoreError
from .plain import plain_label, tooltip_text
from .widgets import WrapLabel

THRESHOLDS = {ms.PEG: ms.PEG_CHANGE, ms.PSFS: ms.PSFS_MEAN_CHANGE}
TITLES = {ms.PEG: "PEG, weekly: pain and how much it gets in the way (lower is better)",
          ms.PSFS: "Your activities (PSFS), every two weeks (higher is better)"}
NAMES = {ms.PEG: "PEG", ms.PSFS: "PSFS"}
NOT_YET = {ms.PEG: "Not answered yet: asked at the first session of each program week.",
           ms.PSFS: "Not answered yet: asked when you start a program, then every two "
                    "weeks."}
_Role = QPalette.ColorRole


def signed(value: float) -> str:
    """'+1.5', '−2.3' (a true minus sign), '0.0'."""
    return "0.0" if round(value, 1) == 0 else f"{value:+.1f}".replace("-", "\u2212")


def when(day: date, calendar: ProgramCalendar | None) -> str:
    """'week 3, 16 Nov': the program week where there is one."""
    short = f"{day.day} {day:%b}"
    if calendar is not None and calendar.week(day) >= 1:
        return f"week {calendar.week(day)}, {short}"
    return short


def summary(answers: Sequence[ms.Answer], kind: str,
            calendar: ProgramCalendar | None = None) -> str:
    """Baseline, latest, change and whether it is meaningful, in one or two sentences."""
    points = ms.series(answers, kind)
    if not points:
        return NOT_YET[kind]
    first_day, first = points[0]
    baseline = f"Baseline {first:.1f} ({when(first_day, calendar)})"
    change = ms.headline(answers, kind)
    if change is None or len(points) < 2:
        return f"{baseline}. A change shows from the second answer."
    needs = plural(THRESHOLDS[kind], "point")
    if change.meaningful:
        verdict = (f"a meaningful {'improvement' if change.better else 'worsening'} "
                   f"(the published meaningful change is {needs})")
    elif change.change:
        verdict = f"not yet a meaningful change (that takes {needs})"
    else:
        verdict = "no change"
    return (f"{baseline}, latest {change.latest:.1f} ({when(change.latest_day, calendar)}): "
            f"change {signed(change.change)}, {verdict}.")


def description(answers: Sequence[ms.Answer], kind: str,
                calendar: ProgramCalendar | None = None) -> str:
    """The chart in words, for screen readers and the tooltip: what it shows, the summary
    and the latest scores."""
    points = ms.series(answers, kind)
    text = f"{TITLES[kind]}. {summary(answers, kind, calendar)}"
    if len(points) > 1:
        recent = points[-8:]
        lead = "Scores" if len(recent) == len(points) else f"The last {len(recent)} scores"
        text += f" {lead}: " + "; ".join(f"{when(d, calendar)}: {s:.1f}" for d, s in recent)
        text += "."
    return text


# --- Drawing ------------------------------------------------------------------------------


class Colours:
    """The theme's colours for a chart: ground, ink, grid and one for the series."""

    def __init__(self, palette: QPalette, kind: str) -> None:
        self.ground = palette.color(_Role.Base)
        self.ink = palette.color(_Role.Text)
        self.muted = palette.color(_Role.PlaceholderText)
        grid = QColor(self.ink)
        grid.setAlphaF(0.28)
        self.grid = grid
        self.series = palette.color(_Role.Highlight if kind == ms.PEG else _Role.LinkVisited)
        band = QColor(self.series)
        band.setAlphaF(0.18)
        self.band = band


def paint_measure(painter: QPainter, rect: QRectF, points: Sequence[tuple[date, float]],
                  kind: str, colours: Colours, font: QFont,
                  label: Callable[[date], str]) -> None:
    """One questionnaire's scores (0-10) over time, with the band of less than a
    meaningful change around the first answer."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.fillRect(rect, colours.ground)
    small = QFont(font)
    if small.pointSizeF() > 0:
        small.setPointSizeF(small.pointSizeF() * 0.85)
    fm = QFontMetricsF(small, painter.device())
    unit = fm.height()
    painter.setFont(small)
    if not points:
        painter.setPen(colours.muted)
        painter.drawText(rect.adjusted(unit, unit, -unit, -unit),
                         int(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap),
                         "No answers yet")     # when they are asked: the words below
        painter.restore()
        return
    left = rect.left() + fm.horizontalAdvance("10") + unit * 0.7
    area = QRectF(left, rect.top() + unit * 1.5, rect.right() - unit * 0.8 - left,
                  rect.height() - unit * 3.0)
    if area.width() < unit or area.height() < unit:
        painter.restore()
        return

    def y(value: float) -> float:
        return area.bottom() - area.height() * max(0.0, min(value, 10.0)) / 10.0

    first_day, last_day = points[0][0], points[-1][0]
    span = max((last_day - first_day).days, 1)
    inset = unit * 0.8 if len(points) > 1 else area.width() / 2

    def x(day: date) -> float:
        if len(points) == 1:
            return area.center().x()
        return area.left() + inset + (area.width() - 2 * inset) * (day - first_day).days / span

    # Band: less than a meaningful change from the first answer.
    base = points[0][1]
    threshold = THRESHOLDS[kind]
    band = QRectF(area.left(), y(min(base + threshold, 10.0)), area.width(),
                  y(max(base - threshold, 0.0)) - y(min(base + threshold, 10.0)))
    painter.fillRect(band, colours.band)
    painter.setPen(QPen(colours.series, max(unit / 14, 1.0), Qt.PenStyle.DotLine))
    painter.drawLine(QLineF(area.left(), y(base), area.right(), y(base)))
    # Grid and axis.
    painter.setPen(QPen(colours.grid, max(unit / 20, 1.0)))
    for value in (0, 5, 10):
        painter.drawLine(QLineF(area.left(), y(value), area.right(), y(value)))
    painter.setPen(colours.muted)
    for value in (0, 5, 10):
        painter.drawText(QRectF(rect.left(), y(value) - unit / 2, left - rect.left()
                                - unit * 0.3, unit),
                         int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                         str(value))
    # Legend, top left: the series and the band, in words.
    legend = (f"\u25cf {NAMES[kind]}" if kind == ms.PEG else f"\u25a1 {NAMES[kind]}") + \
        f"    shaded: less than \u00b1{THRESHOLDS[kind]:g} from the first"
    painter.setPen(colours.ink)
    painter.drawText(QRectF(area.left(), rect.top(), area.width(), unit * 1.3),
                     int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                     fm.elidedText(legend, Qt.TextElideMode.ElideRight, area.width()))
    # The line and its points.
    dashed = kind != ms.PEG
    width = max(unit / 7, 1.5)
    path = QPainterPath()
    for i, (day, value) in enumerate(points):
        point = QPointF(x(day), y(value))
        path.moveTo(point) if i == 0 else path.lineTo(point)
    painter.setPen(QPen(colours.series, width,
                        Qt.PenStyle.DashLine if dashed else Qt.PenStyle.SolidLine))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)
    size = max(unit * 0.5, 4.0) if len(points) < 40 else max(unit * 0.3, 3.0)
    for day, value in points:
        centre = QPointF(x(day), y(value))
        painter.setPen(QPen(colours.series, width))
        if dashed:
            painter.setBrush(colours.ground)
            painter.drawRect(QRectF(centre.x() - size / 2, centre.y() - size / 2, size, size))
        else:
            painter.setBrush(colours.series)
            painter.drawEllipse(centre, size / 2, size / 2)
    # Labels under the axis, thinned when crowded; the latest always shows.
    painter.setPen(colours.muted)
    taken_left = area.right() + unit
    for day, _value in reversed(points):
        text = label(day)
        w = fm.horizontalAdvance(text) + unit * 0.4
        cx = min(max(x(day), area.left() + w / 2), area.right() - w / 2)
        if cx + w / 2 > taken_left:
            continue
        painter.drawText(QRectF(cx - w / 2, area.bottom() + unit * 0.2, w, unit),
                         int(Qt.AlignmentFlag.AlignCenter), text)
        taken_left = cx - w / 2
    painter.restore()


class MeasureChart(QWidget):
    """One questionnaire's chart, painted from its scores, with a text alternative."""

    def __init__(self, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self.points: list[tuple[date, float]] = []
        self.label: Callable[[date], str] = lambda d: f"{d.day} {d:%b}"
        self.setAccessibleName(f"{NAMES[kind]} chart")
        self.setMinimumHeight(110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_points(self, points: list[tuple[date, float]], label: Callable[[date], str],
                   words: str) -> None:
        self.points, self.label = points, label
        self.setAccessibleDescription(words)
        self.setToolTip(tooltip_text(words))
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        rect = QRectF(self.rect())
        palette = self.palette()
        painter.setPen(QPen(palette.color(_Role.Mid), 1))
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        paint_measure(painter, rect.adjusted(1, 1, -1, -1), self.points, self.kind,
                      Colours(palette, self.kind), self.font(), self.label)
        painter.end()


class MeasuresPanel(QWidget):
    """PEG and the PSFS side by side: a titled chart each, and its summary in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("questionnaires")
        self.title = plain_label("Questionnaires", name="measures_title")
        bold = QFont(self.title.font())
        bold.setBold(True)
        self.title.setFont(bold)
        self.charts: dict[str, MeasureChart] = {}
        self.summaries: dict[str, QLabel] = {}
        row = QVBoxLayout()  # one above the other: the history column is narrow
        row.setContentsMargins(0, 0, 0, 0)
        for kind in (ms.PEG, ms.PSFS):
            column = QVBoxLayout()
            heading = WrapLabel(TITLES[kind])
            heading.setObjectName(f"{kind}_chart_title")
            chart = MeasureChart(kind)
            # Keeps the height its lines need at its width (a plain wrapped label in
            # these side-by-side columns was cut, and the chart lay over it).
            words = WrapLabel("")
            words.setObjectName(f"{kind}_summary")
            column.addWidget(heading)
            column.addWidget(chart, 1)
            column.addWidget(words)
            row.addLayout(column, 1)
            self.charts[kind], self.summaries[kind] = chart, words
        # Never squeezed below what its words need: the history column scrolls instead.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.addWidget(self.title)
        box.addLayout(row, 1)

    def refresh(self, store: HistoryStore, calendar: ProgramCalendar | None) -> None:
        """Read the answers again (after a session, a questionnaire, a new day)."""
        try:
            answers = read_answers(store)
        except StoreError as err:
            for kind in self.charts:
                self.summaries[kind].setText(err.message)
            return
        self.show_answers(answers, calendar)

    def show_answers(self, answers: Sequence[ms.Answer],
                     calendar: ProgramCalendar | None) -> None:
        def week_label(day: date) -> str:
            if calendar is not None and calendar.week(day) >= 1:
                return f"W{calendar.week(day)}"
            return f"{day.day} {day:%b}"

        for kind, chart in self.charts.items():
            label = week_label if kind == ms.PEG else (lambda d: f"{d.day} {d:%b}")
            points = ms.series(answers, kind)
            chart.set_points(points, label, description(answers, kind, calendar))
            # Nothing to draw yet: the words say so, and the other charts keep the room.
            chart.setVisible(bool(points))
            self.summaries[kind].setText(summary(answers, kind, calendar))
