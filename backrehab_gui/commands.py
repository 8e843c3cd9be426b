"""The `backrehab` subcommands: tools for routine files and the history.

    backrehab [--data DIR] [--tray]  open the app
    backrehab validate [PATH...]     check routine files (exit 0 valid, 1 problems, 2 usage)
    backrehab list                   routines with their estimated times
    backrehab show ROUTINE           a routine's steps with times
    backrehab plan                   what to do on each day of the program
    backrehab export --format F      the history as CSV, iCalendar or a PDF report
    backrehab schema                 the JSON Schema of the routine format
    backrehab enrol | log | stats | measure | backup | restore   the record
                                     (see record_commands)
    backrehab handout ID --out F     a printed home-exercise handout (PDF)

Problems are printed to stderr as one line each; no command prints a traceback
for bad input, and no text from a routine file reaches the terminal with a
control or escape character in it.
"""

from __future__ import annotations

import argparse
import difflib
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .core import model as m
from .core.dose_text import describe
from .core.fields import MAX_WEEKS
from .core.loading import Library, load_library
from .core.plaintext import printable
from .core.progression import doses_for_week
from .core.schedule import (
    WEEKDAYS,
    daily_blocks,
    default_session_days,
    parse_weekdays,
    plan_days,
)
from .core.schema import schema_text
from .core.step_text import step_words
from .core.timeline import Timeline, compile_routine
from .core.units import IntRange, format_about, format_clock, format_duration
from .core.wording import plural, with_length
from .infra import paths, routines

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
MAX_PLAN_WEEKS = 5 * MAX_WEEKS
"""The furthest `plan --weeks` and `show --week` look ahead (ten years)."""


