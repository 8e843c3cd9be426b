"""Counts in words: "1 exercise", "2 exercises", never "1 exercises" or "exercise(s)"."""

from __future__ import annotations

_ES_ENDINGS = ("s", "x", "z", "ch", "sh")


def plural(count: float, word: str, many: str | None = None) -> str:
    """``count`` and ``word`` in the form that goes with it: ``plural(1, "exercise")`` is
    "1 exercise", ``plural(0, "problem")`` "0 problems". ``many`` gives an irregular plural;
    in a phrase ("planned session") the last word changes."""
    return f"{_number(count)} {form(count, word, many)}"


def form(count: float, one: str, many: str | None = None) -> str:
    """The form of ``one`` that goes with ``count``, without the number: ``form(n, "is",
    "are")`` for the verb that follows a count."""
    if count == 1:
        return one
    if many is not None:
        return many
    head, _, last = one.rpartition(" ")
    if last.endswith(_ES_ENDINGS):
        last += "es"
    elif last.endswith("y") and last[-2:-1] not in ("", *"aeiou"):
        last = last[:-1] + "ies"
    else:
        last += "s"
    return f"{head} {last}" if head else last


def _number(count: float) -> str:
    """Whole numbers without a decimal point: 2.0 sessions are "2 sessions"."""
    return f"{count:g}" if isinstance(count, float) else str(count)


def with_length(name: str, weeks: int) -> str:
    """A program's name with its length, unless the name already says it: "Lower back,
    8 weeks", never "Lower back, 8 weeks (8 weeks)"."""
    length = plural(weeks, "week")
    return name if length.casefold() in name.casefold() else f"{name} ({length})"
