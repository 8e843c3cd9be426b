"""Every number in a routine file is finite and in range, wherever it is written.

Each numeric field is tried with values a careless or hostile file may hold
(nan in all its spellings, infinity, 1e308, 30-digit integers, negatives): each
must be refused with exactly one problem, on the line and field where it was
written. Progressions are checked at their most, program weeks have a ceiling,
and a cue must fall inside its exercise.
"""

from __future__ import annotations

import pytest

from backrehab_gui.core.loading import combine, parse_text
from backrehab_gui.core.progression import doses_for_week

HEAD = """\
format: 1
exercises:
  - id: ex
    name: Exercise
    category: core
    position: on-back
    steps: [Do it.]
    key_cue: Go
    why: Because.
    dose: {DOSE}
routines:
  - id: r
    name: Routine
{ROUTINE}    exercises:
      - exercise: ex
{ITEM}programs:
  - id: p
    name: Program
    phases:
      - {{id: a, name: A, weeks: {WEEKS}, sessions: [{{routine: r, per_week: {PER_WEEK}}}]}}
    progressions: {PROGRESSIONS}
"""


def build(dose: str = "{hold: 20s}", routine: str = "", item: str = "", weeks: str = "1-8",
          per_week: str = "3", progressions: str = "[]") -> str:
    return HEAD.format(DOSE=dose, ROUTINE=routine, ITEM=item, WEEKS=weeks, PER_WEEK=per_week,
                       PROGRESSIONS=progressions)


# Where a time may be written: (the file with X where the value goes, the field reported).
TIME_FIELDS = {
    "hold": (build(dose="{hold: X}"), "exercises[ex].dose.hold"),
    "open-hold goal": (build(dose="{hold: max, goal: X}"), "exercises[ex].dose.goal"),
    "tempo up": (build(dose="{reps: 5, tempo: {up: X}}"), "exercises[ex].dose.tempo.up"),
    "tempo down": (build(dose="{reps: 5, tempo: {down: X}}"), "exercises[ex].dose.tempo.down"),
    "hold on each rep": (build(dose="{reps: 5, hold: X}"), "exercises[ex].dose.hold"),
    "inhale": (build(dose="{breaths: 5, inhale: X}"), "exercises[ex].dose.inhale"),
    "exhale": (build(dose="{breaths: 5, exhale: X}"), "exercises[ex].dose.exhale"),
    "activity": (build(dose="{activity: X}"), "exercises[ex].dose.activity"),
    "rest": (build(dose="{hold: 5, sets: 2, rest: X}"), "exercises[ex].dose.rest"),
    "prepare": (build(routine="    prepare: X\n"), "routines[r].prepare"),
    "rest between sets": (build(routine="    rest_between_sets: X\n"),
                          "routines[r].rest_between_sets"),
    "rest between exercises": (build(routine="    rest_between_exercises: X\n"),
                               "routines[r].rest_between_exercises"),
    "rest after": (build(item="        rest_after: X\n"), "routines[r].exercises[ex].rest_after"),
    "cue offset": (build(item="        cues: [{at: X, say: Breathe}]\n"),
                   "routines[r].exercises[ex].cues[#1].at"),
    "progression add": (build(progressions="[{exercise: ex, change: hold, add: X, up_to: 60}]"),
                        "programs[p].progressions[ex].add"),
    "progression up_to": (build(progressions="[{exercise: ex, change: hold, add: 5, up_to: X}]"),
                          "programs[p].progressions[ex].up_to"),
}
BAD_TIMES = [".nan", "nan", "'nan'", "NaN", ".inf", "inf", "-.inf", "'infinity'", "1.0e+308",
             "-5", "-0.5s", "123456789012345678901234567890", "'9999999999999999999999 h'",
             "'" + "1" * 400 + "s'", "5 h", "true"]

