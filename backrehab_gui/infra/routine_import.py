"""Importing what a therapist sent: one routine file, or a folder of them, with their pictures.

Everything is checked before anything is copied: the routine files together
with the bundled program and the files already in the person's routines
folder (so exercise references resolve and ids may not clash), and every
picture they refer to (a real SVG, PNG or JPEG, at most 5 MiB). With any
problem nothing is copied and every problem is returned at once. Otherwise
the files are copied into a hidden staging folder and moved into the
routines folder in one step, so the app, which reloads when that folder
changes, never sees half an import.

What was sent may be a new version of what the person has (the same routine
id, a custom exercise sent again with changes): ``routine_replace`` plans that,
and the import then waits for ``replace`` (the person's yes) before changing
anything, keeping the old files aside.
"""

from __future__ import annotations

import codecs
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..core.loading import YAML_SUFFIXES, Library, ParsedFile, Problem, parse_file
from . import paths, routine_replace
from .put_aside import PutAside
from .routine_replace import Replacement
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
    replacing: Replacement | None = None
    """What this import replaces among the person's files: when not ``ok`` (and no
    problems), what it would replace if they said yes; when ``ok``, what it replaced."""
    kept: Path | None = None
    """Where the files it replaced are kept."""
    already: bool = False
    """Everything sent is there already, exactly as sent: nothing was copied."""
    breaks: list[Problem] = field(default_factory=list)
    """Routines the person keeps that replacing would break: refused (``breaks_message``)."""

    @property
    def ok(self) -> bool:
        return self.target is not None

    @property
    def asks(self) -> bool:
        """Nothing was done yet: it would replace what the person has (``replacing``)."""
        return (self.target is None and not self.problems and not self.breaks
                and self.replacing is not None)

    def breaks_message(self, name: str, data: Path) -> str:
        """Why it was refused when it would break routines the person keeps."""
        assert self.replacing is not None
        return routine_replace.breaks_message(name, self.replacing, self.breaks,
                                              paths.user_routines(data))


def import_path(source: Path, data: Path, *, replace: bool | Replacement = False,
                now: datetime | None = None) -> Imported:
    """Import a routine file, or every routine file in a folder.

    When it would replace what the person has, nothing is done unless ``replace`` is True
    or the very Replacement they were shown (a plan that changed since is asked again).
    ``now`` names the folder the old files are kept in.
    """
    how = {"replace": replace, "now": now}
    return (import_folder(source, data, **how) if source.is_dir() else
            import_file(source, data, **how))


def import_file(source: Path, data: Path, *, replace: bool | Replacement = False,
                now: datetime | None = None) -> Imported:
    """Check a routine file and the pictures it shows, then copy them into the routines folder.

    A file without pictures of its own goes straight into the routines folder; one with
    pictures goes into a new folder named after it, so its pictures never replace
    another routine's.
    """
    if source.suffix.lower() not in YAML_SUFFIXES:
        return _refused(source, "is not a routine file: it should end in .yaml")
    if not source.is_file():
        return _refused(source, "no such file")
    return _import(source, [source], source.parent, data, as_folder=False, replace=replace,
                   now=now)


def import_folder(source: Path, data: Path, *, replace: bool | Replacement = False,
                  now: datetime | None = None) -> Imported:
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
    return _import(source, files, source, data, as_folder=True, replace=replace, now=now)


def _refused(source: Path, message: str) -> Imported:
    return Imported(problems=[Problem(str(source), message)])


def _within(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _import(source: Path, files: list[Path], base: Path, data: Path, *, as_folder: bool,
            replace: bool | Replacement, now: datetime | None) -> Imported:
    folder = paths.user_routines(data)
    sources = {f.resolve() for f in files}
    existing = [p for p in (listing([folder])[0] if folder.is_dir() else [])
                if p.resolve() not in sources]
    roots = [paths.assets()]
    parsed: dict[Path, ParsedFile] = {}

    def parse(path: Path) -> ParsedFile:  # each file read once for both loads
        if path not in parsed:
            parsed[path] = parse_file(path)
        return parsed[path]

    # Only what the import adds counts: a problem the person's folder had before is
    # not a reason to refuse what was sent.
    checked = routine_replace.check(
        source, files, existing, with_bundled([]), folder, roots,
        lambda some, read: load_contained(some, roots, read), parse)
    problems = checked.problems
    pictures, picture_problems = _pictures(checked.library, files)
    problems += picture_problems
    if problems:
        return Imported(problems=problems + checked.breaks)
    plan = checked.replacement
    if checked.breaks:
        return Imported(breaks=checked.breaks, replacing=plan)
    if all(f.resolve().is_relative_to(folder.resolve()) for f in files):
        if plan.needed or plan.same:
            others = [str(p.relative_to(folder)) for p in [*plan.set_aside, *plan.edited]]
            return _refused(source, "is already in your routines folder, and so is another "
                            f"version of what it holds ({', '.join(others)}); keep one of them")
        return Imported(target=files[0], routine_files=files)  # already there: checked only
    if plan.same:
        return Imported(target=plan.set_aside[0], replacing=plan, already=True)
    if plan.needed and (replace is False or (isinstance(replace, Replacement)
                                             and replace != plan)):
        return Imported(replacing=plan)
    return _copy(files, pictures, base, folder, data, source.name, as_folder,
                 plan if plan.needed else None, now or datetime.now())


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
          data: Path, name: str, as_folder: bool, replacing: Replacement | None,
          now: datetime) -> Imported:
    """Copy into a staging folder, then move it all into the routines folder at once
    (after putting aside what it replaces, which comes back if the move fails).

    Raises OSError when nothing was changed, put_aside.ReplaceFailed when a
    replacement failed (saying whether everything was put back)."""
    folder.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".importing-", dir=data))
    try:
        content = staging / "content"
        plan = {f.relative_to(base): f for f in files}
        plan.update({written.relative_to(base): found for written, found in pictures.items()})
        for rel, src in plan.items():
            (content / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, content / rel)
        aside = PutAside(replacing, folder, data, staging) if replacing else None
        kept = aside.do(now) if aside else None
        done = Imported(replacing=replacing, kept=kept)
        try:
            # Named once the old files are out: the new version takes the old one's name.
            if not as_folder and not pictures:
                done.target = _free(folder / name)
                _move_in(content / name, done.target)
                done.routine_files = [done.target]
                return done
            target = _free(folder / (name if as_folder else Path(name).stem))
            _move_in(content, target)
        except OSError as err:
            if aside is None:
                raise
            raise aside.failure(err) from err
        done.target = target if as_folder else target / name
        done.routine_files = [target / f.relative_to(base) for f in files]
        done.pictures = [target / w.relative_to(base) for w in pictures]
        return done
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(staged: Path, target: Path) -> None:
    """The one step that brings what was sent into the routines folder."""
    shutil.move(staged, target)


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
