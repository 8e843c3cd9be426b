"""What each iCalendar event says: a session done (timed from its real start and end,
with its outcome, pain, effort, exercises and note) or a planned one not done yet
(all day, tentative), and their UIDs, stable from one export to the next.

``export.write_ics`` puts them in a calendar; the ``icalendar`` library escapes and
folds all text.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo

import icalendar

from backrehab_gui.core.engine import ExerciseResult
from backrehab_gui.core.history import SessionRecord
from backrehab_gui.core.matching import match_day
from backrehab_gui.core.outcomes import session_text
from backrehab_gui.core.pain import record_flag
from backrehab_gui.core.placement import Place
from backrehab_gui.core.schedule import PlannedSession
from backrehab_gui.core.wording import plural

from .export_text import KIND_LABELS, clean, finite, flag_reason, number, plain

_UID_NAMESPACE = uuid.UUID("b00029e6-27fc-4a4b-aa7e-771d9a056d0d")
"""Fixed for good: changing it would change every exported UID."""


def session_uid(record: SessionRecord) -> str:
    """The UID of a session's event: the same for the same session in every export."""
    start = _aware(record.started_at).astimezone(timezone.utc).isoformat()
    return str(uuid.uuid5(_UID_NAMESPACE, f"session:{record.id}:{start}"))


def plan_uid(day: date, plan: PlannedSession) -> str:
    """The UID of a planned session's event."""
    key = f"plan:{day.isoformat()}:{plan.kind}:{plan.routine_id}:{plain(plan.block)}"
    return str(uuid.uuid5(_UID_NAMESPACE, key))


def session_summary(record: SessionRecord, place: Place | None = None) -> str:
    """'BackRehab: Evening strength and stretch (partly done · 60 %)'."""
    return f"BackRehab: {clean(record.routine_name).strip()} ({_outcome(record, place)})"


def session_event(record: SessionRecord, stamp: datetime, zone: tzinfo | None,
                  place: Place | None = None) -> icalendar.Event:
    start = _aware(record.started_at)
    end = _aware(record.ended_at) if record.ended_at is not None else None
    if end is None or end < start:
        # Not finished (interrupted, running) or a clock set back: the time worked.
        worked = sum(r.seconds for r in record.results if finite(r.seconds) and r.seconds > 0)
        end = start + timedelta(seconds=max(60.0, worked))
    show = zone or timezone.utc
    event = icalendar.Event()
    event.add("uid", session_uid(record))
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(show))
    event.add("dtend", end.astimezone(show))
    event.add("summary", session_summary(record, place))
    event.add("description", _session_description(record, start, end, place))
    event.add("categories", ["BackRehab", KIND_LABELS.get(record.kind, clean(record.kind))])
    # Health information: calendar apps that share a calendar hide private events' details.
    event.add("class", "PRIVATE")
    return event


def _session_description(record: SessionRecord, start: datetime, end: datetime,
                         place: Place | None = None) -> str:
    lines = [f"{clean(record.routine_name).strip()}: {_outcome(record, place)}."]
    kind = KIND_LABELS.get(record.kind, clean(record.kind))
    if record.block:
        kind += f", {clean(plain(record.block))}"
    week = place.program_week if place is not None else record.program_week
    if week is not None:
        kind += f", program week {week}"
    if place is not None and place.phase:
        kind += f", {clean(place.phase)}"
    lines.append(f"{kind}.")
    lines.append(f"Time: {_clock(start, end)}.")
    lines.append(f"Pain before: {_scale(record.pain_before)}. "
                 f"Pain after: {_scale(record.pain_after)}. "
                 f"Effort: {_scale(record.effort)}.")
    flag = record_flag(record)
    lines.append(f"Pain flag: {flag_reason(flag)}." if flag else "Pain flag: none.")
    if record.results:
        lines.append("")
        lines.append("Exercises:")
        for result in sorted(record.results, key=lambda r: r.item):
            lines.append(f"{result.item + 1}. {_result_text(result)}")
    else:
        lines.append("No exercise was recorded.")
    note = clean(record.note).strip()
    if note:
        lines.append("")
        lines.append(f"Note: {note}")
    return "\n".join(lines)


