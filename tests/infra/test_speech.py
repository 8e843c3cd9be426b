"""Speakers: the null and recording ones, the pyttsx3 worker with a fake engine,
and one check with the real espeak-ng engine."""

from __future__ import annotations

import math
import shutil
import threading
import time
import wave
from types import SimpleNamespace

import pytest

from backrehab_gui.infra.speech import (
    NullSpeaker,
    Priority,
    Pyttsx3Speaker,
    RecordingSpeaker,
    make_speaker,
)

WAIT = 5.0  # generous bound for the worker to catch up; tests never sleep this long


class FakeClock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeEngine:
    """Stands in for a pyttsx3 engine: records calls and the thread of each.

    ``runAndWait`` sleeps ``busy`` seconds, or, with ``gate`` set, waits until
    the test opens it, so a test can queue cues while one is being spoken.
    """

    def __init__(self, busy: float = 0.0, gated: bool = False) -> None:
        self.busy = busy
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.speaking = threading.Event()
        self.calls: list[tuple] = []
        self.threads: set[int] = set()
        self.spoken: list[str] = []
        self.finished = threading.Event()
        self._text: str | None = None
        self._file: str | None = None
        self.fail_say: Exception | None = None
        self.properties: dict[str, object] = {"voice": "gmw/en-us", "rate": 200,
                                              "volume": 1.0}

    def _touch(self, *call: object) -> None:
        self.threads.add(threading.get_ident())
        self.calls.append(call)

    def connect(self, topic, callback):
        self._touch("connect", topic)

    def getProperty(self, name):
        self._touch("getProperty", name)
        if name == "voices":
            return [SimpleNamespace(id="gmw/en-us", name="English (America)"),
                    SimpleNamespace(id="gmw/en", name="English (Great Britain)"),
                    SimpleNamespace(id="roa/fr", name="French")]
        return self.properties.get(name)

    def setProperty(self, name, value):
        self._touch("setProperty", name, value)
        self.properties[name] = value

    def say(self, text):
        self._touch("say", text)
        if self.fail_say is not None:
            raise self.fail_say
        self._text = text

    def save_to_file(self, text, path):
        self._touch("save_to_file", text, path)
        self._text, self._file = text, path

    def runAndWait(self):
        self._touch("runAndWait")
        text, self._text = self._text, None
        if text is None:
            return
        if self._file:
            with wave.open(self._file, "wb") as f:
                f.setnchannels(1)
                f.setsampwidth(2)
                f.setframerate(22050)
                f.writeframes(b"\x00\x01" * 2205)
            self._file = None
            return
        self.speaking.set()
        self.gate.wait(WAIT)
        time.sleep(self.busy)
        self.speaking.clear()
        self.spoken.append(text)
        self.finished.set()


