"""One session as it runs: what is known of it, and how it goes into the history.

A session is written step by step (a row when it starts, each exercise as it
finishes, the end, the feedback), so a crash loses at most the exercise in
progress. The window never waits for the disk: each step makes a new
:class:`SessionDraft` (an immutable snapshot of everything known so far) and
hands the recorder to the background writer (``infra/writer.py``), which
writes what the history lacks. When the history refuses (read-only folder,
full disk, another program holding the file, a file from a newer version),
the writer keeps the draft in the recovery journal (``infra/journal.py``)
instead, and the recorder says so; nothing is ever only in memory unless the
journal was refused too.

Times. A session's start is the wall clock when it began; every later time
(each result, the end) is that start plus the time measured since on the
monotonic clock, so a wall clock moved back mid-session cannot put the end
before the start.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.history import SessionRecord
from ..core.records import record_class
from .store import HistoryStore

if TYPE_CHECKING:  # the session engine loads with the player, not for opening the history
    from ..core.engine import ExerciseResult, Summary

FINAL_STATUSES = ("completed", "stopped")


@record_class
class Feedback:
    """The answers given after a session (None: not answered)."""

    pain_after: int | None = None
    effort: int | None = None
    note: str | None = None
    pain_lasted: bool | None = None
    """Pain more than light for longer than 15 minutes (None: not asked or skipped)."""


@record_class
class SessionDraft:
    """Everything known about one session at one moment.

    Immutable, so the writer thread can hold one while the window makes the
    next. ``revision`` goes up by one with every change.
    """

    routine_id: str
    routine_name: str
    fingerprint: str
    kind: str
    block: str | None
    program_week: int | None
    phase_id: str | None
    started_at: datetime
    item_weights: tuple[float, ...] = ()
    pain_before: int | None = None
    results: tuple[tuple[ExerciseResult, datetime], ...] = ()
    """Each exercise's latest result and when it was recorded, in item order."""
    summary: Summary | None = None
    ended_at: datetime | None = None
    feedback: Feedback | None = None
    revision: int = 0

    @property
    def key(self) -> str:
        """The session's identity, in the history as in the journal: routine and start."""
        return session_key(self.routine_id, self.started_at)

    @property
    def status(self) -> str:
        if self.summary is None:
            return "running"
        return "completed" if self.summary.completed else "stopped"

    def with_result(self, result: ExerciseResult, at: datetime) -> SessionDraft:
        kept = {r.item: (r, t) for r, t in self.results}
        kept[result.item] = (result, at)
        return self._next(results=tuple(kept[i] for i in sorted(kept)))

    def _next(self, **changes: object) -> SessionDraft:
        return replace(self, revision=self.revision + 1, **changes)

    def record(self, session_id: int = 0, status: str | None = None) -> SessionRecord:
        """The session as a history record (for the views, a CSV copy, reminders)."""
        summary = self.summary
        results = summary.results if summary else tuple(r for r, _ in self.results)
        feedback = self.feedback or Feedback()
        return SessionRecord(
            id=session_id, routine_id=self.routine_id, routine_name=self.routine_name,
            fingerprint=self.fingerprint, kind=self.kind, block=self.block,
            local_date=self.started_at.date(), started_at=self.started_at,
            ended_at=self.ended_at, status=status or self.status,
            share=summary.share if summary else _share(self), pain_before=self.pain_before,
            pain_after=feedback.pain_after, effort=feedback.effort, note=feedback.note or "",
            program_week=self.program_week, phase_id=self.phase_id, results=results,
            pain_lasted=feedback.pain_lasted)


def session_key(routine_id: str, started_at: datetime) -> str:
    return f"{routine_id}@{started_at.isoformat()}"


def _share(draft: SessionDraft) -> float:
    """Share of planned work done so far, weighted as the store weighs it."""
    shares = {r.item: r.share for r, _ in draft.results}
    if draft.item_weights:
        total = sum(draft.item_weights) or 1.0
        done = sum(w * shares.get(i, 0.0) for i, w in enumerate(draft.item_weights))
    else:
        total = len(shares) or 1
        done = sum(shares.values())
    return round(min(max(done / total, 0.0), 1.0), 3)


