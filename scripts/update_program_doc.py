"""Rewrite the generated tables in docs/bundled-program.md from the routine files.

Run after changing a bundled routine: `.venv/bin/python scripts/update_program_doc.py`.
tests/core/test_bundled_program.py fails while the page and the files disagree.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from backrehab_gui.core import program_doc
from backrehab_gui.infra.routines import load_for_app

PAGE = Path(__file__).resolve().parent.parent / "docs" / "bundled-program.md"


def main() -> None:
    with tempfile.TemporaryDirectory() as empty:
        library = load_for_app(Path(empty))
    program = library.programs["lower-back-8-weeks"]
    PAGE.write_text(program_doc.fill(PAGE.read_text(encoding="utf-8"), library, program),
                    encoding="utf-8")
    print(f"updated {PAGE.name}")


if __name__ == "__main__":
    main()
