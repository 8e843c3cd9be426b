"""Spoken-cue latency with the real espeak-ng engine, and main-thread stalls while speaking.

A routine whose cues come thick (a spoken 3-2-1 before every step, guided reps
with a hold on each rep, paced breaths, short holds with "halfway", short rests;
defined in this script) runs in real time through the real SessionController
in the real PlayerWindow (Qt offscreen), with the app's own sound player.

Runs, one after the other in this one process (pyttsx3 allows one real engine
per process, so the same speaker serves both speaking runs):

1. baseline: the same session with a NullSpeaker;
2. speech: the same session with make_speaker(True): pyttsx3 + espeak-ng on
   its worker thread, exactly as the app makes it;
3. speech, playback emulated (skip with --no-emulated): as 2, with `aplay`
   replaced on PATH by a script that sleeps for the length of the WAV file it
   is given, so each utterance takes as long as it would through a sound card.
   Without a sound card real aplay fails at once and an utterance takes ~10 ms,
   which hides any queueing of cues behind one another.

Cue latency comes from the speaker's own `latencies` (text, due, started):
started - due, for every cue spoken; `dropped` counts cues dropped as stale (or
superseded) before they were spoken.

Main-thread stalls: a repeating 1 ms PreciseTimer on the Qt main thread
records each wake-up; a gap between two wake-ups longer than 1 ms is time the
main thread (the one that updates the timer display) could not run. Every run
has the same probe, so the ratio to the NullSpeaker run is the cost of speech.

    .venv/bin/python benchmarks/speech_latency.py [--seconds 75] [--no-emulated]
"""

from __future__ import annotations

import argparse
import gc
import math
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as c

c.use_offscreen()

from PySide6.QtCore import Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.infra import paths  # noqa: E402
from backrehab_gui.infra.settings import Settings  # noqa: E402
from backrehab_gui.infra.sound import make_sound_player  # noqa: E402
from backrehab_gui.infra.speech import NullSpeaker, make_speaker  # noqa: E402

TARGET_P95 = 0.100
TARGET_STALL = 0.016

BASE = {"id": "benchmark-cues", "name": "Benchmark: thick cues", "prepare": "5s",
        "rest_between_sets": "6s", "rest_between_exercises": "6s"}
PATTERN = [
    # Guided reps with a hold: "1 left", "Hold", "And back" every 4 s.
    {"exercise": "bird-dog", "dose": {"reps": 3, "hold": "2s", "sides": "alternating",
                                      "tempo": {"up": 1, "down": 1}, "sets": 2, "rest": "6s"},
     "cues": [{"at": "9s", "say": "Reach long. Keep your hips level."}]},
    # Short holds: the name, "Halfway", then 3-2-1.
    {"exercise": "plank", "dose": {"hold": "10s", "sets": 2, "rest": "5s"}},
    # Paced breaths: "Breathe in", "Breathe out", "In", "Out" every 2 s.
    {"exercise": "diaphragmatic-breathing", "dose": {"breaths": 5, "inhale": 2, "exhale": 2}},
]

FAKE_APLAY = """#!/bin/sh
# Stands in for aplay during the benchmark: sleeps for the length of the WAV
# file among its arguments (byte rate at offset 28, 44-byte header), as if it
# had played it through a sound card, and notes what it played.
for arg in "$@"; do
  if [ -f "$arg" ]; then
    size=$(stat -c %s "$arg")
    rate=$(od -An -t u4 -j 28 -N 4 "$arg" | tr -d ' ')
    if [ -n "$BACKREHAB_BENCH_APLAY_LOG" ]; then
      echo "$size $rate $arg" >> "$BACKREHAB_BENCH_APLAY_LOG"
    fi
    if [ -n "$rate" ] && [ "$rate" -gt 0 ]; then
      sleep "$(awk -v s="$size" -v r="$rate" 'BEGIN { printf "%.3f", (s - 44) / r }')"
    fi
  fi
done
exit 0
"""