class UsageError(Exception):
    """Bad arguments: exit code 2."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from .ui.launch import run_gui  # Qt loads only when the window is wanted

            return run_gui(data=args.data, tray=args.tray)
        return args.handler(args)
    except UsageError as err:
        _say(f"backrehab {args.command}: {err}", err=True)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `backrehab plan | head`
        return EXIT_OK
    except OSError as err:
        _say(f"backrehab: {err.strerror or err}: {err.filename or ''}".rstrip(": "), err=True)
        return EXIT_PROBLEMS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="backrehab",
        description="A guided, spoken workout timer for a home lower-back program. "
        "With no command, opens the app.",
    )
    parser.add_argument("--data", metavar="DIR",
                        help=f"data folder (default: ${paths.HOME_ENV}, else the platform's)")
    parser.add_argument("--tray", action="store_true",
                        help="start in the tray without opening the window (as at log-in)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("validate", help="check routine files",
                       description="Check routine files. The bundled exercise library is "
                       "loaded too, so a routine may use its exercises.")
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="files or folders (default: the bundled and your own routines)")
    p.add_argument("--alone", action="store_true",
                   help="do not load the bundled library beside the given files")
    p.add_argument("--json", action="store_true", help="print the result as JSON")
    p.set_defaults(handler=cmd_validate)

    p = sub.add_parser("list", help="list routines with their estimated times")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("show", help="show a routine's steps with times")
    p.add_argument("routine", help="routine id (see `backrehab list`)")
    p.add_argument("--week", type=int, help="apply the program's progressions for this week")
    p.set_defaults(handler=cmd_show)

    p = sub.add_parser("plan", help="what to do on each day of the program")
    p.add_argument("--start", type=_date, default=None,
                   help="program start date, YYYY-MM-DD (default: today)")
    p.add_argument("--weeks", type=int, default=None,
                   help="weeks to show (default: the program's length)")
    p.add_argument("--days", type=_weekdays, default=None,
                   help="weekdays for phase sessions, e.g. mon,wed,fri")
    p.add_argument("--program", default=None, help="program id (default: the first)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_plan)

    p = sub.add_parser("export", help="export your history as CSV, iCalendar or a PDF report",
                       description="Export the history in the data folder. Reading only: "
                       "safe while the app is open.")
    p.add_argument("--format", required=True, choices=("csv", "ics", "pdf"),
                   help="csv: one row per exercise; ics: calendar events; pdf: a report for "
                   "a physical therapist")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write")
    p.add_argument("--from", dest="first", type=_date, metavar="DATE",
                   help="first day, YYYY-MM-DD (default: the program's start)")
    p.add_argument("--to", dest="last", type=_date, metavar="DATE",
                   help="last day, YYYY-MM-DD (default: today)")
    p.add_argument("--planned", action="store_true",
                   help="ics: also add the planned sessions of the next four weeks")
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("schema", help="print the JSON Schema of the routine format")
    p.add_argument("--out", type=Path, help="write to this file instead")
    p.set_defaults(handler=cmd_schema)

    from . import record_commands  # enrol, log, stats, measure, backup, restore

    record_commands.add_parsers(sub)
    _add_handout(sub)
    return parser


def _say(text: str = "", *, err: bool = False) -> None:
    """Print a line that may hold routine text: control characters are shown as escapes."""
    print(printable(text, newlines=True), file=sys.stderr if err else sys.stdout)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date like 2026-01-05") from None


def _weekdays(text: str) -> tuple[int, ...]:
    try:
        return parse_weekdays(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


# --- validate ---------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        raise UsageError(f"no such file or folder: {', '.join(map(str, missing))}")
    if args.paths:
        files = routines.expand(args.paths)
        if not files:
            raise UsageError("no .yaml or .yml files in " + ", ".join(map(str, args.paths)))
        if not args.alone:
            files = routines.with_bundled(args.paths)
    else:
        user = paths.user_routines(paths.data_dir(args.data))
        files = routines.with_bundled([user] if user.is_dir() else [])
    lib = load_library(files, asset_roots=[paths.assets()])
    if args.json:
        _say(json.dumps({
            "ok": lib.ok,
            "files": lib.files,
            "counts": _counts(lib),
            "problems": [p.as_dict() for p in lib.problems],
        }, indent=2))
    else:
        for problem in lib.problems:
            _say(str(problem), err=True)
        summary = ", ".join(plural(n, k.removesuffix("s")) for k, n in _counts(lib).items())
        if lib.ok:
            _say(f"{plural(len(lib.files), 'file')} OK: {summary}")
        else:
            bad = len({p.file for p in lib.problems})
            _say(f"{plural(len(lib.problems), 'problem')} in {bad} of "
                 f"{plural(len(lib.files), 'file')}", err=True)
    return EXIT_OK if lib.ok else EXIT_PROBLEMS


def _counts(lib: Library) -> dict[str, int]:
    return {"exercises": len(lib.exercises), "routines": len(lib.routines),
            "programs": len(lib.programs)}


# --- list and show ----------------------------------------------------------


def _library(args: argparse.Namespace) -> Library:
    lib = routines.load_for_app(paths.data_dir(args.data))
    if lib.problems:
        _say(f"backrehab: {plural(len(lib.problems), 'problem')} in routine files; those "
             "entries are left out (see `backrehab validate`)", err=True)
    return lib


def cmd_list(args: argparse.Namespace) -> int:
    lib = _library(args)
    rows = []
    for routine in lib.routines.values():
        timeline = compile_routine(routine, lib.exercises)
        rows.append({"id": routine.id, "name": routine.name,
                     "exercises": len(routine.exercises),
                     "estimate_seconds": round(timeline.estimate),
                     "file": str(lib.origins[("routines", routine.id)].file)})
    if args.json:
        _say(json.dumps({"routines": rows, "programs": [
            {"id": p.id, "name": p.name, "weeks": p.weeks} for p in lib.programs.values()]},
            indent=2))
        return EXIT_OK
    width = max((len(r["id"]) for r in rows), default=10)
    _say(f"{'ROUTINE':<{width}}  {'TIME':>6}  EXERCISES  NAME")
    for r in rows:
        _say(f"{r['id']:<{width}}  {format_clock(r['estimate_seconds']):>6}  "
              f"{r['exercises']:>9}  {r['name']}")
    for program in lib.programs.values():
        _say(f"\nProgram {program.id}: {with_length(program.name, program.weeks)}; "
              "`backrehab plan` shows each day. Daily blocks:")
        for line in _daily_lines(lib, program):
            _say(f"  {line}")
    return EXIT_OK


def _daily_lines(lib: Library, program: m.Program) -> list[str]:
    """Each daily block with its routine per phase, its estimate and the guide's minutes."""
    lines = []
    for base in program.daily:
        spans: list[tuple[str, IntRange, m.DailyBlock]] = []
        for phase in program.phases:
            block = next(b for b in daily_blocks(program, phase) if b.block is base.block)
            if spans and spans[-1][2] is block:
                spans[-1] = (block.routine, IntRange(spans[-1][1].low, phase.weeks.high),
                             block)
            else:
                spans.append((block.routine, phase.weeks, block))
        parts = []
        for routine_id, weeks, block in spans:
            routine = lib.routines.get(routine_id)
            if routine is None:
                continue
            est = format_duration(round(compile_routine(routine, lib.exercises).estimate))
            when = "" if len(spans) == 1 else f" in weeks {weeks}"
            planned = f" (the guide plans {block.minutes} min)" if block.minutes else ""
            parts.append(f"{routine_id} takes {est}{planned}{when}")
        lines.append(f"{base.block.value:<8} " + "; ".join(parts))
    return lines


