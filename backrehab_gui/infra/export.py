"""The session history as files for other programs: CSV for a spreadsheet, iCalendar for a calendar.

A person hands these to their physical therapist or imports them into a
calendar app, so both are written for people first and programs second.

CSV (``write_csv``). One row per exercise result, with the session's own
columns repeated on each row so the table can be sorted and filtered as it is;
a session without results still gets one row (exercise columns empty), so no
session disappears. The file is UTF-8 *with* a byte order mark: Excel on
Windows reads a CSV without one in the local code page and garbles every
accented name, while LibreOffice, Numbers, Google Sheets and Python's
``encoding="utf-8-sig"`` all accept the mark. Rows end in CRLF (RFC 4180), the
separator is a comma and decimals use a point. Because the file opens in
spreadsheets, any cell that begins with ``=``, ``+``, ``-`` or ``@`` (also
after leading spaces), a tab or a carriage return is prefixed with a single
quote, so a note such as ``=HYPERLINK(...)`` shows as text and never runs as a
formula.

iCalendar (``write_ics``). An RFC 5545 calendar made with the ``icalendar``
library, which escapes and folds all text. One event per recorded session,
timed from its real start and end. The times are written in UTC (``...Z``) by
default: a session recorded at +02:00 and one at -05:00 land at the right
instant whatever time zone the calendar app is in later. Given ``tz`` (an
IANA zone such as ``ZoneInfo("Europe/Berlin")``) they are written with that
TZID instead and the calendar carries the matching VTIMEZONE. Each event's UID
is a UUID derived from the session id and its start instant, so exporting
again (after adding feedback, say) gives the same UIDs and a calendar app
updates the events rather than adding copies. Planned sessions not done yet
can be added as all-day, tentative events whose UID comes from their date,
kind, routine and block.

Both files are written atomically (a temporary file in the same folder,
flushed to disk, then renamed over the target), so a failed export never
leaves a half-written file, and every OSError reaches the caller as an
``ExportError`` whose message a person can act on.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import math
import os
import re
import secrets
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

import icalendar

from backrehab_gui.core.adherence import compute, match_day
from backrehab_gui.core.engine import ExerciseResult
from backrehab_gui.core.history import SessionRecord, routine_fingerprint
from backrehab_gui.core.loading import Library
from backrehab_gui.core.outcomes import session_outcome, session_text
from backrehab_gui.core.pain import HIGH, LASTING, PainFlag, record_flag
from backrehab_gui.core.pain_rules import LASTING_MINUTES
from backrehab_gui.core.placement import Place, places
from backrehab_gui.core.schedule import PlannedSession, ProgramCalendar
from backrehab_gui.core.timeline import compile_routine
from backrehab_gui.core.wording import plural

PRODID = "-//BackRehab//Session history export//EN"

CSV_COLUMNS = (
    "Date",
    "Start time",
    "End time",
    "Routine id",
    "Routine",
    "Kind",
    "Block",
    "Program week",
    "Phase",
    "Outcome",
    "Moved from",
    "Session done (%)",
    "Pain before (0-10)",
    "Pain after (0-10)",
    "Effort (0-10)",
    "Pain flag",
    "Pain flag reason",
    "Note",
    "Exercise number",
    "Exercise id",
    "Exercise",
    "Exercise status",
    "Seconds",
    "Sets done",
    "Sets planned",
    "Reps done",
    "Reps target",
    "Open-hold times (s)",
)
"""The CSV header, in column order."""

CSV_ENCODING = "utf-8-sig"
"""UTF-8 with a byte order mark, so Excel on Windows reads non-ASCII names correctly."""

KIND_LABELS = {
    "phase": "Phase session",
    "maintenance": "Maintenance session",
    "daily": "Daily block",
    "extra": "Extra session",
}

_EMPTY: Mapping = MappingProxyType({})

_UID_NAMESPACE = uuid.UUID("b00029e6-27fc-4a4b-aa7e-771d9a056d0d")
"""Fixed for good: changing it would change every exported UID."""

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class ExportError(Exception):
    """An export could not be written, with a message meant for the person using the app."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- Reading what to export -------------------------------------------------------------


