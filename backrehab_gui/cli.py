"""The `backrehab` command.

With no arguments it opens the app as fast as it can: nothing but Qt and the
window frame is loaded before the window is on screen. Anything else goes to
the subcommands in ``commands`` (validate, list, show, plan, export, schema).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else list(argv)
    if not given:
        # Plain `backrehab`, the way a desktop launches it: straight to the window.
        from .ui.launch import run_gui

        return run_gui()
    from .commands import main as run_command

    return run_command(given)
