"""What a session's work adds up to: a record per step, a result per exercise, a summary."""

from __future__ import annotations

from collections.abc import Mapping

from .events import ExerciseResult, StepRecord, Summary
from .timeline import Step, StepKind, Timeline, WorkKind


def step_record(step: Step, length: float | None, active: float, natural: bool,
                counted: int) -> StepRecord:
    """How much of a work step was done after ``active`` seconds (``counted`` self-paced reps);
    ``natural`` when it ran to its end or the person said it was done."""
    seconds = active if length is None else min(active, length)
    if step.work is WorkKind.REPS:
        total = step.total_reps
        reps = counted if (counted or not natural) else total
        reps = min(reps, total)
        share = reps / total if total else 1.0
        outcome = "done" if reps >= total else ("partial" if reps or seconds >= 1 else
                                                "skipped")
        return StepRecord(outcome, seconds, reps=reps, share=share)
    if step.work is WorkKind.OPEN_HOLD:
        outcome = "done" if natural else ("partial" if seconds >= 1 else "skipped")
        return StepRecord(outcome, seconds, hold_reached=round(seconds, 1),
                          share=1.0 if natural else min(seconds / (step.estimate or 1), 1.0))
    if step.work in (WorkKind.GUIDED_REPS, WorkKind.BREATHS):
        per = step.rep_seconds or 1.0
        reps = step.total_reps if natural else min(int(seconds / per), step.total_reps)
        share = 1.0 if natural else reps / (step.total_reps or 1)
        outcome = "done" if natural else ("partial" if seconds >= 1 else "skipped")
        return StepRecord(outcome, seconds, reps=reps, share=share)
    share = 1.0 if natural else min(seconds / (length or 1.0), 1.0)
    outcome = "done" if natural else ("partial" if seconds >= 1 else "skipped")
    return StepRecord(outcome, seconds, share=share)


def work_steps(timeline: Timeline, item: int) -> list[int]:
    """Indexes of the work steps of exercise ``item``."""
    return [i for i, s in enumerate(timeline.steps) if s.item == item and s.kind is StepKind.WORK]


def exercise_result(timeline: Timeline, records: Mapping[int, StepRecord],
                    item: int) -> ExerciseResult:
    indexes = work_steps(timeline, item)
    steps = [timeline.steps[i] for i in indexes]
    first = steps[0]
    done = [records.get(i) for i in indexes]
    seconds = sum(r.seconds for r in done if r)
    # A set counts as done when every side of it is done.
    sets_done = 0
    for number in range(1, first.sets + 1):
        in_set = [r for s, r in zip(steps, done) if s.set_number == number]
        if in_set and all(r and r.outcome == "done" for r in in_set):
            sets_done += 1
    counted = first.work in (WorkKind.REPS, WorkKind.GUIDED_REPS, WorkKind.BREATHS)
    reps_done = sum(r.reps for r in done if r) if counted else None
    reps_target = sum(s.total_reps for s in steps) if counted else None
    holds = tuple(r.hold_reached for r in done if r and r.hold_reached is not None)
    weights = [s.estimate or 1.0 for s in steps]
    share = sum(w * (r.share if r else 0.0) for w, r in zip(weights, done)) / sum(weights)
    if all(r and r.outcome == "done" for r in done):
        status = "done"
    elif all(r is None or r.outcome == "skipped" for r in done):
        status = "skipped"
    else:
        status = "partial"
    return ExerciseResult(item, first.exercise_id or "", first.name, status,
                          round(seconds, 1), sets_done, first.sets, reps_done, reps_target,
                          holds, round(share, 3))


def items(timeline: Timeline) -> list[int]:
    return sorted({s.item for s in timeline.steps if s.item is not None})


def session_summary(timeline: Timeline, records: Mapping[int, StepRecord],
                    completed: bool) -> Summary:
    indexes = items(timeline)
    results = tuple(exercise_result(timeline, records, i) for i in indexes)
    weights = [sum(timeline.steps[j].estimate or 1.0 for j in work_steps(timeline, i))
               for i in indexes]
    total = sum(weights) or 1.0
    share = sum(w * r.share for w, r in zip(weights, results)) / total
    return Summary(timeline.routine_id, timeline.name, results, completed,
                   round(sum(r.seconds for r in results), 1), round(share, 3))
