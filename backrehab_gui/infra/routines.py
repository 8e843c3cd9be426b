"""Finding and loading the routine files the app uses.

The bundled program always loads; the person's own routines folder (files a
therapist sent, or their own) loads beside it, so their routines can use the
bundled exercise library.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..core.loading import Library, load_library, routine_files
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
