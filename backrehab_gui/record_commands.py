"""The record from the command line: enrol, log a session, statistics, measures, backup.

    backrehab enrol --program ID --start DATE --days mon,wed,fri --blocks morning,evening
    backrehab log ROUTINE --at "DATE TIME" [--share 0.8] [--pain-before N] ...
    backrehab stats [--json] [--as-of DATE]
    backrehab measure peg PAIN ENJOYMENT ACTIVITY [--at DATE]
    backrehab measure psfs RATING... [--activity NAME ...] [--at DATE]
    backrehab backup --out FILE
    backrehab restore FILE

These use the same data folder, store and rules as the app (the person's end
of day included), so a session logged here is counted exactly as one played in
the app. Writing commands wait for the app's lock like the app itself; a
locked or read-only history is reported in one plain line (exit 1).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date, datetime
from pathlib import Path

from .commands import EXIT_OK, EXIT_PROBLEMS, UsageError, _date, _find, _library, _weekdays
from .core import model as m
from .core.history import session_day
from .core.schedule import Enrolment, ProgramCalendar
from .core.wording import plural
from .infra import paths
from .infra.settings import SettingsStore, day_end_of
from .infra.store import HistoryStore, StoreError


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """The record subcommands, added to the `backrehab` parser."""
    p = sub.add_parser("enrol", help="choose the program, start date, days and daily blocks",
                       description="Enrol in a program (or change the days and blocks of "
                       "the current one). The same program and start date keep any "
                       "repeated weeks.")
    p.add_argument("--program", required=True, help="program id (see `backrehab list`)")
    p.add_argument("--start", required=True, type=_date, help="start date, YYYY-MM-DD")
    p.add_argument("--days", type=_weekdays, default=None,
                   help="weekdays for phase sessions, e.g. mon,wed,fri (default: spread)")
    p.add_argument("--blocks", default="morning,midday,evening",
                   help="daily blocks, e.g. morning,evening, or none")
    p.set_defaults(handler=cmd_enrol)

    p = sub.add_parser("log", help="record a session done without the player",
                       description="Record a session done away from the laptop. It is "
                       "matched and counted like a session played in the app.")
    p.add_argument("routine", help="routine id (see `backrehab list`)")
    p.add_argument("--at", required=True, type=_moment, metavar="'DATE TIME'",
                   help="when it started, e.g. '2026-01-06 18:30' (local time)")
    p.add_argument("--share", type=float, default=1.0,
                   help="how much of it was done, more than 0 up to 1 (default 1: all)")
    p.add_argument("--pain-before", type=int, metavar="N", help="pain before, 0-10")
    p.add_argument("--pain-after", type=int, metavar="N", help="pain after, 0-10")
    p.add_argument("--effort", type=int, metavar="N", help="how hard it felt, 0-10")
    p.add_argument("--note", default="", help="a note")
    p.set_defaults(handler=cmd_log)

    p = sub.add_parser("stats", help="planned against done, per program week",
                       description="Per program week: planned, done, moved and extra "
                       "sessions, adherence, pain flags and outcome scores; then the "
                       "streak, the habit score and the current advice.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--as-of", type=_date, metavar="DATE",
                   help="count up to this day (default: today)")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("measure", help="record a PEG or PSFS questionnaire",
                       description="PEG: three ratings 0-10 about the past week (average "
                       "pain, interference with enjoyment of life, with general activity). "
                       "PSFS: 3 to 5 activities you name, each rated 0 (unable) to 10 (as "
                       "before the problem); name them once, later just re-rate them.")
    p.add_argument("kind", choices=("peg", "psfs"))
    p.add_argument("ratings", type=int, nargs="+", metavar="N", help="the ratings, 0-10")
    p.add_argument("--activity", action="append", default=[], metavar="NAME",
                   help="psfs: an activity, once per activity (default: last time's)")
    p.add_argument("--on", type=_date, metavar="DATE", help="the day (default: today)")
    p.set_defaults(handler=cmd_measure)

    p = sub.add_parser("backup", help="save everything to one file (for a new laptop)",
                       description="Save the history, enrolment, questionnaire answers, "
                       "settings and your own routines to one file. Safe while the app is "
                       "open.")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("restore", help="bring back everything from a backup file",
                       description="Merge a backup into the data folder, empty or not: "
                       "nothing already there is lost or doubled.")
    p.add_argument("file", type=Path, metavar="FILE", help="a file made by `backrehab backup`")
    p.set_defaults(handler=cmd_restore)


# --- Shared -----------------------------------------------------------------------


def _moment(text: str) -> datetime:
    """'2026-01-06 18:30' (local time) or an ISO 8601 time with its offset."""
    try:
        moment = datetime.fromisoformat(text.strip().replace(" ", "T", 1))
    except ValueError:
        try:
            moment = datetime.strptime(" ".join(text.split()), "%Y-%m-%d %H:%M")  # 8:00
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"'{text}' is not a date and time like '2026-01-06 18:30'") from None
    return moment if moment.tzinfo is not None else moment.astimezone()


def apply_day_end(store: HistoryStore, data: Path) -> None:
    """Give the store the person's end of day from their settings."""
    store.day_end = day_end_of(SettingsStore(data).load())