def wait_for(predicate, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the speech worker")
        time.sleep(0.005)


def started(engine: FakeEngine, **kwargs) -> Pyttsx3Speaker:
    speaker = Pyttsx3Speaker(lambda: engine, **kwargs)
    assert speaker.wait_ready(WAIT)
    return speaker


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- Null and recording -------------------------------------------------------------


def test_null_speaker_is_silent_and_keeps_its_reason():
    speaker = NullSpeaker("Voice is unavailable: espeak-ng is not installed.")
    speaker.say("three", due=1.0)
    speaker.configure("gmw/en", 150, 0.5)
    speaker.stop()
    speaker.close()
    assert speaker.available is False
    assert speaker.reason == "Voice is unavailable: espeak-ng is not installed."
    assert speaker.voices() == []


def test_recording_speaker_records_text_and_due():
    speaker = RecordingSpeaker()
    speaker.say("Bridge", due=1.5)
    speaker.say("three", due=2.0, expires=2.75, priority=Priority.HIGH)
    speaker.say("   ")
    speaker.stop()
    speaker.configure(rate=150)
    assert speaker.available and speaker.reason == ""
    assert speaker.said == [("Bridge", 1.5), ("three", 2.0)]
    assert speaker.texts == ["Bridge", "three"]
    assert speaker.cues[1].priority is Priority.HIGH and speaker.cues[1].expires == 2.75
    assert speaker.stops == 1
    assert speaker.settings == {"rate": 150}


def test_make_speaker_disabled_is_a_quiet_null_speaker():
    speaker = make_speaker(False)
    assert isinstance(speaker, NullSpeaker)
    assert speaker.reason == ""


# --- Start-up failures ----------------------------------------------------------------


@pytest.mark.parametrize(("error", "words"), [
    (RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!"),
     "espeak-ng is not installed"),
    (ImportError("No module named 'pyttsx3'"), "pyttsx3 package is not installed"),
    (OSError("libespeak-ng.so.1: cannot open shared object file"), "did not start"),
])
def test_engine_start_failure_gives_a_null_speaker_with_a_reason(error, words):
    def broken():
        raise error

    speaker = make_speaker(True, engine_factory=broken)
    assert isinstance(speaker, NullSpeaker)
    assert speaker.reason.startswith("Voice is unavailable")
    assert words in speaker.reason


def test_engine_that_never_starts_times_out_into_a_null_speaker():
    def slow():
        time.sleep(0.5)
        return FakeEngine()

    speaker = make_speaker(True, engine_factory=slow, start_timeout=0.05)
    assert isinstance(speaker, NullSpeaker)
    assert "did not start within" in speaker.reason


# --- The worker -----------------------------------------------------------------------------


def test_say_never_blocks_while_the_engine_is_busy(clock):
    engine = FakeEngine(busy=0.5)
    speaker = started(engine, clock=clock)
    try:
        speaker.say("Lie on your back")
        wait_for(engine.speaking.is_set)
        for word in ("three", "two", "one"):
            speaker.say(word)
        # All three calls came back while the engine was still on the first cue.
        assert not engine.finished.is_set()
        engine.busy = 0.0
        wait_for(lambda: len(engine.spoken) == 4)
        assert engine.spoken == ["Lie on your back", "three", "two", "one"]
    finally:
        speaker.close()


def test_a_cue_that_went_stale_while_another_was_spoken_is_dropped(clock):
    engine = FakeEngine(gated=True)
    speaker = started(engine, clock=clock)
    try:
        speaker.say("Switch sides", due=clock.now)
        wait_for(engine.speaking.is_set)
        speaker.say("three", due=clock.now + 0.1)
        speaker.say("two", due=clock.now + 1.0)
        clock.now += 1.2  # "three" is 1.1 s late, "two" only 0.2 s
        engine.gate.set()
        wait_for(lambda: len(engine.spoken) == 2)
        speaker.close()
        assert engine.spoken == ["Switch sides", "two"]
        assert speaker.dropped == 1
    finally:
        speaker.close()


def test_expires_overrides_max_lateness_and_due_none_is_never_stale(clock):
    engine = FakeEngine(gated=True)
    speaker = started(engine, clock=clock, max_lateness=0.75)
    try:
        speaker.say("Bridge", due=clock.now)
        wait_for(engine.speaking.is_set)
        speaker.say("Keep your hips level", due=clock.now, expires=clock.now + 4.0)
        speaker.say("Halfway", due=clock.now, expires=clock.now + 1.0)
        speaker.say("Well done", due=clock.now, expires=math.inf)
        speaker.say("Notice")
        clock.now += 2.0
        engine.gate.set()
        wait_for(lambda: len(engine.spoken) == 4)
        speaker.close()
        assert engine.spoken == ["Bridge", "Keep your hips level", "Well done", "Notice"]
        assert speaker.dropped == 1
    finally:
        speaker.close()


def test_a_waiting_cue_gives_way_to_a_newer_more_important_one(clock):
    engine = FakeEngine(gated=True)
    speaker = started(engine, clock=clock)
    try:
        speaker.say("Bridge")
        wait_for(engine.speaking.is_set)
        speaker.say("Keep breathing", priority=Priority.LOW)
        speaker.say("Switch sides", priority=Priority.HIGH)
        speaker.say("Nice and slow", priority=Priority.LOW)
        engine.gate.set()
        wait_for(lambda: len(engine.spoken) == 3)
        speaker.close()
        assert engine.spoken == ["Bridge", "Switch sides", "Nice and slow"]
        assert speaker.dropped == 1
    finally:
        speaker.close()


def test_stop_forgets_every_cue_not_yet_spoken(clock):
    engine = FakeEngine(gated=True)
    speaker = started(engine, clock=clock)
    try:
        speaker.say("Bridge")
        wait_for(engine.speaking.is_set)
        speaker.say("three")
        speaker.say("two")
        speaker.stop()
        speaker.say("Paused")
        engine.gate.set()
        wait_for(lambda: len(engine.spoken) == 2)
        speaker.close()
        assert engine.spoken == ["Bridge", "Paused"]
    finally:
        speaker.close()


def test_every_engine_call_happens_on_one_worker_thread(tmp_path, clock):
    engine = FakeEngine()
    speaker = started(engine, clock=clock, voice="gmw/en", rate=150, volume=0.8)
    try:
        speaker.say("one")
        wait_for(lambda: engine.spoken == ["one"])
        speaker.configure(rate=1000, volume=-1)
        speaker.say("two", due=clock.now)
        speaker.save_to_file("three", tmp_path / "three.wav")
        wait_for(lambda: len(engine.spoken) == 2)
        speaker.close()
    finally:
        speaker.close()
    assert len(engine.threads) == 1
    assert threading.get_ident() not in engine.threads
    # The settings were applied on the worker, before the cue they belong to, clamped.
    calls = [c for c in engine.calls if c[0] in ("setProperty", "say")]
    assert calls[:4] == [("setProperty", "voice", "gmw/en"), ("setProperty", "rate", 150),
                         ("setProperty", "volume", 0.8), ("say", "one")]
    assert calls[4:7] == [("setProperty", "rate", 450), ("setProperty", "volume", 0.0),
                          ("say", "two")]


def test_blank_text_is_never_handed_to_the_engine(clock):
    # pyttsx3 refuses blank text and the runAndWait() after it repeats the last cue.
    engine = FakeEngine()
    speaker = started(engine, clock=clock)
    try:
        speaker.say("")
        speaker.say("  ")
        speaker.say("Rest")
        wait_for(lambda: engine.spoken == ["Rest"])
    finally:
        speaker.close()
    assert [c for c in engine.calls if c[0] == "say"] == [("say", "Rest")]


def test_latencies_record_due_and_start_of_each_utterance(clock):
    engine = FakeEngine()
    speaker = started(engine, clock=clock)
    try:
        speaker.say("three", due=clock.now - 0.2)
        wait_for(lambda: len(speaker.latencies) == 1)
    finally:
        speaker.close()
    assert speaker.latencies == [("three", clock.now - 0.2, clock.now)]


def test_voices_are_listed_by_name(clock):
    speaker = started(FakeEngine(), clock=clock)
    try:
        assert speaker.voices() == [("gmw/en-us", "English (America)"),
                                    ("gmw/en", "English (Great Britain)"),
                                    ("roa/fr", "French")]
    finally:
        speaker.close()


def test_engine_errors_reach_on_error_once_and_speaking_goes_on(clock):
    messages: list[str] = []
    engine = FakeEngine()
    engine.fail_say = RuntimeError("run loop already started")
    speaker = started(engine, clock=clock, on_error=messages.append)
    try:
        speaker.say("one")
        speaker.say("two")
        wait_for(lambda: len([c for c in engine.calls if c[0] == "say"]) == 2)
        engine.fail_say = None
        speaker.say("three")
        wait_for(lambda: engine.spoken == ["three"])
    finally:
        speaker.close()
    assert messages == ["Speech failed: run loop already started"]


def test_save_to_file_goes_through_the_worker(tmp_path, clock):
    engine = FakeEngine()
    speaker = started(engine, clock=clock)
    try:
        target = tmp_path / "cue.wav"
        speaker.save_to_file("Switch sides", target)
        with wave.open(str(target)) as f:
            assert f.getnframes() > 0
    finally:
        speaker.close()
    assert len(engine.threads) == 1


def test_close_stops_the_worker_and_later_cues_are_ignored(clock):
    engine = FakeEngine()
    speaker = started(engine, clock=clock)
    speaker.close()
    assert not speaker._thread.is_alive()
    assert speaker.available is False
    speaker.say("too late")
    speaker.close()
    assert engine.spoken == []
    with pytest.raises(RuntimeError):
        speaker.save_to_file("nothing", "/tmp/never.wav")


# --- The real engine ------------------------------------------------------------------------


@pytest.mark.speech
@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_real_engine_writes_a_cue_to_a_wav_file(tmp_path):
    speaker = make_speaker(True)
    try:
        assert isinstance(speaker, Pyttsx3Speaker), getattr(speaker, "reason", "")
        assert speaker.available
        assert any(voice_id.startswith("gmw/en") for voice_id, _ in speaker.voices())
        # pyttsx3 hands out one engine per process; a second speaker must not share it.
        second = make_speaker(True)
        assert isinstance(second, NullSpeaker)
        assert "another speaker" in second.reason

        target = tmp_path / "cue.wav"
        speaker.save_to_file("Three, two, one. Switch sides.", target)
        with wave.open(str(target)) as f:
            assert f.getnchannels() == 1
            assert f.getsampwidth() == 2
            rate, frames = f.getframerate(), f.getnframes()
            samples = f.readframes(frames)
        seconds = frames / rate
        assert 0.8 < seconds < 8.0
        assert max(abs(int.from_bytes(samples[i:i + 2], "little", signed=True))
                   for i in range(0, len(samples), 2)) > 1000

        # After save_to_file the espeak driver would write later cues into the same
        # file; the speaker undoes that, so saying something leaves the file alone.
        size = target.stat().st_size
        speaker.say("Rest")
        wait_for(lambda: len(speaker.latencies) == 1, timeout=15.0)
        assert target.stat().st_size == size

        # The chosen rate really reaches the voice: the same words take longer slow.
        lengths = {}
        for rate in (110, 260):
            speaker.configure(rate=rate)
            path = tmp_path / f"rate-{rate}.wav"
            speaker.save_to_file("Breathe out as you lower, and keep your back on the mat.",
                                 path)
            with wave.open(str(path)) as f:
                lengths[rate] = f.getnframes() / f.getframerate()
        assert lengths[110] > 1.6 * lengths[260], lengths
    finally:
        speaker.close()


def test_a_setting_the_driver_lost_is_set_again_before_the_next_cue(clock):
    # pyttsx3 drops commands queued while its loop ends: the rate can silently go
    # back to the default. The speaker checks before every cue.
    engine = FakeEngine()
    speaker = started(engine, clock=clock, rate=150)
    try:
        speaker.say("one")
        wait_for(lambda: engine.spoken == ["one"])
        engine.properties["rate"] = 200  # lost, as in the driver
        speaker.say("two")
        wait_for(lambda: engine.spoken == ["one", "two"])
    finally:
        speaker.close()
    rates = [c[2] for c in engine.calls if c[:2] == ("setProperty", "rate")]
    assert rates == [150, 150]


def test_the_default_voice_can_be_chosen_again(clock):
    engine = FakeEngine()
    speaker = started(engine, clock=clock, voice="roa/fr")
    try:
        speaker.say("un")
        wait_for(lambda: engine.spoken == ["un"])
        speaker.configure(voice="")
        speaker.say("one")
        wait_for(lambda: engine.spoken == ["un", "one"])
    finally:
        speaker.close()
    assert engine.properties["voice"] == "gmw/en-us"
