"""Models -> the plain data a routine file holds, written the way a person would.

The editor builds validated models; saving turns them back into the format of
docs/routine-format.md: durations as "30s", "2 min" or "1m30s", counts as 10
or "8-12", defaults left out, a dose's main key first. The result is a tree of
dicts, lists, text, numbers and booleans that ``infra.routine_files`` writes as
YAML and that the loader reads back to equal models (tests/core/test_routine_writer.py
checks this over every bundled entry and every kind of dose).
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from typing import NamedTuple

from . import model as m
from .strict import Strict
from .units import IntRange, format_duration

DURATION_FIELDS = frozenset({
    "hold", "goal", "rest", "up", "down", "inhale", "exhale", "activity", "at", "prepare",
    "rest_between_sets", "rest_between_exercises", "rest_after",
})
"""Fields whose numbers are seconds, written as a duration a person reads."""

DOSE_ORDER = ("activity", "breaths", "reps", "target", "hold", "goal", "tempo", "inhale",
              "exhale", "sides", "sets", "rest", "source", "basis")
"""A dose's keys in reading order: what and how much first, where it comes from last."""

SECTIONS = ("sources", "exercises", "routines", "programs")


def duration(seconds: float) -> str | float:
    """Seconds as a routine author writes them, exactly: 45s, 2 min, 1m30s, 2.5s."""
    if float(seconds).is_integer():
        return format_duration(seconds)
    text = repr(float(seconds))
    # A number the duration parser cannot read back (1e-05) stays a plain number.
    return f"{text}s" if "e" not in text else float(seconds)


def count(value: IntRange) -> int | str:
    """10 for a single count, "8-12" for a range."""
    return value.low if value.low == value.high else f"{value.low}-{value.high}"


class Default(NamedTuple):
    """A value that equals the format's default: left out of a new file, kept in an
    edited one that already spells it out (``tree(..., defaults=True)``)."""

    value: object


def tree(model: Strict, *, defaults: bool = False) -> dict:
    """Any part of the format as plain data. Values equal to their default are left out,
    or with ``defaults`` given wrapped in ``Default``."""
    fields = type(model).model_fields
    names = list(fields)
    if isinstance(model, (m.HoldDose, m.RepsDose, m.BreathsDose, m.ActivityDose)):
        names.sort(key=DOSE_ORDER.index)
    out: dict = {}
    for name in names:
        value = getattr(model, name)
        info = fields[name]
        if value is None:
            continue
        if not info.is_required() and _is_default(value, info):
            if defaults:
                out[name] = Default(_plain(name, value, defaults))
            continue
        out[name] = _plain(name, value, defaults)
    return out


def _is_default(value: object, info) -> bool:
    default = info.get_default(call_default_factory=True)
    return value == default


def _plain(name: str, value: object, defaults: bool = False) -> object:
    if isinstance(value, Strict):
        if isinstance(value, m.Tempo):
            # Written whole: a tempo is what makes reps guided, even at the default pace.
            return {"up": duration(value.up), "down": duration(value.down)}
        return tree(value, defaults=defaults)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, IntRange):
        return count(value)
    if isinstance(value, (list, tuple)):
        return [_plain(name, v, defaults) for v in value]
    if isinstance(value, bool):
        return value
    if isinstance(value, float):
        if name in DURATION_FIELDS:
            return duration(value)
        return int(value) if value.is_integer() else value
    return value


def file_tree(*, sources: Iterable[m.Source] = (), exercises: Iterable[m.Exercise] = (),
              routines: Iterable[m.Routine] = (), programs: Iterable[m.Program] = (),
              safety: m.Safety | None = None) -> dict:
    """A whole file: ``format`` first, then each section that has entries."""
    out: dict = {"format": m.FORMAT_VERSION}
    for section, entries in (("sources", sources), ("exercises", exercises),
                             ("routines", routines), ("programs", programs)):
        items = [tree(e) for e in entries]
        if items:
            out[section] = items
    if safety is not None:
        out["safety"] = tree(safety)
    return out


def section_of(model: Strict) -> str:
    """The file section an entry belongs in."""
    for section, cls in (("sources", m.Source), ("exercises", m.Exercise),
                         ("routines", m.Routine), ("programs", m.Program)):
        if isinstance(model, cls):
            return section
    raise TypeError(f"{type(model).__name__} is not an entry of a routine file")
