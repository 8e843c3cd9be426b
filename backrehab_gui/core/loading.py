"""Routine files -> a validated library, with every problem named in plain words.

Loading never stops at the first problem and never lets one broken file, or
one broken entry, take others down with it: each exercise, routine and
program is validated on its own, then references across all files are
checked. Each problem names the file, line, column and field.
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from pathlib import Path

from . import model as m
from .limits import late_cues, overgrown
from .plaintext import echo, printable, quoted, shorten
from .records import record_class
from .references import references
from .strict import Strict
from .wording import plural
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
            parsed.problems.append(parsed.problem((key,), _unknown_key(key, known, "a file")))
    for section, cls in _SECTIONS.items():
        items = raw.get(section)
        if items is None:
            continue
        if not isinstance(items, list):
            parsed.problems.append(
                parsed.problem((section,), f"should be a list (each entry starting with '- '), "
                               f"not {_kind(items)}")
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
            problem = _from_pydantic(error, cls, value, path, parsed)
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


# --- Turning pydantic's errors into plain words ----------------------------


def _from_pydantic(error: dict, cls: type[Strict], value: object, base: tuple,
                   parsed: ParsedFile) -> Problem:
    loc = _data_path(error["loc"], value)
    path = base + loc
    kind = error["type"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = _field_names(cls, error["loc"][:-1])
        message = _unknown_key(str(loc[-1]), allowed, "here")
    elif kind == "dose_kind" and isinstance(error.get("input"), dict):
        message = error["msg"]
        for key in error["input"]:
            close = _close_match(str(key), _DOSE_KEYS)
            if close:
                message += f" (did you mean '{close[0]}' for '{key}'?)"
                break
    else:
        message = _plain_message(error)
    if kind == "missing" and loc:
        # Point at the mapping the field belongs in: the missing key has no line.
        return parsed.problem(path[:-1], f"'{loc[-1]}' is missing")
    return parsed.problem(path, message)


def _data_path(loc: tuple, value: object) -> tuple:
    """Drop pydantic's union tags from an error location, keeping real keys and indexes."""
    path: list = []
    current = value
    for part in loc:
        if isinstance(part, str) and part in m.DOSE_TAGS:
            continue
        if isinstance(current, dict):
            path.append(part)
            # A key not in the data is a missing or unknown field: nothing below it.
            current = current.get(part) if part in current else _END
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        else:
            break  # the rest names pydantic's internal branches, not data
    return tuple(path)


_END = object()


def _field_names(cls: type[Strict], loc: tuple) -> set[str]:
    """The field names allowed at a location, for "did you mean" hints."""
    models = _models_in(cls)
    for part in loc:
        if isinstance(part, str) and part in m.DOSE_TAGS:
            # The dose kind is picked by which keys are present, so a typo in
            # 'reps' makes a hold dose: suggest from every kind of dose.
            models = list(_TAGGED.values())
            continue
        nxt: list[type[Strict]] = []
        for model_cls in models:
            if isinstance(part, str) and part in model_cls.model_fields:
                nxt.extend(_models_in(model_cls.model_fields[part].annotation))
        if isinstance(part, int):
            continue
        models = nxt
    names: set[str] = set()
    for model_cls in models:
        names.update(model_cls.model_fields)
    return names


_DOSE_KEYS = ["activity", "breaths", "reps", "hold"]
_TAGGED = {
    "activity dose": m.ActivityDose,
    "breaths dose": m.BreathsDose,
    "reps dose": m.RepsDose,
    "hold dose": m.HoldDose,
}


def _models_in(annotation: object) -> list[type[Strict]]:
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return [annotation]
    found: list[type[Strict]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
    return found


def _close_match(word: str, choices: Iterable[str]) -> list[str]:
    """The likeliest of ``choices`` that ``word`` was meant to be, for "did you mean"."""
    import difflib  # only when something is wrong

    return difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)


