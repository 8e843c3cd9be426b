"""Whether sound plays at all: aplay's exit status and words, turned into one plain sentence."""

from __future__ import annotations

import os
import shutil
import threading

import pytest

from backrehab_gui.infra.audio import NullAudioOutput, ProcessAudioOutput
from backrehab_gui.infra.audio_check import (
    BUSY,
    FAILED,
    NO_DEVICE,
    NOT_RESPONDING,
    AudioCheck,
    FixedAudioCheck,
    make_audio_check,
    probe,
    problem_from,
)

posix_only = pytest.mark.skipif(os.name != "posix", reason="uses sh")

# What aplay printed on a machine without a sound card (measured here).
NO_CARD = """\
ALSA lib confmisc.c:855:(parse_card) cannot find card '0'
ALSA lib conf.c:5180:(_snd_config_evaluate) function snd_func_card_inum returned error: No such \
file or directory
ALSA lib pcm.c:2666:(snd_pcm_open_noupdate) Unknown PCM default
aplay: main:831: audio open error: No such file or directory
"""


@pytest.mark.parametrize(("code", "printed", "expected"), [
    (0, "", ""),
    (1, NO_CARD, NO_DEVICE),
    (0, "aplay: device_list:274: no soundcards found...\n", NO_DEVICE),
    (1, "aplay: main:831: audio open error: Device or resource busy\n", BUSY),
    (1, "aplay: something new went wrong\n", FAILED),
])
def test_what_aplay_says_becomes_one_plain_sentence(code, printed, expected):
    assert problem_from(code, printed) == expected


def test_the_sentence_for_no_device_is_the_one_people_see():
    assert NO_DEVICE == "No sound device was found, so cues are shown on screen only."


@posix_only
def test_probe_reads_the_players_exit_status_and_words(tmp_path):
    played = tmp_path / "played"
    # A stand-in player that keeps what it was given: a real WAV file of silence.
    keeper = ["sh", "-c", f'cp "$1" {played}', "player"]
    assert probe(keeper) == ""
    assert played.read_bytes()[:4] == b"RIFF"
    no_card = ["sh", "-c", "echo 'aplay: main:831: audio open error: No such file or "
               "directory' >&2; exit 1", "player"]
    assert probe(no_card) == NO_DEVICE


@posix_only
def test_a_player_that_hangs_or_is_missing_is_told_not_waited_for():
    assert probe(["sh", "-c", "sleep 5", "player"], timeout=0.3) == NOT_RESPONDING
    missing = probe(["backrehab-no-such-player"])
    assert "backrehab-no-such-player" in missing and "not installed" in missing
    assert missing.endswith("so cues are shown on screen only.")


@pytest.mark.skipif(shutil.which("aplay") is None, reason="no aplay")
def test_the_real_aplay_either_plays_or_says_why_in_words():
    result = probe()
    assert result == "" or result.endswith("so cues are shown on screen only."), result


def test_the_check_runs_off_the_callers_thread_and_reports_once_done():
    release = threading.Event()
    threads: list[str] = []

    def slow() -> str:
        threads.append(threading.current_thread().name)
        release.wait(5)
        return NO_DEVICE

    answers: list[str] = []
    check = AudioCheck(slow, on_done=answers.append)
    check.start()
    check.start()  # one check at a time
    assert check.result is None and answers == []  # start() did not wait
    release.set()
    assert check.wait(5) == NO_DEVICE
    assert answers == [NO_DEVICE] and threads == ["backrehab-audio-check"]


def test_a_check_that_breaks_says_nothing_rather_than_crashing():
    def broken() -> str:
        raise RuntimeError("fault of ours")

    answers: list[str] = []
    check = AudioCheck(broken, on_done=answers.append)
    check.start()
    assert check.wait(5) == "" and answers == [""]


def test_only_where_aplay_plays_is_there_anything_to_check():
    assert isinstance(make_audio_check("linux"), AudioCheck)
    fixed = make_audio_check("win32")
    fixed.start()
    assert fixed.result == ""
    answers: list[str] = []
    fake = FixedAudioCheck(NO_DEVICE)
    fake.on_done = answers.append
    fake.start()
    assert answers == [NO_DEVICE] and fake.starts == 1


@posix_only
def test_the_check_plays_through_the_audio_outputs_own_player(tmp_path):
    played = tmp_path / "played"
    output = ProcessAudioOutput(["sh", "-c", f'cp "$1" {played}', "player"], mixing=True)
    check = make_audio_check("linux", output=output)
    check.start()
    assert check.wait(5) == "" and played.read_bytes()[:4] == b"RIFF"
    busy = ProcessAudioOutput(["sh", "-c", "echo 'audio open error: Device or resource busy' "
                               ">&2; exit 1", "player"], mixing=False)
    check = make_audio_check("linux", output=busy)
    check.start()
    assert check.wait(5) == BUSY


def test_an_output_that_found_no_player_is_told_at_once():
    output = NullAudioOutput("Audio is unavailable: no player (pw-play, paplay or aplay) is "
                             "installed.")
    check = make_audio_check("linux", output=output)
    check.start()
    assert check.result == ("Audio is unavailable: no player (pw-play, paplay or aplay) is "
                            "installed, so cues are shown on screen only.")
