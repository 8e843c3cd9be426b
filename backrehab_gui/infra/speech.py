"""Spoken cues: the Speaker interface and its implementations.

``Pyttsx3Speaker`` drives pyttsx3 (espeak-ng on Linux) from one worker thread;
``NullSpeaker`` stands in when there is no voice; ``RecordingSpeaker`` is for
tests. ``make_speaker`` picks one and never raises.

What pyttsx3 2.99 with espeak-ng does here (measured; docs/architecture notes
and the module's tests rely on these):

* One engine per process, touched from one thread only: two threads segfaulted,
  and ``engine.stop()`` from a second thread while ``runAndWait()`` was busy
  blocked until playback ended, did not cut the sound, and then left that
  ``runAndWait()`` spinning forever.
* One utterance per ``runAndWait()``: the driver keeps only the last ``say()``.
  A ``runAndWait()`` with nothing new queued speaks the previous text AGAIN.
* The first ``runAndWait()`` after ``init()`` returns in ~10 ms while espeak is
  still speaking (the driver starts out "busy"); once that has happened, each
  ``runAndWait()`` blocks until its utterance has finished playing through
  ``aplay`` (1.93 s for a 1.90 s sentence), and waits for any earlier one first.
* ``say()`` plays through ``aplay``; with no sound card aplay fails, the driver
  ignores it, and ``say()`` + ``runAndWait()`` takes ~10 ms.
* After ``save_to_file()`` the driver keeps the file name, so every later
  ``say()`` silently overwrites that file instead of playing.
* Callbacks (``started-word``, ``finished-utterance``, ``error``) arrive on
  espeak's own thread.
"""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import Any, Protocol

ErrorCallback = Callable[[str], None]
Clock = Callable[[], float]

DEFAULT_MAX_LATENESS = 0.75
"""Seconds after its due time that a cue without its own expiry is still worth saying."""

RATE_LIMITS = (80, 450)
"""Words per minute that espeak-ng accepts."""


class Priority(IntEnum):
    """How much a cue matters when several are waiting at once.

    A waiting cue is dropped when a newer waiting cue has a higher priority:
    an encouragement never delays the next exercise's name.
    """

    LOW = 0
    NORMAL = 1
    HIGH = 2


class Speaker(Protocol):
    """Says short cues aloud without ever blocking the caller.

    ``due`` and ``expires`` are moments on the speaker's clock
    (``time.monotonic()`` unless a test injected another): the moment the cue
    belongs to, and the moment after which it is no longer worth saying.
    """

    @property
    def available(self) -> bool:
        """True when cues are actually spoken."""
        ...

    @property
    def reason(self) -> str:
        """Why there is no voice, in words for the person; "" when there is nothing to tell."""
        ...

    def say(self, text: str, *, due: float | None = None, expires: float | None = None,
            priority: Priority = Priority.NORMAL) -> None: ...

    def stop(self) -> None:
        """Forget every cue not yet spoken (and cut the current one where the driver can)."""
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

    def say(self, text: str, *, due: float | None = None, expires: float | None = None,
            priority: Priority = Priority.NORMAL) -> None:
        pass

    def stop(self) -> None:
        pass

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
    priority: Priority


class RecordingSpeaker:
    """For tests: remembers what it was asked to say.

    ``said`` holds (text, due) pairs; ``cues`` the full requests. Blank text is
    ignored, as the real speaker ignores it.
    """

    available = True
    reason = ""

    def __init__(self, voices: list[tuple[str, str]] | None = None) -> None:
        self.said: list[tuple[str, float | None]] = []
        self.cues: list[RecordedCue] = []
        self.stops = 0
        self.settings: dict[str, object] = {}
        self.closed = False
        self._voices = list(voices) if voices is not None else [("gmw/en", "English")]

    def say(self, text: str, *, due: float | None = None, expires: float | None = None,
            priority: Priority = Priority.NORMAL) -> None:
        if _blank(text):
            return
        self.said.append((text, due))
        self.cues.append(RecordedCue(text, due, expires, Priority(priority)))

    def stop(self) -> None:
        self.stops += 1

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


