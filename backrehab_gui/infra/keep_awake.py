"""Keep the screen on while a session runs: nobody reaches for the mouse mid-plank.

``KeepAwake`` runs a desktop's own inhibit tool as a child process for as long
as the session lasts; ``NullKeepAwake`` does nothing and says why;
``RecordingKeepAwake`` is for tests. ``make_keep_awake`` picks one and never
raises.

Why a child process, and which one (researched, then measured where possible):

* The freedesktop ``org.freedesktop.ScreenSaver.Inhibit`` call lasts only while
  the caller stays connected to the session bus: a one-shot ``gdbus call`` or
  ``dbus-send`` is released the moment that command exits. Holding it needs a
  long-lived process, and infra may not use Qt's D-Bus; so a tool that holds
  the inhibition for as long as it runs is the portable way.
* GNOME: ``gnome-session-inhibit --inhibit idle COMMAND`` asks gnome-session
  (the thing that blanks and locks the screen) and holds it until COMMAND
  exits. It exits 1 at once when there is no gnome-session on the bus.
* KDE Plasma (PowerDevil), swayidle, hypridle (unless told to ignore them)
  and logind's own IdleAction honour logind "idle" inhibitor locks:
  ``systemd-inhibit --what=idle``. GNOME decides idleness in gnome-session,
  whose own inhibitors gnome-session-inhibit sets, so that one goes first.
  Some desktops (COSMIC, as of late 2025) honour neither.
* macOS: ``caffeinate -d -i COMMAND``. Windows: a tiny Python child that calls
  SetThreadExecutionState (written to the documented API; not run here).

The COMMAND each tool runs is ``cat`` reading a pipe from this process: when
BackRehab exits for any reason, even killed, the pipe closes, ``cat`` ends and
the tool releases the inhibition. ``stop()`` and interpreter exit also kill the
whole child process group, so nothing outlives a session.

Starting never blocks: a watcher thread waits ``settle`` seconds for the tool
to fail (no session bus, no gnome-session) and then tries the next one. The
result is read through ``active``/``available``/``reason`` or ``wait_settled``,
and ``on_change`` (called on the watcher thread) tells a UI to look again.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import weakref
from collections.abc import Callable, Sequence
from typing import Protocol

APP_ID = "backrehab"
DEFAULT_REASON = "Exercise session"
REASON_FIELD = "{reason}"
"""Replaced, inside any argument of a command, by the reason given to ``start``."""
ADVICE = "Move the mouse now and then, or change the screen-saver settings."
"""What the person can do instead, after every reason the screen may dim."""

_WINDOWS_HELPER = (
    "import ctypes, sys\n"
    "# ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED, held by this thread\n"
    "ctypes.windll.kernel32.SetThreadExecutionState(0x80000000 | 0x1 | 0x2)\n"
    "sys.stdin.buffer.read()\n"
)


def default_commands(platform: str | None = None) -> list[list[str]]:
    """The inhibit tools to try on this platform, best first."""
    platform = platform or sys.platform
    if platform.startswith("linux") or "bsd" in platform:
        return [
            ["gnome-session-inhibit", "--app-id", APP_ID, "--reason", REASON_FIELD,
             "--inhibit", "idle", "cat"],
            ["systemd-inhibit", "--what=idle", "--who=BackRehab", f"--why={REASON_FIELD}",
             "--mode=block", "cat"],
        ]
    if platform == "darwin":
        return [["caffeinate", "-d", "-i", "cat"]]
    if platform == "win32":
        return [[sys.executable, "-c", _WINDOWS_HELPER]]
    return []


class KeepAwakeDevice(Protocol):
    """Keeps the screen on between ``start`` and ``stop``; never raises."""

    @property
    def available(self) -> bool:
        """False when the screen cannot be kept on here (``reason`` says why)."""
        ...

    @property
    def active(self) -> bool:
        """True while the screen is being kept on."""
        ...

    @property
    def reason(self) -> str:
        """Why the screen may still dim, in words for the person; "" when all is well."""
        ...

    def start(self, reason: str = DEFAULT_REASON) -> None: ...

    def stop(self) -> None: ...


class NullKeepAwake:
    """Does nothing; keeps the reason for the UI to show once."""

    available = False
    active = False

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def start(self, reason: str = DEFAULT_REASON) -> None:
        pass

    def stop(self) -> None:
        pass


class RecordingKeepAwake:
    """For tests: remembers the calls and whether it is holding the screen on."""

    available = True
    reason = ""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.active = False

    def start(self, reason: str = DEFAULT_REASON) -> None:
        self.calls.append(("start", reason))
        self.active = True

    def stop(self) -> None:
        self.calls.append(("stop", ""))
        self.active = False


_LIVE: weakref.WeakSet[KeepAwake] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    for keeper in list(_LIVE):
        keeper.stop()


class KeepAwake:
    """Holds an inhibit tool running from ``start`` until ``stop``.

    ``commands`` are tried in order (default: ``default_commands()``); each is
    an argv list in which ``{reason}`` is replaced by the reason. A command
    counts as working once it has run for ``settle`` seconds; one that ends
    sooner or later is recorded in ``reason`` and the next is tried.
    """

    def __init__(self, commands: Sequence[Sequence[str]] | None = None, *,
                 settle: float = 0.5, on_change: Callable[[], None] | None = None) -> None:
        self.commands = [list(c) for c in (default_commands() if commands is None
                                           else commands)]
        self.settle = settle
        self.on_change = on_change
        self._lock = threading.Lock()
        self._settled = threading.Event()
        self._generation = 0
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._method = ""
        self._failed = False
        self._reason = self._missing_reason()
        self.detail = ""
        """What the tools said when they failed, for diagnostics; ``reason`` is for people."""
        self._settled.set()
        _LIVE.add(self)

    # --- State -----------------------------------------------------------------------

    @property
    def available(self) -> bool:
        with self._lock:
            return not self._failed and bool(self._installed())

    @property
    def active(self) -> bool:
        with self._lock:
            return bool(self._method)

    @property
    def method(self) -> str:
        """The tool holding the screen on now ("" when none)."""
        with self._lock:
            return self._method

    @property
    def reason(self) -> str:
        with self._lock:
            return self._reason

    @property
    def running(self) -> bool:
        """True while a child process of ours is running (working or not yet settled)."""
        with self._lock:
            return self._process is not None and self._process.poll() is None

    @property
    def pid(self) -> int | None:
        """The child's process id, for tests and diagnostics."""
        with self._lock:
            return self._process.pid if self._process is not None else None

    def wait_settled(self, timeout: float | None = None) -> bool:
        """Wait until a tool works or all have failed; False on timeout."""
        return self._settled.wait(timeout)

    # --- Start and stop ----------------------------------------------------------------

    def start(self, reason: str = DEFAULT_REASON) -> None:
        """Start keeping the screen on; returns at once. Does nothing if already started."""
        try:
            with self._lock:
                if self._thread is not None and self._thread.is_alive():
                    return
                installed = self._installed()
                if not installed:
                    self._failed = True
                    self._reason = self._missing_reason()
                    return
                self._generation += 1
                self._failed = False
                self._reason = self.detail = ""
                self._settled.clear()
                argvs = [[arg.replace(REASON_FIELD, reason or DEFAULT_REASON) for arg in argv]
                         for argv in installed]
                self._thread = threading.Thread(
                    target=self._run, args=(self._generation, argvs),
                    name="backrehab-keep-awake", daemon=True)
                self._thread.start()
        except Exception as exc:  # never into the caller: a dim screen is not worth a crash
            self._give_up([f"the screen could not be kept on ({exc})"])

    def stop(self) -> None:
        """Let the screen dim again: ends the child and its children. Never raises."""
        with self._lock:
            self._generation += 1
            process, self._process = self._process, None
            thread, self._thread = self._thread, None
            self._method = ""
        if process is not None:
            _end(process)
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=5)
        self._settled.set()

    close = stop

    # --- The watcher thread ------------------------------------------------------------

    def _run(self, generation: int, argvs: list[list[str]]) -> None:
        failures: list[str] = []
        for argv in argvs:
            failure = self._hold(generation, argv)
            if failure is None:
                return  # stopped on purpose
            failures.append(failure)
        with self._lock:
            if generation != self._generation:
                return
        self._give_up(failures)

    def _hold(self, generation: int, argv: list[str]) -> str | None:
        """Run one tool until it ends; None when stop() ended it, else what went wrong."""
        name = os.path.basename(argv[0])
        with tempfile.TemporaryFile() as errors:
            with self._lock:
                if generation != self._generation:
                    return None
                try:
                    process = _spawn(argv, errors)
                except OSError as exc:
                    return f"{name} could not start ({exc.strerror or exc})"
                self._process = process
            try:
                process.wait(timeout=self.settle)
            except subprocess.TimeoutExpired:
                with self._lock:
                    if generation != self._generation:
                        return None
                    self._method = name
                    self._reason = ""
                self._settled.set()
                self._notify()
                process.wait()
            with self._lock:
                if generation != self._generation:
                    return None
                self._process = None
                self._method = ""
            return f"{name} ended: {_summary(process.returncode, errors)}"

    def _give_up(self, failures: list[str]) -> None:
        with self._lock:
            self._failed = True
            self._method = ""
            self.detail = "; ".join(failures)
            self._reason = plain_reason(failures)
        self._settled.set()
        self._notify()

    def _notify(self) -> None:
        if self.on_change is not None:
            with contextlib.suppress(Exception):
                self.on_change()

    def _installed(self) -> list[list[str]]:
        return [argv for argv in self.commands if argv and _found(argv[0])]

    def _missing_reason(self) -> str:
        if self._installed():
            return ""
        if not self.commands:
            return f"Could not keep the screen awake: this system offers no way to. {ADVICE}"
        names = [os.path.basename(argv[0]) for argv in self.commands if argv]
        tools = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
        return (f"Could not keep the screen awake: the tool for it ({tools}) is not "
                f"installed. {ADVICE}")