def _unknown_key(key: str, allowed: Iterable[str], where: str) -> str:
    allowed = sorted(allowed)
    close = _close_match(shorten(key, 200), allowed)
    if close:
        return f"unknown field {quoted(key)} (did you mean '{close[0]}'?)"
    listed = ", ".join(allowed)
    if not listed:
        return f"unknown field {quoted(key)}"
    return f"unknown field {quoted(key)}; allowed {where}: {listed}"


def _kind(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {_num(value)}"
    if isinstance(value, str):
        return f"the text {quoted(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _plain_message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = _kind(error.get("input"))
    if kind == "missing":
        return "is missing"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"should be a whole number, not {got}"
    if kind == "int_parsing_size":
        return f"is far too large: {got}"
    if kind in ("float_type", "float_parsing"):
        return f"should be a number, not {got}"
    if kind == "finite_number":
        return f"must be a finite number, not {got}"
    if kind in ("string_type",):
        return f"should be text, not {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"should be true or false, not {got}"
    if kind in ("list_type",):
        return f"should be a list (entries starting with '- '), not {got}"
    if kind in ("model_type", "model_attributes_type", "dict_type", "dataclass_type",
                "dataclass_args_type"):
        return f"should be a mapping of fields, not {got}"
    if kind == "string_too_short":
        return "should not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_pattern_mismatch":
        return (f"{got} is not a valid id: use lower-case letters, digits and dashes "
                "(like bird-dog)") if "a-z0-9" in str(ctx.get("pattern", "")) else (
                f"{got} is not in the expected form")
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"needs at least {plural(least, 'entry')}"
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})"
    if kind == "greater_than":
        return f"must be more than {_num(ctx.get('gt'))}, not {_num(error.get('input'))}"
    if kind == "greater_than_equal":
        return f"must be at least {_num(ctx.get('ge'))}, not {_num(error.get('input'))}"
    if kind == "less_than_equal":
        return f"must be at most {_num(ctx.get('le'))}, not {_num(error.get('input'))}"
    if kind == "less_than":
        return f"must be less than {_num(ctx.get('lt'))}, not {_num(error.get('input'))}"
    if kind in ("literal_error", "enum"):
        return f"should be one of {ctx.get('expected')}, not {got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "dose_kind":
        return error["msg"]
    return error["msg"][0].lower() + error["msg"][1:]


