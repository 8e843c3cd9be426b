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
    backrehab import PATH [--replace]  bring in what a therapist sent (see routine_commands)

The plan is ``plan_command``; what every command shares (exit codes, safe
printing, dates, "did you mean") is ``command_tools``.

Problems are printed to stderr as one line each; no command prints a traceback
for bad input, and no text from a routine file reaches the terminal with a
control or escape character in it.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from . import plan_command
from .command_tools import (
    EXIT_OK,
    EXIT_PROBLEMS,
    EXIT_USAGE,
    MAX_PLAN_WEEKS,
    UsageError,
    date_arg,
    find,
    library_for,
    say,
    weekdays_arg,
)
from .core import model as m
from .core.dose_text import describe
from .core.loading import Library, load_library
from .core.progression import doses_for_week
from .core.schedule import daily_blocks
from .core.schema import schema_text
from .core.step_text import step_words
from .core.timeline import Timeline, compile_routine
from .core.units import IntRange, format_about, format_clock, format_duration
from .core.wording import plural, with_length
from .infra import paths, routines


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from .ui.launch import run_gui  # Qt loads only when the window is wanted

            return run_gui(data=args.data, tray=args.tray)
        return args.handler(args)
    except UsageError as err:
        say(f"backrehab {args.command}: {err}", err=True)
        return EXIT_USAGE
    except BrokenPipeError:  # e.g. `backrehab plan | head`
        return EXIT_OK
    except OSError as err:
        say(f"backrehab: {err.strerror or err}: {err.filename or ''}".rstrip(": "), err=True)
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
    p.add_argument("--start", type=date_arg, default=None,
                   help="program start date, YYYY-MM-DD (default: today)")
    p.add_argument("--weeks", type=int, default=None,
                   help="weeks to show (default: the program's length)")
    p.add_argument("--days", type=weekdays_arg, default=None,
                   help="weekdays for phase sessions, e.g. mon,wed,fri")
    p.add_argument("--program", default=None, help="program id (default: the first)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=plan_command.cmd_plan)

    p = sub.add_parser("export", help="export your history as CSV, iCalendar or a PDF report",
                       description="Export the history in the data folder. Reading only: "
                       "safe while the app is open.")
    p.add_argument("--format", required=True, choices=("csv", "ics", "pdf"),
                   help="csv: one row per exercise; ics: calendar events; pdf: a report for "
                   "a physical therapist")
    p.add_argument("--out", required=True, type=Path, metavar="FILE", help="file to write")
    p.add_argument("--from", dest="first", type=date_arg, metavar="DATE",
                   help="first day, YYYY-MM-DD (default: the program's start)")
    p.add_argument("--to", dest="last", type=date_arg, metavar="DATE",
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
    from . import routine_commands  # import (and replace) what a therapist sent

    routine_commands.add_parsers(sub)
    return parser
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
        say(json.dumps({
            "ok": lib.ok,
            "files": lib.files,
            "counts": _counts(lib),
            "problems": [p.as_dict() for p in lib.problems],
        }, indent=2))
    else:
        for problem in lib.problems:
            say(str(problem), err=True)
        summary = ", ".join(plural(n, k.removesuffix("s")) for k, n in _counts(lib).items())
        if lib.ok:
            say(f"{plural(len(lib.files), 'file')} OK: {summary}")
        else:
            bad = len({p.file for p in lib.problems})
            say(f"{plural(len(lib.problems), 'problem')} in {bad} of "
                f"{plural(len(lib.files), 'file')}", err=True)
    return EXIT_OK if lib.ok else EXIT_PROBLEMS


def _counts(lib: Library) -> dict[str, int]:
    return {"exercises": len(lib.exercises), "routines": len(lib.routines),
            "programs": len(lib.programs)}


# --- list and show ----------------------------------------------------------
def cmd_list(args: argparse.Namespace) -> int:
    lib = library_for(args)
    rows = []
    for routine in lib.routines.values():
        timeline = compile_routine(routine, lib.exercises)
        rows.append({"id": routine.id, "name": routine.name,
                     "exercises": len(routine.exercises),
                     "estimate_seconds": round(timeline.estimate),
                     "file": str(lib.origins[("routines", routine.id)].file)})
    if args.json:
        say(json.dumps({"routines": rows, "programs": [
            {"id": p.id, "name": p.name, "weeks": p.weeks} for p in lib.programs.values()]},
            indent=2))
        return EXIT_OK
    width = max((len(r["id"]) for r in rows), default=10)
    say(f"{'ROUTINE':<{width}}  {'TIME':>6}  EXERCISES  NAME")
    for r in rows:
        say(f"{r['id']:<{width}}  {format_clock(r['estimate_seconds']):>6}  "
            f"{r['exercises']:>9}  {r['name']}")
    for program in lib.programs.values():
        say(f"\nProgram {program.id}: {with_length(program.name, program.weeks)}; "
            "`backrehab plan` shows each day. Daily blocks:")
        for line in _daily_lines(lib, program):
            say(f"  {line}")
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


def cmd_show(args: argparse.Namespace) -> int:
    return show(library_for(args), args)


def show(lib: Library, args: argparse.Namespace) -> int:
    """`show` over a loaded library (args: routine, week)."""
    routine = find(lib.routines, args.routine, "routine")
    doses = {}
    if args.week is not None:
        if not 1 <= args.week <= MAX_PLAN_WEEKS:
            raise UsageError(f"--week counts from 1 to {MAX_PLAN_WEEKS}")
        program = next(iter(lib.programs.values()), None)
        doses = doses_for_week(routine, lib.exercises, program, args.week)
    timeline = compile_routine(routine, lib.exercises, doses=doses)
    say(f"{routine.name} ({routine.id}): {format_about(timeline.estimate)}")
    if routine.summary:
        say(routine.summary)
    say()
    for i, item in enumerate(routine.exercises, start=1):
        dose = doses.get(i - 1) or lib.dose_for(item)
        say(f"  {i}. {lib.exercises[item.exercise].name}: {describe(dose)}")
    say()
    print_steps(timeline)
    return EXIT_OK


def print_steps(timeline: Timeline) -> None:
    at = 0.0
    for step in timeline.steps:
        length = ("open" if step.is_open else format_duration(step.duration or 0))
        say(f"  {format_clock(at):>6}  {step_words(step):<56} {length}")
        at += step.estimate
# --- export -----------------------------------------------------------------


def cmd_export(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from .core.schedule import ProgramCalendar
    from .infra import export
    from .infra.store import HistoryStore
    from .infra.store_errors import StoreError

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


def _offscreen_qt():
    """The Qt application that draws a PDF (the report, the handout): no window is shown,
    so no display is needed. Keep it until the file is written."""
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["backrehab"])


def _export_pdf(out: Path, store, lib: Library, calendar, first: date, last: date) -> int:
    _qt = _offscreen_qt()
    from .ui.report import ReportError, write_report

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
    lib = library_for(args)
    if args.target not in lib.routines and args.target not in lib.programs:
        find({**lib.routines, **lib.programs}, args.target, "routine or program")
    _qt = _offscreen_qt()
    from .ui.handout import HandoutError, handout_for, write_handout

    try:
        pages = write_handout(args.out, handout_for(lib, args.target, name=args.name,
                                                    note=args.note, paper=args.paper))
    except HandoutError as err:
        print(f"backrehab handout: {err.message}", file=sys.stderr)
        return EXIT_PROBLEMS
    print(f"wrote the handout ({pages} page{'s' if pages != 1 else ''}) to {args.out}")
    del _qt
    return EXIT_OK
