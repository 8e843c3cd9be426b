"""Whatever `validate` accepts runs: show, plan, the timeline and the session engine finish.

Documents are drawn from the shipped JSON Schema (the one editors use), with
ids tied together so routines and programs can be accepted, and with extreme
numbers (nan, infinity, 1e308, 30-digit integers, the smallest float) mixed in
where the schema wants a number. Each document goes through the real loader;
for everything it accepts, `show` and `plan` print without a control
character, every timeline is finite and bounded, and the engine runs each
session to its end within a fixed number of calls.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import math
import re
from datetime import date

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backrehab_gui import commands
from backrehab_gui.core.engine import SessionEngine, State
from backrehab_gui.core.fields import MAX_WEEKS
from backrehab_gui.core.loading import Library, combine, parse_text
from backrehab_gui.core.progression import doses_for_week
from backrehab_gui.core.schema import json_schema
from backrehab_gui.core.timeline import Timeline, compile_routine
from backrehab_gui.core.units import DURATION_PATTERN, RANGE_PATTERN

SCHEMA = json_schema()
DEFS = SCHEMA["$defs"]

EXTREMES = [math.nan, math.inf, -math.inf, 1e308, -1e308, 5e-324, -0.0, 0, -1,
            10**30, 2**63, 14400.000001, "nan", ".inf", "1" * 400 + "s"]
"""Values a hostile or careless file may hold where a number goes, far outside the schema."""



def _now_and_then(usual: st.SearchStrategy, rare: st.SearchStrategy,
                  one_in: int) -> st.SearchStrategy:
    """``rare`` about once in ``one_in`` draws, else ``usual``."""
    return st.sampled_from(range(one_in)).flatmap(lambda k: rare if k == one_in - 1 else usual)


# What a routine file says (Latin letters and punctuation), and now and then anything at all.
_TEXT = _now_and_then(
    st.text(st.characters(min_codepoint=32, max_codepoint=0x17F, exclude_categories=("Cc", "Cf")),
            min_size=1, max_size=20).filter(str.strip),
    st.text(min_size=1, max_size=8), 200)
_TYPED = st.characters(min_codepoint=32, max_codepoint=126)
"""What a person types where the schema gives a pattern (a duration, a range, an id)."""
# The schema lets any word be a unit; a person writes one of these.
_DURATION_TEXT = st.from_regex(
    r"^ ?(\d{1,2}:[0-5]\d|(\d{1,2}(\.\d)? ?(s|sec|seconds|m|min|h|hours) ?){1,2}"
    r"|\d{1,4}(\.\d+)?) ?$", fullmatch=True, alphabet=_TYPED)
_COUNT_TEXT = st.from_regex(r"^ ?\d{1,3}( ?- ?\d{1,3})? ?$", fullmatch=True, alphabet=_TYPED)


def _number(low: float | None, high: float | None, exclusive_low: bool,
            integer: bool) -> st.SearchStrategy:
    # Mostly the small numbers doses are made of, and any number in the range.
    if integer:
        fitting = _now_and_then(st.integers(low, min(high, low + 20)), st.integers(low, high), 4)
    else:
        fitting = _now_and_then(
            st.floats(min_value=low, max_value=min(high, 60), exclude_min=exclusive_low),
            st.floats(min_value=low, max_value=high, exclude_min=exclusive_low), 4)
    # A file has dozens of numbers: one in a hundred is out of bounds on purpose, so
    # about one file in three has one somewhere.
    return _now_and_then(fitting, st.sampled_from(EXTREMES), 100)


_BY_NAME: dict[str, st.SearchStrategy] = {}


def schema_part(name: str) -> st.SearchStrategy:
    """Values for one of the schema's definitions (built once)."""
    if name not in _BY_NAME:
        _BY_NAME[name] = from_schema(DEFS[name])
    return _BY_NAME[name]


