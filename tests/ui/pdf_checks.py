"""Reading a PDF the app wrote, as a person would see it: its text (pdftotext) and
where each word lies on its page. Shared by the report and handout tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

PDFTOTEXT = shutil.which("pdftotext")


def pdf_text(path: Path, *args: str) -> str:
    return subprocess.run([PDFTOTEXT or "pdftotext", "-enc", "UTF-8", *args, str(path), "-"],
                          check=True, capture_output=True, text=True).stdout


def flat_text(path: Path) -> str:
    """The PDF's words on one line, single-spaced; skips the test without pdftotext."""
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return " ".join(pdf_text(path).split())


def words_above_margin(path: Path, margin: float = 39.0) -> int:
    """Check that every word lies inside its page, at least ``margin`` points above the
    bottom edge (14 mm = 39.7 pt); returns the number of pages."""
    layout = pdf_text(path, "-bbox")
    heights = [float(h) for h in re.findall(r'<page width="[\d.]+" height="([\d.]+)"', layout)]
    page = 0
    for line in layout.splitlines():
        if line.strip().startswith("<page"):
            page += 1
        found = re.search(r'yMax="([\d.]+)"', line)
        if found:
            assert float(found.group(1)) <= heights[page - 1] - margin, line
    return len(heights)
