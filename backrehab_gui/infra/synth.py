"""Speech synthesis: text to WAV clips with pyttsx3 (espeak-ng), cached on disk.

What pyttsx3 2.99 with espeak-ng does here (measured; docs/architecture.md and
the tests rely on these):

* One engine per process, touched from one thread only: two threads segfaulted,
  and ``engine.stop()`` from a second thread while ``runAndWait()`` was busy
  blocked until playback ended, did not cut the sound, and then left that
  ``runAndWait()`` spinning forever.
* One utterance per ``runAndWait()``: the driver keeps only the last command.
  A ``runAndWait()`` with nothing new queued repeats the previous one.
* ``say()`` plays through ``aplay`` and blocks the thread until it has played,
  so nothing can stop it. Hence ``save_to_file()`` only: the app plays the
  file itself (infra/audio.py), where it can be stopped.
* After ``save_to_file()`` the driver keeps the file name: a later ``say()``
  would silently overwrite that file instead of playing.
* ``save_to_file()`` + ``runAndWait()`` takes ~10 ms for a sentence and writes
  22.05 kHz mono 16-bit audio, with ~0.3 s of silence after the words; the
  driver prints "Audio saved to ..." on standard output each time.
* The first ``runAndWait()`` after ``init()`` returns while the driver is still
  "busy"; it is run once, empty, before anything else.
* Callbacks (``error``) arrive on espeak's own thread.

Each clip is trimmed of the silence around the words, so that it starts
sounding the moment it starts playing and its length is the time it takes to
say. Clips are kept in a folder, named by a hash of the words and the voice
settings, so a routine done before is ready at once.
"""

from __future__ import annotations

import array
import contextlib
import hashlib
import itertools
import os
import queue
import sys
import tempfile
import threading
import time
import wave
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .audio import wav_seconds

ErrorCallback = Callable[[str], None]

RATE_LIMITS = (80, 450)
"""Words per minute that espeak-ng accepts."""

CACHE_LIMIT = 64 * 1024 * 1024
"""Bytes of clips kept on disk; the oldest go first beyond this."""

CLIP_FORMAT = "1"
"""Part of every clip's name: changed when the way clips are made changes."""

_SILENCE = 300
"""Samples quieter than this (of 32767, about -40 dB) count as silence when trimming."""
_KEEP_BEFORE = 0.01
_KEEP_AFTER = 0.04

# pyttsx3.init() hands every caller the same engine object; two live synthesizers
# would share it across two threads, which segfaulted. Whoever holds this lock
# owns the real engine.
_REAL_ENGINE_LOCK = threading.Lock()


@dataclass(frozen=True)
class Clip:
    path: Path
    seconds: float


@dataclass(order=True)
class _Job:
    urgency: int
    order: int
    text: str = field(compare=False)
    settings: tuple = field(compare=False)
    done: Future | None = field(compare=False, default=None)
    then: Callable[[], None] | None = field(compare=False, default=None)


_URGENT, _AHEAD = 0, 1
"""Job order: a clip needed now first, then requests in the order they came."""


def _reason_for(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, ImportError) and "pyttsx3" in text:
        return "Voice is unavailable: the pyttsx3 package is not installed."
    lowered = text.lower()
    if "espeak" in lowered and ("install" in lowered or "not found" in lowered):
        return "Voice is unavailable: espeak-ng is not installed."
    return f"Voice is unavailable: the speech engine did not start ({text or type(exc).__name__})."


def _real_engine() -> Any:
    import pyttsx3  # imported here so a missing package becomes "no voice", not a crash

    engine = pyttsx3.init()
    _quiet_save_notices()
    return engine


def _quiet_save_notices() -> None:
    """The espeak driver prints "Audio saved to <file>" for every clip; the app's output is
    not the place for that. Only that line is held back; anything else still prints."""
    module = sys.modules.get("pyttsx3.drivers.espeak")
    if module is None or getattr(module, "_backrehab_quiet", False):
        return

    def quiet_print(*args: object, **kwargs: Any) -> None:
        if args and str(args[0]).startswith("Audio saved to "):
            return
        print(*args, **kwargs)

    module.print = quiet_print  # type: ignore[attr-defined]
    module._backrehab_quiet = True  # type: ignore[attr-defined]


