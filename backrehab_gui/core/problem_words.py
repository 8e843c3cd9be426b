"""What is wrong with a routine file, in plain words: pydantic's validation errors
turned into sentences, unknown keys and ids with a "did you mean", and values
echoed printable and cut short.

``loading`` and ``cross_check`` build their problems with these.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable
from typing import TYPE_CHECKING

from . import model as m
from .plaintext import echo, quoted, shorten
from .strict import Strict
from .wording import plural

if TYPE_CHECKING:
    from .loading import ParsedFile, Problem


def from_pydantic(error: dict, cls: type[Strict], value: object, base: tuple,
                  parsed: ParsedFile) -> Problem:
    loc = _data_path(error["loc"], value)
    path = base + loc
    kind = error["type"]
    if kind in ("extra_forbidden", "unexpected_keyword_argument"):
        allowed = _field_names(cls, error["loc"][:-1])
        message = unknown_key(str(loc[-1]), allowed, "here")
    elif kind == "dose_kind" and isinstance(error.get("input"), dict):
        message = error["msg"]
        for key in error["input"]:
            close = close_match(str(key), _DOSE_KEYS)
            if close:
                message += f" (did you mean '{close[0]}' for '{key}'?)"
                break
    else:
        message = plain_message(error)
    if kind == "missing" and loc:
        # Point at the mapping the field belongs in: the missing key has no line.
        return parsed.problem(path[:-1], f"'{loc[-1]}' is missing")
    return parsed.problem(path, message)


def _data_path(loc: tuple, value: object) -> tuple:
    """Drop pydantic's union tags from an error location, keeping real keys and indexes."""
    path: list = []
    current = value
    for part in loc:
        if isinstance(part, str) and part in m.DOSE_TAGS:
            continue
        if isinstance(current, dict):
            path.append(part)
            # A key not in the data is a missing or unknown field: nothing below it.
            current = current.get(part) if part in current else _END
        elif isinstance(current, list) and isinstance(part, int) and part < len(current):
            path.append(part)
            current = current[part]
        else:
            break  # the rest names pydantic's internal branches, not data
    return tuple(path)


_END = object()


def _field_names(cls: type[Strict], loc: tuple) -> set[str]:
    """The field names allowed at a location, for "did you mean" hints."""
    models = _models_in(cls)
    for part in loc:
        if isinstance(part, str) and part in m.DOSE_TAGS:
            # The dose kind is picked by which keys are present, so a typo in
            # 'reps' makes a hold dose: suggest from every kind of dose.
            models = list(_TAGGED.values())
            continue
        nxt: list[type[Strict]] = []
        for model_cls in models:
            if isinstance(part, str) and part in model_cls.model_fields:
                nxt.extend(_models_in(model_cls.model_fields[part].annotation))
        if isinstance(part, int):
            continue
        models = nxt
    names: set[str] = set()
    for model_cls in models:
        names.update(model_cls.model_fields)
    return names


_DOSE_KEYS = ["activity", "breaths", "reps", "hold"]
_TAGGED = {
    "activity dose": m.ActivityDose,
    "breaths dose": m.BreathsDose,
    "reps dose": m.RepsDose,
    "hold dose": m.HoldDose,
}


def _models_in(annotation: object) -> list[type[Strict]]:
    if isinstance(annotation, type) and issubclass(annotation, Strict):
        return [annotation]
    found: list[type[Strict]] = []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _models_in(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(annotation):
            found.extend(_models_in(arg))
    return found


def close_match(word: str, choices: Iterable[str]) -> list[str]:
    """The likeliest of ``choices`` that ``word`` was meant to be, for "did you mean"."""
    import difflib  # only when something is wrong

    return difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)


def unknown_key(key: str, allowed: Iterable[str], where: str) -> str:
    allowed = sorted(allowed)
    close = close_match(shorten(key, 200), allowed)
    if close:
        return f"unknown field {quoted(key)} (did you mean '{close[0]}'?)"
    listed = ", ".join(allowed)
    if not listed:
        return f"unknown field {quoted(key)}"
    return f"unknown field {quoted(key)}; allowed {where}: {listed}"


def kind_of(value: object) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {_num(value)}"
    if isinstance(value, str):
        return f"the text {quoted(value)}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def plain_message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = kind_of(error.get("input"))
    if kind == "missing":
        return "is missing"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return f"should be a whole number, not {got}"
    if kind == "int_parsing_size":
        return f"is far too large: {got}"
    if kind in ("float_type", "float_parsing"):
        return f"should be a number, not {got}"
    if kind == "finite_number":
        return f"must be a finite number, not {got}"
    if kind in ("string_type",):
        return f"should be text, not {got}"
    if kind in ("bool_type", "bool_parsing"):
        return f"should be true or false, not {got}"
    if kind in ("list_type",):
        return f"should be a list (entries starting with '- '), not {got}"
    if kind in ("model_type", "model_attributes_type", "dict_type", "dataclass_type",
                "dataclass_args_type"):
        return f"should be a mapping of fields, not {got}"
    if kind == "string_too_short":
        return "should not be empty"
    if kind == "string_too_long":
        return f"is too long (at most {ctx.get('max_length')} characters)"
    if kind == "string_pattern_mismatch":
        return (f"{got} is not a valid id: use lower-case letters, digits and dashes "
                "(like bird-dog)") if "a-z0-9" in str(ctx.get("pattern", "")) else (
                f"{got} is not in the expected form")
    if kind == "too_short":
        least = ctx.get("min_length")
        return f"needs at least {plural(least, 'entry')}"
    if kind == "too_long":
        return f"has too many entries (at most {ctx.get('max_length')})"
    if kind == "greater_than":
        return f"must be more than {_num(ctx.get('gt'))}, not {_num(error.get('input'))}"
    if kind == "greater_than_equal":
        return f"must be at least {_num(ctx.get('ge'))}, not {_num(error.get('input'))}"
    if kind == "less_than_equal":
        return f"must be at most {_num(ctx.get('le'))}, not {_num(error.get('input'))}"
    if kind == "less_than":
        return f"must be less than {_num(ctx.get('lt'))}, not {_num(error.get('input'))}"
    if kind in ("literal_error", "enum"):
        return f"should be one of {ctx.get('expected')}, not {got}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind == "dose_kind":
        return error["msg"]
    return error["msg"][0].lower() + error["msg"][1:]


def _num(value: object) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:g}"
    return echo(value)


def unknown_id(section: str, wanted: str, known: Iterable[str],
               broken: dict[str, set[str]]) -> str:
    kind = {"exercises": "exercise", "routines": "routine", "sources": "source",
            "programs": "program"}[section]
    if wanted in broken.get(section, set()):
        return f"the {kind} '{wanted}' has problems of its own (see those)"
    candidates = [*known, *broken.get(section, ())]
    close = close_match(wanted, candidates)
    hint = f" (did you mean '{close[0]}'?)" if close else ""
    return f"there is no {kind} with the id '{wanted}'{hint}"
