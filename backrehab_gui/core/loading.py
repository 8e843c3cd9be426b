"""Routine files -> a validated library, with every problem named in plain words.

Loading never stops at the first problem and never lets one broken file, or
one broken entry, take others down with it: each exercise, routine and
program is validated on its own, then references across all files are
checked (``cross_check``). Each problem names the file, line, column and field,
in the words of ``problem_words``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from pathlib import Path

from . import model as m
from .cross_check import Checker
from .limits import overgrown
from .plaintext import echo, printable
from .problem_words import from_pydantic, kind_of, unknown_id, unknown_key
from .records import record_class
from .references import references
from .strict import Strict
from .yamlsafe import Place, SourceMap, YamlProblem, load_yaml

YAML_SUFFIXES = (".yaml", ".yml")


@record_class
class Problem:
    """One thing wrong with a routine file: always one line of printable text."""

    file: str
    message: str
    line: int | None = None
    column: int | None = None
    field: str = ""

    def __post_init__(self) -> None:
        # Whatever a message repeats from the file, it never carries a control
        # character or a line break to the screen or the terminal that shows it.
        object.__setattr__(self, "message", printable(self.message))
        object.__setattr__(self, "field", printable(self.field))

    def __str__(self) -> str:
        where = printable(self.file)
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        what = f"{self.field}: " if self.field else ""
        return f"{where}: {what}{self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "field": self.field,
            "message": self.message,
        }


class RoutineError(Exception):
    """A routine file could not be loaded; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@record_class
class Origin:
    """Where a library entry was defined."""

    file: str
    place: Place | None
    folder: Path | None = None

    def __str__(self) -> str:
        return self.file if self.place is None else f"{self.file}:{self.place.line}"


@record_class(frozen=False)
class Library:
    """Everything the loaded routine files define, and what was wrong with them."""

    exercises: dict[str, m.Exercise] = field(default_factory=dict)
    routines: dict[str, m.Routine] = field(default_factory=dict)
    programs: dict[str, m.Program] = field(default_factory=dict)
    sources: dict[str, m.Source] = field(default_factory=dict)
    safety: m.Safety | None = None
    problems: list[Problem] = field(default_factory=list)
    origins: dict[tuple[str, str], Origin] = field(default_factory=dict)
    """(section, id) -> where it was defined."""
    images: dict[str, tuple[Path, Path | None]] = field(default_factory=dict)
    """exercise id -> resolved (start, end) drawing files."""
    files: list[str] = field(default_factory=list)
    set_aside: list[Problem] = field(default_factory=list)
    """Files left out whole because loading them failed unexpectedly (see infra.routines);
    each is also in ``problems``."""

    @property
    def ok(self) -> bool:
        return not self.problems

    def dose_for(self, item: m.RoutineItem) -> m.Dose:
        return item.dose if item.dose is not None else self.exercises[item.exercise].dose


# --- One file --------------------------------------------------------------

_SECTIONS: dict[str, type[Strict]] = {
    "sources": m.Source,
    "exercises": m.Exercise,
    "routines": m.Routine,
    "programs": m.Program,
}


@record_class(frozen=False)
class ParsedFile:
    """A file's valid entries, its problems, and its source map."""

    name: str
    folder: Path | None
    entries: dict[str, list[tuple[int, Strict]]]
    safety: m.Safety | None
    source_map: SourceMap
    problems: list[Problem]
    broken_ids: dict[str, set[str]]
    """Ids of entries that had problems, so references to them are not reported twice."""

    def place(self, path: tuple) -> Place | None:
        return self.source_map.place(path)

    def problem(self, path: tuple, message: str) -> Problem:
        place = self.place(path)
        return Problem(
            self.name,
            message,
            place.line if place else None,
            place.column if place else None,
            format_path(path, self._raw_ids),
        )

    _raw_ids: dict[tuple, str] = field(default_factory=dict)
    raw: dict | None = None
    """The file's data as written, once its format is known: the references of
    entries left out (with problems of their own, or a repeated id) are read from it."""


