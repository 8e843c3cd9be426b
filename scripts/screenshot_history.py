"""Screenshots of the history view and the therapist report, from made-up history.

Builds five weeks of realistic history for the bundled 8-week program in a
temporary data folder (phase sessions, daily blocks, a few partial and
missed sessions, pain that eases over the weeks, one flagged session, and a
weekly side-plank check with open holds), then saves:

    docs/screenshots/history.png        the history view at --size
    docs/screenshots/report-page-1.png  the PDF's first page (pdftoppm, 60 dpi)

Usage (from the repository root):

    .venv/bin/python scripts/screenshot_history.py [--out DIR] [--size 1366x768]
    ../shared/tools/xshot out.png -- .venv/bin/python scripts/screenshot_history.py --show

``--show`` opens the view as a window and keeps it open (for a real X
screen) instead of saving; ``--report PATH`` also keeps the whole PDF.
Runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = date(2026, 5, 20)
"""A Wednesday in week 6 (the strength phase)."""
START = date(2026, 4, 13)
SHOWN_DAY = date(2026, 5, 11)
"""The day opened in the side panel: the flagged session."""
TZ = timezone(timedelta(hours=2))
MISSED = (date(2026, 4, 29), date(2026, 4, 30), date(2026, 5, 6))
"""Days with nothing done (a cold, say)."""

CHECK_ROUTINE = """\
format: 1
routines:
  - id: side-plank-check
    name: Side plank check
    summary: Once a week, hold a side plank on each side for as long as good form lasts.
    exercises:
      - exercise: side-plank
