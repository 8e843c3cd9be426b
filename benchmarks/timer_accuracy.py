"""How late the big timer changes against each true second boundary, in real time.

Runs a hold-heavy routine (defined here: holds of 20-45 s with sides, sets and
rests) in real time: the real SessionController with its one precise timer
and its SessionEngine, in the real PlayerWindow, built and wired as
App.start_routine does (compiled with the bundled library, app sound player),
on Qt's offscreen platform, for at least --seconds (default 150). The session
is started as a person starts it (S skips the question before the session).

The true boundaries are computed independently: a second, pure SessionEngine
runs the same timeline with exact simulated times (no clock), stepping from
one next_deadline() to the next, and gives for every (step index, displayed
seconds) the offset from the start at which it should first appear. The real
run records when each (step index, displayed seconds) first reached window.timer (a
slot on sig_view connected after the window's own, so it runs right after the
label was set) and when the label was next painted, relative to the moment
the session started (the controller's first clock reading, which is the
engine's time zero).

The speaker is a RecordingSpeaker (nothing is spoken: speech has its own
benchmark), so this isolates the timer. Sounds are the app's own player
(aplay in a child process per sound, as `backrehab` runs) unless
--sounds recording.

Baseline, same process, before the session: a bare single-shot PreciseTimer
armed for whole-second boundaries exactly as the controller arms its timer
(delay rounded up to the millisecond), with nothing else to do: what Qt and
the OS give before any of our code runs.

History (--history). ``none`` (the default) records nothing. ``free`` and
``locked`` record the session as the app does (ui.saving.HistoryKeeper and
wire_recording: a SessionRecorder feeding the background writer) into a
fresh history in a temporary folder; with ``locked``, another process holds
the file (BEGIN EXCLUSIVE) from just before the session starts to the end,
so every write waits out SQLite's busy timeout (2 s), is refused and goes to
the recovery journal. ``--writes inline`` does those writes on the window's
thread instead, as the app did before the background writer, for contrast.

    .venv/bin/python benchmarks/timer_accuracy.py [--seconds 150] [--sounds aplay|recording]
        [--history none|free|locked] [--writes background|inline]
"""

from __future__ import annotations

import argparse
import gc
import math
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

import _common as c

c.use_offscreen()

from PySide6.QtCore import QEvent, QObject, Qt, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.core.engine import (  # noqa: E402
    SessionEngine,
    SessionFinished,
    Sound,
    State,
    StepStarted,
)
from backrehab_gui.infra import paths  # noqa: E402
from backrehab_gui.infra.sound import RecordingSoundPlayer, make_sound_player  # noqa: E402
from backrehab_gui.infra.speech import RecordingSpeaker  # noqa: E402

TARGET_P99 = 0.017
"""One frame at 60 Hz."""
TARGET_DRIFT = 0.005

ROUTINE_ID = "benchmark-holds"
BASE = {"id": ROUTINE_ID, "name": "Benchmark: holds", "prepare": "5s",
        "rest_between_sets": "10s", "rest_between_exercises": "10s"}
PATTERN = [
    {"exercise": "knee-to-chest", "dose": {"hold": "20s", "sides": "both", "sets": 2,
                                           "rest": "8s"}},
    {"exercise": "childs-pose", "dose": {"hold": "45s"}},
    {"exercise": "plank", "dose": {"hold": "30s", "sets": 2, "rest": "10s"}},
    {"exercise": "piriformis-stretch", "dose": {"hold": "25s", "sides": "both"}},
    {"exercise": "double-knee-to-chest", "dose": {"hold": "35s", "sets": 2, "rest": "12s"}},
]


# --- The true schedule ----------------------------------------------------------------


