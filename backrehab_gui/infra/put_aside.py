"""Carrying out a replacement (planned by ``routine_replace``) so that nothing is lost.

Every file that goes or changes is first kept in a ``replaced`` folder in the data folder
(outside the routines folder, so it never loads again), one dated folder per import; then
the files that go are moved there and the edited ones written. A failure at any step,
or when what was sent is moved in after, puts back what was done and says so; if even
that fails, the message says where the kept copies are.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import datetime
from pathlib import Path

from ..core.wording import listed
from .routine_replace import Replacement

KEPT_FOLDER = "replaced"
"""In the data folder: what an import replaced, one dated folder per import."""


class ReplaceFailed(Exception):
    """The replacement could not be carried out; ``message`` says what is where now."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PutAside:
    """Keeps the files a replacement changes, then changes them; ``undo`` puts them back."""

    def __init__(self, replacement: Replacement, routines: Path, data: Path,
                 staging: Path) -> None:
        self.replacement = replacement
        self.routines = routines
        self.data = data
        self.staging = staging
        self.kept: Path | None = None
        self._moved: list[tuple[Path, Path]] = []
        self._written: list[Path] = []

    def do(self, now: datetime) -> Path:
        """Keep and change every file; returns the folder the old ones are kept in.
        Raises ReplaceFailed, with everything put back, when a step fails."""
        try:
            self.kept = _free(self.data / KEPT_FOLDER / now.strftime("%Y-%m-%d %H.%M.%S"))
            self.kept.mkdir(parents=True)
            for path in self.replacement.edited:
                copy = self.kept / path.relative_to(self.routines)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)
            for path in self.replacement.set_aside:
                target = self.kept / path.relative_to(self.routines)
                target.parent.mkdir(parents=True, exist_ok=True)
                # Listed first: across disks a move is a copy, then a removal that may
                # stop halfway; ``undo`` makes the original whole again either way.
                self._moved.append((path, target))
                shutil.move(path, target)
            edits = self.staging / "edits"
            for number, (path, text) in enumerate(self.replacement.edited.items()):
                new = edits / f"{number}{path.suffix}"
                new.parent.mkdir(parents=True, exist_ok=True)
                new.write_text(text, encoding="utf-8")
                # Listed first: a copy across disks cut short is put back from the kept
                # copy too (on one disk this is a rename, and the file is whole or old).
                self._written.append(path)
                shutil.move(new, path)
        except OSError as err:
            raise self._failed(err) from err
        return self.kept

    def undo(self) -> list[str]:
        """Put everything back; returns what could not be (empty when all is as before)."""
        left: list[str] = []
        assert self.kept is not None
        for path in reversed(self._written):
            try:
                shutil.copy2(self.kept / path.relative_to(self.routines), path)
            except OSError as err:
                left.append(f"{path.name} ({err.strerror or err})")
        for path, target in reversed(self._moved):
            try:
                _move_back(path, target)
            except OSError as err:
                left.append(f"{path.name} ({err.strerror or err})")
        self._written.clear()
        self._moved.clear()
        if not left:
            shutil.rmtree(self.kept, ignore_errors=True)
            _remove_if_empty(self.kept.parent)
        return left

    def failure(self, err: OSError) -> ReplaceFailed:
        """What a failure after ``do`` (while copying in what was sent) means, once undone."""
        return self._failed(err)

    def _failed(self, err: OSError) -> ReplaceFailed:
        what = f"{err.strerror or err}" + (f": {err.filename}" if err.filename else "")
        if self.kept is None or not self.kept.exists():
            return ReplaceFailed(f"nothing was replaced, because the folder for the old files "
                                 f"could not be made ({what}). Your routines are as they were")
        left = self.undo()
        if not left:
            return ReplaceFailed(f"nothing was replaced, because a file could not be kept or "
                                 f"moved ({what}). Everything was put back: your routines are "
                                 "as they were")
        return ReplaceFailed(f"the replacement failed ({what}) and BackRehab could not put "
                             f"back {listed(left)}. Nothing is lost: the old files are in "
                             f"{self.kept}")


def _move_back(path: Path, target: Path) -> None:
    """Make ``path`` whole again from its kept copy ``target``, and drop the copy."""
    if not os.path.lexists(target):
        return  # it never left
    if not os.path.lexists(path):
        shutil.move(target, path)
    elif target.is_dir() and not target.is_symlink():
        # A folder moved across disks whose removal stopped halfway: fill in only what
        # went (a folder that lost nothing may be on a disk that takes no writes).
        for root, _dirs, names in os.walk(target):
            here = path / Path(root).relative_to(target)
            if not here.is_dir():
                here.mkdir()
            for name in names:
                if not os.path.lexists(here / name):
                    shutil.copy2(Path(root) / name, here / name, follow_symlinks=False)
        shutil.rmtree(target)
    else:
        target.unlink()  # the file itself is still there: removing a file is all or nothing


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):  # it holds what earlier imports replaced
        folder.rmdir()


def _free(path: Path) -> Path:
    candidate, counter = path, 2
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{path.name} ({counter})")
        counter += 1
    return candidate
