"""Start-up: launch to first window shown, and peak memory, as ratios to a bare PySide6 window.

Each measurement is a fresh child process. The parent reads time.monotonic()
just before starting the child (monotonic is system-wide on Linux); the child
prints its own time.monotonic() when the first Expose event of its main window
(a QMainWindow) arrives, then exits at once. Peak memory is the child's
ru_maxrss from os.wait4.

- bare: QApplication + an empty QMainWindow, show(), exec();
- ours: the `backrehab` command's own path, `backrehab_gui.cli.main([])`
  (run_gui: App(...) with the bundled routines, history store, speaker and
  sound player, then app.show(), exec()), with a new, empty data folder
  (BACKREHAB_HOME) each time.

Both children create the QApplication themselves first and install the same
application-wide event filter to see the Expose (run_gui then reuses that
QApplication), so both carry the same probe. Runs alternate (bare, ours, then
ours, bare, ...), N times each (default 7) after one untimed warm-up of each;
the medians are compared. Platform: offscreen; and xcb on Xvfb too when Xvfb
is installed (--no-xvfb to skip).

    .venv/bin/python benchmarks/startup.py [-n 7] [--no-xvfb]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common as c

TARGET_RATIO = 1.5

_PROBE = r"""
import os, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTabWidget

qapp = QApplication(sys.argv)


class Probe(QObject):
    # The first Expose of the main window (a QMainWindow), then the first Paint of a
    # QTabWidget in it: the app's views on screen. With WAIT_FOR_VIEWS false, the
    # first alone.
    def __init__(self):
        super().__init__()
        self.window = None

    def finish(self, views):
        sys.stdout.write(f"VIEWS {views!r}\n")
        sys.stdout.flush()
        os._exit(0)

    def eventFilter(self, obj, event):
        kind = event.type()
        if self.window is None:
            if kind == QEvent.Type.Expose and obj.isWindowType() and obj.isExposed():
                for widget in qapp.topLevelWidgets():
                    if isinstance(widget, QMainWindow) and widget.windowHandle() is obj:
                        now = time.monotonic()
                        self.window = widget
                        sys.stdout.write(f"EXPOSED {now!r} {type(widget).__name__}\n")
                        sys.stdout.flush()
                        if not WAIT_FOR_VIEWS:
                            self.finish(None)
                        QTimer.singleShot(20000, lambda: self.finish(None))
        elif kind == QEvent.Type.Paint and isinstance(obj, QTabWidget) and \
                obj.window() is self.window:
            self.finish(time.monotonic())
        return False


probe = Probe()
qapp.installEventFilter(probe)
"""

BARE = "WAIT_FOR_VIEWS = False\n" + _PROBE + r"""
window = QMainWindow()
window.show()
sys.exit(qapp.exec())
"""

OURS = "WAIT_FOR_VIEWS = True\n" + _PROBE + r"""
from backrehab_gui.cli import main