def true_schedule(timeline, settings):
    """{(step index, displayed seconds): offset from start} and the planned end, by simulation.

    Also, per key, what else happened at that moment (a new step, a sound), so
    the lateness can be broken down.
    """
    engine = SessionEngine(timeline, settings)
    schedule: dict[tuple[int, int], float] = {}
    kinds: dict[tuple[int, int], str] = {}

    def note(now: float, events: list) -> None:
        view = engine.view(now)
        key = (view.index, view.display_seconds)
        if key in schedule:
            return
        schedule[key] = now
        if any(isinstance(e, StepStarted) for e in events):
            kinds[key] = "new step"
        elif any(isinstance(e, Sound) for e in events):
            kinds[key] = "with a sound"
        else:
            kinds[key] = "plain second"

    note(0.0, engine.start(0.0))
    end = None
    guard = 0
    while engine.state is State.RUNNING and guard < 1_000_000:
        guard += 1
        deadline = engine.next_deadline()
        events = engine.tick(deadline)
        note(deadline, events)
        if any(isinstance(e, SessionFinished) for e in events):
            end = deadline
    return schedule, kinds, end


# --- Baseline: a bare precise timer ----------------------------------------------------


def bare_timer_lateness(qapp: QApplication, seconds: int) -> list[float]:
    """Wake-up lateness of a lone single-shot PreciseTimer armed for whole seconds."""
    late: list[float] = []
    timer = QTimer()
    timer.setSingleShot(True)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    start = time.monotonic()
    state = {"k": 1}

    def arm() -> None:
        now = time.monotonic()
        target = start + state["k"]
        timer.start(max(0, math.ceil((target - now) * 1000)))

    def fire() -> None:
        now = time.monotonic()
        late.append(now - (start + state["k"]))
        state["k"] += 1
        if state["k"] > seconds:
            qapp.quit()
            return
        arm()

    timer.timeout.connect(fire)
    arm()
    qapp.exec()
    return late


# --- Recording the session, as the app does ------------------------------------------------

LOCKER = ("import sqlite3, sys\n"
          "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
          "c.execute('BEGIN EXCLUSIVE')\n"
          "print('locked', flush=True)\n"
          "sys.stdin.read()\n")


class InlineWrites:
    """What the app did before the background writer: each history write on the window's
    thread (the old SessionRecorder called the store directly), journaled when refused."""

    def __init__(self, folder: Path, journal) -> None:
        from backrehab_gui.infra.store import HistoryStore

        self.store = HistoryStore.open(folder)
        self.journal = journal
        self.seconds: list[float] = []

    def __call__(self, recorder, retry: bool = False) -> None:
        from backrehab_gui.infra.recorder import write_draft
        from backrehab_gui.infra.store import StoreError

        draft = recorder.draft
        began = time.monotonic()
        try:
            write_draft(self.store, draft)
        except StoreError as err:
            recorder._settle(draft, error=err.message, journal_path=self.journal.append(draft))
        else:
            recorder._settle(draft, saved=True)
        self.seconds.append(time.monotonic() - began)


