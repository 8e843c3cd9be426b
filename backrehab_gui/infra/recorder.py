"""Writes one session to the history as it runs, and never loses it.

Every step is written at once (a row when the session starts, each exercise
as it finishes, the end, the feedback), so a crash or power cut loses at most
the exercise in progress. If the disk refuses (read-only folder, disk full,
another copy holding the database) the session stays complete in memory:
``retry()`` writes all of it again once the problem is fixed (every store
write is safe to repeat), and ``record()`` gives it for a CSV copy meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from ..core.engine import ExerciseResult, Summary
from ..core.history import SessionRecord
from .store import HistoryStore, StoreError


class SessionRecorder:
    """One session's history, written as it happens."""

    def __init__(self, store: HistoryStore | None, *, routine_id: str, routine_name: str,
                 fingerprint: str, kind: str, block: str | None, program_week: int | None,
                 phase_id: str | None, item_weights: Sequence[float] = (),
                 unavailable: str = "The history could not be opened.") -> None:
        self.store = store
        self.info = dict(routine_id=routine_id, routine_name=routine_name,
                         fingerprint=fingerprint, kind=kind, block=block,
                         program_week=program_week, phase_id=phase_id)
        self.item_weights = tuple(item_weights)
        self.session_id: int | None = None
        self.started_at: datetime | None = None
        self.pain_before: int | None = None
        self.results: dict[int, tuple[ExerciseResult, datetime]] = {}
        self.summary: Summary | None = None
        self.ended_at: datetime | None = None
        self.feedback_given: dict[str, object] = {}
        self.error: str | None = None if store is not None else unavailable
        self._written = False

    @property
    def saved(self) -> bool:
        """True when everything known so far is in the history."""
        return self._written and self.error is None

    def begin(self, started_at: datetime, pain_before: int | None) -> None:
        self.started_at, self.pain_before = started_at, pain_before
        self._attempt(self._write_begin)

    def exercise(self, result: ExerciseResult, at: datetime) -> None:
        self.results[result.item] = (result, at)
        self._attempt(lambda: self._write_result(result, at))

    def finish(self, summary: Summary, ended_at: datetime) -> None:
        self.summary, self.ended_at = summary, ended_at
        self._attempt(self._write_finish)

    def feedback(self, pain_after: int | None, effort: int | None, note: str | None,
                 pain_lasted: bool | None = None) -> None:
        self.feedback_given = {"pain_after": pain_after, "effort": effort, "note": note,
                               "pain_lasted": pain_lasted}
        self._attempt(self._write_feedback)

    def retry(self) -> bool:
        """Write everything again; True when it is all in the history now."""
        self.error = None
        self._attempt(self._write_all)
        return self.saved

    def record(self) -> SessionRecord:
        """The session as known in memory (for a copy while the history is unavailable)."""
        assert self.started_at is not None
        summary = self.summary
        results = tuple(r for _, (r, _) in sorted(self.results.items()))
        if summary is not None:
            results = summary.results
        status = "running" if summary is None else ("completed" if summary.completed
                                                    else "stopped")
        return SessionRecord(
            id=self.session_id or 0, routine_id=self.info["routine_id"],
            routine_name=self.info["routine_name"], fingerprint=self.info["fingerprint"],
            kind=self.info["kind"], block=self.info["block"],
            local_date=self.started_at.date(), started_at=self.started_at,
            ended_at=self.ended_at, status=status,
            share=summary.share if summary else 0.0, pain_before=self.pain_before,
            pain_after=self.feedback_given.get("pain_after"),
            effort=self.feedback_given.get("effort"),
            note=self.feedback_given.get("note") or "",
            program_week=self.info["program_week"], phase_id=self.info["phase_id"],
            results=results, pain_lasted=self.feedback_given.get("pain_lasted"))

    # --- Writing -----------------------------------------------------------------------

    def _attempt(self, write: Callable[[], None]) -> None:
        if self.store is None:
            return
        if self.error is not None:
            # Something earlier is missing: writing this step alone would leave a gap.
            write = self._write_all
        try:
            write()
            self.error = None
            self._written = True
        except StoreError as err:
            self.error = err.message

    def _write_begin(self) -> None:
        assert self.store is not None and self.started_at is not None
        self.session_id = self.store.begin_session(
            started_at=self.started_at, pain_before=self.pain_before,
            item_weights=self.item_weights, **self.info)

    def _write_result(self, result: ExerciseResult, at: datetime) -> None:
        if self.session_id is None:
            self._write_begin()
        self.store.record_exercise(self.session_id, result, at)

    def _write_finish(self) -> None:
        if self.session_id is None:
            self._write_begin()
        self.store.finish_session(self.session_id, self.summary, self.ended_at)

    def _write_feedback(self) -> None:
        if self.session_id is None:
            self._write_begin()
        self.store.set_feedback(self.session_id, **self.feedback_given)

    def _write_all(self) -> None:
        if self.started_at is None:
            return
        self._write_begin()
        for _, (result, at) in sorted(self.results.items()):
            self.store.record_exercise(self.session_id, result, at)
        if self.summary is not None:
            self.store.finish_session(self.session_id, self.summary, self.ended_at)
        if self.feedback_given:
            self.store.set_feedback(self.session_id, **self.feedback_given)