sys.exit(main([]))
"""


def run_child(code: str, env: dict[str, str], timeout: float):
    """(seconds from launch to the main window's first expose, peak RSS KiB, window class,
    seconds from launch to the views painted or None)."""
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
    _, stamp, kind = line.split()
    views = next((x.split()[1] for x in lines if x.startswith("VIEWS ")), "None")
    views_at = None if views == "None" else float(views) - start
    return float(stamp) - start, int(usage.ru_maxrss), kind, views_at


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


def measure(platform: str, n: int, extra_env: dict[str, str]) -> dict:
    base_env = dict(os.environ)
    base_env.update(extra_env)
    base_env["QT_QPA_PLATFORM"] = platform
    base_env.pop("BACKREHAB_HOME", None)
    results: dict[str, list[tuple[float, int, float | None]]] = {"bare": [], "ours": []}
    kinds: set[str] = set()

    def one(which: str, keep: bool) -> None:
        env = dict(base_env)
        home = Path(tempfile.mkdtemp(prefix="backrehab-startup-"))
        # The child exits the moment it is measured, so whatever it leaves in the temporary
        # folder (the app's single-instance socket) goes into one that is removed here.
        (home / "tmp").mkdir()
        env["TMPDIR"] = str(home / "tmp")
        try:
            if which == "ours":
                env["BACKREHAB_HOME"] = str(home / "data")
            seconds, rss, kind, views = run_child(BARE if which == "bare" else OURS, env, 60.0)
        finally:
            shutil.rmtree(home, ignore_errors=True)
        kinds.add(f"{which}: {kind}")
        if keep:
            results[which].append((seconds, rss, views))
            shown = "" if views is None else f"  views {views * 1000:7.1f} ms"
            print(f"  {platform} {which:4s} {seconds * 1000:7.1f} ms{shown}  "
                  f"{rss / 1024:6.1f} MiB", file=sys.stderr)

    one("bare", False)  # warm the file cache, untimed
    one("ours", False)
    for i in range(n):
        order = ("bare", "ours") if i % 2 == 0 else ("ours", "bare")
        for which in order:
            one(which, True)
    return {"runs": results, "kinds": sorted(kinds)}


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
    """Table rows, the start-up ratio, the memory ratio and the views ratio (or None)."""
    bare = data["runs"]["bare"]
    ours = data["runs"]["ours"]

    def spread(values: list[float]) -> str:
        return f"{c.ms(min(values), 1)} - {c.ms(max(values), 1)}"

    bare_t = [r[0] for r in bare]
    ours_t = [r[0] for r in ours]
    ours_v = [r[2] for r in ours if r[2] is not None]
    bt, bm = c.median(bare_t), c.median([r[1] for r in bare])
    ot, om = c.median(ours_t), c.median([r[1] for r in ours])
    rows = [
        [name, "bare QMainWindow: first expose", len(bare), c.ms(bt, 1), spread(bare_t),
         f"{bm / 1024:.1f}", "1.00x", "1.00x"],
        [name, "BackRehab (`backrehab`): main window's first expose", len(ours), c.ms(ot, 1),
         spread(ours_t), "", f"**{ot / bt:.2f}x**", ""],
    ]
    views_ratio = None
    if ours_v:
        ov = c.median(ours_v)
        views_ratio = ov / bt
        rows.append([name, "BackRehab: its views painted (the tabs in the main window)",
                     len(ours_v), c.ms(ov, 1), spread(ours_v), f"{om / 1024:.1f}",
                     f"{views_ratio:.2f}x", f"{om / bm:.2f}x"])
    else:
        rows[1][5] = f"{om / 1024:.1f}"
        rows[1][7] = f"{om / bm:.2f}x"
    return rows, ot / bt, om / bm, views_ratio


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=7, help="runs of each (default 7)")
    parser.add_argument("--no-xvfb", action="store_true", help="skip the xcb-on-Xvfb figure")
    parser.add_argument("--no-write", action="store_true", help="do not update results.md")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args()
    c.use_offscreen()  # the parent shows nothing; the children get their platform below

    measured: dict[str, dict] = {}
    notes: list[str] = []
    print("offscreen ...", file=sys.stderr)
    measured["offscreen"] = measure("offscreen", args.n, {})
    if not args.no_xvfb:
        server, display = start_xvfb()
        if server is None:
            notes.append(f"xcb on Xvfb: not measured ({display}).")
        else:
            try:
                print(f"xcb on Xvfb {display} ...", file=sys.stderr)
                measured["xcb (Xvfb)"] = measure("xcb", args.n, {"DISPLAY": display})
            except RuntimeError as exc:
                notes.append(f"xcb on Xvfb: failed ({str(exc).splitlines()[0]}).")
            finally:
                server.terminate()
                server.wait()

    rows: list[list[str]] = []
    verdicts = []
    for name, data in measured.items():
        part, time_ratio, _mem_ratio, views_ratio = summarize(name, data)
        rows += part
        verdicts.append([f"start-up (first window shown) within 1.5x the bare window ({name})",
                         f"{time_ratio:.2f}x", c.verdict(time_ratio <= TARGET_RATIO)])
        if views_ratio is not None:
            notes.append(f"{name}: BackRehab's views (the app ready to use) were on screen "
                         f"at {views_ratio:.2f}x the bare window's time. The target measures "
                         "the first window; this line is here so that a frame drawn early "
                         "cannot hide a slow start.")
        notes.append(f"{name}: windows seen: {', '.join(data['kinds'])}.")
    lines = [
        "## startup: launch to first window shown",
        "",
        *c.machine_lines(),
        "",
        f"Fresh child processes, {args.n} of each, alternating, after one untimed warm-up of "
        "each; medians. Time = from the parent's time.monotonic() just before starting the "
        "child to the child's time.monotonic() at its main window's first Expose event, "
        "and for BackRehab also to the first paint of its views (the QTabWidget in the "
        "main window). Memory = the child's peak RSS (ru_maxrss) when it exited: at the "
        "first expose for the bare window, once the views were painted for BackRehab. "
        "BackRehab runs "
        "`backrehab_gui.cli.main([])` (the `backrehab` command) with a new, empty "
        "BACKREHAB_HOME each time.",
        "",
        c.table(["platform", "what", "runs", "median ms", "range ms", "peak RSS MiB",
                 "time ratio", "memory ratio"], rows),
        "",
        *[f"- {n}" for n in notes],
        "",
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
