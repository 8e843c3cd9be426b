"""The recovery journal's line format: one session's whole draft as JSON, checked on reading.

Kept apart from ``journal`` so that opening the history (which reads the journal at
every start, nearly always to find nothing) loads pydantic only when a line is
written or read.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, FiniteFloat, ValidationError

from ..core.engine import ExerciseResult, Summary
from ..core.history import SESSION_KINDS
from .recorder import Feedback, SessionDraft

FORMAT = 1

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


def entry_line(draft: SessionDraft, data_folder: str, written_at) -> bytes:
    """The line that keeps ``draft``. Raises ValueError when the draft does not fit the
    format (a bug upstream), with pydantic's first message."""
    try:
        entry = _Entry(format=FORMAT, key=draft.key, data_folder=data_folder,
                       written_at=written_at, session=_Session.of(draft))
    except ValidationError as err:
        raise ValueError(err.errors()[0]["msg"]) from err
    return (entry.model_dump_json() + "\n").encode("utf-8")


def parse(raw: bytes) -> SessionDraft | None:
    """The draft a line keeps; None when this version cannot read it."""
    try:
        entry = _Entry.model_validate_json(raw)
    except ValidationError:
        return None
    draft = entry.session.draft()
    return draft if entry.key == draft.key else None
