"""Short sounds: start of work, end of a step, last-seconds tick, session complete.

``AplaySoundPlayer`` plays the bundled WAV files with ``aplay`` in a child
process; ``NullSoundPlayer`` stays silent (and says why); ``RecordingSoundPlayer``
is for tests. ``make_sound_player`` picks one and never raises.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

SOUND_NAMES = ("start", "end", "tick", "complete")
DEFAULT_COMMAND = ("aplay", "-q")


class SoundPlayer(Protocol):
    """Plays one of SOUND_NAMES without ever blocking the caller."""

    @property
    def available(self) -> bool: ...

    @property
    def reason(self) -> str:
        """Why there are no sounds, in words for the person; "" when there is nothing to tell."""
        ...

    def play(self, name: str) -> None: ...

    def close(self) -> None: ...


def _check(name: str) -> None:
    if name not in SOUND_NAMES:
        raise ValueError(f"Unknown sound {name!r}; expected one of {', '.join(SOUND_NAMES)}")


class NullSoundPlayer:
    """No sounds; keeps the reason for the UI to show once."""

    available = False

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def play(self, name: str) -> None:
        _check(name)

    def close(self) -> None:
        pass


class RecordingSoundPlayer:
    """For tests: remembers the names it was asked to play, in order."""

    available = True
    reason = ""

    def __init__(self) -> None:
        self.played: list[str] = []
        self.closed = False

    def play(self, name: str) -> None:
        _check(name)
        self.played.append(name)

    def close(self) -> None:
        self.closed = True


class AplaySoundPlayer:
    """Plays ``folder/<name>.wav`` with ``command + [file]`` in a child process.

    ``play()`` only starts the process. Finished ones are reaped on the next
    ``play()`` (and by ``reap()``/``close()``), so at most the few sounds since
    the last call linger as zombies. When ``max_running`` are still playing
    as another starts, the oldest is killed: a blocked audio device must not pile up
    one process per tick. If the command cannot be started, the player goes
    silent and keeps the reason.
    """

    def __init__(self, folder: Path, command: Sequence[str] = DEFAULT_COMMAND, *,
                 max_running: int = 4) -> None:
        self.folder = Path(folder)
        self.command = list(command)
        self.max_running = max_running
        self.reason = ""
        self._silent = False
        self._running: list[subprocess.Popen[bytes]] = []
        self.files = {name: self.folder / f"{name}.wav" for name in SOUND_NAMES}

    @property
    def available(self) -> bool:
        return not self._silent

    @property
    def running(self) -> int:
        """Processes started and not yet reaped."""
        return len(self._running)

    def play(self, name: str) -> None:
        _check(name)
        self.reap()
        if self._silent:
            return
        path = self.files[name]
        if not path.is_file():
            return
        # kill() does not wait: the process is reaped on a later call, so the
        # caller's thread never waits for a stuck aplay.
        for process in self._running[: max(0, len(self._running) - self.max_running + 1)]:
            process.kill()
        try:
            process = subprocess.Popen(
                [*self.command, str(path)], stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            self._silent = True
            self.reason = f"Sounds are unavailable: {self.command[0]} could not start ({exc})."
            return
        self._running.append(process)

    def reap(self) -> None:
        """Collect finished processes (poll() waits for them, so no zombies stay)."""
        self._running = [p for p in self._running if p.poll() is None]

    def close(self) -> None:
        """Stop any sound still playing and reap every process (at app exit)."""
        for process in self._running:
            if process.poll() is None:
                process.kill()
            process.wait()
        self._running = []


def make_sound_player(enabled: bool, folder: Path, *,
                      command: Sequence[str] = DEFAULT_COMMAND) -> SoundPlayer:
    """The player to use: aplay when enabled and installed, else a NullSoundPlayer.

    Never raises. A NullSoundPlayer's ``reason`` is "" when sounds were turned
    off on purpose.
    """
    if not enabled:
        return NullSoundPlayer("")
    if shutil.which(command[0]) is None:
        return NullSoundPlayer(f"Sounds are unavailable: {command[0]} is not installed.")
    folder = Path(folder)
    missing = [name for name in SOUND_NAMES if not (folder / f"{name}.wav").is_file()]
    if len(missing) == len(SOUND_NAMES):
        return NullSoundPlayer(f"Sounds are unavailable: no sound files in {folder}.")
    player = AplaySoundPlayer(folder, command)
    if missing:
        player.reason = f"Some sounds are missing: {', '.join(missing)}."
    return player
