"""Plain-text quantities a routine author writes: durations and counts.

A therapist writes ``30s``, ``2 min`` or ``1:30`` for a duration and ``10`` or
``8-12`` for a count. These parsers turn that text into numbers and raise
``ValueError`` with a sentence a person can act on; the model layer turns that
into a file:line problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_SECONDS = {
    "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
    "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "hours": 3600,
}
_PART = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*")
_CLOCK = re.compile(r"^\s*(\d+):([0-5]\d)\s*$")

# Shown in errors and in the JSON Schema, so editors and messages agree.
DURATION_PATTERN = r"^\s*(\d+:[0-5]\d|(\d+(\.\d+)?\s*[a-zA-Z]+\s*)+|\d+(\.\d+)?)\s*$"
DURATION_HELP = 'a number of seconds, or text like "30s", "2 min", "1m30s" or "1:30"'
RANGE_PATTERN = r"^\s*\d+\s*(-\s*\d+\s*)?$"
RANGE_HELP = 'a whole number like 10, or a range like "8-12"'


def parse_duration(value: object) -> float:
    """Return seconds for ``30``, ``"30s"``, ``"2 min"``, ``"1m30s"`` or ``"1:30"``."""
    if isinstance(value, bool):
        raise ValueError(f"should be {DURATION_HELP}, not true/false")
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        raise ValueError(f"should be {DURATION_HELP}")
    text = value.strip().lower()
    if not text:
        raise ValueError(f"is empty; it should be {DURATION_HELP}")
    try:
        return float(text)
    except ValueError:
        pass
    clock = _CLOCK.match(text)
    if clock:
        return float(int(clock.group(1)) * 60 + int(clock.group(2)))
    total = 0.0
    pos = 0
    while pos < len(text):
        part = _PART.match(text, pos)
        if not part:
            raise ValueError(f'"{value}" is not a duration; write {DURATION_HELP}')
        unit = part.group(2)
        if unit not in _UNIT_SECONDS:
            raise ValueError(f'"{unit}" in "{value}" is not a unit of time; use s, min or h')
        total += float(part.group(1)) * _UNIT_SECONDS[unit]
        pos = part.end()
    return total


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


@dataclass(frozen=True)
class IntRange:
    """A count that may be a range, such as 10 or 8-12 repetitions."""

    low: int
    high: int

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}-{self.high}"

    def __contains__(self, value: int) -> bool:
        return self.low <= value <= self.high


def parse_range(value: object) -> IntRange:
    """Return an IntRange for ``10``, ``"10"`` or ``"8-12"``."""
    if isinstance(value, IntRange):
        return value
    if isinstance(value, bool):
        raise ValueError(f"should be {RANGE_HELP}, not true/false")
    if isinstance(value, int):
        low = high = value
    elif isinstance(value, float) and value.is_integer():
        low = high = int(value)
    elif isinstance(value, str) and re.match(RANGE_PATTERN, value):
        parts = [int(p) for p in value.split("-")]
        low, high = parts[0], parts[-1]
    else:
        raise ValueError(f'"{value}" should be {RANGE_HELP}')
    if low < 1:
        raise ValueError(f"must be at least 1, got {low}")
    if high < low:
        raise ValueError(f'"{value}": the first number must not be larger than the second')
    return IntRange(low, high)
