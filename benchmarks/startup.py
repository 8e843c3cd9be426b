"""Start-up: launch to BackRehab usable (Today painted with its data), and peak memory, as
ratios to a bare PySide6 window.

Each measurement is a fresh child process. The parent reads time.monotonic()
just before starting the child (monotonic is system-wide on Linux); the child
prints its own time.monotonic() at the moments measured, and its CPU time so far
(time.process_time(), all threads), which a busy machine disturbs far less. Peak memory is the
child's ru_maxrss from os.wait4: the bare child exits at its first expose;
BackRehab's stays one second after it is usable, so that its peak includes
what it builds just after (speech, sounds, tray and reminders).

The app's modules are compiled to bytecode first (compileall), as an installed
package is: with PYTHONDONTWRITEBYTECODE set and no bytecode, every start
would compile the app's source again (~150 ms here).

- bare: QApplication + an empty QMainWindow, show(), exec(); measured at the
  window's first Expose event;
- BackRehab: the `backrehab` command's own path, `backrehab_gui.cli.main([])`,
  for a person in week 4 of the bundled program with three weeks of history
  (a copy of one data folder, closed cleanly, made by this script, each run).
  Measured: the main window's first Expose (the frame), and **usable**: the
  first paint of Today's week heading with its text (the window's
  sig_today_painted), which needs the routine files, the history and today's
  plan. The headline is the usable time.
- BackRehab, first launch: the same, with an empty cache folder
  (XDG_CACHE_HOME), as after installing or updating the app; the other
  BackRehab runs share one cache folder, filled by the untimed warm-up.

Both children create the QApplication themselves first and install the same
application-wide event filter to see the first expose (run_gui then reuses that
QApplication); BackRehab's removes it there (see _PROBE). Runs
alternate (bare, ours, first, then the order turned), N times each (default 7)
after one untimed warm-up of each; the medians are compared. Platform:
offscreen; and xcb on Xvfb too when Xvfb is installed (--no-xvfb to skip).

    .venv/bin/python benchmarks/startup.py [-n 7] [--no-xvfb] [--instructions]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import _common as c

SETTLE_MS = 1000
"""How long BackRehab's child stays after it is usable, for its peak memory."""
USABLE_TARGET = 2.0
FRAME_TARGET = 1.5
MEMORY_TARGET = 1.8

_PROBE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

qapp = QApplication(sys.argv)


class Probe(QObject):
    # The first Expose of the main window (a QMainWindow), seen by an application-wide
    # event filter; then, with WAIT_FOR_USABLE, the main window's sig_today_painted.
    # The filter is removed at the expose: a Python filter on every event makes PySide
    # wrap each one (and build the Python type of each kind of event), which cost the
    # app's start ~100 ms of CPU here, far more than the bare window's few events.
    def __init__(self):
        super().__init__()
        self.window = None

    def usable(self):
        # Stay a while, so that the peak memory includes what the app builds just after
        # (speech, sounds, tray and reminders), as a person's app does.
        now, cpu = time.monotonic(), time.process_time()
        QTimer.singleShot(SETTLE_MS, lambda: self.finish(now, cpu))

    def finish(self, usable, cpu=None):
        sys.stdout.write(f"USABLE {usable!r} {cpu!r}\n")
        sys.stdout.flush()
        os._exit(0)

    def eventFilter(self, obj, event):
        if self.window is None and event.type() == QEvent.Type.Expose and \
                obj.isWindowType() and obj.isExposed():
            for widget in qapp.topLevelWidgets():
                if isinstance(widget, QMainWindow) and widget.windowHandle() is obj:
                    now, cpu = time.monotonic(), time.process_time()
                    self.window = widget
                    sys.stdout.write(f"EXPOSED {now!r} {type(widget).__name__} {cpu!r}\n")
                    sys.stdout.flush()
                    if not WAIT_FOR_USABLE:
                        self.finish(None)
                    qapp.removeEventFilter(self)
                    widget.sig_today_painted.connect(self.usable)
                    QTimer.singleShot(GIVE_UP_MS, lambda: self.finish(None))
        return False