# Where a whole number may be written.
COUNT_FIELDS = {
    "sets": (build(dose="{hold: 5, sets: X}"), "exercises[ex].dose.sets"),
    "reps": (build(dose="{reps: X}"), "exercises[ex].dose.reps"),
    "reps target": (build(dose="{reps: 5-10, target: X}"), "exercises[ex].dose.target"),
    "breaths": (build(dose="{breaths: X}"), "exercises[ex].dose.breaths"),
    "program weeks": (build(weeks="X"), "programs[p].phases[a].weeks"),
    "per week": (build(per_week="X"), "programs[p].phases[a].sessions[r].per_week"),
    "every weeks": (build(progressions="[{exercise: ex, change: hold, add: 5, up_to: 60, "
                                       "every_weeks: X}]"),
                    "programs[p].progressions[ex].every_weeks"),
    "from week": (build(progressions="[{exercise: ex, change: hold, add: 5, up_to: 60, "
                                     "from_week: X}]"),
                  "programs[p].progressions[ex].from_week"),
}
BAD_COUNTS = [".nan", "nan", ".inf", "-.inf", "1.0e+308", "123456789012345678901234567890",
              "'1-1000000000'", "0", "-1", "2.5", "1000"]


def only_problem(text: str):
    parsed = parse_text(text, "f.yaml")
    problems = [str(p) for p in parsed.problems]
    assert len(problems) == 1, problems
    return parsed.problems[0]


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


GOOD = {"reps target": "6", "program weeks": "1-8", "per week": "3"}


@pytest.mark.parametrize("field", [*TIME_FIELDS, *COUNT_FIELDS])
def test_each_template_is_a_good_file_with_a_good_value(field):
    """So each refusal below is the bad value's doing, not the template's."""
    template, _ = TIME_FIELDS.get(field) or COUNT_FIELDS[field]
    library = combine([parse_text(template.replace("X", GOOD.get(field, "2")), "f.yaml")])
    assert library.ok, [str(p) for p in library.problems]


@pytest.mark.parametrize("value", BAD_TIMES)
@pytest.mark.parametrize("field", TIME_FIELDS)
def test_a_bad_time_is_refused_where_it_is_written(field, value):
    template, where = TIME_FIELDS[field]
    text = template.replace("X", value)
    problem = only_problem(text)
    assert problem.field == where
    assert problem.line == line_of(template, "X")
    assert len(str(problem)) < 300


@pytest.mark.parametrize("value", BAD_COUNTS)
@pytest.mark.parametrize("field", COUNT_FIELDS)
def test_a_bad_count_is_refused_where_it_is_written(field, value):
    template, where = COUNT_FIELDS[field]
    text = template.replace("X", value)
    problem = only_problem(text)
    assert problem.field == where
    assert problem.line == line_of(template, "X")
    assert len(str(problem)) < 300


def test_a_program_of_two_years_is_the_longest():
    assert combine([parse_text(build(weeks="1-104"), "f.yaml")]).ok
    problem = only_problem(build(weeks="1-105"))
    assert problem.message == "must be at most 104, not 105"
    problem = only_problem(build(weeks="1-1000000000"))
    assert problem.message == "must be at most 104, not \"1-1000000000\""


def test_a_progression_may_not_grow_past_the_caps_of_what_it_grows():
    text = build(progressions="[{exercise: ex, change: sets, add: 1, up_to: 14400}]")
    problem = only_problem(text)
    assert problem.field == "programs[p].progressions[ex].up_to"
    assert problem.message == "must be at most 20 sets for change: sets, not 14400"
    text = build(dose="{reps: 10}",
                 progressions="[{exercise: ex, change: reps, add: 5, up_to: 501}]")
    assert "must be at most 500 repetitions" in only_problem(text).message


def problems_of(text: str) -> list[str]:
    return [str(p) for p in combine([parse_text(text, "f.yaml")]).problems]