def _num(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    return echo(value)


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
                    lib.problems.append(pf.problem(
                        path + ("id",), f"the id '{ident}' is already used at {first}"))
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
    _Checker(lib, broken, where, safety_from, asset_roots, growth).run()
    _left_out_references(lib, parsed_files, broken, where, safety_from)
    order = {name: i for i, name in enumerate(lib.files)}
    lib.problems.sort(key=lambda p: (order.get(p.file, -1), p.line or 0, p.column or 0))
    return lib


class _Checker:
    """References across files: every id used must exist and make sense."""

    def __init__(self, lib: Library, broken: dict[str, set[str]],
                 where: dict[tuple[str, str], tuple[ParsedFile, tuple]],
                 safety_from: ParsedFile | None, asset_roots: Sequence[Path],
                 growth: Callable[..., dict | None] = overgrown) -> None:
        self.lib = lib
        self.overgrown = growth
        self.broken = broken
        self.where = where
        self.safety_from = safety_from
        self.asset_roots = [r.resolve() for r in asset_roots]
        self.rule_sets: dict[str, list[list[m.Progression]]] = {}
        """routine id -> the progressions of each program that uses it."""
        self._resolved: dict[Path, Path] = {}
        """Each routine file's folder, resolved once (resolving walks every part of a path)."""

    def run(self) -> None:
        for ident in list(self.lib.exercises):
            self._exercise(ident)
        self._variant_cycles()
        for program in self.lib.programs.values():
            if program.progressions:
                for routine_id in dict.fromkeys(r for _, r in _routines_used(program)):
                    self.rule_sets.setdefault(routine_id, []).append(program.progressions)
        for ident in list(self.lib.routines):
            self._routine(ident)
        if self.lib.safety is not None:
            self._safety()
        for ident in list(self.lib.programs):
            self._program(ident)

    def _report(self, section: str, ident: str, sub: tuple, message: str) -> None:
        pf, path = self.where[(section, ident)]
        self.lib.problems.append(pf.problem(path + sub, message))

    def _unknown(self, section: str, wanted: str, known: Iterable[str]) -> str:
        return _unknown_id(section, wanted, known, self.broken)

    def _check_source(self, section: str, ident: str, sub: tuple, dose: object) -> bool:
        source = m.dose_source(dose)
        if source is not None and source not in self.lib.sources:
            self._report(section, ident, sub + ("source",),
                         self._unknown("sources", source, self.lib.sources))
            return False
        return True

    def _exercise(self, ident: str) -> None:
        ex = self.lib.exercises[ident]
        self._check_source("exercises", ident, ("dose",), ex.dose)
        for direction in ("easier", "harder"):
            for i, other in enumerate(getattr(ex, direction)):
                if other == ident:
                    self._report("exercises", ident, (direction, i),
                                 f"an exercise cannot be its own {direction} variant")
                elif other not in self.lib.exercises:
                    self._report("exercises", ident, (direction, i),
                                 self._unknown("exercises", other, self.lib.exercises))
        if ex.neutral_instead is not None:
            other = self.lib.exercises.get(ex.neutral_instead)
            if other is None:
                self._report("exercises", ident, ("neutral_instead",),
                             self._unknown("exercises", ex.neutral_instead, self.lib.exercises))
            elif other.spine_moves:
                self._report("exercises", ident, ("neutral_instead",),
                             f"'{other.id}' moves the spine too "
                             f"({', '.join(mv.value for mv in other.spine_moves)}); "
                             "choose an exercise that keeps it still")
        elif ex.spine_moves:
            self._report("exercises", ident, ("neutral_instead",),
                         "an exercise that moves the spine needs a neutral_instead: the "
                         "exercise to do for someone whom that movement hurts")
        if ex.illustration is not None:
            self._illustration(ident, ex.illustration)

    def _illustration(self, ident: str, picture: m.Illustration) -> None:
        origin = self.lib.origins[("exercises", ident)]
        resolved: list[Path | None] = []
        for part in ("start", "end"):
            rel = getattr(picture, part)
            if rel is None:
                resolved.append(None)
                continue
            path = self._safe_asset(origin.folder, rel)
            if isinstance(path, str):
                self._report("exercises", ident, ("illustration", part), path)
                return
            resolved.append(path)
        self.lib.images[ident] = (resolved[0], resolved[1])  # type: ignore[assignment]

    def _safe_asset(self, folder: Path | None, rel: str) -> Path | str:
        if folder is None:
            return "an illustration needs the routine file to be in a folder"
        if Path(rel).is_absolute() or "\\" in rel:
            return f"{quoted(rel)} must be a path relative to the routine file, using '/'"
        if folder not in self._resolved:
            self._resolved[folder] = folder.resolve()
        roots = [self._resolved[folder], *self.asset_roots]
        for root in roots:
            if not os.path.lexists(root / rel):
                continue  # nothing there, through any link: not the picture (and quick)
            candidate = self._resolve(root / rel)
            if not candidate.is_relative_to(root):
                continue
            if candidate.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg"):
                return f"{quoted(rel)} should be an SVG, PNG or JPEG image"
            if candidate.is_file():
                return candidate
        candidates = [(root / rel).resolve() for root in roots]
        if any(c.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg")
               for r, c in zip(roots, candidates) if c.is_relative_to(r)):
            return f"{quoted(rel)} should be an SVG, PNG or JPEG image"
        if any(_link_leads_out(root, rel) for root in roots):
            return (f"{quoted(rel)} is a link to a file outside the routine folder, which is not "
                    "allowed; put the picture itself there instead of a link")
        if not any(c.is_relative_to(r) for r, c in zip(roots, candidates)):
            return (f"{quoted(rel)} points outside the routine and asset folders, which is "
                    "not allowed")
        return f"the image {quoted(rel)} was not found next to the routine file or in the assets"

    def _resolve(self, path: Path) -> Path:
        """``path.resolve()``, its folder resolved once for all the pictures in it."""
        name = path.name
        if name in ("", ".", "..") or os.path.islink(path):
            return path.resolve()
        folder = path.parent
        if folder not in self._resolved:
            self._resolved[folder] = folder.resolve()
        return self._resolved[folder] / name

    def _variant_cycles(self) -> None:
        # "x is easier than y" edges: y.easier lists x, and x.harder lists y.
        easier_than: dict[str, set[str]] = {i: set() for i in self.lib.exercises}
        for ident, ex in self.lib.exercises.items():
            for other in ex.easier:
                if other in easier_than and other != ident:
                    easier_than[other].add(ident)
            for other in ex.harder:
                if other in easier_than and other != ident:
                    easier_than[ident].add(other)
        reported: set[str] = set()
        for start in sorted(easier_than):
            cycle = _find_cycle(start, easier_than)
            if cycle and not reported.intersection(cycle):
                reported.update(cycle)
                chain = " -> ".join([*cycle, cycle[0]])
                self._report("exercises", cycle[0], ("easier",),
                             f"easier/harder variants go round in a circle: {chain} "
                             "(each is 'easier than' the next)")

    def _routine(self, ident: str) -> None:
        routine = self.lib.routines[ident]
        ok = True
        for i, item in enumerate(routine.exercises):
            if item.exercise not in self.lib.exercises:
                self._report("routines", ident, ("exercises", i, "exercise"),
                             self._unknown("exercises", item.exercise, self.lib.exercises))
                ok = False
            elif item.dose is not None:
                ok &= self._check_source("routines", ident, ("exercises", i, "dose"), item.dose)
        # Cues are checked even when another item is wrong, so that every problem
        # shows at once (late_cues passes over items whose exercise is unknown).
        for i, j, problem in late_cues(routine, self.lib.exercises,
                                       self.rule_sets.get(ident, [])):
            self._report("routines", ident, ("exercises", i, "cues", j, "at"), problem)
            ok = False
        if not ok:
            del self.lib.routines[ident]
            self.broken.setdefault("routines", set()).add(ident)

    def _safety(self) -> None:
        assert self.safety_from is not None
        pf = self.safety_from
        for i, avoid in enumerate(self.lib.safety.avoid):
            for field_name in ("instead", "covers"):
                for j, other in enumerate(getattr(avoid, field_name)):
                    if other not in self.lib.exercises:
                        self.lib.problems.append(pf.problem(
                            ("safety", "avoid", i, field_name, j),
                            self._unknown("exercises", other, self.lib.exercises)))

    def _program(self, ident: str) -> None:
        program = self.lib.programs[ident]
        ok = True
        used = _routines_used(program)
        covered = self._covered()
        for sub, routine_id in used:
            if routine_id not in self.lib.routines:
                self._report("programs", ident, sub,
                             self._unknown("routines", routine_id, self.lib.routines))
                ok = False
                continue
            for item in self.lib.routines[routine_id].exercises:
                if item.exercise in covered:
                    self._report("programs", ident, sub,
                                 f"the routine '{routine_id}' includes '{item.exercise}', which "
                                 f"the safety list says to avoid ({covered[item.exercise]}); "
                                 "a program may not use it")
                    ok = False
        in_program = [(rid, item.exercise, self.lib.dose_for(item))
                      for rid in dict.fromkeys(rid for _, rid in used)
                      if rid in self.lib.routines
                      for item in self.lib.routines[rid].exercises]
        for i, rule in enumerate(program.progressions):
            where = ("progressions", i, "exercise")
            doses = [dose for _, exercise, dose in in_program if exercise == rule.exercise]
            if rule.exercise not in self.lib.exercises:
                problem = self._unknown("exercises", rule.exercise, self.lib.exercises)
            elif not doses:
                problem = f"no routine of this program uses '{rule.exercise}'"
            elif not any(_can_progress(dose, rule.change) for dose in doses):
                where = ("progressions", i, "change")
                problem = f"'{rule.exercise}' has no {rule.change} to grow in this program"
            else:
                continue
            self._report("programs", ident, where, problem)
            ok = False
        # Growth is checked even when a rule or routine is wrong: every problem at once.
        ok = self._growth(ident, program, in_program) and ok
        if not ok:
            del self.lib.programs[ident]

    def _growth(self, ident: str, program: m.Program,
                in_program: list[tuple[str, str, m.Dose]]) -> bool:
        """Progressions go on after the last week: at their most, every dose keeps its limits."""
        ok = True
        grown: set[str] = set()
        for routine_id, exercise, dose in in_program:
            if exercise in grown:
                continue
            error = self.overgrown(dose, exercise, program.progressions)
            if error is None:
                continue
            grown.add(exercise)
            last = max(i for i, rule in enumerate(program.progressions)
                       if rule.exercise == exercise)
            field = ".".join(str(part) for part in error["loc"])
            self._report("programs", ident, ("progressions", last, "up_to"),
                         f"at its most, this makes the dose of '{exercise}' in the routine "
                         f"'{routine_id}' too large: {field + ' ' if field else ''}"
                         f"{_plain_message(error)}")
            ok = False
        return ok

    def _covered(self) -> dict[str, str]:
        if self.lib.safety is None:
            return {}
        return {ex: avoid.name for avoid in self.lib.safety.avoid for ex in avoid.covers}


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
                problem = pf.problem(base + sub, _unknown_id(target, wanted, known[target], broken))
                if (problem.file, problem.line, problem.column) not in already:
                    lib.problems.append(problem)


def _unknown_id(section: str, wanted: str, known: Iterable[str],
                broken: dict[str, set[str]]) -> str:
    kind = {"exercises": "exercise", "routines": "routine", "sources": "source",
            "programs": "program"}[section]
    if wanted in broken.get(section, set()):
        return f"the {kind} '{wanted}' has problems of its own (see those)"
    candidates = [*known, *broken.get(section, ())]
    close = _close_match(wanted, candidates)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"there is no {kind} with the id '{wanted}'{hint}"


def _link_leads_out(root: Path, rel: str) -> bool:
    """True when ``rel`` stays inside ``root`` as written but a link on the way leads out."""
    written = Path(os.path.normpath(root / rel))
    return written.is_relative_to(root) and not (root / rel).resolve().is_relative_to(root)


def _routines_used(program: m.Program) -> list[tuple[tuple, str]]:
    """(path in the program, routine id) for every routine a program plans."""
    used: list[tuple[tuple, str]] = []
    for p, phase in enumerate(program.phases):
        for s, session in enumerate(phase.sessions):
            used.append((("phases", p, "sessions", s, "routine"), session.routine))
    for d, block in enumerate(program.daily):
        used.append((("daily", d, "routine"), block.routine))
    for p, phase in enumerate(program.phases):
        for d, block in enumerate(phase.daily):
            used.append((("phases", p, "daily", d, "routine"), block.routine))
    if program.maintenance is not None:
        for s, session in enumerate(program.maintenance.sessions):
            used.append((("maintenance", "sessions", s, "routine"), session.routine))
    return used


def _can_progress(dose: m.Dose, change: str) -> bool:
    if change == "hold":
        return (isinstance(dose, m.HoldDose) and (not dose.is_open or dose.goal is not None)) or (
            isinstance(dose, m.RepsDose) and dose.hold is not None)
    if change == "reps":
        return isinstance(dose, (m.RepsDose, m.BreathsDose))
    return not isinstance(dose, m.ActivityDose)


def _find_cycle(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle through ``start`` in a small graph, as a list of nodes, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return trail
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None