def parse_text(data: bytes | str, name: str, folder: Path | None = None) -> ParsedFile:
    """Validate one file's text. Never raises: problems are in the result."""
    empty = ParsedFile(name, folder, {k: [] for k in _SECTIONS}, None, SourceMap({}, {}), [], {})
    try:
        raw, source_map = load_yaml(data)
    except YamlProblem as err:
        place = err.place
        empty.problems.append(
            Problem(
                name,
                err.message,
                place.line if place else None,
                place.column if place else None,
                format_path(err.path, {}),
            )
        )
        return empty
    parsed = ParsedFile(name, folder, {k: [] for k in _SECTIONS}, None, source_map, [], {})
    if raw is None:
        parsed.problems.append(Problem(name, "the file is empty; it needs at least 'format: 1'"))
        return parsed
    if not isinstance(raw, dict):
        parsed.problems.append(
            parsed.problem((), "the file must be a mapping with 'format: 1' and sections "
                           "such as exercises, routines or programs")
        )
        return parsed
    parsed._raw_ids = _ids_in(raw)
    if not _check_format(raw, parsed):
        # Reading a file under rules it was not written for could misread it.
        return parsed
    parsed.raw = raw
    known = {"format", "safety", *_SECTIONS}
    for key in raw:
        if key not in known:
            parsed.problems.append(parsed.problem((key,), unknown_key(key, known, "a file")))
    for section, cls in _SECTIONS.items():
        items = raw.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            parsed.problems.append(
                parsed.problem((section,), f"should be a list (each entry starting with '- '), "
                               f"not {kind_of(items)}")
            )
            continue
        for index, item in enumerate(items):
            entry = _validate(cls, item, (section, index), parsed)
            if entry is not None:
                parsed.entries[section].append((index, entry))
            elif isinstance(item, dict) and isinstance(item.get("id"), str):
                parsed.broken_ids.setdefault(section, set()).add(item["id"])
    if "safety" in raw:
        parsed.safety = _validate(m.Safety, raw["safety"], ("safety",), parsed)
    return parsed


def _check_format(raw: dict, parsed: ParsedFile) -> bool:
    """True when the file says it is in the format this version reads."""
    version = raw.get("format")
    if version is None:
        parsed.problems.append(
            parsed.problem((), f"'format: {m.FORMAT_VERSION}' is missing at the top of the file")
        )
        return False
    if isinstance(version, bool) or version != m.FORMAT_VERSION:
        newer = isinstance(version, int) and not isinstance(version, bool)
        if newer and version > m.FORMAT_VERSION:
            message = (f"this file is written in format {version}; this version of BackRehab "
                       f"reads format {m.FORMAT_VERSION}. Update BackRehab to open it")
        else:
            message = f"should be {m.FORMAT_VERSION}, not {echo(repr(version))}"
        parsed.problems.append(parsed.problem(("format",), message))
        return False
    return True


def _validate(cls: type[Strict], value: object, path: tuple, parsed: ParsedFile):
    from pydantic import ValidationError  # loads with the first file to check

    try:
        return cls.model_validate(value)
    except ValidationError as err:
        seen: set[tuple] = set()
        for error in err.errors():
            problem = from_pydantic(error, cls, value, path, parsed)
            # A union reports once per branch; the first says it best.
            key = (problem.line, problem.column, problem.field)
            if key not in seen:
                seen.add(key)
                parsed.problems.append(problem)
        return None


def _ids_in(raw: dict) -> dict[tuple, str]:
    """Map each list entry's path to its id, so fields read exercises[bird-dog].dose."""
    ids: dict[tuple, str] = {}

    def walk(value: object, path: tuple) -> None:
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(sub, path + (key,))
        elif isinstance(value, list):
            for i, sub in enumerate(value):
                if isinstance(sub, dict):
                    ident = sub.get("id", sub.get("exercise", sub.get("routine")))
                    if isinstance(ident, str):
                        ids[path + (i,)] = ident
                walk(sub, path + (i,))

    walk(raw, ())
    return ids


def format_path(path: Sequence, ids: dict[tuple, str]) -> str:
    """exercises[bird-dog].dose.reps; an entry without an id reads exercises[#3].

    Keys and ids come from the file as written, so each is cut short and made printable.
    """
    out = ""
    for i, part in enumerate(path):
        if isinstance(part, int):
            ident = ids.get(tuple(path[: i + 1]))
            out += f"[{echo(ident)}]" if ident else f"[#{part + 1}]"
        else:
            out += ("." if out else "") + echo(part)
    return out

# --- Many files -> one library ---------------------------------------------


def routine_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Expand folders to their YAML files (sorted); report paths that don't exist."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*")
                                if p.suffix.lower() in YAML_SUFFIXES and p.is_file()))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(str(path), "no such file or folder"))
    return files, problems


def load_library(paths: Iterable[Path], asset_roots: Sequence[Path] = (),
                 display_root: Path | None = None) -> Library:
    """Load every routine file under ``paths`` into one library.

    ``asset_roots`` are the folders, besides each file's own folder, that
    illustrations may come from. File names in problems are shown relative
    to ``display_root`` when given.
    """
    files, problems = routine_files(paths)
    parsed = [parse_file(path, display_root) for path in files]
    library = combine(parsed, asset_roots)
    library.problems[:0] = problems
    return library


def parse_file(path: Path, display_root: Path | None = None) -> ParsedFile:
    name = _display_name(path, display_root)
    try:
        data = _read_limited(path)
    except OSError as err:
        return ParsedFile(name, path.parent, {k: [] for k in _SECTIONS}, None,
                          SourceMap({}, {}), [Problem(name, f"cannot be read: {err.strerror}")], {})
    except YamlProblem as err:
        return ParsedFile(name, path.parent, {k: [] for k in _SECTIONS}, None,
                          SourceMap({}, {}), [Problem(name, err.message)], {})
    return parse_text(data, name, path.parent)


