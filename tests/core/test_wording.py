"""Counts in words: the noun agrees with the number."""

from __future__ import annotations

import pytest

from backrehab_gui.core.wording import form, plural


@pytest.mark.parametrize(("count", "word", "expected"), [
    (1, "exercise", "1 exercise"),
    (2, "exercise", "2 exercises"),
    (0, "problem", "0 problems"),
    (1, "problem", "1 problem"),
    (3, "entry", "3 entries"),
    (2, "day", "2 days"),
    (2, "breath", "2 breaths"),
    (2, "box", "2 boxes"),
    (1, "planned session", "1 planned session"),
    (8, "planned session", "8 planned sessions"),
    (2.0, "session", "2 sessions"),
    (1.0, "session", "1 session"),
    (1.5, "session", "1.5 sessions"),
])
def test_the_noun_agrees_with_the_count(count, word, expected):
    assert plural(count, word) == expected


def test_irregular_words_and_verbs():
    assert plural(2, "person", "people") == "2 people"
    assert plural(1, "person", "people") == "1 person"
    assert [form(n, "is", "are") for n in (0, 1, 2)] == ["are", "is", "are"]
    assert [form(n, "it", "them") for n in (1, 3)] == ["it", "them"]


def test_a_program_name_that_gives_its_length_is_not_repeated():
    from backrehab_gui.core.wording import with_length

    assert with_length("Lower back, 8 weeks", 8) == "Lower back, 8 weeks"
    assert with_length("Core basics", 6) == "Core basics (6 weeks)"
    assert with_length("Stretches, 1 week", 1) == "Stretches, 1 week"
