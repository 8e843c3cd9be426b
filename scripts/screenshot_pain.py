"""Screenshots of the screens where pain steers the program, for the docs.

    .venv/bin/python scripts/screenshot_pain.py [OUT_DIR]

Renders the real windows offscreen with made-up clocks and a temporary data
folder holding a made-up history: two foundation weeks with a pain spike at
the end of week 2, then a strength week whose Wednesday session leaves the
back worse the next day. Saves, in docs/screenshots/ unless told otherwise:

    next-day-check.png            the day-after question, answered "worse", 5
    today-advice-after-spike.png  the end-of-phase advice once the spike is in
    today-advice-unknown.png      the advice when too few pain scores were given
    today-progression.png         week 4: the plank's step up, with hold and step back
    today-progression-held.png    week 4 after a "worse" answer: the step held, and why
    session-summary-moderate.png  pain 5 after: the softer note, the 15-minute question
    session-summary-lasting.png   the same after "yes": stop and see a doctor
    report-next-day.png           the report page where the next-day answers begin
    report-doses.png              the report page with the dose given, week by week
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.core.engine import Summary  # noqa: E402
from backrehab_gui.core.next_day import BETTER, SAME, NextDayCheck  # noqa: E402
from backrehab_gui.core.schedule import Enrolment  # noqa: E402
from backrehab_gui.infra.keep_awake import RecordingKeepAwake  # noqa: E402
from backrehab_gui.infra.settings import Settings, SettingsStore  # noqa: E402
from backrehab_gui.infra.sound import RecordingSoundPlayer  # noqa: E402
from backrehab_gui.infra.speech import RecordingSpeaker  # noqa: E402
from backrehab_gui.infra.store import HistoryStore  # noqa: E402
from backrehab_gui.ui.app import App  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
START = datetime(2026, 11, 2, 8, 0, tzinfo=timezone(timedelta(hours=1)))  # a Monday
SIZE = (1100, 760)
PROGRAM = "lower-back-8-weeks"


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def save(widget, path: Path) -> None:
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"saved {path}")


def session(store: HistoryStore, day: int, routine: str, name: str, kind: str,
            before: int | None, after: int | None, *, hour: int = 18,
            lasted: bool | None = None) -> None:
    started = START + timedelta(days=day, hours=hour - 8)
    week = day // 7 + 1
    sid = store.begin_session(routine, name, "0" * 16, kind, None, started, week,
                              "foundation" if week <= 2 else "strength", before)
    store.finish_session(sid, Summary(routine, name, (), True, 600.0, 1.0),
                         started + timedelta(minutes=15))
    store.set_feedback(sid, pain_after=after, pain_lasted=lasted)


def answer(store: HistoryStore, about: int, kind: str | None, pain: int | None) -> None:
    store.record_next_day(NextDayCheck((START + timedelta(days=about)).date(),
                                       START + timedelta(days=about + 1, minutes=5), kind,
                                       pain))


def make_history(home: Path, *, scored: bool = True, through: int = 20) -> None:
    """Weeks 1-2 of foundation; with ``scored``, the spike on day 12 and week 3 after it."""
    SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-02"))
    with HistoryStore.open(home, now=lambda: START) as store:
        store.save_enrolment(Enrolment(PROGRAM, START.date()))
        for day in (0, 2, 4, 7, 9, 11):
            pain = 2 if scored or day == 0 else None
            session(store, day, "phase-1-foundation", "Phase 1: Foundation", "phase",
                    pain, pain)
            if scored:
                answer(store, day, SAME, 2)
        if not scored:
            return
        session(store, 12, "breathing-break", "Breathing break", "extra", 2, 6)
        if through <= 12:
            return
        answer(store, 12, BETTER, 2)
        store.record_moved_on("foundation")
        session(store, 14, "phase-2-strength", "Phase 2: Strength", "phase", 2, 2)
        answer(store, 14, SAME, 2)
        session(store, 16, "phase-2-strength", "Phase 2: Strength", "phase", 3, 4,
                lasted=False)
        if through <= 16:
            return
        answer(store, 16, "worse", 5)
        session(store, 18, "phase-2-strength", "Phase 2: Strength", "phase", 3, 3)
        answer(store, 18, SAME, 3)


def launch(home: Path, clock: Clock, day: int, hour: int = 8) -> App:
    wall = START + timedelta(days=day, hours=hour - 8)
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=clock,
              wall_clock=lambda: wall + timedelta(seconds=clock.now), tray_available=False)
    app.window.resize(*SIZE)
    app.window.show()
    return app


def report_page(pdf: Path, out: Path, heading: str) -> None:
    """Render the report's page that has ``heading`` (pdftoppm, 60 dpi, as the other
    report screenshot)."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        print("pdftoppm/pdftotext not found (poppler-utils): report page not rendered",
              file=sys.stderr)
        return
    page = 1
    while True:
        text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"],
                              capture_output=True, text=True)
        if text.returncode != 0 or not text.stdout.strip():
            print(f"no page of the report has '{heading}'", file=sys.stderr)
            return
        if heading in text.stdout.splitlines():
            break
        page += 1
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page),
                    "-singlefile", str(pdf), str(out.with_suffix(""))], check=True)
    print(f"saved {out} (page {page})")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    QApplication.instance() or QApplication(sys.argv)
    clock = Clock()
    with tempfile.TemporaryDirectory() as folder:
        # Saturday of week 2, after the spike: the advice has turned to "repeat".
        home = Path(folder) / "spike"
        make_history(home, through=12)
        app = launch(home, clock, 12, hour=19)
        save(app.window, out / "today-advice-after-spike.png")
        app.close()

        # Too few pain scores to judge the end of the phase.
        home = Path(folder) / "unscored"
        make_history(home, scored=False)
        app = launch(home, clock, 12)
        save(app.window, out / "today-advice-unknown.png")
        app.close()

        # Thursday of week 3: the day after the Wednesday session.
        home = Path(folder) / "weeks"
        make_history(home, through=16)
        home_without = Path(folder) / "without-worse"
        shutil.copytree(home, home_without)
        app = launch(home, clock, 17)
        box = app.ask_next_day()
        box.resize(760, 560)
        QTest.keyClick(box, Qt.Key.Key_W)
        QTest.keyClick(box, Qt.Key.Key_5)
        save(box, out / "next-day-check.png")
        QTest.keyClick(box, Qt.Key.Key_Return)
        app.close()
        # Without that answer, week 4 brings the plank's step, with the ways to ease it.
        app = launch(home_without, clock, 21)
        save(app.window, out / "today-progression.png")
        app.close()

        # Monday of week 4: the plank waits at 20 s.
        home = Path(folder) / "week-four"
        make_history(home)
        app = launch(home, clock, 21)
        save(app.window, out / "today-progression-held.png")
        player = app.start_routine("phase-2-strength")
        player._before_scale.choose(4)
        while not player.controller.finished:
            clock.now += 1.0
            if player.controller.engine.current.is_open:
                player.controller.enter()
            player.controller.update_now()
        player.resize(*SIZE)
        QTest.qWait(1500)                  # the end-of-session flash has faded
        summary = player._summary_view
        summary.pain_after.choose(5)
        save(player, out / "session-summary-moderate.png")
        summary.lasted.answer(True)
        save(player, out / "session-summary-lasting.png")
        summary.lasted.answer(False)
        summary.effort.choose(5)
        QTest.keyClick(summary.note, Qt.Key.Key_Return)      # saves the answers, closes
        pdf = Path(folder) / "report.pdf"
        print(app.export("pdf", pdf))
        report_page(pdf, out / "report-next-day.png", "The day after")
        report_page(pdf, out / "report-doses.png", "Progressions: the dose given")
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
