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
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, FiniteFloat, ValidationError

from ..core.engine import ExerciseResult, Summary
from ..core.history import SESSION_KINDS
from .paths import APP_NAME
from .recorder import Feedback, SessionDraft

JOURNAL_NAME = "unsaved-sessions.jsonl"
FORMAT = 1


class JournalError(Exception):
    """No place would keep the session; the message says why, in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- The line format ---------------------------------------------------------------------

Scale = Annotated[int, Field(ge=0, le=10)]
Share = Annotated[FiniteFloat, Field(ge=0, le=1)]
Seconds = Annotated[FiniteFloat, Field(ge=0)]
Count = Annotated[int, Field(ge=0)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class _Result(_Model):
    item: Count
    exercise_id: str
    name: str
    status: Literal["done", "partial", "skipped"]
    seconds: Seconds
    sets_done: Count
    sets: Count
    reps_done: Count | None = None
    reps_target: Count | None = None
    hold_times: tuple[Seconds, ...] = ()
    share: Share = 0.0

    def result(self) -> ExerciseResult:
        return ExerciseResult(**self.model_dump())

    @classmethod
    def of(cls, r: ExerciseResult) -> _Result:
        return cls(item=r.item, exercise_id=r.exercise_id, name=r.name, status=r.status,
                   seconds=r.seconds, sets_done=r.sets_done, sets=r.sets,
                   reps_done=r.reps_done, reps_target=r.reps_target,
                   hold_times=tuple(r.hold_times), share=min(max(r.share, 0.0), 1.0))


class _Recorded(_Result):
    at: AwareDatetime


class _Summary(_Model):
    completed: bool
    active_seconds: Seconds
    share: Share
    results: tuple[_Result, ...]


class _Feedback(_Model):
    pain_after: Scale | None = None
    effort: Scale | None = None
    note: str | None = None
    pain_lasted: bool | None = None


class _Session(_Model):
    routine_id: Annotated[str, Field(min_length=1)]
    routine_name: str
    fingerprint: str
    kind: Literal[SESSION_KINDS]  # type: ignore[valid-type]
    block: str | None = None
    program_week: int | None = None
    phase_id: str | None = None
    started_at: AwareDatetime
    item_weights: tuple[Seconds, ...] = ()
    pain_before: Scale | None = None
    results: tuple[_Recorded, ...] = ()
    summary: _Summary | None = None
    ended_at: AwareDatetime | None = None
    feedback: _Feedback | None = None
    revision: Count = 0

    def draft(self) -> SessionDraft:
        summary = None
        if self.summary is not None:
            s = self.summary
            summary = Summary(self.routine_id, self.routine_name,
                              tuple(r.result() for r in s.results), s.completed,
                              s.active_seconds, s.share)
        results = tuple((ExerciseResult(**r.model_dump(exclude={"at"})), r.at)
                        for r in sorted(self.results, key=lambda r: r.item))
        feedback = Feedback(**self.feedback.model_dump()) if self.feedback else None
        return SessionDraft(
            routine_id=self.routine_id, routine_name=self.routine_name,
            fingerprint=self.fingerprint, kind=self.kind, block=self.block,
            program_week=self.program_week, phase_id=self.phase_id,
            started_at=self.started_at, item_weights=self.item_weights,
            pain_before=self.pain_before, results=results, summary=summary,
            ended_at=self.ended_at, feedback=feedback, revision=self.revision)

    @classmethod
    def of(cls, d: SessionDraft) -> _Session:
        s = d.summary
        return cls(
            routine_id=d.routine_id, routine_name=d.routine_name, fingerprint=d.fingerprint,
            kind=d.kind, block=d.block, program_week=d.program_week, phase_id=d.phase_id,
            started_at=d.started_at, item_weights=d.item_weights, pain_before=d.pain_before,
            results=tuple(_Recorded(**_Result.of(r).model_dump(), at=at) for r, at in d.results),
            summary=None if s is None else _Summary(
                completed=s.completed, active_seconds=s.active_seconds, share=s.share,
                results=tuple(_Result.of(r) for r in s.results)),
            ended_at=d.ended_at,
            feedback=None if d.feedback is None else _Feedback(**vars(d.feedback)),
            revision=d.revision)


class _Entry(_Model):
    format: Literal[1]
    key: str
    data_folder: str
    written_at: AwareDatetime
    session: _Session


# --- The journal ---------------------------------------------------------------------------


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


def fallback_files(data_dir: Path) -> list[Path]:
    """Where a data folder's journal goes when the folder itself refuses it."""
    import platformdirs  # loaded when needed, like paths does

    key = hashlib.sha256(str(_resolved(data_dir)).encode()).hexdigest()[:16]
    name = f"{key}.jsonl"
    return [Path(platformdirs.user_state_dir(APP_NAME, appauthor=False)) / "unsaved-sessions"
            / name,
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "unsaved-sessions"
            / name]


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
        try:
            entry = _Entry(format=FORMAT, key=draft.key, data_folder=str(self.data_dir),
                           written_at=self._now(), session=_Session.of(draft))
        except ValidationError as err:  # a bug upstream: say so rather than lose the session
            reason = err.errors()[0]["msg"]
            raise JournalError(f"BackRehab could not write the session down ({reason}). It "
                               "is only in memory: save a copy before you quit.") from err
        line = (entry.model_dump_json() + "\n").encode("utf-8")
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
                    entry = _parse(raw)
                    if entry is None:
                        problems.append(f"{path}, line {number}: not a session this version "
                                        "of BackRehab can read; it was left in the file.")
                        continue
                    draft = entry.session.draft()
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


def _parse(raw: bytes) -> _Entry | None:
    try:
        entry = _Entry.model_validate_json(raw)
    except ValidationError:
        return None
    return entry if entry.key == entry.session.draft().key else None


def _key(raw: bytes) -> str | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value.get("key") if isinstance(value, dict) else None
