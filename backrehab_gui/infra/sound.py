"""Short sounds: start of work, end of a step, last-seconds tick, session complete.

``ClipSoundPlayer`` plays the bundled WAV files through the app's audio
output (infra/audio.py), the same one the voice plays through;
``NullSoundPlayer`` stays silent (and says why); ``RecordingSoundPlayer`` is
for tests. ``make_sound_player`` picks one and never raises.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

from .audio import SOUND, AudioOutput, make_audio_output

SOUND_NAMES = ("start", "end", "tick", "complete")


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


class ClipSoundPlayer:
    """Plays ``folder/<name>.wav`` on the sound channel of an ``AudioOutput``.

    ``play()`` only starts a child process and returns. The output decides
    whether a sound may play over speech (infra/audio.py). If the player
    command cannot be started, the output goes silent and keeps the reason.
    """

    def __init__(self, folder: Path, output: AudioOutput, *, own_output: bool = False) -> None:
        self.folder = Path(folder)
        self.output = output
        self._own_output = own_output
        self.files = {name: self.folder / f"{name}.wav" for name in SOUND_NAMES}
        self._reason = ""

    @property
    def available(self) -> bool:
        return self.output.available

    @property
    def reason(self) -> str:
        if not self.output.available and self.output.reason:
            return self.output.reason.replace("Audio is unavailable", "Sounds are unavailable")
        return self._reason

    @reason.setter
    def reason(self, text: str) -> None:
        self._reason = text

    def play(self, name: str) -> None:
        _check(name)
        path = self.files[name]
        if path.is_file():
            self.output.play(path, SOUND)

    def close(self) -> None:
        """Stop any sound still playing (at app exit); an output of its own is closed."""
        self.output.stop(SOUND)
        if self._own_output:
            self.output.close()


def make_sound_player(enabled: bool, folder: Path, *, command: Sequence[str] | None = None,
                      output: AudioOutput | None = None) -> SoundPlayer:
    """The player to use: the app's audio ``output`` (or one made with ``command``, or the
    detected player) when enabled and there is one, else a NullSoundPlayer.

    Never raises. A NullSoundPlayer's ``reason`` is "" when sounds were turned
    off on purpose.
    """
    if not enabled:
        return NullSoundPlayer("")
    own = output is None
    if output is None:
        output = make_audio_output(command=command)
    if not output.available:
        reason = output.reason.replace("Audio is unavailable", "Sounds are unavailable")
        return NullSoundPlayer(reason or "Sounds are unavailable.")
    folder = Path(folder)
    missing = [name for name in SOUND_NAMES if not (folder / f"{name}.wav").is_file()]
    if len(missing) == len(SOUND_NAMES):
        if own:
            output.close()
        return NullSoundPlayer(f"Sounds are unavailable: no sound files in {folder}.")
    player = ClipSoundPlayer(folder, output, own_output=own)
    if missing:
        player.reason = f"Some sounds are missing: {', '.join(missing)}."
    return player
