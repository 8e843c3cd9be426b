"""Importing what a therapist sent: one routine file, or a folder of them, with their pictures.

Everything is checked before anything is copied: the routine files together
with the bundled program and the files already in the person's routines
folder (so exercise references resolve and ids may not clash), and every
picture they refer to (a real SVG, PNG or JPEG, at most 5 MiB). With any
problem nothing is copied and every problem is returned at once. Otherwise
the files are copied into a hidden staging folder and moved into the
routines folder in one step, so the app, which reloads when that folder
changes, never sees half an import.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core.loading import YAML_SUFFIXES, Library, Problem
from . import paths
from .routines import TooManyFiles, listing, load_contained, with_bundled

MAX_PICTURE_BYTES = 5 * 1024 * 1024
"""A drawing is a few kilobytes and a photo a few megabytes; more is not a picture to show."""
MAX_FOLDER_ENTRIES = 2000
"""A sent folder holds a handful of files; a folder with thousands is the wrong folder."""

_KINDS = {".svg": "SVG", ".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG"}


@dataclass
class Imported:
    """What an import did: where the files went, or why nothing was copied."""

    target: Path | None = None
    """The copied routine file, or the new folder in the routines folder; None if refused."""
    problems: list[Problem] = field(default_factory=list)
    routine_files: list[Path] = field(default_factory=list)
    """Where the routine files are now."""
    pictures: list[Path] = field(default_factory=list)
    """Where the pictures they show are now."""

    @property
    def ok(self) -> bool:
        return self.target is not None


def import_path(source: Path, data: Path) -> Imported:
    """Import a routine file, or every routine file in a folder."""
    return import_folder(source, data) if source.is_dir() else import_file(source, data)


def import_file(source: Path, data: Path) -> Imported:
    """Check a routine file and the pictures it shows, then copy them into the routines folder.

    A file without pictures of its own goes straight into the routines folder; one with
    pictures goes into a new folder named after it, so its pictures never replace
    another routine's.
    """
    if source.suffix.lower() not in YAML_SUFFIXES:
        return _refused(source, "is not a routine file: it should end in .yaml")
    if not source.is_file():
        return _refused(source, "no such file")
    return _import([source], source.parent, data, source.name, as_folder=False)


def import_folder(source: Path, data: Path) -> Imported:
    """Check every routine file in a folder (and in folders inside it) with the pictures they
    show, then copy them into a new folder in the routines folder. Other files, such as a
    handout PDF, stay behind."""
    folder = paths.user_routines(data)
    if not source.is_dir():
        return _refused(source, "no such folder")
    if _within(source, folder):
        return _refused(source, "is already in your routines folder, so BackRehab reads it "
                        "already")
    if _within(folder, source):
        return _refused(source, "holds your routines folder; choose the folder that was sent "
                        "to you")
    try:
        files, problems = listing([source], limit=MAX_FOLDER_ENTRIES)
    except TooManyFiles:
        return _refused(source, f"holds more than {MAX_FOLDER_ENTRIES} files and folders, more "
                        "than a folder of routines; choose the folder that was sent to you")
    if problems:
        return Imported(problems=problems)
    if not files:
        return _refused(source, "has no routine files in it (files ending in .yaml)")
    return _import(files, source, data, source.name, as_folder=True)


def _refused(source: Path, message: str) -> Imported:
    return Imported(problems=[Problem(str(source), message)])


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _import(files: list[Path], base: Path, data: Path, name: str, *, as_folder: bool
            ) -> Imported:
    folder = paths.user_routines(data)
    sources = {f.resolve() for f in files}
    existing = [p for p in (listing([folder])[0] if folder.is_dir() else [])
                if p.resolve() not in sources]
    others = with_bundled(existing)
    roots = [paths.assets()]
    # Only what the import adds counts: a problem the person's folder had before is
    # not a reason to refuse what was sent.
    before = {_where(p) for p in load_contained(others, roots).problems}
    lib = load_contained([*others, *files], roots)
    problems = [p for p in lib.problems if _where(p) not in before]
    pictures, picture_problems = _pictures(lib, files)
    problems += picture_problems
    if problems:
        return Imported(problems=problems)
    if all(f.resolve().is_relative_to(folder.resolve()) for f in files):
        return Imported(target=files[0], routine_files=files)  # already there: checked only
    return _copy(files, pictures, base, folder, data, name, as_folder)


def _where(problem: Problem) -> tuple:
    return (problem.file, problem.line, problem.column, problem.field)


def _pictures(lib: Library, files: Sequence[Path]) -> tuple[dict[Path, Path], list[Problem]]:
    """The pictures the files show from their own folders: {path as written: file to copy}.

    Pictures from BackRehab's own assets stay where they are. The copy goes where the
    routine file says (a link inside the folder is copied as the picture it leads to).
    """
    names = {str(f) for f in files}
    copies: dict[Path, Path] = {}
    problems: list[Problem] = []
    for (section, ident), origin in lib.origins.items():
        if section != "exercises" or origin.file not in names or ident not in lib.images:
            continue
        picture = lib.exercises[ident].illustration
        for part, found in zip(("start", "end"), lib.images[ident]):
            rel = getattr(picture, part)
            if rel is None or found is None or origin.folder is None:
                continue
            if not found.is_relative_to(origin.folder.resolve()):
                continue  # one of BackRehab's own drawings
            why = _picture_problem(found, rel)
            if why:
                problems.append(Problem(origin.file, why, origin.place.line if origin.place
                                        else None, origin.place.column if origin.place
                                        else None, f"exercises[{ident}].illustration.{part}"))
            else:
                copies[Path(os.path.normpath(origin.folder / rel))] = found
    return copies, problems


def _picture_problem(path: Path, rel: str) -> str:
    """Why the picture cannot be copied in, or "" when it can."""
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(64 * 1024)
    except OSError as err:
        return f"the picture '{rel}' cannot be read ({err.strerror})"
    if size > MAX_PICTURE_BYTES:
        return (f"the picture '{rel}' is {size / 1024 / 1024:.1f} MiB; a picture may be at "
                f"most {MAX_PICTURE_BYTES // 1024 // 1024} MiB (save it smaller)")
    wanted = _KINDS[path.suffix.lower()]
    kind = picture_kind(head)
    if kind == wanted:
        return ""
    if kind:
        ending = {"SVG": ".svg", "PNG": ".png", "JPEG": ".jpg"}[kind]
        return (f"the picture '{rel}' is {_A[kind]} image with a name ending in "
                f"{path.suffix}; rename it to end in {ending} and change the routine file "
                "to match")
    return (f"the picture '{rel}' is not {_A[wanted]} image (it may be damaged, or another "
            "kind of file renamed)")


_A = {"SVG": "an SVG", "PNG": "a PNG", "JPEG": "a JPEG"}


def picture_kind(head: bytes) -> str:
    """"PNG", "JPEG" or "SVG" from a file's first bytes, or "" for anything else."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    try:
        # Incremental, so a character cut at the end of the sample is not an error.
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=False).lstrip()
    except UnicodeDecodeError:
        return ""
    if text.startswith("<") and "<svg" in text.lower() and "\x00" not in text:
        return "SVG"
    return ""