def from_schema(node: dict) -> st.SearchStrategy:
    """Values that fit a node of the schema (the keywords the generated schema uses)."""
    if "$ref" in node:
        return st.deferred(lambda: schema_part(node["$ref"].rsplit("/", 1)[-1]))
    for key in ("anyOf", "oneOf"):
        if key in node:
            return st.one_of([from_schema(option) for option in node[key]])
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        props = node.get("properties", {})
        required = set(node.get("required", ()))
        return st.fixed_dictionaries(
            {k: from_schema(v) for k, v in props.items() if k in required},
            optional={k: from_schema(v) for k, v in props.items() if k not in required})
    if kind == "array":
        least = node.get("minItems", 0)
        return st.lists(from_schema(node.get("items", {})), min_size=least,
                        max_size=min(node.get("maxItems", 3), least + 2))
    if kind == "string":
        if node.get("pattern") == DURATION_PATTERN:
            return _DURATION_TEXT
        if node.get("pattern") == RANGE_PATTERN:
            return _COUNT_TEXT
        if "pattern" in node:
            return st.from_regex(node["pattern"], fullmatch=True, alphabet=_TYPED).filter(
                lambda s: len(s) <= node.get("maxLength", 80))
        return _TEXT.filter(lambda s: len(s) <= node.get("maxLength", 80))
    if kind in ("number", "integer"):
        exclusive = "exclusiveMinimum" in node
        low = node.get("exclusiveMinimum", node.get("minimum"))
        return _number(low, node.get("maximum"), exclusive, kind == "integer")
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return st.nothing()


def _strip_source(dose: object) -> None:
    if isinstance(dose, dict):
        dose.pop("source", None)


@st.composite
def documents(draw) -> dict:
    """A routine file whose exercises, routines and programs refer to each other."""
    exercises = []
    for n in range(draw(st.integers(1, 2))):
        exercise = draw(schema_part("Exercise"))
        exercise["id"] = f"ex-{n}"
        for key in ("easier", "harder", "illustration"):
            exercise.pop(key, None)
        _strip_source(exercise["dose"])
        exercises.append(exercise)
    ids = st.sampled_from([e["id"] for e in exercises])
    routine = draw(schema_part("Routine"))
    routine["id"] = "r-0"
    for item in routine["exercises"]:
        item["exercise"] = draw(ids)
        _strip_source(item.get("dose"))
    program = draw(schema_part("Program"))
    program["id"] = "p-0"
    first = 1
    for n, phase in enumerate(program["phases"]):
        length = draw(st.integers(1, MAX_WEEKS // 2))
        phase.update(id=f"phase-{n}", weeks=f"{first}-{first + length - 1}")
        first += length
        for session in phase["sessions"]:
            session["routine"] = "r-0"
    blocks = {}
    for block in program.get("daily", []):
        block["routine"] = "r-0"
        blocks[block["block"]] = block
    program["daily"] = list(blocks.values())
    for session in (program.get("maintenance") or {}).get("sessions", []):
        session["routine"] = "r-0"
    for rule in program.get("progressions", []):
        rule["exercise"] = draw(ids)
    document = {"format": 1, "exercises": exercises, "routines": [routine],
                "programs": [program]}
    # Most files have one number, anywhere, replaced by an extreme value, so each
    # extreme is tried in every field in turn while the rest of the file is sound.
    leaves = list(_numbers_in(document))
    if leaves and draw(st.sampled_from(range(3))):
        parent, key = draw(st.sampled_from(leaves))
        parent[key] = draw(st.sampled_from(EXTREMES))
    return document


def _numbers_in(value: object):
    """(container, key) of every number in a document."""
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else ()
    for key, sub in items:
        if isinstance(sub, (int, float)) and not isinstance(sub, bool):
            yield value, key
        else:
            yield from _numbers_in(sub)


# C0 and C1 controls (a line break aside), direction controls, invisible spaces.
_RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e"
                          "\u2066-\u2069\u2028\u2029\ufeff]")


def _printed(call, *args) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        assert call(*args) == commands.EXIT_OK, err.getvalue()
    text = out.getvalue() + err.getvalue()
    assert not _RAW_CONTROL.search(text), f"raw control character in output: {text!r}"
    return text


def check_timeline(timeline: Timeline) -> None:
    # 60 exercises x 20 sets x (left, switch, right, rest), a prepare and a done.
    assert len(timeline.steps) <= 60 * 20 * 4 + 2
    for step in timeline.steps:
        assert step.duration is None or math.isfinite(step.duration) and step.duration >= 0
        assert math.isfinite(step.estimate) and step.estimate >= 0
        assert 0 <= step.count <= 500 and all(math.isfinite(p) for p in step.phases)
    assert math.isfinite(timeline.estimate)


def run_session(timeline: Timeline) -> None:
    """Run the engine to the end: open steps are ended at once, timed ones waited out."""
    engine = SessionEngine(timeline)
    now = 0.0
    events = engine.start(now)
    calls = 0
    while engine.state is not State.FINISHED:
        calls += 1
        assert calls <= 2 * len(timeline.steps) + 2, "the session did not end"
        step = engine.current
        deadline = engine.next_deadline()
        assert deadline is not None and math.isfinite(deadline)
        if calls % 25 == 1:  # what the window shows (a sum over every step: not at every call)
            view = engine.view(now)
            assert math.isfinite(view.elapsed) and math.isfinite(view.session_left)
        if step.is_open:
            now += 1.0
            events += engine.finish_set(now)
        else:
            now += step.duration + 1.0
            events += engine.tick(now)
    for event in events:
        for name in ("due", "expires", "seconds"):
            value = getattr(event, name, 0.0)
            assert value is None or math.isfinite(value) or value == math.inf and name == "expires"
    assert engine.summary is not None and math.isfinite(engine.summary.active_seconds)


def exercise_everything(lib: Library, *, as_written: bool = True) -> None:
    """What a person can do with an accepted library: show, plan, run each session.

    Each session runs as written (unless ``as_written`` is False) and at the largest
    dose its program's progressions make of it.
    """
    for routine in lib.routines.values():
        timeline = compile_routine(routine, lib.exercises)
        check_timeline(timeline)
        if as_written:
            run_session(timeline)
        for week in (None, 1, MAX_WEEKS, commands.MAX_PLAN_WEEKS):
            _printed(commands.show, lib, argparse.Namespace(routine=routine.id, week=week))
    for program in lib.programs.values():
        for routine in lib.routines.values():
            # Progressions keep growing in maintenance: the furthest week is the largest dose.
            doses = doses_for_week(routine, lib.exercises, program, commands.MAX_PLAN_WEEKS)
            timeline = compile_routine(routine, lib.exercises, doses=doses)
            check_timeline(timeline)
            run_session(timeline)
        for as_json in (False, True):
            _printed(commands.plan, lib, argparse.Namespace(
                program=program.id, start=date(2026, 1, 5), weeks=None, days=None,
                json=as_json))


def test_whatever_validate_accepts_runs_to_the_end():
    accepted = []

    @settings(max_examples=60, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                     HealthCheck.data_too_large])
    @given(documents())
    def check(document: dict) -> None:
        text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        lib = combine([parse_text(text, "drawn.yaml")])
        assert all("\n" not in str(p) and str(p).startswith("drawn.yaml")
                   for p in lib.problems)
        exercise_everything(lib)
        if lib.routines:
            accepted.append(bool(lib.programs))

    check()
    # A guard against a test that passes on air: many drawn files must get through.
    # About two in five are (measured); a tenth leaves room for chance.
    assert len(accepted) >= 6, f"only {len(accepted)} of 60 files had a routine accepted"
    assert sum(accepted) >= 3, f"only {sum(accepted)} files had a program accepted"


