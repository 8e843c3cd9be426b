"""What an editor is editing: which file, what else is loaded beside it, check and save.

Every check renders the file exactly as saving would write it (``infra.routine_files``)
and loads it beside every other routine file with the loader's own rules
(``core.routine_check``): what the editor marks is what ``backrehab validate``
would say about the saved file. The other files are parsed once, when the
editor opens.

The bundled files are never a target: editing a bundled routine edits a copy
in the person's routines folder.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ...core import model as m
from ...core import routine_writer as w
from ...core.loading import Library, Origin, ParsedFile, parse_file
from ...core.routine_check import Checked, check_text
from ...core.strict import Strict
from ...infra import paths, routine_files, routines


def slug(text: str, fallback: str = "my-routine") -> str:
    """An id from a name: "Back care, week 2" -> back-care-week-2."""
    ident = re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")[:56]
    return ident or fallback


def free_id(base: str, taken: Sequence[str] | set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not taken."""
    ident, number = base, 2
    while ident in taken:
        ident = f"{base}-{number}"
        number += 1
    return ident


def is_bundled(path: Path) -> bool:
    return path.resolve().is_relative_to(paths.bundled_routines().resolve())


@dataclass
class Document:
    """One file being edited, and everything loaded beside it."""

    path: Path
    others: list[ParsedFile]
    remove: dict[str, list[str]]
    """Ids to take out of the file on save (an entry renamed in the editor)."""

    @classmethod
    def open(cls, data: Path, path: Path) -> Document:
        """Edit ``path`` (in the person's routines folder) beside every other routine file."""
        if is_bundled(path):
            raise ValueError("the bundled routine files are never edited; edit a copy")
        user = paths.user_routines(data)
        files = routines.with_bundled([user] if user.is_dir() else [])
        others = [parse_file(f) for f in files if f.resolve() != path.resolve()]
        return cls(path, others, {})

    @property
    def name(self) -> str:
        return str(self.path)

    def plan(self) -> routine_files.SavePlan:
        return routine_files.plan_save(self.path)

    def text(self, entries: Mapping[str, Sequence[dict]]) -> str:
        return routine_files.render(self.path, entries, self.remove)

    def check(self, entries: Mapping[str, Sequence[dict]]) -> Checked:
        """Load the file as it would be saved, beside all the others."""
        return check_text(self.text(entries), self.name, self.path.parent, self.others,
                          [paths.assets()])

    def save(self, library: Library, section_ids: Mapping[str, Sequence[str]]
             ) -> routine_files.SavePlan:
        """Save the validated entries with these ids from ``library`` (a check's result),
        written as a person would write them; raises routine_files.RoutineFileError."""
        entries = {section: [w.tree(getattr(library, section)[ident], defaults=True)
                             for ident in ids] for section, ids in section_ids.items()}
        plan = routine_files.save(self.path, entries, self.remove)
        self.remove = {}
        return plan


def new_file(data: Path, ident: str) -> Path:
    """A file name for a new routine in the person's routines folder."""
    folder = paths.user_routines(data)
    path = folder / f"{ident}.yaml"
    number = 2
    while path.exists():
        path = folder / f"{ident}-{number}.yaml"
        number += 1
    return path


def starting_point(data: Path, kind: str, entry: m.Routine | m.Program | None,
                   origin: Origin | None, copying: bool, taken: set[str]
                   ) -> tuple[str, str, Document, str | None]:
    """What an editor of a ``kind`` ("routine", "program") starts from: its id, its name,
    the document it saves into and the id it replaces (None for a new entry or a copy).
    A new entry is "my-<kind>"; a copy is "<id>-copy", "<name> (my copy)" in a new file
    (ids made free of ``taken``); otherwise the entry's own id, name and file."""
    if entry is None:
        ident, name = free_id(f"my-{kind}", taken), f"My {kind}"
    elif copying:
        ident, name = free_id(f"{entry.id}-copy", taken), f"{entry.name} (my copy)"
    else:
        ident, name = entry.id, entry.name
    path = Path(origin.file) if entry and not copying else new_file(data, ident)
    original_id = None if copying or entry is None else entry.id
    return ident, name, Document.open(data, path), original_id


def plain(value: object) -> object:
    """Models inside an editor's data (a loaded dose, a kept progression) as plain data."""
    if isinstance(value, Strict):
        return w.tree(value)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