def person_today(data: Path, now: datetime | None = None) -> date:
    """Today as the person counts it (before their end of day, it is still yesterday)."""
    now = now or datetime.now().astimezone()
    return session_day(now, day_end_of(SettingsStore(data).load()))


def open_store(args: argparse.Namespace, *, read_only: bool = False
               ) -> tuple[HistoryStore, Path]:
    data = paths.data_dir(args.data)
    if read_only and not (data / "history.sqlite3").exists():
        raise UsageError(f"there is no history in {data} yet (see --data)")
    store = HistoryStore.open(data, read_only=read_only)
    apply_day_end(store, data)
    return store, data


def _fail(command: str, message: str) -> int:
    print(f"backrehab {command}: {message}", file=sys.stderr)
    return EXIT_PROBLEMS


# --- enrol -------------------------------------------------------------------------


def cmd_enrol(args: argparse.Namespace) -> int:
    lib = _library(args)
    program = _find(lib.programs, args.program, "program")
    offered = [d.block for d in program.daily]
    blocks: list[m.Block] = []
    if args.blocks.strip().lower() not in ("", "none"):
        for part in args.blocks.replace(" ", "").lower().split(","):
            block = next((b for b in offered if b.value == part), None)
            if block is None:
                names = ", ".join(b.value for b in offered) or "none"
                raise UsageError(f"'{part}' is not a daily block of {program.name}; "
                                 f"use {names}, or none")
            if block not in blocks:
                blocks.append(block)
    try:
        store, _data = open_store(args)
    except StoreError as err:
        return _fail("enrol", err.message)
    try:
        current = store.enrolment()
        repeats = current.repeats if current and (current.program_id, current.start) == \
            (program.id, args.start) else ()
        enrolment = Enrolment(program.id, args.start, args.days, tuple(blocks), repeats)
        store.save_enrolment(enrolment)
    except StoreError as err:
        return _fail("enrol", err.message)
    finally:
        store.close()
    days = ", ".join(d.capitalize() for d in _day_names(args.days)) if args.days else \
        "days spread over the week"
    print(f"Enrolled in {program.name} from {args.start:%a %d %b %Y}: phase sessions on "
          f"{days}; daily blocks: {', '.join(b.value for b in blocks) or 'none'}.")
    return EXIT_OK


def _day_names(days: tuple[int, ...]) -> list[str]:
    from .core.schedule import WEEKDAYS

    return [WEEKDAYS[d] for d in days]


# --- log ---------------------------------------------------------------------------


