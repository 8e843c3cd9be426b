"""Save screenshots of the real exercise library view for the docs.

    .venv/bin/python scripts/screenshot_library.py [--avoid] [OUT_DIR]

Loads the bundled routine files as the app does, shows the library view
offscreen at a laptop's 1366x768 with a search typed and an exercise chosen,
and saves docs/screenshots/library.png. With --avoid it shows the list of
things to avoid instead (for a look; the docs keep only the first).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.infra import routines  # noqa: E402
from backrehab_gui.ui.library_view import LibraryView  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 768)


def save(view: LibraryView, out: Path) -> None:
    QApplication.processEvents()
    view.grab().save(str(out))
    print(f"saved {out}")


def main() -> int:
    args = [a for a in sys.argv[1:] if a != "--avoid"]
    out_dir = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv)
    qapp.setApplicationName("BackRehab")
    with tempfile.TemporaryDirectory() as home:
        library = routines.load_for_app(Path(home))
    view = LibraryView(library)
    view.setWindowTitle("BackRehab: exercise library")
    view.resize(*SIZE)
    view.show()
    # A search a person might type, and an exercise with a caution and variants.
    view.search.setText("extension")
    view.select("back-extension", focus_list=True)
    if "--avoid" in sys.argv:
        view.search.clear()
        view.show_avoid()
        save(view, out_dir / "library-avoid.png")
    else:
        save(view, out_dir / "library.png")
    view.close()
    del qapp
    return 0


if __name__ == "__main__":
    sys.exit(main())