probe = Probe()
qapp.installEventFilter(probe)
"""

BARE = "WAIT_FOR_USABLE = False\nSETTLE_MS = 0\nGIVE_UP_MS = 20000\n" + _PROBE + r"""
window = QMainWindow()
window.show()
sys.exit(qapp.exec())
"""

OURS = f"WAIT_FOR_USABLE = True\nSETTLE_MS = {SETTLE_MS}\nGIVE_UP_MS = 20000\n" + _PROBE + r"""
from backrehab_gui.cli import main

sys.exit(main([]))
"""

KINDS = ("bare", "ours", "first")


def make_person(folder: Path, today: date) -> None:
    """A data folder in week 4 of the bundled program: screened, enrolled three weeks ago,
    every phase session and morning block done since, closed cleanly."""
    from backrehab_gui.core.engine import ExerciseResult, Summary
    from backrehab_gui.core.schedule import Enrolment
    from backrehab_gui.infra.settings import Settings, SettingsStore
    from backrehab_gui.infra.store import HistoryStore

    SettingsStore(folder).save(Settings(
        welcome_done=True, screened_on=(today - timedelta(weeks=3)).isoformat()))
    start = today - timedelta(days=today.weekday(), weeks=3)
    store = HistoryStore.open(folder)
    store.save_enrolment(Enrolment("lower-back-8-weeks", start))
    zone = datetime.now().astimezone().tzinfo
    day = start
    while day < today:
        plans = [("daily-morning", "Morning mobility", "daily", "morning", 8)]
        if day.weekday() in (0, 2, 4):
            plans.append(("phase-1-foundation", "Phase 1: Foundation", "phase", None, 18))
        for routine, name, kind, block, hour in plans:
            started = datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)
            sid = store.begin_session(routine, name, "0" * 16, kind, block, started,
                                      (day - start).days // 7 + 1, None, 3)
            result = ExerciseResult(0, "cat-cow", "Cat-cow", "done", 100.0, 1, 1, 10, 10, (),
                                    1.0)
            store.record_exercise(sid, result, started + timedelta(minutes=3))
            store.finish_session(sid, Summary(routine, name, (result,), True, 100.0, 1.0),
                                 started + timedelta(minutes=5))
            store.set_feedback(sid, 2, 4, None)
        day += timedelta(days=1)
    store.close()


def run_child(code: str, env: dict[str, str], timeout: float):
    """(seconds from launch to the main window's first expose, peak RSS KiB, window class,
    seconds from launch to usable or None, CPU seconds (all threads) until the expose,
    CPU seconds until usable or None)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.monotonic()
        child = subprocess.Popen([sys.executable, "-c", code], env=env, stdout=out,
                                 stderr=err, stdin=subprocess.DEVNULL, cwd=c.REPO)
        # Reap with wait4 (not Popen.wait) to get the child's own peak memory.
        _pid, status, usage = _wait4(child.pid, timeout)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problems = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    lines = text.splitlines()
    line = next((x for x in lines if x.startswith("EXPOSED ")), None)
    if line is None:
        raise RuntimeError(f"the child never showed its main window (exit "
                           f"{child.returncode}):\n{problems[-2000:]}")
    _, stamp, kind, cpu = line.split()
    usable, usable_cpu = next((x.split()[1:3] for x in lines if x.startswith("USABLE ")),
                              ("None", "None"))
    usable_at = None if usable == "None" else float(usable) - start
    return (float(stamp) - start, int(usage.ru_maxrss), kind, usable_at, float(cpu),
            None if usable_cpu == "None" else float(usable_cpu))


def _wait4(pid: int, timeout: float):
    end = time.monotonic() + timeout
    while True:
        got, status, usage = os.wait4(pid, os.WNOHANG)
        if got:
            return got, status, usage
        if time.monotonic() > end:
            os.kill(pid, 9)
            return os.wait4(pid, 0)
        time.sleep(0.005)


