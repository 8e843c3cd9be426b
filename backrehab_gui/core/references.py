"""Where a routine file names other entries, read from the raw data.

The checker reads references from validated entries. An entry with problems
of its own never becomes a model, yet the ids it names must still be checked,
or a misspelt exercise id would only appear once every other problem of the
entry was fixed. So the same references are read here from the data as
written, with every level checked for its type, since nothing about a broken
entry is sure.
"""

from __future__ import annotations

from collections.abc import Iterator

ANY = "*"
"""A pattern step that matches every index of a list."""

PATTERNS: dict[str, tuple[tuple[tuple, str], ...]] = {
    "exercises": (
        (("dose", "source"), "sources"),
        (("easier", ANY), "exercises"),
        (("harder", ANY), "exercises"),
        (("neutral_instead",), "exercises"),
    ),
    "routines": (
        (("exercises", ANY, "exercise"), "exercises"),
        (("exercises", ANY, "dose", "source"), "sources"),
    ),
    "programs": (
        (("phases", ANY, "sessions", ANY, "routine"), "routines"),
        (("phases", ANY, "daily", ANY, "routine"), "routines"),
        (("daily", ANY, "routine"), "routines"),
        (("maintenance", "sessions", ANY, "routine"), "routines"),
        (("progressions", ANY, "exercise"), "exercises"),
    ),
    "safety": (
        (("avoid", ANY, "instead", ANY), "exercises"),
        (("avoid", ANY, "covers", ANY), "exercises"),
    ),
    "sources": (),
}
"""section -> (path pattern inside one entry, the section the id there names)."""


def references(section: str, entry: object) -> Iterator[tuple[tuple, str, str]]:
    """(path inside the entry, section referred to, id) for each id ``entry`` names.

    Values that are not text are left out: the entry's own problems name them.
    """
    for pattern, target in PATTERNS[section]:
        for path, value in _match(entry, pattern, ()):
            if isinstance(value, str):
                yield path, target, value


def _match(value: object, pattern: tuple, path: tuple) -> Iterator[tuple[tuple, object]]:
    if not pattern:
        yield path, value
        return
    step, rest = pattern[0], pattern[1:]
    if step == ANY:
        if isinstance(value, list):
            for index, item in enumerate(value):
                yield from _match(item, rest, path + (index,))
    elif isinstance(value, dict) and step in value:
        yield from _match(value[step], rest, path + (step,))