def test_progressions_are_checked_at_their_most_even_after_the_last_week():
    # 8 weeks of +50 breaths from week 1 reach 200 by week 4; from week 9 they only
    # grow in maintenance, after the program's weeks, and are refused all the same.
    for from_week in (1, 9):
        text = build(dose="{breaths: 10}", progressions=(
            f"[{{exercise: ex, change: reps, add: 50, up_to: 250, from_week: {from_week}}}]"))
        (problem,) = problems_of(text)
        assert problem.startswith(f"f.yaml:{line_of(text, 'up_to')}:")
        assert problem.endswith(
            "programs[p].progressions[ex].up_to: at its most, this makes the dose of 'ex' in "
            "the routine 'r' too large: breaths must be at most 200, not 250")
    fine = build(dose="{breaths: 10}",
                 progressions="[{exercise: ex, change: reps, add: 50, up_to: 200}]")
    assert problems_of(fine) == []


def test_a_progression_may_not_make_one_set_longer_than_four_hours():
    text = build(dose="{reps: 100, hold: 5s}",
                 progressions="[{exercise: ex, change: hold, add: 10, up_to: 200}]")
    (problem,) = problems_of(text)
    assert "one set would take 5 h 40 min (100 reps of 204 s); a set may take at most 4 hours" \
        in problem
    library = combine([parse_text(text, "f.yaml")])
    assert "p" not in library.programs and "r" in library.routines


def test_the_dose_at_the_last_week_stays_within_the_caps():
    text = build(dose="{hold: 5, sets: 2}", weeks="1-104",
                 progressions="[{exercise: ex, change: sets, add: 1, up_to: 20}]")
    library = combine([parse_text(text, "f.yaml")])
    assert library.ok
    routine, program = library.routines["r"], library.programs["p"]
    assert doses_for_week(routine, library.exercises, program, 104)[0].sets == 20
    assert doses_for_week(routine, library.exercises, program, 10**6)[0].sets == 20


def test_one_paced_set_takes_at_most_four_hours():
    assert combine([parse_text(build(dose="{reps: 500, tempo: {up: 14s, down: 14s}}"),
                               "f.yaml")]).ok
    problem = only_problem(build(dose="{reps: 500, tempo: {up: 14s, down: 15s}}"))
    assert problem.field == "exercises[ex].dose"
    assert problem.message == ("one set would take 4 h 1 min (500 reps of 29 s); a set may "
                               "take at most 4 hours")
    assert combine([parse_text(build(dose="{reps: 300, hold: 20s, sides: alternating}"),
                               "f.yaml")]).ok
    assert "(301 reps each side of 24 s)" in only_problem(
        build(dose="{reps: 301, hold: 20s, sides: alternating}")).message


def test_a_cue_after_the_end_of_its_set_is_refused():
    text = build(dose="{hold: 20s, sets: 2}", item="        cues: [{at: 25s, say: Breathe}]\n")
    cue, program = problems_of(text)
    assert f"f.yaml:{line_of(text, 'at: 25s')}:" in cue
    assert ("routines[r].exercises[ex].cues[#1].at: comes 25s into a set that lasts 20s, so it "
            "would never be said") in cue
    # The routine is left out; its program goes with it, naming why.
    assert "the routine 'r' has problems of its own" in program
    library = combine([parse_text(text, "f.yaml")])
    assert "r" not in library.routines and "p" not in library.programs


def test_a_cue_inside_its_set_or_in_open_work_is_fine():
    for dose, at in [("{hold: 20s}", "19s"), ("{hold: max}", "3h"), ("{reps: 10}", "1h"),
                     ("{reps: 5, hold: 3s, sides: alternating}", "60s"),
                     ("{breaths: 5, inhale: 4, exhale: 6}", "49")]:
        text = build(dose=dose, item=f"        cues: [{{at: {at}, say: Breathe}}]\n")
        assert problems_of(text) == [], (dose, at)


def test_a_cue_the_program_grows_the_hold_to_reach_is_fine():
    item = "        cues: [{at: 45s, say: Halfway there}]\n"
    assert problems_of(build(dose="{hold: 30s}", item=item, progressions=(
        "[{exercise: ex, change: hold, add: 5, up_to: 60}]"))) == []
    assert len(problems_of(build(dose="{hold: 30s}", item=item))) == 2  # the cue, the program