class History:
    """A history for the run: free, or held locked by another process during the session."""

    def __init__(self, mode: str, writes: str) -> None:
        self.mode, self.writes = mode, writes
        self.folder = Path(tempfile.mkdtemp(prefix="backrehab-timer-"))
        self.locker: subprocess.Popen | None = None
        self.recorder = None
        self.inline: InlineWrites | None = None
        self.reports: list[float] = []
        """When the window heard of each finished write (journaled, saved)."""

    def wire(self, player, routine: dict) -> None:
        from backrehab_gui.infra.journal import SessionJournal
        from backrehab_gui.ui.saving import HistoryKeeper, wire_recording

        journal = SessionJournal(self.folder, fallbacks=[self.folder / "fallback.jsonl"])
        # Opened (free) as at launch; the lock comes once the app is running.
        self.keeper = HistoryKeeper(self.folder, journal=journal)
        self.keeper.flush(10)
        # Its own monotonic clock: reading the StartClock would move its "last reading",
        # which the figures take for the controller's.
        self.recorder = self.keeper.recorder(
            routine_id=routine["id"], routine_name=routine["name"], fingerprint="benchmark",
            kind="extra", block=None, program_week=None, phase_id=None, clock=time.monotonic)
        if self.writes == "inline":
            self.inline = InlineWrites(self.folder, journal)
            self.recorder._save = self.inline
        wire_recording(player, self.recorder, lambda: datetime.now(timezone.utc).astimezone())
        self.keeper.sig_written.connect(lambda _kind: self.reports.append(time.monotonic()))
        if self.mode == "locked":
            from backrehab_gui.infra.store import FILE_NAME

            self.locker = subprocess.Popen(
                [sys.executable, "-c", LOCKER, str(self.folder / FILE_NAME)],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            assert self.locker.stdout.readline().strip() == "locked"

    def finish(self) -> dict:
        """Release the lock, let the writes end, and say what became of them."""
        self.keeper.flush(30)
        state = self.recorder.state()
        revisions = self.recorder.draft.revision + 1 if self.recorder.draft else 0
        if self.locker is not None:
            self.locker.stdin.close()
            self.locker.wait(10)
        self.keeper.close()
        return {"writes": revisions, "saved": state.saved, "error": state.error,
                "journal": state.journal_path is not None,
                "inline": self.inline.seconds if self.inline else None,
                "reports": list(self.reports)}


# --- The real run ----------------------------------------------------------------------


class PaintWatch(QObject):
    """Calls back when a widget receives a paint event."""

    def __init__(self, widget, on_paint) -> None:
        super().__init__()
        self._on_paint = on_paint
        widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            self._on_paint(time.monotonic())
        return False


def run(args) -> dict:
    qapp = QApplication.instance() or QApplication(sys.argv[:1])
    qapp.setApplicationName("BackRehab")

    baseline = bare_timer_lateness(qapp, args.baseline_seconds)

    # The routine, compiled with the bundled library as the app would.
    library = c.bundled_library()
    routine = c.routine_to_length(library, BASE, PATTERN, args.seconds)
    clock = c.StartClock()
    if args.sounds == "recording":
        sounds = RecordingSoundPlayer()
    else:  # what the app builds with default settings
        sounds = make_sound_player(True, paths.assets() / "sounds")
    sound_player = type(sounds).__name__
    player = c.build_player(library, routine, RecordingSpeaker(), sounds, clock)
    controller = player.controller
    history = History(args.history, args.writes) if args.history != "none" else None
    if history is not None:
        history.wire(player, routine)

    seen: dict[tuple[int, int], float] = {}
    woke: dict[tuple[int, int], float] = {}
    texts: dict[tuple[int, int], str] = {}
    painted: dict[tuple[int, str], float] = {}
    finished: dict[str, float | None] = {"tick": None, "shown": None}

    def on_view(view) -> None:
        now = time.monotonic()
        key = (view.index, view.display_seconds)
        if key not in seen:
            seen[key] = now
            woke[key] = clock.last
            texts[key] = player.timer.text()

    def on_paint(now: float) -> None:
        # Keyed by what the label shows as it is painted: painting may happen inside the
        # window's own update, before on_view runs.
        shown = (controller.engine.index, player.timer.text())
        if shown not in painted:
            painted[shown] = now

    def on_finished(_summary) -> None:
        finished["tick"] = clock.last
        finished["shown"] = time.monotonic()
        QTimer.singleShot(300, qapp.quit)  # let the last value paint, then stop

    controller.sig_view.connect(on_view)
    controller.sig_finished.connect(on_finished)
    watch = PaintWatch(player.timer, on_paint)  # noqa: F841 - kept alive for the run
    schedule, kinds, planned_end = true_schedule(controller.engine.timeline,
                                                 controller.engine.settings)
    qapp.processEvents()  # the window is shown and painted before the session starts
    c.start_player(player, clock)
    t0 = clock.first
    window_size = f"{player.width()}x{player.height()}"
    QTimer.singleShot(int((planned_end + 60) * 1000), qapp.quit)  # never hang
    with c.quiet_stderr(not args.verbose):
        qapp.exec()
    timer_late = list(controller.lateness)
    recorded = history.finish() if history is not None else None
    try:
        player.close()
        sounds.close()
    except Exception as exc:  # teardown problems do not change the figures
        print(f"note: teardown: {exc!r}", file=sys.stderr)

    late = {k: seen[k] - (t0 + off) for k, off in schedule.items() if k in seen}
    if recorded is not None:
        # Values the window showed in the second after it heard of a finished write.
        recorded["near"] = [v for k, v in late.items()
                            if any(0 <= seen[k] - t <= 1.0 for t in recorded["reports"])]
    wake = {k: woke[k] - (t0 + off) for k, off in schedule.items() if k in late}
    paint_late = {k: painted[(k[0], texts[k])] - (t0 + off) for k, off in schedule.items()
                  if k in late and (k[0], texts[k]) in painted}
    missing = [k for k in schedule if k not in seen]
    unexpected = [k for k in seen if k not in schedule]
    timeline = controller.engine.timeline
    return {
        "baseline": baseline, "late": late, "wake": wake, "paint_late": paint_late,
        "kinds": kinds, "texts": texts, "missing": missing, "unexpected": unexpected,
        "drift": None if finished["tick"] is None else finished["tick"] - (t0 + planned_end),
        "drift_shown": None if finished["shown"] is None else
        finished["shown"] - (t0 + planned_end),
        "planned_end": planned_end, "timer_late": timer_late, "steps": len(timeline.steps),
        "holds": sum(1 for s in timeline.steps if s.kind.value == "work"),
        "items": len(routine["exercises"]), "sound_player": sound_player,
        "window_size": window_size, "routine": routine, "history": recorded,
    }


def stats_row(name: str, values: list[float]) -> list[str]:
    return [name, str(len(values)), c.ms(c.median(values)), c.ms(c.percentile(values, 99)),
            c.ms(max(values) if values else math.nan)]


def report(args, r: dict) -> str:
    late = list(r["late"].values())
    p99 = c.percentile(late, 99)
    drift = r["drift"]
    base = r["baseline"]
    base_p99 = c.percentile(base, 99)
    p99_ok = p99 < TARGET_P99 and not r["missing"]
    drift_ok = drift is not None and abs(drift) < TARGET_DRIFT
    by_kind: dict[str, list[float]] = {}
    for key, value in r["late"].items():
        by_kind.setdefault(r["kinds"].get(key, "?"), []).append(value)
    handling = [r["late"][k] - r["wake"][k] for k in r["late"] if k in r["wake"]]

    rows = [stats_row("**timer label changed (display lateness)**", late)]
    for kind in ("plain second", "with a sound", "new step"):
        if kind in by_kind:
            rows.append(stats_row(f"&nbsp;&nbsp;of which: {kind}", by_kind[kind]))
    rows += [
        stats_row("&nbsp;&nbsp;part 1: controller woke (its clock reading for the tick)",
                  list(r["wake"].values())),
        stats_row("&nbsp;&nbsp;part 2: handling, from that reading to the label set",
                  handling),
        stats_row("timer label painted (offscreen backing store)",
                  list(r["paint_late"].values())),
        stats_row("all controller wake-ups vs the moment armed for (`controller.lateness`)",
                  r["timer_late"]),
        stats_row("baseline: bare PreciseTimer, same process, nothing else to do", base),
    ]
    ratio = p99 / base_p99 if base_p99 and base_p99 > 0 else math.nan
    recorded = r["history"]
    if recorded is None:
        history_line = "History: none recorded (`--history none`)."
    else:
        how = ("on the window's thread, as before the background writer (`--writes inline`)"
               if args.writes == "inline" else "by the background writer, as the app does")
        history_line = (
            f"History: the session recorded {how}, into a fresh history"
            + (" held locked by another process (BEGIN EXCLUSIVE) for the whole session"
               if args.history == "locked" else "")
            + f": {recorded['writes']} writes (start, each exercise, the end); at the end "
            + ("in the history" if recorded["saved"] else
               f"refused ({recorded['error']}) and kept in the recovery journal"
               if recorded["journal"] else f"refused ({recorded['error']})")
            + ".")
        near = recorded.get("near") or []
        if recorded["reports"] and args.writes != "inline":
            history_line += (f" The window heard of {len(recorded['reports'])} finished "
                             f"writes during the session; the {len(near)} values shown in "
                             f"the second after one were at most "
                             f"{c.ms(max(near)) if near else 'n/a'} ms late.")
        if recorded["inline"]:
            history_line += (f" Each write held the window for {c.ms(c.median(recorded['inline']))}"
                             f" ms (median), {c.ms(max(recorded['inline']))} ms at most.")

    title = {"none": "", "free": ", history recorded",
             "locked": ", history locked by another program"}[args.history]
    if args.writes == "inline" and args.history != "none":
        title += ", writes on the window's thread (as before)"
    lines = [
        f"## timer_accuracy: timer display lateness{title}",
        "",
        *c.machine_lines(),
        "",
        f"Session: a hold-heavy routine defined in the script ({r['items']} exercise items, "
        f"{r['holds']} holds of 20-45 s with sides, sets and rests; {r['steps']} steps), "
        f"planned {r['planned_end']:.0f} s, run in real time: the real SessionController "
        f"(with its SessionEngine) in the real PlayerWindow, wired as App.start_routine "
        f"wires them, window "
        f"{r['window_size']}. Speaker: RecordingSpeaker (nothing is spoken, so speech "
        f"is left out of this one). Sounds: {r['sound_player']}.",
        "",
        history_line,
        "",
        "Lateness = when a (step, displayed seconds) value first reached the window "
        "minus its true boundary, from a pure SessionEngine simulated over the same "
        "timeline with exact times; in ms.",
        "",
        c.table(["what", "count", "p50 ms", "p99 ms", "max ms"], rows),
        "",
        f"- Displayed values measured: {len(late)}; never shown: {len(r['missing'])}; "
        f"shown but not expected: {len(r['unexpected'])}.",
        f"- End drift, the controller's clock reading at the tick that finished the session "
        f"vs the planned {r['planned_end']:.0f} s: {c.ms(drift)} ms; until the window had "
        f"handled the end (summary shown): {c.ms(r['drift_shown'])} ms.",
        f"- p99 display lateness / bare-timer baseline p99: {ratio:.2f}x.",
        "",
        c.table(["target", "measured", "result"], [
            ["p99 display lateness < 17 ms (one frame)", f"{c.ms(p99)} ms", c.verdict(p99_ok)],
            ["end drift < 5 ms", f"{c.ms(drift)} ms", c.verdict(drift_ok)],
        ]),
    ]
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=150.0,
                        help="least session length in seconds (default 150)")
    parser.add_argument("--sounds", choices=("aplay", "recording"), default="aplay",
                        help="the app's own sound player (default) or a silent recording one")
    parser.add_argument("--baseline-seconds", type=int, default=20,
                        help="length of the bare-timer baseline (default 20)")
    parser.add_argument("--history", choices=("none", "free", "locked"), default="none",
                        help="record the session as the app does, in a free history or one "
                             "another process holds locked (default: none)")
    parser.add_argument("--writes", choices=("background", "inline"), default="background",
                        help="history writes by the background writer (the app) or on the "
                             "window's thread (as before), with --history")
    parser.add_argument("--verbose", action="store_true",
                        help="let aplay and Qt print to stderr during the run")
    parser.add_argument("--no-write", action="store_true", help="do not update results.md")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args()
    if args.seconds < 120:
        print("note: the issue asks for at least 2 minutes; this is a shorter run",
              file=sys.stderr)
    gc.collect()
    result = run(args)
    text = report(args, result)
    print(text)
    if not args.no_write:
        section = "timer_accuracy"
        if args.history == "locked":
            section += "_locked" + ("_inline" if args.writes == "inline" else "")
        elif args.history == "free":
            section += "_history"
        c.write_section(section, text)
        print(f"(section {section} written to {c.RESULTS})")
    c.dump_json(args.json, {k: ({f"{i}:{t}": x for (i, t), x in v.items()}
                                if isinstance(v, dict) and k not in ("routine", "history")
                                else v)
                            for k, v in result.items()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
