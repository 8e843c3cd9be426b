"""Where BackRehab's files live.

Folders are resolved when asked for, never at import time: an explicit
argument first, then an environment variable, then the platform's default.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "BackRehab"
HOME_ENV = "BACKREHAB_HOME"

_PACKAGE = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """A folder shipped with the app: ``routines`` or ``assets``.

    An installed wheel carries them inside the package; a source checkout
    (and an editable install) has them at the top of the repository.
    """
    inside = _PACKAGE / "_bundled" / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def bundled_routines() -> Path:
    return bundled("routines")


def assets() -> Path:
    return bundled("assets")


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The user's data folder: ``explicit``, else $BACKREHAB_HOME, else the platform default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_routines(data: Path) -> Path:
    """Routine files the person added or imported."""
    return data / "routines"
