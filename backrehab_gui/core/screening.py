"""The red-flag screening's rules: the two tiers, the emergency lock and its
later-day unlock, and when the weekly re-check is due.

Two tiers (``RedFlagTier`` in the routine format):

* an *emergency* sign (numbness in the saddle area, a new change in bladder or
  bowel control, leg weakness that is getting worse) means medical help today.
  A yes locks the program, and nothing the person answers afterwards unlocks
  it: only a deliberate confirmation, on a later day than the sign was
  reported, that a doctor has examined them since and cleared exercise. The
  same day is refused because nobody can have been examined, treated and
  cleared for an emergency between one screen and the next; a tick on the spot
  would be a reflex, not a doctor's word.
* a *see a doctor first* sign blocks the program until the person says a
  doctor has cleared them, which they may say at once.

The emergency questions are asked again at the first session of every
program week, and whenever a "Stop: it hurts" in a session was pain or
tingling down a leg, or numbness.

Pure: no clock, no storage. The caller passes today's date, keeps the
:class:`ScreeningState` (in the settings) and stores the events (in the
history); the UI only shows what these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field, replace
from datetime import date, datetime, timedelta
from enum import Enum

from . import model as m
from .records import record_class
from .schedule import program_week
from .wording import plural


class Verdict(str, Enum):
    """What a set of answers means."""

    CLEAR = "clear"
    SEE_DOCTOR = "see-doctor"
    EMERGENCY = "emergency"


def flags_of(safety: m.Safety | None, tier: m.RedFlagTier) -> list[m.RedFlag]:
    """The red flags of one tier, in file order."""
    return [f for f in (safety.red_flags if safety else []) if f.tier is tier]


def emergency_flags(safety: m.Safety | None) -> list[m.RedFlag]:
    return flags_of(safety, m.RedFlagTier.EMERGENCY)


def verdict(safety: m.Safety | None, yes: Iterable[str]) -> Verdict:
    """EMERGENCY when any emergency sign is answered yes, else SEE_DOCTOR for any other
    known sign, else CLEAR. Ids no red flag has (a file changed since) count for nothing."""
    tiers = {f.id: f.tier for f in (safety.red_flags if safety else [])}
    found = {tiers[i] for i in yes if i in tiers}
    if m.RedFlagTier.EMERGENCY in found:
        return Verdict.EMERGENCY
    return Verdict.SEE_DOCTOR if found else Verdict.CLEAR


class ScreeningLocked(ValueError):
    """An answer or a clearance the rules do not allow (the UI never offers it)."""


@record_class
class ScreeningState:
    """Where the person stands, as the settings keep it between runs."""

    screened_on: date | None = None
    """When the whole screening (every red flag) was last answered."""
    yes: frozenset[str] = frozenset()
    """Red flags answered yes then."""
    cleared_on: date | None = None
    """When the person said a doctor cleared them after those answers."""
    emergency_on: date | None = None
    """When an emergency sign was reported that no doctor has cleared yet: the lock."""
    emergency_yes: frozenset[str] = frozenset()
    """Which emergency signs, for the lock screen and the report."""
    checked_on: date | None = None
    """When the emergency questions were last answered (screening or re-check)."""

    @property
    def locked(self) -> bool:
        """An emergency sign is open: no session, no re-answering, until cleared."""
        return self.emergency_on is not None

    @property
    def passed(self) -> bool:
        """Screened, nothing open, and any yes cleared by a doctor."""
        if self.screened_on is None or self.locked:
            return False
        return not self.yes or self.cleared_on is not None

    @property
    def clearable_from(self) -> date | None:
        """The first day the emergency lock may be cleared, while it is on."""
        return None if self.emergency_on is None else self.emergency_on + timedelta(days=1)


def after_screening(state: ScreeningState, safety: m.Safety | None, yes: Iterable[str],
                    cleared: bool, today: date) -> ScreeningState:
    """The whole screening was answered today; ``cleared``: the person confirmed that a
    doctor cleared them (offered for see-a-doctor signs only).

    Raises ScreeningLocked while an emergency is open: answering "no" the same
    evening must not undo a "yes" given that morning.
    """
    if state.locked:
        raise ScreeningLocked("an emergency sign is open; only a doctor's clearance on a "
                              "later day ends it")
    yes = frozenset(yes)
    found = verdict(safety, yes)
    if found is Verdict.EMERGENCY:
        emergency = yes & {f.id for f in emergency_flags(safety)}
        return replace(state, screened_on=today, yes=yes, cleared_on=None, emergency_on=today,
                       emergency_yes=emergency, checked_on=today)
    return replace(state, screened_on=today, yes=yes,
                   cleared_on=today if found is Verdict.SEE_DOCTOR and cleared else None,
                   checked_on=today)


def after_check(state: ScreeningState, safety: m.Safety | None, yes: Iterable[str],
                today: date) -> ScreeningState:
    """The emergency questions alone were answered today (the weekly re-check, or the
    check a "Stop: it hurts" opened). Any emergency yes locks the program."""
    emergency = frozenset(yes) & {f.id for f in emergency_flags(safety)}
    if not emergency:
        return replace(state, checked_on=today)
    return replace(state, emergency_on=state.emergency_on or today,
                   emergency_yes=state.emergency_yes | emergency, checked_on=today)


def can_clear(state: ScreeningState, today: date) -> bool:
    """Whether the emergency lock may be cleared today: on a later day than it began."""
    start = state.clearable_from
    return start is not None and today >= start


def after_clearance(state: ScreeningState, today: date) -> ScreeningState:
    """The person confirmed, deliberately, that a doctor has examined them since the
    emergency signs began and cleared exercise. Raises ScreeningLocked on the day the
    signs were reported (or with no lock on)."""
    if not can_clear(state, today):
        raise ScreeningLocked("an emergency sign can be cleared from the day after it was "
                              "reported")
    # The doctor's clearance covers the see-a-doctor answers of the same screening too.
    return replace(state, emergency_on=None, emergency_yes=frozenset(), cleared_on=today)


def check_due(state: ScreeningState, safety: m.Safety | None, today: date,
              program_start: date | None) -> bool:
    """Whether the next session starts with the emergency questions: when they have
    not been answered since the current program week began (since seven days ago
    before the program starts or without one)."""
    if not emergency_flags(safety) or state.locked:
        return False
    last = state.checked_on or state.screened_on
    if last is None:
        return True
    if program_start is not None and today >= program_start:
        week_began = program_start + timedelta(weeks=program_week(program_start, today) - 1)
        return last < week_began
    return (today - last).days >= 7


# --- Events, for the history and the therapist's report ------------------------------------


class EventKind(str, Enum):
    SCREENING = "screening"
    """Every red flag answered (first run, or the safety check revisited)."""
    CHECK = "check"
    """The emergency questions alone: weekly, or after a "Stop: it hurts"."""
    CLEARED = "cleared"
    """The person said a doctor cleared them after a see-a-doctor sign."""
    EMERGENCY_CLEARED = "emergency-cleared"
    """The deliberate, later-day confirmation that ends an emergency lock."""
    HURT = "hurt"
    """"Stop: it hurts" in a session, on an exercise."""


@record_class
class SafetyEvent:
    """One dated safety record. Words are kept as shown at the time, so the report
    reads right even after the routine files change."""

    at: datetime
    """Local time with its UTC offset."""
    kind: EventKind
    flags: tuple[str, ...] = ()
    """Red flags answered yes (ids)."""
    detail: str = ""
    """In words: the signs answered yes, or what happened."""
    emergency: bool = False
    """An emergency sign was answered yes."""
    session_id: int | None = None
    exercise_id: str | None = None
    exercise_name: str | None = None
    what: str | None = None
    """For HURT: a ``hurt.Hurt`` value."""
    action: str | None = None
    """For HURT: what the person chose next (a ``hurt.Action`` value)."""
    id: int | None = field(default=None, compare=False)
    """The history's row id, once stored."""

    @property
    def local_date(self) -> date:
        return self.at.date()