def _find(table: dict, wanted: str, kind: str):
    if wanted in table:
        return table[wanted]
    close = difflib.get_close_matches(wanted, list(table), n=1, cutoff=0.5)
    hint = f"; did you mean '{close[0]}'?" if close else f"; `backrehab list` shows the {kind}s"
    raise UsageError(f"there is no {kind} '{wanted}'{hint}")


def cmd_show(args: argparse.Namespace) -> int:
    return show(_library(args), args)


def show(lib: Library, args: argparse.Namespace) -> int:
    """`show` over a loaded library (args: routine, week)."""
    routine = _find(lib.routines, args.routine, "routine")
    doses = {}
    if args.week is not None:
        if not 1 <= args.week <= MAX_PLAN_WEEKS:
            raise UsageError(f"--week counts from 1 to {MAX_PLAN_WEEKS}")
        program = next(iter(lib.programs.values()), None)
        doses = doses_for_week(routine, lib.exercises, program, args.week)
    timeline = compile_routine(routine, lib.exercises, doses=doses)
    _say(f"{routine.name} ({routine.id}): {format_about(timeline.estimate)}")
    if routine.summary:
        _say(routine.summary)
    _say()
    for i, item in enumerate(routine.exercises, start=1):
        dose = doses.get(i - 1) or lib.dose_for(item)
        _say(f"  {i}. {lib.exercises[item.exercise].name}: {describe(dose)}")
    _say()
    print_steps(timeline)
    return EXIT_OK


def print_steps(timeline: Timeline) -> None:
    at = 0.0
    for step in timeline.steps:
        length = ("open" if step.is_open else format_duration(step.duration or 0))
        _say(f"  {format_clock(at):>6}  {step_words(step):<56} {length}")
        at += step.estimate


def cmd_plan(args: argparse.Namespace) -> int:
    return plan(_library(args), args)


def plan(lib: Library, args: argparse.Namespace) -> int:
    """`plan` over a loaded library (args: program, start, weeks, days, json)."""
    if not lib.programs:
        raise UsageError("no program is loaded")
    program = (_find(lib.programs, args.program, "program") if args.program
               else next(iter(lib.programs.values())))
    start = args.start or date.today()
    weeks = args.weeks if args.weeks is not None else program.weeks
    if not 1 <= weeks <= MAX_PLAN_WEEKS:
        raise UsageError(f"--weeks must be from 1 to {MAX_PLAN_WEEKS}")
    days = plan_days(program, start, start, weeks * 7, args.days)
    estimates = _estimates(lib, program, weeks)
    if args.json:
        _say(json.dumps(_plan_json(program, start, days, estimates), indent=2))
        return EXIT_OK
    _print_plan(lib, program, start, days, estimates, args.days)
    return EXIT_OK


