"""Doses in a few plain words, for lists, plans and reports."""

from __future__ import annotations

from . import model as m
from .units import format_duration
from .wording import form, plural


def describe(dose: m.Dose) -> str:
    """A dose in a few words: "2 x 10 reps, 3s hold each, alternating sides"."""
    if isinstance(dose, m.ActivityDose):
        return format_duration(dose.activity)
    parts: list[str] = []
    if isinstance(dose, m.HoldDose):
        what = "hold as long as you can" if dose.is_open else f"hold {format_duration(dose.hold)}"
        if dose.is_open and dose.goal:
            what += f" (goal {format_duration(dose.goal)})"
        parts.append(what)
    elif isinstance(dose, m.RepsDose):
        reps = (f"{dose.reps} {form(dose.reps.high, 'rep')}" if dose.target is None
                else f"{plural(dose.count, 'rep')} ({dose.reps})")
        if dose.hold:
            reps += f", {format_duration(dose.hold)} hold each"
        parts.append(reps)
    elif isinstance(dose, m.BreathsDose):
        parts.append(plural(dose.count, "breath") if dose.target is not None or
                     dose.breaths.low == dose.breaths.high else f"{dose.breaths} breaths")
    if dose.sets > 1:
        parts[0] = f"{dose.sets} x {parts[0]}"
    sides = getattr(dose, "sides", None)
    if sides is m.Sides.BOTH:
        parts.append("each side")
    elif sides is m.Sides.ALTERNATING:
        parts.append("per side, alternating")
    return ", ".join(parts)


def origin(dose: m.Dose, sources: dict[str, m.Source]) -> str:
    """Where a dose comes from, in words: its source's title, the author's reason, or both.

    Every dose in the bundled program has one or the other (a test checks), so a
    therapist can tell a guide's figure from the app's own choice.
    """
    source_id, basis = m.dose_source(dose), m.dose_basis(dose)
    source = sources.get(source_id) if source_id else None
    parts = []
    if source is not None:
        parts.append(f"Source: {source.title}.")
    elif source_id:
        parts.append(f"Source: {source_id}.")
    if basis:
        parts.append(f"Why this dose: {basis}" if source_id else f"Our own choice: {basis}")
    return " ".join(parts) if parts else "No source is given for this dose."
