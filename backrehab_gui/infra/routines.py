"""Finding and loading the routine files the app uses.

The bundled program always loads; the person's own routines folder (files a
therapist sent, or their own) loads beside it, so their routines can use the
bundled exercise library.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from ..core.loading import Library, Problem, load_library, routine_files
from . import paths


def expand(targets: Iterable[Path]) -> list[Path]:
    """Files named directly, and the YAML files inside named folders."""
    return routine_files(targets)[0]


def with_bundled(targets: Iterable[Path]) -> list[Path]:
    """The bundled files first, then ``targets``, each file once."""
    seen: set[Path] = set()
    out: list[Path] = []
    for path in [*expand([paths.bundled_routines()]), *expand(targets)]:
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def load_for_app(data: Path) -> Library:
    """The bundled program plus the person's routines folder, if it exists."""
    user = paths.user_routines(data)
    targets = [user] if user.is_dir() else []
    return load_library(with_bundled(targets), asset_roots=[paths.assets()])


def import_file(source: Path, data: Path) -> tuple[Path | None, list[Problem]]:
    """Check a routine file a therapist sent, then copy it into the person's routines folder.

    It is checked together with the bundled program and the files already there, so
    its exercise references resolve and its ids may not clash. With any problem,
    nothing is copied and the problems are returned (file, line, field, words).
    """
    if source.suffix.lower() not in (".yaml", ".yml"):
        return None, [Problem(str(source), "is not a routine file: it should end in .yaml")]
    folder = paths.user_routines(data)
    existing = expand([folder]) if folder.is_dir() else []
    lib = load_library(with_bundled([*existing, source]), asset_roots=[paths.assets()])
    own = [p for p in lib.problems if Path(p.file).resolve() == source.resolve()]
    if own or lib.problems:
        return None, own or lib.problems
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    counter = 2
    while target.exists() and target.resolve() != source.resolve():
        target = folder / f"{source.stem}-{counter}{source.suffix}"
        counter += 1
    if target.resolve() != source.resolve():
        shutil.copyfile(source, target)
    return target, []
