"""The routine format as immutable models: the single source of the format.

The loader checks YAML against these classes, and ``core.schema`` generates the JSON
Schema shipped in ``routines/`` from them, so the two can never disagree. Field
docstrings become the schema's descriptions that an editor shows on hover.

Every model forbids unknown keys: a typo such as ``repz`` is an error with a
"did you mean" hint, never silently ignored. Every field uses a type from
``fields``, which keeps numbers finite and in range and text clean. The doses are in
``doses``, given here under the same names.

The models are plain records (``core.strict``): pydantic checks data against their
annotations, which stay text (the future import) until a check is first built, so a
start that reads checked files from the cache never loads pydantic. The names the
annotations use are given to this module then (``__validation_names__``); the
``TYPE_CHECKING`` import below names them for linters and readers.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

# The doses, given here under their names (``m.HoldDose``...).
from .doses import DOSE_TAGS as DOSE_TAGS
from .doses import ActivityDose as ActivityDose
from .doses import BreathsDose as BreathsDose
from .doses import HoldDose as HoldDose
from .doses import RepsDose as RepsDose
from .doses import Sides as Sides
from .doses import Tempo as Tempo
from .doses import dose_basis as dose_basis
from .doses import dose_source as dose_source
from .doses import dose_union
from .fields import (
    MAX_CUES,
    MAX_PROGRESSIONS,
    MAX_REPS,
    MAX_SECONDS,
    MAX_SETS,
    MAX_WEEKS,
)
from .strict import Strict

if TYPE_CHECKING:  # the annotations' names, given when a check is first built
    from typing import Annotated, Literal

    from pydantic import AfterValidator, Field, ValidationInfo

    from .fields import Amount, Id, NonNegativeSeconds, ShortText, Text, WeekSpan, text_field, whole

    Dose = ActivityDose | BreathsDose | RepsDose | HoldDose
    """A dose field: one of the four kinds (for pydantic: ``dose_union``)."""

FORMAT_VERSION = 1
"""The routine format version this code reads and writes."""


def _unique_ids(items: list, where: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"the id '{item.id}' appears twice in {where}")
        seen.add(item.id)


# --- Exercises -------------------------------------------------------------


class Position(str, Enum):
    """The position an exercise starts from, so the app can say how to get ready."""

    ON_BACK = "on-back"
    ON_FRONT = "on-front"
    ON_SIDE = "on-side"
    ALL_FOURS = "all-fours"
    KNEELING = "kneeling"
    HALF_KNEELING = "half-kneeling"
    SITTING = "sitting"
    STANDING = "standing"


class Illustration(Strict):
    """Drawings of the start and end position, relative to the routine file."""

    start: text_field(300)
    """Image of the start position (SVG or PNG), relative to this file's folder."""
    end: text_field(300) | None = None
    """Image of the end position, if it differs."""
    flip_for_right: bool = False
    """Mirror the drawing when the right side is being worked."""


class Category(str, Enum):
    CORE = "core"
    GLUTES = "glutes"
    BACK = "back"
    UPPER_BACK = "upper-back"
    MOBILITY = "mobility"
    STRETCH = "stretch"
    BREATHING = "breathing"
    CARDIO = "cardio"
    LEGS = "legs"


class SpineMove(str, Enum):
    """A way of moving the lower spine that makes some people's pain worse."""

    BEND_FORWARD = "bend-forward"
    """Rounding the lower back (child's pose, knee to chest, the cat half of cat-cow)."""
    BEND_BACKWARD = "bend-backward"
    """Arching the lower back (the cow half of cat-cow, back extensions)."""
    TWIST = "twist"
    """Turning the trunk (seated rotation, rotational stretches)."""


class Exercise(Strict):
    """One entry of the exercise library."""

    id: Id
    """Unique id that routines refer to."""
    name: ShortText
    """Name shown and spoken, e.g. Bird dog."""
    category: Category
    """What the exercise mainly trains."""
    position: Position
    """The starting position."""
    steps: Annotated[list[Text], Field(min_length=1, max_length=12)]
    """How to do it, one short step per line."""
    key_cue: text_field(160)
    """The one thing to remember; spoken when the exercise starts."""
    tip: Text | None = None
    """A hint that makes it easier to do well."""
    why: Text
    """Why it helps a sore back."""
    equipment: list[ShortText] = []
    """What is needed besides the floor, e.g. mat, resistance band, wall."""
    dose: Dose
    """The usual dose, used when a routine does not give its own."""
    illustration: Illustration | None = None
    """Optional drawings of the position."""
    easier: list[Id] = []
    """Ids of easier variants, for a bad day."""
    harder: list[Id] = []
    """Ids of harder variants, for when this becomes easy."""
    stop_if: list[Text] = []
    """Signs to stop or skip this exercise."""
    caution: Text | None = None
    """When this exercise may not suit someone (shown before it starts)."""
    spine_moves: list[SpineMove] = []
    """How it moves the lower spine, for people whom such a movement hurts."""
    neutral_instead: Id | None = None
    """A library exercise that keeps the spine still, done instead when one of
    `spine_moves` makes the person's pain worse."""


