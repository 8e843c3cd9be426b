"""A made-up history for the layout audit: five weeks of the 8-week program, the last
month busy (every block done, extras, notes, flagged sessions, a moved session), and a
weekly open-hold check. The same every run: a seeded random generator, fixed dates."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import ExerciseResult, Summary
from backrehab_gui.core.history import routine_fingerprint
from backrehab_gui.core.schedule import Enrolment, ProgramCalendar
from backrehab_gui.infra import paths, routines
from backrehab_gui.infra.store import HistoryStore

TODAY = date(2026, 5, 20)
"""A Wednesday in week 6 (the strength phase)."""
START = date(2026, 4, 13)
BUSY_DAY = date(2026, 5, 11)
"""The day opened in the history's day panel: every block, an extra, a flag and a note."""
TZ = timezone(timedelta(hours=2))
NOW = datetime(2026, 5, 20, 18, 30, tzinfo=TZ)
PROGRAM = "lower-back-8-weeks"

LONG_NAME = "seated-spinal-rotation"
"""The bundled exercise with the longest name and key cue together."""

AUDIT_ROUTINES = f"""\
format: 1
routines:
  - id: side-plank-check
    name: Side plank check
    summary: Once a week, hold a side plank on each side for as long as good form lasts.
    exercises:
      - exercise: side-plank
  - id: audit-every-step
    name: Every kind of step, with the longest words in the library
    summary: A hold on both sides, self-paced reps, paced reps, breaths and an open hold.
    exercises:
      - exercise: lying-hamstring-stretch
        dose: {{hold: 30s, sides: both, sets: 2, rest: 20s}}
      - exercise: {LONG_NAME}
        dose: {{reps: 12}}
      - exercise: {LONG_NAME}
        dose: {{reps: 8, tempo: {{up: 2s, down: 3s}}}}
      - exercise: diaphragmatic-breathing
        dose: {{breaths: 6, inhale: 4s, exhale: 6s}}
      - exercise: press-up-back-extension
        dose: {{hold: max, goal: 45s}}
"""

NOTES = {
    date(2026, 4, 15): "Dead bug was hard to keep slow.",
    date(2026, 4, 24): "Felt stiff in the morning, better after.",
    BUSY_DAY: "Bridges hurt my left hip; stopped the march early. Felt better after a walk "
              "and some gentle stretching in the evening, but the morning was stiff again.",
    date(2026, 5, 18): "Easier than last week.",
}
TIMES = {"morning": (7, 40), "midday": (12, 35), "evening": (19, 10), None: (18, 5)}


def write_routines(folder: Path) -> None:
    user = paths.user_routines(folder)
    user.mkdir(parents=True, exist_ok=True)
    (user / "audit.yaml").write_text(AUDIT_ROUTINES, encoding="utf-8")


def _results(routine: m.Routine, library, share: float,
             holds: tuple[float, ...] = ()) -> tuple[ExerciseResult, ...]:
    out = []
    for index, item in enumerate(routine.exercises):
        dose = library.dose_for(item)
        name = library.exercises[item.exercise].name
        sets = getattr(dose, "sets", 1)
        partial = share < 1 and index >= len(routine.exercises) * share
        reps = reps_target = None
        hold_times: tuple[float, ...] = ()
        seconds = 60.0
        if isinstance(dose, m.RepsDose):
            reps_target = dose.reps.high * sets
            reps = reps_target // 2 if partial else reps_target
        elif isinstance(dose, m.HoldDose) and dose.is_open:
            hold_times = holds
            seconds = sum(holds)
        elif isinstance(dose, m.HoldDose):
            seconds = float(dose.hold) * sets
        out.append(ExerciseResult(index, item.exercise, name, "partial" if partial else "done",
                                  seconds, max(1, sets // 2) if partial else sets, sets, reps,
                                  reps_target, hold_times, 0.5 if partial else 1.0))
    return tuple(out)


def make_history(folder: Path) -> None:
    """Enrol in the 8-week program on START and record sessions up to TODAY's morning."""
    write_routines(folder)
    library = routines.load_for_app(folder)
    program = library.programs[PROGRAM]
    enrolment = Enrolment(PROGRAM, START, (0, 2, 4))
    calendar = ProgramCalendar(program, enrolment)
    store = HistoryStore.open(folder, now=lambda: NOW)
    store.save_enrolment(enrolment)
    rnd = random.Random(11)
    busy_from = date(2026, 5, 1)

    def record(day: date, routine_id: str, kind: str, block: str | None, share: float,
               before: int | None, after: int | None, holds: tuple[float, ...] = (),
               minute: int = 0) -> None:
        routine = library.routines[routine_id]
        hour, base_minute = TIMES[block]
        started = datetime(day.year, day.month, day.day, hour,
                           min(59, base_minute + rnd.randint(0, 9) + minute), tzinfo=TZ)
        week = calendar.week(day)
        span = calendar.span_of(week)
        sid = store.begin_session(routine.id, routine.name,
                                  routine_fingerprint(routine, library.exercises), kind, block,
                                  started, week, span.phase.id if span else None, before)
        results = _results(routine, library, share, holds)
        store.finish_session(sid, Summary(routine.id, routine.name, results, share >= 1,
                                          sum(r.seconds for r in results), share),
                             started + timedelta(minutes=12))
        store.set_feedback(sid, after, rnd.randint(3, 7) if kind != "daily" else None,
                           NOTES.get(day, "") if kind == "phase" else None)

    for plan in calendar.days(START, (TODAY - START).days + 1):
        day = plan.day
        busy = day >= busy_from
        base = 4.5 - 2.5 * (day - START).days / 35
        for planned in plan.sessions:
            key = planned.block.value if planned.block else "phase"
            if day == TODAY and key != "morning":
                continue  # the rest of today is still to come
            if day == BUSY_DAY and key == "phase":
                record(day, planned.routine_id, planned.kind, None, 0.7, 3, 6)
                continue
            if not busy and rnd.random() > 0.85:
                continue
            share = 1.0 if rnd.random() > 0.15 else rnd.choice([0.5, 0.6, 0.8])
            before = max(0, min(10, round(base + rnd.uniform(-1, 1))))
            after = max(0, before - rnd.choice([0, 1, 1, 2]))
            record(day, planned.routine_id, planned.kind,
                   planned.block.value if planned.block else None, share, before, after)
        if busy and day.weekday() in (1, 3) and day < TODAY:
            # Extra sessions on the busy days, one with a pain flag.
            flagged = day == BUSY_DAY + timedelta(days=1)
            record(day, "daily-walk", "extra", None, 1.0, 2, 6 if flagged else 2, minute=40)
        if day.weekday() == 5:
            weeks_in = (day - START).days / 7
            left = round(18 + 5 * weeks_in + rnd.uniform(-2, 3), 1)
            record(day, "side-plank-check", "extra", None, 1.0, 2, 2,
                   holds=(left, round(left - rnd.uniform(1, 5), 1)))
    if BUSY_DAY.weekday() == 0:
        record(BUSY_DAY, "phase-2-strength", "extra", None, 1.0, 3, 3, minute=50)
    store.close()