def answered_event(kind: EventKind, safety: m.Safety | None, yes: Iterable[str],
                   at: datetime, note: str = "") -> SafetyEvent:
    """A SCREENING or CHECK event for these answers, with the signs in words."""
    yes = frozenset(yes)
    asked = list(safety.red_flags if safety else [])
    if kind is EventKind.CHECK:
        asked = [f for f in asked if f.tier is m.RedFlagTier.EMERGENCY]
    said = [f for f in asked if f.id in yes]
    if said:
        words = "Yes to: " + " ".join(f.question for f in said)
    else:
        noun = "urgent sign" if kind is EventKind.CHECK else "question"
        words = f"No to {'the' if len(asked) == 1 else 'all'} {plural(len(asked), noun)}."
    return SafetyEvent(at, kind, tuple(f.id for f in said), (note + " " if note else "") + words,
                       verdict(safety, yes) is Verdict.EMERGENCY)


def open_emergency(events: Iterable[SafetyEvent]) -> SafetyEvent | None:
    """The emergency answer no later clearance ended, from the history's records: so a
    lost or reset settings file cannot quietly lift the lock."""
    found: SafetyEvent | None = None
    for event in sorted(events, key=lambda e: e.at):
        if event.emergency and event.kind in (EventKind.SCREENING, EventKind.CHECK):
            found = found or event
        elif event.kind is EventKind.EMERGENCY_CLEARED:
            found = None
    return found
