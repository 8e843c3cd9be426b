"""Plain-text quantities a routine author writes: durations and counts.

A therapist writes ``30s``, ``2 min`` or ``1:30`` for a duration and ``10`` or
``8-12`` for a count. These parsers turn that text into numbers and raise
``ValueError`` with a sentence a person can act on; the model layer turns that
into a file:line problem.
"""

from __future__ import annotations

import math
import re

from .plaintext import echo
from .records import record_class

_UNIT_SECONDS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
_CLOCK = re.compile(r"^\s*(\d+):([0-5]\d)\s*$")
_NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")
_HUGE = 10**15
"""Beyond this a number is refused as it is read, before any sum could overflow."""

# Shown in errors and in the JSON Schema, so editors and messages agree.
DURATION_PATTERN = r"^\s*(\d+:[0-5]\d|(\d+(\.\d+)?\s*[a-zA-Z]+\s*)+|\d+(\.\d+)?)\s*$"
DURATION_HELP = 'a number of seconds, or text like "30s", "2 min", "1m30s" or "1:30"'
RANGE_PATTERN = r"^\s*\d+\s*(-\s*\d+\s*)?$"
RANGE_HELP = 'a whole number like 10, or a range like "8-12"'


def parse_duration(value: object) -> float:
    """Return seconds for ``30``, ``"30s"``, ``"2 min"``, ``"1m30s"`` or ``"1:30"``.

    The result is always a finite number: ``nan``, ``inf`` and numbers too
    large to be a time are refused here, whatever the caller's range.
    """
    if isinstance(value, bool):
        raise ValueError(f"should be {DURATION_HELP}, not true/false")
    if isinstance(value, int):
        if abs(value) > _HUGE:
            raise ValueError(f"{echo(value)} is far too large for a time")
        return float(value)
    if isinstance(value, float):
        return _finite(value, value)
    if not isinstance(value, str):
        raise ValueError(f"should be {DURATION_HELP}")
    text = value.strip().lower()
    if not text:
        raise ValueError(f"is empty; it should be {DURATION_HELP}")
    if _NUMBER.match(text):
        return _finite(float(text), value)
    clock = _CLOCK.match(text)
    if clock:
        return _finite(float(int(clock.group(1)) * 60 + int(clock.group(2))), value)
    total = 0.0
    pos = 0
    while pos < len(text):
        part = _PART.match(text, pos)
        if not part:
            raise ValueError(f'"{echo(value)}" is not a duration; write {DURATION_HELP}')
        unit = part.group(2)
        if unit not in _UNIT_SECONDS:
            raise ValueError(f'"{echo(unit)}" in "{echo(value)}" is not a unit of time; '
                             "use s, min or h")
        total += float(part.group(1)) * _UNIT_SECONDS[unit]
        pos = part.end()
    return _finite(total, value)


def _finite(seconds: float, written: object) -> float:
    if math.isnan(seconds):
        raise ValueError(f'"{echo(written)}" is not a number; write {DURATION_HELP}')
    if not math.isfinite(seconds) or abs(seconds) > _HUGE:
        raise ValueError(f'"{echo(written)}" is far too large for a time')
    return seconds + 0.0  # -0.0 reads as 0


def format_duration(seconds: float) -> str:
    """Format seconds the way a routine author would write them: 45s, 2 min, 1m30s."""
    whole = int(round(seconds))
    if whole < 60:
        return f"{whole}s"
    minutes, secs = divmod(whole, 60)
    return f"{minutes} min" if secs == 0 else f"{minutes}m{secs:02d}s"


def format_clock(seconds: float) -> str:
    """Format seconds as m:ss for timers and tables."""
    whole = max(0, int(round(seconds)))
    return f"{whole // 60}:{whole % 60:02d}"


def format_about(seconds: float) -> str:
    """An estimate in words, "about 4 min", so it never reads as a time of day (4:15)."""
    whole = max(0, int(round(seconds)))
    if whole < 60:
        return f"about {whole} s"
    minutes = int(round(whole / 60))
    if minutes < 60:
        return f"about {minutes} min"
    hours, rest = divmod(minutes, 60)
    return f"about {hours} h {rest} min" if rest else f"about {hours} h"


@record_class
class IntRange:
    """A count that may be a range, such as 10 or 8-12 repetitions."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def __contains__(self, value: int) -> bool:
        return self.low <= value <= self.high


def parse_range(value: object, most: int | None = None) -> IntRange:
    """Return an IntRange for ``10``, ``"10"`` or ``"8-12"``, each number at most ``most``."""
    if isinstance(value, IntRange):
        low, high = value.low, value.high
    elif isinstance(value, bool):
        raise ValueError(f"should be {RANGE_HELP}, not true/false")
    elif isinstance(value, int):
        low = high = value
    elif isinstance(value, float) and value.is_integer():
        if most is not None and value > most:
            raise ValueError(f"must be at most {most}, not {value:g}")
        low = high = int(value)
    elif isinstance(value, str) and re.match(RANGE_PATTERN, value):
        parts = [p.strip() for p in value.split("-")]
        if any(len(p) > 9 for p in parts):  # far beyond any cap; int() of it is costly
            limit = f"must be at most {most}" if most is not None else "is far too large"
            raise ValueError(f'{limit}, not "{echo(value)}"')
        low, high = int(parts[0]), int(parts[-1])
    else:
        raise ValueError(f'"{echo(value)}" should be {RANGE_HELP}')
    if low < 1:
        raise ValueError(f"must be at least 1, not {echo(low)}")
    if high < low:
        raise ValueError(f'"{echo(value)}": the first number must not be larger than the second')
    if most is not None and high > most:
        raise ValueError(f"must be at most {most}, not {echo(high)}")
    return IntRange(low, high)
