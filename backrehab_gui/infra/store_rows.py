"""The history's rows and Python's values, each way: sessions, exercise results and
safety records read back, results written, and the checks every written value passes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import datetime, time
from typing import TYPE_CHECKING

from backrehab_gui.core.history import DEFAULT_DAY_END, SessionRecord, session_day
from backrehab_gui.core.schedule import WEEKDAYS
from backrehab_gui.core.screening import EventKind, SafetyEvent

from .migrations import RESULT_STATUSES

if TYPE_CHECKING:  # start-up reads the history without it (see exercise_result)
    from backrehab_gui.core.engine import ExerciseResult

SESSION_COLUMNS = ("id, routine_id, routine_name, fingerprint, kind, block, local_date,"
                   " started_at, ended_at, status, share, pain_before, pain_after, effort,"
                   " note, program_week, phase_id, pain_lasted")
SAFETY_COLUMNS = ("id, at, kind, emergency, flags, detail, session_id, exercise_id,"
                  " exercise_name, what, action")
RESULT_COLUMNS = ("session_id, item, exercise_id, name, status, seconds, sets_done,"
                  " sets_planned, reps_done, reps_target, hold_times, share")


def plain(value: object) -> str | None:
    """A str-valued enum (such as Block) as its plain text."""
    if value is None:
        return None
    return str(getattr(value, "value", value))


def offset_minutes(moment: datetime) -> int:
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError(f"{moment!r} has no time zone; pass an aware datetime")
    return int(offset.total_seconds() // 60)


def check_scale(name: str, value: int | None) -> None:
    if value is not None and not (isinstance(value, int) and 0 <= value <= 10):
        raise ValueError(f"{name} must be a whole number from 0 to 10, not {value!r}")


def clamp(share: float) -> float:
    return min(max(float(share), 0.0), 1.0)


def days_from_text(text: str | None) -> tuple[int, ...] | None:
    if text is None:
        return None
    return tuple(WEEKDAYS.index(d) for d in text.split(",") if d)


def upsert_results(conn: sqlite3.Connection, session_id: int,
                   results: Sequence[ExerciseResult], recorded_at: str) -> None:
    for r in results:
        if r.status not in RESULT_STATUSES:
            raise ValueError(f"result status must be one of {RESULT_STATUSES}, not {r.status!r}")
    conn.executemany(
        "INSERT INTO exercise_results (session_id, item, exercise_id, name, status, seconds,"
        " sets_done, sets_planned, reps_done, reps_target, hold_times, share, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (session_id, item) DO UPDATE SET exercise_id = excluded.exercise_id,"
        " name = excluded.name, status = excluded.status, seconds = excluded.seconds,"
        " sets_done = excluded.sets_done, sets_planned = excluded.sets_planned,"
        " reps_done = excluded.reps_done, reps_target = excluded.reps_target,"
        " hold_times = excluded.hold_times, share = excluded.share,"
        " recorded_at = excluded.recorded_at"
        # An unchanged result keeps the time it was first recorded.
        " WHERE (exercise_results.exercise_id, exercise_results.name, exercise_results.status,"
        " exercise_results.seconds, exercise_results.sets_done, exercise_results.sets_planned,"
        " exercise_results.reps_done, exercise_results.reps_target,"
        " exercise_results.hold_times, exercise_results.share) IS NOT (excluded.exercise_id,"
        " excluded.name, excluded.status, excluded.seconds, excluded.sets_done,"
        " excluded.sets_planned, excluded.reps_done, excluded.reps_target,"
        " excluded.hold_times, excluded.share)",
        [(session_id, r.item, r.exercise_id, r.name, r.status, float(r.seconds), r.sets_done,
          r.sets, r.reps_done, r.reps_target, json.dumps([float(t) for t in r.hold_times]),
          clamp(r.share), recorded_at) for r in results])


def share_from_results(conn: sqlite3.Connection, session_id: int) -> float:
    """The share of planned work done, from the results recorded so far."""
    raw = conn.execute("SELECT item_weights FROM sessions WHERE id = ?",
                       (session_id,)).fetchone()[0]
    shares = dict(conn.execute("SELECT item, share FROM exercise_results WHERE session_id = ?",
                               (session_id,)).fetchall())
    weights = json.loads(raw) if raw else None
    if weights:
        total = sum(weights) or 1.0
        done = sum(w * shares.get(i, 0.0) for i, w in enumerate(weights))
    else:
        total = len(shares) or 1
        done = sum(shares.values())
    return round(clamp(done / total), 3)


def exercise_result(row: Sequence) -> ExerciseResult:
    from backrehab_gui.core.engine import ExerciseResult

    return ExerciseResult(item=row[1], exercise_id=row[2], name=row[3], status=row[4],
                          seconds=row[5], sets_done=row[6], sets=row[7], reps_done=row[8],
                          reps_target=row[9], hold_times=tuple(json.loads(row[10])),
                          share=row[11])


def session_record(row: Sequence, results: tuple[ExerciseResult, ...],
                   day_end: time = DEFAULT_DAY_END) -> SessionRecord:
    started = datetime.fromisoformat(row[7])
    return SessionRecord(
        id=row[0], routine_id=row[1], routine_name=row[2], fingerprint=row[3], kind=row[4],
        block=row[5], local_date=session_day(started, day_end), started_at=started,
        ended_at=datetime.fromisoformat(row[8]) if row[8] else None, status=row[9],
        share=row[10], pain_before=row[11], pain_after=row[12], effort=row[13],
        note=row[14], program_week=row[15], phase_id=row[16], results=results,
        pain_lasted=None if row[17] is None else bool(row[17]))


def safety_event(row: Sequence) -> SafetyEvent:
    return SafetyEvent(at=datetime.fromisoformat(row[1]), kind=EventKind(row[2]),
                       emergency=bool(row[3]), flags=tuple(f for f in row[4].split(",") if f),
                       detail=row[5], session_id=row[6], exercise_id=row[7],
                       exercise_name=row[8], what=row[9], action=row[10], id=row[0])
