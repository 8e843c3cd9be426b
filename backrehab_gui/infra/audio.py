"""Playing audio clips: the one owner of the sound device, for speech and short sounds.

Each clip (a WAV file) plays in a child process that can be killed at once, so
a pause silences the voice immediately. Two channels: ``VOICE`` (one utterance
at a time: a new one ends the one before) and ``SOUND`` (the short sounds).

Which player, detected by ``make_audio_output``:

* ``pw-play`` (PipeWire) or ``paplay`` (PulseAudio) when their server is
  running: the server mixes, so a tick plays over speech;
* else ``aplay`` straight to ALSA, where a second stream can find the device
  busy. Clips then take turns and the voice has the device: a sound that
  comes while it speaks is left out, and an utterance that comes while a
  sound plays stops it (a tick and a spoken "3" are due at the same moment;
  the words carry it, on time).

``stand_in_command()`` is a player for machines without a sound card (tests
and benchmarks): it sleeps for the clip's real length and can log when each
clip started and ended.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
import wave
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

VOICE = "voice"
SOUND = "sound"
CHANNELS = (VOICE, SOUND)


class AudioOutput(Protocol):
    """Plays clips without blocking the caller; safe to call from any thread."""

    @property
    def available(self) -> bool: ...

    @property
    def reason(self) -> str:
        """Why nothing can be played, in words for the person; "" when there is nothing to tell."""
        ...

    @property
    def mixing(self) -> bool:
        """True when a sound can play over speech."""
        ...

    def play(self, path: Path, channel: str) -> bool:
        """Start ``path`` on ``channel``; False when it was left out."""
        ...

    def stop(self, channel: str | None = None) -> int:
        """Silence ``channel`` (None: both) at once; the number of clips stopped."""
        ...

    def close(self) -> None: ...


def _check(channel: str) -> None:
    if channel not in CHANNELS:
        raise ValueError(f"Unknown channel {channel!r}; expected one of {', '.join(CHANNELS)}")


class NullAudioOutput:
    """Plays nothing; keeps the reason."""

    available = False
    mixing = False

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def play(self, path: Path, channel: str) -> bool:
        _check(channel)
        return False

    def stop(self, channel: str | None = None) -> int:
        return 0

    def close(self) -> None:
        pass


class RecordingAudioOutput:
    """For tests: remembers what it was asked to play and stop; every clip ends at once."""

    available = True
    reason = ""

    def __init__(self, mixing: bool = True) -> None:
        self.mixing = mixing
        self.played: list[tuple[str, Path]] = []
        self.stops: list[str | None] = []
        self.closed = False

    def play(self, path: Path, channel: str) -> bool:
        _check(channel)
        self.played.append((channel, Path(path)))
        return True

    def stop(self, channel: str | None = None) -> int:
        self.stops.append(channel)
        return 0

    def close(self) -> None:
        self.closed = True


@dataclass
class Played:
    """One clip, for whoever measures: when its process was started, and how it ended."""

    process: subprocess.Popen[bytes]
    channel: str
    path: Path
    started: float
    """The clock just after the process started."""
    outcome: str = "playing"
    """'playing', 'played' (to its end), 'cut' (by the next clip) or 'stopped'."""


class ProcessAudioOutput:
    """Plays each clip with ``command + [path]`` in its own child process."""

    def __init__(self, command: Sequence[str], *, mixing: bool,
                 clock: Callable[[], float] = time.monotonic, max_sounds: int = 4) -> None:
        self.command = list(command)
        self.mixing = mixing
        self.max_sounds = max_sounds
        self.reason = ""
        self._clock = clock
        self._silent = False
        self._lock = threading.Lock()
        self._clips: list[Played] = []
        self.history: deque[Played] = deque(maxlen=4000)
        """The clips started, oldest first, with how each ended."""
        self.left_out = 0
        """Sounds not played because the voice had a device that does not mix."""

    @property
    def available(self) -> bool:
        return not self._silent

    @property
    def running(self) -> int:
        """Clips started and not yet collected."""
        with self._lock:
            self._reap()
            return len(self._clips)

    def playing(self, channel: str) -> bool:
        with self._lock:
            self._reap()
            return any(c.channel == channel for c in self._clips)

    def play(self, path: Path, channel: str) -> bool:
        _check(channel)
        path = Path(path)
        with self._lock:
            self._reap()
            if self._silent:
                return False
            if channel == VOICE:
                self._end([c for c in self._clips if c.channel == VOICE or
                           not self.mixing], "cut")
            else:
                if not self.mixing and any(c.channel == VOICE for c in self._clips):
                    self.left_out += 1
                    return False
                sounds = [c for c in self._clips if c.channel == SOUND]
                keep = self.max_sounds - 1 if self.mixing else 0
                # A device that does not mix plays one sound at a time; with a mixer a
                # blocked device must still not pile up one process per tick.
                self._end(sounds[:max(0, len(sounds) - keep)], "cut")
            try:
                process = subprocess.Popen(
                    [*self.command, str(path)], stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError as exc:
                self._silent = True
                self.reason = (f"Audio is unavailable: {self.command[0]} could not start "
                               f"({exc}).")
                return False
            clip = Played(process, channel, path, self._clock())
            self._clips.append(clip)
            self.history.append(clip)
            return True

    def stop(self, channel: str | None = None) -> int:
        if channel is not None:
            _check(channel)
        with self._lock:
            self._reap()
            chosen = [c for c in self._clips if channel is None or c.channel == channel]
            self._end(chosen, "stopped")
            return len(chosen)

    def close(self) -> None:
        """Stop everything still playing and collect every process (at app exit)."""
        self.stop()

    # --- Under the lock ----------------------------------------------------------------

    def _end(self, clips: list[Played], outcome: str) -> None:
        # Killed and waited for: on a device that does not mix, the next clip can
        # only open it once this process has let go. A killed process exits at once.
        for clip in clips:
            if clip.process.poll() is None:
                clip.process.kill()
                clip.outcome = outcome
            else:
                clip.outcome = "played"
            clip.process.wait()
            self._clips.remove(clip)

    def _reap(self) -> None:
        for clip in [c for c in self._clips if c.process.poll() is not None]:
            clip.outcome = "played"
            self._clips.remove(clip)


def wav_seconds(path: Path) -> float | None:
    """Length of a WAV file in seconds, or None when it cannot be read."""
    try:
        with wave.open(str(path)) as f:
            return f.getnframes() / float(f.getframerate())
    except (OSError, EOFError, wave.Error, ZeroDivisionError):
        return None


def detect(env: Mapping[str, str] | None = None,
           which: Callable[[str], str | None] = shutil.which) -> tuple[list[str], bool] | None:
    """(command, mixing) for this system's player, or None when there is none."""
    env = os.environ if env is None else env
    runtime = env.get("XDG_RUNTIME_DIR", "")
    if which("pw-play") and runtime and \
            (Path(runtime) / env.get("PIPEWIRE_REMOTE", "pipewire-0")).exists():
        return ["pw-play"], True
    if which("paplay") and (env.get("PULSE_SERVER") or
                            runtime and (Path(runtime) / "pulse" / "native").exists()):
        return ["paplay"], True
    if which("aplay"):
        return ["aplay", "-q"], False
    return None


