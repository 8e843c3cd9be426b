"""The audio output: which player, channels, and stopping at once. A stand-in player
sleeps for each clip's real length (the machine has no sound card)."""

from __future__ import annotations

import math
import struct
import sys
import time
import wave
from pathlib import Path

import pytest

from backrehab_gui.infra.audio import (
    SOUND,
    VOICE,
    NullAudioOutput,
    ProcessAudioOutput,
    detect,
    make_audio_output,
    stand_in_command,
    wav_seconds,
)


def tone(path: Path, seconds: float) -> Path:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(22050)
        n = int(seconds * 22050)
        f.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(i / 8)))
                               for i in range(n)))
    return path


def read_log(log: Path) -> dict[str, dict]:
    """pid -> {start, seconds, path, end}."""
    clips: dict[str, dict] = {}
    if not log.exists():
        return clips
    for line in log.read_text().splitlines():
        parts = line.split(" ", 4)
        if parts[0] == "start":
            clips[parts[2]] = {"start": float(parts[1]), "seconds": float(parts[3]),
                               "path": parts[4], "end": None}
        elif parts[0] == "end":
            clips[parts[2]]["end"] = float(parts[1])
    return clips


def wait_for(predicate, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.005)


@pytest.fixture
def clips(tmp_path):
    return {"word": tone(tmp_path / "word.wav", 0.4), "long": tone(tmp_path / "long.wav", 3.0),
            "tick": tone(tmp_path / "tick.wav", 0.03), "bell": tone(tmp_path / "bell.wav", 1.0)}


def output(tmp_path, mixing: bool) -> tuple[ProcessAudioOutput, Path]:
    log = tmp_path / "played.log"
    return ProcessAudioOutput(stand_in_command(log), mixing=mixing), log


# --- Finding a player -------------------------------------------------------------------


def test_a_running_sound_server_is_used_and_mixes(tmp_path):
    (tmp_path / "pipewire-0").touch()
    (tmp_path / "pulse").mkdir()
    (tmp_path / "pulse" / "native").touch()
    everything = {"pw-play", "paplay", "aplay"}.__contains__

    def which(name):
        return f"/usr/bin/{name}" if everything(name) else None

    assert detect({"XDG_RUNTIME_DIR": str(tmp_path)}, which) == (["pw-play"], True)
    (tmp_path / "pipewire-0").unlink()
    assert detect({"XDG_RUNTIME_DIR": str(tmp_path)}, which) == (["paplay"], True)
    # Installed but no server running: straight to ALSA, which may not mix.
    assert detect({"XDG_RUNTIME_DIR": str(tmp_path / "elsewhere")}, which) == \
        (["aplay", "-q"], False)
    assert detect({}, lambda name: None) is None


def test_factory_choices():
    assert make_audio_output(False).reason == ""
    missing = make_audio_output(command=["no-such-player-here"])
    assert isinstance(missing, NullAudioOutput) and "not installed" in missing.reason
    given = make_audio_output(command=[sys.executable], mixing=True)
    assert isinstance(given, ProcessAudioOutput) and given.mixing and given.available


# --- Playing ------------------------------------------------------------------------------


def test_a_clip_plays_for_its_real_length(tmp_path, clips):
    out, log = output(tmp_path, mixing=False)
    assert wav_seconds(clips["word"]) == pytest.approx(0.4, abs=0.001)
    assert out.play(clips["word"], VOICE)
    wait_for(lambda: not out.playing(VOICE))
    (clip,) = read_log(log).values()
    assert clip["path"] == str(clips["word"]) and clip["seconds"] == pytest.approx(0.4, abs=1e-3)
    assert clip["end"] - clip["start"] == pytest.approx(0.4, abs=0.1)
    assert [(p.channel, p.outcome) for p in out.history] == [(VOICE, "played")]


def test_stop_silences_the_voice_at_once(tmp_path, clips):
    out, log = output(tmp_path, mixing=False)
    out.play(clips["long"], VOICE)
    wait_for(lambda: read_log(log))  # it has started playing
    before = time.monotonic()
    assert out.stop(VOICE) == 1
    took = time.monotonic() - before
    assert not out.playing(VOICE) and out.running == 0
    assert took < 0.5  # killed, not played out: the clip is 3 s long
    time.sleep(0.2)
    (clip,) = read_log(log).values()
    assert clip["end"] is None
    assert out.history[-1].outcome == "stopped"


def test_a_new_utterance_ends_the_one_before_so_speech_never_overlaps(tmp_path, clips):
    out, log = output(tmp_path, mixing=True)
    out.play(clips["long"], VOICE)
    out.play(clips["word"], VOICE)
    wait_for(lambda: not out.playing(VOICE))
    assert [p.outcome for p in out.history] == ["cut", "played"]


def test_without_a_mixer_the_voice_has_the_device(tmp_path, clips):
    out, _ = output(tmp_path, mixing=False)
    out.play(clips["long"], VOICE)
    # A sound while the voice speaks would find the device busy: it is left out.
    assert out.play(clips["tick"], SOUND) is False and out.left_out == 1
    out.stop(VOICE)
    # A sound playing when the voice starts gives way at once: the words are on time.
    out.play(clips["bell"], SOUND)
    out.play(clips["word"], VOICE)
    assert out.history[-2].outcome == "cut" and out.playing(VOICE) and not out.playing(SOUND)
    # One sound at a time, too.
    out.stop()
    out.play(clips["bell"], SOUND)
    out.play(clips["tick"], SOUND)
    assert [p.outcome for p in out.history][-2:] == ["cut", "playing"]
    out.close()
    assert out.running == 0


def test_with_a_mixer_sounds_play_over_speech(tmp_path, clips):
    out, _ = output(tmp_path, mixing=True)
    out.play(clips["long"], VOICE)
    assert out.play(clips["bell"], SOUND)
    assert out.playing(VOICE) and out.playing(SOUND)
    out.stop(SOUND)
    assert out.playing(VOICE) and not out.playing(SOUND)
    out.close()


def test_too_many_sounds_at_once_end_the_oldest(tmp_path, clips):
    out = ProcessAudioOutput([sys.executable, "-c", "import time; time.sleep(30)"],
                             mixing=True, max_sounds=2)
    try:
        for _ in range(3):
            out.play(clips["tick"], SOUND)
        assert out.running == 2 and out.history[0].outcome == "cut"
    finally:
        out.close()
    assert out.running == 0


def test_a_player_that_cannot_start_silences_the_output_with_a_reason(tmp_path, clips):
    out = ProcessAudioOutput([str(tmp_path / "no-such-player")], mixing=False)
    assert out.play(clips["word"], VOICE) is False
    assert not out.available and "could not start" in out.reason
    with pytest.raises(ValueError):
        out.play(clips["word"], "music")
