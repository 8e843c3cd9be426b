"""When what a therapist sent is a new version of what the person has: what would change,
asked about first, then done with the old files kept.

The unit is the routine file. A file of the person's that is sent again (a file of the
same name with a routine or program in common), or whose routines and programs are all in
what was sent, is put aside whole: a routine the new version leaves out goes with it (the
question names it). Its folder goes too, pictures and all, when the folder holds nothing
else the person keeps. Any other file of theirs (one they made with the editor, say) only
loses the entries sent again.

A custom exercise (or source) sent again word for word, with the same pictures, is simply
shared: both files keep their copy (``core.loading.SHARED``), so either can be replaced or
removed on its own. One sent with changes replaces the person's older copy: it is taken
out of their other files, whose routines then use the new one (rewriting the older copy
instead would need its pictures, which live beside the other file).

Either way the whole library after the change is loaded first, and any problem it would
bring to a routine the person keeps refuses the import, naming the files; nothing is ever
left half-working.

Bundled ids are never replaced: BackRehab's own exercises, routines and programs change
only with BackRehab.

Carrying it out is ``put_aside``'s part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..core import model as m
from ..core.loading import Library, ParsedFile, Problem, parse_text
from ..core.plaintext import quoted
from ..core.replacement import exercise_changes, program_changes, routine_changes
from ..core.strict import Strict
from ..core.wording import listed
from . import routine_files

_WHOLE = ("routines", "programs")
"""Sections a file is kept for: a file whose every routine and program was sent again goes."""
_SHARED = ("exercises", "sources")
_KIND = {"exercises": "exercise", "routines": "routine", "programs": "program",
         "sources": "source"}
_PICTURE_READ_LIMIT = 8 * 1024 * 1024


@dataclass
class Replacement:
    """What importing changes among the person's routine files, before it is done."""

    set_aside: list[Path] = field(default_factory=list)
    """Files and folders of the routines folder that go, whole, into the kept folder."""
    edited: dict[Path, str] = field(default_factory=dict)
    """The person's routine files that lose some entries and keep others: their text after."""
    changes: list[str] = field(default_factory=list)
    """What changes, in plain words, one line each."""
    same: bool = False
    """Everything sent is there already, word for word and picture for picture."""

    @property
    def needed(self) -> bool:
        """True when importing changes or puts aside a file the person has."""
        return bool(self.set_aside or self.edited) and not self.same


@dataclass
class Checked:
    """The library as it would be after the import, and what stands in its way."""

    library: Library
    problems: list[Problem]
    """Problems in what was sent (and files of the person's that cannot be changed)."""
    replacement: Replacement
    breaks: list[Problem] = field(default_factory=list)
    """What replacing would break in the routines the person keeps (``breaks_message``)."""


def check(source: Path, incoming: Sequence[Path], existing: Sequence[Path],
          bundled: Sequence[Path], routines: Path, asset_roots: Sequence[Path],
          load: Callable[[Sequence[Path], Callable[[Path], ParsedFile]], Library],
          parse: Callable[[Path], ParsedFile]) -> Checked:
    """Plan importing ``incoming`` (from ``source``, a file or folder) beside the person's
    ``existing`` files and the ``bundled`` ones, and load the library that would result.

    ``load`` combines files as the app does (``routines.load_contained``); ``parse`` reads
    one file (each is read once and shared by both loads).
    """
    sent = [parse(p) for p in incoming]
    theirs = [(p, parse(p)) for p in existing]
    problems = _bundled_clashes(sent, [parse(p) for p in bundled])
    planner = _Planner(sent, theirs, routines, asset_roots)
    replacement, edit_problems = planner.plan()
    problems += edit_problems
    before = load([*bundled, *existing], parse)
    edited = {path: parse_text(text, str(path), path.parent)
              for path, text in replacement.edited.items()}
    kept = [p for p in existing if not any(p == a or p.is_relative_to(a)
                                           for a in replacement.set_aside)]
    # What was sent comes before the person's files, so an exercise both carry is
    # read (pictures included) from what was sent, as it will be once copied in.
    after = load([*bundled, *incoming, *kept], lambda p: edited.get(p) or parse(p))
    seen = {(p.file, p.field, p.message) for p in before.problems}
    told = {(p.file, p.field) for p in problems}
    names = {pf.name for pf in sent}
    fresh = [p for p in after.problems
             if (p.file, p.field, p.message) not in seen and (p.file, p.field) not in told]
    problems += [p for p in fresh if p.file in names]
    broken = [p for p in fresh if p.file not in names]
    edited_names = {pf.name for pf in edited.values()}
    # A line in a file as it would be after the edit means nothing in the file as it is.
    breaks = [p if p.file not in edited_names else Problem(p.file, p.message, None, None,
                                                           p.field)
              for p in broken] if not edit_problems else []  # those are told already
    replacement.changes = planner.describe(before, after) if not replacement.same else []
    return Checked(after, problems, replacement, breaks)