def after(start: datetime, seconds: float) -> datetime:
    """``seconds`` of real time after ``start``, in start's zone (adding to a zoned
    datetime would add wall time, an hour off across a daylight-saving change)."""
    return (start.astimezone(timezone.utc) + timedelta(seconds=max(0.0, seconds))) \
        .astimezone(start.tzinfo)


# --- Writing a draft -------------------------------------------------------------------


def write_draft(store: HistoryStore, draft: SessionDraft, since: SessionDraft | None = None,
                session_id: int | None = None) -> int:
    """Write what ``draft`` holds and the history lacks; returns the session's id.

    ``since`` is the draft last written whole (with ``session_id``), or None to
    write everything. Every store write is safe to repeat, so writing too much
    is harmless; raises StoreError, leaving the history as it was after the
    last step that went through.
    """
    if since is None or session_id is None:
        since = None
        session_id = store.begin_session(
            draft.routine_id, draft.routine_name, draft.fingerprint, draft.kind, draft.block,
            draft.started_at, draft.program_week, draft.phase_id, draft.pain_before,
            item_weights=draft.item_weights)
    written = set(since.results) if since else set()
    for result, at in draft.results:
        if (result, at) not in written:
            store.record_exercise(session_id, result, at)
    if draft.summary is not None and (since is None or since.summary is None):
        store.finish_session(session_id, draft.summary, draft.ended_at or draft.started_at)
    if draft.feedback is not None and (since is None or since.feedback != draft.feedback):
        f = draft.feedback
        store.set_feedback(session_id, f.pain_after, f.effort, f.note, f.pain_lasted)
    return session_id


def merge_draft(store: HistoryStore, draft: SessionDraft) -> int:
    """Put a draft from the recovery journal into the history, never downgrading it.

    A session the history already has as ended keeps it (only missing answers
    are added); one still running in the draft came from an earlier run that
    never ended, so it is marked interrupted, like one found running on open.
    Safe to repeat: the same draft merged twice leaves one session.
    """
    found = store.find_session(draft.routine_id, draft.started_at)
    if found is not None and found.status in FINAL_STATUSES:
        if draft.feedback is not None:
            f = draft.feedback
            store.set_feedback(found.id, f.pain_after, f.effort, f.note, f.pain_lasted)
        return found.id
    session_id = write_draft(store, draft)
    if draft.summary is None:
        store.mark_interrupted(session_id)
    return session_id


# --- The recorder ----------------------------------------------------------------------


@record_class(frozen=False)
class _Outcome:
    """What became of the drafts so far (changed by the writer thread, under the lock)."""

    saved_revision: int = -1
    tried_revision: int = -1
    error: str | None = None
    journaled_revision: int = -1
    journal_path: Path | None = None
    journal_error: str | None = None
    saving: bool = False


@record_class
class SaveState:
    """Where a session is kept, in words the window can show."""

    saved: bool
    """Everything known is in the history."""
    saving: bool
    """A write is under way."""
    error: str | None = None
    """Why the history refused the latest write (None when it did not)."""
    journal_path: Path | None = None
    """Where the latest draft is kept instead, when it is."""
    journal_error: str | None = None
    """Why the journal refused it too (the session is then only in memory)."""

    @property
    def kept(self) -> bool:
        """On a disk somewhere: in the history or in the recovery journal."""
        return self.saved or self.journal_path is not None


