"""A routine compiled to the flat list of steps the player runs through.

Prepare, then for each exercise its work periods (per set, per side) with
side switches and rests between, then done. Every step knows its duration,
or that it is open-ended (self-paced reps, an open hold) and what time to
assume for it in estimates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field, replace
from enum import Enum

from . import model as m
from .records import record_class

DEFAULT_PREPARE = 10.0
"""Seconds of get-ready countdown before the first exercise, unless set otherwise."""
SWITCH_SIDES = 5.0
"""Seconds to change from the left side to the right."""
DEFAULT_REST = 30.0
"""Seconds of rest between sets when neither the dose nor the routine says."""
SELF_PACED_REP = 3.0
"""Seconds a self-paced repetition is assumed to take, for estimates only."""
OPEN_HOLD_GUESS = 30.0
"""Seconds assumed for an open hold without a goal, for estimates only."""


class StepKind(str, Enum):
    PREPARE = "prepare"
    WORK = "work"
    SWITCH = "switch"
    REST = "rest"
    DONE = "done"


class WorkKind(str, Enum):
    HOLD = "hold"
    OPEN_HOLD = "open-hold"
    REPS = "reps"
    """Self-paced: the person counts, the app waits."""
    GUIDED_REPS = "guided-reps"
    """The app paces every repetition (tempo, and an optional hold on each)."""
    BREATHS = "breaths"
    ACTIVITY = "activity"


@record_class
class Step:
    """One step of a session."""

    kind: StepKind
    duration: float | None
    """Seconds, or None when the step lasts until the person says it is done."""
    estimate: float
    """Seconds to assume in time estimates (equal to duration when it is fixed)."""
    item: int | None = None
    """Index of the exercise in the routine, None for prepare and done."""
    exercise_id: str | None = None
    name: str = ""
    key_cue: str = ""
    """The exercise's one key cue, spoken when it starts."""
    work: WorkKind | None = None
    set_number: int = 1
    sets: int = 1
    side: str | None = None
    """'left', 'right', or None; 'alternating' for reps that alternate sides."""
    count: int = 0
    """Reps or breaths to do in this step (for alternating reps: per side)."""
    phases: tuple[float, ...] = ()
    """Guided reps: (up, hold, down) seconds; breaths: (inhale, exhale)."""
    goal: float | None = None
    """Open holds: the time to aim for."""
    cues: tuple[m.Cue, ...] = ()
    """The routine's own spoken cues for this work period."""
    next_name: str | None = None
    """For prepare, switch and rest: the exercise that comes next."""
    before_next_exercise: bool = False
    """A rest between two exercises rather than between sets."""

    @property
    def is_open(self) -> bool:
        return self.duration is None

    @property
    def rep_seconds(self) -> float:
        """Seconds one guided rep or breath takes."""
        return sum(self.phases)

    @property
    def total_reps(self) -> int:
        """Reps in the step, counting both sides for alternating reps."""
        return self.count * (2 if self.side == "alternating" else 1)


@record_class
class Timeline:
    """The compiled routine."""

    routine_id: str
    name: str
    steps: tuple[Step, ...]
    items: tuple[str, ...] = field(default=())
    """Exercise ids, in routine order."""

    @property
    def estimate(self) -> float:
        """Estimated seconds for the whole session."""
        return sum(step.estimate for step in self.steps)

    def item_weights(self) -> tuple[float, ...]:
        """Planned work seconds of each exercise, in routine order (for a share of work done)."""
        weights = [0.0] * len(self.items)
        for step in self.steps:
            if step.kind is StepKind.WORK and step.item is not None:
                weights[step.item] += step.estimate
        return tuple(weights)

    def remaining_from(self, index: int) -> float:
        """Estimated seconds from the start of step ``index`` to the end."""
        return sum(step.estimate for step in self.steps[index:])


def compile_routine(
    routine: m.Routine,
    exercises: Mapping[str, m.Exercise],
    *,
    prepare: float | None = None,
    rest: float | None = None,
    doses: Mapping[int, m.Dose] | None = None,
) -> Timeline:
    """Compile a routine to steps.

    ``prepare`` and ``rest`` are the app's get-ready and rest-between-sets
    settings, used when the routine sets none. ``doses`` replaces the dose of
    items by index (for progressions).
    """
    doses = doses or {}
    prep = routine.prepare if routine.prepare is not None else (
        DEFAULT_PREPARE if prepare is None else prepare)
    first = exercises[routine.exercises[0].exercise]
    steps: list[Step] = []
    if prep > 0:
        steps.append(Step(StepKind.PREPARE, prep, prep, next_name=first.name))
    set_rest = routine.rest_between_sets
    if set_rest is None:
        set_rest = DEFAULT_REST if rest is None else rest
    last = len(routine.exercises) - 1
    for index, item in enumerate(routine.exercises):
        exercise = exercises[item.exercise]
        dose = doses.get(index) or item.dose or exercise.dose
        steps.extend(_item_steps(index, item, exercise, dose, set_rest))
        if index < last:
            pause = routine.rest_between_exercises if item.rest_after is None \
                else item.rest_after
            if pause > 0:
                upcoming = exercises[routine.exercises[index + 1].exercise]
                steps.append(Step(StepKind.REST, pause, pause, item=index,
                                  exercise_id=exercise.id, name=exercise.name,
                                  next_name=upcoming.name, before_next_exercise=True))
    steps.append(Step(StepKind.DONE, 0.0, 0.0))
    return Timeline(routine.id, routine.name, tuple(steps),
                    tuple(i.exercise for i in routine.exercises))


@record_class
class Swapped:
    """A timeline with an exercise swapped from one step on (see :func:`swap_exercise`)."""

    timeline: Timeline
    replaced: tuple[tuple[int, int], ...]
    """(new item, the item whose work it took over), for each new item."""


