"""The checks across routine files: every id an entry uses must exist and make sense
(variants, neutral alternatives, pictures on disk, the safety list, programs'
routines and progressions at their most).

``loading.combine`` runs a :class:`Checker` over the merged library; an entry
that fails is taken out of it, and its problems are listed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .limits import late_cues, overgrown
from .plaintext import quoted
from .problem_words import plain_message, unknown_id

if TYPE_CHECKING:
    from .loading import Library, ParsedFile


class Checker:
    """References across files: every id used must exist and make sense."""

    def __init__(self, lib: Library, broken: dict[str, set[str]],
                 where: dict[tuple[str, str], tuple[ParsedFile, tuple]],
                 safety_from: ParsedFile | None, asset_roots: Sequence[Path],
                 growth: Callable[..., dict | None] = overgrown) -> None:
        self.lib = lib
        self.overgrown = growth
        """Checks a dose at its most (``limits.overgrown``; the app's remembers its answers)."""
        self.broken = broken
        self.where = where
        self.safety_from = safety_from
        self.asset_roots = [r.resolve() for r in asset_roots]
        self.rule_sets: dict[str, list[list[m.Progression]]] = {}
        """routine id -> the progressions of each program that uses it."""
        self._resolved: dict[Path, Path] = {}
        """Each routine file's folder, resolved once (resolving walks every part of a path)."""

    def run(self) -> None:
        for ident in list(self.lib.exercises):
            self._exercise(ident)
        self._variant_cycles()
        for program in self.lib.programs.values():
            if program.progressions:
                for routine_id in dict.fromkeys(r for _, r in _routines_used(program)):
                    self.rule_sets.setdefault(routine_id, []).append(program.progressions)
        for ident in list(self.lib.routines):
            self._routine(ident)
        if self.lib.safety is not None:
            self._safety()
        for ident in list(self.lib.programs):
            self._program(ident)

    def _report(self, section: str, ident: str, sub: tuple, message: str) -> None:
        pf, path = self.where[(section, ident)]
        self.lib.problems.append(pf.problem(path + sub, message))

    def _unknown(self, section: str, wanted: str, known: Iterable[str]) -> str:
        return unknown_id(section, wanted, known, self.broken)

    def _check_source(self, section: str, ident: str, sub: tuple, dose: object) -> bool:
        source = m.dose_source(dose)
        if source is not None and source not in self.lib.sources:
            self._report(section, ident, sub + ("source",),
                         self._unknown("sources", source, self.lib.sources))
            return False
        return True

    def _exercise(self, ident: str) -> None:
        ex = self.lib.exercises[ident]
        self._check_source("exercises", ident, ("dose",), ex.dose)
        for direction in ("easier", "harder"):
            for i, other in enumerate(getattr(ex, direction)):
                if other == ident:
                    self._report("exercises", ident, (direction, i),
                                 f"an exercise cannot be its own {direction} variant")
                elif other not in self.lib.exercises:
                    self._report("exercises", ident, (direction, i),
                                 self._unknown("exercises", other, self.lib.exercises))
        if ex.neutral_instead is not None:
            other = self.lib.exercises.get(ex.neutral_instead)
            if other is None:
                self._report("exercises", ident, ("neutral_instead",),
                             self._unknown("exercises", ex.neutral_instead, self.lib.exercises))
            elif other.spine_moves:
                self._report("exercises", ident, ("neutral_instead",),
                             f"'{other.id}' moves the spine too "
                             f"({', '.join(mv.value for mv in other.spine_moves)}); "
                             "choose an exercise that keeps it still")
        elif ex.spine_moves:
            self._report("exercises", ident, ("neutral_instead",),
                         "an exercise that moves the spine needs a neutral_instead: the "
                         "exercise to do for someone whom that movement hurts")
        if ex.illustration is not None:
            self._illustration(ident, ex.illustration)

    def _illustration(self, ident: str, picture: m.Illustration) -> None:
        origin = self.lib.origins[("exercises", ident)]
        resolved: list[Path | None] = []
        for part in ("start", "end"):
            rel = getattr(picture, part)
            if rel is None:
                resolved.append(None)
                continue
            path = self._safe_asset(origin.folder, rel)
            if isinstance(path, str):
                self._report("exercises", ident, ("illustration", part), path)
                return
            resolved.append(path)
        self.lib.images[ident] = (resolved[0], resolved[1])  # type: ignore[assignment]

    def _safe_asset(self, folder: Path | None, rel: str) -> Path | str:
        if folder is None:
            return "an illustration needs the routine file to be in a folder"
        if Path(rel).is_absolute() or "\\" in rel:
            return f"{quoted(rel)} must be a path relative to the routine file, using '/'"
        if folder not in self._resolved:
            self._resolved[folder] = folder.resolve()
        roots = [self._resolved[folder], *self.asset_roots]
        for root in roots:
            if not os.path.lexists(root / rel):
                continue  # nothing there, through any link: not the picture (and quick)
            candidate = self._resolve(root / rel)
            if not candidate.is_relative_to(root):
                continue
            if candidate.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg"):
                return f"{quoted(rel)} should be an SVG, PNG or JPEG image"
            if candidate.is_file():
                return candidate
        candidates = [(root / rel).resolve() for root in roots]
        if any(c.suffix.lower() not in (".svg", ".png", ".jpg", ".jpeg")
               for r, c in zip(roots, candidates) if c.is_relative_to(r)):
            return f"{quoted(rel)} should be an SVG, PNG or JPEG image"
        if any(_link_leads_out(root, rel) for root in roots):
            return (f"{quoted(rel)} is a link to a file outside the routine folder, which is not "
                    "allowed; put the picture itself there instead of a link")
        if not any(c.is_relative_to(r) for r, c in zip(roots, candidates)):
            return (f"{quoted(rel)} points outside the routine and asset folders, which is "
                    "not allowed")
        return f"the image {quoted(rel)} was not found next to the routine file or in the assets"

    def _resolve(self, path: Path) -> Path:
        """``path.resolve()``, its folder resolved once for all the pictures in it."""
        name = path.name
        if name in ("", ".", "..") or os.path.islink(path):
            return path.resolve()
        folder = path.parent
        if folder not in self._resolved:
            self._resolved[folder] = folder.resolve()
        return self._resolved[folder] / name

    def _variant_cycles(self) -> None:
        # "x is easier than y" edges: y.easier lists x, and x.harder lists y.
        easier_than: dict[str, set[str]] = {i: set() for i in self.lib.exercises}
        for ident, ex in self.lib.exercises.items():
            for other in ex.easier:
                if other in easier_than and other != ident:
                    easier_than[other].add(ident)
            for other in ex.harder:
                if other in easier_than and other != ident:
                    easier_than[ident].add(other)
        reported: set[str] = set()
        for start in sorted(easier_than):
            cycle = _find_cycle(start, easier_than)
            if cycle and not reported.intersection(cycle):
                reported.update(cycle)
                chain = " -> ".join([*cycle, cycle[0]])
                self._report("exercises", cycle[0], ("easier",),
                             f"easier/harder variants go round in a circle: {chain} "
                             "(each is 'easier than' the next)")

    def _routine(self, ident: str) -> None:
        routine = self.lib.routines[ident]
        ok = True
        for i, item in enumerate(routine.exercises):
            if item.exercise not in self.lib.exercises:
                self._report("routines", ident, ("exercises", i, "exercise"),
                             self._unknown("exercises", item.exercise, self.lib.exercises))
                ok = False
            elif item.dose is not None:
                ok &= self._check_source("routines", ident, ("exercises", i, "dose"), item.dose)
        # Cues are checked even when another item is wrong, so that every problem
        # shows at once (late_cues passes over items whose exercise is unknown).
        for i, j, problem in late_cues(routine, self.lib.exercises,
                                       self.rule_sets.get(ident, [])):
            self._report("routines", ident, ("exercises", i, "cues", j, "at"), problem)
            ok = False
        if not ok:
            del self.lib.routines[ident]
            self.broken.setdefault("routines", set()).add(ident)

    def _safety(self) -> None:
        assert self.safety_from is not None
        pf = self.safety_from
        for i, avoid in enumerate(self.lib.safety.avoid):
            for field_name in ("instead", "covers"):
                for j, other in enumerate(getattr(avoid, field_name)):
                    if other not in self.lib.exercises:
                        self.lib.problems.append(pf.problem(
                            ("safety", "avoid", i, field_name, j),
                            self._unknown("exercises", other, self.lib.exercises)))

    def _program(self, ident: str) -> None:
        program = self.lib.programs[ident]
        ok = True
        used = _routines_used(program)
        covered = self._covered()
        for sub, routine_id in used:
            if routine_id not in self.lib.routines:
                self._report("programs", ident, sub,
                             self._unknown("routines", routine_id, self.lib.routines))
                ok = False
                continue
            for item in self.lib.routines[routine_id].exercises:
                if item.exercise in covered:
                    self._report("programs", ident, sub,
                                 f"the routine '{routine_id}' includes '{item.exercise}', which "
                                 f"the safety list says to avoid ({covered[item.exercise]}); "
                                 "a program may not use it")
                    ok = False
        in_program = [(rid, item.exercise, self.lib.dose_for(item))
                      for rid in dict.fromkeys(rid for _, rid in used)
                      if rid in self.lib.routines
                      for item in self.lib.routines[rid].exercises]
        for i, rule in enumerate(program.progressions):
            where = ("progressions", i, "exercise")
            doses = [dose for _, exercise, dose in in_program if exercise == rule.exercise]
            if rule.exercise not in self.lib.exercises:
                problem = self._unknown("exercises", rule.exercise, self.lib.exercises)
            elif not doses:
                problem = f"no routine of this program uses '{rule.exercise}'"
            elif not any(_can_progress(dose, rule.change) for dose in doses):
                where = ("progressions", i, "change")
                problem = f"'{rule.exercise}' has no {rule.change} to grow in this program"
            else:
                continue
            self._report("programs", ident, where, problem)
            ok = False
        # Growth is checked even when a rule or routine is wrong: every problem at once.
        ok = self._growth(ident, program, in_program) and ok
        if not ok:
            del self.lib.programs[ident]

    def _growth(self, ident: str, program: m.Program,
                in_program: list[tuple[str, str, m.Dose]]) -> bool:
        """Progressions go on after the last week: at their most, every dose keeps its limits."""
        ok = True
        grown: set[str] = set()
        for routine_id, exercise, dose in in_program:
            if exercise in grown:
                continue
            error = self.overgrown(dose, exercise, program.progressions)
            if error is None:
                continue
            grown.add(exercise)
            last = max(i for i, rule in enumerate(program.progressions)
                       if rule.exercise == exercise)
            field = ".".join(str(part) for part in error["loc"])
            self._report("programs", ident, ("progressions", last, "up_to"),
                         f"at its most, this makes the dose of '{exercise}' in the routine "
                         f"'{routine_id}' too large: {field + ' ' if field else ''}"
                         f"{plain_message(error)}")
            ok = False
        return ok

    def _covered(self) -> dict[str, str]:
        if self.lib.safety is None:
            return {}
        return {ex: avoid.name for avoid in self.lib.safety.avoid for ex in avoid.covers}


def _link_leads_out(root: Path, rel: str) -> bool:
    """True when ``rel`` stays inside ``root`` as written but a link on the way leads out."""
    written = Path(os.path.normpath(root / rel))
    return written.is_relative_to(root) and not (root / rel).resolve().is_relative_to(root)


def _routines_used(program: m.Program) -> list[tuple[tuple, str]]:
    """(path in the program, routine id) for every routine a program plans."""
    used: list[tuple[tuple, str]] = []
    for p, phase in enumerate(program.phases):
        for s, session in enumerate(phase.sessions):
            used.append((("phases", p, "sessions", s, "routine"), session.routine))
    for d, block in enumerate(program.daily):
        used.append((("daily", d, "routine"), block.routine))
    for p, phase in enumerate(program.phases):
        for d, block in enumerate(phase.daily):
            used.append((("phases", p, "daily", d, "routine"), block.routine))
    if program.maintenance is not None:
        for s, session in enumerate(program.maintenance.sessions):
            used.append((("maintenance", "sessions", s, "routine"), session.routine))
    return used


def _can_progress(dose: m.Dose, change: str) -> bool:
    if change == "hold":
        return (isinstance(dose, m.HoldDose) and (not dose.is_open or dose.goal is not None)) or (
            isinstance(dose, m.RepsDose) and dose.hold is not None)
    if change == "reps":
        return isinstance(dose, (m.RepsDose, m.BreathsDose))
    return not isinstance(dose, m.ActivityDose)


def _find_cycle(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    """A cycle through ``start`` in a small graph, as a list of nodes, or None."""
    stack: list[tuple[str, list[str]]] = [(start, [start])]
    seen: set[str] = set()
    while stack:
        node, trail = stack.pop()
        for nxt in sorted(edges.get(node, ())):
            if nxt == start:
                return trail
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, trail + [nxt]))
    return None
