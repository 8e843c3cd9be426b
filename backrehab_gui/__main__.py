"""python -m backrehab_gui: the same as the `backrehab` command."""

import sys

from backrehab_gui.cli import main

sys.exit(main())
