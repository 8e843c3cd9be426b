"""Save screenshots of the routine editor and of a printed handout page for the docs.

    .venv/bin/python scripts/screenshot_editor.py [OUT_DIR]

Opens the real editor offscreen at 1366x800 on a copy of the evening block,
with a custom exercise added and its dose being changed, and saves
docs/screenshots/editor.png; then prints that routine's handout and saves its
first page, rendered by pdftoppm (poppler-utils) at 80 dpi, as
docs/screenshots/handout.png.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication  # noqa: E402

from backrehab_gui.infra import routines  # noqa: E402
from backrehab_gui.ui.editor.window import RoutineEditor  # noqa: E402
from backrehab_gui.ui.handout import Handout, write_handout  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SIZE = (1366, 800)


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    out_dir.mkdir(parents=True, exist_ok=True)
    qapp = QApplication.instance() or QApplication(sys.argv)
    qapp.setApplicationName("BackRehab")
    with tempfile.TemporaryDirectory() as home:
        data = Path(home)
        library = routines.load_for_app(data)
        editor = RoutineEditor(data, library, library.routines["daily-evening"], copy=True)
        editor.resize(*SIZE)
        editor.show()
        editor.name.setText("Evening for Sam, week 3")
        form = editor.exercise_form()
        form.name.setText("Hamstring stretch against a wall")
        form.category.setCurrentIndex(form.category.findData("stretch"))
        form.steps.setPlainText("Lie on your back in a doorway, one leg through it.\n"
                                "Rest the other heel on the wall.\n"
                                "Slide closer until you feel a gentle stretch.")
        form.key_cue.setText("Keep the other leg long on the floor.")
        form.why.setText("It eases tight hamstrings that pull on the pelvis.")
        form.stop_if.setPlainText("Pain or tingling runs down the leg.")
        form.dose.kind.setCurrentIndex(form.dose.kind.findData("hold"))
        form.dose.hold.setValue(30)
        form.dose.sides.setCurrentIndex(form.dose.sides.findData("both"))
        for choice, part in ((form.start, "start"), (form.end, "end")):
            index = choice.combo.findText(f"Lying hamstring stretch with towel, {part}")
            if index < 0:
                raise SystemExit(f"no drawing 'Lying hamstring stretch with towel, {part}' to pick")
            choice.combo.setCurrentIndex(index)
        if not form.try_accept():
            raise SystemExit("the custom exercise did not pass its checks")
        editor.items.setCurrentRow(2)  # the banded bridge: 3 x 12 becomes 3 x 15
        dose = editor.item_editor.dose
        editor.item_editor.usual.setChecked(False)
        dose.sets.setValue(3)
        dose.reps.low.setValue(15)
        editor.item_editor.note.setPlainText("Three sets from this week; stop at two if your "
                                             "back complains.")
        editor.check_now()
        editor.picker.search.setText("bridge")
        QApplication.processEvents()
        editor.grab().save(str(out_dir / "editor.png"))
        print(f"saved {out_dir / 'editor.png'}")
        routine = editor.model
        pdf = data / "handout.pdf"
        write_handout(pdf, Handout(editor.checked.library, routines=[routine], name="Sam Taylor",
                                   note="Every evening, slowly. Three sets of the bridge from "
                                   "this week; go back to two if your back complains.",
                                   day=date(2026, 3, 2)))
        if shutil.which("pdftoppm") is None:
            print("pdftoppm (poppler-utils) is missing: no handout picture", file=sys.stderr)
            return 1
        subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(out_dir / "handout")], check=True)
        print(f"saved {out_dir / 'handout.png'}")
        editor.close()
    del qapp
    return 0


if __name__ == "__main__":
    sys.exit(main())