class StallProbe:
    """A 1 ms repeating PreciseTimer on the main thread that keeps its wake-up times."""

    def __init__(self) -> None:
        self.wakes: list[float] = []
        self._timer = QTimer()
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._on_timeout)

    def _on_timeout(self) -> None:
        self.wakes.append(time.monotonic())

    def start(self) -> None:
        self.wakes = [time.monotonic()]
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def gaps(self) -> list[tuple[float, float]]:
        """(gap in seconds, when it began) between consecutive wake-ups."""
        w = self.wakes
        return [(w[i + 1] - w[i], w[i]) for i in range(len(w) - 1)]


def run_session(qapp, library, routine, speaker, sounds, verbose: bool) -> dict:
    """One real-time session; the stall probe runs from start to finish."""
    clock = c.StartClock()
    player = c.build_player(library, routine, speaker, sounds, clock)
    controller = player.controller
    spoken_before = len(getattr(speaker, "latencies", []))
    dropped_before = getattr(speaker, "dropped", 0)
    steps: list[tuple[float, str]] = []
    done = {"at": None}

    def on_step(index, step) -> None:
        steps.append((time.monotonic(), step.kind.value))

    def on_finished(_summary) -> None:
        done["at"] = time.monotonic()
        # Give the speaker a moment to reach the last cues before counting.
        settle.start(1500)

    settle = QTimer()
    settle.setSingleShot(True)
    settle.timeout.connect(qapp.quit)

    controller.sig_step_started.connect(on_step)
    controller.sig_finished.connect(on_finished)
    probe = StallProbe()
    qapp.processEvents()
    gc.collect()
    probe.start()
    c.start_player(player, clock)
    t0 = clock.first
    guard = QTimer()  # never hang; stopped after, so it cannot end a later run
    guard.setSingleShot(True)
    guard.timeout.connect(qapp.quit)
    guard.start(int((controller.engine.timeline.estimate + 60) * 1000))
    with c.quiet_stderr(not verbose):
        qapp.exec()
    guard.stop()
    probe.stop()
    cues = len(controller.spoken)
    try:
        player.close()
    except Exception as exc:  # teardown problems do not change the figures
        print(f"note: teardown: {exc!r}", file=sys.stderr)
    latencies = list(getattr(speaker, "latencies", []))[spoken_before:]
    gaps = [(g, at - t0) for g, at in probe.gaps() if done["at"] is None or at <= done["at"]]
    return {
        "cues": cues, "latencies": [(text, due, started) for text, due, started in latencies],
        "dropped": getattr(speaker, "dropped", 0) - dropped_before,
        "gaps": gaps, "length": (done["at"] or time.monotonic()) - t0,
        "steps": [(at - t0, kind) for at, kind in steps],
    }


def lat_values(run: dict) -> list[float]:
    return [started - due for _text, due, started in run["latencies"] if due is not None]


def waited_split(run: dict) -> tuple[list[float], list[float]]:
    """Latencies of cues that found the speaker free, and of cues that waited for an
    earlier utterance still being spoken (the one before started before this was due,
    and this one started over 50 ms late)."""
    ordered = sorted((started, due) for _t, due, started in run["latencies"] if due is not None)
    free: list[float] = []
    waited: list[float] = []
    for i, (started, due) in enumerate(ordered):
        late = started - due
        if i > 0 and late > 0.05 and ordered[i - 1][0] <= due:
            waited.append(late)
        else:
            free.append(late)
    return free, waited