def _estimates(lib: Library, program: m.Program, weeks: int) -> dict[tuple[str, int], float]:
    """Estimated seconds of each routine in each week, after progressions."""
    ids = {s.routine for p in program.phases for s in p.sessions}
    ids |= {d.routine for d in program.daily}
    ids |= {d.routine for p in program.phases for d in p.daily}
    if program.maintenance:
        ids |= {s.routine for s in program.maintenance.sessions}
    out = {}
    # Doses change only in the weeks a progression steps up: compile each version once.
    seen: dict[tuple, float] = {}
    for week in range(1, weeks + 1):
        for rid in ids:
            routine = lib.routines[rid]
            doses = doses_for_week(routine, lib.exercises, program, week)
            key = (rid, tuple(sorted(doses.items(), key=lambda pair: pair[0])))
            if key not in seen:
                seen[key] = compile_routine(routine, lib.exercises, doses=doses).estimate
            out[(rid, week)] = seen[key]
    return out


def _print_plan(lib, program, start, days, estimates, chosen_days) -> None:
    per_week = sum(s.per_week for s in program.phases[0].sessions)
    weekdays = chosen_days or default_session_days(per_week)
    _say(f"{with_length(program.name, program.weeks)}, from {start:%a %d %b %Y}")
    _say(f"Phase sessions on {', '.join(WEEKDAYS[d].capitalize() for d in weekdays)}; "
          "the daily blocks every day:")
    for block in program.daily:
        est = estimates[(block.routine, 1)]
        planned = f", planned {block.minutes} min" if block.minutes else ""
        _say(f"  {block.block.value:<8} {lib.routines[block.routine].name} "
              f"({format_about(est)}{planned})")
    for phase in program.phases:
        for block in phase.daily:
            est = estimates[(block.routine, phase.weeks.low)]
            _say(f"  {block.block.value:<8} in {phase.name}, weeks {phase.weeks}: "
                  f"{lib.routines[block.routine].name} ({format_about(est)})")
    week_number = None
    for day in days:
        if day.week != week_number:
            week_number = day.week
            _say()
            if day.maintenance:
                _say(f"Week {day.week}: maintenance (the program is complete; keep it up)")
                basis = program.maintenance.basis if program.maintenance else None
            else:
                _say(f"Week {day.week} of {program.weeks}: phase {day.phase_number}, "
                      f"{day.phase.name} (weeks {day.phase.weeks})")
                basis = day.phase.basis
            if basis and (day.maintenance or day.week == day.phase.weeks.low):
                _say(f"  Why: {basis}")
            for note in _progress_notes(lib, program, day.week):
                _say(f"  {note}")
        extra = [s for s in day.sessions if s.kind != "daily"]
        blocks = [s.block.value for s in day.sessions if s.kind == "daily"]
        text = " + ".join(blocks) if blocks else ""
        for s in extra:
            est = estimates.get((s.routine_id, day.week))
            name = lib.routines[s.routine_id].name
            text += f"  |  {name} ({s.routine_id}, {format_about(est or 0)})"
        _say(f"  {day.day:%a %Y-%m-%d}  {text.strip(' |')}")


def _progress_notes(lib: Library, program: m.Program, week: int) -> list[str]:
    notes = []
    for rule in program.progressions:
        if week < rule.from_week or (week - rule.from_week) % rule.every_weeks:
            continue
        name = lib.exercises[rule.exercise].name
        for routine_id in _routines_of(program, week):
            routine = lib.routines[routine_id]
            doses = doses_for_week(routine, lib.exercises, program, week)
            for index, dose in doses.items():
                if routine.exercises[index].exercise == rule.exercise:
                    notes.append(f"This week: {name} {describe(dose)}")
                    break
            else:
                continue
            break
    return notes


def _routines_of(program: m.Program, week: int) -> list[str]:
    phase = program.phase_for_week(week)
    sessions = phase.sessions if phase else (program.maintenance.sessions
                                             if program.maintenance else [])
    return [s.routine for s in sessions] + [d.routine for d in daily_blocks(program, phase)]


def _plan_json(program, start, days, estimates) -> dict:
    return {
        "program": program.id,
        "start": start.isoformat(),
        "days": [{
            "date": d.day.isoformat(),
            "week": d.week,
            "phase": d.phase.id if d.phase else None,
            "maintenance": d.maintenance,
            "sessions": [{
                "routine": s.routine_id,
                "kind": s.kind,
                "block": s.block.value if s.block else None,
                "estimate_seconds": round(estimates.get((s.routine_id, d.week), 0)),
            } for s in d.sessions],
        } for d in days],
    }


