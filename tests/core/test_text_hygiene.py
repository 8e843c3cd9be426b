"""Text from a routine file never carries control, direction or invisible characters.

An escape sequence in a name could clear the terminal that lists it; a
right-to-left override can make a name read backwards; a zero-width space can
make two names look the same. Such text is refused where it is written, and a
message that repeats a refused value shows it printable and cut short.
"""

from __future__ import annotations

import pytest

from backrehab_gui.core.loading import combine, parse_text
from backrehab_gui.core.plaintext import bad_character, printable, quoted, shorten

FILE = """\
format: 1
sources:
  - id: guide
    title: {title}
exercises:
  - id: {id}
    name: {name}
    category: core
    position: on-back
    steps: [{step}]
    key_cue: {key_cue}
    why: {why}
    equipment: [{equipment}]
    dose: {{hold: 20s, source: guide}}
routines:
  - id: r
    name: {routine_name}
    exercises:
      - exercise: {id}
        note: {note}
        cues: [{{at: 5s, say: {say}}}]
"""
PLAIN = {"title": "A guide", "id": "ex", "name": "Plank", "step": "Lie down.",
         "key_cue": "Breathe", "why": "It helps.", "equipment": "mat",
         "routine_name": "Evening", "note": "Slowly.", "say": "Keep going"}
ONE_LINE = {"title": "sources[guide].title", "name": "exercises[ex].name",
            "key_cue": "exercises[ex].key_cue", "equipment": "exercises[ex].equipment[#1]",
            "routine_name": "routines[r].name", "say": "routines[r].exercises[ex].cues[#1].say"}
LONG = {"step": "exercises[ex].steps[#1]", "why": "exercises[ex].why",
        "note": "routines[r].exercises[ex].note"}

