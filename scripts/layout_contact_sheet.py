"""Contact sheets of every screen the layout audit measures, for a person to look at.

    .venv/bin/python scripts/layout_contact_sheet.py [--out DIR] [--screens a,b,...]

For each screen in the audit's list (tests/ui/layout_audit/audit_screens.py) one
sheet, DIR/<screen>.jpg: a row for each theme and text size (light, dark, high
contrast; 100, 150, 200 %), a column for each window size (800x600, 1366x768,
1920x1080), every picture at a quarter of its size so the sizes compare. Then
DIR/index.jpg: every screen once, light at 100 % and 1366x768. DIR defaults to
docs/screenshots/layout (not kept in git: it is made again in about a minute).

The audit asserts what can be measured (overlaps, cut text, sideways scrolling,
contrast); these sheets are for what only a look shows. Runs offscreen.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "ui" / "layout_audit"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import audit_screens as screens  # noqa: E402
from PySide6.QtCore import QRect, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

SCALE = 0.25
"""Each picture at this share of its size."""
GAP = 12
LABEL = 22


def thumbnail(image: QImage, scale: float = SCALE) -> QImage:
    return image.scaled(round(image.width() * scale), round(image.height() * scale),
                        Qt.AspectRatioMode.IgnoreAspectRatio,
                        Qt.TransformationMode.SmoothTransformation)


def sheet(scenes: screens.Scenes, screen: screens.Screen) -> QImage:
    """Every theme, text size and window size of one screen on one picture."""
    widths = [round(w * SCALE) for w, _ in screens.SIZES]
    height = round(max(h for _, h in screens.SIZES) * SCALE)
    rows = [(t, s) for t in screens.THEMES for s in screens.TEXT_SCALES]
    image = QImage(sum(widths) + GAP * (len(widths) + 1) + 150,
                   LABEL * 2 + len(rows) * (height + LABEL + GAP), QImage.Format.Format_RGB888)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    font = QFont(QApplication.font())
    font.setPointSizeF(10)
    painter.setFont(font)
    painter.setPen(QColor("#000000"))
    painter.drawText(QRect(GAP, 0, image.width(), LABEL * 2), int(Qt.AlignmentFlag.AlignVCenter),
                     f"{screen.name}: each window size (columns) in each theme and text size "
                     "(rows), at a quarter of its size")
    for row, (theme, scale) in enumerate(rows):
        scenes.apply(theme, scale)
        top = LABEL * 2 + row * (height + LABEL + GAP)
        painter.drawText(QRect(GAP, top, 140, LABEL),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         f"{theme}, {round(scale * 100)} %")
        x = 150 + GAP
        for (w, h), width in zip(screens.SIZES, widths):
            window = scenes.present(screen, (w, h))
            shot = thumbnail(window.grab().toImage())
            painter.drawText(QRect(x, top, width, LABEL), int(Qt.AlignmentFlag.AlignVCenter),
                             f"{w}x{h}" + ("" if (window.width(), window.height()) == (w, h)
                                           else f" (is {window.width()}x{window.height()})"))
            painter.drawImage(x, top + LABEL, shot)
            painter.setPen(QColor("#888888"))
            painter.drawRect(QRect(x - 1, top + LABEL - 1, shot.width() + 1, shot.height() + 1))
            painter.setPen(QColor("#000000"))
            x += width + GAP
    painter.end()
    return image


def index(scenes: screens.Scenes, chosen: list[screens.Screen]) -> QImage:
    """Every screen once: light, 100 %, 1366x768, at a third of its size."""
    scenes.apply("light", 1.0)
    shots = []
    for screen in chosen:
        shots.append((screen.name, thumbnail(scenes.present(screen, (1366, 768)).grab()
                                             .toImage(), 1 / 3)))
    columns = 4
    cell_w = max(s.width() for _, s in shots) + GAP
    cell_h = max(s.height() for _, s in shots) + LABEL + GAP
    rows = (len(shots) + columns - 1) // columns
    image = QImage(columns * cell_w + GAP, rows * cell_h + GAP, QImage.Format.Format_RGB888)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    painter.setPen(QColor("#000000"))
    for i, (name, shot) in enumerate(shots):
        x, y = GAP + (i % columns) * cell_w, GAP + (i // columns) * cell_h
        painter.drawText(QRect(x, y, cell_w, LABEL), int(Qt.AlignmentFlag.AlignVCenter), name)
        painter.drawImage(x, y + LABEL, shot)
    painter.end()
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots" / "layout")
    parser.add_argument("--screens", default="",
                        help="comma-separated screen names (default: all)")
    args = parser.parse_args(argv)
    wanted = [n for n in args.screens.split(",") if n]
    known = {s.name: s for s in screens.SCREENS}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        parser.error(f"no screen named {', '.join(unknown)}; the screens are: "
                     f"{', '.join(known)}")
    chosen = [known[n] for n in wanted] if wanted else list(screens.SCREENS)
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    args.out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    scenes = screens.Scenes(qapp)
    try:
        for screen in chosen:
            path = args.out / f"{screen.name}.jpg"
            sheet(scenes, screen).save(str(path), quality=85)
            print(f"saved {path}")
        path = args.out / "index.jpg"
        index(scenes, chosen).save(str(path), quality=85)
        print(f"saved {path}")
    finally:
        scenes.close()
    print(f"{len(chosen)} screens in {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