# --- Routines --------------------------------------------------------------


class Cue(Strict):
    """A line the app speaks at a time offset within each work period of an exercise."""

    at: NonNegativeSeconds
    """Seconds after the start of each set (and side) of the exercise."""
    say: text_field(200)
    """What to say (and show)."""


class RoutineItem(Strict):
    """One exercise in a routine, with its dose for this routine."""

    exercise: Id
    """Id of an exercise in the library."""
    dose: Dose | None = None
    """The dose here; when left out, the exercise's own dose is used."""
    cues: Annotated[list[Cue], Field(max_length=MAX_CUES)] = []
    """Extra spoken cues, besides the automatic ones."""
    rest_after: NonNegativeSeconds | None = None
    """Rest before the next exercise; defaults to the routine's `rest_between_exercises`."""
    note: Text | None = None
    """A note shown with the exercise in this routine."""


class Routine(Strict):
    """A session: an ordered list of exercises with their doses."""

    id: Id
    """Unique id, used by programs and on the command line."""
    name: ShortText
    """Name shown in the app."""
    summary: Text | None = None
    """One or two sentences on what this session is for."""
    exercises: Annotated[list[RoutineItem], Field(min_length=1, max_length=60)]
    """The exercises, in order."""
    prepare: NonNegativeSeconds | None = None
    """Get-ready countdown before the first exercise; defaults to the app setting."""
    rest_between_sets: NonNegativeSeconds | None = None
    """Rest between sets when a dose gives none; left out, the app's setting (30 s to start)."""
    rest_between_exercises: NonNegativeSeconds = 15.0
    """Time to move to the next exercise."""


# --- The program -----------------------------------------------------------


class Block(str, Enum):
    """The daily blocks of the program."""

    MORNING = "morning"
    MIDDAY = "midday"
    EVENING = "evening"


class PhaseSession(Strict):
    """A routine a phase uses, and how often each week."""

    routine: Id
    """Id of the routine."""
    per_week: whole(1, 7)
    """Times a week."""


class Advance(Strict):
    """When to suggest moving on to the next phase."""

    adherence: whole(0, 100) = 80
    """Least share (%) of planned sessions done during the phase."""
    pain_not_rising: bool = True
    """Also require that pain has not risen over the phase."""


class DailyBlock(Strict):
    """A short routine done every day at a time of day."""

    block: Block
    routine: Id
    minutes: whole(1, 120) | None = None
    """How long the source guide plans for this block, for comparison with the estimate."""
    remind_at: Annotated[str, Field(pattern=r"^([01]\d|2[0-3]):[0-5]\d$")] | None = None
    """Suggested reminder time, HH:MM."""


class Phase(Strict):
    """A stage of the program over a range of weeks."""

    id: Id
    name: ShortText
    weeks: WeekSpan
    """Program weeks this phase covers, e.g. 1-2 or 3-6."""
    focus: Text | None = None
    """What this phase works on."""
    basis: Text | None = None
    """Why these weeks or frequencies, where the source sets none: the author's own
    reasoning, shown with the plan."""
    sessions: Annotated[list[PhaseSession], Field(min_length=1)]
    """The phase sessions and how many times a week each is done."""
    advance: Advance = Advance()
    """When to suggest the next phase."""
    daily: list[DailyBlock] = []
    """Daily blocks that replace the program's block of the same name during this
    phase only, e.g. an evening block without a band before the strength phase."""

    def _check(self) -> None:
        blocks = [d.block for d in self.daily]
        if len(blocks) != len(set(blocks)):
            raise ValueError("each daily block (morning, midday, evening) may appear only "
                             "once in a phase")


def _within_the_cap(value: float, info: ValidationInfo) -> float:
    """A dose may never grow past what the format allows a dose to be."""
    change = info.data.get("change")
    most, unit = _GROWTH_CAPS.get(change, (MAX_SECONDS, "seconds"))
    if value > most:
        raise ValueError(f"must be at most {most} {unit} for change: {change}, not {value:g}")
    return value


class Progression(Strict):
    """A simple weekly increase, e.g. plank hold +5 s a week up to 60 s."""

    exercise: Id
    """Id of the exercise to progress (in every routine of the program)."""
    change: Literal["hold", "reps", "sets"]
    """What grows: the hold seconds, the reps (target), or the number of sets."""
    add: Annotated[Amount, AfterValidator(_within_the_cap)]
    """How much to add each step."""
    every_weeks: whole(1, 12) = 1
    """Weeks between steps."""
    from_week: whole(1, MAX_WEEKS) = 1
    """Program week of the first step up."""
    up_to: Annotated[Amount, AfterValidator(_within_the_cap)]
    """The most it grows to."""


