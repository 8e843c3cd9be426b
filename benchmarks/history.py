"""History at scale: ten years of sessions, and how quickly the history view copes.

    .venv/bin/python benchmarks/history.py [--years 10] [--repeat 9] [--no-write] [--json F]

Generates ten years of history for the bundled 8-week program and its
maintenance (the daily blocks every day and the phase sessions on three days:
three or four sessions a day, about nine in ten done, some partly, some with a
pain flag, open holds recorded) into a fresh database through the real store,
then measures, each against the target of 50 ms:

- opening the history view (build, show, first paint) on today's month;
- switching months (previous, repainted), median and worst of many;
- computing the statistics: all-time adherence with streak and habit score,
  and one month's (core.adherence on the records the view reads);
- the weekly pain trend;
- pain steering: flags over all time, the dose given and Today's progressions
  (core.setbacks, core.holds), as every refresh of Today works them out;
- and reports the database size per year of history.

The store writes with synchronous=FULL; generating ten years that way takes
minutes of fsyncs that measure nothing here, so generation turns fsync off
(reading is what is measured).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import _common as c

c.use_offscreen()

from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.core import adherence, pain  # noqa: E402
from backrehab_gui.core.engine import ExerciseResult, Summary  # noqa: E402
from backrehab_gui.core.holds import progress_lines  # noqa: E402
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar  # noqa: E402
from backrehab_gui.core.setbacks import dose_history  # noqa: E402
from backrehab_gui.infra.routines import load_for_app  # noqa: E402
from backrehab_gui.infra.store import HistoryStore  # noqa: E402
from backrehab_gui.ui.history_view import HistoryView  # noqa: E402

TARGET = 0.050
ZONE = timezone(timedelta(hours=1))


class _NoSync(sqlite3.Connection):
    """Generation only: the store's synchronous=FULL becomes OFF."""

    def execute(self, sql, *args):
        if sql.strip().upper().startswith("PRAGMA SYNCHRONOUS"):
            sql = "PRAGMA synchronous = OFF"
        return super().execute(sql, *args)


def _fast(*args, **kwargs):
    return sqlite3.connect(*args, factory=_NoSync, **kwargs)


def generate(folder: Path, calendar: ProgramCalendar, library, today: date,
             rng: random.Random) -> int:
    count = 0
    with HistoryStore.open(folder, connect=_fast) as store:
        store.save_enrolment(calendar.enrolment)
        day = calendar.enrolment.start
        while day < today:
            plan = calendar.day(day)
            for n, planned in enumerate(plan.sessions):
                if rng.random() > 0.9:
                    continue  # missed
                routine = library.routines[planned.routine_id]
                started = datetime(day.year, day.month, day.day, 7 + 4 * n,
                                   rng.randrange(60), tzinfo=ZONE)
                before = rng.randint(0, 5)
                sid = store.begin_session(routine.id, routine.name, "0" * 16, planned.kind,
                                          planned.block.value if planned.block else None,
                                          started, plan.program_week,
                                          plan.phase.id if plan.phase else None,
                                          pain_before=before)
                results = []
                for item, entry in enumerate(routine.exercises):
                    done = rng.random() < 0.95
                    holds = (round(rng.uniform(20, 70), 1),) if entry.exercise in (
                        "plank", "side-plank") else ()
                    results.append(ExerciseResult(
                        item, entry.exercise, entry.exercise, "done" if done else "partial",
                        60.0, 2 if done else 1, 2, 20 if done else 10, 20, holds,
                        1.0 if done else 0.5))
                    store.record_exercise(sid, results[-1], started)
                share = sum(r.share for r in results) / len(results)
                store.finish_session(sid, Summary(routine.id, routine.name, tuple(results),
                                                  True, 600.0, share),
                                     started + timedelta(minutes=12))
                store.set_feedback(sid, pain_after=max(0, min(10, before + rng.choice(
                    [-1, 0, 0, 0, 1, 2]))), effort=rng.randint(2, 7))
                count += 1
            day += timedelta(days=1)
    return count


