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
kind, routine and block. Each event is built in ``ics_events``; the values both
formats write (clean text, plain numbers, the kind and flag words) are in
``export_text``.

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
import os
import secrets
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import BinaryIO

import icalendar

from backrehab_gui.core.adherence import compute
from backrehab_gui.core.engine import ExerciseResult
from backrehab_gui.core.history import SessionRecord, routine_fingerprint
from backrehab_gui.core.loading import Library
from backrehab_gui.core.outcomes import session_outcome
from backrehab_gui.core.pain import record_flag
from backrehab_gui.core.placement import Place, places
from backrehab_gui.core.schedule import PlannedSession, ProgramCalendar
from backrehab_gui.core.timeline import compile_routine

from .export_text import clean, finite, flag_reason, number, plain
from .ics_events import plan_events, session_event

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
_EMPTY: Mapping = MappingProxyType({})
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
        plain(record.block),
        number(week),
        place.phase if place is not None else plain(record.phase_id),
        session_outcome(record.status, record.share).word,
        place.counted_for.isoformat() if place and place.counted_for else "",
        number(record.share * 100 if finite(record.share) else None),
        number(record.pain_before),
        number(record.pain_after),
        number(record.effort),
        "yes" if flag else "no",
        flag_reason(flag) if flag else "",
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
            number(result.seconds),
            number(result.sets_done),
            number(result.sets),
            number(result.reps_done),
            number(result.reps_target),
            ";".join(number(t) for t in result.hold_times),
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
    value = clean(value)
    if value.startswith(_FORMULA_START) or value.lstrip().startswith(_FORMULA_START):
        return "'" + value
    return value


def _iso(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else ""
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
        calendar.add_component(session_event(record, stamp, zone, where.get(record.id)))
        count += 1
    for event in plan_events(records, planned, routine_names, estimates, stamp):
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
