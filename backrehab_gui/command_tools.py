"""What every `backrehab` subcommand shares: exit codes, bad-argument errors, printing
text from routine files safely, reading dates and weekdays, finding an id with a
"did you mean", and loading the person's routines.
"""

from __future__ import annotations

import argparse
import difflib
import sys
from datetime import date

from .core.fields import MAX_WEEKS
from .core.loading import Library
from .core.plaintext import printable
from .core.schedule import parse_weekdays
from .core.wording import plural
from .infra import paths, routines

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MAX_PLAN_WEEKS = 5 * MAX_WEEKS
"""The furthest `plan --weeks` and `show --week` look ahead (ten years)."""


class UsageError(Exception):
    """Bad arguments: exit code 2."""


def say(text: str = "", *, err: bool = False) -> None:
    """Print a line that may hold routine text: control characters are shown as escapes."""
    print(printable(text, newlines=True), file=sys.stderr if err else sys.stdout)


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-01-05") from None


def weekdays_arg(text: str) -> tuple[int, ...]:
    try:
        return parse_weekdays(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def library_for(args: argparse.Namespace) -> Library:
    """The person's routines (bundled and their own, from ``--data``); entries with
    problems are left out, and a line on stderr says so."""
    lib = routines.load_for_app(paths.data_dir(args.data))
    if lib.problems:
        say(f"backrehab: {plural(len(lib.problems), 'problem')} in routine files; those "
            "entries are left out (see `backrehab validate`)", err=True)
    return lib


def find(table: dict, wanted: str, kind: str):
    """``table[wanted]``, or a UsageError with the closest id or where to look."""
    if wanted in table:
        return table[wanted]
    close = difflib.get_close_matches(wanted, list(table), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f"; `backrehab list` shows the {kind}s"
    raise UsageError(f"there is no {kind} '{wanted}'{hint}")
