"""The report's pages on how pain steered the program: the day-after answers and the dose
actually given of each progressed exercise, week by week.

Kept apart from ``report.py`` (which calls these sections in turn) so that one
stays readable; the same page cursor draws both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from ..core.holds import DoseRow
from ..core.next_day import ANSWER_WORDS, NextDayCheck
from ..core.pain import valid
from ..core.pain_rules import HOLD_AFTER_FLAG_WEEKS
from . import charts

if TYPE_CHECKING:
    from .report import _Pages


@dataclass(frozen=True)
class SteeringFacts:
    """What the report says about pain steering, worked out once."""

    checks: list[NextDayCheck]
    """Next-day answers about days in the report's range."""
    doses: list[DoseRow]
    """Progressed exercises' doses in the report's weeks."""


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def next_day_section(pages: _Pages, facts: SteeringFacts) -> None:
    pages.heading("The day after")
    if not facts.checks:
        pages.text("No next-day answers in this period. (The app asks the day after a "
                   "session how the back is compared with before it.)")
        return
    pages.text("How the back was the day after a session, compared with before it. "
               f"{charts.FLAG_MARK} \"Worse\" counts as a flag: the next step up of a "
               f"progression waits {'a week' if HOLD_AFTER_FLAG_WEEKS == 1 else 'weeks'}.",
               pages.fonts.small, color=charts.MUTED)
    rows = []
    for check in facts.checks:
        answer = ANSWER_WORDS.get(check.answer or "", "skipped")
        if check.worse:
            answer += f" {charts.FLAG_MARK}"
        pain = str(check.pain) if valid(check.pain) is not None else ""
        rows.append([_short(check.about), f"{_short(check.answered_at.date())} "
                     f"{check.answered_at:%H:%M}", answer, pain])
    pages.table([("Session day", 1.3), ("Answered", 1.6), ("Back compared with before", 2.0),
                 ("Pain now (0-10)", 1.2)], rows)


def doses_section(pages: _Pages, facts: SteeringFacts) -> None:
    if not facts.doses:
        return
    pages.heading("Progressions: the dose given")
    pages.text("The dose of each progressed exercise in each program week: as planned, and "
               "as given after holds for flags and the person's own holds or step backs.",
               pages.fonts.small, color=charts.MUTED)
    rows = [[f"W{r.week}", _short(r.first), r.name, r.planned,
             r.given + ("" if r.given == r.planned else " *"), r.why]
            for r in facts.doses]
    pages.table([("Week", 0.6), ("From", 1.2), ("Exercise", 1.2), ("Planned", 1.4),
                 ("Given", 1.4), ("Why it differs", 3.0)], rows)
    pages.text("* differs from the plan.", pages.fonts.small, color=charts.MUTED)