class SessionRecorder:
    """One session's history, handed to the writer as it happens.

    Methods are called on the window's thread; ``save`` (the writer's) only
    queues the work. The writer reports back through ``_settle`` on its own
    thread; ``state()`` may be read from either.
    """

    def __init__(self, save: Callable[[SessionRecorder, bool], None], *, routine_id: str,
                 routine_name: str, fingerprint: str, kind: str, block: str | None,
                 program_week: int | None, phase_id: str | None,
                 item_weights: Sequence[float] = (),
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._save = save
        self._clock = clock
        self._info = dict(routine_id=routine_id, routine_name=routine_name,
                          fingerprint=fingerprint, kind=kind, block=block,
                          program_week=program_week, phase_id=phase_id,
                          item_weights=tuple(float(w) for w in item_weights))
        self._lock = threading.Lock()
        self._draft: SessionDraft | None = None
        self._began = 0.0
        self._outcome = _Outcome()
        self.history_problem: Callable[[], str] = lambda: ""
        """Why the history is unavailable (set by whoever owns the writer), for state()."""

    # --- What the session does ------------------------------------------------------

    def begin(self, started_at: datetime, pain_before: int | None) -> None:
        """The session started now (a wall-clock time, with its zone)."""
        self._began = self._clock()
        self._change(SessionDraft(started_at=started_at, pain_before=pain_before,
                                  **self._info))

    def exercise(self, result: ExerciseResult) -> None:
        draft = self._require()
        self._change(draft.with_result(result, self._now(draft)))

    def finish(self, summary: Summary) -> None:
        draft = self._require()
        self._change(draft._next(summary=summary, ended_at=self._now(draft)))

    def feedback(self, pain_after: int | None, effort: int | None, note: str | None,
                 pain_lasted: bool | None = None) -> None:
        draft = self._require()
        self._change(draft._next(feedback=Feedback(pain_after, effort, note, pain_lasted)))

    def retry(self) -> None:
        """Try the history again now, even if this very draft was refused before."""
        if self.draft is not None:
            self._save(self, True)

    # --- What the window asks -------------------------------------------------------

    @property
    def draft(self) -> SessionDraft | None:
        with self._lock:
            return self._draft

    @property
    def started(self) -> bool:
        return self.draft is not None

    @property
    def key(self) -> str | None:
        draft = self.draft
        return draft.key if draft else None

    @property
    def saved(self) -> bool:
        return self.state().saved

    def state(self) -> SaveState:
        with self._lock:
            draft, o = self._draft, self._outcome
            if draft is None:
                return SaveState(saved=False, saving=False)
            saved = o.saved_revision == draft.revision
            journaled = o.journaled_revision == draft.revision
            return SaveState(
                saved=saved, saving=o.saving or o.tried_revision < draft.revision,
                error=None if saved else (o.error or self.history_problem() or None),
                journal_path=o.journal_path if journaled else None,
                journal_error=None if saved or journaled else o.journal_error)

    def record(self) -> SessionRecord:
        """The session as known in memory (for the views and a CSV copy)."""
        return self._require().record()

    # --- Called by the writer -------------------------------------------------------

    def _settle(self, draft: SessionDraft, *, saving: bool = False, saved: bool = False,
                error: str | None = None, journal_path: Path | None = None,
                journal_error: str | None = None) -> None:
        with self._lock:
            o = self._outcome
            o.saving = saving
            if saving:
                return
            o.tried_revision = max(o.tried_revision, draft.revision)
            if saved:
                o.saved_revision = max(o.saved_revision, draft.revision)
                o.error = o.journal_error = None
                return
            o.error = error
            if journal_path is not None:
                o.journaled_revision, o.journal_path = draft.revision, journal_path
                o.journal_error = None
            elif journal_error is not None:
                o.journal_error = journal_error

    def _tried(self, revision: int) -> bool:
        with self._lock:
            return self._outcome.tried_revision >= revision

    # --- Inside ------------------------------------------------------------------------

    def _require(self) -> SessionDraft:
        draft = self.draft
        if draft is None:
            raise RuntimeError("the session has not begun")
        return draft

    def _now(self, draft: SessionDraft) -> datetime:
        return after(draft.started_at, self._clock() - self._began)

    def _change(self, draft: SessionDraft) -> None:
        with self._lock:
            self._draft = draft
        self._save(self, False)

