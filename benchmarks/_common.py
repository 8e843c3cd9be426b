"""Shared helpers for the benchmark scripts: machine facts, statistics, results.md.

Not part of the app and not imported by it. Each benchmark script imports this
module from its own folder (``python benchmarks/NAME.py`` puts the folder on
``sys.path``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results.md"

# Sections appear in results.md in this order, whichever script ran last.
SECTION_ORDER = ("timer_accuracy", "timer_accuracy_locked", "timer_accuracy_locked_inline",
                 "speech_latency", "startup", "history")

_HEADER = """\
# Benchmark results

Written by the scripts in this folder (see README.md). Each script replaces
only its own section below, so sections can come from different runs and
different machines: read each section's machine line before comparing.

Conditions on the reference machine: Qt runs on the `offscreen` platform
(`QT_QPA_PLATFORM=offscreen`; `startup` also tries xcb on Xvfb when it is
installed); there is no sound card, so `aplay` fails at once, harmlessly, and
the speech benchmark plays each clip through a stand-in player that lasts as
long as the clip. Numbers from a desktop with a display and speakers will differ.
"""


@contextlib.contextmanager
def quiet_stderr(enabled: bool = True):
    """Send file descriptor 2 to /dev/null (child processes too: without a sound card
    every aplay prints ALSA errors)."""
    if not enabled:
        yield
        return
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        sys.stderr.flush()
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)


def use_offscreen() -> None:
    """Run Qt without a display, as the reference runs did (before PySide6 is imported)."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"


# --- Statistics ----------------------------------------------------------------


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) with linear interpolation between ranks; nan if empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    if len(ordered) == 1:
        return float(ordered[0])
    rank = (len(ordered) - 1) * p / 100.0
    low = math.floor(rank)
    high = min(low + 1, len(ordered) - 1)
    return float(ordered[low] + (ordered[high] - ordered[low]) * (rank - low))


def median(values: Sequence[float]) -> float:
    return percentile(values, 50)


def ms(seconds: float, digits: int = 2) -> str:
    """Seconds as a millisecond figure for the tables."""
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "n/a"
    return f"{seconds * 1000:.{digits}f}"


def verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


# --- The machine ------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kib = int(line.split()[1])
                return f"{kib / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return "unknown"


def _os() -> str:
    name = platform.system()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                name = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return f"{name}, kernel {platform.release()}"


def _espeak() -> str:
    try:
        out = subprocess.run(["espeak-ng", "--version"], capture_output=True, text=True,
                             timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "not installed"
    found = re.search(r"eSpeak NG text-to-speech:\s*(\S+)", out)
    return found.group(1) if found else out.strip() or "unknown"


def _package_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _commit() -> str:
    """HEAD, and how many tracked files under backrehab_gui/ differ from it (others may be
    editing the working tree while a benchmark runs)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                              timeout=10).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD") or "unknown"
        changed = [line for line in git("status", "--porcelain", "--", "backrehab_gui",
                                        "routines", "assets").splitlines() if line.strip()]
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if changed:
        from backrehab_gui.core.wording import plural

        return f"{head} + uncommitted changes in {plural(len(changed), 'app file')}"
    return head


def machine() -> dict[str, str]:
    """The facts every results section records about where it ran."""
    try:
        import PySide6
        from PySide6.QtCore import qVersion

        pyside = f"{PySide6.__version__} (Qt {qVersion()})"
    except ImportError:
        pyside = "not installed"
    return {
        "CPU": _cpu_model(),
        "cores": str(os.cpu_count()),
        "RAM": _ram(),
        "OS": _os(),
        "Python": platform.python_version(),
        "PySide6": pyside,
        "pyttsx3": _package_version("pyttsx3"),
        "espeak-ng": _espeak(),
        "Qt platform": os.environ.get("QT_QPA_PLATFORM", "(default)"),
        "commit": _commit(),
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }


def machine_lines(info: dict[str, str] | None = None) -> list[str]:
    info = info or machine()
    return ["Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()
                                    if k not in ("date", "commit", "Qt platform")),
            f"Run: {info['date']}, commit {info['commit']}, "
            f"QT_QPA_PLATFORM={info['Qt platform']}",
            f"Command: `{' '.join(['.venv/bin/python', *_relative_argv()])}`"]


def _relative_argv() -> list[str]:
    script = Path(sys.argv[0]).resolve()
    try:
        first = str(script.relative_to(REPO))
    except ValueError:
        first = str(script)
    return [first, *sys.argv[1:]]


# --- results.md ----------------------------------------------------------------------


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- BEGIN {name} -->", f"<!-- END {name} -->"


def write_section(name: str, body: str, path: Path = RESULTS) -> None:
    """Replace (or add) this benchmark's section in results.md, leaving the others alone."""
    sections: dict[str, str] = {}
    if path.exists():
        text = path.read_text(encoding="utf-8")
        for found in re.finditer(r"<!-- BEGIN (\S+) -->\n(.*?)<!-- END \1 -->", text, re.S):
            sections[found.group(1)] = found.group(2)
    sections[name] = body.rstrip("\n") + "\n"
    order = [n for n in SECTION_ORDER if n in sections] + \
        sorted(n for n in sections if n not in SECTION_ORDER)
    parts = [_HEADER]
    for n in order:
        begin, end = _markers(n)
        parts.append(f"{begin}\n{sections[n]}{end}\n")
    content = "\n".join(parts)
    # Write beside and rename, so an interrupted run never leaves half a file.
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".results-", suffix=".md")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(content)
    os.replace(tmp, path)


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(out)


