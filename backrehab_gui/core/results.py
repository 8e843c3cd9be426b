"""What a session's work adds up to: a record per step, a result per exercise, a summary."""

from __future__ import annotations

from collections.abc import Mapping

from .events import Event, ExerciseFinished, ExerciseResult, StepRecord, Summary
from .timeline import Step, StepKind, Swapped, Timeline, WorkKind


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


class Tally:
    """A session's results so far: a record per work step, which exercises have been
    reported, and what a swap changed ("Stop: it hurts", ``timeline.swap_exercise``).

    After a swap the results of the exercises that gave way are final; the easier
    ones standing in for them count, in the session's share, for the planned work
    they took over, but are not more of the plan.
    """

    def __init__(self, timeline: Timeline) -> None:
        self.timeline = timeline
        self.records: dict[int, StepRecord] = {}
        self.reported: set[int] = set()
        self._final: dict[int, ExerciseResult] = {}
        self._weights: dict[int, float] = {}
        self._stand_ins: set[int] = set()

    def items(self) -> list[int]:
        """Every item of the session, including any that gave way in a swap."""
        return sorted(set(items(self.timeline)) | set(self._final))

    def result(self, item: int) -> ExerciseResult:
        if item in self._final:
            return self._final[item]
        return exercise_result(self.timeline, self.records, item)

    def report(self, item: int) -> list[Event]:
        self.reported.add(item)
        return [ExerciseFinished(self.result(item))]

    def report_all(self) -> list[Event]:
        """Results for exercises not yet reported (on stop or at the end)."""
        return [e for i in self.items() if i not in self.reported for e in self.report(i)]

    def summary(self, completed: bool) -> Summary:
        indexes = self.items()
        results = tuple(self.result(i) for i in indexes)
        weights = [self._planned_weight(i) for i in indexes]
        total = sum(w for i, w in zip(indexes, weights) if i not in self._stand_ins) or 1.0
        # A stand-in may do more than what was left of the exercise it replaced.
        share = min(sum(w * r.share for w, r in zip(weights, results)) / total, 1.0)
        return Summary(self.timeline.routine_id, self.timeline.name, results, completed,
                       round(sum(r.seconds for r in results), 1), round(share, 3))

    def swapped(self, swapped: Swapped, index: int) -> None:
        """The session goes on from step ``index`` with ``swapped.timeline``; the step in
        progress has been recorded already."""
        weights = {i: self._planned_weight(i) for i in self.items()}
        for new, gave_way in swapped.replaced:
            # The current exercise hands over what was left of it; a later appearance,
            # all of it.
            weights[new] = sum(self.timeline.steps[j].estimate or 1.0
                               for j in work_steps(self.timeline, gave_way) if j >= index)
            self._stand_ins.add(new)
            self._final[gave_way] = self.result(gave_way)
        self._weights = weights
        # Records belong to step indexes of the old timeline from here on.
        self.records = {i: r for i, r in self.records.items() if i < index}
        self.timeline = swapped.timeline

    def _planned_weight(self, item: int) -> float:
        if item in self._weights:
            return self._weights[item]
        return sum(self.timeline.steps[j].estimate or 1.0
                   for j in work_steps(self.timeline, item))
