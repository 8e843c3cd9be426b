"""The bundled exercise drawings.

Every bundled exercise has a drawing; every drawing is a small SVG with a
title that Qt renders; and scripts/make_illustrations.py still makes exactly
the committed files, so the two cannot drift apart.
"""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from backrehab_gui.core import model as m
from backrehab_gui.core.loading import load_library

ROOT = Path(__file__).resolve().parents[1]
ROUTINES = ROOT / "routines"
ASSETS = ROOT / "assets"
FOLDER = ASSETS / "illustrations"
GENERATOR = ROOT / "scripts" / "make_illustrations.py"
SVG = "{http://www.w3.org/2000/svg}"
MAX_BYTES = 6 * 1024

DRAWINGS = sorted(FOLDER.glob("*.svg"))


@pytest.fixture(scope="module")
def library():
    lib = load_library([ROUTINES], asset_roots=[ASSETS])
    assert lib.ok, [str(p) for p in lib.problems]
    return lib


def test_there_are_drawings_to_check():
    assert len(DRAWINGS) > 50


def test_every_bundled_exercise_has_its_drawings(library):
    assert library.exercises
    for ident, exercise in library.exercises.items():
        assert exercise.illustration is not None, f"{ident} has no illustration"
        assert ident in library.images, f"{ident}'s drawings were not resolved"
        start, end = library.images[ident]
        assert start == (FOLDER / f"{ident}-start.svg").resolve()
        assert start.is_file()
        if exercise.illustration.end is None:
            assert end is None
        else:
            assert end == (FOLDER / f"{ident}-end.svg").resolve()
            assert end.is_file()


def test_only_static_holds_have_a_single_drawing(library):
    for ident, exercise in library.exercises.items():
        if exercise.illustration.end is None:
            assert isinstance(exercise.dose, m.HoldDose), \
                f"{ident} moves, so it needs an end drawing too"


def test_one_sided_exercises_are_mirrored_for_the_right_side(library):
    # The drawings show the left side working; the app mirrors them for the right.
    for ident, exercise in library.exercises.items():
        sided = getattr(exercise.dose, "sides", None) is not None
        assert exercise.illustration.flip_for_right == sided, ident


def test_the_folder_holds_only_drawings_in_use(library):
    used = {p for pair in library.images.values() for p in pair if p is not None}
    assert {p.resolve() for p in DRAWINGS} == used


@pytest.mark.parametrize("path", DRAWINGS, ids=lambda p: p.name)
def test_drawing_is_a_small_svg_with_a_title(path):
    data = path.read_bytes()
    assert len(data) < MAX_BYTES, f"{path.name} is {len(data)} bytes"
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text and len(title.text.strip()) > 10
    # Nothing Qt's SVG Tiny renderer skips or that could load something else.
    for element in root.iter():
        assert element.tag.removeprefix(SVG) in {"svg", "title", "g", "path", "circle", "rect"}
        assert "style" not in element.attrib


@pytest.mark.parametrize("path", DRAWINGS, ids=lambda p: p.name)
def test_drawing_renders_in_qt(qtbot, path):
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QColor, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(path))
    assert renderer.isValid()
    size = renderer.defaultSize()
    assert size.width() > 0 and size.height() > 0
    image = QImage(120, 120, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    painter = QPainter(image)
    renderer.render(painter, QRectF(0, 0, 120, 120))
    painter.end()
    painted = sum(1 for x in range(0, 120, 3) for y in range(0, 120, 3)
                  if image.pixelColor(x, y).alpha() > 0)
    assert painted > 30, f"{path.name} draws almost nothing"


def test_generator_makes_exactly_the_committed_files(tmp_path):
    subprocess.run([sys.executable, str(GENERATOR), "--out", str(tmp_path)], check=True,
                   capture_output=True, cwd=ROOT)
    made = {p.name: p.read_bytes() for p in tmp_path.glob("*.svg")}
    committed = {p.name: p.read_bytes() for p in DRAWINGS}
    assert sorted(made) == sorted(committed), \
        "run scripts/make_illustrations.py and commit assets/illustrations"
    changed = [name for name in made if made[name] != committed[name]]
    assert not changed, f"out of date, run scripts/make_illustrations.py: {changed}"
