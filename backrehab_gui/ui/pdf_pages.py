"""Printed pages: a cursor going down them that never cuts a block at a page's bottom
edge, greedy word wrap, wrapped tables, and the short date printed in them.

Used by the PDF report (``report``, ``report_charts``, ``report_safety``,
``report_steering``) and the home-exercise handout (``handout``). Everything is
placed in lines and rows measured before they are drawn: a block that does not
fit in what is left of a page starts the next one, long text wraps by words, and
a table repeats its header on each page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QLineF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPdfWriter, QPen

from . import charts


def wrap(fm: QFontMetricsF, text: str, width: float) -> list[str]:
    """Greedy word wrap; a word longer than the line is broken by characters."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if fm.horizontalAdvance(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while fm.horizontalAdvance(word) > width and len(word) > 1:
                cut = len(word)
                while cut > 1 and fm.horizontalAdvance(word[:cut]) > width:
                    cut -= 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


class Pages:
    """A cursor going down A4 pages: blocks that do not fit start a new page."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, fonts: charts.Fonts,
                 footer: str) -> None:
        self.writer = writer
        self.painter = painter
        self.fonts = fonts
        self.footer = footer
        self.width = float(writer.width())
        self.fm = QFontMetricsF(fonts.base, writer)
        self.unit = self.fm.height()
        # Room for the footer line at the bottom of each page.
        self.bottom = float(writer.height()) - self.unit * 1.8
        self.y = 0.0
        self.page = 1
        self._footer()

    def _footer(self) -> None:
        rect = QRectF(0, self.bottom + self.unit * 0.6, self.width, self.unit * 1.2)
        self.painter.setFont(self.fonts.small)
        self.painter.setPen(charts.MUTED)
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft), self.footer)
        self.painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight), f"page {self.page}")

    def new_page(self) -> None:
        self.writer.newPage()
        self.page += 1
        self.y = 0.0
        self._footer()

    def room(self) -> float:
        return self.bottom - self.y

    def ensure(self, height: float) -> None:
        """Start a new page unless ``height`` fits in what is left of this one."""
        if height > self.room() and self.y > 0:
            self.new_page()

    def space(self, lines: float = 0.6) -> None:
        self.y = min(self.y + self.unit * lines, self.bottom)

    def text(self, text: str, font: QFont | None = None, *, color=charts.INK,
             indent: float = 0.0, keep_with: float = 0.0) -> None:
        """Wrapped text, line by line, so a long paragraph flows onto the next page.
        ``keep_with``: height of what must follow on the same page (after a heading)."""
        font = font or self.fonts.base
        fm = QFontMetricsF(font, self.writer)
        lines = wrap(fm, text, self.width - indent)
        height = fm.height() * 1.15
        self.ensure(height * min(len(lines), 2) + keep_with)
        self.painter.setFont(font)
        self.painter.setPen(color)
        for line in lines:
            self.ensure(height)
            self.painter.drawText(QRectF(indent, self.y, self.width - indent, height),
                                  int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                                  line)
            self.y += height

    def heading(self, text: str, level: int = 1, keep: float = 6.0) -> None:
        """A heading kept on the same page as the next ``keep`` lines of what follows."""
        font = self.fonts.scaled(1.45 if level == 1 else 1.15, bold=True)
        self.space(0.9 if level == 1 else 0.5)
        self.text(text, font, keep_with=self.unit * keep)
        self.space(0.2)

    def drawing(self, height: float, paint: Callable[[QPainter, QRectF], None]) -> None:
        self.ensure(height)
        rect = QRectF(0, self.y, self.width, height)
        self.painter.save()
        paint(self.painter, rect)
        self.painter.restore()
        self.y += height

    def table(self, columns: Sequence[tuple[str, float]], rows: Sequence[Sequence[str]],
              *, font: QFont | None = None) -> None:
        """Rows of wrapped cells; ``columns`` as (title, share of the width). The header
        is repeated on every page the table runs onto."""
        font = font or self.fonts.small
        bold = QFont(font)
        bold.setBold(True)
        fm = QFontMetricsF(font, self.writer)
        bfm = QFontMetricsF(bold, self.writer)
        pad = self.unit * 0.25
        total = sum(share for _, share in columns)
        widths = [self.width * share / total for _, share in columns]
        lefts = [sum(widths[:i]) for i in range(len(widths))]

        def layout(cells: Sequence[str], metrics: QFontMetricsF) -> tuple[list[list[str]], float]:
            wrapped = [wrap(metrics, text, w - pad * 2) for text, w in zip(cells, widths)]
            lines = max(len(c) for c in wrapped)
            return wrapped, lines * metrics.height() + pad * 2

        header, header_h = layout([title for title, _ in columns], bfm)

        def draw(cells: list[list[str]], height: float, metrics: QFontMetricsF, f: QFont,
                 shade: bool) -> None:
            painter = self.painter
            if shade:
                painter.fillRect(QRectF(0, self.y, self.width, height), QColor("#eef1f3"))
            painter.setFont(f)
            painter.setPen(charts.INK)
            for lines, left, w in zip(cells, lefts, widths):
                for i, line in enumerate(lines):
                    painter.drawText(QRectF(left + pad, self.y + pad + i * metrics.height(),
                                            w - pad * 2, metrics.height()),
                                     int(Qt.AlignmentFlag.AlignLeft
                                         | Qt.AlignmentFlag.AlignVCenter), line)
            painter.setPen(QPen(charts.GRID, max(self.unit / 20, 1.0)))
            painter.drawLine(QLineF(0, self.y + height, self.width, self.y + height))
            self.y += height

        first_row = layout(rows[0], fm)[1] if rows else 0.0
        self.ensure(header_h + first_row)
        draw(header, header_h, bfm, bold, True)
        for row in rows:
            cells, height = layout(row, fm)
            if height > self.room():
                self.new_page()
                draw(header, header_h, bfm, bold, True)
            draw(cells, height, fm, font, False)


def short_date(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