def _bundled_clashes(sent: Sequence[ParsedFile], bundled: Sequence[ParsedFile]
                     ) -> list[Problem]:
    """An id of BackRehab's own, in what was sent: refused, whatever the entry says."""
    own = {(section, entry.id) for pf in bundled for section, entries in pf.entries.items()
           for _, entry in entries}
    problems = []
    for pf in sent:
        for section, entries in pf.entries.items():
            for index, entry in entries:
                if (section, entry.id) not in own:
                    continue
                kind = _KIND[section]
                why = ("an import never replaces them (they change only with BackRehab)"
                       if section in _WHOLE else
                       "a routine file may not bring its own version of one")
                problems.append(pf.problem(
                    (section, index, "id"),
                    f"'{entry.id}' is one of BackRehab's own {kind}s, and {why}; ask whoever "
                    f"sent it to give their {kind} an id of its own (such as my-{entry.id})"))
    return problems


def breaks_message(name: str, replacement: Replacement, breaks: Sequence[Problem],
                   routines: Path) -> str:
    """Why an import that would break routines the person keeps was refused, naming the
    files on both sides; the problems themselves are listed after it."""
    touched = [_shown(p, routines) for p in [*replacement.set_aside, *replacement.edited]]
    hurt = list(dict.fromkeys(_shown(Path(p.file), routines) for p in breaks))
    one = len(hurt) == 1
    if set(hurt) <= set(touched):
        what = (f"would change {listed(hurt)} so that {'it' if one else 'they'} would no "
                "longer load")
    else:
        what = (f"would replace or change {listed(touched) or 'files of yours'}, and then "
                f"{listed(hurt)} would no longer load")
    return (f"{name} {what} (below). Nothing was changed. Ask whoever sent "
            f"it for a version that suits {listed(hurt)}, or move {'it' if one else 'them'} "
            "out of your routines folder first.")


def _shown(path: Path, routines: Path) -> str:
    try:
        return str(path.relative_to(routines))
    except ValueError:
        return str(path)


