"""Save a screenshot of the real settings view for the docs.

    .venv/bin/python scripts/screenshot_settings.py [OUT_DIR] [THEME ...]

Renders SettingsView offscreen at 1366x768 with a recording speaker that knows
a few espeak voices, and saves docs/screenshots/settings.png (light theme).
Name other themes ('dark', 'high-contrast', 'system', optionally with a
text size: 'dark:1.5') to also save settings-<theme>-<size>.png next to it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.infra.settings import Settings  # noqa: E402
from backrehab_gui.infra.sound import RecordingSoundPlayer  # noqa: E402
from backrehab_gui.infra.speech import RecordingSpeaker  # noqa: E402
from backrehab_gui.ui import theme  # noqa: E402
from backrehab_gui.ui.settings_view import SettingsView  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)
# Shown only, never written: the same path in every screenshot.
DATA = Path("/home/you/.local/share/BackRehab")
VOICES = [("gmw/af", "Afrikaans"), ("roa/ca", "Catalan"), ("gmw/en", "English (Great Britain)"),
          ("gmw/en-us", "English (America)"), ("gmw/de", "German"), ("roa/es", "Spanish")]


def shoot(qapp: QApplication, name: str, scale: float, out: Path, data: Path) -> None:
    theme.apply(qapp, name, scale)
    settings = Settings(theme=name, text_scale=scale, voice_id="gmw/en-us",
                        remind_midday="")
    view = SettingsView(settings, RecordingSpeaker(VOICES), RecordingSoundPlayer(), data,
                        default_dir=data, choose_folder=lambda _start: None,
                        confirm=lambda _question: False)
    view.resize(*SIZE)
    view.show()
    QApplication.processEvents()
    view.grab().save(str(out))
    print(f"saved {out}")
    view.close()
    view.deleteLater()
    QApplication.processEvents()


def main() -> int:
    args = sys.argv[1:]
    out_dir = Path(args.pop(0)) if args else ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv)
    shoot(qapp, "light", 1.0, out_dir / "settings.png", DATA)
    for name in args:
        scale = 1.0
        if ":" in name:
            name, text = name.split(":")
            scale = float(text)
        shoot(qapp, name, scale, out_dir / f"settings-{name}-{scale:g}.png", DATA)
    theme.apply(qapp, "system", 1.0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