# --- export -----------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from .core.schedule import ProgramCalendar
    from .infra import export
    from .infra.store import HistoryStore, StoreError

    data = paths.data_dir(args.data)
    if not (data / "history.sqlite3").exists():
        raise UsageError(f"there is no history in {data} yet (see --data)")
    lib = routines.load_for_app(data)
    try:
        store = HistoryStore.open(data, read_only=True)
    except StoreError as err:
        print(f"backrehab export: {err.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    from .record_commands import apply_day_end

    apply_day_end(store, data)
    try:
        enrolment = store.enrolment()
        program = lib.programs.get(enrolment.program_id) if enrolment else None
        calendar = ProgramCalendar(program, enrolment) if program else None
        last = args.last or date.today()
        first = args.first or (enrolment.start if enrolment else last - timedelta(days=365))
        if first > last:
            raise UsageError("--from must not be after --to")
        if args.format == "pdf":
            return _export_pdf(args.out, store, lib, calendar, first, last)
        records, where = export.read_for_export(store, calendar, first, last, date.today())
        if args.format == "csv":
            count = export.write_csv(args.out, records, where, lib)
            print(f"wrote {plural(count, 'row')} to {args.out}")
        else:
            planned = (export.planned_between(calendar, max(first, date.today()),
                                              date.today() + timedelta(days=28),
                                              store.all_sessions(), date.today())
                       if args.planned and calendar else [])
            names, estimates = export.routine_details(lib)
            count = export.write_ics(args.out, records, planned, names, estimates,
                                     where=where)
            print(f"wrote {plural(count, 'event')} to {args.out}")
        return EXIT_OK
    except (export.ExportError, StoreError) as err:
        print(f"backrehab export: {err.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    finally:
        store.close()


def _export_pdf(out: Path, store, lib: Library, calendar, first: date, last: date) -> int:
    import os

    # Qt draws the report; no window is shown, so no display is needed.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from .ui.report import ReportError, write_report

    _qt = QGuiApplication.instance() or QGuiApplication(["backrehab"])
    try:
        write_report(out, store=store, library=lib, calendar=calendar,
                     program=calendar.program if calendar else None, today=date.today(),
                     first=first, last=last)
    except ReportError as err:
        print(f"backrehab export: {err}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote the report to {out}")
    del _qt
    return EXIT_OK


# --- schema -----------------------------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    text = schema_text()
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        sys.stdout.write(text)
    return EXIT_OK



# --- handout ----------------------------------------------------------------


def _add_handout(sub) -> None:
    p = sub.add_parser("handout", help="a printed home-exercise handout (PDF) of a routine "
                       "or a program", description="Write a PDF to print and hand over: each "
                       "exercise with its drawings, steps, key cue, dose and when to stop.")
    p.add_argument("target", metavar="ROUTINE_OR_PROGRAM",
                   help="a routine or program id (see `backrehab list`)")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="PDF file to write")
    p.add_argument("--paper", choices=("a4", "letter"), default="a4", help="paper size")
    p.add_argument("--name", default="", metavar="TEXT", help="who the exercises are for")
    p.add_argument("--note", default="", metavar="TEXT", help="a note printed at the top")
    p.set_defaults(handler=cmd_handout)


def cmd_handout(args: argparse.Namespace) -> int:
    import os

    lib = _library(args)
    if args.target not in lib.routines and args.target not in lib.programs:
        _find({**lib.routines, **lib.programs}, args.target, "routine or program")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no window, so no display needed
    from PySide6.QtGui import QGuiApplication

    from .ui.handout import HandoutError, handout_for, write_handout

    _qt = QGuiApplication.instance() or QGuiApplication(["backrehab"])
    try:
        pages = write_handout(args.out, handout_for(lib, args.target, name=args.name,
                                                    note=args.note, paper=args.paper))
    except HandoutError as err:
        print(f"backrehab handout: {err.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote the handout ({pages} page{'s' if pages != 1 else ''}) to {args.out}")
    del _qt
    return EXIT_OK
