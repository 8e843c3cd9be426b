"""The figures of a program as Markdown tables, taken from the routine files themselves.

docs/bundled-program.md carries these tables between markers, and a test checks they
match what the files say, so the page cannot drift from the program (it once ignored
the plank's weekly progression).
"""

from __future__ import annotations

import re

from . import model as m
from .dose_text import describe
from .loading import Library
from .progression import doses_for_week
from .schedule import daily_blocks
from .timeline import compile_routine

MARKER = re.compile(r"(<!-- generated: (\w+) -->\n)(.*?)(<!-- end generated -->)", re.S)


def _minutes(seconds: float) -> str:
    return f"{round(seconds / 60)} min"


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}:{whole % 60:02d}"


def _routine_line(lib: Library, program: m.Program, routine: m.Routine, week: int) -> str:
    doses = doses_for_week(routine, lib.exercises, program, week)
    parts = []
    for index, item in enumerate(routine.exercises):
        dose = doses.get(index) or lib.dose_for(item)
        name = lib.exercises[item.exercise].name if item.exercise in lib.exercises \
            else item.exercise
        parts.append(f"{name.lower()} {describe(dose)}")
    return "; ".join(parts)


def _estimate(lib: Library, program: m.Program, routine: m.Routine, week: int) -> float:
    doses = doses_for_week(routine, lib.exercises, program, week)
    return compile_routine(routine, lib.exercises, doses=doses).estimate


def phases_table(lib: Library, program: m.Program) -> str:
    rows = ["| Weeks | Phase | Sessions (in the phase's first week) | About |",
            "|---|---|---|---|"]
    for phase in program.phases:
        week = phase.weeks.low
        for session in phase.sessions:
            routine = lib.routines[session.routine]
            rows.append(f"| {phase.weeks} | {phase.name} | {session.per_week} x a week: "
                        f"{_routine_line(lib, program, routine, week)} | "
                        f"{_minutes(_estimate(lib, program, routine, week))} |")
    if program.maintenance:
        week = program.weeks + 1
        for session in program.maintenance.sessions:
            routine = lib.routines[session.routine]
            rows.append(f"| {week} on | Maintenance | {session.per_week} x a week: "
                        f"{_routine_line(lib, program, routine, week)} | "
                        f"{_minutes(_estimate(lib, program, routine, week))} |")
    return "\n".join(rows)


def daily_table(lib: Library, program: m.Program) -> str:
    rows = ["| Block | Weeks | Routine: exercises and doses | Guide | Estimate |",
            "|---|---|---|---|---|"]
    for base in program.daily:
        spans: list[tuple[int, int, m.DailyBlock]] = []
        for phase in program.phases:
            block = next(b for b in daily_blocks(program, phase) if b.block is base.block)
            if spans and spans[-1][2] is block:
                spans[-1] = (spans[-1][0], phase.weeks.high, block)
            else:
                spans.append((phase.weeks.low, phase.weeks.high, block))
        for first, last, block in spans:
            routine = lib.routines[block.routine]
            weeks = f"{first}-{last}" if last != program.weeks else f"{first} on"
            guide = f"{block.minutes} min" if block.minutes else "none"
            rows.append(f"| {block.block.value} | {weeks} | {routine.id}: "
                        f"{_routine_line(lib, program, routine, first)} | {guide} | "
                        f"{_clock(_estimate(lib, program, routine, first))} |")
    return "\n".join(rows)


def progressions_list(lib: Library, program: m.Program) -> str:
    lines = []
    for rule in program.progressions:
        name = lib.exercises[rule.exercise].name
        every = "every week" if rule.every_weeks == 1 else f"every {rule.every_weeks} weeks"
        lines.append(f"- {name}: {rule.change} +{rule.add:g} {every} from week "
                     f"{rule.from_week}, up to {rule.up_to:g}.")
        for week in range(1, program.weeks + 4):
            phase = program.phase_for_week(week)
            sessions = (phase.sessions if phase else
                        program.maintenance.sessions if program.maintenance else [])
            for session in sessions:
                routine = lib.routines[session.routine]
                doses = doses_for_week(routine, lib.exercises, program, week)
                for index, item in enumerate(routine.exercises):
                    if item.exercise == rule.exercise:
                        dose = doses.get(index) or lib.dose_for(item)
                        lines.append(f"  - week {week}: {describe(dose)}")
                        break
                else:
                    continue
                break
    return "\n".join(lines) if lines else "None."


def sections(lib: Library, program: m.Program) -> dict[str, str]:
    return {"phases": phases_table(lib, program), "daily": daily_table(lib, program),
            "progressions": progressions_list(lib, program)}


def fill(text: str, lib: Library, program: m.Program) -> str:
    """``text`` with every generated section replaced by the current figures."""
    generated = sections(lib, program)
    return MARKER.sub(lambda mt: f"{mt.group(1)}{generated[mt.group(2)]}\n{mt.group(4)}", text)
