"""Check the text an editor is about to save, and say which field each problem is about.

The routine editor must judge by exactly the rules of ``backrehab validate``,
so it does not validate on its own: it renders the file it would save, runs
it through the loader beside every other routine file (``loading.parse_text``
and ``loading.combine``), and maps each problem's line and column back to the
path of the value in the data ("routines", 0, "exercises", 2, "dose", "reps"),
which the editor turns into the widget to mark.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .loading import Library, ParsedFile, Problem, combine, parse_text
from .yamlsafe import Place, YamlProblem, load_yaml


@dataclass(frozen=True)
class Located:
    """A problem and the data path it concerns (empty when it concerns the whole file)."""

    problem: Problem
    path: tuple

    @property
    def message(self) -> str:
        return self.problem.message


@dataclass
class Checked:
    """The outcome of checking a file's text."""

    library: Library
    """Everything loaded, the checked text included."""
    problems: list[Located]
    """Problems in the checked text only."""
    data: object
    """The text's plain data (None when it is not valid YAML)."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def index_of(self, section: str, ident: str) -> int | None:
        """Where the entry with ``ident`` sits in ``section`` of the checked text."""
        entries = self.data.get(section) if isinstance(self.data, dict) else None
        for index, entry in enumerate(entries if isinstance(entries, list) else ()):
            if isinstance(entry, dict) and entry.get("id") == ident:
                return index
        return None


def check_text(text: str, name: str, folder: Path | None, others: Sequence[ParsedFile],
               asset_roots: Sequence[Path] = ()) -> Checked:
    """Load ``text`` as the file ``name`` in ``folder`` beside ``others``."""
    parsed = parse_text(text, name, folder)
    library = combine([*others, parsed], asset_roots)
    try:
        data, source_map = load_yaml(text)
    except YamlProblem:
        data, places = None, {}
    else:
        places = _paths_by_place(source_map.keys, source_map.values)
    own = [p for p in library.problems if p.file == name]
    return Checked(library, [Located(p, _path_of(p, places)) for p in own], data)


def _paths_by_place(keys: dict, values: dict) -> dict[Place, list[tuple]]:
    places: dict[Place, list[tuple]] = {}
    for table in (keys, values):
        for path, (line, column) in table.items():
            places.setdefault(Place(line, column), []).append(tuple(path))
    return places


def _path_of(problem: Problem, places: dict[Place, list[tuple]]) -> tuple:
    if problem.line is None:
        return ()
    candidates = places.get(Place(problem.line, problem.column or 1), [])
    if not candidates:
        return ()
    # A mapping starts where its first key does: the field name decides between them.
    last = problem.field.rsplit(".", 1)[-1]
    named = [p for p in candidates if p and isinstance(p[-1], str) and p[-1] == last]
    return max(named, key=len) if named else min(candidates, key=len)