class Synthesizer:
    """Makes clips on one daemon thread that owns the pyttsx3 engine.

    ``clip(text)`` returns a clip already made (or found on disk) for the
    current settings, without waiting. ``request(texts)`` makes clips in the
    background, in the order given; ``synthesize(text)`` makes one ahead of
    every waiting request and waits for it.

    ``engine_factory`` builds the engine on the worker thread; None means the
    real ``pyttsx3.init``. ``folder`` holds the clips (a temporary folder when
    it cannot be written). ``on_error`` receives plain-text problems after
    start-up, from the worker or espeak's thread.
    """

    def __init__(self, engine_factory: Callable[[], Any] | None = None, *,
                 folder: Path | None = None, on_error: ErrorCallback | None = None,
                 voice: str | None = None, rate: int | None = None,
                 volume: float | None = None, cache_limit: int = CACHE_LIMIT) -> None:
        self._real = engine_factory is None
        self._engine_factory = engine_factory or _real_engine
        self._on_error = on_error
        self._cache_limit = cache_limit
        self._temporary: tempfile.TemporaryDirectory[str] | None = None
        self.folder = self._usable(folder)
        self._jobs: queue.PriorityQueue[_Job] = queue.PriorityQueue()
        self._order = itertools.count()
        self._lock = threading.Lock()
        self._clips: dict[str, Clip] = {}
        self._settings: dict[str, object] = {}
        self._closing = False
        self._started = threading.Event()
        self._available = False
        self.reason = ""
        self._voices: list[tuple[str, str]] = []
        self._default_voice: object = None
        self._unverifiable: set[str] = set()
        self._reported: set[str] = set()
        self.made = 0
        """Clips synthesized by this synthesizer (not found ready on disk)."""
        self.configure(voice, rate, volume)
        self._thread = threading.Thread(target=self._run, name="backrehab-speech", daemon=True)
        self._thread.start()

    # --- Caller side -------------------------------------------------------------------

    @property
    def available(self) -> bool:
        return self._available and not self._closing

    def wait_ready(self, timeout: float = 5.0) -> bool:
        """Wait until the engine started or failed; True when it can speak."""
        self._started.wait(timeout)
        return self.available

    def voices(self) -> list[tuple[str, str]]:
        return list(self._voices)

    def configure(self, voice: str | None = None, rate: int | None = None,
                  volume: float | None = None) -> bool:
        """Change voice id ("" for the engine's default), words per minute or volume (0-1)
        for clips made from now on; None leaves one as it is. True when something changed."""
        changes: dict[str, object] = {}
        if voice is not None:
            changes["voice"] = voice
        if rate is not None:
            changes["rate"] = int(min(max(rate, RATE_LIMITS[0]), RATE_LIMITS[1]))
        if volume is not None:
            changes["volume"] = round(float(min(max(volume, 0.0), 1.0)), 2)
        with self._lock:
            before = dict(self._settings)
            self._settings.update(changes)
            return before != self._settings

    def clip(self, text: str) -> Clip | None:
        """The clip for ``text`` with the current settings, if it has been made."""
        return self._cached(self._key(text, self._snapshot()))

    def length(self, text: str) -> float | None:
        found = self.clip(text)
        return found.seconds if found else None

    def request(self, texts: Iterable[str], then: Callable[[], None] | None = None) -> None:
        """Make clips for ``texts`` in the background, in order; ``then()`` runs (on the
        worker) once they are all made."""
        settings = self._snapshot()
        for text in texts:
            if _speakable(text):
                self._jobs.put(_Job(_AHEAD, next(self._order), text, settings))
        if then is not None:
            # Right after its own texts, before any requested later.
            self._jobs.put(_Job(_AHEAD, next(self._order), "", settings, then=then))

    def synthesize(self, text: str, timeout: float = 5.0) -> Clip | None:
        """The clip for ``text``, made now ahead of any waiting request; None when the
        engine is not running, fails, or takes longer than ``timeout``."""
        if not _speakable(text):
            return None
        settings = self._snapshot()
        found = self._cached(self._key(text, settings))
        if found is not None or not self.available:
            return found
        job = _Job(_URGENT, next(self._order), text, settings, done=Future())
        self._jobs.put(job)
        try:
            return job.done.result(timeout)
        except FutureTimeout:
            return None
        except RuntimeError as exc:
            self._report(str(exc))
            return None

    def close(self, timeout: float = 2.0) -> None:
        if self._closing:
            return
        self._closing = True
        self._jobs.put(_Job(-1, -1, "", ()))
        if self._thread is not threading.current_thread():
            self._thread.join(timeout)
        if self._temporary is not None and not self._thread.is_alive():
            self._temporary.cleanup()

    # --- The cache -----------------------------------------------------------------------

    def _usable(self, folder: Path | None) -> Path:
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                probe = folder / f".probe-{os.getpid()}"
                probe.write_bytes(b"")
                probe.unlink()
                return folder
            except OSError:
                pass
        self._temporary = tempfile.TemporaryDirectory(prefix="backrehab-speech-")
        return Path(self._temporary.name)

    def _snapshot(self) -> tuple:
        with self._lock:
            return tuple(sorted(self._settings.items()))

    def _key(self, text: str, settings: tuple) -> str:
        basis = "\x00".join([CLIP_FORMAT, repr(settings), text])
        return hashlib.sha256(basis.encode("utf-8")).hexdigest()[:32]

    def _cached(self, key: str) -> Clip | None:
        found = self._clips.get(key)
        if found is not None:
            return found
        path = self.folder / f"{key}.wav"
        seconds = wav_seconds(path)
        if seconds is None:
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # recently used: the last to be pruned
        found = self._clips[key] = Clip(path, seconds)
        return found

    def _prune(self) -> None:
        try:
            files = [(p.stat().st_mtime, p.stat().st_size, p) for p in self.folder.glob("*.wav")]
        except OSError:
            return
        total = sum(size for _, size, _ in files)
        for _, size, path in sorted(files):
            if total <= self._cache_limit * 3 // 4:
                break
            with contextlib.suppress(OSError):
                path.unlink()
                total -= size

    # --- Worker side -----------------------------------------------------------------

    def _report(self, message: str) -> None:
        # The same failure on every clip would flood the UI: tell each one once.
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
                # pyttsx3 hands out the same engine again to a later synthesizer (the
                # voice turned off and on): it must not repeat its last clip.
                _forget_last_text(engine)
                # Drains the "busy" state init() leaves behind. Safe only now:
                # nothing was queued yet, so there is nothing to repeat.
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
            if self._cache_limit:
                self._prune()
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
        while True:
            job = self._jobs.get()
            if job.urgency < 0:
                return
            if job.then is not None:
                with contextlib.suppress(Exception):
                    job.then()
                continue
            key = self._key(job.text, job.settings)
            try:
                found = self._cached(key) or self._make(engine, job.text, job.settings, key)
            except Exception as exc:
                message = f"Speech synthesis failed: {exc}"
                self._report(message)
                if job.done is not None:
                    job.done.set_exception(RuntimeError(message))
                continue
            if job.done is not None:
                job.done.set_result(found)

    def _make(self, engine: Any, text: str, settings: tuple, key: str) -> Clip:
        self._apply(engine, dict(settings))
        raw = self.folder / f"{key}.{os.getpid()}.raw.wav"
        seconds = 0.0
        try:
            # A clip without a sound is made once more: it was seen when a finishing
            # utterance's last callback landed on the next one.
            for _attempt in range(2):
                engine.save_to_file(text, str(raw))
                engine.runAndWait()
                seconds = _trim(raw, self.folder / f"{key}.wav")
                if seconds > 0:
                    break
        finally:
            _forget_last_text(engine)
            with contextlib.suppress(OSError):
                raw.unlink()
        if seconds <= 0:
            with contextlib.suppress(OSError):
                (self.folder / f"{key}.wav").unlink()
            raise RuntimeError(f"the engine made no sound for {text!r}")
        self.made += 1
        clip = self._clips[key] = Clip(self.folder / f"{key}.wav", seconds)
        return clip

    def _apply(self, engine: Any, wanted: dict[str, object]) -> None:
        # pyttsx3's driver drops commands queued while a loop is ending, so a
        # setting made once can be silently lost (the voice then speaks at 200
        # words a minute whatever the person chose). Check before every clip and
        # set again whatever the engine does not hold.
        if wanted.get("voice") == "":
            wanted["voice"] = self._default_voice
        # The voice first: choosing one can reset the rate and volume.
        for name in ("voice", "rate", "volume"):
            value = wanted.get(name)
            if value is None:
                continue
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