# --- The pyttsx3 worker ----------------------------------------------------------


@dataclass
class _Cue:
    text: str
    due: float | None
    expires: float | None
    priority: Priority
    generation: int


@dataclass
class _SaveRequest:
    text: str
    path: Path
    done: Future = field(default_factory=Future)


_CLOSE = object()

# pyttsx3.init() hands every caller the same engine object; two live speakers
# would share it across two threads, which segfaulted. Whoever holds this lock
# owns the real engine.
_REAL_ENGINE_LOCK = threading.Lock()


def _reason_for(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, ImportError) and "pyttsx3" in text:
        return "Voice is unavailable: the pyttsx3 package is not installed."
    lowered = text.lower()
    if "espeak" in lowered and ("install" in lowered or "not found" in lowered):
        return "Voice is unavailable: espeak-ng is not installed."
    return f"Voice is unavailable: the speech engine did not start ({text or type(exc).__name__})."


def _real_engine() -> Any:
    import pyttsx3  # imported here so a missing package becomes a NullSpeaker, not a crash

    return pyttsx3.init()


class Pyttsx3Speaker:
    """Speaks through pyttsx3 from one daemon worker thread that owns the engine.

    Only the worker ever touches the engine (see the module notes). ``say()``
    puts a cue on a queue and returns. When the worker comes to a cue it drops
    it if it is stale: past its ``expires``, or, without one, more than
    ``max_lateness`` seconds after ``due`` (a late "3" is worse than none).
    Cues without ``due`` or ``expires`` are never stale. A waiting cue is also
    dropped when a newer waiting one has a higher priority. ``dropped`` counts
    both; ``latencies`` holds (text, due, started) for every utterance, with
    ``started`` the clock just before the engine was handed the text.

    ``engine_factory`` builds the engine on the worker thread; None means the
    real ``pyttsx3.init``. ``wait_ready()`` tells whether it started.
    ``on_error`` receives plain-text problems after start-up, from the worker
    or espeak's thread: marshal them to your own thread.
    """

    def __init__(self, engine_factory: Callable[[], Any] | None = None, *,
                 clock: Clock = time.monotonic,
                 max_lateness: float = DEFAULT_MAX_LATENESS,
                 on_error: ErrorCallback | None = None,
                 voice: str | None = None, rate: int | None = None,
                 volume: float | None = None) -> None:
        self._real = engine_factory is None
        self._engine_factory = engine_factory or _real_engine
        self._clock = clock
        self.max_lateness = max_lateness
        self._on_error = on_error
        self._queue: queue.Queue[object] = queue.Queue()
        self._generation = 0
        self._closing = False
        self._started = threading.Event()
        self._available = False
        self.reason = ""
        self.dropped = 0
        self._latencies: list[tuple[str, float | None, float]] = []
        self._voices: list[tuple[str, str]] = []
        self._settings_lock = threading.Lock()
        self._settings: dict[str, object] = {}
        self._wanted: dict[str, object] = {}
        """Every setting asked for so far; checked against the engine before each cue."""
        self._default_voice: object = None
        self._unverifiable: set[str] = set()
        self._reported: set[str] = set()
        self.configure(voice, rate, volume)
        self._thread = threading.Thread(target=self._run, name="backrehab-speech", daemon=True)
        self._thread.start()

    # --- Caller side ---------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self._available and not self._closing

    @property
    def latencies(self) -> list[tuple[str, float | None, float]]:
        return list(self._latencies)

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Wait until the engine started or failed; True when it can speak."""
        self._started.wait(timeout)
        return self.available

    def say(self, text: str, *, due: float | None = None, expires: float | None = None,
            priority: Priority = Priority.NORMAL) -> None:
        # A blank say() is refused by pyttsx3, and the runAndWait() after it
        # would repeat the previous utterance instead.
        if self._closing or _blank(text):
            return
        self._queue.put(_Cue(str(text), due, expires, Priority(priority), self._generation))

    def stop(self) -> None:
        # Cues carry the generation they were queued in; the worker skips older
        # ones. The utterance already playing finishes: the only way into the
        # driver mid-utterance is engine.stop() from another thread, which hung.
        self._generation += 1

    def configure(self, voice: str | None = None, rate: int | None = None,
                  volume: float | None = None) -> None:
        changes: dict[str, object] = {}
        if voice is not None:
            # "" asks for the engine's own default voice (read when it started).
            changes["voice"] = voice
        if rate is not None:
            changes["rate"] = int(min(max(rate, RATE_LIMITS[0]), RATE_LIMITS[1]))
        if volume is not None:
            changes["volume"] = float(min(max(volume, 0.0), 1.0))
        with self._settings_lock:
            self._settings.update(changes)

    def voices(self) -> list[tuple[str, str]]:
        return list(self._voices)

    def save_to_file(self, text: str, path: str | Path, timeout: float = 15.0) -> None:
        """Synthesize ``text`` into a WAV file at ``path`` (for tests and benchmarks).

        Runs on the worker like any cue, after the cues already queued. Raises
        RuntimeError when there is no engine, it fails, or it takes too long.
        """
        if not self.available:
            raise RuntimeError(self.reason or "The speech engine is not running.")
        request = _SaveRequest(str(text), Path(path))
        self._queue.put(request)
        try:
            request.done.result(timeout)
        except FutureTimeout as exc:
            raise RuntimeError(f"Speech synthesis to {path} took over {timeout} s.") from exc

    def close(self, timeout: float = 2.0) -> None:
        """Stop the worker. An utterance already playing may outlive the timeout."""
        if self._closing:
            return
        self._closing = True
        self._generation += 1
        self._queue.put(_CLOSE)
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)

    # --- Worker side -----------------------------------------------------------------

    def _report(self, message: str) -> None:
        # The same failure on every cue would flood the UI: tell each one once.
        if self._on_error is None or message in self._reported:
            return
        self._reported.add(message)
        with contextlib.suppress(Exception):
            self._on_error(message)

    def _fail_start(self, reason: str) -> None:
        self.reason = reason
        self._available = False
        self._started.set()

    def _run(self) -> None:
        if self._real and not _REAL_ENGINE_LOCK.acquire(blocking=False):
            self._fail_start("Voice is unavailable: another speaker already owns the speech "
                             "engine.")
            return
        try:
            try:
                engine = self._engine_factory()
                # Drains the "busy" state init() leaves behind, so that from now on
                # each runAndWait() returns only after its utterance has played.
                # Safe only now: nothing was said yet, so there is nothing to repeat.
                engine.runAndWait()
                with contextlib.suppress(Exception):
                    self._default_voice = engine.getProperty("voice")
                self._voices = self._read_voices(engine)
                self._connect(engine)
            except Exception as exc:  # any failure to start just means "no voice"
                self._fail_start(_reason_for(exc))
                return
            self._available = True
            self._started.set()
            self._serve(engine)
        finally:
            if self._real:
                _REAL_ENGINE_LOCK.release()

    @staticmethod
    def _read_voices(engine: Any) -> list[tuple[str, str]]:
        try:
            found = engine.getProperty("voices") or []
        except Exception:
            return []
        voices = [(str(v.id), str(getattr(v, "name", v.id))) for v in found]
        return sorted(voices, key=lambda pair: pair[1].lower())

    def _connect(self, engine: Any) -> None:
        connect = getattr(engine, "connect", None)
        if connect is None:
            return

        def on_error(name: object = None, exception: object = None, **_: object) -> None:
            # Arrives on espeak's thread; only the message crosses over.
            self._report(f"Speech problem: {exception}")

        connect("error", on_error)

    def _serve(self, engine: Any) -> None:
        pending: list[object] = []
        while True:
            if not pending:
                pending.append(self._queue.get())
            while True:
                try:
                    pending.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            item = pending.pop(0)
            if item is _CLOSE:
                return
            if isinstance(item, _SaveRequest):
                self._save(engine, item)
                continue
            assert isinstance(item, _Cue)
            if item.generation != self._generation:
                continue
            if self._stale(item) or self._superseded(item, pending):
                self.dropped += 1
                continue
            self._speak(engine, item)

    def _stale(self, cue: _Cue) -> bool:
        now = self._clock()
        if cue.expires is not None:
            return now > cue.expires
        return cue.due is not None and now - cue.due > self.max_lateness

    def _superseded(self, cue: _Cue, pending: list[object]) -> bool:
        return any(isinstance(other, _Cue) and other.priority > cue.priority
                   and other.generation == self._generation and not self._stale(other)
                   for other in pending)

    def _apply_settings(self, engine: Any) -> None:
        # pyttsx3's driver drops commands queued while a loop is ending, so a
        # setting made once can be silently lost (the voice then speaks at 200
        # words a minute whatever the person chose). Check before every cue and
        # set again whatever the engine does not hold.
        with self._settings_lock:
            changes, self._settings = self._settings, {}
        if changes.get("voice") == "":
            changes["voice"] = self._default_voice
        self._wanted.update({k: v for k, v in changes.items() if v is not None})
        for name, value in self._wanted.items():
            try:
                # Measured here: espeak ignores a new rate while it is still
                # finishing the previous utterance; 10 ms later it takes it. An
                # engine that never reports the value back is not waited for again.
                attempts = 1 if name in self._unverifiable else 10
                for _attempt in range(attempts):
                    if _same(engine.getProperty(name), value):
                        break
                    engine.setProperty(name, value)
                    if _same(engine.getProperty(name), value):
                        break
                    time.sleep(0.01)
                else:
                    self._unverifiable.add(name)
            except Exception as exc:
                self._report(f"Speech setting {name}={value!r} was refused: {exc}")

    def _speak(self, engine: Any, cue: _Cue) -> None:
        self._apply_settings(engine)
        started = self._clock()
        try:
            engine.say(cue.text)
            engine.runAndWait()  # one utterance per runAndWait(): the driver keeps only the last
        except Exception as exc:
            self._report(f"Speech failed: {exc}")
            return
        self._latencies.append((cue.text, cue.due, started))

    def _save(self, engine: Any, request: _SaveRequest) -> None:
        try:
            self._apply_settings(engine)
            engine.save_to_file(request.text, str(request.path))
            engine.runAndWait()
        except Exception as exc:
            request.done.set_exception(RuntimeError(f"Speech synthesis failed: {exc}"))
            return
        finally:
            # The espeak driver keeps the file name after save_to_file(), and every
            # later say() would overwrite that file instead of playing.
            driver = getattr(getattr(engine, "proxy", None), "_driver", None)
            if driver is not None and hasattr(driver, "_save_file"):
                driver._save_file = None
        request.done.set_result(request.path)


def make_speaker(enabled: bool, *, voice: str | None = None, rate: int | None = None,
                 volume: float | None = None, on_error: ErrorCallback | None = None,
                 max_lateness: float = DEFAULT_MAX_LATENESS, start_timeout: float = 5.0,
                 engine_factory: Callable[[], Any] | None = None,
                 clock: Clock = time.monotonic) -> Speaker:
    """The speaker to use: pyttsx3 when enabled and it starts, else a NullSpeaker.

    Never raises. Waits up to ``start_timeout`` seconds for the engine to start.
    A NullSpeaker's ``reason`` is "" when the voice was turned off on purpose.
    """
    if not enabled:
        return NullSpeaker("")
    speaker = Pyttsx3Speaker(engine_factory, clock=clock, max_lateness=max_lateness,
                             on_error=on_error, voice=voice, rate=rate, volume=volume)
    if speaker.wait_ready(start_timeout):
        return speaker
    reason = speaker.reason or (
        f"Voice is unavailable: the speech engine did not start within {start_timeout:g} s.")
    speaker.close(timeout=0.1)
    return NullSpeaker(reason)


def _same(current: object, wanted: object) -> bool:
    """Whether the engine already holds a setting (volumes compare to a hundredth)."""
    if isinstance(wanted, float) and isinstance(current, (int, float)):
        return abs(float(current) - wanted) < 0.01
    return current == wanted
