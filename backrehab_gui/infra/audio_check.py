"""Can this computer play sound at all? Asked once, answered in plain words.

On Linux the voice and the sounds play through one player (``pw-play``,
``paplay`` or ``aplay``, chosen by ``infra.audio``), one child process per
clip. Without a sound card aplay exits at once with "audio open error" (or
"no soundcards found" from ``aplay -l``), and nobody waits for a clip's exit
status: every cue would fail in silence while the person waits for a voice
that never comes. So the app plays a tenth of a second of silence through the
same player and reads its exit status and what it printed; a problem comes
back as one sentence for the person, shown once in the player and in Settings
beside the voice and sound tests. An output that found no player at all says
so at once, through the same notice.

``probe()`` blocks (up to ``timeout``), so ``AudioCheck`` runs it on a daemon
thread and calls ``on_done`` from there: a UI marshals it to its own thread.
``FixedAudioCheck`` is for tests; ``make_audio_check`` picks one.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import threading
import wave
from collections.abc import Callable, Sequence
from functools import partial
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .audio import AudioOutput

DEFAULT_COMMAND = ("aplay", "-q")
SCREEN_ONLY = "so cues are shown on screen only."
NO_DEVICE = f"No sound device was found, {SCREEN_ONLY}"
BUSY = f"The sound device is busy with another program, {SCREEN_ONLY}"
NOT_ALLOWED = f"BackRehab is not allowed to use the sound device, {SCREEN_ONLY}"
NOT_RESPONDING = f"The sound device did not respond, {SCREEN_ONLY}"
FAILED = f"Sound could not be played on this computer, {SCREEN_ONLY}"

# What aplay (ALSA) prints, lower-cased, and what it means for the person. Checked
# in order: "audio open error: Device or resource busy" is busy, not missing.
_CAUSES = (
    (("device or resource busy",), BUSY),
    (("permission denied",), NOT_ALLOWED),
    (("no soundcards found", "cannot find card", "unknown pcm", "no such device",
      "no such file or directory", "audio open error"), NO_DEVICE),
)


def problem_from(returncode: int, printed: str) -> str:
    """One sentence about a failed play, from aplay's exit status and what it printed;
    "" when it played."""
    text = printed.lower()
    if returncode == 0 and "no soundcards found" not in text:
        return ""
    return next((plain for needles, plain in _CAUSES if any(n in text for n in needles)),
                FAILED)


def probe(command: Sequence[str] = DEFAULT_COMMAND, timeout: float = 5.0) -> str:
    """Play a tenth of a second of silence with ``command``; "" when it played, else why not."""
    folder = tempfile.mkdtemp(prefix="backrehab-audio-")
    path = os.path.join(folder, "silence.wav")
    try:
        with wave.open(path, "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(22050)  # espeak-ng's own rate
            out.writeframes(b"\0\0" * 2205)
        try:
            done = subprocess.run([*command, path], stdin=subprocess.DEVNULL,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            return NOT_RESPONDING
        except OSError:
            name = os.path.basename(command[0])
            return (f"No sound can be played: {name} (from alsa-utils) is not installed, "
                    f"{SCREEN_ONLY}")
        return problem_from(done.returncode, done.stderr.decode("utf-8", "replace"))
    finally:
        with contextlib.suppress(OSError):
            os.remove(path)
        with contextlib.suppress(OSError):
            os.rmdir(folder)


class AudioChecker(Protocol):
    """Finds out, without blocking, whether sound can be played."""

    @property
    def result(self) -> str | None:
        """None until the check has run; then "" when sound plays, else why not."""
        ...

    on_done: Callable[[str], None] | None

    def start(self) -> None:
        """Check (again); ``on_done`` receives the result. Never raises."""
        ...


class AudioCheck:
    """Runs ``probe`` on a daemon thread; one check at a time."""

    def __init__(self, check: Callable[[], str] = probe, *,
                 on_done: Callable[[str], None] | None = None) -> None:
        self._check = check
        self.on_done = on_done
        self._result: str | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def result(self) -> str | None:
        with self._lock:
            return self._result

    def start(self) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                return
            self._thread = threading.Thread(target=self._run, name="backrehab-audio-check",
                                            daemon=True)
            self._thread.start()

    def wait(self, timeout: float | None = None) -> str | None:
        """The result once the running check ends (for tests and the command line)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.result

    def _run(self) -> None:
        try:
            problem = self._check()
        except Exception:  # noqa: BLE001 - a check that cannot tell says nothing
            problem = ""
        with self._lock:
            self._result = problem
        if self.on_done is not None:
            with contextlib.suppress(Exception):
                self.on_done(problem)


class FixedAudioCheck:
    """For tests and where nothing can be checked: always the same answer, at once."""

    def __init__(self, problem: str = "") -> None:
        self.problem = problem
        self.result: str | None = None
        self.on_done: Callable[[str], None] | None = None
        self.starts = 0

    def start(self) -> None:
        self.starts += 1
        self.result = self.problem
        if self.on_done is not None:
            self.on_done(self.problem)


def make_audio_check(platform: str | None = None, *,
                     output: AudioOutput | None = None) -> AudioChecker:
    """The check for this platform: the player the voice and sounds play through (Linux:
    ``output``'s own command, aplay without one); elsewhere the system plays them itself
    and there is nothing to check. An ``output`` that has no player is a problem at once."""
    platform = platform or sys.platform
    if not (platform.startswith("linux") or "bsd" in platform):
        return FixedAudioCheck("")
    if output is not None and not output.available and output.reason:
        return FixedAudioCheck(f"{output.reason.rstrip('.')}, {SCREEN_ONLY}")
    command = getattr(output, "command", None) or DEFAULT_COMMAND
    return AudioCheck(partial(probe, tuple(command)))