def measure(platform: str, n: int, extra_env: dict[str, str], person: Path) -> dict:
    base_env = dict(os.environ)
    base_env.update(extra_env)
    base_env["QT_QPA_PLATFORM"] = platform
    base_env.pop("BACKREHAB_HOME", None)
    # (expose s, peak RSS KiB, usable s, CPU s until the expose, CPU s until usable)
    results: dict[str, list[tuple]] = {k: [] for k in KINDS}
    kinds: set[str] = set()
    shared_cache = Path(tempfile.mkdtemp(prefix="backrehab-startup-cache-"))

    def one(which: str, keep: bool) -> None:
        env = dict(base_env)
        home = Path(tempfile.mkdtemp(prefix="backrehab-startup-"))
        # The child exits the moment it is measured, so whatever it leaves in the temporary
        # folder (the app's single-instance socket) goes into one that is removed here.
        (home / "tmp").mkdir()
        env["TMPDIR"] = str(home / "tmp")
        try:
            if which != "bare":
                # copy2 keeps the times, so the history counts as closed cleanly.
                shutil.copytree(person, home / "data", copy_function=shutil.copy2)
                env["BACKREHAB_HOME"] = str(home / "data")
                env["XDG_CACHE_HOME"] = str(shared_cache if which == "ours"
                                            else home / "cache")
            seconds, rss, kind, usable, cpu, usable_cpu = run_child(
                BARE if which == "bare" else OURS, env, 60.0)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        if which != "bare" and usable is None:
            raise RuntimeError("BackRehab never painted Today's heading")
        kinds.add(f"{which}: {kind}")
        if keep:
            results[which].append((seconds, rss, usable, cpu, usable_cpu))
            shown = "" if usable is None else (f"  usable {usable * 1000:7.1f} ms (CPU "
                                               f"{usable_cpu * 1000:5.1f})")
            print(f"  {platform} {which:5s} {seconds * 1000:7.1f} ms (CPU {cpu * 1000:5.1f})"
                  f"{shown}  {rss / 1024:6.1f} MiB", file=sys.stderr)

    try:
        for which in KINDS:  # warm the file cache (and the shared routine cache), untimed
            one(which, False)
        for i in range(n):
            for which in (KINDS if i % 2 == 0 else KINDS[::-1]):
                one(which, True)
    finally:
        shutil.rmtree(shared_cache, ignore_errors=True)
    return {"runs": results, "kinds": sorted(kinds)}


def count_instructions(person: Path) -> dict[str, int]:
    """Instructions each child executes until it is measured (valgrind's callgrind), on
    offscreen: bare until its first expose, BackRehab until usable (from a filled cache,
    and on a first launch). No other load on the machine changes these counts."""
    counts: dict[str, int] = {}
    cache = Path(tempfile.mkdtemp(prefix="backrehab-startup-cache-"))
    try:
        for which in ("bare", "fill", "ours", "first"):
            home = Path(tempfile.mkdtemp(prefix="backrehab-startup-"))
            (home / "tmp").mkdir()
            env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TMPDIR=str(home / "tmp"),
                       PYTHONHASHSEED="0")
            env.pop("BACKREHAB_HOME", None)
            code = BARE
            if which != "bare":
                shutil.copytree(person, home / "data", copy_function=shutil.copy2)
                env["BACKREHAB_HOME"] = str(home / "data")
                env["XDG_CACHE_HOME"] = str(cache if which != "first" else home / "cache")
                # Measured at usable (not a second later); valgrind runs ~50 times slower.
                code = OURS.replace(f"SETTLE_MS = {SETTLE_MS}", "SETTLE_MS = 0").replace(
                    "GIVE_UP_MS = 20000", "GIVE_UP_MS = 600000")
            out = home / "callgrind.out"
            try:
                if which == "fill":  # fills the cache the "ours" run reads, uncounted
                    subprocess.run([sys.executable, "-c", code], env=env, cwd=c.REPO,
                                   capture_output=True, timeout=120, check=True)
                    continue
                done = subprocess.run(
                    ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}",
                     sys.executable, "-c", code], env=env, cwd=c.REPO, capture_output=True,
                    text=True, timeout=900)
                if which != "bare" and "USABLE None" in done.stdout:
                    raise RuntimeError("BackRehab never painted Today's heading under valgrind")
                found = [line for line in done.stderr.splitlines() if "Collected :" in line]
                counts[which] = int(found[-1].split(":")[-1])
            finally:
                shutil.rmtree(home, ignore_errors=True)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    return counts