def read_for_export(store, calendar: ProgramCalendar | None, first: date, last: date,
                    today: date) -> tuple[list[SessionRecord], dict[int, Place]]:
    """The sessions of ``first``..``last`` with their results, and where each sits in
    the program (core.placement). ``store`` is an infra.store.HistoryStore. Whole
    program weeks are read around the range, so a session moved within its week is
    described as the calendar shows it. Raises StoreError."""
    wide_first, wide_last = first, last
    if calendar is not None:
        if calendar.week(first) >= 1:
            wide_first = calendar.week_start(calendar.week(first))
        if calendar.week(last) >= 1:
            wide_last = calendar.week_start(calendar.week(last)) + timedelta(days=6)
    records = store.sessions_between(wide_first, wide_last, with_results=True)
    where = places(calendar, records, today)
    return [r for r in records if first <= r.local_date <= last], where


# --- CSV -------------------------------------------------------------------------------


def write_csv(path: Path, records: Sequence[SessionRecord],
              where: Mapping[int, Place] = _EMPTY, library: Library | None = None) -> int:
    """Write ``records`` to ``path`` as CSV, one row per exercise result.

    ``where`` (from core.placement.places) gives each session's program week,
    phase and, for a moved session, the day it was planned. With ``library``, an
    interrupted session lists every exercise of its routine, as a stopped one
    does: those it never reached as "not reached". Returns the number of data
    rows written (the header row not counted). Raises ExportError when the file
    cannot be written.
    """
    rows = [row for record in records
            for row in _csv_rows(record, where.get(record.id), library)]

    def write(handle: BinaryIO) -> None:
        text = io.TextIOWrapper(handle, encoding=CSV_ENCODING, errors="replace", newline="")
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        writer.writerows(rows)
        text.flush()
        text.detach()

    write_atomically(Path(path), write)
    return len(rows)


def _csv_rows(record: SessionRecord, place: Place | None,
              library: Library | None) -> Iterable[list[str]]:
    flag = record_flag(record)
    week = place.program_week if place is not None else record.program_week
    session = [
        record.local_date.isoformat(),
        _iso(record.started_at),
        _iso(record.ended_at),
        record.routine_id,
        record.routine_name,
        record.kind,
        _plain(record.block),
        _number(week),
        place.phase if place is not None else _plain(record.phase_id),
        session_outcome(record.status, record.share).word,
        place.counted_for.isoformat() if place and place.counted_for else "",
        _number(record.share * 100 if _finite(record.share) else None),
        _number(record.pain_before),
        _number(record.pain_after),
        _number(record.effort),
        "yes" if flag else "no",
        _flag_reason(flag) if flag else "",
        record.note,
    ]
    results = _every_exercise(record, library)
    if not results:
        yield [_cell(v) for v in session] + [""] * (len(CSV_COLUMNS) - len(session))
        return
    for result in results:
        exercise = [
            str(result.item + 1),
            result.exercise_id,
            result.name,
            result.status,
            _number(result.seconds),
            _number(result.sets_done),
            _number(result.sets),
            _number(result.reps_done),
            _number(result.reps_target),
            ";".join(_number(t) for t in result.hold_times),
        ]
        yield [_cell(v) for v in session + exercise]


NOT_REACHED = "not reached"
"""An exercise an interrupted session never got to."""


def _every_exercise(record: SessionRecord, library: Library | None
                    ) -> list[ExerciseResult]:
    """The session's results by item; for an interrupted session, also every exercise of
    its routine it never reached (when the routine is known and still the same)."""
    results = sorted(record.results, key=lambda r: r.item)
    if record.status != "interrupted" or library is None:
        return results
    routine = library.routines.get(record.routine_id)
    if routine is None or routine_fingerprint(routine, library.exercises) != \
            record.fingerprint:
        return results
    have = {r.item for r in results}
    for item, entry in enumerate(routine.exercises):
        if item not in have:
            exercise = library.exercises.get(entry.exercise)
            results.append(ExerciseResult(item, entry.exercise,
                                          exercise.name if exercise else entry.exercise,
                                          NOT_REACHED, 0.0, 0, 0, None, None, (), 0.0))
    return sorted(results, key=lambda r: r.item)