def make_audio_output(enabled: bool = True, *, command: Sequence[str] | None = None,
                      mixing: bool | None = None) -> AudioOutput:
    """The output to use: ``command`` if given, else the detected player. Never raises.

    A given command is taken not to mix unless ``mixing`` says otherwise.
    """
    if not enabled:
        return NullAudioOutput("")
    if command is None:
        found = detect()
        if found is None:
            return NullAudioOutput("Audio is unavailable: no player (pw-play, paplay or aplay) "
                                   "is installed.")
        command, detected = found
        mixing = detected if mixing is None else mixing
    elif shutil.which(command[0]) is None:
        return NullAudioOutput(f"Audio is unavailable: {command[0]} is not installed.")
    return ProcessAudioOutput(command, mixing=bool(mixing))


# --- A stand-in player for machines without a sound card ------------------------------

_STAND_IN = """\
import time
start = time.monotonic()
import os, sys, wave
log, path = sys.argv[1], sys.argv[-1]
def note(line):
    if log:
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        os.write(fd, line.encode())
        os.close(fd)
try:
    with wave.open(path) as f:
        seconds = f.getnframes() / f.getframerate()
except Exception as exc:
    sys.exit(f"cannot play {path}: {exc}")
note(f"start {start:.6f} {os.getpid()} {seconds:.6f} {path}\\n")
time.sleep(max(0.0, start + seconds - time.monotonic()))
note(f"end {time.monotonic():.6f} {os.getpid()}\\n")
"""


def stand_in_command(log: Path | None = None) -> list[str]:
    """A player that plays nothing but takes as long as the clip: it sleeps for the WAV's
    length. With ``log``, it appends ``start <monotonic> <pid> <seconds> <path>`` as it
    begins and ``end <monotonic> <pid>`` if it runs to the end (a killed clip has none).
    """
    return [sys.executable, "-S", "-I", "-c", _STAND_IN, str(log or "")]
