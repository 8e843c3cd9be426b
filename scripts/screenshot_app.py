"""Save screenshots of the main window's screens for the docs.

    .venv/bin/python scripts/screenshot_app.py [OUT_DIR]

Renders the real windows offscreen with made-up clocks and a temporary data
folder: the first-run welcome, the red-flag questions, the enrolment form, the
Today view three weeks into the program, the summary after a session (with the
pain questions), the Today view in the high-contrast theme at 150% text, and
Today and the exercise library for someone whom bending forward hurts.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.core.schedule import Enrolment  # noqa: E402
from backrehab_gui.infra.keep_awake import RecordingKeepAwake  # noqa: E402
from backrehab_gui.infra.settings import Settings, SettingsStore  # noqa: E402
from backrehab_gui.infra.sound import RecordingSoundPlayer  # noqa: E402
from backrehab_gui.infra.speech import RecordingSpeaker  # noqa: E402
from backrehab_gui.infra.store import HistoryStore  # noqa: E402
from backrehab_gui.ui import theme  # noqa: E402
from backrehab_gui.ui.app import App  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=1)))
SIZE = (1100, 700)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_app(home: Path, clock: Clock) -> App:
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=clock,
              wall_clock=lambda: NOW + timedelta(seconds=clock.now), tray_available=False)
    app.window.resize(*SIZE)
    app.window.show()
    return app


def save(widget, path: Path) -> None:
    for _ in range(3):  # let layouts settle after a theme or text-size change
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"saved {path}")


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv)
    clock = Clock()
    with tempfile.TemporaryDirectory() as folder:
        home = Path(folder) / "first-run"
        app = make_app(home, clock)
        save(app.window, out / "first-run-welcome.png")
        flow = app.today_view.pages.currentWidget()
        flow.welcome_next.click()
        save(app.window, out / "first-run-red-flags.png")
        for group in flow.flag_groups.values():
            group.button(0).setChecked(True)
        flow.flags_next.click()
        for box in flow.checks.values():
            box.setChecked(True)
        flow.checklist_next.click()
        save(app.window, out / "first-run-plan.png")
        app.close()

        home = Path(folder) / "week-four"
        store = HistoryStore.open(home)
        store.save_enrolment(Enrolment("lower-back-8-weeks", NOW.date() - timedelta(weeks=3)))
        for kind in ("peg", "psfs"):    # the questionnaires: screenshot_measures.py
            store.skip_measure(kind, NOW.date(), NOW)
        store.close()
        SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-02",
                                          checked_on=NOW.date().isoformat()))
        app = make_app(home, clock)
        player = app.start_routine("daily-morning")
        player._before_scale.choose(3)
        while not player.controller.finished:
            clock.now += 0.5
            if player.controller.engine.current.is_open:
                player.controller.enter()
            player.controller.update_now()
        player.showNormal()  # the first session opens maximised
        player.resize(*SIZE)
        player._summary_view.pain_after.choose(5)
        player._summary_view.effort.choose(4)
        save(player, out / "session-summary.png")
        player._summary_view.sig_close.emit()
        save(app.window, out / "today.png")
        theme.apply(qapp, "high-contrast", 1.5)
        app.refresh()
        save(app.window, out / "today-high-contrast.png")
        theme.apply(qapp, "system", 1.0)
        app.close()

        # Someone whom bending forward hurts, on a foundation session day: Today says
        # what was swapped and what the evening block leaves out; so does the library.
        home = Path(folder) / "bending-hurts"
        store = HistoryStore.open(home)
        store.save_enrolment(Enrolment("lower-back-8-weeks", NOW.date(), (0, 2, 4)))
        store.close()
        SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-02",
                                          checked_on=NOW.date().isoformat(),
                                          spine_sensitive="bend-forward"))
        app = make_app(home, clock)
        save(app.window, out / "today-swapped.png")
        tabs = app.window.tabs
        index = next(i for i in range(tabs.count()) if "Exercises" in tabs.tabText(i))
        tabs.setCurrentIndex(index)
        library = app.window.view_of(index)
        library.select("childs-pose")
        save(app.window, out / "library-swapped.png")
        app.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