def _cell(value: str) -> str:
    """Text made safe for a spreadsheet: never read as a formula, no stray control codes."""
    value = _clean(value)
    if value.startswith(_FORMULA_START) or value.lstrip().startswith(_FORMULA_START):
        return "'" + value
    return value


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""


def _number(value: float | int | None) -> str:
    """A number as plain text with at most one decimal ('45', '12.5'); '' for none."""
    if value is None or isinstance(value, bool) or not _finite(value):
        return ""
    if isinstance(value, int):
        return str(value)
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def _finite(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


# --- iCalendar -------------------------------------------------------------------------


def write_ics(
    path: Path,
    records: Sequence[SessionRecord],
    planned: Sequence[tuple[date, PlannedSession]] = (),
    routine_names: Mapping[str, str] = _EMPTY,
    estimates: Mapping[str, float] = _EMPTY,
    tz: tzinfo | None = None,
    *,
    now: datetime | None = None,
    where: Mapping[int, Place] = _EMPTY,
) -> int:
    """Write ``records`` (and ``planned`` sessions not done yet) to ``path`` as iCalendar.

    ``planned`` holds (date, planned session) pairs, for instance from
    ``planned_between``; a planned session that one of ``records`` counts for
    on that date (matched as core.adherence matches them) gets no event of its
    own. ``routine_names`` and ``estimates`` (seconds) describe planned
    routines by id; ``routine_details`` makes both from a Library.
    ``tz``: an IANA time zone (``zoneinfo.ZoneInfo``) to write times in;
    None, or a zone without an IANA key, writes them in UTC. ``now`` is the
    DTSTAMP (default: the current time). ``where`` (core.placement.places) adds
    each session's program week, phase and, when moved, the day it was planned.
    Returns the number of events. Raises ExportError when the file cannot be
    written, or when there is nothing to write: RFC 5545 wants at least one
    event, and an empty calendar would import as nothing at all.
    """
    stamp = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    zone = tz if tz is not None and getattr(tz, "key", None) else None
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "BackRehab")
    count = 0
    for record in records:
        calendar.add_component(_session_event(record, stamp, zone, where.get(record.id)))
        count += 1
    for event in _plan_events(records, planned, routine_names, estimates, stamp):
        calendar.add_component(event)
        count += 1
    if not count:
        raise ExportError(EMPTY_CALENDAR)
    if zone is not None:
        calendar.add_missing_timezones()
    data = calendar.to_ical()
    write_atomically(Path(path), lambda handle: handle.write(data))
    return count


EMPTY_CALENDAR = ("There is nothing to put in a calendar: no session was recorded in this "
                  "period and no planned session is still to come. Nothing was written.")


def session_uid(record: SessionRecord) -> str:
    """The UID of a session's event: the same for the same session in every export."""
    start = _aware(record.started_at).astimezone(timezone.utc).isoformat()
    return str(uuid.uuid5(_UID_NAMESPACE, f"session:{record.id}:{start}"))


def plan_uid(day: date, plan: PlannedSession) -> str:
    """The UID of a planned session's event."""
    key = f"plan:{day.isoformat()}:{plan.kind}:{plan.routine_id}:{_plain(plan.block)}"
    return str(uuid.uuid5(_UID_NAMESPACE, key))


def session_summary(record: SessionRecord, place: Place | None = None) -> str:
    """'BackRehab: Evening strength and stretch (partly done · 60 %)'."""
    return f"BackRehab: {_clean(record.routine_name).strip()} ({_outcome(record, place)})"


