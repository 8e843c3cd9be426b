"""Sound players and the bundled sound files."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest

from backrehab_gui.infra import paths
from backrehab_gui.infra.audio import (
    SOUND,
    ProcessAudioOutput,
    RecordingAudioOutput,
    stand_in_command,
)
from backrehab_gui.infra.sound import (
    SOUND_NAMES,
    ClipSoundPlayer,
    NullSoundPlayer,
    RecordingSoundPlayer,
    make_sound_player,
)

REPO = Path(__file__).resolve().parents[2]
SOUNDS = paths.assets() / "sounds"


def wait_for(predicate, timeout: float = 10.0) -> None:
    end = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > end:
            raise AssertionError("timed out")
        time.sleep(0.01)


def test_recording_player_records_names_in_order():
    player = RecordingSoundPlayer()
    player.play("start")
    player.play("tick")
    player.close()
    assert player.played == ["start", "tick"]
    assert player.closed and player.available


def test_unknown_names_are_a_programming_error():
    for player in (RecordingSoundPlayer(), NullSoundPlayer(),
                   ClipSoundPlayer(SOUNDS, RecordingAudioOutput())):
        with pytest.raises(ValueError):
            player.play("beep")


def test_null_player_is_silent_and_keeps_its_reason():
    player = NullSoundPlayer("Sounds are unavailable: aplay is not installed.")
    player.play("complete")
    player.close()
    assert not player.available
    assert "aplay" in player.reason


def test_sounds_play_on_the_sound_channel_of_the_shared_output():
    output = RecordingAudioOutput()
    player = ClipSoundPlayer(SOUNDS, output)
    player.play("start")
    player.play("tick")
    player.close()
    assert output.played == [(SOUND, SOUNDS / "start.wav"), (SOUND, SOUNDS / "tick.wav")]
    assert output.stops == [SOUND] and not output.closed  # the app closes what it shares


def test_play_returns_at_once_and_the_sound_really_plays(tmp_path):
    log = tmp_path / "played.log"
    output = ProcessAudioOutput(stand_in_command(log), mixing=True)
    player = make_sound_player(True, SOUNDS, output=output)
    before = time.monotonic()
    player.play("complete")
    assert time.monotonic() - before < 0.5  # nobody waited for the 0.56 s sound
    wait_for(lambda: log.exists() and "end" in log.read_text())
    start, end = log.read_text().splitlines()
    assert start.endswith(str(SOUNDS / "complete.wav"))
    assert float(end.split()[1]) - float(start.split()[1]) == pytest.approx(0.56, abs=0.1)
    wait_for(lambda: output.running == 0)  # collected: no process left behind


def test_a_missing_command_makes_the_player_silent_with_a_reason(tmp_path):
    player = make_sound_player(True, SOUNDS,
                               output=ProcessAudioOutput([str(tmp_path / "no-such-aplay")],
                                                         mixing=False))
    player.play("start")
    player.play("end")
    assert not player.available
    assert "could not start" in player.reason and player.reason.startswith("Sounds")


def test_factory_choices(tmp_path):
    assert make_sound_player(False, SOUNDS).reason == ""
    missing = make_sound_player(True, SOUNDS, command=[str(tmp_path / "no-such-aplay")])
    assert isinstance(missing, NullSoundPlayer) and "not installed" in missing.reason
    empty = make_sound_player(True, tmp_path, command=[sys.executable])
    assert isinstance(empty, NullSoundPlayer) and "no sound files" in empty.reason
    ready = make_sound_player(True, SOUNDS, command=[sys.executable, "-c", "pass"])
    assert isinstance(ready, ClipSoundPlayer) and ready.available and ready.reason == ""


@pytest.mark.skipif(shutil.which("aplay") is None, reason="aplay is not installed")
def test_real_aplay_without_a_sound_card_is_harmless():
    player = make_sound_player(True, SOUNDS)
    player.play("tick")
    player.close()


# --- The bundled files --------------------------------------------------------------------


@pytest.mark.parametrize("name", SOUND_NAMES)
def test_bundled_sounds_are_small_quiet_mono_wavs(name):
    path = SOUNDS / f"{name}.wav"
    assert path.stat().st_size < 30_000
    with wave.open(str(path)) as f:
        assert (f.getnchannels(), f.getsampwidth(), f.getframerate()) == (1, 2, 22050)
        frames = f.getnframes()
        data = f.readframes(frames)
    assert 0.01 < frames / 22050 < 1.0
    samples = [int.from_bytes(data[i:i + 2], "little", signed=True)
               for i in range(0, len(data), 2)]
    assert 1000 < max(abs(s) for s in samples) < 0.5 * 32767  # audible, but quiet-ish
    # Faded in and out: no click at either end.
    assert abs(samples[0]) < 200 and abs(samples[-1]) < 200


def test_bundled_sounds_match_the_generator(tmp_path):
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_sounds.py"), "--out",
                    str(tmp_path)], check=True, capture_output=True)
    for name in SOUND_NAMES:
        assert (tmp_path / f"{name}.wav").read_bytes() == (SOUNDS / f"{name}.wav").read_bytes()