def swap_exercise(timeline: Timeline, index: int, exercise: m.Exercise, *,
                  set_rest: float, lead_in: float) -> Swapped:
    """``timeline`` with ``exercise`` instead of the exercise of step ``index``, from
    that step to the end of the session.

    What is left of the current exercise (this step and its later sets and sides)
    gives way to ``exercise`` at its own usual dose, after a rest of ``lead_in``
    seconds to get into position; a later appearance of the same exercise is
    swapped too. The easier exercise is a new item, so the history keeps what was
    done of the original and what was done instead. The steps before ``index``
    are unchanged. Raises ValueError when step ``index`` is not part of an
    exercise (get ready, a rest between two exercises, done).
    """
    steps = timeline.steps
    current = steps[index]
    if current.item is None or current.kind in (StepKind.PREPARE, StepKind.DONE) or \
            current.before_next_exercise:
        raise ValueError(f"step {index} is not part of an exercise")
    items = list(timeline.items)
    replaced: list[tuple[int, int]] = []

    def instead(old_item: int) -> list[Step]:
        replaced.append((len(items), old_item))
        items.append(exercise.id)
        return _item_steps(len(items) - 1, m.RoutineItem(exercise=exercise.id), exercise,
                           exercise.dose, set_rest)

    def block_end(start: int, item: int) -> int:
        end = start
        while end < len(steps) and steps[end].item == item and \
                not steps[end].before_next_exercise:
            end += 1
        return end

    out = list(steps[:index])
    if lead_in > 0:
        out.append(Step(StepKind.REST, lead_in, lead_in, item=current.item,
                        exercise_id=current.exercise_id, name=current.name,
                        before_next_exercise=True))
    out += instead(current.item)
    i = block_end(index, current.item)
    while i < len(steps):
        step = steps[i]
        if step.kind is StepKind.WORK and step.exercise_id == current.exercise_id:
            out += instead(step.item)
            i = block_end(i, step.item)
        else:
            out.append(step)
            i += 1
    # What comes next is named afresh from the swap on: a rest may now lead to the
    # easier exercise.
    for n in range(index, len(out)):
        if out[n].next_name is not None or out[n].before_next_exercise:
            upcoming = next((s for s in out[n + 1:] if s.kind is StepKind.WORK), None)
            out[n] = replace(out[n], next_name=upcoming.name if upcoming else None)
    return Swapped(Timeline(timeline.routine_id, timeline.name, tuple(out), tuple(items)),
                   tuple(replaced))


def _item_steps(index: int, item: m.RoutineItem, exercise: m.Exercise, dose: m.Dose,
                set_rest: float) -> list[Step]:
    work = _work_template(dose)
    sets = getattr(dose, "sets", 1)
    sides = getattr(dose, "sides", None)
    if sides is m.Sides.BOTH:
        side_list: list[str | None] = ["left", "right"]
    elif sides is m.Sides.ALTERNATING:
        side_list = ["alternating"]
    else:
        side_list = [None]
    rest = getattr(dose, "rest", None)
    rest = set_rest if rest is None else rest
    base = dict(item=index, exercise_id=exercise.id, name=exercise.name, sets=sets,
                key_cue=exercise.key_cue)
    steps: list[Step] = []
    for set_number in range(1, sets + 1):
        for side in side_list:
            duration, estimate = work.timing(side == "alternating")
            steps.append(Step(StepKind.WORK, duration, estimate, work=work.kind,
                              set_number=set_number, side=side, count=work.count,
                              phases=work.phases, goal=work.goal, cues=tuple(item.cues),
                              **base))
            if side == "left":
                steps.append(Step(StepKind.SWITCH, SWITCH_SIDES, SWITCH_SIDES,
                                  set_number=set_number, side="right",
                                  next_name=exercise.name, **base))
        if set_number < sets and rest > 0:
            steps.append(Step(StepKind.REST, rest, rest, set_number=set_number,
                              next_name=exercise.name, **base))
    return steps


def work_seconds(dose: m.Dose) -> float | None:
    """Seconds one work period of ``dose`` lasts (one set, one side); None when open-ended."""
    alternating = getattr(dose, "sides", None) is m.Sides.ALTERNATING
    return _work_template(dose).timing(alternating)[0]


@record_class
class _Work:
    kind: WorkKind
    fixed: float | None
    """Seconds for one side, or None for open-ended work."""
    guess: float
    count: int = 0
    phases: tuple[float, ...] = ()
    goal: float | None = None

    def timing(self, alternating: bool) -> tuple[float | None, float]:
        factor = 2 if alternating else 1
        fixed = None if self.fixed is None else self.fixed * factor
        return fixed, self.guess * factor


def _work_template(dose: m.Dose) -> _Work:
    if isinstance(dose, m.ActivityDose):
        return _Work(WorkKind.ACTIVITY, dose.activity, dose.activity)
    if isinstance(dose, m.BreathsDose):
        phases = (dose.inhale, dose.exhale)
        seconds = dose.count * sum(phases)
        return _Work(WorkKind.BREATHS, seconds, seconds, dose.count, phases)
    if isinstance(dose, m.RepsDose):
        if dose.guided:
            phases = dose.rep_phases
            seconds = dose.count * sum(phases)
            return _Work(WorkKind.GUIDED_REPS, seconds, seconds, dose.count, phases)
        return _Work(WorkKind.REPS, None, dose.count * SELF_PACED_REP, dose.count)
    if dose.is_open:
        return _Work(WorkKind.OPEN_HOLD, None, dose.goal or OPEN_HOLD_GUESS, goal=dose.goal)
    return _Work(WorkKind.HOLD, float(dose.hold), float(dose.hold))