# YAML escapes in double quotes: \e is ESC, \L the line separator, \N the C1 next-line.
HOSTILE = {
    "escape sequence": ('"Evil\\e[2J\\e[31mred"', "U+001B"),
    "right-to-left override": ('"Plank\\u202Egnp.exe"', "U+202E RIGHT-TO-LEFT OVERRIDE"),
    "right-to-left isolate": ('"Plank\\u2067x"', "U+2067 RIGHT-TO-LEFT ISOLATE"),
    "left-to-right mark": ('"Plank\\u200Ex"', "U+200E LEFT-TO-RIGHT MARK"),
    "null": ('"Pl\\0ank"', "U+0000"),
    "bell": ('"Pl\\aank"', "U+0007"),
    "delete": ('"Pl\\x7Fank"', "U+007F"),
    "C1 control": ('"Pl\\x9Bank"', "U+009B"),
    "next line": ('"Pl\\Nank"', "U+0085"),
    "line separator": ('"Pl\\Lank"', "U+2028 LINE SEPARATOR"),
    "tab": ('"Pl\\tank"', "U+0009"),
}
INVISIBLE = {
    "zero-width space": ('"Bird\\u200Bdog"', "U+200B ZERO WIDTH SPACE"),
    "byte order mark": ('"Bird\\uFEFFdog"', "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
    "soft hyphen": ('"Bird\\u00ADdog"', "U+00AD SOFT HYPHEN"),
}


def parse(**values: str):
    return parse_text(FILE.format(**{**PLAIN, **values}), "f.yaml")


def test_the_plain_file_is_good():
    assert combine([parse()]).ok


@pytest.mark.parametrize("kind", [*HOSTILE, *INVISIBLE])
@pytest.mark.parametrize("field", ONE_LINE)
def test_one_line_text_refuses_control_direction_and_invisible_characters(field, kind):
    value, named = HOSTILE.get(kind) or INVISIBLE[kind]
    parsed = parse(**{field: value})
    assert len(parsed.problems) == 1, [str(p) for p in parsed.problems]
    problem = parsed.problems[0]
    assert problem.field == ONE_LINE[field]
    assert named in problem.message and "remove it" in problem.message
    assert str(problem).isprintable()


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("field", LONG)
def test_long_text_refuses_control_and_direction_characters(field, kind):
    value, named = HOSTILE[kind]
    (problem,) = parse(**{field: value}).problems
    assert problem.field == LONG[field] and named in problem.message


@pytest.mark.parametrize("field", LONG)
def test_long_text_keeps_line_breaks_and_joined_emoji(field):
    # A family emoji is joined with zero-width joiners; a line break is a new paragraph.
    parsed = parse(**{field: '"First line.\\nSecond line \\U0001F468\\u200D\\U0001F467."'})
    assert not parsed.problems, [str(p) for p in parsed.problems]


def test_a_line_break_in_a_name_is_refused_in_plain_words():
    (problem,) = parse(name='"Plank\\nDelete everything"').problems
    assert problem.message == "must be one line; remove the line break (character 6, U+000A)"


def test_an_id_with_a_control_character_is_refused_and_shown_escaped():
    (problem,) = parse(routine_name="Evening", id='"ex\\e[2J"').problems[:1]
    assert problem.field.startswith("exercises[ex\\x1b[2J]")
    assert "'ex\\x1b[2J' is not a valid id" in problem.message
    assert "\x1b" not in str(problem)


def test_a_raw_control_character_in_the_file_is_located_and_never_echoed():
    text = FILE.format(**PLAIN).replace("name: Plank", "name: Pl\x1b[2Jank")
    (problem,) = parse_text(text, "f.yaml").problems
    assert str(problem) == ("f.yaml:7:13: the file holds a control character (U+001B); routine "
                            "files hold plain text only: remove it")


def test_names_in_other_scripts_are_fine():
    parsed = parse(name="Pont à genoux", routine_name="Вечер 🙂", say="ゆっくり", why="نفس عميق")
    assert not parsed.problems, [str(p) for p in parsed.problems]


# --- Long values are cut in messages -------------------------------------------


def test_a_very_long_unknown_key_is_cut_in_the_message():
    text = FILE.format(**PLAIN).replace("    category: core\n",
                                         "    category: core\n    " + "x" * 1000 + ": 1\n")
    (problem,) = parse_text(text, "f.yaml").problems
    # The key is cut (below); the rest is the list of allowed keys, which the model bounds.
    assert len(str(problem)) < 400
    assert "'" + "x" * 59 + "…'" in problem.message
    assert problem.field == "exercises[ex]." + "x" * 59 + "…"


def test_a_very_long_value_is_cut_in_the_message():
    for value in ("9" * 4000, '"' + "3 sek " * 500 + '"', '"' + "x" * 5000 + '"'):
        text = FILE.format(**PLAIN).replace("hold: 20s", f"hold: {value}")
        (problem,) = parse_text(text, "f.yaml").problems
        assert len(str(problem)) < 300, str(problem)
        assert "…" in problem.message


def test_a_very_long_id_is_cut_where_it_names_the_entry():
    text = FILE.format(**{**PLAIN, "id": "a" * 1000})
    problems = parse_text(text, "f.yaml").problems
    assert problems and all(len(str(p)) < 400 for p in problems)


# --- The helpers ---------------------------------------------------------------


def test_printable_shows_every_hidden_character_as_an_escape():
    assert printable("a\x1b[2Jb\u202ec\u200bd\x85e\tf") == "a\\x1b[2Jb\\u202ec\\u200bd\\x85e\\x09f"
    assert printable("line\nnext") == "line\\x0anext"
    assert printable("line\nnext", newlines=True) == "line\nnext"
    assert printable("Pont à genoux 🙂\u00a0!") == "Pont à genoux 🙂\u00a0!"
    assert printable("\ud800") == "\\ud800"


def test_shorten_and_quoted():
    assert shorten("abc", 5) == "abc"
    assert shorten("x" * 100) == "x" * 59 + "…" and len(shorten("x" * 100)) == 60
    assert quoted("a\x1bb") == "'a\\x1bb'"


def test_bad_character_knows_one_line_from_long_text():
    assert bad_character("Bird dog") is None
    assert bad_character("a\nb", lines=True) is None
    assert "line break" in bad_character("a\nb")
    assert bad_character("a\u200db", lines=True, invisible=True) is None
    assert "invisible" in bad_character("a\u200db")
    assert "direction" in bad_character("a\u202eb", lines=True, invisible=True)