def cmd_log(args: argparse.Namespace) -> int:
    from .core.away import LogError
    from .infra.record import log_session

    lib = _library(args)
    routine = _find(lib.routines, args.routine, "routine")
    try:
        store, _data = open_store(args)
    except StoreError as err:
        return _fail("log", err.message)
    try:
        enrolment = store.enrolment()
        program = lib.programs.get(enrolment.program_id) if enrolment else None
        calendar = ProgramCalendar(program, enrolment) if program and enrolment else None
        logged = log_session(store, lib, calendar, routine.id, args.at,
                             datetime.now().astimezone(), share=args.share,
                             pain_before=args.pain_before, pain_after=args.pain_after,
                             effort=args.effort, note=args.note)
        record = store.session(logged.session_id)
        counts_for = _counts_for(store, calendar, record)
    except LogError as err:
        raise UsageError(str(err)) from None
    except StoreError as err:
        return _fail("log", err.message)
    finally:
        store.close()
    if not logged.new:
        print(f"{routine.name} at {args.at:%Y-%m-%d %H:%M} is already in your history; "
              "nothing was changed.")
        return EXIT_OK
    kind = {"phase": "a phase session", "maintenance": "a maintenance session",
            "daily": f"the {logged.slot.block} block", "extra": "an extra session"}
    print(f"Logged {routine.name} at {args.at:%Y-%m-%d %H:%M} for "
          f"{record.local_date:%a %d %b %Y}, as {kind[logged.slot.kind]}"
          + (f" (program week {logged.slot.program_week})" if logged.slot.program_week
             else "") + f". {counts_for}")
    return EXIT_OK


def _counts_for(store: HistoryStore, calendar: ProgramCalendar | None, record) -> str:
    """Where the logged session counts, as the calendar will show it."""
    from datetime import timedelta

    from .core.placement import places

    if calendar is None or calendar.week(record.local_date) < 1:
        return "It counts as an extra session."
    first = calendar.week_start(calendar.week(record.local_date))
    week = store.sessions_between(first, first + timedelta(days=6))
    place = places(calendar, week, record.local_date).get(record.id)
    if place is None or not place.counted:
        return "No planned session was left for it, so it counts as an extra session."
    if place.counted_for is not None:
        return (f"It counts for the session planned on {place.counted_for:%a %d %b} "
                "(moved).")
    return "It counts for that day's planned session."


# --- stats -------------------------------------------------------------------------