def _copy(files: Sequence[Path], pictures: dict[Path, Path], base: Path, folder: Path,
          data: Path, name: str, as_folder: bool) -> Imported:
    """Copy into a staging folder, then move it all into the routines folder at once."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".importing-", dir=data))
    try:
        content = staging / "content"
        plan = {f.relative_to(base): f for f in files}
        plan.update({written.relative_to(base): found for written, found in pictures.items()})
        for rel, src in plan.items():
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, content / rel)
        if not as_folder and not pictures:
            target = _free(folder / name)
            shutil.move(content / name, target)
            return Imported(target=target, routine_files=[target])
        target = _free(folder / (name if as_folder else Path(name).stem))
        shutil.move(content, target)
        return Imported(target=target if as_folder else target / name,
                        routine_files=[target / f.relative_to(base) for f in files],
                        pictures=[target / w.relative_to(base) for w in pictures])
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _free(path: Path) -> Path:
    """``path``, or ``name-2``, ``name-3``... when it is taken (a file keeps its ending)."""
    stem, ending = (path.stem, path.suffix) if path.suffix.lower() in YAML_SUFFIXES else (
        path.name, "")
    counter = 2
    candidate = path
    while candidate.exists() or candidate.is_symlink():
        candidate = path.with_name(f"{stem}-{counter}{ending}")
        counter += 1
    return candidate
