"""Save screenshots of the red-flag screens and "Stop: it hurts" for the docs.

    .venv/bin/python scripts/screenshot_safety.py [OUT_DIR]

Renders the real windows offscreen with made-up clocks and a temporary data
folder, then saves (the questions in two tiers are first-run-red-flags.png, from
screenshot_app.py):

    safety-lock-today.png        an emergency answer: get medical help today (no unlock)
    safety-lock-later.png        the next day: the deliberate confirmation, ticked
    safety-weekly-check.png      the first session of a program week: the urgent signs
    player-hurt-button.png       a session, with the "Stop: it hurts" button
    player-hurt-what.png         what happened?
    player-hurt-options.png      sharper back pain: the easier variant offered first
    player-hurt-check.png        pain down a leg: the urgent signs in the player
    player-hurt-emergency.png    an urgent sign: the session ends, get help today
    report-safety.png            the report's first page with its safety section
                                 (pdftoppm, 70 dpi)
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

from backrehab_gui.core.schedule import Enrolment  # noqa: E402
from backrehab_gui.infra.keep_awake import RecordingKeepAwake  # noqa: E402
from backrehab_gui.infra.settings import Settings, SettingsStore  # noqa: E402
from backrehab_gui.infra.sound import RecordingSoundPlayer  # noqa: E402
from backrehab_gui.infra.speech import RecordingSpeaker  # noqa: E402
from backrehab_gui.infra.store import HistoryStore  # noqa: E402
from backrehab_gui.ui.app import App  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=1)))
"""A Monday: the first day of program week 2 below."""
SIZE = (1100, 760)
PLAYER = (1366, 768)


class Clocks:
    """The app's monotonic clock and its wall clock, moved together."""

    def __init__(self, day_offset: int = 0) -> None:
        self.now = 0.0
        self.start = NOW + timedelta(days=day_offset)

    def __call__(self) -> float:
        return self.now

    def wall(self) -> datetime:
        return self.start + timedelta(seconds=self.now)


def make_app(home: Path, clocks: Clocks) -> App:
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=clocks, wall_clock=clocks.wall,
              tray_available=False)
    app.window.resize(*SIZE)
    app.window.show()
    return app


def save(widget, path: Path) -> None:
    for _ in range(3):
        QApplication.processEvents()
    flash = getattr(widget, "_flash", None)
    if flash is not None:
        flash.hide()    # a screenshot mid-flash shows a washed-out window
    widget.grab().save(str(path))
    print(f"saved {path}")


def advance(app: App, clocks: Clocks, seconds: float) -> None:
    end = clocks.now + seconds
    while clocks.now < end:
        clocks.now += 0.1
        app.player.controller.update_now()


def lock_screens(folder: Path, out: Path) -> None:
    home = folder / "first-run"
    app = make_app(home, Clocks())
    flow = app.today_view.pages.currentWidget()
    flow.welcome_next.click()
    for flag_id, group in flow.flag_groups.items():
        group.button(1 if flag_id in ("saddle-numbness", "pain-down-legs") else 0).setChecked(True)
    flow.flags_next.click()
    save(app.window, out / "safety-lock-today.png")
    app.close()

    app = make_app(home, Clocks(day_offset=2))
    lock = app.today_view.pages.currentWidget()
    lock.confirm.setChecked(True)
    save(app.window, out / "safety-lock-later.png")
    app.close()


def session_screens(folder: Path, out: Path) -> Path:
    home = folder / "week-two"
    with HistoryStore.open(home) as store:
        store.save_enrolment(Enrolment("lower-back-8-weeks", NOW.date() - timedelta(weeks=1)))
    SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-16"))
    clocks = Clocks()
    app = make_app(home, clocks)
    app.start_routine("daily-evening")
    save(app.window, out / "safety-weekly-check.png")
    QTest.keyClick(app.today_view.pages.currentWidget(), Qt.Key.Key_N)
    # The questionnaires that follow (screenshot_measures.py): skipped.
    QTest.keyClick(app.today_view.pages.currentWidget(), Qt.Key.Key_Escape)
    player = app.player
    player.confirm_stop = lambda: True
    player.resize(*PLAYER)
    player._before_scale.skip()
    advance(app, clocks, 21.3)
    save(player, out / "player-hurt-button.png")
    QTest.keyClick(player, Qt.Key.Key_H)
    save(player, out / "player-hurt-what.png")
    QTest.keyClick(player, Qt.Key.Key_1)
    save(player, out / "player-hurt-options.png")
    QTest.keyClick(player, Qt.Key.Key_E)            # on with the easier variant
    advance(app, clocks, 40.0)
    QTest.keyClick(player, Qt.Key.Key_H)
    QTest.keyClick(player, Qt.Key.Key_2)
    save(player, out / "player-hurt-check.png")
    player.hurt.view.check.boxes["leg-weakness-worsening"].setChecked(True)
    QTest.keyClick(player, Qt.Key.Key_Return)
    save(player, out / "player-hurt-emergency.png")
    QTest.keyClick(player, Qt.Key.Key_Return)
    pdf = folder / "report.pdf"
    print(app.export("pdf", pdf))
    app.close()
    return pdf


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        lock_screens(folder, out)
        pdf = session_screens(folder, out)
        if shutil.which("pdftoppm") is None:
            print("pdftoppm not found (poppler-utils): report page not rendered",
                  file=sys.stderr)
            return 1
        page = out / "report-safety.png"
        subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(page.with_suffix(""))], check=True)
        print(f"saved {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