def cmd_stats(args: argparse.Namespace) -> int:
    from .core import advice
    from .core.adherence import compute
    from .core.outcomes import Outcome
    from .core.pain import weekly_pain

    lib = _library(args)
    try:
        store, data = open_store(args, read_only=True)
    except StoreError as err:
        return _fail("stats", err.message)
    try:
        enrolment = store.enrolment()
        program = lib.programs.get(enrolment.program_id) if enrolment else None
        if enrolment is None or program is None:
            raise UsageError("there is no program yet: enrol first (`backrehab enrol`)")
        today = args.as_of or person_today(data)
        calendar = ProgramCalendar(program, enrolment)
        records = store.sessions_between(min(enrolment.start, today), today)
        decided = store.moved_on()
        checks = store.next_day_checks(enrolment.start)
        measures = _measures(store, ProgramCalendar(program, enrolment))
    except StoreError as err:
        return _fail("stats", err.message)
    finally:
        store.close()
    stats = compute(calendar, records, today, min(enrolment.start, today), today)
    last_week = max(1, calendar.week(today))
    pain = {w.week: w for w in weekly_pain(calendar, records, 1, last_week)} \
        if today >= enrolment.start else {}
    phases = {p.id: p.name for p in program.phases}
    weeks = []
    for w in stats.weeks:
        if w.week > last_week:
            continue
        scores = measures.get(w.week, {}) if measures else {}
        weeks.append({
            "week": w.week, "program_week": w.program_week,
            "phase": phases.get(w.phase_id, w.phase_id) if w.phase_id else "maintenance",
            "repeating": w.repeating, "first": w.first.isoformat(),
            "last": w.last.isoformat(), "finished": w.finished,
            "planned": w.planned, "done": round(w.credit, 2),
            "phase_planned": w.phase_planned, "phase_done": round(w.phase_credit, 2),
            "moved": w.moved, "extra": w.extra,
            "adherence": _pct(w.adherence), "phase_adherence": _pct(w.phase_adherence),
            "met_target": w.met,
            "pain_flags": pain[w.week].flagged if w.week in pain else 0,
            "pain_before": _round(pain[w.week].before) if w.week in pain else None,
            "pain_after": _round(pain[w.week].after) if w.week in pain else None,
            **scores,
        })
    due = advice.due_advice(calendar, today, decided)
    # The same rules as the app's Today: the next-day answers count too.
    found = advice.phase_advice(calendar, records, due, today, checks) if due else None
    result = {
        "today": today.isoformat(), "program": program.id, "start": enrolment.start.isoformat(),
        "target": stats.target, "weeks": weeks, "streak": stats.streak,
        "best_streak": stats.best_streak, "score": round(stats.score, 1),
        "advice": None if found is None else {
            "phase": found.phase_id,
            "suggestion": "move on" if found.move_on else
                          "cannot tell yet" if found.lacks_pain else "repeat",
            "adherence": _pct(found.adherence), "target": found.target,
            "unmet": list(found.unmet), "message": found.message},
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return EXIT_OK
    print(f"{program.name}, from {enrolment.start:%a %d %b %Y}; as of {today:%a %d %b %Y}")
    print(f"{'WEEK':<5}{'PHASE':<14}{'PLANNED':>8}{'DONE':>7}{'MOVED':>6}{'EXTRA':>6}"
          f"{'ALL %':>7}{'PHASE %':>8}{'FLAGS':>6}  SCORES")
    for w in weeks:
        extra = "  ".join(f"{k.upper()} {v}" for k, v in w.items()
                          if k in ("peg", "psfs") and v is not None)
        print(f"{w['week']:<5}{w['phase'][:13]:<14}{w['planned']:>8}{w['done']:>7g}"
              f"{w['moved']:>6}{w['extra']:>6}{_text(w['adherence']):>7}"
              f"{_text(w['phase_adherence']):>8}{w['pain_flags']:>6}  {extra}")
    print(f"Streak: {plural(stats.streak, 'week')} at {stats.target:g} % or more (best "
          f"{stats.best_streak}); habit strength {round(stats.score)} of 100.")
    print(f"Moved sessions are marked {Outcome.MOVED.text}: done on another day of their week.")
    if found is not None:
        print(f"Advice: {found.message}")
    return EXIT_OK


def _measures(store: HistoryStore, calendar: ProgramCalendar
              ) -> dict[int, dict[str, float]]:
    """Outcome-measure scores (PEG, PSFS) by calendar week."""
    from .core.measures import weekly_scores
    from .infra.record import read_answers

    return weekly_scores(read_answers(store), calendar.week)


def cmd_measure(args: argparse.Namespace) -> int:
    from .core import measures
    from .infra.record import read_answers, save_answer

    try:
        store, data = open_store(args)
    except StoreError as err:
        return _fail("measure", err.message)
    try:
        day = args.on or person_today(data)
        now = datetime.now().astimezone()
        answered_at = now if args.on is None else datetime.combine(
            args.on, now.timetz()).replace(microsecond=0)
        if args.kind == "peg":
            if len(args.ratings) != 3:
                raise UsageError("PEG takes three ratings: pain, enjoyment of life, general "
                                 "activity (each 0-10)")
            answer = measures.peg(day, *args.ratings)
        else:
            names = args.activity or list(measures.psfs_activities(read_answers(store)))
            if not names:
                raise UsageError("name the activities the first time, e.g. --activity "
                                 "'tying shoes' --activity 'sitting an hour' --activity "
                                 "'lifting a bag'")
            answer = measures.psfs(day, names, args.ratings)
        save_answer(store, answer, answered_at)
    except measures.MeasureError as err:
        raise UsageError(str(err)) from None
    except StoreError as err:
        return _fail("measure", err.message)
    finally:
        store.close()
    print(f"Recorded {args.kind.upper()} for {day:%a %d %b %Y}: score {answer.score:.1f}.")
    return EXIT_OK


def _pct(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _text(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


# --- backup and restore ------------------------------------------------------------


def cmd_backup(args: argparse.Namespace) -> int:
    from .infra.backup import BackupError, write_backup

    data = paths.data_dir(args.data)
    try:
        count = write_backup(data, args.out, datetime.now().astimezone())
    except BackupError as err:
        return _fail("backup", err.message)
    print(f"Backed up {plural(count, 'session')}, with the enrolment, answers, settings and your "
          f"routines, to {args.out}")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from .infra.backup import BackupError, restore_backup

    data = paths.data_dir(args.data)
    try:
        summary = restore_backup(args.file, data, datetime.now().astimezone())
    except BackupError as err:
        return _fail("restore", err.message)
    except StoreError as err:
        return _fail("restore", err.message)
    print(f"Restored into {data}: {summary.text()}")
    return EXIT_OK
