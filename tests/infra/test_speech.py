"""Speakers and synthesis: the null and recording speakers, the pyttsx3 speaker with a
fake engine and a recording output, and checks with the real espeak-ng engine."""

from __future__ import annotations

import math
import shutil
import struct
import threading
import time
import wave
from pathlib import Path
from types import SimpleNamespace

import pytest

from backrehab_gui.infra.audio import (
    VOICE,
    ProcessAudioOutput,
    RecordingAudioOutput,
    stand_in_command,
)
from backrehab_gui.infra.speech import NullSpeaker, Pyttsx3Speaker, RecordingSpeaker, make_speaker
from backrehab_gui.infra.synth import Synthesizer

WAIT = 5.0  # generous bound for the workers to catch up; tests never sleep this long
SILENCE = 0.3  # seconds the fake engine puts around its words, as espeak does after them


class FakeClock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class FakeEngine:
    """Stands in for a pyttsx3 engine: records calls and the thread of each.

    ``save_to_file`` + ``runAndWait`` write a tone lasting 0.05 s per letter,
    with silence around it, as espeak-ng writes words. ``gate``, when closed,
    holds ``runAndWait`` so a test can queue work while a clip is being made.
    """

    def __init__(self, gated: bool = False) -> None:
        self.gate = threading.Event()
        if not gated:
            self.gate.set()
        self.calls: list[tuple] = []
        self.threads: set[int] = set()
        self.made: list[str] = []
        self._text: str | None = None
        self._file: str | None = None
        self.fail: Exception | None = None
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
        raise AssertionError("say() plays through aplay and cannot be stopped: never used")

    def save_to_file(self, text, path):
        self._touch("save_to_file", text, path)
        if self.fail is not None:
            raise self.fail
        self._text, self._file = text, path

    def runAndWait(self):
        self._touch("runAndWait")
        if self._text is None:
            return
        self.gate.wait(WAIT)
        words = 0.05 * len(self._text)
        rate = 22050
        with wave.open(self._file, "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(rate)
            quiet = b"\x00\x00" * int(SILENCE * rate)
            sound = b"".join(struct.pack("<h", int(6000 * math.sin(i / 5)) or 1000)
                             for i in range(int(words * rate)))
            f.writeframes(quiet + sound + quiet)
        self.made.append(self._text)
        self._text = self._file = None


def wait_for(predicate, timeout: float = WAIT) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out waiting for the speech workers")
        time.sleep(0.005)


def started(engine: FakeEngine, tmp_path: Path, **kwargs) -> Pyttsx3Speaker:
    kwargs.setdefault("output", RecordingAudioOutput())
    speaker = Pyttsx3Speaker(lambda: engine, cache_dir=tmp_path / "clips", **kwargs)
    assert speaker.wait_ready(WAIT)
    return speaker


def played(speaker: Pyttsx3Speaker) -> list[str]:
    """Texts whose clips were handed to the output, in order."""
    by_path = {clip.path: text for text, clip in speaker.clips.items()}
    return [by_path.get(path, str(path)) for channel, path in speaker.output.played
            if channel == VOICE]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


# --- Null and recording -------------------------------------------------------------


def test_null_speaker_is_silent_and_keeps_its_reason():
    speaker = NullSpeaker("Voice is unavailable: espeak-ng is not installed.")
    speaker.say("three", due=1.0)
    speaker.prepare(["three"])
    speaker.configure("gmw/en", 150, 0.5)
    speaker.stop()
    speaker.close()
    assert speaker.available is False and speaker.length("three") is None
    assert speaker.reason == "Voice is unavailable: espeak-ng is not installed."
    assert speaker.voices() == []


def test_recording_speaker_records_text_and_due():
    ready = []
    speaker = RecordingSpeaker(lengths=lambda text: 0.1 * len(text))
    speaker.say("Bridge", due=1.5)
    speaker.say("three", due=2.0, expires=2.75)
    speaker.say("   ")
    speaker.prepare(["Bridge"], lambda: ready.append(True))
    speaker.stop()
    speaker.configure(rate=150)
    assert speaker.available and speaker.reason == ""
    assert speaker.said == [("Bridge", 1.5), ("three", 2.0)]
    assert speaker.texts == ["Bridge", "three"] and speaker.cues[1].expires == 2.75
    assert speaker.prepared == ["Bridge"] and ready == [True]
    assert speaker.length("Bridge") == pytest.approx(0.6)
    assert speaker.stops == 1 and speaker.settings == {"rate": 150}


def test_make_speaker_disabled_is_a_quiet_null_speaker():
    speaker = make_speaker(False)
    assert isinstance(speaker, NullSpeaker) and speaker.reason == ""


# --- Start-up failures ----------------------------------------------------------------


@pytest.mark.parametrize(("error", "words"), [
    (RuntimeError("This means you probably do not have eSpeak or eSpeak-ng installed!"),
     "espeak-ng is not installed"),
    (ImportError("No module named 'pyttsx3'"), "pyttsx3 package is not installed"),
    (OSError("libespeak-ng.so.1: cannot open shared object file"), "did not start"),
])
def test_engine_start_failure_gives_a_null_speaker_with_a_reason(error, words, tmp_path):
    def broken():
        raise error

    speaker = make_speaker(True, engine_factory=broken, output=RecordingAudioOutput(),
                           cache_dir=tmp_path)
    assert isinstance(speaker, NullSpeaker)
    assert speaker.reason.startswith("Voice is unavailable") and words in speaker.reason


def test_engine_that_never_starts_times_out_into_a_null_speaker(tmp_path):
    def slow():
        time.sleep(0.5)
        return FakeEngine()

    speaker = make_speaker(True, engine_factory=slow, start_timeout=0.05,
                           output=RecordingAudioOutput(), cache_dir=tmp_path)
    assert isinstance(speaker, NullSpeaker) and "did not start within" in speaker.reason


def test_no_audio_player_means_no_voice_and_says_why(tmp_path):
    speaker = make_speaker(True, engine_factory=FakeEngine, cache_dir=tmp_path,
                           output=ProcessAudioOutput([str(tmp_path / "nothing")], mixing=False))
    assert isinstance(speaker, Pyttsx3Speaker)  # starts; the player fails on first use
    speaker.say("one")
    wait_for(lambda: not speaker.available)
    assert "could not start" in speaker.reason and speaker.reason.startswith("Voice")
    speaker.close()


# --- Synthesis ahead --------------------------------------------------------------------------


def test_prepared_texts_get_trimmed_clips_and_known_lengths(tmp_path, clock):
    engine = FakeEngine()
    speaker = started(engine, tmp_path, clock=clock)
    ready = threading.Event()
    try:
        assert speaker.length("Halfway") is None
        speaker.prepare(["Halfway", "3", "Halfway", ""], ready.set)
        assert ready.wait(WAIT)
        # Made once each, blanks never; the silence around the words is gone.
        assert engine.made == ["Halfway", "3"]
        assert speaker.length("Halfway") == pytest.approx(0.05 * 7 + 0.05, abs=0.02)
        assert speaker.length("3") == pytest.approx(0.05 + 0.05, abs=0.02)
    finally:
        speaker.close()


def test_each_request_says_when_its_own_texts_are_ready(tmp_path):
    engine = FakeEngine(gated=True)
    synth = Synthesizer(lambda: engine, folder=tmp_path)
    synth.wait_ready(WAIT)
    seen: dict[str, list[str]] = {}
    both = threading.Event()
    synth.request(["Get ready", "3"], lambda: seen.setdefault("first", list(engine.made)))
    synth.request(["Halfway", "Switch sides"],
                  lambda: (seen.setdefault("all", list(engine.made)), both.set()))
    engine.gate.set()
    assert both.wait(WAIT)
    synth.close()
    # The session can start once its first words are made, before all the others.
    assert seen == {"first": ["Get ready", "3"],
                    "all": ["Get ready", "3", "Halfway", "Switch sides"]}


def test_clips_are_kept_for_the_next_session_and_made_anew_for_other_settings(tmp_path):
    first = Synthesizer(FakeEngine, folder=tmp_path, rate=150)
    first.wait_ready(WAIT)
    assert first.synthesize("Switch sides").seconds > 0.5
    first.close()
    again = Synthesizer(FakeEngine, folder=tmp_path, rate=150)
    again.wait_ready(WAIT)
    assert again.clip("Switch sides") is not None and again.made == 0
    again.configure(rate=120)
    assert again.clip("Switch sides") is None  # another voice speed: another clip
    assert again.synthesize("Switch sides") is not None and again.made == 1
    again.close()
    assert len(list(tmp_path.glob("*.wav"))) == 2


def test_the_clip_folder_is_pruned_oldest_first(tmp_path):
    keep = Synthesizer(FakeEngine, folder=tmp_path)
    keep.wait_ready(WAIT)
    for text in ("one two three", "four five six", "seven eight nine"):
        keep.synthesize(text)
    keep.close()
    sizes = sorted(p.stat().st_size for p in tmp_path.glob("*.wav"))
    pruned = Synthesizer(FakeEngine, folder=tmp_path, cache_limit=sizes[0] + sizes[1])
    pruned.wait_ready(WAIT)
    wait_for(lambda: len(list(tmp_path.glob("*.wav"))) < 3)
    pruned.close()


def test_a_folder_that_cannot_be_written_falls_back_to_a_temporary_one(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    synth = Synthesizer(FakeEngine, folder=blocked / "clips")
    synth.wait_ready(WAIT)
    try:
        assert synth.synthesize("Rest") is not None
        assert synth.folder != blocked / "clips"
    finally:
        synth.close()
    assert not synth.folder.exists()


def test_every_engine_call_happens_on_one_thread_and_settings_come_first(tmp_path, clock):
    engine = FakeEngine()
    speaker = started(engine, tmp_path, clock=clock, voice="gmw/en", rate=150, volume=0.8)
    try:
        speaker.say("one")
        wait_for(lambda: played(speaker) == ["one"])
        speaker.configure(rate=1000, volume=-1)
        speaker.say("two", due=clock.now)
        wait_for(lambda: played(speaker) == ["one", "two"])
    finally:
        speaker.close()
    assert len(engine.threads) == 1 and threading.get_ident() not in engine.threads
    calls = [c[:2] if c[0] == "save_to_file" else c for c in engine.calls
             if c[0] in ("setProperty", "save_to_file")]
    assert calls[:4] == [("setProperty", "voice", "gmw/en"), ("setProperty", "rate", 150),
                         ("setProperty", "volume", 0.8), ("save_to_file", "one")]
    assert calls[4:7] == [("setProperty", "rate", 450), ("setProperty", "volume", 0.0),
                          ("save_to_file", "two")]


def test_a_setting_the_driver_lost_is_set_again_before_the_next_clip(tmp_path):
    # pyttsx3 drops commands queued while its loop ends: the rate can silently go
    # back to the default. The synthesizer checks before every clip.
    engine = FakeEngine()
    synth = Synthesizer(lambda: engine, folder=tmp_path, rate=150)
    synth.wait_ready(WAIT)
    synth.synthesize("one")
    engine.properties["rate"] = 200  # lost, as in the driver
    synth.synthesize("two")
    synth.close()
    assert [c[2] for c in engine.calls if c[:2] == ("setProperty", "rate")] == [150, 150]


def test_the_default_voice_can_be_chosen_again(tmp_path):
    engine = FakeEngine()
    synth = Synthesizer(lambda: engine, folder=tmp_path, voice="roa/fr")
    synth.wait_ready(WAIT)
    synth.synthesize("un")
    synth.configure(voice="")
    synth.synthesize("one")
    synth.close()
    assert engine.properties["voice"] == "gmw/en-us"
    assert synth.voices()[0] == ("gmw/en-us", "English (America)")


def test_engine_errors_reach_on_error_once_and_speaking_goes_on(tmp_path, clock):
    messages: list[str] = []
    engine = FakeEngine()
    engine.fail = RuntimeError("run loop already started")
    speaker = started(engine, tmp_path, clock=clock, on_error=messages.append)
    try:
        speaker.say("one")
        speaker.say("two")
        wait_for(lambda: len([c for c in engine.calls if c[0] == "save_to_file"]) == 2)
        engine.fail = None
        speaker.say("three")
        wait_for(lambda: played(speaker) == ["three"])
    finally:
        speaker.close()
    assert messages == ["Speech synthesis failed: run loop already started"]


# --- Saying ------------------------------------------------------------------------------------


def test_say_never_blocks_and_plays_the_clip_on_the_voice_channel(tmp_path, clock):
    engine = FakeEngine(gated=True)
    speaker = started(engine, tmp_path, clock=clock)
    try:
        before = time.monotonic()
        for word in ("Lie on your back", "three", "two"):
            speaker.say(word)
        assert time.monotonic() - before < 0.1  # all three calls came straight back
        engine.gate.set()
        wait_for(lambda: len(played(speaker)) == 3)
        assert played(speaker) == ["Lie on your back", "three", "two"]
        text, due, at = speaker.latencies[0]
        assert (text, due, at) == ("Lie on your back", None, clock.now)
    finally:
        speaker.close()


def test_a_cue_gone_stale_before_its_clip_was_ready_is_dropped(tmp_path, clock):
    engine = FakeEngine(gated=True)
    speaker = started(engine, tmp_path, clock=clock, max_lateness=0.75)
    try:
        speaker.say("three", due=clock.now)
        speaker.say("Keep your hips level", due=clock.now, expires=clock.now + 4.0)
        speaker.say("Notice")
        clock.now += 1.2  # the engine was slow: "three" is now 1.2 s late
        engine.gate.set()
        wait_for(lambda: len(played(speaker)) == 2)
        assert played(speaker) == ["Keep your hips level", "Notice"]
        assert speaker.dropped == 1
    finally:
        speaker.close()


def test_stop_silences_the_voice_and_forgets_what_was_waiting(tmp_path, clock):
    engine = FakeEngine(gated=True)
    output = RecordingAudioOutput()
    speaker = started(engine, tmp_path, clock=clock, output=output)
    try:
        speaker.say("three")
        speaker.say("two")
        speaker.stop()
        assert output.stops == [VOICE]  # at once, from the caller's thread
        speaker.say("Paused")
        engine.gate.set()
        wait_for(lambda: played(speaker) == ["Paused"])
        time.sleep(0.05)
        assert played(speaker) == ["Paused"]
    finally:
        speaker.close()


def test_close_stops_the_workers_and_later_cues_are_ignored(tmp_path, clock):
    engine = FakeEngine()
    output = RecordingAudioOutput()
    speaker = started(engine, tmp_path, clock=clock, output=output)
    speaker.close()
    assert not speaker._thread.is_alive() and not speaker.synth._thread.is_alive()
    assert speaker.available is False and output.closed is False  # not its own output
    speaker.say("too late")
    speaker.close()
    assert output.played == []
    with pytest.raises(RuntimeError):
        speaker.clip_for("nothing")


# --- The real engine ------------------------------------------------------------------------

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed")


@pytest.mark.speech
@needs_espeak
def test_real_engine_makes_trimmed_clips_at_the_chosen_rate(tmp_path, capfd):
    log = tmp_path / "played.log"
    output = ProcessAudioOutput(stand_in_command(log), mixing=False)
    speaker = make_speaker(True, output=output, cache_dir=tmp_path / "clips")
    try:
        assert isinstance(speaker, Pyttsx3Speaker), getattr(speaker, "reason", "")
        assert any(voice_id.startswith("gmw/en") for voice_id, _ in speaker.voices())
        # pyttsx3 hands out one engine per process; a second speaker must not share it.
        second = make_speaker(True, output=output, cache_dir=tmp_path / "other")
        assert isinstance(second, NullSpeaker) and "another speaker" in second.reason

        clip = speaker.clip_for("Three, two, one. Switch sides.")
        with wave.open(str(clip.path)) as f:
            assert (f.getnchannels(), f.getsampwidth()) == (1, 2)
            frames = f.readframes(f.getnframes())
        assert 0.8 < clip.seconds < 4.0
        # Trimmed: it sounds from the start, and ends within 50 ms of the last word.
        head = [abs(int.from_bytes(frames[i:i + 2], "little", signed=True))
                for i in range(0, 2 * 441, 2)]
        assert max(head) > 300
        assert "Audio saved" not in capfd.readouterr().out

        lengths = {}
        for rate in (110, 260):
            speaker.configure(rate=rate)
            lengths[rate] = speaker.clip_for(
                "Breathe out as you lower, and keep your back on the mat.").seconds
        assert lengths[110] > 1.6 * lengths[260], lengths
    finally:
        speaker.close()


@pytest.mark.speech
@needs_espeak
def test_real_voice_plays_for_the_clip_length_and_a_stop_cuts_it_at_once(tmp_path):
    log = tmp_path / "played.log"
    output = ProcessAudioOutput(stand_in_command(log), mixing=False)
    speaker = make_speaker(True, output=output, cache_dir=tmp_path / "clips")
    try:
        ready = threading.Event()
        long = "Sink your hips back, and breathe into your lower back. Stay here."
        speaker.prepare(["Halfway", long], ready.set)
        assert ready.wait(15)
        speaker.say("Halfway", due=time.monotonic())
        wait_for(lambda: "end" in log.read_text() if log.exists() else False, timeout=10)
        speaker.say(long, due=time.monotonic())
        wait_for(lambda: log.read_text().count("start") == 2, timeout=10)
        speaker.stop()
        stopped = time.monotonic()
        assert not output.playing(VOICE)
        lines = log.read_text().splitlines()
        assert [line.split()[0] for line in lines] == ["start", "end", "start"]
        first_start, first_end = float(lines[0].split()[1]), float(lines[1].split()[1])
        assert first_end - first_start == pytest.approx(speaker.length("Halfway"), abs=0.1)
        assert stopped - float(lines[2].split()[1]) < speaker.length(long) / 2
        time.sleep(0.2)
        assert log.read_text().count("end") == 1  # the cut clip never finished
    finally:
        speaker.close()