def _result_text(result: ExerciseResult) -> str:
    parts = [result.status]
    if result.status != "skipped":
        parts.append(f"{result.sets_done} of {plural(result.sets, 'set')}")
        if result.reps_target is not None or result.reps_done is not None:
            done = "?" if result.reps_done is None else result.reps_done
            parts.append(f"{done} of {plural(result.reps_target, 'rep')}"
                         if result.reps_target is not None else plural(done, "rep"))
        if result.hold_times:
            holds = " / ".join(_duration(t) for t in result.hold_times if finite(t))
            parts.append(f"holds {holds}")
        if finite(result.seconds) and result.seconds > 0:
            parts.append(f"{_duration(result.seconds)} in all")
    return f"{clean(result.name).strip()}: {', '.join(parts)}."


def plan_events(records: Sequence[SessionRecord],
                planned: Sequence[tuple[date, PlannedSession]],
                routine_names: Mapping[str, str], estimates: Mapping[str, float],
                stamp: datetime) -> Iterable[icalendar.Event]:
    if not planned:
        return
    by_day: dict[date, list[SessionRecord]] = {}
    names: dict[str, str] = {}
    for record in records:
        by_day.setdefault(record.local_date, []).append(record)
        names.setdefault(record.routine_id, record.routine_name)
    plans_by_day: dict[date, list[PlannedSession]] = {}
    for day, plan in planned:
        plans_by_day.setdefault(day, []).append(plan)
    seen: set[str] = set()
    for day in sorted(plans_by_day):
        plans = tuple(plans_by_day[day])
        matched = match_day(plans, by_day.get(day, ()))
        for plan, index in zip(plans, matched):
            uid = plan_uid(day, plan)
            if index >= 0 or uid in seen:
                continue
            seen.add(uid)
            name = clean(routine_names.get(plan.routine_id)
                         or names.get(plan.routine_id) or plan.routine_id).strip()
            event = icalendar.Event()
            event.add("uid", uid)
            event.add("dtstamp", stamp)
            event.add("dtstart", day)
            event.add("dtend", day + timedelta(days=1))
            event.add("summary", f"BackRehab plan: {name}")
            event.add("description", _plan_description(plan, name,
                                                       estimates.get(plan.routine_id)))
            event.add("status", "TENTATIVE")
            event.add("transp", "TRANSPARENT")
            event.add("categories", ["BackRehab", KIND_LABELS.get(plan.kind, plan.kind)])
            event.add("class", "PRIVATE")
            yield event


def _plan_description(plan: PlannedSession, name: str, estimate: float | None) -> str:
    kind = KIND_LABELS.get(plan.kind, clean(plan.kind))
    if plan.block is not None:
        kind += f", {plain(plan.block)}"
    lines = [f"Planned: {name} ({kind})."]
    if estimate is not None and finite(estimate) and estimate > 0:
        lines.append(f"Takes about {max(1, round(estimate / 60))} min.")
    return "\n".join(lines)


def _outcome(record: SessionRecord, place: Place | None = None) -> str:
    """The shared words (core.outcomes): 'done', 'partly done · 60 %', 'stopped early ·
    40 %', and ', moved from Mon 4 May' for a session moved within its week."""
    share = record.share if finite(record.share) else 0.0
    if place is not None:
        return place.outcome_text(record)
    return session_text(record.status, share)


def _clock(start: datetime, end: datetime) -> str:
    """'18:05 to 18:32 (UTC+02:00)' in the session's own time zone."""
    end = end.astimezone(start.tzinfo)
    until = end.strftime("%H:%M") if end.date() == start.date() else \
        end.strftime("%Y-%m-%d %H:%M")
    return f"{start:%Y-%m-%d} {start:%H:%M} to {until} ({_offset(start)})"


def _offset(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, mins = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{mins:02d}"


def _duration(seconds: float) -> str:
    """'45 s', '1 min 30 s', '2 min'."""
    whole = round(seconds)
    if whole < 60:
        return f"{number(seconds)} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _scale(value: int | None) -> str:
    return "not given" if value is None else f"{value}/10"


def _aware(moment: datetime) -> datetime:
    """An aware datetime; a naive one (never stored so) is taken as this machine's local time."""
    return moment if moment.tzinfo is not None else moment.astimezone()