def start_xvfb() -> tuple[subprocess.Popen | None, str]:
    if shutil.which("Xvfb") is None:
        return None, "Xvfb is not installed"
    for number in range(97, 120):
        if Path(f"/tmp/.X11-unix/X{number}").exists() or Path(f"/tmp/.X{number}-lock").exists():
            continue
        server = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1920x1080x24",
                                   "-nolisten", "tcp"], stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{number}").exists():
                return server, f":{number}"
            if server.poll() is not None:
                break
            time.sleep(0.05)
        server.kill()
        server.wait()
    return None, "Xvfb did not start"


def summarize(name: str, data: dict):
    """Table rows and the ratios: {frame, usable, first usable, memory}."""
    runs = data["runs"]

    def spread(values: list[float]) -> str:
        return f"{c.ms(min(values), 1)} - {c.ms(max(values), 1)}"

    bare_t = [r[0] for r in runs["bare"]]
    bt, bm = c.median(bare_t), c.median([r[1] for r in runs["bare"]])
    bc = c.median([r[3] for r in runs["bare"]])
    rows = [[name, "bare QMainWindow: first expose", len(bare_t), c.ms(bt, 1), spread(bare_t),
             c.ms(bc, 1), f"{bm / 1024:.1f}", "1.00x", "1.00x", "1.00x"]]
    ratios = {}
    for which, label in (("ours", "BackRehab"), ("first", "BackRehab, first launch (no cache)")):
        frame = [r[0] for r in runs[which]]
        usable = [r[2] for r in runs[which]]
        memory = c.median([r[1] for r in runs[which]])
        ft, ut = c.median(frame), c.median(usable)
        fc, uc = c.median([r[3] for r in runs[which]]), c.median([r[4] for r in runs[which]])
        rows.append([name, f"{label}: main window's first expose", len(frame), c.ms(ft, 1),
                     spread(frame), c.ms(fc, 1), "", f"{ft / bt:.2f}x", f"{fc / bc:.2f}x", ""])
        bold = "**" if which == "ours" else ""
        rows.append([name, f"{label}: **usable** (Today painted with its data); memory "
                     "1 s later", len(usable),
                     c.ms(ut, 1), spread(usable), c.ms(uc, 1), f"{memory / 1024:.1f}",
                     f"{bold}{ut / bt:.2f}x{bold}", f"{uc / bc:.2f}x", f"{memory / bm:.2f}x"])
        # Each round runs the bare window and BackRehab back to back: the median of those
        # pairs' ratios is steadier than the ratio of medians when the machine's load
        # changes during the run.
        paired = c.median([u / b for u, b in zip(usable, bare_t)])
        ratios[which] = {"frame": ft / bt, "usable": ut / bt, "memory": memory / bm,
                         "paired": paired, "cpu": uc / bc}
    return rows, ratios