def _session_event(record: SessionRecord, stamp: datetime, zone: tzinfo | None,
                   place: Place | None = None) -> icalendar.Event:
    start = _aware(record.started_at)
    end = _aware(record.ended_at) if record.ended_at is not None else None
    if end is None or end < start:
        # Not finished (interrupted, running) or a clock set back: the time worked.
        worked = sum(r.seconds for r in record.results if _finite(r.seconds) and r.seconds > 0)
        end = start + timedelta(seconds=max(60.0, worked))
    show = zone or timezone.utc
    event = icalendar.Event()
    event.add("uid", session_uid(record))
    event.add("dtstamp", stamp)
    event.add("dtstart", start.astimezone(show))
    event.add("dtend", end.astimezone(show))
    event.add("summary", session_summary(record, place))
    event.add("description", _session_description(record, start, end, place))
    event.add("categories", ["BackRehab", KIND_LABELS.get(record.kind, _clean(record.kind))])
    # Health information: calendar apps that share a calendar hide private events' details.
    event.add("class", "PRIVATE")
    return event


def _session_description(record: SessionRecord, start: datetime, end: datetime,
                         place: Place | None = None) -> str:
    lines = [f"{_clean(record.routine_name).strip()}: {_outcome(record, place)}."]
    kind = KIND_LABELS.get(record.kind, _clean(record.kind))
    if record.block:
        kind += f", {_clean(_plain(record.block))}"
    week = place.program_week if place is not None else record.program_week
    if week is not None:
        kind += f", program week {week}"
    if place is not None and place.phase:
        kind += f", {_clean(place.phase)}"
    lines.append(f"{kind}.")
    lines.append(f"Time: {_clock(start, end)}.")
    lines.append(f"Pain before: {_scale(record.pain_before)}. "
                 f"Pain after: {_scale(record.pain_after)}. "
                 f"Effort: {_scale(record.effort)}.")
    flag = record_flag(record)
    lines.append(f"Pain flag: {_flag_reason(flag)}." if flag else "Pain flag: none.")
    if record.results:
        lines.append("")
        lines.append("Exercises:")
        for result in sorted(record.results, key=lambda r: r.item):
            lines.append(f"{result.item + 1}. {_result_text(result)}")
    else:
        lines.append("No exercise was recorded.")
    note = _clean(record.note).strip()
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
            holds = " / ".join(_duration(t) for t in result.hold_times if _finite(t))
            parts.append(f"holds {holds}")
        if _finite(result.seconds) and result.seconds > 0:
            parts.append(f"{_duration(result.seconds)} in all")
    return f"{_clean(result.name).strip()}: {', '.join(parts)}."


