"""Routine files already checked, kept from one start to the next.

Checking a routine file (safe YAML with every value's place, then each entry
validated against the models) is most of what a start costs, and the files
rarely change. So what checking a file gives, ``core.loading.ParsedFile``
(its valid entries and its problems, each with file, line and column), is kept
in the cache folder under a key made of:

- the file's path, as problems name it, and its bytes, read now;
- the code that checks it: every ``core`` module's source file (its name, size and
  time, the test Python itself applies to its compiled modules), the version of
  Python and the installed pydantic, pydantic-core and PyYAML.

A changed, moved or renamed file, or another version of BackRehab or of the
libraries, so misses the cache and is checked afresh; a routine file is never
trusted by its name or date alone. Combining the files (references between them,
pictures on disk) is not cached: it runs at every start. Anything wrong with
the cache (missing, unreadable, damaged, written by another version, a full
disk) only means checking the file again: the cache can make a start faster,
never different.

The cache is the person's own folder (like their settings), written by this
app only, so loading it with pickle trusts nothing that is not already theirs.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import pickle
import sys
import tempfile
from pathlib import Path

from ..core import loading
from ..core.digests import blake2b
from ..core.loading import ParsedFile

KEEP = 64
"""Cached files kept at most; the oldest go first (an edited file leaves its old versions)."""

_CORE = Path(loading.__file__).resolve().parent


@functools.cache
def code_key() -> bytes:
    """What the checking code is: every core module's source file, Python, pydantic and
    PyYAML. Each source by its size and time, as Python decides whether a module's
    bytecode is current: reading and hashing them all took a start some 2 ms."""
    digest = blake2b()
    with os.scandir(_CORE) as entries:
        sources = sorted((e.name, e.stat()) for e in entries if e.name.endswith(".py"))
    for name, info in sources:
        digest.update(f"{name}:{info.st_size}:{info.st_mtime_ns}\0".encode())
    digest.update(f"{sys.version}|{_installed('pydantic')}|{_installed('pydantic_core')}|"
                  f"{_installed('yaml')}|{pickle.HIGHEST_PROTOCOL}".encode())
    return digest.digest()


def _installed(module: str) -> str:
    """Which copy of ``module`` is installed, without importing it (a start from the cache
    needs neither YAML nor pydantic): its file, size and time, which an update changes."""
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        return "none"
    info = os.stat(spec.origin)
    return f"{spec.origin}:{info.st_size}:{info.st_mtime_ns}"


def parse_file(path: Path, cache: Path | None) -> ParsedFile:
    """``core.loading.parse_file(path)``, from ``cache`` when this file was checked before
    by this code. ``cache`` None: no cache."""
    name = str(path)
    try:
        data = _read(path)
    except OSError:
        data = None
    if cache is None or data is None:
        # Unreadable or too large: the loader says so in its own words.
        return loading.parse_file(path)
    key = blake2b(code_key() + name.encode("utf-8", "surrogateescape") + b"\0" +
                         data).hexdigest()
    entry = cache / f"{key}.pickle"
    try:
        with entry.open("rb") as handle:
            parsed = pickle.load(handle)
        if isinstance(parsed, ParsedFile) and parsed.name == name:
            return parsed
    except FileNotFoundError:
        pass
    except Exception:  # noqa: BLE001 - a damaged or foreign entry: check the file again
        pass
    parsed = loading.parse_text(data, name, path.parent)
    _store(cache, entry, parsed)
    return parsed


def _read(path: Path) -> bytes | None:
    from ..core.yamlsafe import MAX_FILE_BYTES

    with path.open("rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    return None if len(data) > MAX_FILE_BYTES else data


def _store(cache: Path, entry: Path, parsed: ParsedFile) -> None:
    """Write ``entry`` whole or not at all; a cache that cannot be written is no cache."""
    try:
        cache.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=cache, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(parsed, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, entry)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _trim(cache)
    except (OSError, pickle.PicklingError, RecursionError):
        pass


def _trim(cache: Path) -> None:
    entries = []
    for path in cache.glob("*.pickle"):
        try:
            entries.append((path.stat().st_mtime_ns, path))
        except OSError:
            continue
    for _, path in sorted(entries, reverse=True)[KEEP:]:
        path.unlink(missing_ok=True)


class GrowthChecks:
    """``core.limits.overgrown``, its answers kept in the cache folder from one start to
    the next.

    Combining the files checks, at every start, that each program's progressions never
    grow a dose past the format's limits: the dose at its most is checked as a file's
    would be, which needs pydantic. The answer depends only on the dose, the exercise,
    the program's rules and the checking code, so it is kept under a key made of them
    (every field, as ``repr`` writes it) in a file named for the code. A start from the
    cache so loads no pydantic; anything new is checked and kept for the next start.
    """

    def __init__(self, cache: Path | None) -> None:
        self._file = None if cache is None else cache / f"growth-{code_key().hex()[:32]}.pickle"
        self._known = self._read()
        self._used: dict[str, dict | None] = {}

    def __call__(self, dose: object, exercise_id: str, rules: list) -> dict | None:
        from ..core.limits import overgrown

        key = repr((exercise_id, dose, tuple(rules)))
        if key in self._known:
            answer = self._known[key]
        else:
            answer = _portable(overgrown(dose, exercise_id, rules))  # type: ignore[arg-type]
        self._used[key] = answer
        return answer

    def save(self) -> None:
        """Keep this start's answers (and only those) for the next one, if any is new."""
        if self._file is None or self._used == self._known:
            return
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self._file.parent, suffix=".part")
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump(self._used, out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self._file)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except (OSError, pickle.PicklingError, RecursionError):
            pass
        self._known = dict(self._used)

    def _read(self) -> dict[str, dict | None]:
        if self._file is None:
            return {}
        try:
            with self._file.open("rb") as handle:
                known = pickle.load(handle)
        except Exception:  # noqa: BLE001 - missing, damaged or foreign: check afresh
            return {}
        if not isinstance(known, dict) or not all(
                isinstance(k, str) and (v is None or isinstance(v, dict))
                for k, v in known.items()):
            return {}
        return known


def _portable(error: dict | None) -> dict | None:
    """pydantic's error as plain data that keeps (its context's exception as its words)."""
    if error is None:
        return None
    ctx = {k: v if isinstance(v, (int, float, str)) else str(v)
           for k, v in (error.get("ctx") or {}).items()}
    return {"type": error["type"], "loc": tuple(error["loc"]), "msg": error["msg"],
            "input": error.get("input"), "ctx": ctx}
