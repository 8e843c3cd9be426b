"""Save screenshots of the real player window for the docs.

    .venv/bin/python scripts/screenshot_player.py [OUT_DIR]

Runs the bundled evening block in the real PlayerWindow (offscreen, with a
silent speaker and a made-up clock so the moment shown is always the same) and
saves docs/screenshots/player.png (a laptop screen) and player-rest.png.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.infra.keep_awake import RecordingKeepAwake  # noqa: E402
from backrehab_gui.infra.settings import Settings, SettingsStore  # noqa: E402
from backrehab_gui.infra.sound import RecordingSoundPlayer  # noqa: E402
from backrehab_gui.infra.speech import RecordingSpeaker  # noqa: E402
from backrehab_gui.ui.app import App  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


class ScriptedClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def shoot(app: App, clock: ScriptedClock, routine: str, seconds: float, size: tuple[int, int],
          out: Path) -> None:
    player = app.start_routine(routine)
    player.confirm_stop = lambda: True
    player._before_scale.skip()  # the pain question: skipped
    player.showNormal()  # the first session opens maximised; this one shows a set size
    player.resize(*size)
    controller = player.controller
    while clock.now < seconds:
        clock.now += 0.05
        controller.update_now()
    QApplication.processEvents()
    player._flash.hide()  # a screenshot mid-flash shows a washed-out window
    player.grab().save(str(out))
    print(f"saved {out}")
    player.close()
    clock.now += 1


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv)
    clock = ScriptedClock()
    with tempfile.TemporaryDirectory() as home:
        # A person who has been through the welcome and the safety questions.
        # The weekly urgent-sign check is answered too: this run's real date.
        SettingsStore(Path(home)).save(Settings(welcome_done=True, screened_on="2026-11-02",
                                                checked_on=date.today().isoformat()))
        app = App(Path(home), speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
                  keep_awake=RecordingKeepAwake(), clock=clock)
        # 40 s into the evening block: the dead bug, mid-rep.
        shoot(app, clock, "daily-evening", clock.now + 41.3, (1366, 768),
              out_dir / "player.png")
        # The rest before the bridges, a moment before the next exercise.
        shoot(app, clock, "daily-evening", clock.now + 106.0, (1366, 768),
              out_dir / "player-rest.png")
        # Full HD, half way through the 90/90 hip stretch on the right side.
        shoot(app, clock, "daily-evening", clock.now + 484.0, (1920, 1080),
              out_dir / "player-full-hd.png")
        app.close()
    del qapp
    return 0


if __name__ == "__main__":
    sys.exit(main())