def dump_json(path: str | None, data: object) -> None:
    """Optionally keep the raw figures (--json FILE) for anyone who wants to plot them."""
    if path:
        Path(path).write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")


# --- Routines defined by a benchmark ------------------------------------------------


def routine_to_length(library, base: dict, pattern: Sequence[dict], seconds: float) -> dict:
    """``base`` (id, name, prepare, rests) with items from ``pattern``, cycled, added
    until the compiled session lasts at least ``seconds``."""
    from backrehab_gui.core import model as m
    from backrehab_gui.core.timeline import compile_routine

    items: list[dict] = []
    while True:
        items.append(dict(pattern[len(items) % len(pattern)]))
        routine = dict(base, exercises=items)
        timeline = compile_routine(m.Routine.model_validate(routine), library.exercises)
        if timeline.estimate >= seconds or len(items) >= 60:
            return routine


class StartClock:
    """time.monotonic, remembering the first reading since ``reset()`` and the latest one.

    Reset it just before starting a session: the controller reads the clock
    first in ``start()`` and hands that reading to ``engine.start(now)``, so
    ``first`` is then the engine's time zero; ``last`` is the ``now`` of the
    tick being handled.
    """

    def __init__(self) -> None:
        import time

        self._monotonic = time.monotonic
        self.first: float | None = None
        self.last: float | None = None

    def reset(self) -> None:
        self.first = None

    def __call__(self) -> float:
        now = self._monotonic()
        if self.first is None:
            self.first = now
        self.last = now
        return now


def bundled_library():
    """The bundled exercise library and routines, as the app loads them."""
    from backrehab_gui.infra import routines

    return routines.load_for_app(Path("/nonexistent-backrehab-benchmark-home"))


def build_player(library, routine: dict, speaker, sounds, clock, engine_settings=None):
    """The real SessionController in the real PlayerWindow, wired as the app wires them
    (App.start_routine), for a routine defined by a benchmark. Shown, not started."""
    from backrehab_gui.core import model as m
    from backrehab_gui.core.engine import EngineSettings
    from backrehab_gui.core.timeline import compile_routine
    from backrehab_gui.ui.player.controller import SessionController
    from backrehab_gui.ui.player.window import PlayerWindow

    timeline = compile_routine(m.Routine.model_validate(routine), library.exercises)
    controller = SessionController(timeline, speaker, sounds,
                                   engine_settings or EngineSettings(), clock=clock)
    player = PlayerWindow(controller, library.exercises, library.images)
    player.confirm_stop = lambda: True
    player.show()
    return player


def start_player(player, clock: StartClock) -> None:
    """Start the session as a person would, and make ``clock.first`` its time zero.

    The window may first ask a question (how the back feels); S skips it and
    starts, as the window tells the person. If that does not start the session,
    the controller is started directly.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from backrehab_gui.core.engine import State

    controller = player.controller
    clock.reset()
    begin = getattr(player, "begin", None)
    if callable(begin):
        begin()
    if controller.engine.state is State.READY:
        clock.reset()
        QTest.keyClick(player, Qt.Key.Key_S)
    if controller.engine.state is State.READY:
        clock.reset()
        controller.start()


