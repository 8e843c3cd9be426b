"""Outcome measures a physiotherapist reads, free to use: PEG and the PSFS.

PEG (Krebs et al. 2009): three questions about the past week, each 0-10 — average
pain (P), how much pain interfered with enjoyment of life (E), and with general
activity (G). The score is their mean. Asked once a program week.

Patient-Specific Functional Scale (Stratford et al. 1995): three to five
activities the person names, each rated 0 (unable to do it) to 10 (able to do
it as before the problem). The score is their mean. Asked at the start and every
two weeks; the activities are named once and re-rated.

Meaningful change, as published:
- PEG: about 1 point on the 0-10 mean; for pain (the P item, as any 0-10 pain
  rating) 2 points or 30 % (Farrar et al. 2001; Ostelo et al. 2008).
- PSFS: 2 points for the mean, 3 points for a single activity (Stratford et al.
  1995).

Licence-restricted questionnaires (Oswestry, Roland-Morris, STarT Back,
PROMIS) are deliberately not offered. Nothing here reads a clock.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .schedule import program_week
from .wording import plural

PEG = "peg"
PSFS = "psfs"
PEG_PAIN = "peg-pain"
PSFS_ITEM = "psfs-item"
"""Kinds of Change only (never stored): the PEG pain item, one PSFS activity."""

PEG_QUESTIONS = (
    "What number best describes your pain on average in the past week? "
    "(0 = no pain, 10 = pain as bad as you can imagine)",
    "What number best describes how, during the past week, pain has interfered with your "
    "enjoyment of life? (0 = does not interfere, 10 = completely interferes)",
    "What number best describes how, during the past week, pain has interfered with your "
    "general activity? (0 = does not interfere, 10 = completely interferes)",
)
PSFS_QUESTION = ("How able are you today to do this activity? (0 = unable to do it, "
                 "10 = able to do it as well as before the problem)")
PSFS_MIN, PSFS_MAX = 3, 5
PSFS_EVERY = timedelta(days=14)

PEG_CHANGE = 1.0
PAIN_CHANGE, PAIN_SHARE = 2.0, 0.30
PSFS_MEAN_CHANGE, PSFS_ITEM_CHANGE = 2.0, 3.0

REFERENCES = {
    PEG: "Krebs EE et al. Development and initial validation of the PEG, a three-item scale "
         "assessing pain intensity and interference. J Gen Intern Med 2009;24(6):733-738.",
    "pain": "Farrar JT et al. Clinical importance of changes in chronic pain intensity "
            "measured on an 11-point numerical pain rating scale. Pain 2001;94(2):149-158. "
            "Ostelo RW et al. Interpreting change scores for pain and functional status in "
            "low back pain. Spine 2008;33(1):90-94.",
    PSFS: "Stratford P et al. Assessing disability and change on individual patients: a "
          "report of a patient specific measure. Physiotherapy Canada 1995;47(4):258-263.",
}


class MeasureError(ValueError):
    """Answers that cannot be scored, in plain words."""


@dataclass(frozen=True)
class Answer:
    """One set of answers as stored."""

    kind: str
    day: date
    items: tuple[float, ...]
    """PEG: (P, E, G). PSFS: one rating per activity."""
    activities: tuple[str, ...] = ()
    """PSFS only: the activities, as the person named them."""

    @property
    def score(self) -> float:
        return sum(self.items) / len(self.items)


def _rating(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        raise MeasureError(f"{what} must be a whole number from 0 to 10, not {value!r}")
    return value


def peg(day: date, pain: int, enjoyment: int, activity: int) -> Answer:
    return Answer(PEG, day, (_rating(pain, "pain"), _rating(enjoyment, "enjoyment of life"),
                             _rating(activity, "general activity")))


def activity_names(activities: Sequence[str]) -> tuple[str, ...]:
    """The activities as the PSFS keeps them (spaces tidied); MeasureError unless there
    are 3 to 5, each named once in at most 80 characters."""
    names = tuple(" ".join(str(a).split()) for a in activities)
    if not PSFS_MIN <= len(names) <= PSFS_MAX:
        raise MeasureError(f"name {PSFS_MIN} to {PSFS_MAX} activities, not {len(names)}")
    if any(not n or len(n) > 80 for n in names):
        raise MeasureError("each activity needs a name of at most 80 characters")
    if len({n.lower() for n in names}) != len(names):
        raise MeasureError("each activity must be named once")
    return names


def psfs(day: date, activities: Sequence[str], ratings: Sequence[int]) -> Answer:
    names = activity_names(activities)
    if len(ratings) != len(names):
        raise MeasureError(f"rate each of the {len(names)} activities, 0 to 10 "
                           f"({plural(len(ratings), 'rating')} given)")
    return Answer(PSFS, day, tuple(_rating(r, f"the rating of '{n}'")
                                   for n, r in zip(names, ratings)), names)


def to_items(answer: Answer) -> object:
    """The JSON stored for an answer."""
    if answer.kind == PEG:
        return list(answer.items)
    return [{"activity": a, "rating": r} for a, r in zip(answer.activities, answer.items)]


def from_items(kind: str, day: date, items: object) -> Answer | None:
    """An answer from its stored JSON; None when it cannot be read (never a crash)."""
    try:
        if kind == PEG:
            return peg(day, *items)  # type: ignore[misc]
        if kind == PSFS:
            return psfs(day, [i["activity"] for i in items],  # type: ignore[union-attr]
                        [i["rating"] for i in items])  # type: ignore[union-attr]
    except (MeasureError, TypeError, KeyError):
        return None
    return None


@dataclass(frozen=True)
class Change:
    """Baseline against latest, and whether the change reaches the published difference."""

    name: str
    kind: str
    """PEG, PEG_PAIN, PSFS or PSFS_ITEM."""
    baseline: float
    baseline_day: date
    latest: float
    latest_day: date
    threshold: str
    meaningful: bool
    better: bool
    reference: str

    @property
    def change(self) -> float:
        return self.latest - self.baseline


def changes(answers: Sequence[Answer]) -> list[Change]:
    """For PEG, its pain item and the PSFS (mean and each activity rated at both ends):
    the first answer against the latest. Only with at least two answers of a kind."""
    out: list[Change] = []
    pegs = sorted((a for a in answers if a.kind == PEG), key=lambda a: a.day)
    if len(pegs) >= 2:
        first, last = pegs[0], pegs[-1]
        diff = last.score - first.score
        out.append(Change("PEG score (0-10, lower is better)", PEG, first.score, first.day,
                          last.score, last.day, f"{PEG_CHANGE:g} point",
                          abs(diff) >= PEG_CHANGE - 1e-9, diff < 0, REFERENCES[PEG]))
        p0, p1 = first.items[0], last.items[0]
        enough = abs(p1 - p0) >= PAIN_CHANGE or (p0 > 0 and abs(p1 - p0) / p0 >= PAIN_SHARE)
        out.append(Change("Pain on average (PEG item P, 0-10)", PEG_PAIN, p0, first.day,
                          p1, last.day, f"{PAIN_CHANGE:g} points or {PAIN_SHARE:.0%}",
                          enough and p1 != p0, p1 < p0, REFERENCES["pain"]))
    scales = sorted((a for a in answers if a.kind == PSFS), key=lambda a: a.day)
    if len(scales) >= 2:
        first, last = scales[0], scales[-1]
        diff = last.score - first.score
        out.append(Change("PSFS mean (0-10, higher is better)", PSFS, first.score, first.day,
                          last.score, last.day, f"{PSFS_MEAN_CHANGE:g} points",
                          abs(diff) >= PSFS_MEAN_CHANGE - 1e-9, diff > 0, REFERENCES[PSFS]))
        before = {a.lower(): (a, r) for a, r in zip(first.activities, first.items)}
        for name, rating in zip(last.activities, last.items):
            if name.lower() in before:
                base = before[name.lower()][1]
                out.append(Change(f"PSFS: {name}", PSFS_ITEM, base, first.day, rating,
                                  last.day, f"{PSFS_ITEM_CHANGE:g} points",
                                  abs(rating - base) >= PSFS_ITEM_CHANGE, rating > base,
                                  REFERENCES[PSFS]))
    return out


def asking_week(today: date, program_start: date | None) -> tuple[date, date]:
    """The week PEG is asked once in: the program week holding ``today``; before the
    program starts, or without one, the seven days ending today (as the weekly red-flag
    check, ``core.screening.check_due``, so both come at the same session)."""
    if program_start is not None and today >= program_start:
        first = program_start + timedelta(weeks=program_week(program_start, today) - 1)
        return first, first + timedelta(days=6)
    return today - timedelta(days=6), today


def peg_due(answers: Sequence[Answer], week_first: date, week_last: date,
            skipped: Sequence[date] = ()) -> bool:
    """PEG is asked once a program week: due until answered, or skipped, in this week
    (``skipped``: the days PEG was skipped)."""
    days = [a.day for a in answers if a.kind == PEG] + list(skipped)
    return not any(week_first <= d <= week_last for d in days)


def psfs_due(answers: Sequence[Answer], today: date, skipped: Sequence[date] = ()) -> bool:
    """PSFS is asked at the start and then every two weeks. A skip counts as asked:
    the question comes back two weeks after it (``skipped``: the days it was skipped)."""
    last = max([a.day for a in answers if a.kind == PSFS] + list(skipped), default=None)
    return last is None or today - last >= PSFS_EVERY


def psfs_activities(answers: Sequence[Answer]) -> tuple[str, ...]:
    """The activities named last time (named once, then re-rated)."""
    scales = [a for a in answers if a.kind == PSFS]
    return max(scales, key=lambda a: a.day).activities if scales else ()


def series(answers: Sequence[Answer], kind: str) -> list[tuple[date, float]]:
    """(day, score) of each answer of ``kind``, oldest first; of two on one day, the later."""
    by_day: dict[date, float] = {}
    for answer in answers:      # given oldest first (the store's order)
        if answer.kind == kind:
            by_day[answer.day] = answer.score
    return sorted(by_day.items())


def headline(answers: Sequence[Answer], kind: str) -> Change | None:
    """The first answer of ``kind`` (PEG or PSFS) against the latest, or None before the
    second."""
    return next((c for c in changes(answers) if c.kind == kind), None)


def weekly_scores(answers: Sequence[Answer], week_of) -> dict[int, dict[str, float]]:
    """{calendar week: {'peg': latest PEG score, 'psfs': latest PSFS mean}} using
    ``week_of(day) -> int``."""
    out: dict[int, dict[str, float]] = {}
    for answer in sorted(answers, key=lambda a: a.day):
        out.setdefault(week_of(answer.day), {})[answer.kind] = round(answer.score, 2)
    return out
