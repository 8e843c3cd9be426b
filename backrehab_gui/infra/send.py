"""Put a routine in a folder for the patient: the routine file, its drawings, a read-me.

The folder is what a therapist e-mails or copies to a stick, and what the
patient's Import takes (the folder, or the .yaml file with ``pictures/``
beside it). The routine file is complete on its own next to the bundled
library: it carries every exercise and source the routine uses that BackRehab
does not ship, and the drawings of those exercises are copied into
``pictures/`` with the paths in the file rewritten to point there. Drawings
that ship with BackRehab keep their asset path, which resolves on any copy.
The handout PDF is added by the caller (it needs Qt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..core import model as m
from ..core import routine_writer as w
from ..core.loading import Library
from . import paths, pictures, routine_files

README = """\
Exercises from your therapist, for the BackRehab app.

To use them: open BackRehab, go to Routines, choose "Import a routine file..." and
pick this folder (or the .yaml file in it; keep the pictures folder beside it).
The routine then appears in your list of routines.

{handout}
"""


class SendError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Package:
    folder: Path
    routine_file: Path
    pictures: list[Path] = field(default_factory=list)
    exercises: list[str] = field(default_factory=list)
    """Ids of the custom exercises written into the routine file."""


def new_folder(parent: Path, routine: m.Routine) -> Path:
    """A fresh folder in ``parent`` named after the routine (never one already used)."""
    base = re.sub(r"[^A-Za-z0-9 ,.-]+", "", routine.name).strip() or routine.id
    candidate = parent / f"BackRehab - {base}"
    number = 2
    while candidate.exists():
        candidate = parent / f"BackRehab - {base} ({number})"
        number += 1
    return candidate


def _shipped(library: Library, section: str, ident: str) -> bool:
    origin = library.origins.get((section, ident))
    bundled = paths.bundled_routines().resolve()
    return origin is not None and origin.folder is not None and \
        origin.folder.resolve().is_relative_to(bundled)


def package(folder: Path, library: Library, routine: m.Routine,
            handout_name: str = "") -> Package:
    """Write ``routine`` (and what it needs) into ``folder``; raises SendError."""
    assets = paths.assets().resolve()
    used = list(dict.fromkeys(item.exercise for item in routine.exercises))
    custom = [library.exercises[e] for e in used if not _shipped(library, "exercises", e)]
    sources = {m.dose_source(item.dose) for item in routine.exercises if item.dose}
    sources |= {m.dose_source(ex.dose) for ex in custom}
    own_sources = [library.sources[s] for s in sorted(x for x in sources if x)
                   if s in library.sources and not _shipped(library, "sources", s)]
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise SendError(f"The folder {folder} could not be made: {err.strerror or err}") from err
    result = Package(folder, folder / f"{routine.id}.yaml", exercises=[e.id for e in custom])
    exercises = []
    for exercise in custom:
        exercises.append(_with_pictures(exercise, library, folder, assets, result))
    text = routine_files.dump(w.file_tree(sources=own_sources, exercises=exercises,
                                          routines=[routine]))
    try:
        result.routine_file.write_text(text, encoding="utf-8")
        handout = (f"{handout_name} is a printable sheet of the same exercises."
                   if handout_name else "")
        (folder / "read-me.txt").write_text(README.format(handout=handout), encoding="utf-8")
    except OSError as err:
        raise SendError(f"The routine could not be written into {folder}: "
                        f"{err.strerror or err}") from err
    return result


def _with_pictures(exercise: m.Exercise, library: Library, folder: Path, assets: Path,
                   result: Package) -> m.Exercise:
    images = library.images.get(exercise.id)
    if exercise.illustration is None or not images:
        return exercise
    changes: dict[str, str] = {}
    for part, image in zip(("start", "end"), images):
        if image is None:
            continue
        resolved = image.resolve()
        if resolved.is_relative_to(assets):
            changes[part] = resolved.relative_to(assets).as_posix()
            continue
        relative = f"{pictures.FOLDER}/{resolved.name}"
        try:
            pictures.copy_file(resolved, folder / relative)
        except pictures.PictureError as err:
            raise SendError(err.message) from err
        result.pictures.append(folder / relative)
        changes[part] = relative
    illustration = exercise.illustration.model_copy(update=changes)
    return exercise.model_copy(update={"illustration": illustration})

