"""Drawings a therapist adds for a custom exercise: checked, then copied beside the routine.

An image file chosen in the editor comes from anywhere on the computer, so it
is checked by its content, not its name: a PNG, a JPEG or an SVG (plain XML,
no DOCTYPE or entities, which an SVG drawing never needs), at most
``MAX_BYTES``. It is then copied into ``pictures/`` beside the routine file
under a name made from its content, so the same picture chosen twice is one
file and two different ones never overwrite each other. Routine files refer to
it by that relative path, which is what the loader and the import expect.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

MAX_BYTES = 2 * 1024 * 1024
"""A drawing of a position needs far less; a photo straight from a phone is refused."""

FOLDER = "pictures"
SUFFIXES = {"png": ".png", "jpeg": ".jpg", "svg": ".svg"}


class PictureError(Exception):
    """The file cannot be used as a drawing; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def kind_of(data: bytes) -> str | None:
    """'png', 'jpeg' or 'svg' from a file's first bytes; None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and re.search(rb"<svg[\s>]", head):
        return "svg"
    return None


def check(path: Path) -> tuple[str, bytes]:
    """The file's kind and content; PictureError when it is not a usable drawing."""
    try:
        size = path.stat().st_size
    except OSError as err:
        raise PictureError(f"{path.name} cannot be read: {err.strerror or err}") from err
    if size > MAX_BYTES:
        raise PictureError(f"{path.name} is {size / 1024 / 1024:.1f} MiB; a drawing may be at "
                           f"most {MAX_BYTES // 1024 // 1024} MiB. Make it smaller (a width of "
                           "about 600 pixels is plenty) and choose it again.")
    if size == 0:
        raise PictureError(f"{path.name} is empty.")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise PictureError(f"{path.name} cannot be read: {err.strerror or err}") from err
    kind = kind_of(data)
    if kind is None:
        raise PictureError(f"{path.name} is not a PNG, JPEG or SVG image (whatever its name "
                           "says). Save the drawing in one of those and choose it again.")
    if kind == "svg" and re.search(rb"<!(DOCTYPE|ENTITY)", data, re.IGNORECASE):
        raise PictureError(f"{path.name} is an SVG with a DOCTYPE or entities, which "
                           "BackRehab does not read. Export it again as plain SVG or as PNG.")
    return kind, data


def copy_in(source: Path, folder: Path) -> str:
    """Check ``source`` and copy it into ``folder``/pictures; returns the path to write in
    the routine file, relative to ``folder``. Raises PictureError."""
    kind, data = check(source)
    stem = re.sub(r"[^a-z0-9]+", "-", source.stem.lower()).strip("-")[:40] or "drawing"
    digest = hashlib.sha256(data).hexdigest()[:10]
    relative = f"{FOLDER}/{stem}-{digest}{SUFFIXES[kind]}"
    target = folder / relative
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
    except OSError as err:
        raise PictureError(f"{source.name} could not be copied: {err.strerror or err}") from err
    return relative


def copy_file(source: Path, target: Path) -> None:
    """Copy a drawing that is already in use (when sending a routine); raises PictureError."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    except OSError as err:
        raise PictureError(f"{source.name} could not be copied: {err.strerror or err}") from err
