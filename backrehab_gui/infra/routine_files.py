"""Writing routine files: new ones neatly, edited ones with their comments kept.

``core.routine_writer`` turns models into plain data; this module writes it as
YAML with ruamel.yaml. When the file already exists it is read in ruamel's
round-trip mode and only the entries being saved are changed, key by key, so a
therapist's comments, key order and way of writing a value ("1:30" rather
than "90s") survive wherever the value itself did not change. A file that
cannot be read that way (it is not valid YAML) is rewritten whole, after a copy
of it is kept beside it as ``NAME.bak``; ``plan_save`` says which will happen
before anything is written.
"""

from __future__ import annotations

import io
import shutil
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError

from ..core import model as m
from ..core.routine_writer import SECTIONS, Default
from ..core.units import parse_duration
from .export import ExportError, write_atomically

HEADER = ("Made with BackRehab's routine editor. The format is described in "
          "docs/routine-format.md;\nit can be edited by hand, and BackRehab keeps "
          "the comments when it saves.")

# Short mappings and lists read best on one line, as in the bundled files.
_FLOW_KEYS = frozenset({"dose", "tempo", "illustration", "advance", "equipment", "easier",
                        "harder", "instead", "covers"})
_FLOW_ITEMS = frozenset({"cues", "sessions"})


class RoutineFileError(ExportError):
    """A routine file could not be read or written, with a plain message."""


@dataclass(frozen=True)
class SavePlan:
    """What saving to a file will do."""

    path: Path
    exists: bool
    keeps_comments: bool
    """False when the file will be rewritten whole (it is kept as ``backup`` first)."""
    reason: str = ""

    @property
    def backup(self) -> Path:
        return self.path.with_name(self.path.name + ".bak")

    def describe(self) -> str:
        """One sentence for the editor's status line."""
        if not self.exists:
            return f"Saving makes a new file: {self.path.name}"
        if self.keeps_comments:
            return f"Saving changes only this entry in {self.path.name}; its comments stay"
        return (f"Saving rewrites {self.path.name} ({self.reason}); the current file is kept "
                f"as {self.backup.name}")


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode: comments, order and quoting are kept
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # one line per value: wrapped plain text gains trailing spaces
    yaml.preserve_quotes = True
    return yaml