def _forget_last_text(engine: Any) -> None:
    """The espeak driver keeps the last text and file name: a ``runAndWait()`` with nothing
    new queued would make that clip again, and a ``say()`` would write into that file."""
    driver = getattr(getattr(engine, "proxy", None), "_driver", None)
    for name in ("_text_to_say", "_save_file"):
        if driver is not None and hasattr(driver, name):
            setattr(driver, name, None)


def _speakable(text: str) -> bool:
    # A blank text is refused by pyttsx3, and the runAndWait() after it would
    # repeat the previous utterance instead.
    return bool(str(text or "").strip())


def _same(current: object, wanted: object) -> bool:
    """Whether the engine already holds a setting (volumes compare to a hundredth)."""
    if isinstance(wanted, float) and isinstance(current, (int, float)):
        return abs(float(current) - wanted) < 0.01
    return current == wanted


def _trim(raw: Path, final: Path) -> float:
    """Write ``raw`` without the silence around the words to ``final``; its seconds."""
    with wave.open(str(raw)) as f:
        channels, width, rate = f.getnchannels(), f.getsampwidth(), f.getframerate()
        data = f.readframes(f.getnframes())
    if width != 2 or channels != 1:
        raise RuntimeError(f"unexpected audio format ({channels} channels, {8 * width} bits)")
    samples = array.array("h")
    samples.frombytes(data[: len(data) - len(data) % 2])
    if sys.byteorder == "big":
        samples.byteswap()
    loud = _edges(samples)
    if loud:
        first = max(0, loud[0] - int(_KEEP_BEFORE * rate))
        last = min(len(samples), loud[1] + 1 + int(_KEEP_AFTER * rate))
    else:
        first, last = 0, 0
    kept = samples[first:last]
    if sys.byteorder == "big":
        kept.byteswap()
    part = final.with_name(f"{final.stem}.{os.getpid()}.part.wav")
    with wave.open(str(part), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(kept.tobytes())
    os.replace(part, final)  # a clip is whole or absent, even with two copies of the app
    return len(kept) / float(rate)


def _edges(samples: array.array) -> tuple[int, int] | tuple[()]:
    """Indexes of the first and last sample louder than silence."""
    first = next((i for i, s in enumerate(samples) if abs(s) > _SILENCE), None)
    if first is None:
        return ()
    last = next(i for i in range(len(samples) - 1, first - 1, -1) if abs(samples[i]) > _SILENCE)
    return first, last