def _plan_events(records: Sequence[SessionRecord],
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
            name = _clean(routine_names.get(plan.routine_id)
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
    kind = KIND_LABELS.get(plan.kind, _clean(plan.kind))
    if plan.block is not None:
        kind += f", {_plain(plan.block)}"
    lines = [f"Planned: {name} ({kind})."]
    if estimate is not None and _finite(estimate) and estimate > 0:
        lines.append(f"Takes about {max(1, round(estimate / 60))} min.")
    return "\n".join(lines)


def _outcome(record: SessionRecord, place: Place | None = None) -> str:
    """The shared words (core.outcomes): 'done', 'partly done · 60 %', 'stopped early ·
    40 %', and ', moved from Mon 4 May' for a session moved within its week."""
    share = record.share if _finite(record.share) else 0.0
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
        return f"{_number(seconds)} s"
    minutes, rest = divmod(whole, 60)
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def _scale(value: int | None) -> str:
    return "not given" if value is None else f"{value}/10"


def _aware(moment: datetime) -> datetime:
    """An aware datetime; a naive one (never stored so) is taken as this machine's local time."""
    return moment if moment.tzinfo is not None else moment.astimezone()


# --- Shared ----------------------------------------------------------------------------


def _flag_reason(flag: PainFlag) -> str:
    if flag.reason == LASTING:
        return f"pain more than light for longer than {LASTING_MINUTES} minutes"
    if flag.reason == HIGH:
        return f"pain {flag.after} out of 10 after the session"
    return f"pain went up from {flag.before} to {flag.after} during the session"


def _plain(value: object) -> str:
    """A str-valued enum (such as Block) as its plain text; '' for None."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def _clean(text: object) -> str:
    """Text fit for a file: line breaks as \\n, no other control codes, no lone surrogates."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.encode("utf-8", "replace").decode("utf-8")


# --- Inputs for write_ics --------------------------------------------------------------


def planned_between(calendar: ProgramCalendar, first: date, last: date,
                    records: Sequence[SessionRecord] = (), today: date | None = None
                    ) -> list[tuple[date, PlannedSession]]:
    """Every planned session from ``first`` to ``last`` (both included), by date.

    With ``records``, a planned session already done on another day of its program
    week (moved) is left out: its event would ask the person to do it again.
    """
    count = (last - first).days + 1
    planned = [(plan.day, session) for plan in calendar.days(first, max(0, count))
               for session in plan.sessions]
    if not records or not planned:
        return planned
    # The whole program weeks around the window, so a session done early in a week
    # is matched to its planned day inside the window.
    week_first = calendar.week_start(calendar.day(first).week) if calendar.day(first).started \
        else first
    stats = compute(calendar, records, today or first, min(week_first, first), last)
    moved = {(summary.day, match.planned) for summary in stats.days
             for match in summary.sessions if match.moved_to is not None}
    return [(day, session) for day, session in planned if (day, session) not in moved]


def routine_details(library: Library, prepare: float | None = None
                    ) -> tuple[dict[str, str], dict[str, float]]:
    """Routine names and estimated seconds by routine id, for ``write_ics``.

    ``prepare`` is the app's get-ready setting. A routine that cannot be
    compiled simply has no estimate.
    """
    names: dict[str, str] = {}
    estimates: dict[str, float] = {}
    for routine_id, routine in library.routines.items():
        names[routine_id] = routine.name
        try:
            estimates[routine_id] = compile_routine(routine, library.exercises,
                                                    prepare=prepare).estimate
        except (KeyError, IndexError, ValueError):
            continue
    return names, estimates


# --- Writing files ---------------------------------------------------------------------


def write_atomically(path: Path, write: Callable[[BinaryIO], object],
                     what: str = "export") -> None:
    """Write through ``write`` into a temporary file beside ``path``, then rename it over.

    Raises ExportError with a plain sentence (naming ``what`` is being saved) for
    any OSError: a missing or read-only folder, a full disk, a name too long.
    """
    # os.open (not mkstemp) so the file gets the usual permissions for a saved document.
    tmp = path.parent / f".{path.name[:64]}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(tmp, flags, 0o666)
    except OSError as err:
        raise ExportError(_message(err, path, what)) from err
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as err:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise ExportError(_message(err, path, what)) from err
        raise


def _message(err: OSError, path: Path, what: str = "export") -> str:
    folder = path.parent
    code = err.errno
    if isinstance(err, IsADirectoryError) or code == errno.EISDIR or path.is_dir():
        return f"{path} is a folder. Choose a file name to save the {what} as."
    if code == errno.ENOENT:
        return f"The folder {folder} does not exist. Choose another folder for the {what}."
    if code == errno.ENOTDIR:
        return (f"{path} cannot be saved: part of that path is a file, not a folder. "
                f"Choose another folder for the {what}.")
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return (f"The disk is full, so {path} could not be saved. Free some space or "
                f"choose another place for the {what}.")
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (f"BackRehab may not write {path}. If the file is open in another program, "
                "close it and try again; otherwise choose another folder.")
    if code == errno.ENAMETOOLONG:
        return f"The name {path} is too long. Choose a shorter file name."
    reason = err.strerror or str(err)
    return f"BackRehab could not save {path} ({reason}). Try another folder."
