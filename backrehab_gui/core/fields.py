"""The kinds of value a routine file holds, each with its limits, in one place.

Every number in the format is finite and inside a documented range, and every
text is free of control and invisible characters; the models in ``model`` use
only these types, so no field can slip past a check. The limits are listed in
docs/routine-format.md ("Limits") and carried into the JSON Schema.

The limits are plain numbers, here at import. The types carry pydantic's checks,
so they are built when a check is first built (``namespace``), never for a start
that reads its routine files from the cache (see ``core.strict``).
"""

from __future__ import annotations

import functools
from functools import partial
from typing import Annotated, Literal

from .plaintext import bad_character, echo
from .units import (
    DURATION_HELP,
    DURATION_PATTERN,
    RANGE_HELP,
    RANGE_PATTERN,
    IntRange,
    parse_duration,
    parse_range,
)

MAX_SECONDS = 4 * 3600
"""The longest duration a routine may ask for, and the longest one set may take."""
MAX_SETS = 20
MAX_REPS = 500
MAX_BREATHS = 200
MAX_WEEKS = 104
"""The longest program: two years. Maintenance goes on after it."""
MAX_CUES = 20
"""Spoken cues on one routine item."""
MAX_PROGRESSIONS = 50
"""Progression rules in one program."""


# --- Text --------------------------------------------------------------------


def _clean(*, lines: bool):
    from pydantic import AfterValidator

    def check(text: str) -> str:
        problem = bad_character(text, lines=lines, invisible=lines)
        if problem:
            raise ValueError(problem)
        return text

    return AfterValidator(check)


def text_field(max_length: int, *, lines: bool = False, min_length: int = 1) -> object:
    """Text of up to ``max_length`` characters; ``lines``: long text that may have line breaks."""
    from pydantic import Field

    return Annotated[str, Field(min_length=min_length or None, max_length=max_length),
                     _clean(lines=lines)]


def _id() -> object:
    from pydantic import Field

    return Annotated[
        str,
        Field(
            pattern=r"^[a-z0-9][a-z0-9-]*$",
            max_length=64,
            description="Lower-case letters, digits and dashes, e.g. bird-dog.",
        ),
    ]


# --- Durations ---------------------------------------------------------------


def _bounded(low: float, *, inclusive: bool):
    """A parser for durations above (or at least) ``low`` and at most ``MAX_SECONDS``."""

    def parse(value: object) -> float:
        seconds = parse_duration(value)  # always finite
        too_low = seconds < low if inclusive else seconds <= low
        if too_low:
            least = "at least" if inclusive else "more than"
            raise ValueError(f"must be {least} {low:g} seconds, not {echo(value)}")
        if seconds > MAX_SECONDS:
            raise ValueError(f"must be at most {MAX_SECONDS // 3600} hours, not {echo(value)}")
        return seconds

    return parse


def _seconds(low: float, *, inclusive: bool) -> object:
    """A duration field: parsed from text, bounded, and described the same way to editors."""
    from pydantic import BeforeValidator, WithJsonSchema

    bound = {"minimum": low} if inclusive else {"exclusiveMinimum": low}
    return Annotated[
        float,
        BeforeValidator(_bounded(low, inclusive=inclusive)),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", **bound, "maximum": MAX_SECONDS},
                    {"type": "string", "pattern": DURATION_PATTERN},
                ],
                "description": f"A duration: {DURATION_HELP}.",
            }
        ),
    ]


def _parse_hold(value: object) -> float | str:
    if isinstance(value, str) and value.strip().lower() in ("max", "as long as you can"):
        return "max"
    try:
        return _bounded(0, inclusive=False)(value)
    except ValueError as err:
        raise ValueError(f"{err} (or 'max' for as long as you can)") from None


def _hold_time() -> object:
    from pydantic import BeforeValidator, WithJsonSchema

    return Annotated[
        float | Literal["max"],
        BeforeValidator(_parse_hold),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_SECONDS},
                    {"type": "string", "pattern": DURATION_PATTERN},
                    {"const": "max"},
                ],
                "description": f"A duration ({DURATION_HELP}), or max for as long as you can.",
            }
        ),
    ]


def _amount() -> object:
    from pydantic import BeforeValidator, WithJsonSchema

    return Annotated[
        float,
        BeforeValidator(_bounded(0, inclusive=False)),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_SECONDS},
                    {"type": "string", "pattern": DURATION_PATTERN},
                ],
                "description": "A number (seconds for holds, like 5 or \"5s\"; reps or sets).",
            }
        ),
    ]


# --- Counts ------------------------------------------------------------------


def _count(most: int, what: str) -> object:
    from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

    return Annotated[
        IntRange,
        BeforeValidator(partial(parse_range, most=most)),
        PlainSerializer(str, return_type=str),
        WithJsonSchema(
            {
                "anyOf": [
                    {"type": "integer", "minimum": 1, "maximum": most},
                    {"type": "string", "pattern": RANGE_PATTERN},
                ],
                "description": f"A count of {what} (1 to {most}): {RANGE_HELP}.",
            }
        ),
    ]


def whole(low: int, high: int) -> object:
    """A whole number from ``low`` to ``high``."""
    from pydantic import Field

    return Annotated[int, Field(ge=low, le=high)]


# --- For the models' annotations ---------------------------------------------


@functools.cache
def namespace() -> dict[str, object]:
    """Every name the models' annotations use, for pydantic to read them: the field types
    above and pydantic's own markers. pydantic loads here."""
    from pydantic import AfterValidator, Discriminator, Field, Tag

    return {
        "Annotated": Annotated, "Literal": Literal,
        "Field": Field, "Tag": Tag, "Discriminator": Discriminator,
        "AfterValidator": AfterValidator,
        "text_field": text_field, "whole": whole,
        "Id": _id(),
        # Long text (steps, why, notes): line breaks allowed, no control characters.
        "Text": text_field(2000, lines=True),
        # One line (names, titles): no control or invisible characters.
        "ShortText": text_field(120),
        "PositiveSeconds": _seconds(0, inclusive=False),
        "NonNegativeSeconds": _seconds(0, inclusive=True),
        "HoldTime": _hold_time(),
        "Amount": _amount(),
        "RepCount": _count(MAX_REPS, "repetitions"),
        "BreathCount": _count(MAX_BREATHS, "breaths"),
        "WeekSpan": _count(MAX_WEEKS, "program weeks"),
    }