class _Planner:
    """Which of the person's files go or change, and what that means in words."""

    def __init__(self, sent: Sequence[ParsedFile], theirs: Sequence[tuple[Path, ParsedFile]],
                 routines: Path, asset_roots: Sequence[Path]) -> None:
        self.sent = sent
        self.theirs = theirs
        self.routines = routines
        self.asset_roots = asset_roots
        self.new: dict[tuple[str, str], tuple[ParsedFile, Strict]] = {}
        for pf in sent:
            for section, entries in pf.entries.items():
                for _, entry in entries:
                    self.new.setdefault((section, entry.id), (pf, entry))
        self.new_ids = set(self.new) | {(section, ident) for pf in sent
                                        for section, ids in pf.broken_ids.items()
                                        for ident in ids}
        self.going: list[tuple[Path, ParsedFile]] = []
        self.changed: dict[Path, dict[str, list[str]]] = {}
        """file -> section -> ids taken out of it."""

    def plan(self) -> tuple[Replacement, list[Problem]]:
        for path, pf in self.theirs:
            whole = _ids(pf, _WHOLE)
            taken = {key for key in whole if key in self.new_ids}
            if taken and (taken == whole or path.name in self._names_sending(taken)):
                self.going.append((path, pf))
                continue
            taken |= {key for key in _ids(pf, _SHARED) if key in self.new
                      and not self._same_entry(key, pf)}
            if taken:
                removal: dict[str, list[str]] = {}
                for section, ident in sorted(taken):
                    removal.setdefault(section, []).append(ident)
                self.changed[path] = removal
        replacement = Replacement(same=self._all_same())
        problems: list[Problem] = []
        for path, removal in self.changed.items():
            left = _ids(dict(self.theirs)[path]) - {(s, i) for s, ids in removal.items()
                                                    for i in ids}
            if not left:
                self.going.append((path, dict(self.theirs)[path]))
                continue
            plan = routine_files.plan_save(path)
            if not plan.keeps_comments:
                problems.append(Problem(str(path), f"this file of yours has entries that what "
                                        f"was sent replaces, but it cannot be changed safely "
                                        f"({plan.reason}); move it out of your routines folder "
                                        "or fix it, then import again"))
                continue
            try:
                replacement.edited[path] = routine_files.render(path, {}, removal)
            except routine_files.RoutineFileError as err:
                problems.append(Problem(str(path), err.message))
        replacement.set_aside = self._grouped([path for path, _ in self.going])
        return replacement, problems

    def _names_sending(self, keys: Iterable[tuple[str, str]]) -> set[str]:
        """The names of the files sent that bring any of ``keys``."""
        return {Path(pf.name).name for pf in self.sent
                if any(key in _ids(pf) for key in keys)}

    def _same_entry(self, key: tuple[str, str], pf: ParsedFile) -> bool:
        """The person's copy of a shared entry says exactly what was sent, pictures too."""
        mine = _entry(pf, key)
        sent_pf, theirs = self.new[key]
        if mine != theirs:
            return False
        if not isinstance(mine, m.Exercise) or mine.illustration is None:
            return True
        return all(self._picture(pf.folder, rel) == self._picture(sent_pf.folder, rel)
                   for rel in (mine.illustration.start, mine.illustration.end) if rel)

    def _picture(self, folder: Path | None, rel: str) -> bytes | None:
        for root in [folder, *self.asset_roots]:
            if root is None:
                continue
            path = root / rel
            try:
                if path.is_file():
                    with path.open("rb") as handle:
                        return handle.read(_PICTURE_READ_LIMIT)
            except OSError:
                return None
        return None

    def _all_same(self) -> bool:
        """True when what was sent is exactly what the files it replaces held."""
        if not self.going or self.changed:
            return False
        old = {key: entry for _, pf in self.going for key, entry in _entries(pf)}
        if set(old) != set(self.new) or any(ids for pf in self.sent
                                             for ids in pf.broken_ids.values()):
            return False
        return all(self._same_entry(key, pf) for _, pf in self.going
                   for key, _ in _entries(pf))

    def _grouped(self, going: Sequence[Path]) -> list[Path]:
        """A file, or the folder it came in when every routine file in that folder goes,
        so its pictures go with it."""
        gone = set(going)
        everything = [path for path, _ in self.theirs]
        out: list[Path] = []
        for path in going:
            rel = path.relative_to(self.routines)
            if len(rel.parts) == 1:
                out.append(path)
                continue
            top = self.routines / rel.parts[0]
            inside = [p for p in everything if p.is_relative_to(top)]
            unit = top if all(p in gone for p in inside) else path
            if unit not in out:
                out.append(unit)
        return out

    # --- In words ----------------------------------------------------------------------

    def describe(self, before: Library, after: Library) -> list[str]:
        lines: list[str] = []
        where = {key: self._shown(path) for path, pf in self.theirs for key in _ids(pf)}
        for section in _WHOLE:
            kind = _KIND[section]
            for (sec, ident), (_, new) in self.new.items():
                if sec != section:
                    continue
                old = getattr(before, section).get(ident)
                if (section, ident) not in where:
                    lines.append(f"New: the {kind} {quoted(new.name)}.")
                    continue
                if old is None:
                    lines.append(f"The {kind} '{ident}' in {where[(section, ident)]}, which "
                                 "has problems, is replaced by the one sent.")
                    continue
                if section == "routines":
                    changes = routine_changes(old, new, before.exercises, after.exercises)
                else:
                    changes = program_changes(old, new)
                head = f"The {kind} {quoted(old.name)} ({where[(section, ident)]})"
                lines.append(f"{head} is replaced by the version sent:" if changes else
                             f"{head} stays as it is.")
                lines += _bullets(changes)
        for path, pf in self.going:
            for section, ident in sorted(_ids(pf, _WHOLE)):
                if (section, ident) in self.new_ids:
                    continue
                entry = getattr(before, section).get(ident)
                name = quoted(entry.name) if entry is not None else f"'{ident}'"
                lines.append(f"The {_KIND[section]} {name} ({self._shown(path)}) is not in "
                             "what was sent: it is put aside with the old file.")
        lines += self._exercise_lines(before, after)
        going = {path for path, _ in self.going}
        for path, removal in self.changed.items():
            if path in going:
                continue
            # Exercises taken out are told with what changes in them, above.
            what = [f"the {_KIND[s]} '{i}'" for s, ids in removal.items() for i in ids
                    if s != "exercises"]
            if not what:
                continue
            lines.append(f"{self._shown(path)} keeps its other entries; {listed(what)} "
                         f"{'is' if len(what) == 1 else 'are'} taken out of it.")
        return lines

    def _exercise_lines(self, before: Library, after: Library) -> list[str]:
        lines = []
        going = {path for path, _ in self.going}
        for (section, ident), (_, new) in self.new.items():
            if section != "exercises":
                continue
            holders = [(path, pf) for path, pf in self.theirs
                       if ("exercises", ident) in _ids(pf)]
            differing = [(path, pf) for path, pf in holders
                         if not self._same_entry(("exercises", ident), pf)]
            if not differing:
                continue
            old = _entry(differing[0][1], ("exercises", ident))
            changes = exercise_changes(old, new) or ["its pictures change"]
            line = f"The exercise {quoted(old.name)} changes:"
            users = sorted({routine.name for rid, routine in after.routines.items()
                            if any(item.exercise == ident for item in routine.exercises)
                            and ("routines", rid) not in self.new})
            kept_in = [self._shown(p) for p, _ in differing if p not in going]
            if users:
                line = (f"The exercise {quoted(old.name)} changes; your "
                        f"{listed([quoted(u) for u in users])} "
                        f"{'uses' if len(users) == 1 else 'use'} the new version from now on"
                        + (f" (the old one is taken out of {listed(kept_in)})" if kept_in
                           else "") + ":")
            lines.append(line)
            lines += _bullets(changes)
        return lines

    def _shown(self, path: Path) -> str:
        return _shown(path, self.routines)


def _ids(pf: ParsedFile, sections: Iterable[str] = ("sources", "exercises", "routines",
                                                     "programs")) -> set[tuple[str, str]]:
    """Every (section, id) the file defines, entries with problems of their own included."""
    found = {(section, entry.id) for section in sections
             for _, entry in pf.entries.get(section, ())}
    found |= {(section, ident) for section in sections
              for ident in pf.broken_ids.get(section, ())}
    return found


def _entries(pf: ParsedFile):
    for section, entries in pf.entries.items():
        for _, entry in entries:
            yield (section, entry.id), entry


def _entry(pf: ParsedFile, key: tuple[str, str]):
    section, ident = key
    return next((entry for _, entry in pf.entries.get(section, ()) if entry.id == ident), None)


def _bullets(changes: Sequence[str]) -> list[str]:
    return [f"  \u2022 {change}" for change in changes]


