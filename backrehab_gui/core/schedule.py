"""Which week and phase a day falls in, and what is planned for it.

Program weeks are counted in blocks of seven days from the start date, so a
program started on a Wednesday has weeks running Wednesday to Tuesday. Phase
sessions fall on chosen weekdays; the chosen daily blocks fall on every day.
A phase may be repeated ("not ready to move on"): its weeks are lived again
and every later phase moves back. After the last week the program continues
in maintenance. Dates are local calendar dates: this module never reads a clock.
"""

from __future__ import annotations

from dataclasses import field
from datetime import date, timedelta

from . import model as m
from .records import record_class

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

_SPREAD = {
    1: (2,),
    2: (1, 4),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def default_session_days(per_week: int) -> tuple[int, ...]:
    """Weekdays (0 = Monday) that spread ``per_week`` sessions with rest days between."""
    return _SPREAD[max(1, min(7, per_week))]


def parse_weekdays(text: str) -> tuple[int, ...]:
    """'mon,wed,fri' -> (0, 2, 4). Raises ValueError naming the bad part."""
    days: set[int] = set()
    for part in text.replace(" ", "").lower().split(","):
        if not part:
            continue
        key = part[:3]
        if key not in WEEKDAYS or not _FULL[WEEKDAYS.index(key)].startswith(part):
            raise ValueError(f"'{part}' is not a weekday; use mon, tue, wed, thu, fri, sat, sun")
        days.add(WEEKDAYS.index(key))
    if not days:
        raise ValueError("give at least one weekday, e.g. mon,wed,fri")
    return tuple(sorted(days))


def program_week(start: date, day: date) -> int:
    """1 for the first seven days from ``start``; 0 or less before it."""
    return (day - start).days // 7 + 1


@record_class
class Enrolment:
    """A person's choice of program, start date and days."""

    program_id: str
    start: date
    session_days: tuple[int, ...] | None = None
    """Weekdays (0 = Monday) for phase sessions; None spreads them evenly."""
    blocks: tuple[m.Block, ...] = (m.Block.MORNING, m.Block.MIDDAY, m.Block.EVENING)
    """Which daily blocks the person does."""
    repeats: tuple[tuple[str, int], ...] = ()
    """(phase id, extra weeks) for each time a phase was repeated."""

    def with_repeat(self, phase_id: str, weeks: int = 1) -> Enrolment:
        return Enrolment(self.program_id, self.start, self.session_days, self.blocks,
                         (*self.repeats, (phase_id, weeks)))


@record_class
class PlannedSession:
    routine_id: str
    kind: str
    """'phase', 'maintenance' or 'daily'."""
    block: m.Block | None = None


@record_class
class DayPlan:
    day: date
    week: int
    """Week since the start (1-based), counting repeated weeks; keeps counting after the end."""
    phase: m.Phase | None
    """None before the start and in maintenance."""
    phase_number: int | None
    maintenance: bool
    sessions: tuple[PlannedSession, ...]
    program_week: int = 0
    """The program's own week for doses and progressions: a repeated week keeps its number."""
    total_weeks: int = 0
    """Length of the program including repeats."""
    repeating: bool = False
    """True in a week that repeats an earlier one."""

    @property
    def started(self) -> bool:
        return self.week >= 1

    @property
    def phase_session(self) -> PlannedSession | None:
        return next((s for s in self.sessions if s.kind in ("phase", "maintenance")), None)


@record_class
class _Span:
    phase: m.Phase
    number: int
    first: int
    """First calendar week of this phase (1-based)."""
    weeks: int
    extra: int


@record_class(frozen=False)
class ProgramCalendar:
    """A program laid over the calendar for one enrolment."""

    program: m.Program
    enrolment: Enrolment
    _spans: list[_Span] = field(init=False)

    def __post_init__(self) -> None:
        extra: dict[str, int] = {}
        for phase_id, weeks in self.enrolment.repeats:
            extra[phase_id] = extra.get(phase_id, 0) + max(0, weeks)
        self._spans = []
        first = 1
        for number, phase in enumerate(self.program.phases, start=1):
            base = phase.weeks.high - phase.weeks.low + 1
            more = extra.get(phase.id, 0)
            self._spans.append(_Span(phase, number, first, base + more, more))
            first += base + more

    @property
    def total_weeks(self) -> int:
        last = self._spans[-1]
        return last.first + last.weeks - 1

    def week(self, day: date) -> int:
        return program_week(self.enrolment.start, day)

    def week_start(self, week: int) -> date:
        return self.enrolment.start + timedelta(days=(week - 1) * 7)

    def span_of(self, week: int) -> _Span | None:
        for span in self._spans:
            if span.first <= week < span.first + span.weeks:
                return span
        return None

    def phase_span(self, phase_id: str) -> tuple[int, int] | None:
        """First and last calendar week of a phase, repeats included."""
        for span in self._spans:
            if span.phase.id == phase_id:
                return span.first, span.first + span.weeks - 1
        return None

    def nominal_week(self, week: int) -> tuple[int, bool]:
        """The program's own week number for a calendar week, and whether it is a repeat."""
        span = self.span_of(week)
        if span is None:
            return (week - self.total_weeks + self.program.weeks, False) if week > 0 else (week,
                                                                                          False)
        into = week - span.first
        base = span.weeks - span.extra
        if into < base:
            return span.phase.weeks.low + into, False
        # Repeated weeks live the phase's last week again.
        return span.phase.weeks.high, True

    def day(self, day: date) -> DayPlan:
        week = self.week(day)
        if week < 1:
            return DayPlan(day, week, None, None, False, (), week, self.total_weeks)
        span = self.span_of(week)
        nominal, repeating = self.nominal_week(week)
        if span is None:
            sessions = list(self.program.maintenance.sessions) if self.program.maintenance \
                else []
        else:
            sessions = list(span.phase.sessions)
        planned: list[PlannedSession] = []
        rotation = _rotation(sessions)
        if rotation:
            days = self.enrolment.session_days or default_session_days(len(rotation))
            if day.weekday() in days:
                in_week = [self.week_start(week) + timedelta(days=i) for i in range(7)]
                slot = [d for d in in_week if d.weekday() in days].index(day)
                planned.append(PlannedSession(rotation[slot % len(rotation)],
                                              "phase" if span else "maintenance"))
        for block in daily_blocks(self.program, span.phase if span else None):
            if block.block in self.enrolment.blocks:
                planned.append(PlannedSession(block.routine, "daily", block.block))
        return DayPlan(day, week, span.phase if span else None, span.number if span else None,
                       span is None, tuple(planned), nominal, self.total_weeks, repeating)

    def days(self, first: date, count: int) -> list[DayPlan]:
        return [self.day(first + timedelta(days=i)) for i in range(count)]


def daily_blocks(program: m.Program, phase: m.Phase | None) -> list[m.DailyBlock]:
    """The program's daily blocks, with those ``phase`` replaces swapped in."""
    own = {d.block: d for d in phase.daily} if phase else {}
    return [own.get(d.block, d) for d in program.daily] + \
        [d for d in own.values() if d.block not in {p.block for p in program.daily}]


def _rotation(sessions: list[m.PhaseSession]) -> list[str]:
    """Routine ids in weekly order: [a, b, a, b, a] for a x3 and b x2, interleaved."""
    pools = [[s.routine] * s.per_week for s in sessions]
    out: list[str] = []
    while any(pools):
        for pool in pools:
            if pool:
                out.append(pool.pop())
    return out


def plan_day(program: m.Program, start: date, day: date,
             session_days: tuple[int, ...] | None = None) -> DayPlan:
    """What the program plans for ``day`` with no repeats and every daily block."""
    return ProgramCalendar(program, Enrolment(program.id, start, session_days)).day(day)


def plan_days(program: m.Program, start: date, first: date, count: int,
              session_days: tuple[int, ...] | None = None) -> list[DayPlan]:
    calendar = ProgramCalendar(program, Enrolment(program.id, start, session_days))
    return calendar.days(first, count)