_GROWTH_CAPS = {"hold": (MAX_SECONDS, "seconds"), "reps": (MAX_REPS, "repetitions"),
                "sets": (MAX_SETS, "sets")}


class Maintenance(Strict):
    """What continues after the last week of the program."""

    sessions: Annotated[list[PhaseSession], Field(min_length=1)]
    note: Text | None = None
    basis: Text | None = None
    """Why these frequencies, where the source sets none."""


class Program(Strict):
    """A program of phases over weeks, with daily blocks."""

    id: Id
    name: ShortText
    summary: Text | None = None
    phases: Annotated[list[Phase], Field(min_length=1)]
    """The phases in order; their weeks must follow on without gaps."""
    daily: list[DailyBlock] = []
    """Routines done every day (morning, midday, evening)."""
    progressions: Annotated[list[Progression], Field(max_length=MAX_PROGRESSIONS)] = []
    """Weekly increases applied to doses."""
    maintenance: Maintenance | None = None
    """Sessions to keep doing after the last phase."""

    def _check(self) -> None:
        _unique_ids(self.phases, "phases")
        expected = 1
        for number, phase in enumerate(self.phases, start=1):
            if phase.weeks.low != expected:
                raise ValueError(
                    f"phase {number} ({phase.id}) starts in week {phase.weeks.low}, "
                    f"but should start in week {expected} to follow on without a gap"
                )
            expected = phase.weeks.high + 1
        blocks = [d.block for d in self.daily]
        if len(blocks) != len(set(blocks)):
            raise ValueError("each daily block (morning, midday, evening) may appear only once")

    @property
    def weeks(self) -> int:
        """Length of the program in weeks."""
        return self.phases[-1].weeks.high

    def phase_for_week(self, week: int) -> Phase | None:
        """The phase a program week falls in; None after the last week."""
        for phase in self.phases:
            if week in phase.weeks:
                return phase
        return None


# --- Safety ----------------------------------------------------------------


class RedFlagTier(str, Enum):
    """How soon a red flag needs a doctor."""

    EMERGENCY = "emergency"
    """Get medical help today. A yes locks the program until, on a later day, the
    person confirms that a doctor has examined them since and cleared exercise.
    Asked again at the first session of every program week."""
    SEE_DOCTOR = "see-doctor"
    """See a doctor before starting; the person's word that a doctor cleared them
    unlocks the program."""


class RedFlag(Strict):
    """A sign that needs a doctor before exercising."""

    id: Id
    question: Text
    """Asked at first run, answerable yes or no."""
    advice: Text
    """What to do when the answer is yes."""
    tier: RedFlagTier = RedFlagTier.SEE_DOCTOR
    """emergency (medical help today) or see-doctor (a doctor's check before starting)."""


class CheckItem(Strict):
    id: Id
    text: Text


class Avoid(Strict):
    """An exercise or habit to avoid, with safer alternatives."""

    id: Id
    name: ShortText
    why: Text
    instead: list[Id] = []
    """Ids of library exercises to do instead."""
    instead_text: Text | None = None
    """The alternative in words, when it is not a single exercise."""
    covers: list[Id] = []
    """Library exercises that fall under this warning; no program may use them."""


class Habit(Strict):
    id: Id
    text: Text
    every_minutes: whole(1, 24 * 60) | None = None
    """For a recurring habit (stand up from sitting): how often."""
    per_day: whole(1, 24) | None = None


class Safety(Strict):
    """What to check before starting and what to avoid."""

    disclaimer: Text
    red_flags: list[RedFlag] = []
    checklist: list[CheckItem] = []
    avoid: list[Avoid] = []
    habits: list[Habit] = []
    expectations: list[Text] = []
    """What progress to expect and when."""

    def _check(self) -> None:
        for name in ("red_flags", "checklist", "avoid", "habits"):
            _unique_ids(getattr(self, name), name)


class Source(Strict):
    """Where a dose comes from: a guide, a therapist's prescription."""

    id: Id
    title: ShortText
    author: ShortText | None = None
    date: text_field(40, min_length=0) | None = None
    url: text_field(500, min_length=0) | None = None


# --- A file ----------------------------------------------------------------


class RoutineFile(Strict):
    """One YAML file. Any section may be left out; files in a folder are combined."""

    format: Literal[1]
    """The format version; this version of BackRehab reads 1."""
    sources: list[Source] = []
    exercises: list[Exercise] = []
    routines: list[Routine] = []
    programs: list[Program] = []
    safety: Safety | None = None


def __validation_names__() -> dict[str, object]:
    from .fields import namespace

    return {**namespace(), "Dose": dose_union()}


def __getattr__(name: str) -> object:
    # ``Dose``, the annotation of a dose field, carries pydantic's markers: it is made
    # when first asked for (an editor's check), like the names of the annotations.
    if name == "Dose":
        from .strict import _prepare

        _prepare(RoutineFile)
        return globals()["Dose"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
