"""Writing a session done without the player, and questionnaire answers, into the history.

The session goes through the same store calls as a played one (begin, finish,
feedback), so it is filed, matched and counted by the same rules. Logging the
same routine at the same minute again changes nothing: the store's
``begin_session`` is keyed on routine and start time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from backrehab_gui.core.away import Slot, check_scale, check_share, check_start, slot_for
from backrehab_gui.core.engine import Summary
from backrehab_gui.core.history import routine_fingerprint, session_day
from backrehab_gui.core.loading import Library
from backrehab_gui.core.measures import Answer, from_items, to_items
from backrehab_gui.core.schedule import ProgramCalendar
from backrehab_gui.core.today import planned_timeline

from .store import HistoryStore


@dataclass(frozen=True)
class Logged:
    session_id: int
    slot: Slot
    new: bool
    """False when that routine was already recorded at that start time (nothing changed)."""


def log_session(store: HistoryStore, library: Library, calendar: ProgramCalendar | None,
                routine_id: str, started_at: datetime, now: datetime, *, share: float = 1.0,
                pain_before: int | None = None, pain_after: int | None = None,
                effort: int | None = None, note: str = "") -> Logged:
    """Record a session done away from the player. Raises LogError for bad values,
    KeyError for an unknown routine, StoreError when the history cannot be written."""
    routine = library.routines.get(routine_id)
    if routine is None:
        raise KeyError(routine_id)
    share = check_share(share)
    check_scale("pain before", pain_before)
    check_scale("pain after", pain_after)
    check_scale("effort", effort)
    check_start(started_at, now)
    minute = started_at.replace(second=0, microsecond=0)
    day = session_day(minute, store.day_end)
    near = store.sessions_between(day - timedelta(days=1), day + timedelta(days=1))
    existing = [r for r in near if r.routine_id == routine_id and r.started_at == minute]
    if existing:
        return Logged(existing[0].id, Slot(existing[0].kind, existing[0].block,
                                           existing[0].program_week, existing[0].phase_id),
                      False)
    slot = slot_for(calendar, routine, day)
    timeline = planned_timeline(library, routine, calendar.program if calendar else None,
                                slot.program_week or 1)
    session_id = store.begin_session(
        routine.id, routine.name, routine_fingerprint(routine, library.exercises), slot.kind,
        slot.block, minute, slot.program_week, slot.phase_id, pain_before,
        item_weights=timeline.item_weights())
    seconds = timeline.estimate * share
    store.finish_session(session_id, Summary(routine.id, routine.name, (), True, seconds,
                                             share),
                         minute + timedelta(seconds=max(60.0, seconds)))
    if pain_after is not None or effort is not None or note:
        store.set_feedback(session_id, pain_after, effort, note or None)
    return Logged(session_id, slot, True)


def read_answers(store: HistoryStore) -> list[Answer]:
    """Every readable questionnaire answer (core.measures), oldest first."""
    answers = (from_items(kind, day, items) for kind, day, _at, items in store.measures())
    return [a for a in answers if a is not None]


def save_answer(store: HistoryStore, answer: Answer, answered_at: datetime) -> bool:
    """Store a questionnaire answer; False when the same one was already stored."""
    return store.save_measure(answer.kind, answer.day, answered_at, to_items(answer))


def read_skips(store: HistoryStore) -> dict[str, list[date]]:
    """The days each questionnaire (by kind) was asked and skipped, oldest first."""
    skips: dict[str, list[date]] = {}
    for kind, day, _at in store.measure_skips():
        skips.setdefault(kind, []).append(day)
    return skips
