"""Put BackRehab in the person's application menu: the .desktop file and the icon.

Installs, for the current user only and only when asked:

* ``packaging/backrehab.desktop`` -> ``$XDG_DATA_HOME/applications/backrehab.desktop``
* ``assets/icons/backrehab.svg`` -> ``$XDG_DATA_HOME/icons/hicolor/scalable/apps/backrehab.svg``

``$XDG_DATA_HOME`` defaults to ``~/.local/share``. The file name matches what
the app gives Qt (``setDesktopFileName("backrehab")``), so the desktop ties
the window to the menu entry and shows the icon. ``Exec`` is rewritten to the
command that started this Python, with its full path, because a menu does
not see the PATH a shell's start-up files set (a virtualenv or ~/.local/bin).
No icon or menu caches are built: desktops watch these folders, and a cache
left in a person's own icon folder goes stale the next time anything else
installs an icon there.

Run it as ``python -m backrehab_gui.infra.desktop_install [--uninstall]``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from . import paths

DESKTOP_ID = "backrehab"
DESKTOP_NAME = f"{DESKTOP_ID}.desktop"
ICON_NAME = f"{DESKTOP_ID}.svg"


class InstallError(Exception):
    """The files could not be installed; ``message`` says why in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Installed:
    desktop_file: Path
    icon: Path
    exec_line: str


def data_home() -> Path:
    """``$XDG_DATA_HOME``, or ``~/.local/share`` when it is unset or not absolute."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / ".local" / "share"


def desktop_source() -> Path:
    return paths.bundled("packaging") / DESKTOP_NAME


def icon_source() -> Path:
    return paths.assets() / "icons" / ICON_NAME


def launch_command() -> list[str]:
    """How a menu should start this installation of BackRehab."""
    script = Path(sys.executable).parent / ("backrehab.exe" if os.name == "nt" else "backrehab")
    if script.is_file() and os.access(script, os.X_OK):
        return [str(script)]
    found = shutil.which("backrehab")
    if found:
        return [str(Path(found).resolve())]
    return [sys.executable, "-m", "backrehab_gui"]


def exec_quote(argument: str) -> str:
    """One Exec argument, quoted as the Desktop Entry spec asks.

    Inside double quotes the spec escapes ``"`, `` ` ``, ``$`` and ``\\`` with a
    backslash; the key file format then doubles every backslash again. A
    literal % is written %%.
    """
    argument = argument.replace("%", "%%")
    if argument and not re.search(r"[\s\"'\\><~|&;$*?#()`=]", argument):
        return argument
    quoted = re.sub(r'(["`$\\])', r"\\\1", argument)
    return '"' + quoted.replace("\\", "\\\\") + '"'


def render(template: str, command: list[str]) -> str:
    """The .desktop text with Exec and TryExec pointing at ``command``."""
    exec_line = " ".join(exec_quote(a) for a in command)
    lines = []
    for line in template.splitlines():
        if line.startswith("Exec="):
            line = f"Exec={exec_line}"
        elif line.startswith("TryExec="):
            line = f"TryExec={command[0]}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def install(target: Path | None = None, command: list[str] | None = None) -> Installed:
    """Install the menu entry and icon under ``target`` (default: ``data_home()``)."""
    target = target or data_home()
    command = command or launch_command()
    source, icon = desktop_source(), icon_source()
    for needed in (source, icon):
        if not needed.is_file():
            raise InstallError(f"{needed} is missing from this installation of BackRehab.")
    applications = target / "applications"
    icons = target / "icons" / "hicolor" / "scalable" / "apps"
    try:
        applications.mkdir(parents=True, exist_ok=True)
        icons.mkdir(parents=True, exist_ok=True)
        desktop_file = applications / DESKTOP_NAME
        _write_atomically(desktop_file, render(source.read_text(encoding="utf-8"), command))
        icon_file = icons / ICON_NAME
        _write_atomically(icon_file, icon.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InstallError(f"Could not install into {target}: {exc.strerror or exc}.") from exc
    return Installed(desktop_file, icon_file, " ".join(exec_quote(a) for a in command))


def uninstall(target: Path | None = None) -> list[Path]:
    """Remove what ``install`` put there; returns the files removed."""
    target = target or data_home()
    removed = []
    for path in (target / "applications" / DESKTOP_NAME,
                 target / "icons" / "hicolor" / "scalable" / "apps" / ICON_NAME):
        try:
            path.unlink()
            removed.append(path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise InstallError(f"Could not remove {path}: {exc.strerror or exc}.") from exc
    return removed


def _write_atomically(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m backrehab_gui.infra.desktop_install",
        description="Add BackRehab to your application menu (for you only).")
    parser.add_argument("--uninstall", action="store_true", help="remove it again")
    parser.add_argument("--target", metavar="DIR", type=Path,
                        help="instead of $XDG_DATA_HOME or ~/.local/share")
    args = parser.parse_args(argv)
    try:
        if args.uninstall:
            removed = uninstall(args.target)
            print("\n".join(f"removed {p}" for p in removed) or "nothing to remove")
        else:
            done = install(args.target)
            print(f"installed {done.desktop_file}\ninstalled {done.icon}\n"
                  f"the menu entry runs: {done.exec_line}")
    except InstallError as err:
        print(f"backrehab: {err.message}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
