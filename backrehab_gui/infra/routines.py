"""Finding and loading the routine files the app uses.

The bundled program always loads; the person's own routines folder (files a
therapist sent, or their own) loads beside it, so their routines can use the
bundled exercise library.

Routine files are data from outside, and the code that reads them can have
faults of its own, so one file must never stop the app: each file is read,
combined with the others and has its routines timed (as the Routines list
does) so that any failure, a fault of BackRehab's included, sets that file
aside (left where it is, not loaded, named with the reason in
``Library.set_aside`` and ``problems``) while everything else loads.
"""

from __future__ import annotations

import os
import stat
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..core.limits import overgrown
from ..core.loading import YAML_SUFFIXES, Library, ParsedFile, Problem, combine, parse_file
from ..core.timeline import compile_routine
from . import paths, routine_cache


class TooManyFiles(Exception):
    """A folder holds more entries than the caller allowed."""


def listing(targets: Iterable[Path], *, limit: int | None = None
            ) -> tuple[list[Path], list[Problem]]:
    """Files named directly, and the YAML files inside named folders (sorted, each once).

    What cannot be used is a problem, never skipped in silence: a folder that cannot be
    read, a link to nothing, a link to a folder (not followed, as loops would never end),
    something that is not a plain file. ``limit`` caps the entries looked at in a folder;
    past it, TooManyFiles is raised.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    for target in targets:
        if target.is_dir():
            files.extend(_yaml_under(target, problems, limit))
        elif target.is_file():
            files.append(target)
        else:
            problems.append(Problem(str(target), "no such file or folder"))
    seen: set[Path] = set()
    unique = []
    for path in files:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, problems


def _yaml_under(folder: Path, problems: list[Problem], limit: int | None) -> list[Path]:
    found: list[Path] = []
    looked_at = 0

    def unreadable(err: OSError) -> None:
        problems.append(Problem(str(err.filename or folder),
                                f"this folder cannot be read ({err.strerror}), so the routine "
                                "files in it were not loaded"))

    for root, dirs, names in os.walk(folder, onerror=unreadable):
        looked_at += len(dirs) + len(names)
        if limit is not None and looked_at > limit:
            raise TooManyFiles(str(folder))
        dirs.sort()
        for name in dirs:
            if os.path.islink(os.path.join(root, name)):
                problems.append(Problem(os.path.join(root, name),
                                        "is a link to a folder, which BackRehab does not follow; "
                                        "move or copy the folder itself here"))
        for name in names:
            path = Path(root) / name
            if path.suffix.lower() not in YAML_SUFFIXES:
                continue
            why = _not_plain(path)
            if why is None:
                found.append(path)
            elif why:
                problems.append(Problem(str(path), why))
    return sorted(found)


def _not_plain(path: Path) -> str | None:
    """Why ``path`` cannot be read as a routine file, or None when it can ("" to skip it)."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        # Editors leave hidden links to nothing as lock files (.#plan.yaml): not the person's.
        return "" if path.name.startswith(".") else (
            "is a link to a file that does not exist, so it was not loaded")
    except OSError as err:
        return f"cannot be read ({err.strerror}), so it was not loaded"
    if not stat.S_ISREG(mode):
        # A pipe or device named like a routine file would block or never end.
        return "is not a plain file, so it was not loaded"
    return None


def expand(targets: Iterable[Path]) -> list[Path]:
    """Files named directly, and the YAML files inside named folders."""
    return listing(targets)[0]


def with_bundled(targets: Iterable[Path]) -> list[Path]:
    """The bundled files first, then ``targets``, each file once."""
    return bundled_listing(targets)[0]


def bundled_listing(targets: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """The bundled files first, then ``targets``, each file once; and what could not be used."""
    return listing([paths.bundled_routines(), *targets])


def load_for_app(data: Path) -> Library:
    """The bundled program plus the person's routines folder, if it exists; each file
    checked once and kept checked in the cache folder (``routine_cache``)."""
    user = paths.user_routines(data)
    files, problems = bundled_listing([user] if user.is_dir() else [])
    cache = paths.cache_dir() / "routines"
    growth = routine_cache.GrowthChecks(cache)
    lib = load_contained(files, asset_roots=[paths.assets()],
                         parse=lambda path: routine_cache.parse_file(path, cache),
                         growth=growth)
    growth.save()
    lib.problems[:0] = problems
    return lib


# --- One file's failure stays with that file -------------------------------------


def load_contained(files: Sequence[Path], asset_roots: Sequence[Path] = (),
                   parse: Callable[[Path], ParsedFile] = parse_file,
                   growth: Callable[..., dict | None] = overgrown) -> Library:
    """Load ``files`` into one library; a file whose loading fails in any way is set aside.

    Reading is per file already. Combining and timing look at all files at once, so when
    they fail the culprit is found by adding the files one at a time, set aside, and the
    rest loaded again. That costs nothing unless something fails.
    """
    kept: list[ParsedFile] = []
    aside: list[Problem] = []
    for path in files:
        try:
            kept.append(parse(path))
        except Exception as err:  # noqa: BLE001 - any fault: this file only, never the app
            aside.append(_set_aside(str(path), err))
    while True:
        try:
            lib = _usable(kept, asset_roots, growth)
            break
        except _FileFailed as failed:
            name, error = failed.name, failed.error
        except Exception as err:  # noqa: BLE001
            if not kept:
                lib = Library()
                break
            name, error = _culprit(kept, asset_roots, err, growth)
        aside.append(_set_aside(name, error))
        kept = [pf for pf in kept if pf.name != name]
    lib.set_aside = aside
    lib.problems[:0] = aside
    return lib


class _FileFailed(Exception):
    def __init__(self, name: str, error: Exception) -> None:
        super().__init__(name)
        self.name = name
        self.error = error


def _usable(parsed: Sequence[ParsedFile], asset_roots: Sequence[Path],
            growth: Callable[..., dict | None] = overgrown) -> Library:
    """Combine the files and time every routine, as the app will when it shows them."""
    lib = combine(parsed, asset_roots, growth=growth)
    for ident, routine in lib.routines.items():
        try:
            compile_routine(routine, lib.exercises)
        except Exception as err:  # noqa: BLE001
            raise _FileFailed(lib.origins[("routines", ident)].file, err) from err
    return lib


def _culprit(parsed: Sequence[ParsedFile], asset_roots: Sequence[Path],
             error: Exception, growth: Callable[..., dict | None] = overgrown,
             ) -> tuple[str, Exception]:
    """The first file whose addition makes loading fail, and how it failed."""
    for count in range(1, len(parsed) + 1):
        try:
            _usable(parsed[:count], asset_roots, growth)
        except _FileFailed as failed:
            return failed.name, failed.error
        except Exception as err:  # noqa: BLE001
            return parsed[count - 1].name, err
    # It failed only once, not again: the last file is the best guess, and leaving it
    # out guarantees the loop in load_contained ends.
    return parsed[-1].name, error


def _set_aside(name: str, err: Exception) -> Problem:
    # The details go to the terminal for a bug report; the person gets plain words.
    print(f"backrehab: set aside {name}:", file=sys.stderr)
    traceback.print_exception(err, file=sys.stderr)
    detail = f"{type(err).__name__}: {err}"
    if len(detail) > 200:
        detail = detail[:199] + "\u2026"
    return Problem(name, "BackRehab went wrong while loading this file, so the file was set "
                   "aside: left where it is and not loaded. The fault is BackRehab's, not "
                   f"necessarily the file's ({detail})")