def load_file(path: Path) -> m.RoutineFile:
    """Load a single file on its own; raises RoutineError listing every problem."""
    parsed = parse_file(path)
    if parsed.problems:
        raise RoutineError(parsed.problems)
    return m.RoutineFile(
        format=m.FORMAT_VERSION,
        safety=parsed.safety,
        **{k: [e for _, e in v] for k, v in parsed.entries.items()},
    )


def _read_limited(path: Path) -> bytes:
    from .yamlsafe import MAX_FILE_BYTES

    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise YamlProblem(f"the file is larger than {MAX_FILE_BYTES // 1024} KiB, the most a "
                          "routine file may be")
    return data


def _display_name(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return str(path.resolve().relative_to(root.resolve()))
        except ValueError:
            pass
    return str(path)


SHARED = {"exercises": ", defined differently there (two files may carry the same exercise "
                        "only when both say exactly the same)",
          "sources": ", defined differently there (two files may carry the same source only "
                      "when both say exactly the same)"}
"""Sections whose entries two files may both carry, word for word: a routine file a
therapist sends carries every custom exercise it uses, so two routines sent at different
times may both bring one. The library holds it once (from the first file); each file stays
complete on its own. The message says why a differing copy is refused."""


def combine(parsed_files: Sequence[ParsedFile], asset_roots: Sequence[Path] = (), *,
            growth: Callable[..., dict | None] = overgrown) -> Library:
    """Merge parsed files and check every reference between them. ``growth`` checks a
    dose at its most (``limits.overgrown``; the app's remembers its answers)."""
    lib = Library()
    broken: dict[str, set[str]] = {}
    where: dict[tuple[str, str], tuple[ParsedFile, tuple]] = {}
    safety_from: ParsedFile | None = None
    for pf in parsed_files:
        lib.files.append(pf.name)
        lib.problems.extend(pf.problems)
        for section, ids in pf.broken_ids.items():
            broken.setdefault(section, set()).update(ids)
        for section, entries in pf.entries.items():
            target: dict = getattr(lib, section)
            for index, entry in entries:
                ident = entry.id
                path = (section, index)
                if ident in target:
                    first = lib.origins[(section, ident)]
                    if section in SHARED and first.file != pf.name and entry == target[ident]:
                        continue  # the same exercise or source, carried by two files
                    lib.problems.append(pf.problem(
                        path + ("id",), f"the id '{ident}' is already used at {first}"
                        + (SHARED[section] if first.file != pf.name and section in SHARED
                           else "")))
                    continue
                target[ident] = entry
                lib.origins[(section, ident)] = Origin(pf.name, pf.place(path), pf.folder)
                where[(section, ident)] = (pf, path)
        if pf.safety is not None:
            if safety_from is not None:
                lib.problems.append(pf.problem(
                    ("safety",), f"safety is already given in {safety_from.name}; "
                    "keep it in one file"))
            else:
                lib.safety, safety_from = pf.safety, pf
    Checker(lib, broken, where, safety_from, asset_roots, growth).run()
    _left_out_references(lib, parsed_files, broken, where, safety_from)
    order = {name: i for i, name in enumerate(lib.files)}
    lib.problems.sort(key=lambda p: (order.get(p.file, -1), p.line or 0, p.column or 0))
    return lib


def _left_out_references(lib: Library, parsed_files: Sequence[ParsedFile],
                         broken: dict[str, set[str]],
                         where: dict[tuple[str, str], tuple[ParsedFile, tuple]],
                         safety_from: ParsedFile | None) -> None:
    """Unknown ids named by entries that were left out of the library.

    An entry with problems of its own (or a repeated id) is not in the library,
    so the checker never sees it; without this, a misspelt id in it would only
    be reported once every other problem of the entry was fixed. Ids of entries
    that exist but are broken are not repeated: those entries have their own
    problems listed.
    """
    kept = {(id(pf), path) for pf, path in where.values()}
    known = {"exercises": lib.exercises, "routines": lib.routines,
             "sources": lib.sources, "programs": lib.programs}
    already = {(p.file, p.line, p.column) for p in lib.problems}
    for pf in parsed_files:
        if pf.raw is None:
            continue
        left_out: list[tuple[str, tuple, object]] = []
        for section in _SECTIONS:
            items = pf.raw.get(section)
            if isinstance(items, list):
                left_out.extend((section, (section, i), item) for i, item in enumerate(items)
                                if (id(pf), (section, i)) not in kept)
        if "safety" in pf.raw and pf is not safety_from:
            left_out.append(("safety", ("safety",), pf.raw["safety"]))
        for section, base, item in left_out:
            for sub, target, wanted in references(section, item):
                if wanted in known[target] or wanted in broken.get(target, ()):
                    continue
                problem = pf.problem(base + sub, unknown_id(target, wanted, known[target], broken))
                if (problem.file, problem.line, problem.column) not in already:
                    lib.problems.append(problem)