def _read(path: Path) -> CommentedMap | None:
    """The file's document for round-trip editing; None when it does not exist."""
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as err:
        raise RoutineFileError(f"{path.name} cannot be read: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise _Unreadable("it is not UTF-8 text") from err
    try:
        doc = _yaml().load(text)
    except YAMLError as err:
        raise _Unreadable("it is not valid YAML") from err
    if doc is None:
        return CommentedMap()
    if not isinstance(doc, CommentedMap):
        raise _Unreadable("it does not hold sections such as routines")
    return doc


class _Unreadable(Exception):
    pass


def plan_save(path: Path) -> SavePlan:
    """Whether saving to ``path`` keeps its comments; reads the file, writes nothing."""
    try:
        doc = _read(path)
    except _Unreadable as err:
        return SavePlan(path, True, False, str(err))
    return SavePlan(path, doc is not None, True)


def render(path: Path | None, entries: Mapping[str, Sequence[dict]],
           remove: Mapping[str, Sequence[str]] = {}) -> str:
    """The text ``path`` would hold after saving ``entries`` (section -> plain entries,
    matched to existing ones by id) and removing the ids in ``remove``."""
    doc = None
    if path is not None:
        try:
            doc = _read(path)
        except _Unreadable:
            doc = None
    if doc is None:
        doc = CommentedMap()
        doc["format"] = m.FORMAT_VERSION
        doc.yaml_set_start_comment(HEADER)
    for section in SECTIONS:
        wanted = list(entries.get(section, ()))
        gone = set(remove.get(section, ()))
        if not wanted and not gone:
            continue
        current = doc.get(section)
        if not isinstance(current, CommentedSeq):
            current = CommentedSeq()
            if wanted:
                doc[section] = current
        for index in reversed(range(len(current))):
            old = current[index]
            if isinstance(old, Mapping) and old.get("id") in gone:
                del current[index]
        for entry in wanted:
            found = next((i for i, old in enumerate(current)
                          if isinstance(old, Mapping) and old.get("id") == entry["id"]), None)
            if found is None:
                current.append(_styled(entry))  # Default values are left out
            else:
                current[found] = _merge(current[found], entry)
        if section in doc and not doc[section]:
            del doc[section]
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


def save(path: Path, entries: Mapping[str, Sequence[dict]],
         remove: Mapping[str, Sequence[str]] = {}) -> SavePlan:
    """Write ``entries`` into ``path`` (created when missing); returns what was done.
    Raises RoutineFileError with a plain message when it cannot be written."""
    plan = plan_save(path)
    text = render(path, entries, remove)
    try:
        if plan.exists and not plan.keeps_comments:
            shutil.copy2(path, plan.backup)
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise RoutineFileError(f"{path.name} was not saved: {err.strerror or err}") from err
    try:
        write_atomically(path, lambda handle: handle.write(text.encode("utf-8")),
                         what="routine file")
    except ExportError as err:
        raise RoutineFileError(err.message) from err
    return plan


def dump(tree: Mapping) -> str:
    """A new file's text for a plain tree (``routine_writer.file_tree``)."""
    doc = _styled(dict(tree))
    doc.yaml_set_start_comment(HEADER)
    out = io.StringIO()
    _yaml().dump(doc, out)
    return out.getvalue()


# --- Styling new data ------------------------------------------------------------------------


def _styled(value: object, key: str = "") -> object:
    """Plain data as ruamel nodes, short parts on one line like the bundled files."""
    if isinstance(value, Mapping):
        node = CommentedMap()
        for k, v in value.items():
            if not isinstance(v, Default):
                node[k] = _styled(v, k)
        if key in _FLOW_KEYS or key == "item":
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        node = CommentedSeq()
        for v in value:
            node.append(_styled(v, "item" if key in _FLOW_ITEMS else ""))
        if key in _FLOW_KEYS:
            node.fa.set_flow_style()
        return node
    return value


# --- Merging into an existing document ---------------------------------------------------------


def _strip(value: object) -> object:
    """``value`` as a new file would hold it: defaults left out."""
    if isinstance(value, Mapping):
        return {k: _strip(v) for k, v in value.items() if not isinstance(v, Default)}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _same(old: object, new: object) -> bool:
    """Equal in meaning: "1:30" and "90s" are the same duration, 10 and "10" the same count."""
    if isinstance(old, Mapping) or isinstance(new, Mapping):
        return (isinstance(old, Mapping) and isinstance(new, Mapping) and old.keys() ==
                new.keys() and all(_same(old[k], new[k]) for k in new))
    if isinstance(old, list) or isinstance(new, list):
        return (isinstance(old, list) and isinstance(new, list) and len(old) == len(new)
                and all(_same(a, b) for a, b in zip(old, new)))
    if isinstance(old, bool) or isinstance(new, bool):
        return old is new or (isinstance(old, bool) and isinstance(new, bool) and old == new)
    if old == new or str(old).strip() == str(new).strip():
        return True
    try:
        return parse_duration(old) == parse_duration(new)
    except (ValueError, TypeError):
        return False


def _merge(old: object, new: object, key: str = "") -> object:
    """``new``'s meaning with as much of ``old``'s writing (comments, order, style) as fits."""
    if isinstance(old, CommentedMap) and isinstance(new, Mapping):
        for k in [k for k in old if k not in new]:
            del old[k]
        previous = -1
        for k, v in new.items():
            if isinstance(v, Default):
                if k not in old:
                    continue  # a default the file never spelled out stays unwritten
                v = v.value
            if k in old:
                old[k] = _merge(old[k], v, k)
                previous = list(old).index(k)
            else:
                previous += 1
                old.insert(previous, k, _styled(v, k))
        return old
    if _same(old, _strip(new)):
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        return _merge_list(old, new, key)
    return _styled(new, key)


def _merge_list(old: CommentedSeq, new: list, key: str) -> CommentedSeq:
    """Entries are matched by id (or, for a routine's exercises, by exercise and its
    occurrence), so a reordered or edited entry keeps its comments."""
    def ident(value: object, seen: dict) -> object:
        if not isinstance(value, Mapping):
            return None
        base = value.get("id", value.get("exercise"))
        if base is None:
            return None
        seen[base] = seen.get(base, 0) + 1
        return (base, seen[base])

    seen_old: dict = {}
    old_keys = [ident(v, seen_old) for v in old]
    seen_new: dict = {}
    new_keys = [ident(v, seen_new) for v in new]
    matched = all(k is not None for k in new_keys) and any(k in old_keys for k in new_keys)
    items = []
    for i, value in enumerate(new):
        if matched and new_keys[i] in old_keys:
            items.append(_merge(old[old_keys.index(new_keys[i])], value))
        elif not matched and i < len(old):
            items.append(_merge(old[i], value))
        else:
            items.append(_styled(value, "item" if key in _FLOW_ITEMS else ""))
    order = [old_keys.index(k) if k in old_keys else None for k in new_keys]
    if not matched or order == list(range(len(old))):
        # Same entries in the same places: edit the list where it stands.
        for i, value in enumerate(items):
            if i < len(old):
                old[i] = value
            else:
                old.append(value)
        del old[len(items):]
        return old
    # A new order, or entries added or removed: a fresh list keeps the list's own style
    # and the comments inside each entry.
    seq = CommentedSeq(items)
    if old.fa.flow_style():
        seq.fa.set_flow_style()
    return seq
