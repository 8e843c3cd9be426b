"""Where BackRehab's files live.

Folders are resolved when asked for, never at import time: an explicit
argument first, then an environment variable, then the platform's default.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
    """The user's data folder: ``explicit``, else $BACKREHAB_HOME, else the folder the person
    chose in the settings, else the platform default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(HOME_ENV)
    if env:
        return Path(env).expanduser()
    chosen = chosen_data_dir()
    return chosen if chosen is not None else default_data_dir()


def default_data_dir() -> Path:
    import platformdirs  # loaded when needed: start-up with $BACKREHAB_HOME skips it

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def _location_file() -> Path:
    import platformdirs

    # The choice lives outside the data folder: it says where the data folder is.
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)) / "data-folder"


def chosen_data_dir() -> Path | None:
    """The data folder the person chose, if any."""
    try:
        text = _location_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text).expanduser() if text else None


def choose_data_dir(folder: Path | None) -> None:
    """Remember ``folder`` as the data folder (None: back to the default). Raises OSError."""
    location = _location_file()
    if folder is None:
        location.unlink(missing_ok=True)
        return
    location.parent.mkdir(parents=True, exist_ok=True)
    location.write_text(str(folder) + "\n", encoding="utf-8")


def cache_dir() -> Path:
    """Where BackRehab keeps what it can always make again (the checked routine files,
    the spoken clips):
    $XDG_CACHE_HOME/BackRehab on Linux, the platform's cache folder elsewhere."""
    return _platform_dir("XDG_CACHE_HOME", (".cache",), "user_cache_dir")


def state_dir() -> Path:
    """The platform's folder for state that outlives a run ($XDG_STATE_HOME/BackRehab on
    Linux): one of the recovery journal's fallback places."""
    return _platform_dir("XDG_STATE_HOME", (".local", "state"), "user_state_dir")


def _platform_dir(variable: str, default: tuple[str, ...], name: str) -> Path:
    if sys.platform.startswith("linux"):
        # As platformdirs says it, without importing it at every start.
        base = os.environ.get(variable, "").strip()
        return Path(base or Path.home().joinpath(*default)) / APP_NAME
    import platformdirs

    return Path(getattr(platformdirs, name)(APP_NAME, appauthor=False))


def user_routines(data: Path) -> Path:
    """Routine files the person added or imported."""
    return data / "routines"