"""

TIMES = {"morning": (7, 40), "midday": (12, 35), "evening": (19, 10), None: (18, 5)}
NOTES = {
    date(2026, 4, 15): "Dead bug was hard to keep slow.",
    date(2026, 4, 24): "Felt stiff in the morning, better after.",
    date(2026, 5, 11): "Bridges hurt my left hip; stopped the march early.",
    date(2026, 5, 18): "Easier than last week.",
}


def _results(routine, library, share: float, holds: tuple[float, ...] = ()):
    from backrehab_gui.core import model as m
    from backrehab_gui.core.engine import ExerciseResult

    out = []
    for index, item in enumerate(routine.exercises):
        dose = library.dose_for(item)
        name = library.exercises[item.exercise].name
        sets = getattr(dose, "sets", 1)
        partial = share < 1 and index >= len(routine.exercises) * share
        status = "partial" if partial else "done"
        reps = reps_target = None
        hold_times: tuple[float, ...] = ()
        seconds = 60.0
        if isinstance(dose, m.RepsDose):
            reps_target = dose.reps.high * sets
            reps = reps_target // 2 if partial else reps_target
        elif isinstance(dose, m.HoldDose) and dose.is_open:
            hold_times = holds
            seconds = sum(holds)
        elif isinstance(dose, m.HoldDose):
            seconds = float(dose.hold) * sets
        out.append(ExerciseResult(index, item.exercise, name, status, seconds,
                                  max(1, sets // 2) if partial else sets, sets, reps,
                                  reps_target, hold_times, 0.5 if partial else 1.0))
    return tuple(out)


def make_history(folder: Path):
    """A store, library and calendar with five weeks of made-up history up to TODAY."""
    from backrehab_gui.core.engine import Summary
    from backrehab_gui.core.history import routine_fingerprint
    from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
    from backrehab_gui.infra import paths, routines
    from backrehab_gui.infra.store import HistoryStore

    user = paths.user_routines(folder)
    user.mkdir(parents=True, exist_ok=True)
    (user / "checks.yaml").write_text(CHECK_ROUTINE, encoding="utf-8")
    library = routines.load_for_app(folder)
    program = library.programs["lower-back-8-weeks"]
    enrolment = Enrolment(program.id, START, (0, 2, 4))
    calendar = ProgramCalendar(program, enrolment)
    store = HistoryStore.open(folder, now=lambda: datetime(2026, 5, 20, 20, 0, tzinfo=TZ))
    store.save_enrolment(enrolment)
    rnd = random.Random(20)
    chance = {"phase": 0.95, "morning": 0.95, "midday": 0.75, "evening": 0.9}

    def record(day: date, routine_id: str, kind: str, block: str | None, share: float,
               before: int | None, after: int | None, holds: tuple[float, ...] = ()) -> None:
        routine = library.routines[routine_id]
        hour, minute = TIMES[block]
        started = datetime(day.year, day.month, day.day, hour, minute + rnd.randint(0, 9),
                           tzinfo=TZ)
        week = calendar.week(day)
        span = calendar.span_of(week)
        sid = store.begin_session(routine.id, routine.name,
                                  routine_fingerprint(routine, library.exercises), kind, block,
                                  started, week, span.phase.id if span else None, before)
        results = _results(routine, library, share, holds)
        store.finish_session(sid, Summary(routine.id, routine.name, results, share >= 1,
                                          sum(r.seconds for r in results), share),
                             started + timedelta(minutes=12))
        store.set_feedback(sid, after, rnd.randint(3, 7) if kind != "daily" else None,
                           NOTES.get(day, "") if kind == "phase" else None)

    for plan in calendar.days(START, (TODAY - START).days + 1):
        day = plan.day
        progress = (day - START).days / 35
        base = 4.5 - 2.5 * progress
        for planned in plan.sessions:
            key = planned.block.value if planned.block else "phase"
            if day == TODAY and key not in ("morning",):
                continue  # the rest of today is still to come
            if day == SHOWN_DAY and key == "phase":
                record(day, planned.routine_id, planned.kind, None, 0.7, 3, 6)
                continue
            if rnd.random() > chance[key] or day in MISSED:
                continue
            share = 1.0 if rnd.random() > 0.12 else rnd.choice([0.5, 0.6, 0.8])
            before = max(0, min(10, round(base + rnd.uniform(-1, 1))))
            after = max(0, before - rnd.choice([0, 1, 1, 2]))
            if key != "phase" and rnd.random() < 0.5:
                before = after = None  # quick blocks often go unrated
            record(day, planned.routine_id, planned.kind,
                   planned.block.value if planned.block else None, share, before, after)
        if day.weekday() == 5 and day >= START + timedelta(days=5):
            weeks_in = (day - START).days / 7
            left = round(18 + 5 * weeks_in + rnd.uniform(-2, 3), 1)
            record(day, "side-plank-check", "extra", None, 1.0, 2, 2,
                   holds=(left, round(left - rnd.uniform(1, 5), 1)))
    return store, library, calendar, program


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1366x768")
    parser.add_argument("--show", action="store_true",
                        help="keep the window open instead of saving screenshots")
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--report", type=Path, help="also keep the whole PDF here")
    args = parser.parse_args(argv)
    if not args.show:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel

    from backrehab_gui.ui.history_view import HistoryView
    from backrehab_gui.ui.report import write_report

    app = QApplication.instance() or QApplication(sys.argv[:1])
    width, height = (int(v) for v in args.size.lower().split("x"))
    with tempfile.TemporaryDirectory(prefix="backrehab-shots-") as tmp:
        store, library, calendar, program = make_history(Path(tmp) / "data")
        view = HistoryView(store, library, calendar, lambda: TODAY)
        view.setWindowTitle("BackRehab \u2013 History")
        view.resize(width, height)
        view.show_day(SHOWN_DAY)

        def scroll_to_flag() -> None:
            # The day's flagged session is what a screenshot should show.
            flag = view.day_panel.findChild(QLabel, "flag")
            if flag is not None:
                view.day_panel.scroll.ensureWidgetVisible(flag, 0, 150)

        if args.fullscreen:
            view.setGeometry(app.primaryScreen().geometry())
            view.showFullScreen()
        else:
            view.show()
        app.processEvents()
        scroll_to_flag()
        if args.show:
            QTimer.singleShot(300, scroll_to_flag)
            return app.exec()
        # Let the streak and score finish counting (a few event-loop turns).
        for _ in range(50):
            app.processEvents()
            if view.totals is not None:
                break
        args.out.mkdir(parents=True, exist_ok=True)
        shot = args.out / "history.png"
        view.grab().save(str(shot))
        print(f"saved {shot}")

        pdf = Path(tmp) / "report.pdf"
        write_report(pdf, store=store, library=library, calendar=calendar, program=program,
                     today=TODAY, person_note="Prepared for: Alex Example (made-up history)")
        if args.report:
            shutil.copyfile(pdf, args.report)
            print(f"saved {args.report}")
        if shutil.which("pdftoppm") is None:
            print("pdftoppm not found (poppler-utils): report page not rendered",
                  file=sys.stderr)
            return 1
        page = args.out / "report-page-1.png"
        subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(page.with_suffix(""))], check=True)
        print(f"saved {page}")
        view.close()
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
