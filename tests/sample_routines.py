"""Routine files the tests write: the person's own pelvic tilt, a routine of it, and
tiny pictures, shared by the loading, import and illustration tests."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

import pytest

from backrehab_gui.infra import routines

TILT = """\
  - id: my-tilt
    name: My pelvic tilt
    category: mobility
    position: on-back
    steps: [Flatten your back gently against the floor.]
    key_cue: Slowly
    why: It wakes the deep belly muscles.
    dose: {reps: 8}
"""
"""The person's own exercise, 'my-tilt', as an entry under ``exercises:``."""

GOOD = """\
format: 1
routines:
  - id: from-my-therapist
    name: From my therapist
    exercises:
      - exercise: bird-dog
        dose: {reps: 6, hold: 5s, sides: alternating}
"""
"""A routine of bundled exercises, as a therapist sends it."""

OTHER = GOOD.replace("from-my-therapist", "other-one").replace("From my therapist",
                                                             "Another routine")
"""The same under another id: a second file of the person's that loads."""

SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'


def tilt_file(illustration: str = "", *, extra: str = "", routine: Sequence[str] = ()) -> str:
    """A routine file with 'my-tilt': ``illustration`` its drawings (a YAML mapping),
    ``extra`` more entries under ``exercises:``, ``routine`` the exercises of a routine
    'my-evening' (none: no routine)."""
    text = "format: 1\nexercises:\n" + TILT
    if illustration:
        text += f"    illustration: {illustration}\n"
    text += extra
    if routine:
        text += "routines:\n  - id: my-evening\n    name: My evening\n    exercises:\n"
        text += "".join(f"      - exercise: {exercise}\n" for exercise in routine)
    return text


MINE = tilt_file(routine=["my-tilt"])
"""The person's own routine file: 'my-tilt' and a routine of it, 'my-evening'."""

BRIDGE = """\
  - id: my-bridge
    name: My bridge
    category: core
    position: on-back
    steps: [Lift your hips.]
    key_cue: Squeeze
    why: Strong hips spare the back.
    dose: {reps: 8}
    illustration: {start: illustrations/glute-bridge-start.svg}
"""

WITH_PICTURES = tilt_file("{start: pictures/tilt-start.svg, end: tilt-end.png}", extra=BRIDGE,
                          routine=["my-tilt", "my-bridge"])
"""Two own exercises with drawings: two sent beside the file, one bundled."""


def png() -> bytes:
    """A real one-pixel PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def sent_with_pictures(folder: Path, name: str = "plan.yaml") -> Path:
    """WITH_PICTURES written in ``folder`` with its two pictures and one it does not show."""
    (folder / "pictures").mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(WITH_PICTURES)
    (folder / "pictures" / "tilt-start.svg").write_text(SVG)
    (folder / "tilt-end.png").write_bytes(png())
    (folder / "pictures" / "unused.svg").write_text(SVG)
    return folder / name


def therapist_folder(tmp_path: Path) -> Path:
    """What "send to patient" writes: routine files, the pictures they show, a handout."""
    folder = tmp_path / "For Sam"
    sent_with_pictures(folder, "exercises.yaml")
    (folder / "week-1.yaml").write_text(GOOD)
    (folder / "handout.pdf").write_bytes(b"%PDF-1.7\n...")
    return folder


def own_routines(data: Path) -> None:
    """The person's routines folder in ``data``, with mine.yaml (MINE) and other.yaml."""
    folder = data / "routines"
    folder.mkdir()
    (folder / "mine.yaml").write_text(MINE)
    (folder / "other.yaml").write_text(OTHER)


def fail_reading(monkeypatch: pytest.MonkeyPatch, name: str, error: Exception) -> None:
    """Reading the routine file called ``name`` raises ``error`` (as a fault of ours might)."""
    real = routines.routine_cache.parse_file  # how the app reads each file

    def parse(path, *args):
        if path.name == name:
            raise error
        return real(path, *args)

    monkeypatch.setattr(routines.routine_cache, "parse_file", parse)
