"""The report's safety section: red-flag answers, doctors' clearances and "Stop: it
hurts" in sessions, each with its date, and whether an urgent sign is still open.

Painted by ``report.py`` on its pages, right after the program, so a therapist sees it
before the charts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..core import hurt as h
from ..core.screening import EventKind, SafetyEvent
from ..core.wording import plural
from . import charts

if TYPE_CHECKING:
    from .report import _Pages

_KIND_WORDS = {
    EventKind.SCREENING: "Safety questions (all)",
    EventKind.CHECK: "Urgent-sign check",
    EventKind.CLEARED: "Doctor's clearance (their word)",
    EventKind.EMERGENCY_CLEARED: "Doctor's clearance after urgent signs",
    EventKind.HURT: "Stop: it hurts",
}

NOTE = ("These are the person's own answers and actions in the app, with the date and time "
        "they gave them. They are not a diagnosis, and BackRehab is not medical advice.")


def _short(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _words(kind: type, words: dict, value: str | None) -> str | None:
    """A stored value in words; a value this version does not know, as stored."""
    try:
        return words[kind(value)] if value is not None else None
    except ValueError:
        return value


def details(event: SafetyEvent) -> str:
    """The event's details in words, for the table."""
    if event.kind is EventKind.HURT:
        what = _words(h.Hurt, h.REPORT_WORDS, event.what) or event.detail
        action = _words(h.Action, h.ACTION_WORDS, event.action) or "no choice recorded"
        return f"{what}; {action}"
    text = event.detail
    if event.emergency:
        text = "URGENT SIGN. " + text
    return text


def paint_safety(pages: _Pages, events: Sequence[SafetyEvent], still_open: SafetyEvent | None,
                 first: date, last: date) -> None:
    pages.heading("Safety")
    bold = pages.fonts.scaled(1.0, bold=True)
    if still_open is not None:
        pages.text(f"An urgent sign reported on {_short(still_open.local_date)} has not been "
                   "cleared: the app keeps the program locked until the person confirms, on a "
                   "later day, that a doctor has examined them and cleared exercise.", bold)
    else:
        pages.text("No urgent sign is open.")
    urgent = sum(1 for e in events if e.emergency)
    hurts = sum(1 for e in events if e.kind is EventKind.HURT)
    if not events:
        pages.text(f"No safety questions were answered and no session was stopped because "
                   f"something hurt from {_short(first)} to {_short(last)}.")
    else:
        pages.text(f"From {_short(first)} to {_short(last)}: "
                   f"{plural(len(events), 'safety record')}, {urgent} with an urgent sign, and "
                   f"{plural(hurts, 'stop')} in a session because something hurt.")
    if events:
        rows = [[_short(e.local_date), f"{e.at:%H:%M}", _KIND_WORDS[e.kind],
                 e.exercise_name or "", details(e)] for e in events]
        pages.table([("Date", 1.25), ("Time", 0.6), ("What", 1.9), ("Exercise", 1.3),
                     ("Details", 4.2)], rows)
    pages.text(NOTE, pages.fonts.small, color=charts.MUTED)
