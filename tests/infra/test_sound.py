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
from backrehab_gui.infra.sound import (
    SOUND_NAMES,
    AplaySoundPlayer,
    NullSoundPlayer,
    RecordingSoundPlayer,
    make_sound_player,
)

REPO = Path(__file__).resolve().parents[2]
SOUNDS = paths.assets() / "sounds"
# A stand-in for aplay that plays for 0.3 s; the file name arrives as an extra argument.
SLOW = [sys.executable, "-c", "import time; time.sleep(0.3)"]


def held_until(flag: Path) -> list[str]:
    """A stand-in for aplay that plays until the test creates ``flag``."""
    code = f"import os, time\nwhile not os.path.exists({str(flag)!r}): time.sleep(0.01)"
    return [sys.executable, "-c", code]


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
    for player in (RecordingSoundPlayer(), NullSoundPlayer(), AplaySoundPlayer(SOUNDS, SLOW)):
        with pytest.raises(ValueError):
            player.play("beep")


def test_null_player_is_silent_and_keeps_its_reason():
    player = NullSoundPlayer("Sounds are unavailable: aplay is not installed.")
    player.play("complete")
    player.close()
    assert not player.available
    assert "aplay" in player.reason


def test_play_returns_at_once_and_finished_processes_are_reaped(tmp_path):
    flag = tmp_path / "done"
    player = AplaySoundPlayer(SOUNDS, held_until(flag))
    player.play("start")
    player.play("tick")
    started = list(player._running)
    # Both still playing when play() came back: nobody waited for them.
    assert all(p.poll() is None for p in started)
    assert started[0].args[-1] == str(SOUNDS / "start.wav")
    flag.touch()
    wait_for(lambda: all(p.poll() is not None for p in started))
    player.play("end")
    assert player.running == 1  # the two finished ones were collected
    player.close()
    assert player.running == 0
    assert all(p.returncode is not None for p in started)


def test_too_many_sounds_at_once_kill_the_oldest():
    player = AplaySoundPlayer(SOUNDS, [sys.executable, "-c", "import time; time.sleep(30)"],
                              max_running=2)
    try:
        player.play("tick")
        player.play("tick")
        first = player._running[0]
        player.play("tick")
        assert first.wait(5) != 0  # killed, not waited for by play()
    finally:
        player.close()
    assert player.running == 0


def test_a_missing_command_makes_the_player_silent_with_a_reason(tmp_path):
    player = AplaySoundPlayer(SOUNDS, [str(tmp_path / "no-such-aplay")])
    player.play("start")
    player.play("end")
    assert not player.available
    assert "could not start" in player.reason
    assert player.running == 0


def test_factory_choices(tmp_path):
    assert make_sound_player(False, SOUNDS).reason == ""
    missing = make_sound_player(True, SOUNDS, command=[str(tmp_path / "no-such-aplay")])
    assert isinstance(missing, NullSoundPlayer) and "not installed" in missing.reason
    empty = make_sound_player(True, tmp_path, command=[sys.executable])
    assert isinstance(empty, NullSoundPlayer) and "no sound files" in empty.reason
    ready = make_sound_player(True, SOUNDS, command=[sys.executable, "-c", "pass"])
    assert isinstance(ready, AplaySoundPlayer) and ready.available and ready.reason == ""


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
