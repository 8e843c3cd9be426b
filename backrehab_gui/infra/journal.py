"""The recovery journal: sessions the history could not take yet, kept on disk until it can.

When a history write is refused (read-only folder, full disk, another program
holding the file, a file from a newer version), the background writer appends
the session's whole draft here as one line of JSON and syncs it to the disk
before going on. The next time the history opens (at launch, or when the
person presses Try again) every session found here is merged into it and
forgotten here.

Where. ``unsaved-sessions.jsonl`` in the data folder; when that folder
refuses too (read-only, full), a file named after the data folder in the
platform's state folder, else in its cache folder. Merging reads all of them.

Lines are only ever appended, each a complete snapshot with a revision
number, so the newest line of a session wins, and a line cut short by a full
disk is cut off again before the append fails. A line that cannot be read
(damaged, or from a newer version) is reported and kept, never dropped.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths

if TYPE_CHECKING:
    from .recorder import SessionDraft

JOURNAL_NAME = "unsaved-sessions.jsonl"


class JournalError(Exception):
    """No place would keep the session; the message says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- The journal ---------------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def fallback_files(data_dir: Path) -> list[Path]:
    """Where a data folder's journal goes when the folder itself refuses it."""
    import hashlib  # the names stay SHA-256: files written by earlier versions

    key = hashlib.sha256(str(_resolved(data_dir)).encode()).hexdigest()[:16]
    name = f"{key}.jsonl"
    return [paths.state_dir() / "unsaved-sessions" / name,
            paths.cache_dir() / "unsaved-sessions" / name]


class SessionJournal:
    """The recovery journal of one data folder. Safe to use from several threads."""

    def __init__(self, data_dir: Path, *, fallbacks: Sequence[Path] | None = None,
                 now: Callable[[], datetime] = _utc_now) -> None:
        self.data_dir = Path(data_dir)
        self._fallbacks = None if fallbacks is None else list(fallbacks)
        self.problems: list[str] = []
        """Lines that could not be read, found by the last ``pending()``."""
        self._now = now
        self._lock = threading.Lock()

    @property
    def files(self) -> list[Path]:
        """Where lines go, in order of preference; all are read."""
        if self._fallbacks is None:  # platformdirs loads when first needed, not at start-up
            self._fallbacks = fallback_files(self.data_dir)
        return [self.data_dir / JOURNAL_NAME, *self._fallbacks]

    def append(self, draft: SessionDraft) -> Path:
        """Keep ``draft`` on disk; returns the file it went to. Raises JournalError."""
        from .journal_lines import entry_line

        try:
            line = entry_line(draft, str(self.data_dir), self._now())
        except ValueError as err:  # a bug upstream: say so rather than lose the session
            raise JournalError(f"BackRehab could not write the session down ({err}). It "
                               "is only in memory: save a copy before you quit.") from err
        refusals = []
        with self._lock:
            for path in self.files:
                try:
                    _append(path, line)
                    return path
                except OSError as err:
                    refusals.append(f"{path.parent}: {_reason(err)}")
        raise JournalError("BackRehab could not keep the session on disk either ("
                           + "; ".join(refusals) + "). It is only in memory: save a copy "
                           "before you quit.")

    def pending(self) -> list[SessionDraft]:
        """The newest draft of every session in the journal, in the order they started."""
        newest: dict[str, SessionDraft] = {}
        problems: list[str] = []
        with self._lock:
            for path in self.files:
                for number, raw in _lines(path, problems):
                    from .journal_lines import parse  # pydantic: only when there are lines

                    draft = parse(raw)
                    if draft is None:
                        problems.append(f"{path}, line {number}: not a session this version "
                                        "of BackRehab can read; it was left in the file.")
                        continue
                    if draft.key not in newest or newest[draft.key].revision <= draft.revision:
                        newest[draft.key] = draft
        self.problems = problems
        return sorted(newest.values(), key=lambda d: (d.started_at, d.key))

    def forget(self, keys: Iterable[str]) -> bool:
        """Drop every line of these sessions (they are in the history now).

        False when a file could not be rewritten: its lines stay, and merging
        them again later changes nothing.
        """
        gone = set(keys)
        if not gone:
            return True
        done = True
        with self._lock:
            for path in self.files:
                lines = list(_lines(path, []))
                kept = [raw for _, raw in lines if _key(raw) not in gone]
                if len(kept) == len(lines):
                    continue
                try:
                    _rewrite(path, kept)
                except OSError:
                    done = False
        return done

    def where(self) -> Path:
        """The file a new line would go to first."""
        return self.files[0]


# --- Files ------------------------------------------------------------------------------


def _resolved(folder: Path) -> Path:
    try:
        return folder.expanduser().resolve()
    except OSError:
        return folder.expanduser().absolute()


def _reason(err: OSError) -> str:
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if err.errno == errno.EROFS:
        return "the disk is read-only"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return err.strerror or str(err)


def _append(path: Path, line: bytes) -> None:
    created = not path.exists()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        size = os.fstat(fd).st_size
        try:
            view = memoryview(line)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        except OSError:
            # Never leave half a line for the next one to be glued to.
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise
    finally:
        os.close(fd)
    if created:
        _sync_folder(path.parent)


def _rewrite(path: Path, lines: list[bytes]) -> None:
    if not lines:
        path.unlink(missing_ok=True)
        _sync_folder(path.parent)
        return
    temporary = path.with_name(path.name + ".tmp")
    try:
        with open(temporary, "wb") as out:
            out.write(b"".join(lines))
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make a new or renamed file's name durable (not possible on every system)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _lines(path: Path, problems: list[str]) -> Iterable[tuple[int, bytes]]:
    """The complete lines of a journal file, numbered from 1 (none if it is missing)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as err:
        problems.append(f"{path} could not be read: {_reason(err)}.")
        return []
    return [(n, raw + b"\n") for n, raw in enumerate(data.split(b"\n"), 1) if raw.strip()]


def _key(raw: bytes) -> str | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value.get("key") if isinstance(value, dict) else None
