"""Spoken cues: the Speaker interface and its implementations.

``Pyttsx3Speaker`` synthesizes each cue with pyttsx3 and espeak-ng into a
clip (infra/synth.py), ahead of time when told what a session will say, and
plays the clip through the app's own audio output (infra/audio.py), so that
``stop()`` silences it at once. ``NullSpeaker`` stands in when there is no
voice; ``RecordingSpeaker`` is for tests. ``make_speaker`` picks one and
never raises.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from . import paths
from .audio import VOICE, AudioOutput, make_audio_output
from .synth import Clip, Synthesizer

ErrorCallback = Callable[[str], None]
Clock = Callable[[], float]

DEFAULT_MAX_LATENESS = 0.75
"""Seconds after its due time that a cue without its own expiry is still worth saying."""

SYNTHESIS_TIMEOUT = 15.0
"""Seconds to wait for a clip made on demand before giving up on that cue."""


class Speaker(Protocol):
    """Says short cues aloud without ever blocking the caller.

    ``due`` and ``expires`` are moments on the speaker's clock
    (``time.monotonic()`` unless a test injected another): the moment the cue
    starts, and the moment after which it is no longer worth saying.
    """

    @property
    def available(self) -> bool:
        """True when cues are actually spoken."""
        ...

    @property
    def reason(self) -> str:
        """Why there is no voice, in words for the person; "" when there is nothing to tell."""
        ...

    def say(self, text: str, *, due: float | None = None,
            expires: float | None = None) -> None: ...

    def stop(self) -> None:
        """Silence the voice now and forget every cue not yet spoken."""
        ...

    def prepare(self, texts: Sequence[str], on_ready: Callable[[], None] | None = None) -> None:
        """Get ``texts`` ready to say, in order, after any asked for before, in the
        background; ``on_ready()`` runs (perhaps on another thread) once they all are."""
        ...

    def length(self, text: str) -> float | None:
        """Seconds ``text`` takes to say, once it is ready; None until then."""
        ...

    def configure(self, voice: str | None = None, rate: int | None = None,
                  volume: float | None = None) -> None:
        """Change voice id, words per minute or volume (0-1); None leaves one as it is."""
        ...

    def voices(self) -> list[tuple[str, str]]:
        """The installed voices as (id, name), for the settings screen."""
        ...

    def close(self) -> None: ...


def _blank(text: str) -> bool:
    return not str(text or "").strip()


class NullSpeaker:
    """No voice: says nothing, and keeps the reason for the UI to show once."""

    available = False

    def __init__(self, reason: str = "") -> None:
        self.reason = reason

    def say(self, text: str, *, due: float | None = None, expires: float | None = None) -> None:
        pass

    def stop(self) -> None:
        pass

    def prepare(self, texts: Sequence[str], on_ready: Callable[[], None] | None = None) -> None:
        pass

    def length(self, text: str) -> float | None:
        return None

    def configure(self, voice: str | None = None, rate: int | None = None,
                  volume: float | None = None) -> None:
        pass

    def voices(self) -> list[tuple[str, str]]:
        return []

    def close(self) -> None:
        pass


@dataclass(frozen=True)
class RecordedCue:
    text: str
    due: float | None
    expires: float | None


class RecordingSpeaker:
    """For tests: remembers what it was asked to say.

    ``said`` holds (text, due) pairs; ``cues`` the full requests. Blank text is
    ignored, as the real speaker ignores it. ``lengths`` answers ``length()``
    (None: no length is known, and the engine guesses).
    """

    available = True
    reason = ""

    def __init__(self, voices: list[tuple[str, str]] | None = None,
                 lengths: Callable[[str], float | None] | None = None) -> None:
        self.said: list[tuple[str, float | None]] = []
        self.cues: list[RecordedCue] = []
        self.prepared: list[str] = []
        self.stops = 0
        self.settings: dict[str, object] = {}
        self.closed = False
        self._lengths = lengths
        self._voices = list(voices) if voices is not None else [("gmw/en", "English")]

    def say(self, text: str, *, due: float | None = None, expires: float | None = None) -> None:
        if _blank(text):
            return
        self.said.append((text, due))
        self.cues.append(RecordedCue(text, due, expires))

    def stop(self) -> None:
        self.stops += 1

    def prepare(self, texts: Sequence[str], on_ready: Callable[[], None] | None = None) -> None:
        self.prepared.extend(texts)
        if on_ready is not None:
            on_ready()

    def length(self, text: str) -> float | None:
        return self._lengths(text) if self._lengths is not None else None

    def configure(self, voice: str | None = None, rate: int | None = None,
                  volume: float | None = None) -> None:
        changes = {"voice": voice, "rate": rate, "volume": volume}
        self.settings.update({k: v for k, v in changes.items() if v is not None})

    def voices(self) -> list[tuple[str, str]]:
        return list(self._voices)

    def close(self) -> None:
        self.closed = True

    @property
    def texts(self) -> list[str]:
        return [text for text, _ in self.said]


# --- The real voice ------------------------------------------------------------------


@dataclass
class _Say:
    text: str
    due: float | None
    expires: float | None
    generation: int


_CLOSE = object()


class Pyttsx3Speaker:
    """Speaks clips made by a ``Synthesizer``, played by an ``AudioOutput``.

    ``say()`` puts the cue on a queue and returns; the playback thread takes
    the clip (made now if it is not ready: ~10 ms), drops the cue if it has
    gone stale (past ``expires``, or without one more than ``max_lateness``
    after ``due``: a late "3" is worse than none), and starts it. A new
    utterance ends the one before it; ``stop()`` kills the one playing at once.

    ``dropped`` counts stale cues; ``latencies`` holds (text, due, started) for
    every utterance started, with ``started`` the clock just after its player
    process started; ``clips`` maps each text spoken to its clip.

    ``output``: where clips play (None: the detected player, closed with the
    speaker). ``cache_dir``: where clips are kept (None: the app's cache).
    """

    def __init__(self, engine_factory: Callable[[], Any] | None = None, *,
                 output: AudioOutput | None = None, cache_dir: Path | None = None,
                 clock: Clock = time.monotonic, max_lateness: float = DEFAULT_MAX_LATENESS,
                 on_error: ErrorCallback | None = None, voice: str | None = None,
                 rate: int | None = None, volume: float | None = None) -> None:
        self._clock = clock
        self.max_lateness = max_lateness
        self._on_error = on_error
        self._own_output = output is None
        self.output = output or make_audio_output()
        self.synth = Synthesizer(engine_factory, folder=cache_dir or paths.cache_dir() / "speech",
                                 on_error=on_error, voice=voice, rate=rate, volume=volume)
        self._queue: queue.Queue[object] = queue.Queue()
        self._lock = threading.Lock()
        self._generation = 0
        self._closing = False
        self._prepared: list[str] = []
        self._on_ready: Callable[[], None] | None = None
        self.dropped = 0
        self._latencies: list[tuple[str, float | None, float]] = []
        self.clips: dict[str, Clip] = {}
        self._thread = threading.Thread(target=self._run, name="backrehab-voice", daemon=True)
        self._thread.start()

    # --- Caller side -------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self.synth.available and self.output.available and not self._closing

    @property
    def reason(self) -> str:
        if self.synth.reason:
            return self.synth.reason
        if not self.output.available and self.output.reason:
            return self.output.reason.replace("Audio is unavailable", "Voice is unavailable")
        return ""

    @property
    def latencies(self) -> list[tuple[str, float | None, float]]:
        return list(self._latencies)

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Wait until the engine started or failed; True when it can speak."""
        self.synth.wait_ready(timeout)
        return self.available

    def say(self, text: str, *, due: float | None = None, expires: float | None = None) -> None:
        if self._closing or _blank(text):
            return
        self._queue.put(_Say(str(text), due, expires, self._generation))

    def stop(self) -> None:
        # Under the lock the playback thread cannot start a cue of the old
        # generation between the two lines.
        with self._lock:
            self._generation += 1
            self.output.stop(VOICE)

    def prepare(self, texts: Sequence[str], on_ready: Callable[[], None] | None = None) -> None:
        self._prepared = list(dict.fromkeys([*self._prepared, *texts]))
        self._on_ready = on_ready
        self.synth.request(texts, on_ready)

    def length(self, text: str) -> float | None:
        return self.synth.length(text)

    def configure(self, voice: str | None = None, rate: int | None = None,
                  volume: float | None = None) -> None:
        if self.synth.configure(voice, rate, volume) and self._prepared:
            # New settings make new clips, of other lengths: make them ahead too.
            self.synth.request(self._prepared, self._on_ready)

    def voices(self) -> list[tuple[str, str]]:
        return self.synth.voices()

    def clip_for(self, text: str, timeout: float = 15.0) -> Clip:
        """The clip for ``text``, made now if need be. Raises RuntimeError when it cannot be."""
        if not self.synth.available:
            raise RuntimeError(self.synth.reason or "The speech engine is not running.")
        found = self.synth.synthesize(text, timeout)
        if found is None:
            raise RuntimeError(f"Speech synthesis of {text!r} did not finish in {timeout} s.")
        return found

    def close(self, timeout: float = 2.0) -> None:
        if self._closing:
            return
        self._closing = True
        self.stop()
        self._queue.put(_CLOSE)
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self.synth.close(timeout)
        if self._own_output:
            self.output.close()

    # --- Playback thread -----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _CLOSE:
                return
            assert isinstance(item, _Say)
            if item.generation != self._generation:
                continue
            clip = self.synth.clip(item.text)
            if clip is None:
                # Not ready (a text nobody prepared, or the voice changed): made now,
                # ahead of everything else, waiting no longer than it stays worth saying.
                wait = min(max(self._left(item), 0.05), SYNTHESIS_TIMEOUT)
                clip = self.synth.synthesize(item.text, wait)
            if clip is None:
                if self.synth.available:
                    self.dropped += 1
                continue
            if self._left(item) < 0:
                self.dropped += 1
                continue
            with self._lock:
                if item.generation != self._generation:
                    continue
                started = self.output.play(clip.path, VOICE)
                now = self._clock()
            if started:
                self.clips[item.text] = clip
                self._latencies.append((item.text, item.due, now))

    def _left(self, item: _Say) -> float:
        """Seconds until the cue goes stale (infinite for one without a time)."""
        now = self._clock()
        if item.expires is not None:
            return item.expires - now
        if item.due is not None:
            return item.due + self.max_lateness - now
        return float("inf")


def make_speaker(enabled: bool, *, voice: str | None = None, rate: int | None = None,
                 volume: float | None = None, on_error: ErrorCallback | None = None,
                 output: AudioOutput | None = None, cache_dir: Path | None = None,
                 max_lateness: float = DEFAULT_MAX_LATENESS, start_timeout: float = 5.0,
                 engine_factory: Callable[[], Any] | None = None,
                 clock: Clock = time.monotonic) -> Speaker:
    """The speaker to use: pyttsx3 when enabled and it starts, else a NullSpeaker.

    Never raises. Waits up to ``start_timeout`` seconds for the engine to start.
    A NullSpeaker's ``reason`` is "" when the voice was turned off on purpose.
    """
    if not enabled:
        return NullSpeaker("")
    speaker = Pyttsx3Speaker(engine_factory, output=output, cache_dir=cache_dir, clock=clock,
                             max_lateness=max_lateness, on_error=on_error, voice=voice,
                             rate=rate, volume=volume)
    if speaker.wait_ready(start_timeout):
        return speaker
    reason = speaker.reason or (
        f"Voice is unavailable: the speech engine did not start within {start_timeout:g} s.")
    speaker.close(timeout=0.1)
    return NullSpeaker(reason)
