"""`backrehab import`: bring in a routine file or a folder a therapist sent, as the app's
Import does (the same checks, the same copy, the same question before replacing).

    backrehab import PATH              check and copy in; a new version of what you have
                                       is shown, and nothing is changed (exit 1)
    backrehab import PATH --replace    the same, replacing it; the old files are kept

The command line asks no questions: what the app asks in a panel is printed, and
``--replace`` is the answer.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from .core.plaintext import printable
from .core.wording import plural
from .infra import paths

EXIT_OK, EXIT_PROBLEMS = 0, 1


def add_parsers(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="import a routine file or a folder a therapist sent",
                       description="Check a routine file, or a folder of them with their "
                       "pictures, and copy it into your routines folder. A new version of a "
                       "routine you have is shown with what changes; --replace replaces it, "
                       "keeping the old file in the 'replaced' folder of your data folder.")
    p.add_argument("path", type=Path, metavar="PATH", help="a .yaml file or a folder")
    p.add_argument("--replace", action="store_true",
                   help="replace the routines (and exercises) you have that it brings a new "
                   "version of")
    p.set_defaults(handler=cmd_import)


def _say(text: str, *, err: bool = False) -> None:
    print(printable(text, newlines=True), file=sys.stderr if err else sys.stdout)


def cmd_import(args: argparse.Namespace) -> int:
    from .infra.put_aside import KEPT_FOLDER, ReplaceFailed
    from .infra.routine_import import import_path

    data = paths.data_dir(args.data)
    name = args.path.name or str(args.path)
    try:
        result = import_path(args.path, data, replace=args.replace,
                             now=datetime.now())
    except ReplaceFailed as err:
        _say(f"backrehab import: {name}: {err.message}.", err=True)
        return EXIT_PROBLEMS
    except OSError as err:
        where = f" ({err.filename})" if err.filename else ""
        _say(f"backrehab import: {name} was not imported: {err.strerror or err}{where}. Your "
             "routines folder was not changed.", err=True)
        return EXIT_PROBLEMS
    if result.breaks and not result.problems:
        _say(f"backrehab import: not imported: {result.breaks_message(name, data)}",
             err=True)
        for problem in result.breaks:
            _say(str(problem), err=True)
        return EXIT_PROBLEMS
    if result.problems:
        count = len(result.problems)
        for problem in result.problems:
            _say(str(problem), err=True)
        _say(f"backrehab import: {name} was not imported: {plural(count, 'problem')} (above), "
             "so nothing was copied.", err=True)
        return EXIT_PROBLEMS
    if result.asks:
        _say(f"{name} is a new version of what you have. Importing it would change this:")
        for line in result.replacing.changes:
            _say(line)
        _say(f"Nothing was changed. To replace, run again with --replace; the old files are "
             f"then kept in {data / KEPT_FOLDER}.", err=True)
        return EXIT_PROBLEMS
    if result.already:
        _say(f"You already have everything in {name}, exactly as sent; nothing was changed.")
        return EXIT_OK
    if result.kept is not None:
        for line in result.replacing.changes:
            _say(line)
        _say(f"Imported {name} into your routines folder in place of the old version: "
             f"{result.target}\nThe old files are kept in {result.kept}")
        return EXIT_OK
    pictures = len(result.pictures)
    with_pictures = f" with {plural(pictures, 'picture')}" if pictures else ""
    _say(f"Imported {name}{with_pictures} into your routines folder: {result.target}")
    return EXIT_OK
