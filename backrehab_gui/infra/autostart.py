"""Start BackRehab with the desktop: an XDG autostart entry.

Freedesktop desktops (GNOME, KDE, Xfce, Cinnamon, MATE, LXQt...) start every
``*.desktop`` file in ``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart``
when the variable is unset or not an absolute path) when someone logs in.
BackRehab writes ``backrehab.desktop`` there, running the app with
``--tray`` so that it starts quietly in the tray and only reminds.

Writes are atomic (a temporary file renamed over the old one). Every failure
is an AutostartError (an OSError) with a sentence that can be shown as it is.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

FILE_NAME = "backrehab.desktop"
TRAY_FLAG = "--tray"
"""The argument the autostart entry passes: start minimized to the tray."""

_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


class AutostartError(OSError):
    """Start-with-desktop could not be turned on or off; ``message`` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def config_home() -> Path:
    """$XDG_CONFIG_HOME when it is an absolute path, else ~/.config."""
    value = os.environ.get("XDG_CONFIG_HOME", "")
    if value and os.path.isabs(value):
        return Path(value)
    return Path.home() / ".config"


def autostart_dir() -> Path:
    return config_home() / "autostart"


def desktop_file() -> Path:
    """Where the entry lives (whether or not it exists)."""
    return autostart_dir() / FILE_NAME


def default_command() -> list[str]:
    """How to start this installation minimized: the ``backrehab`` script if it is
    on PATH, else this Python running the package."""
    script = shutil.which("backrehab")
    if script:
        return [script, TRAY_FLAG]
    return [sys.executable, "-m", "backrehab_gui", TRAY_FLAG]


def exec_value(argv: Sequence[str]) -> str:
    """An argument list as a Desktop Entry ``Exec`` value, quoted and escaped as the
    specification asks (reserved characters quoted, ``%`` doubled, backslashes
    escaped for the string level)."""
    if not argv:
        raise AutostartError("There is no command to start BackRehab with.")
    words = []
    for arg in argv:
        _check_text(arg)
        arg = arg.replace("%", "%%")
        if arg == "" or any(c in _RESERVED for c in arg):
            inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
            arg = f'"{inner}"'
        words.append(arg.replace("\\", "\\\\"))
    return " ".join(words)


def desktop_entry(exec_command: str | Sequence[str]) -> str:
    """The text of the autostart entry. A string is used as the Exec value as it is;
    a list of arguments is quoted (see :func:`exec_value`)."""
    if isinstance(exec_command, str):
        _check_text(exec_command)
        if not exec_command.strip():
            raise AutostartError("There is no command to start BackRehab with.")
        line = exec_command.strip()
    else:
        line = exec_value(exec_command)
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Version=1.0\n"
        "Name=BackRehab\n"
        "GenericName=Back exercise timer\n"
        "Comment=Reminders for your back exercises and sitting breaks\n"
        f"Exec={line}\n"
        "Icon=backrehab\n"
        "Terminal=false\n"
        "Categories=Utility;\n"
        "StartupNotify=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def enable(exec_command: str | Sequence[str] | None = None) -> Path:
    """Write the autostart entry (``None``: :func:`default_command`); returns its path."""
    text = desktop_entry(default_command() if exec_command is None else exec_command)
    path = desktop_file()
    try:
        _write_atomic(path, text)
    except OSError as err:
        raise AutostartError(f"BackRehab could not be set to start with the desktop: "
                             f"{path} could not be written ({_why(err)}).") from err
    return path


def disable() -> None:
    """Remove the entry. If the system starts BackRehab for everyone (an entry in
    $XDG_CONFIG_DIRS), write a hidden entry instead, which overrides it."""
    path = desktop_file()
    try:
        if _system_entry() is not None:
            _write_atomic(path, "[Desktop Entry]\nType=Application\nName=BackRehab\n"
                                "Hidden=true\nX-GNOME-Autostart-enabled=false\n")
        else:
            path.unlink(missing_ok=True)
    except OSError as err:
        raise AutostartError(f"BackRehab could not stop starting with the desktop: "
                             f"{path} could not be changed ({_why(err)}).") from err


def enabled() -> bool:
    """Whether BackRehab starts with the desktop: the user's entry, else the system's,
    exists and is neither hidden nor switched off."""
    path = desktop_file()
    if not path.exists():
        path = _system_entry() or path
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return False
    except (OSError, UnicodeDecodeError):
        return False
    values = _entry_values(text)
    if values.get("Hidden", "").lower() == "true":
        return False
    return values.get("X-GNOME-Autostart-enabled", "true").lower() != "false"


def _entry_values(text: str) -> dict[str, str]:
    """Keys of the [Desktop Entry] group (other groups, comments and localized keys aside)."""
    values: dict[str, str] = {}
    group = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            group = line[1:-1]
            continue
        if group == "Desktop Entry" and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def _system_entry() -> Path | None:
    dirs = os.environ.get("XDG_CONFIG_DIRS", "") or "/etc/xdg"
    for folder in dirs.split(os.pathsep):
        if folder and os.path.isabs(folder):
            candidate = Path(folder) / "autostart" / FILE_NAME
            if candidate.is_file():
                return candidate
    return None


def _check_text(text: str) -> None:
    if any(ord(c) < 32 for c in text):
        raise AutostartError("The command to start BackRehab cannot contain line breaks "
                             "or control characters.")


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".backrehab-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _why(err: OSError) -> str:
    return err.strerror or str(err)