def timed(action, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=9, help="timed repeats of each")
    parser.add_argument("--no-write", action="store_true", help="do not update results.md")
    parser.add_argument("--json", help="also write the raw figures to this file")
    args = parser.parse_args()

    qapp = QApplication.instance() or QApplication(sys.argv)
    rng = random.Random(20261121)
    today = date(2026, 11, 23)
    start = today - timedelta(days=365 * args.years)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        library = load_for_app(folder)
        program = library.programs["lower-back-8-weeks"]
        calendar = ProgramCalendar(program, Enrolment(program.id, start))
        print(f"generating {args.years} years of history ...", flush=True)
        began = time.perf_counter()
        sessions = generate(folder, calendar, library, today, rng)
        generation = time.perf_counter() - began
        size = (folder / "history.sqlite3").stat().st_size
        print(f"{sessions} sessions in {generation:.1f} s; {size / 2**20:.1f} MiB")

        with HistoryStore.open(folder) as store:
            records = store.sessions_between(start, today)
            month_first, month_last = adherence.month_bounds(today.year, today.month)

            def open_view():
                view = HistoryView(store, library, calendar, lambda: today)
                view.resize(1366, 768)
                view.show()
                view.repaint()
                QApplication.processEvents()
                view.close()
                view.deleteLater()

            opens = timed(open_view, args.repeat)
            view = HistoryView(store, library, calendar, lambda: today)
            view.resize(1366, 768)
            view.show()
            QApplication.processEvents()

            def switch():
                view._on_previous()
                view.repaint()

            switches = timed(switch, max(args.repeat * 4, 24))
            view.close()
            stats_all = timed(lambda: adherence.compute(calendar, records, today),
                              args.repeat)
            stats_month = timed(lambda: adherence.compute_month(
                calendar, records, today, today.year, today.month), args.repeat)
            trend = timed(lambda: pain.weekly_pain(calendar, records), args.repeat)
            steering = timed(lambda: progress_lines(
                calendar, library, dose_history(calendar, records, []), today), args.repeat)
            read_month = timed(lambda: store.sessions_between(month_first, month_last),
                               args.repeat)
            read_all = timed(lambda: store.sessions_between(start, today), 3)

    rows = [
        ("open the history view (build, show, first paint)", opens),
        ("switch month (previous month, repainted)", switches),
        ("statistics, all time: adherence, streak, habit score", stats_all),
        ("statistics, one month (with the all-time streak and score)", stats_month),
        ("weekly pain trend, all weeks", trend),
        ("pain steering: flags, doses given, Today's progressions", steering),
        ("read one month of sessions from the store", read_month),
    ]
    table = c.table(["what", "runs", "median ms", "worst ms", "target", "result"],
                    [(name, len(t), c.ms(c.median(t), 1), c.ms(max(t), 1), "< 50 ms",
                      c.verdict(c.median(t) < TARGET)) for name, t in rows])
    per_year = size / args.years
    body = "\n".join([
        "## history: ten years of history",
        "",
        *c.machine_lines(),
        "",
        f"History: {args.years} years of the bundled program and its maintenance, generated "
        f"through the real store: {sessions} sessions ({sessions / (365 * args.years):.1f} a "
        f"day), each with its exercise results, pain before and after and effort; about 9 "
        f"in 10 planned sessions done. Timings are the median and worst of repeated runs, "
        f"in this process, on the offscreen platform; the history view opens on "
        f"{today:%B %Y}.",
        "",
        table,
        "",
        f"- Database: {size / 2**20:.1f} MiB for {args.years} years, "
        f"**{per_year / 2**20:.2f} MiB per year** ({per_year / 1024 / 365:.1f} KiB a day).",
        f"- Reading all {args.years} years of sessions at once (without exercise results) "
        f"takes {c.ms(c.median(read_all), 0)} ms; the view never does: it reads the month "
        "it shows, and counts the streak and score in the background in half-year steps.",
        "",
    ])
    print(body)
    c.dump_json(args.json, {"sessions": sessions, "bytes": size,
                            **{name: t for name, t in rows}, "read_all": read_all})
    if not args.no_write:
        c.write_section("history", body)
    del qapp
    return 0


if __name__ == "__main__":
    sys.exit(main())
