"""`backrehab plan`: what to do on each day of the program, with each routine's time
after the week's progressions, as text or JSON.
"""

from __future__ import annotations

import argparse
import json
from datetime import date

from .command_tools import EXIT_OK, MAX_PLAN_WEEKS, UsageError, find, library_for, say
from .core import model as m
from .core.dose_text import describe
from .core.loading import Library
from .core.progression import doses_for_week
from .core.schedule import WEEKDAYS, daily_blocks, default_session_days, plan_days
from .core.timeline import compile_routine
from .core.units import format_about
from .core.wording import with_length


def cmd_plan(args: argparse.Namespace) -> int:
    return plan(library_for(args), args)


def plan(lib: Library, args: argparse.Namespace) -> int:
    """`plan` over a loaded library (args: program, start, weeks, days, json)."""
    if not lib.programs:
        raise UsageError("no program is loaded")
    program = (find(lib.programs, args.program, "program") if args.program
               else next(iter(lib.programs.values())))
    start = args.start or date.today()
    weeks = args.weeks if args.weeks is not None else program.weeks
    if not 1 <= weeks <= MAX_PLAN_WEEKS:
        raise UsageError(f"--weeks must be from 1 to {MAX_PLAN_WEEKS}")
    days = plan_days(program, start, start, weeks * 7, args.days)
    estimates = _estimates(lib, program, weeks)
    if args.json:
        say(json.dumps(_plan_json(program, start, days, estimates), indent=2))
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
    say(f"{with_length(program.name, program.weeks)}, from {start:%a %d %b %Y}")
    say(f"Phase sessions on {', '.join(WEEKDAYS[d].capitalize() for d in weekdays)}; "
        "the daily blocks every day:")
    for block in program.daily:
        est = estimates[(block.routine, 1)]
        planned = f", planned {block.minutes} min" if block.minutes else ""
        say(f"  {block.block.value:<8} {lib.routines[block.routine].name} "
            f"({format_about(est)}{planned})")
    for phase in program.phases:
        for block in phase.daily:
            est = estimates[(block.routine, phase.weeks.low)]
            say(f"  {block.block.value:<8} in {phase.name}, weeks {phase.weeks}: "
                f"{lib.routines[block.routine].name} ({format_about(est)})")
    week_number = None
    for day in days:
        if day.week != week_number:
            week_number = day.week
            say()
            if day.maintenance:
                say(f"Week {day.week}: maintenance (the program is complete; keep it up)")
                basis = program.maintenance.basis if program.maintenance else None
            else:
                say(f"Week {day.week} of {program.weeks}: phase {day.phase_number}, "
                    f"{day.phase.name} (weeks {day.phase.weeks})")
                basis = day.phase.basis
            if basis and (day.maintenance or day.week == day.phase.weeks.low):
                say(f"  Why: {basis}")
            for note in _progress_notes(lib, program, day.week):
                say(f"  {note}")
        extra = [s for s in day.sessions if s.kind != "daily"]
        blocks = [s.block.value for s in day.sessions if s.kind == "daily"]
        text = " + ".join(blocks) if blocks else ""
        for s in extra:
            est = estimates.get((s.routine_id, day.week))
            name = lib.routines[s.routine_id].name
            text += f"  |  {name} ({s.routine_id}, {format_about(est or 0)})"
        say(f"  {day.day:%a %Y-%m-%d}  {text.strip(' |')}")


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