def test_a_file_at_every_limit_runs_to_the_end():
    """The largest doses the format allows, at the largest progression, still finish."""
    text = f"""\
format: 1
exercises:
  - id: big
    name: Big
    category: core
    position: on-back
    steps: [Go.]
    key_cue: Go
    why: Because.
    dose: {{reps: 500, sides: alternating, sets: 10, tempo: {{up: 7s, down: 7s}}}}
  - id: long
    name: Long
    category: core
    position: on-back
    steps: [Hold.]
    key_cue: Hold
    why: Because.
    dose: {{hold: 1h, sets: 20, rest: 4h}}
routines:
  - id: huge
    name: Huge
    prepare: 4h
    exercises:
{"".join(f"      - exercise: {'big' if i == 0 else 'long'}{chr(10)}" for i in range(60))}
programs:
  - id: long-program
    name: Long program
    phases:
      - {{id: all, name: All, weeks: 1-{MAX_WEEKS}, sessions: [{{routine: huge, per_week: 7}}]}}
    progressions:
      - {{exercise: big, change: sets, add: 1, up_to: 20}}
      - {{exercise: long, change: hold, add: 10 min, up_to: 4h}}
"""
    lib = combine([parse_text(text, "limits.yaml")])
    assert lib.ok, [str(p) for p in lib.problems]
    program, routine = lib.programs["long-program"], lib.routines["huge"]
    doses = doses_for_week(routine, lib.exercises, program, MAX_WEEKS)
    assert doses[0].sets == 20 and doses[1].hold == 4 * 3600
    assert len(compile_routine(routine, lib.exercises, doses=doses).steps) > 60 * 20 * 2 - 60
    exercise_everything(lib, as_written=False)
