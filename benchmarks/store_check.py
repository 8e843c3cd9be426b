"""Checking and rescuing the history: what a full check and a rescue cost at start-up.

    .venv/bin/python benchmarks/store_check.py [--years 10] [--repeat 7] [--no-write] [--json F]

Generates years of history through the real store (as ``history.py`` does),
then times, each as the median of repeated runs in this process (the file is
in the page cache, as it is when the app restarts after a crash):

- opening the store after a clean close (``PRAGMA quick_check``): the baseline;
- opening it after an abnormal shutdown (``PRAGMA integrity_check``, which
  also compares every index with its table);
- the two checks alone, on a plain connection;
- opening a copy whose index by date was damaged: the full check finds it,
  every row is read back by row id and checked, written to a new file, and the
  damaged file moved aside.

Ratios are against the baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import _common as c
from history import generate

from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.infra import clean_close
from backrehab_gui.infra.routines import load_for_app
from backrehab_gui.infra.store import FILE_NAME, HistoryStore


def timed(action, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return times


def check(path: Path, pragma: str) -> None:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute(f"PRAGMA {pragma}").fetchone()[0] == "ok"
    finally:
        conn.close()


def damage_index(path: Path) -> None:
    """Scramble one leaf page of the index by date (the table stays sound)."""
    conn = sqlite3.connect(path)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    page = conn.execute("SELECT pageno FROM dbstat WHERE name = 'sessions_by_date'"
                        " AND pagetype = 'leaf' ORDER BY pageno LIMIT 1").fetchone()[0]
    conn.close()
    with open(path, "r+b") as handle:
        handle.seek((page - 1) * size)
        handle.write(random.Random(page).randbytes(size))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=7, help="timed repeats of each")
    parser.add_argument("--no-write", action="store_true", help="do not update results.md")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args()

    rng = random.Random(20261121)
    today = date(2026, 11, 23)
    start = today - timedelta(days=365 * args.years)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "history"
        folder.mkdir()
        library = load_for_app(folder)
        program = library.programs["lower-back-8-weeks"]
        calendar = ProgramCalendar(program, Enrolment(program.id, start))
        print(f"generating {args.years} years of history ...", flush=True)
        sessions = generate(folder, calendar, library, today, rng)
        path = folder / FILE_NAME
        size = path.stat().st_size
        print(f"{sessions} sessions; {size / 2**20:.1f} MiB", flush=True)

        def open_clean() -> None:
            HistoryStore.open(folder).close()

        def open_after_crash() -> None:
            clean_close.forget(path)        # what a crash leaves: no clean close
            HistoryStore.open(folder).close()

        open_clean()
        quick_open = timed(open_clean, args.repeat)
        full_open = timed(open_after_crash, args.repeat)
        quick = timed(lambda: check(path, "quick_check"), args.repeat)
        full = timed(lambda: check(path, "integrity_check"), args.repeat)

        rescues, report = [], None
        for n in range(max(3, args.repeat // 2)):
            damaged = Path(tmp) / f"damaged-{n}"
            damaged.mkdir()
            shutil.copy(path, damaged / FILE_NAME)
            damage_index(damaged / FILE_NAME)
            began = time.perf_counter()
            store = HistoryStore.open(damaged)
            rescues.append(time.perf_counter() - began)
            report = store.salvage
            store.close()
            assert report is not None and report.sessions == sessions and not report.lost

    base = c.median(quick_open)
    rows = [
        ("open after a clean close (quick_check): baseline", quick_open),
        ("open after an abnormal shutdown (integrity_check)", full_open),
        ("PRAGMA quick_check alone", quick),
        ("PRAGMA integrity_check alone", full),
        ("open a file with a damaged index: full check, rescue, set aside", rescues),
    ]
    table = c.table(["what", "runs", "median ms", "worst ms", "x baseline"],
                    [(name, len(t), c.ms(c.median(t), 1), c.ms(max(t), 1),
                      f"{c.median(t) / base:.1f}") for name, t in rows])
    body = "\n".join([
        "## store_check: the full check and the rescue at start-up",
        "",
        *c.machine_lines(),
        "",
        f"History: {args.years} years generated through the real store as in `history.py`: "
        f"{sessions} sessions with their exercise results, {size / 2**20:.1f} MiB. The file "
        "is in the page cache (as after a crash and a restart); medians and worsts of "
        "repeated runs in one process. The rescue recovered every session and result each "
        "time (the damage was in an index only).",
        "",
        table,
        "",
    ])
    print(body)
    c.dump_json(args.json, {"sessions": sessions, "bytes": size,
                            **{name: t for name, t in rows}})
    if not args.no_write:
        c.write_section("store_check", body)
    return 0


if __name__ == "__main__":
    sys.exit(main())