def fake_aplay_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="backrehab-fake-aplay-"))
    script = folder / "aplay"
    script.write_text(FAKE_APLAY, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return folder


def spoken_audio(log: Path, sounds_folder: Path) -> list[float]:
    """Seconds of audio of each utterance the emulated aplay played, in order."""
    seconds = []
    if not log.exists():
        return seconds
    for line in log.read_text().splitlines():
        size, rate, path = line.split(" ", 2)
        if Path(path).parent == sounds_folder or not rate.isdigit() or int(rate) == 0:
            continue  # a cue sound, not speech
        seconds.append((int(size) - 44) / int(rate))
    return seconds


def espeak_seconds(text: str, rate: int) -> float | None:
    """Length of ``text`` spoken by the espeak-ng command at ``rate`` words per minute."""
    try:
        out = subprocess.run(["espeak-ng", "-s", str(rate), "--stdout", text],
                             capture_output=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return (len(out) - 44) / 44100 if len(out) > 44 else None


def effective_rate(run: dict, audio: list[float], rate: int) -> str:
    """Compare what was spoken with the same texts at the configured rate."""
    texts = [t for t, _due, _started in run["latencies"]]
    if not audio or len(audio) != len(texts):
        return (f"speech rate check skipped ({len(audio)} utterances played, "
                f"{len(texts)} spoken)")
    expected = [espeak_seconds(t, rate) for t in texts]
    if any(e is None for e in expected):
        return "speech rate check skipped (espeak-ng command not available)"
    played, wanted = sum(audio), sum(expected)
    return (f"{len(audio)} utterances, {played:.1f} s of speech; the same texts at the "
            f"configured {rate} words/min take {wanted:.1f} s with the espeak-ng command, so "
            f"the engine spoke at about {rate * wanted / played:.0f} words/min")


def step_at(run: dict, offset: float) -> str:
    kind = "start"
    for at, k in run["steps"]:
        if at <= offset:
            kind = k
    return kind


def report(args, runs: dict[str, dict], routine_info: str) -> str:
    base = runs["baseline"]
    base_gaps = [g for g, _ in base["gaps"]]
    rows_lat = []
    rows_gap = []
    verdicts = []
    for name, label in (("speech", "real espeak-ng, no sound card (aplay fails at once)"),
                        ("emulated", "real espeak-ng, playback emulated (aplay sleeps for "
                                     "the WAV's length)")):
        if name not in runs:
            continue
        r = runs[name]
        lat = lat_values(r)
        p95 = c.percentile(lat, 95)
        rows_lat.append([label, r["cues"], len(lat), r["dropped"], c.ms(c.median(lat), 1),
                         c.ms(p95, 1), c.ms(max(lat) if lat else math.nan, 1)])
        free, waited = waited_split(r)
        for part, values in (("found the speaker free", free),
                             ("waited for an earlier utterance to finish", waited)):
            if values:
                rows_lat.append([f"&nbsp;&nbsp;of which: {part}", "", len(values), "",
                                 c.ms(c.median(values), 1), c.ms(c.percentile(values, 95), 1),
                                 c.ms(max(values), 1)])
        verdicts.append([f"cue latency p95 < 100 ms: {label}", f"{c.ms(p95, 1)} ms",
                         c.verdict(p95 < TARGET_P95)])
        gaps = [g for g, _ in r["gaps"]]
        worst = max(gaps) if gaps else math.nan
        verdicts.append([f"no main-thread stall over 16 ms: {label}", f"{c.ms(worst)} ms",
                         c.verdict(worst <= TARGET_STALL)])
    for name, label in (("baseline", "NullSpeaker (baseline)"),
                        ("speech", "real espeak-ng, no sound card"),
                        ("emulated", "real espeak-ng, playback emulated")):
        if name not in runs:
            continue
        gaps = [g for g, _ in runs[name]["gaps"]]
        worst = max(gaps) if gaps else math.nan
        p99 = c.percentile(gaps, 99)
        ratio_max = worst / max(base_gaps) if base_gaps else math.nan
        ratio_p99 = p99 / c.percentile(base_gaps, 99) if base_gaps else math.nan
        over = sum(1 for g in gaps if g > TARGET_STALL)
        top = sorted(runs[name]["gaps"], reverse=True)[:3]
        where = ", ".join(f"{c.ms(g, 1)} ms at {at:.1f} s ({step_at(runs[name], at + g)})"
                          for g, at in top)
        rows_gap.append([label, len(gaps), c.ms(c.median(gaps), 3), c.ms(p99), c.ms(worst),
                         over, f"{ratio_p99:.2f}x / {ratio_max:.2f}x", where])

    lines = [
        "## speech_latency: spoken-cue latency and main-thread stalls",
        "",
        *c.machine_lines(),
        "",
        routine_info,
        "",
        "Cue latency = when the speech worker handed the cue to the engine minus when "
        "the cue was due (the speaker's `latencies`), ms:",
        "",
        c.table(["speaker", "cues sent", "spoken", "dropped as stale", "p50 ms", "p95 ms",
                 "max ms"], rows_lat),
        "",
        "Main thread: gaps between wake-ups of a 1 ms PreciseTimer during each session, ms "
        "(same probe in every run; ratio = this run / the NullSpeaker run; a gap is "
        "labelled with the step on screen when it ended, \"done\" being the session's end "
        "and its summary):",
        "",
        c.table(["speaker", "wake-ups", "p50 ms", "p99 ms", "longest ms", "gaps > 16 ms",
                 "ratio p99 / longest", "three longest (when, step)"], rows_gap),
        "",
        c.table(["target", "measured", "result"], verdicts),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=75.0,
                        help="least session length per run, seconds (default 75)")
    parser.add_argument("--no-emulated", action="store_true",
                        help="skip the run with playback emulated")
    parser.add_argument("--verbose", action="store_true",
                        help="let aplay and Qt print to stderr during the runs")
    parser.add_argument("--no-write", action="store_true", help="do not update results.md")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args()

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setApplicationName("BackRehab")
    library = c.bundled_library()
    routine = c.routine_to_length(library, BASE, PATTERN, args.seconds)
    sounds = make_sound_player(True, paths.assets() / "sounds")

    runs: dict[str, dict] = {}
    rate_note = ""
    print("run 1: NullSpeaker baseline ...", file=sys.stderr)
    runs["baseline"] = run_session(qapp, library, routine, NullSpeaker(""), sounds, args.verbose)
    defaults = Settings()  # the speaker as the app makes it with default settings
    speaker = make_speaker(defaults.voice_enabled, rate=defaults.voice_rate,
                           volume=defaults.voice_volume)
    if not speaker.available:
        raise SystemExit(f"the real speaker did not start: {speaker.reason}")
    print("run 2: real espeak-ng ...", file=sys.stderr)
    runs["speech"] = run_session(qapp, library, routine, speaker, sounds, args.verbose)
    if not args.no_emulated:
        fake = fake_aplay_dir()
        log = fake / "played.txt"
        old_path = os.environ.get("PATH", "")
        os.environ["PATH"] = f"{fake}{os.pathsep}{old_path}"
        os.environ["BACKREHAB_BENCH_APLAY_LOG"] = str(log)
        try:
            print("run 3: real espeak-ng, playback emulated ...", file=sys.stderr)
            runs["emulated"] = run_session(qapp, library, routine, speaker, sounds, args.verbose)
        finally:
            os.environ["PATH"] = old_path
            os.environ.pop("BACKREHAB_BENCH_APLAY_LOG", None)
        audio = spoken_audio(log, paths.assets() / "sounds")
        runs["emulated"]["audio_seconds"] = audio
        rate_note = effective_rate(runs["emulated"], audio, defaults.voice_rate)
        shutil.rmtree(fake, ignore_errors=True)
    speaker.close()
    sounds.close()

    info = (f"Session: a cue-heavy routine defined in the script ({len(routine['exercises'])} "
            f"exercise items: guided reps with a 2 s hold on each, 10 s holds, paced breaths, "
            f"5-6 s rests, a spoken 3-2-1 before each step), "
            f"{runs['baseline']['length']:.0f} s per run, {runs['baseline']['cues']} cues per "
            f"run, real SessionController in the real PlayerWindow, sounds through the app's "
            f"own {type(sounds).__name__}. Runs in this order in one process: NullSpeaker, "
            f"real espeak-ng" + ("" if args.no_emulated else ", real espeak-ng with playback "
                                 "emulated") + ".")
    if not args.no_emulated:
        info += (f" Speech rate, from the audio the emulated aplay was given (the engine "
                 f"of runs 2 and 3): {rate_note}.")
    text = report(args, runs, info)
    print(text)
    if not args.no_write:
        c.write_section("speech_latency", text)
        print(f"(section speech_latency written to {c.RESULTS})")
    c.dump_json(args.json, runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
