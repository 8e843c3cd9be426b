"""What a listener hears: the bundled routines spoken in real time, cue by cue.

Each routine runs in real time, in a child process of its own (pyttsx3 allows
one engine per process), through the real SessionController in the real
PlayerWindow (Qt offscreen), built as App.start_routine builds them, with the
speaker and sound player as the app makes them: pyttsx3 + espeak-ng turning
every text of the session into a clip as the window opens (clips kept in a
fresh, empty folder, so nothing is ready beforehand), played through one
audio output. This machine has no sound card, so the output's player is a
stand-in for aplay (infra/audio.py stand_in_command): it sleeps for each
clip's real length, read with the wave module, and logs when it started and,
if it was not killed, when it ended. Like aplay straight to ALSA, it is taken
not to mix: the voice has the device.

Per routine, from the engine's cues, the speaker's records, the output's
record of every clip and the stand-in's log:

- planned: every cue the session emitted; spoken: started and played to its
  end; shortened: spoken in a shorter form than planned in full; captions:
  shown only, the plan had no room; dropped: handed to the speaker but never
  started; cut: started and ended early by the next clip; overlaps: two voice
  clips playing at once;
- lateness: when the stand-in started playing a cue minus when the plan had
  it start (the cue's due time), p50/p95/max: "from the outside", so it
  includes starting the stand-in itself (a Python interpreter, ~10-60 ms here;
  aplay starts in ~2 ms); "player started" is the same from the app's side,
  just after the player process started;
- planned late: cues the plan put after the moment they belong to (none
  should be: a cue may come early, never late);
- counts from one: every guided rep count of every set heard in full, in
  order, starting at one;
- main thread: the longest gap between wake-ups of a 1 ms PreciseTimer, and
  the controller's timer lateness p99.

    .venv/bin/python benchmarks/speech_latency.py [--routines a,b | --all] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import _common as c

DEFAULT_ROUTINES = ("daily-morning", "daily-midday", "daily-evening", "phase-1-foundation",
                    "sitting-break", "breathing-break")
TARGET_LATE = 0.250
STALL = 0.016


# --- One routine, in a child process ------------------------------------------------------


def run_child(routine_id: str, out: Path, verbose: bool) -> None:
    c.use_offscreen()
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from backrehab_gui.core.engine import EngineSettings, State
    from backrehab_gui.core.timeline import StepKind, WorkKind
    from backrehab_gui.core.today import planned_timeline
    from backrehab_gui.infra import paths
    from backrehab_gui.infra.audio import VOICE, ProcessAudioOutput, stand_in_command
    from backrehab_gui.infra.settings import Settings
    from backrehab_gui.infra.sound import make_sound_player
    from backrehab_gui.infra.speech import Pyttsx3Speaker, make_speaker
    from backrehab_gui.ui.player.controller import SessionController
    from backrehab_gui.ui.player.window import PlayerWindow

    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    library = c.bundled_library()
    settings = Settings()  # the app's defaults
    work = Path(tempfile.mkdtemp(prefix="backrehab-speech-bench-"))
    log = work / "played.log"
    output = ProcessAudioOutput(stand_in_command(log), mixing=False)
    clock = c.StartClock()
    speaker = make_speaker(True, rate=settings.voice_rate, volume=settings.voice_volume,
                           output=output, cache_dir=work / "clips", clock=clock)
    if not isinstance(speaker, Pyttsx3Speaker):
        raise SystemExit(f"the real speaker did not start: {speaker.reason}")
    sounds = make_sound_player(True, paths.assets() / "sounds", output=output)
    routine = library.routines[routine_id]
    timeline = planned_timeline(library, routine, None, 1,
                                prepare=float(settings.prepare_seconds),
                                rest=float(settings.default_rest_seconds))
    engine_settings = EngineSettings(resume_prepare=float(settings.resume_seconds),
                                     countdown=settings.countdown_seconds,
                                     speech_wpm=float(settings.voice_rate))

    opened = time.monotonic()
    ready: dict[str, float] = {}
    controller = SessionController(timeline, speaker, sounds, engine_settings, clock=clock)
    controller._sig_lengths.connect(lambda: ready.setdefault("at", time.monotonic()))
    player = PlayerWindow(controller, library.exercises, library.images)
    player.confirm_stop = lambda: True
    player.show()

    probe: list[float] = []
    stall = QTimer()
    stall.setTimerType(Qt.TimerType.PreciseTimer)
    stall.setInterval(1)
    stall.timeout.connect(lambda: probe.append(time.monotonic()))
    settle = QTimer()
    settle.setSingleShot(True)
    settle.timeout.connect(qapp.quit)
    # The last words ("Session complete") still play after the end.
    controller.sig_finished.connect(lambda _s: settle.start(2500))
    guard = QTimer()
    guard.setSingleShot(True)
    guard.timeout.connect(qapp.quit)
    guard.start(int((timeline.estimate + 120) * 1000))

    # Time zero is the engine's: the clock reading it started on (the start may wait
    # for the first words, so it is taken when the first step starts).
    zero: dict[str, float] = {}
    controller.sig_step_started.connect(
        lambda index, _step: zero.setdefault("t0", clock.last) if index == 0 else None)
    stall.start()
    c.start_player(player, clock)
    with c.quiet_stderr(not verbose):
        qapp.exec()
    t0 = zero["t0"]
    stall.stop()
    left_playing = output.running  # collects finished players: each outcome is final
    finished = controller.engine.state is State.FINISHED
    completed = bool(controller.engine.summary and controller.engine.summary.completed)

    # --- What was heard ---------------------------------------------------------------
    clips_log: dict[int, dict] = {}
    for line in (log.read_text().splitlines() if log.exists() else []):
        parts = line.split(" ", 4)
        if parts[0] == "start":
            clips_log[int(parts[2])] = {"start": float(parts[1]), "seconds": float(parts[3]),
                                        "path": parts[4], "end": None}
        elif parts[0] == "end" and int(parts[2]) in clips_log:
            clips_log[int(parts[2])]["end"] = float(parts[1])
    voice = [p for p in output.history if p.channel == VOICE]
    latencies = speaker.latencies
    rows = []
    li = 0
    for cue in controller.cues:
        row = {"text": cue.text, "shown": cue.shown, "kind": cue.kind, "key": list(cue.key),
               "due": cue.due - t0, "at": cue.at - t0, "spoken": cue.spoken,
               "length": cue.length}
        if cue.spoken:
            # The speaker starts cues in the order it was given them, skipping dropped ones.
            match = next((j for j in range(li, len(latencies))
                          if latencies[j][0] == cue.text and latencies[j][1] == cue.due), None)
            if match is not None:
                li = match + 1
                row["popen"] = latencies[match][2] - t0
                played = voice[match] if match < len(voice) else None
                if played is not None:
                    row["outcome"] = played.outcome
                    heard = clips_log.get(played.process.pid)
                    if heard is not None:
                        row["heard"] = heard["start"] - t0
                        row["heard_end"] = None if heard["end"] is None else heard["end"] - t0
                        row["seconds"] = heard["seconds"]
            else:
                row["outcome"] = "dropped"
        rows.append(row)
    steps = [{"kind": s.kind.value, "work": s.work.value if s.work else None,
              "name": s.name, "count": s.count, "side": s.side, "total": s.total_reps,
              "guided": s.kind is StepKind.WORK and s.work is WorkKind.GUIDED_REPS}
             for s in timeline.steps]
    gaps = [b - a for a, b in zip(probe, probe[1:])]
    longest = sorted(((b - a, a - t0) for a, b in zip(probe, probe[1:])), reverse=True)[:3]
    result = {
        "routine": routine_id, "name": routine.name, "planned_seconds": timeline.estimate,
        "finished": finished, "completed": completed,
        "length": (clock.last or t0) - t0,
        "texts": len(controller.engine.speech_texts()),
        "clips_made": speaker.synth.made,
        "ready_after": (ready["at"] - opened) if "at" in ready else None,
        "cues": rows, "steps": steps, "dropped_by_speaker": speaker.dropped,
        "sounds_left_out": output.left_out, "left_playing": left_playing,
        "sounds_played": sum(1 for p in output.history if p.channel != VOICE),
        "stall_max": max(gaps) if gaps else math.nan, "stall_longest": longest,
        "stalls_over": sum(1 for g in gaps if g > STALL),
        "start_waited": controller.start_waited,
        "timer_p99": c.percentile(controller.lateness, 99),
        "timer_max": max(controller.lateness) if controller.lateness else math.nan,
    }
    player.close()
    speaker.close()
    output.close()
    shutil.rmtree(work, ignore_errors=True)
    out.write_text(json.dumps(result), encoding="utf-8")


# --- Figures -------------------------------------------------------------------------------


def expected_counts(step: dict) -> list[str]:
    if step["side"] == "alternating":
        return [f"{i // 2 + 1} {'left' if i % 2 == 0 else 'right'}" for i in range(step["total"])]
    return [str(i + 1) for i in range(step["total"])]


def figures(r: dict) -> dict:
    cues = r["cues"]
    spoken = [x for x in cues if x["spoken"]]
    full = [x for x in spoken if x.get("outcome") in ("played", "playing")
            and x.get("heard_end") is not None]
    late = [x["heard"] - x["due"] for x in spoken if "heard" in x]
    popen = [x["popen"] - x["due"] for x in spoken if "popen" in x]
    standin = [x["heard"] - x["popen"] for x in spoken if "heard" in x]
    intervals = sorted((x["heard"], x["heard_end"] if x["heard_end"] is not None else
                        x["heard"] + 0.0) for x in spoken if "heard" in x)
    overlaps = sum(1 for (s1, e1), (s2, _e2) in zip(intervals, intervals[1:]) if s2 < e1 - 1e-3)
    counted: dict[int, list[str]] = {}
    for x in full:
        if x["kind"] == "count":
            counted.setdefault(x["key"][0], []).append(x["text"])
    guided = [i for i, s in enumerate(r["steps"]) if s["guided"]]
    from_one = all(counted.get(i) == expected_counts(r["steps"][i]) for i in guided)
    worst = max(((x["heard"] - x["due"], x["text"], x["due"]) for x in spoken if "heard" in x),
                default=None)
    return {
        "planned": len(cues), "spoken": len(full),
        "shortened": sum(1 for x in spoken if x["text"] != x["shown"]),
        "captions": sum(1 for x in cues if not x["spoken"]),
        "dropped": sum(1 for x in spoken if x.get("outcome") == "dropped"),
        "cut": sum(1 for x in spoken if x.get("outcome") == "cut"),
        # Started but never heard to the end, and not cut by the next clip.
        "unaccounted": sum(1 for x in spoken if x.get("outcome") != "dropped" and
                           x.get("outcome") != "cut" and x.get("heard_end") is None),
        "overlaps": overlaps, "late": late, "popen": popen, "standin": standin,
        "planned_late": sum(1 for x in cues if x["due"] > x["at"] + 1e-6),
        "moved_early": sum(1 for x in cues if x["spoken"] and x["due"] < x["at"] - 1e-6),
        "counted_steps": len(guided), "from_one": from_one, "worst": worst,
    }


def report(results: list[dict], args) -> str:
    rows, totals = [], {"late": []}
    verdict_rows = []
    everything_ok = {"dropped": 0, "cut": 0, "overlaps": 0, "from_one": True, "planned_late": 0,
                     "finished": True}
    for r in results:
        f = figures(r)
        totals["late"] += f["late"]
        for key in ("dropped", "cut", "overlaps", "planned_late"):
            everything_ok[key] += f[key] + (f["unaccounted"] if key == "dropped" else 0)
        everything_ok["from_one"] &= f["from_one"]
        everything_ok["finished"] &= r["completed"]
        counts = (f"yes ({f['counted_steps']} sets)" if f["counted_steps"] and f["from_one"]
                  else "n/a (no counted reps)" if not f["counted_steps"] else "**no**")
        rows.append([
            f"{r['name']} (`{r['routine']}`)", f"{r['length'] / 60:.1f} min", f["planned"],
            f["spoken"], f["shortened"], f["captions"], f["dropped"] + f["unaccounted"], f["cut"],
            f["overlaps"], c.ms(c.median(f["late"]), 0), c.ms(c.percentile(f["late"], 95), 0),
            c.ms(max(f["late"]) if f["late"] else math.nan, 0), counts])
    late = totals["late"]
    rows.append(["**all routines**", f"{sum(r['length'] for r in results) / 60:.1f} min",
                 *[sum(figures(r)[k] for r in results) for k in
                   ("planned", "spoken", "shortened", "captions")],
                 sum(figures(r)["dropped"] + figures(r)["unaccounted"] for r in results),
                 sum(figures(r)["cut"] for r in results),
                 sum(figures(r)["overlaps"] for r in results),
                 c.ms(c.median(late), 0), c.ms(c.percentile(late, 95), 0),
                 c.ms(max(late) if late else math.nan, 0),
                 "yes" if everything_ok["from_one"] else "**no**"])
    detail = []
    for r in results:
        f = figures(r)
        worst = f["worst"]
        detail.append([
            r["routine"], (f"{r['texts']} texts, {r['clips_made']} clips made, all ready "
                           f"{r['ready_after']:.2f} s after the window opened"
                           if r["ready_after"] is not None
                           else f"{r['texts']} texts (never all ready)"),
            c.ms(r["start_waited"], 0),
            f["moved_early"], f["planned_late"],
            c.ms(c.median(f["popen"]), 1), c.ms(max(f["popen"]) if f["popen"] else math.nan, 1),
            c.ms(c.median(f["standin"]), 1),
            f"{c.ms(worst[0], 0)} ms: {worst[1]!r} at {worst[2]:.1f} s" if worst else "",
            f"{r['sounds_played']} / {r['sounds_left_out']}",
            c.ms(r["stall_max"], 1), c.ms(r["timer_p99"], 1)])
    worst_late = max(late) if late else math.nan
    verdict_rows = [
        ["every session ran to its end", "yes" if everything_ok["finished"] else "no",
         c.verdict(everything_ok["finished"])],
        ["no cue dropped (nor cut short, nor overlapping)",
         f"{everything_ok['dropped']} dropped, {everything_ok['cut']} cut, "
         f"{everything_ok['overlaps']} overlaps",
         c.verdict(everything_ok["dropped"] == everything_ok["cut"] ==
                   everything_ok["overlaps"] == 0)],
        ["no cue later than 250 ms (heard vs planned start)", f"{c.ms(worst_late, 0)} ms",
         c.verdict(worst_late < TARGET_LATE)],
        ["no cue planned after its moment", str(everything_ok["planned_late"]),
         c.verdict(everything_ok["planned_late"] == 0)],
        ["every rep count starts at one (and none is missing)",
         "yes" if everything_ok["from_one"] else "no", c.verdict(everything_ok["from_one"])],
    ]
    lines = [
        "## speech_latency: what a listener hears on the bundled routines",
        "",
        *c.machine_lines(),
        "",
        f"Each routine ran in real time in its own process ({args.jobs} at a time), through "
        "the real SessionController and PlayerWindow, with the speaker and sounds as the app "
        "makes them (pyttsx3 + espeak-ng at the default 165 words/min, clips made when the "
        "window opened, into an empty folder). Playback lasts each clip's real length: the "
        "audio output's player is a stand-in that sleeps for the WAV's length (read with "
        "`wave`) and logs when it started and ended; it is taken not to mix, as aplay "
        "straight to ALSA, so the voice has the device and a sound due while it speaks is "
        "left out.",
        "",
        "Cues: planned = every cue emitted; spoken = played to the end; shortened = spoken "
        "in a shorter form; captions = shown only; dropped = handed to the speaker and never "
        "started; cut = ended early by the next clip; overlaps = two voice clips at once. "
        "Lateness = when the stand-in started playing the cue minus when the plan had it "
        "start, in ms, measured from outside the app (it includes starting the stand-in, a "
        "Python interpreter).",
        "",
        c.table(["routine", "length", "planned", "spoken", "shortened", "captions", "dropped",
                 "cut", "overlaps", "late p50 ms", "p95 ms", "max ms", "counts from one"],
                rows),
        "",
        "Detail: start waited = from pressing start to the session starting, while the "
        "first step's words were made (at most 1 s); moved early = cues the plan started "
        "before their moment (an exercise's "
        "name during the rest before it, a routine's cue before a count); planned late = "
        "after it; player started = the same lateness seen from the app, just after the "
        "player process started; stand-in start = from then to the stand-in's first line "
        "(the Python interpreter starting; aplay takes ~2 ms), part of the lateness above; "
        "sounds = played / left out while the voice spoke; main thread = the longest gap "
        "between wake-ups of a 1 ms PreciseTimer (no target here: with a NullSpeaker the "
        "window's step changes alone reach 30-60 ms on this shared machine; "
        "timer_accuracy.py measures the display), and the controller's timer lateness p99.",
        "",
        c.table(["routine", "synthesis", "start waited ms", "moved early", "planned late",
                 "player started p50 ms", "max ms", "stand-in start p50 ms", "latest cue",
                 "sounds", "main thread max ms", "timer p99 ms"], detail),
        "",
        c.table(["target", "measured", "result"], verdict_rows),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--routines", default=",".join(DEFAULT_ROUTINES),
                        help="comma-separated routine ids (default: the daily blocks, a phase "
                             "session and the two breaks)")
    parser.add_argument("--all", action="store_true", help="every bundled routine")
    parser.add_argument("--jobs", type=int, default=1,
                        help="routines run at once, each in its own process (default 1)")
    parser.add_argument("--verbose", action="store_true", help="let Qt print to stderr")
    parser.add_argument("--no-write", action="store_true", help="do not update results.md")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    c.use_offscreen()
    if args.child:
        run_child(args.child, Path(args.out), args.verbose)
        return 0

    if args.all:
        library = c.bundled_library()
        ids = sorted(library.routines, key=lambda rid: -_estimate(library, rid))
    else:
        ids = [r for r in args.routines.split(",") if r]
    work = Path(tempfile.mkdtemp(prefix="backrehab-speech-bench-"))

    def one(routine_id: str) -> dict:
        out = work / f"{routine_id}.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--child", routine_id,
                   "--out", str(out)] + (["--verbose"] if args.verbose else [])
        print(f"{routine_id}: running ...", file=sys.stderr)
        started = time.monotonic()
        subprocess.run(command, check=True, env=dict(os.environ))
        print(f"{routine_id}: done in {time.monotonic() - started:.0f} s", file=sys.stderr)
        return json.loads(out.read_text(encoding="utf-8"))

    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(one, ids))
    shutil.rmtree(work, ignore_errors=True)
    text = report(results, args)
    print(text)
    if not args.no_write:
        c.write_section("speech_latency", text)
        print(f"(section speech_latency written to {c.RESULTS})")
    c.dump_json(args.json, results)
    return 0


def _estimate(library, routine_id: str) -> float:
    from backrehab_gui.core.timeline import compile_routine

    return compile_routine(library.routines[routine_id], library.exercises).estimate


if __name__ == "__main__":
    sys.exit(main())
