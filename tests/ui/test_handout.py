"""The printed home-exercise handout: what it says, how it prints, and the command."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from backrehab_gui.cli import main
from backrehab_gui.core.dose_text import describe
from backrehab_gui.infra import routines
from backrehab_gui.ui.handout import Handout, HandoutError, handout_for, write_handout

POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdfinfo")
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils is not installed")


def pdf_text(path: Path, *args: str) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", *args, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return " ".join(text.split())


def page_images(path: Path, tmp_path: Path, dpi: int = 50) -> list[QImage]:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", str(path), str(tmp_path / "page")],
                   check=True)
    return [QImage(str(p)) for p in sorted(tmp_path.glob("page-*.png"))]


@pytest.fixture(scope="module")
def library():
    return routines.load_for_app(Path("/nonexistent-backrehab-data"))


@needs_poppler
def test_the_command_prints_each_exercise_with_name_dose_and_drawings(qapp, tmp_path, capsys,
                                                                      library):
    out = tmp_path / "x.pdf"
    code = main(["handout", "daily-evening", "--out", str(out), "--name", "Alex <b>Example</b>",
                 "--note", "Three sets of the bridge from next week if it feels easy."])
    assert code == 0, capsys.readouterr().err
    assert "wrote the handout" in capsys.readouterr().out
    text = flat(pdf_text(out))
    assert "Home exercises: Evening strength and stretch" in text
    assert "For: Alex <b>Example</b>" in text  # plain text, never markup
    assert f"Date: {date.today().day} {date.today():%B %Y}" in text
    assert "From your therapist Three sets of the bridge from next week" in text
    routine = library.routines["daily-evening"]
    for number, item in enumerate(routine.exercises, start=1):
        exercise = library.exercises[item.exercise]
        assert f"{number}. {exercise.name}" in text
        assert f"Dose: {describe(library.dose_for(item))}" in text
        assert f"Key cue: {exercise.key_cue}" in text
        assert exercise.stop_if[0] in text
    # A start and an end drawing for each exercise that has both.
    assert text.count("Start End") == len(routine.exercises)
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Page size: +595(\.\d+)? x 84[12](\.\d+)? pts \(A4\)", info)


@needs_poppler
def test_it_prints_in_grey_tones_with_every_line_inside_the_page(qapp, tmp_path, library):
    out = tmp_path / "letter.pdf"
    pages = write_handout(out, handout_for(library, "phase-2-strength", paper="letter",
                                           name="Sam"))
    info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
    assert re.search(r"Page size: +612 x 792 pts", info)
    assert re.search(rf"Pages: +{pages}\n", info)
    images = page_images(out, tmp_path)
    assert len(images) == pages
    for image in images:
        inked = 0
        for y in range(0, image.height(), 2):
            for x in range(0, image.width(), 2):
                colour = image.pixelColor(x, y)
                r, g, b = colour.red(), colour.green(), colour.blue()
                # The drawings are orange and blue on screen; on paper, greys.
                assert max(r, g, b) - min(r, g, b) <= 26, (x, y, colour.name())
                inked += max(r, g, b) < 128
        assert inked > 300  # not a blank page
    layout = pdf_text(out, "-bbox")
    heights = [float(h) for h in re.findall(r'<page width="[\d.]+" height="([\d.]+)"', layout)]
    page = 0
    for line in layout.splitlines():
        if line.strip().startswith("<page"):
            page += 1
        found = re.search(r'yMax="([\d.]+)"', line)
        if found:
            assert float(found.group(1)) <= heights[page - 1] - 39.0, line


@needs_poppler
def test_a_program_handout_lists_its_phases_daily_blocks_and_every_routine(qapp, tmp_path,
                                                                          library):
    out = tmp_path / "program.pdf"
    write_handout(out, handout_for(library, "lower-back-8-weeks", day=date(2026, 3, 2)))
    text = flat(pdf_text(out))
    assert "Date: 2 March 2026" in text
    assert "Weeks 1–2: Foundation." in text and "3 times a week" in text
    assert "Every day:" in text and "Evening (around" in text
    program = library.programs["lower-back-8-weeks"]
    for phase in program.phases:
        for session in phase.sessions:
            assert library.routines[session.routine].name in text
    for block in program.daily:
        for item in library.routines[block.routine].exercises:
            assert library.exercises[item.exercise].name in text


def test_unknown_ids_and_bad_paths_are_plain_errors(qapp, tmp_path, capsys, library):
    code = main(["handout", "daily-evenin", "--out", str(tmp_path / "x.pdf")])
    assert code == 2 and "did you mean 'daily-evening'?" in capsys.readouterr().err
    with pytest.raises(HandoutError, match="no routine or program"):
        handout_for(library, "nothing-here")
    with pytest.raises(HandoutError, match="does not exist"):
        write_handout(tmp_path / "missing" / "x.pdf",
                      Handout(library, routines=[library.routines["daily-morning"]]))
    assert not (tmp_path / "x.pdf").exists()