# What the tools print, in the order the causes matter to the person: the most
# telling cause wins when several tools failed: without a bus all fail, and GNOME's
# session manager is missing on every other desktop, where the next tool's refusal is news.
_CAUSES = (
    (("failed to connect to bus", "could not connect to", "dbus_session_bus_address",
      "cannot autolaunch d-bus"), "no desktop session bus is running"),
    (("access denied", "permission denied", "not authorized", "interactive authentication",
      "not allowed"), "the system did not allow it"),
    (("serviceunknown", "sessionmanager", "not provided by any"),
     "the desktop's session manager is not running"),
)


def plain_reason(failures: Sequence[str]) -> str:
    """Why the screen may dim, in words for the person, from what the tools printed.

    The tools' own messages ("Failed to connect to bus: No such file or directory")
    mean nothing to someone doing a plank, so they are read for their cause only.
    """
    text = " ".join(failures).lower()
    why = next((plain for needles, plain in _CAUSES if any(n in text for n in needles)),
               "the desktop did not accept the request")
    return f"Could not keep the screen awake: {why}. {ADVICE}"


def _found(program: str) -> bool:
    return (os.path.isabs(program) and os.access(program, os.X_OK)) or \
        shutil.which(program) is not None


def _spawn(argv: list[str], errors) -> subprocess.Popen[bytes]:
    extra: dict[str, object] = {}
    if os.name == "posix":
        extra["start_new_session"] = True  # its own group: stop() ends the tool and its child
    elif sys.platform == "win32":
        extra["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    # stdin stays an open pipe: the tool's child reads it until we exit or close it.
    return subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=errors, **extra)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Close the pipe, end the process group, and reap the child: no zombie stays."""
    with contextlib.suppress(OSError):
        if process.stdin is not None:
            process.stdin.close()
    for sig in (signal.SIGTERM, getattr(signal, "SIGKILL", signal.SIGTERM)):
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError):
            if os.name == "posix":
                os.killpg(process.pid, sig)
            else:
                process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=2)
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=2)


def _summary(code: int | None, errors) -> str:
    with contextlib.suppress(OSError, ValueError):
        errors.seek(0)
        text = errors.read(2000).decode("utf-8", "replace").strip()
        lines = [line for line in text.splitlines() if line.strip()]
        if lines:
            return lines[-1].strip()
    if code is not None and code < 0:
        return f"stopped by signal {-code}"
    return f"exit status {code}"


def make_keep_awake(enabled: bool = True, *,
                    on_change: Callable[[], None] | None = None) -> KeepAwakeDevice:
    """The keeper to use: the platform's inhibit tool, or a NullKeepAwake. Never raises.

    A NullKeepAwake's ``reason`` is "" when keeping the screen on was turned off on purpose.
    """
    if not enabled:
        return NullKeepAwake("")
    keeper = KeepAwake(on_change=on_change)
    if not keeper.available:
        return NullKeepAwake(keeper.reason)
    return keeper