def instruction_lines(counts: dict[str, int] | None) -> list[str]:
    if not counts:
        return []
    bare = counts["bare"]
    rows = [["bare QMainWindow: until its first expose", f"{bare / 1e6:,.0f}", "1.00x"]]
    for which, label in (("ours", "BackRehab: until usable"),
                         ("first", "BackRehab, first launch (no cache): until usable")):
        rows.append([label, f"{counts[which] / 1e6:,.0f}", f"{counts[which] / bare:.2f}x"])
    return ["Instructions executed (valgrind --tool=callgrind, offscreen, one run each; "
            "BackRehab measured at usable): the same on a quiet or a busy machine.", "",
            c.table(["what", "million instructions", "ratio"], rows), ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=7, help="runs of each (default 7)")
    parser.add_argument("--no-xvfb", action="store_true", help="skip the xcb-on-Xvfb figure")
    parser.add_argument("--no-write", action="store_true", help="do not update results.md")
    parser.add_argument("--json", help="also write the raw figures to this file")
    parser.add_argument("--instructions", action="store_true",
                        help="also count the instructions until usable with valgrind "
                             "(~1 min): figures a busy machine does not change")
    args = parser.parse_args()
    c.use_offscreen()  # the parent shows nothing; the children get their platform below

    # As an installed package has it; the children then never compile the app's source.
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(c.REPO / "backrehab_gui")],
                   check=True)
    measured: dict[str, dict] = {}
    notes: list[str] = []
    with tempfile.TemporaryDirectory(prefix="backrehab-person-") as folder:
        person = Path(folder)
        make_person(person, date.today())
        print("offscreen ...", file=sys.stderr)
        measured["offscreen"] = measure("offscreen", args.n, {}, person)
        if not args.no_xvfb:
            server, display = start_xvfb()
            if server is None:
                notes.append(f"xcb on Xvfb: not measured ({display}).")
            else:
                try:
                    print(f"xcb on Xvfb {display} ...", file=sys.stderr)
                    measured["xcb (Xvfb)"] = measure("xcb", args.n, {"DISPLAY": display},
                                                     person)
                except RuntimeError as exc:
                    notes.append(f"xcb on Xvfb: failed ({str(exc).splitlines()[0]}).")
                finally:
                    server.terminate()
                    server.wait()
        if args.instructions:
            if shutil.which("valgrind") is None:
                notes.append("instructions: not counted (valgrind is not installed).")
            else:
                print("instructions (valgrind) ...", file=sys.stderr)
                measured["instructions"] = count_instructions(person)

    rows: list[list[str]] = []
    verdicts = []
    for name, data in measured.items():
        if name == "instructions":
            continue
        part, ratios = summarize(name, data)
        rows += part
        ours = ratios["ours"]
        verdicts += [
            [f"usable within {USABLE_TARGET:g}x the bare window ({name})",
             f"{ours['usable']:.2f}x", c.verdict(ours["usable"] <= USABLE_TARGET)],
            [f"peak memory within {MEMORY_TARGET:g}x the bare window ({name})",
             f"{ours['memory']:.2f}x", c.verdict(ours["memory"] <= MEMORY_TARGET)],
            [f"first window within {FRAME_TARGET:g}x the bare window ({name})",
             f"{ours['frame']:.2f}x", c.verdict(ours["frame"] <= FRAME_TARGET)],
        ]
        notes.append(f"{name}: usable, the median of each round's BackRehab over its bare "
                     f"window (run back to back): {ours['paired']:.2f}x; steadier than the "
                     "ratio of medians when the machine's load changes during the run.")
        notes.append(f"{name}: CPU time until usable: {ours['cpu']:.2f}x the bare window's "
                     "until its first expose.")
        notes.append(f"{name}: on a first launch (no cache: after installing or updating) "
                     f"BackRehab was usable at {ratios['first']['usable']:.2f}x the bare "
                     "window; that run checks every routine file and fills the cache.")
        notes.append(f"{name}: windows seen: {', '.join(data['kinds'])}.")
    lines = [
        "## startup: launch to BackRehab usable",
        "",
        *c.machine_lines(),
        "",
        f"Fresh child processes, {args.n} of each, alternating, after one untimed warm-up of "
        "each; medians. Time = from the parent's time.monotonic() just before starting the "
        "child to the child's time.monotonic() at its main window's first Expose event, "
        "and for BackRehab also to **usable**: the first paint of Today's week heading with "
        "its text (the routine files, the history and today's plan loaded). Memory = the "
        "child's peak RSS (ru_maxrss) when it exited: at the first expose for the bare "
        "window, one second after usable for BackRehab (speech, sounds, tray and reminders "
        "built). The app's bytecode is compiled first, as in an installed package. "
        "BackRehab runs `backrehab_gui.cli.main([])` (the "
        "`backrehab` command) on a copy of one data folder: a person in week 4 of the "
        "bundled program with three weeks of sessions done. Its runs share a cache folder "
        "(filled by the warm-up); the first-launch runs each start with an empty one. "
        "CPU = the child's own time.process_time() (every thread) at the same moments: "
        "what it did, whatever else the machine was doing; on a busy machine the CPU "
        "ratio is the steadier one.",
        "",
        c.table(["platform", "what", "runs", "median ms", "range ms", "CPU ms",
                 "peak RSS MiB", "time ratio", "CPU ratio", "memory ratio"], rows),
        "",
        *[f"- {n}" for n in notes],
        "",
        *instruction_lines(measured.get("instructions")),
        c.table(["target", "measured", "result"], verdicts),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        c.write_section("startup", text)
        print(f"(section startup written to {c.RESULTS})")
    c.dump_json(args.json, measured)
    return 0


if __name__ == "__main__":
    sys.exit(main())
