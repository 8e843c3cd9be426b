"""Which values read from a damaged history can be trusted.

A damaged page can be read without an error and still give wrong values, so
each row is checked before the rescue (``infra/salvage.py``) carries it over:
text is text, numbers are whole or finite and in range, times carry their UTC
offset, and a session's start agrees with its stored day and offset. A row
whose identity fails (a session's start, a result's numbers) is left out; an
optional value that fails (a pain score, an end time) is left empty and
counted.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta

from backrehab_gui.core import model as m
from backrehab_gui.core.history import SESSION_KINDS
from backrehab_gui.core.next_day import ANSWERS
from backrehab_gui.core.progression import CHOICES
from backrehab_gui.core.schedule import WEEKDAYS

from .migrations import RESULT_STATUSES, SAFETY_KINDS, SESSION_STATUSES


class _Bad(Exception):
    """A value that cannot be trusted."""


def _text(value: object, *, empty: bool = False) -> str:
    if not isinstance(value, str) or (not empty and not value.strip()) or "\x00" in value:
        raise _Bad
    return value


def _whole(value: object, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise _Bad
    return value


def _number(value: object, low: float, high: float) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or \
            not math.isfinite(value) or not low <= value <= high:
        raise _Bad
    return float(value)


def _moment(value: object) -> datetime:
    """An ISO time with its UTC offset, as the store writes them."""
    try:
        moment = datetime.fromisoformat(_text(value))
    except ValueError as err:
        raise _Bad from err
    if moment.utcoffset() is None:
        raise _Bad
    return moment


def _day(value: object) -> date:
    try:
        day = date.fromisoformat(_text(value))
    except ValueError as err:
        raise _Bad from err
    if day.isoformat() != value:
        raise _Bad
    return day


def _one_of(value: object, allowed: Sequence[str]) -> str:
    if value not in allowed:
        raise _Bad
    return str(value)


def _numbers(value: object) -> list[float]:
    """A JSON list of finite, non-negative numbers."""
    try:
        items = json.loads(_text(value))
    except (ValueError, RecursionError) as err:     # not JSON; nested absurdly deep
        raise _Bad from err
    if not isinstance(items, list):
        raise _Bad
    return [_number(x, 0.0, 1e6) for x in items]


def _words(value: object, allowed: Sequence[str]) -> str:
    """A comma-separated list of allowed words, as the enrolment stores days and blocks."""
    text = _text(value, empty=True)
    for word in text.split(","):
        if word and word not in allowed:
            raise _Bad
    return text


_BLOCKS = tuple(b.value for b in m.Block)
_SCALE = (0, 10)
_MAX_SECONDS = 24 * 3600.0
_LONGEST_SESSION = timedelta(days=7)
"""An end further than this from the start is a misread (an interrupted session
ends at its last result, which may come after a long pause, but not weeks later)."""


class Values:
    """Checks optional values one by one: a bad one becomes empty and is counted."""

    def __init__(self) -> None:
        self.cleared = 0

    def optional(self, check: Callable[[], object], value: object,
                 empty: object = None) -> object:
        if value is None:
            return None
        try:
            check()
        except _Bad:
            self.cleared += 1
            return empty
        return value


def one_current(enrolments: list[tuple]) -> list[tuple]:
    """At most one current enrolment, as the schema requires: if damage left more
    than one unreplaced, the latest is current and the others end when it began."""
    current = [e for e in enrolments if e[7] is None]
    if len(current) <= 1:
        return enrolments
    latest = max(current, key=lambda e: (_moment(e[6]), e[0]))
    return [e if e[7] is not None or e is latest else (*e[:7], latest[5])
            for e in enrolments]


# --- The tables, as the current schema has them -----------------------------------------

# The columns read from each table, in the order the checks below take them.
SESSIONS = ("id", "routine_id", "routine_name", "fingerprint", "kind", "block", "local_date",
            "started_at", "utc_offset_min", "ended_at", "status", "share", "item_weights",
            "pain_before", "pain_after", "effort", "note", "program_week", "phase_id",
            "pain_lasted")
RESULTS = ("session_id", "item", "exercise_id", "name", "status", "seconds", "sets_done",
           "sets_planned", "reps_done", "reps_target", "hold_times", "share", "recorded_at")
ENROLMENT = ("id", "program_id", "start_date", "session_days", "blocks", "created_at",
             "updated_at", "replaced_at")
REPEATS = ("id", "enrolment_id", "phase_id", "extra_weeks", "decided_at")
DECISIONS = ("enrolment_id", "phase_id", "decided_at")
SAFETY = ("id", "at", "local_date", "kind", "emergency", "flags", "detail", "session_id",
          "exercise_id", "exercise_name", "what", "action")
NEXT_DAY = ("about", "answered_at", "answer", "pain")
OVERRIDES = ("id", "enrolment_id", "exercise_id", "week", "action", "decided_at")


def check_session(row: tuple, values: Values) -> tuple:
    (sid, routine_id, routine_name, fingerprint, kind, block, local_date, started_at, offset,
     ended_at, status, share, weights, pain_before, pain_after, effort, note, week,
     phase_id, lasted) = row
    _whole(sid, 1, 2**62)
    _text(routine_id), _text(routine_name), _text(fingerprint)
    _one_of(kind, SESSION_KINDS)
    if block is not None:
        _one_of(block, _BLOCKS)
    started = _moment(started_at)
    # The three ways the start is stored must agree: a date read wrongly from a
    # damaged page would otherwise put the session on another day.
    if _day(local_date) != started.date() or \
            _whole(offset, -24 * 60, 24 * 60) * 60 != started.utcoffset().total_seconds():
        raise _Bad
    _one_of(status, SESSION_STATUSES)
    share = _number(share, 0.0, 1.0)

    # Nothing else stores the end, so it is only checked for being plausible.
    def plausible_end() -> None:
        if abs(_moment(ended_at) - started) > _LONGEST_SESSION:
            raise _Bad

    def scale(value: object) -> Callable[[], object]:
        return lambda: _whole(value, *_SCALE)

    return (sid, routine_id, routine_name, fingerprint, kind, block, local_date, started_at,
            offset, values.optional(plausible_end, ended_at), status, share,
            values.optional(lambda: _numbers(weights), weights),
            values.optional(scale(pain_before), pain_before),
            values.optional(scale(pain_after), pain_after),
            values.optional(scale(effort), effort),
            values.optional(lambda: _text(note, empty=True), note, "") or "",
            values.optional(lambda: _whole(week, -10_000, 10_000), week),
            values.optional(lambda: _text(phase_id), phase_id),
            values.optional(lambda: _whole(lasted, 0, 1), lasted))


def check_result(row: tuple) -> tuple:
    (session_id, item, exercise_id, name, status, seconds, sets_done, sets_planned,
     reps_done, reps_target, holds, share, recorded_at) = row
    _whole(item, 0, 10_000)
    _text(exercise_id), _text(name)
    _one_of(status, RESULT_STATUSES)
    _number(seconds, 0.0, _MAX_SECONDS)
    _whole(sets_done, 0, 10_000), _whole(sets_planned, 0, 10_000)
    for reps in (reps_done, reps_target):
        if reps is not None:
            _whole(reps, 0, 100_000)
    _numbers(holds)
    _number(share, 0.0, 1.0)
    _moment(recorded_at)
    return row


def check_enrolment(row: tuple) -> tuple:
    eid, program_id, start_date, days, blocks, created_at, updated_at, replaced_at = row
    _whole(eid, 1, 2**62)
    _text(program_id)
    _day(start_date)
    if days is not None:
        _words(days, WEEKDAYS)
    _words(blocks, _BLOCKS)
    _moment(created_at), _moment(updated_at)
    if replaced_at is not None:
        _moment(replaced_at)
    return row


def check_repeat(row: tuple) -> tuple:
    rid, _enrolment_id, phase_id, weeks, decided_at = row
    _whole(rid, 1, 2**62)
    _text(phase_id)
    _whole(weeks, 0, 520)
    _moment(decided_at)
    return row


MEASURES = ("id", "kind", "taken_on", "answered_at", "items")


def check_measure(row: tuple) -> tuple:
    """A PEG or PSFS answer: its items must still be the JSON the app wrote."""
    mid, kind, taken_on, answered_at, items = row
    _whole(mid, 1, 2**62)
    _one_of(kind, ("peg", "psfs"))
    _day(taken_on)
    _moment(answered_at)
    try:
        json.loads(_text(items))
    except (ValueError, RecursionError) as err:
        raise _Bad from err
    return row


MEASURE_SKIPS = ("id", "kind", "taken_on", "skipped_at")


def check_measure_skip(row: tuple) -> tuple:
    """A questionnaire skipped: its kind, day and moment must be sound."""
    sid, kind, taken_on, skipped_at = row
    _whole(sid, 1, 2**62)
    _one_of(kind, ("peg", "psfs"))
    _day(taken_on)
    _moment(skipped_at)
    return row


def check_decision(row: tuple) -> tuple:
    _enrolment_id, phase_id, decided_at = row
    _text(phase_id)
    _moment(decided_at)
    return row


def check_safety_event(row: tuple, values: Values) -> tuple:
    """A safety record: its time, day and kind must be sound; the words around it are
    optional (left empty when they look wrong)."""
    (eid, at, local_date, kind, emergency, flags, detail, session_id, exercise_id,
     exercise_name, what, action) = row
    _whole(eid, 1, 2**62)
    if _day(local_date) != _moment(at).date():
        raise _Bad
    _one_of(kind, SAFETY_KINDS)
    _whole(emergency, 0, 1)
    _text(flags, empty=True)

    def text(value: object) -> Callable[[], object]:
        return lambda: _text(value)

    return (eid, at, local_date, kind, emergency, flags,
            values.optional(lambda: _text(detail, empty=True), detail, "") or "",
            values.optional(lambda: _whole(session_id, 1, 2**62), session_id),
            values.optional(text(exercise_id), exercise_id),
            values.optional(text(exercise_name), exercise_name),
            values.optional(text(what), what), values.optional(text(action), action))


def check_next_day(row: tuple, values: Values) -> tuple:
    about, answered_at, answer, pain = row
    _day(about)
    _moment(answered_at)
    if answer is not None:
        _one_of(answer, ANSWERS)
    return (about, answered_at, answer,
            values.optional(lambda: _whole(pain, *_SCALE), pain))


def check_override(row: tuple) -> tuple:
    oid, _enrolment_id, exercise_id, week, action, decided_at = row
    _whole(oid, 1, 2**62)
    _text(exercise_id)
    _whole(week, 1, 10_000)
    _one_of(action, CHOICES)
    _moment(decided_at)
    return row


def checked(rows: dict[int, tuple], check: Callable[[tuple], tuple]) -> tuple[list[tuple], int]:
    """The rows that pass ``check`` in row id order, and how many did not."""
    good, bad = [], 0
    for rowid in sorted(rows):
        try:
            good.append(check(rows[rowid]))
        except _Bad:
            bad += 1
    return good, bad


