"""Save screenshots of the questionnaires (PEG and the PSFS) for the docs.

    .venv/bin/python scripts/screenshot_measures.py [OUT_DIR]

Renders the real windows offscreen with made-up clocks and temporary data folders,
then saves:

    measures-psfs-name.png      right after enrolling: name 3 to 5 activities
    measures-psfs-rate.png      ... and rate each (two rated, the third in focus)
    measures-peg.png            week 3's first session, after the urgent-sign check:
                                PEG (1 of 2), two questions answered
    measures-peg-high-contrast.png   ... in high contrast at 125 % text
    measures-psfs-again.png     ... then the PSFS (2 of 2): the same activities re-rated
    history-measures.png        History with six weeks of answers (screenshot_history's
                                made-up history), the questionnaire charts at the bottom
    measures-chart-dark.png     the questionnaire charts in the dark theme
    measures-chart-high-contrast.png   ... and in high contrast at 150 % text
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, time, timedelta, timezone
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from PySide6.QtCore import QDate, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.core import measures as ms  # noqa: E402
from backrehab_gui.core.schedule import Enrolment  # noqa: E402
from backrehab_gui.infra.keep_awake import RecordingKeepAwake  # noqa: E402
from backrehab_gui.infra.record import save_answer  # noqa: E402
from backrehab_gui.infra.settings import Settings, SettingsStore  # noqa: E402
from backrehab_gui.infra.sound import RecordingSoundPlayer  # noqa: E402
from backrehab_gui.infra.speech import RecordingSpeaker  # noqa: E402
from backrehab_gui.infra.store import HistoryStore  # noqa: E402
from backrehab_gui.ui import theme  # noqa: E402
from backrehab_gui.ui.app import App  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NOW = datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=1)))
"""A Monday: the first day of program week 3 below."""
SIZE = (1100, 760)
ACTIVITIES = ("Putting on socks", "Sitting through a film", "Lifting a shopping bag")


def make_app(home: Path) -> App:
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=lambda: 0.0, wall_clock=lambda: NOW,
              tray_available=False)
    app.window.resize(*SIZE)
    app.window.show()
    return app


def save(widget, path: Path) -> None:
    for _ in range(3):
        QApplication.processEvents()
    widget.grab().save(str(path))
    print(f"saved {path}")


def shown(app: App):
    return app.today_view.pages.currentWidget()


def at_enrolment(folder: Path, out: Path) -> None:
    home = folder / "enrolling"
    SettingsStore(home).save(Settings(welcome_done=True, screened_on=NOW.date().isoformat()))
    app = make_app(home)
    form = shown(app)
    form.start.setDate(QDate(2026, 11, 23))
    form.save.click()
    psfs = shown(app)
    for edit, name in zip(psfs.names, ACTIVITIES):
        edit.setText(name)
    psfs.names[2].setFocus()
    save(app.window, out / "measures-psfs-name.png")
    QTest.keyClick(psfs, Qt.Key.Key_Return)
    QTest.keyClick(psfs.ratings[0], Qt.Key.Key_2)
    QTest.keyClick(psfs.ratings[1], Qt.Key.Key_4)
    save(app.window, out / "measures-psfs-rate.png")
    app.close()


def week_three(folder: Path, out: Path) -> None:
    home = folder / "week-three"
    start = NOW.date() - timedelta(weeks=2)
    with HistoryStore.open(home) as store:
        store.save_enrolment(Enrolment("lower-back-8-weeks", start))
        for week, (peg, psfs) in enumerate((((6, 5, 6), (2, 3, 3)), ((5, 5, 5), None))):
            day = start + timedelta(weeks=week)
            moment = datetime.combine(day, time(18, 0), NOW.tzinfo)
            save_answer(store, ms.peg(day, *peg), moment)
            if psfs:
                save_answer(store, ms.psfs(day, ACTIVITIES, psfs), moment)
    SettingsStore(home).save(Settings(welcome_done=True, screened_on=start.isoformat(),
                                      checked_on=(start + timedelta(weeks=1)).isoformat()))
    app = make_app(home)
    app.start_routine("daily-evening")
    QTest.keyClick(shown(app), Qt.Key.Key_N)            # the urgent-sign check: none
    peg = shown(app)
    QTest.keyClick(peg.ratings[0], Qt.Key.Key_4)
    QTest.keyClick(peg.ratings[1], Qt.Key.Key_3)
    save(app.window, out / "measures-peg.png")
    theme.apply(QApplication.instance(), "high-contrast", 1.25)
    save(app.window, out / "measures-peg-high-contrast.png")
    theme.apply(QApplication.instance(), "system", 1.0)
    QTest.keyClick(peg.ratings[2], Qt.Key.Key_4)
    QTest.keyClick(peg, Qt.Key.Key_Return)
    psfs = shown(app)
    QTest.keyClick(psfs.ratings[0], Qt.Key.Key_5)
    save(app.window, out / "measures-psfs-again.png")
    app.close()


def history(folder: Path, out: Path) -> None:
    import screenshot_history as sh

    from backrehab_gui.ui.history_view import HistoryView

    store, library, calendar, _program = sh.make_history(folder / "history")
    for week in range(6):
        day = sh.START + timedelta(weeks=week)
        moment = datetime.combine(day, time(19, 0), sh.TZ)
        pain = (7, 6, 6, 5, 4, 4)[week]
        save_answer(store, ms.peg(day, pain, max(0, pain - 1), pain), moment)
        if week % 2 == 0:
            save_answer(store, ms.psfs(day, ACTIVITIES, ((2, 3, 1), (4, 4, 3),
                                                         (6, 5, 4))[week // 2]), moment)
    view = HistoryView(store, library, calendar, lambda: sh.TODAY)
    view.resize(1366, 900)
    view.show()
    view.show_day(sh.SHOWN_DAY)
    save(view, out / "history-measures.png")
    qapp = QApplication.instance()
    panel = view.measures_panel
    for name, scale in (("dark", 1.0), ("high-contrast", 1.5)):
        theme.apply(qapp, name, scale)
        view.resize(1366, 1000 if scale > 1 else 900)
        save(panel, out / f"measures-chart-{name}.png")
    theme.apply(qapp, "system", 1.0)
    view.close()
    store.close()


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        at_enrolment(folder, out)
        week_three(folder, out)
        history(folder, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
