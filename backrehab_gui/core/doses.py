"""The doses of the routine format: how long to hold, how many reps or breaths, how long
to keep going; part of the models (``core.model`` gives them under the same names).

Annotations stay text until a check is built, and each ``_check`` is the model's rule
across its fields (see ``core.strict``).
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from .fields import MAX_BREATHS, MAX_REPS, MAX_SECONDS, MAX_SETS
from .strict import Strict

if TYPE_CHECKING:  # the annotations' names, given when a check is first built
    from .fields import (
        BreathCount,
        HoldTime,
        Id,
        NonNegativeSeconds,
        PositiveSeconds,
        RepCount,
        Text,
        whole,
    )


class Sides(str, Enum):
    """How an exercise uses the left and right side."""

    BOTH = "both"
    """Each set is done on the left, then repeated on the right."""
    ALTERNATING = "alternating"
    """Repetitions alternate left, right, left... within a set; the count is per side."""


class _SetsAndSides(Strict):
    sets: whole(1, MAX_SETS) = 1
    """How many sets. Between sets there is a rest of `rest` seconds."""
    rest: NonNegativeSeconds | None = None
    """Rest between sets. When left out, the routine's `rest_between_sets` applies."""
    source: Id | None = None
    """Id of the entry in `sources` this dose comes from (a guide, a therapist)."""
    basis: Text | None = None
    """Why this dose, where no source gives these figures: the routine author's own
    reasoning in a sentence or two. The exercise library shows it."""


class HoldDose(_SetsAndSides):
    """Hold a position for a time, or for as long as you can (`hold: max`).

    For several short holds in a row (knee to chest, 5 s, 3 times) use a reps
    dose with a `hold` on each rep instead.
    """

    hold: HoldTime
    """Seconds to hold, or `max` for an open hold that counts up and records the time reached."""
    goal: PositiveSeconds | None = None
    """For an open hold: a time to aim for, shown while counting up."""
    sides: Sides | None = None
    """Leave out for a symmetric hold; `both` does left then right."""

    def _check(self) -> None:
        if self.sides is Sides.ALTERNATING:
            raise ValueError('a hold cannot alternate sides; use sides: both (left, then right)')
        if self.goal is not None and self.hold != "max":
            raise ValueError("goal only applies to an open hold (hold: max)")

    @property
    def is_open(self) -> bool:
        return self.hold == "max"


class Tempo(Strict):
    """Seconds for each phase of one guided repetition."""

    up: PositiveSeconds = 2.0
    """Seconds to move into the position (lift, extend, reach)."""
    down: PositiveSeconds = 2.0
    """Seconds to return to the start."""


class RepsDose(_SetsAndSides):
    """Repetitions: self-paced, at a guided tempo, or with a hold on each."""

    reps: RepCount
    """Repetitions per set (per side when sides are used): 10 or a range like 8-12."""
    target: whole(1, MAX_REPS) | None = None
    """For a range: the number the app counts to. Defaults to the low end of the range."""
    tempo: Tempo | None = None
    """Make the app count each rep at this pace. Without `tempo` or `hold` reps are self-paced."""
    hold: PositiveSeconds | None = None
    """Hold each rep this long at the end position (bird dog: 3s). Implies a guided tempo."""
    sides: Sides | None = None
    """`both`: all reps on the left, then the right. `alternating`: left, right, left..."""

    def _check(self) -> None:
        if self.target is not None and self.target not in self.reps:
            raise ValueError(f"target {self.target} is outside the range {self.reps}")
        if self.guided:
            up, hold, down = self.rep_phases
            each = " each side" if self.sides is Sides.ALTERNATING else ""
            _check_set_length(self.count * (up + hold + down) * (2 if each else 1),
                              f"{self.count} reps{each} of {up + hold + down:g} s")

    @property
    def count(self) -> int:
        """Reps the app counts to, per set and per side."""
        return self.target if self.target is not None else self.reps.low

    @property
    def guided(self) -> bool:
        return self.tempo is not None or self.hold is not None

    @property
    def rep_phases(self) -> tuple[float, float, float]:
        """Seconds to move into position, to hold there, and to return."""
        tempo = self.tempo or _DEFAULT_TEMPO
        return (tempo.up, self.hold or 0.0, tempo.down)


_DEFAULT_TEMPO = Tempo()


class BreathsDose(_SetsAndSides):
    """Paced breathing or a movement done with the breath (cat-cow)."""

    breaths: BreathCount
    """Breaths per set: 8 or a range like 5-10."""
    target: whole(1, MAX_BREATHS) | None = None
    """For a range: the number of breaths the app paces. Defaults to the low end."""
    inhale: PositiveSeconds = 4.0
    """Seconds to breathe in."""
    exhale: PositiveSeconds = 4.0
    """Seconds to breathe out."""

    def _check(self) -> None:
        if self.target is not None and self.target not in self.breaths:
            raise ValueError(f"target {self.target} is outside the range {self.breaths}")
        _check_set_length(self.count * (self.inhale + self.exhale),
                          f"{self.count} breaths of {self.inhale + self.exhale:g} s")

    @property
    def count(self) -> int:
        return self.target if self.target is not None else self.breaths.low


def _check_set_length(seconds: float, what: str) -> None:
    """One set of paced work must fit in the longest time a routine may ask for."""
    if seconds > MAX_SECONDS:
        hours, minutes = int(seconds // 3600), int(seconds % 3600 // 60)
        raise ValueError(f"one set would take {hours:,} h {minutes} min ({what}); a set may take "
                         f"at most {MAX_SECONDS // 3600} hours")


class ActivityDose(Strict):
    """A timed continuous activity, such as a 10-minute walk."""

    activity: PositiveSeconds
    """How long to keep going."""
    source: Id | None = None
    """Id of the entry in `sources` this dose comes from."""
    basis: Text | None = None
    """Why this dose, where no source gives these figures: the routine author's own
    reasoning in a sentence or two. The exercise library shows it."""


DOSE_KINDS = {ActivityDose: "activity dose", BreathsDose: "breaths dose",
              RepsDose: "reps dose", HoldDose: "hold dose"}
DOSE_TAGS = tuple(DOSE_KINDS.values())
"""Tags pydantic inserts into error locations for the dose union; never data keys."""


def _dose_kind(value: object) -> str | None:
    if isinstance(value, Strict):
        return DOSE_KINDS.get(type(value))
    if not isinstance(value, dict):
        return None
    # Order matters: reps with a hold on each rep is a reps dose.
    for key in ("activity", "breaths", "reps", "hold"):
        if key in value:
            return f"{key} dose"
    return None


def dose_union() -> object:
    """The annotation of a dose field: one of the four kinds, told apart by its keys
    (pydantic's markers, so built when a check is first built)."""
    from typing import Annotated

    from pydantic import Discriminator, Tag

    return Annotated[
        Annotated[ActivityDose, Tag("activity dose")]
        | Annotated[BreathsDose, Tag("breaths dose")]
        | Annotated[RepsDose, Tag("reps dose")]
        | Annotated[HoldDose, Tag("hold dose")],
        Discriminator(
            _dose_kind,
            custom_error_type="dose_kind",
            custom_error_message="a dose needs one of: hold, reps, breaths or activity",
        ),
    ]


def __validation_names__() -> dict[str, object]:
    from .fields import namespace

    return namespace()


def dose_source(dose: object) -> str | None:
    """The source id a dose records, if any."""
    return getattr(dose, "source", None)


def dose_basis(dose: object) -> str | None:
    """The author's reason for a dose no source gives, if any."""
    return getattr(dose, "basis", None)
