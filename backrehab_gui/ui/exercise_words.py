"""Exercises in words and by search: category and position names, and the text a
search looks through, shared by the exercise library and the editor's picker.
"""

from __future__ import annotations

import re

from ..core import model as m

CATEGORY_WORDS = {
    m.Category.CORE: "Core",
    m.Category.GLUTES: "Glutes",
    m.Category.BACK: "Back",
    m.Category.UPPER_BACK: "Upper back",
    m.Category.MOBILITY: "Mobility",
    m.Category.STRETCH: "Stretch",
    m.Category.BREATHING: "Breathing",
    m.Category.CARDIO: "Cardio",
    m.Category.LEGS: "Legs",
}
POSITION_WORDS = {
    m.Position.ON_BACK: "Lying on your back",
    m.Position.ON_FRONT: "Lying on your front",
    m.Position.ON_SIDE: "Lying on your side",
    m.Position.ALL_FOURS: "On hands and knees",
    m.Position.KNEELING: "Kneeling",
    m.Position.HALF_KNEELING: "Half kneeling",
    m.Position.SITTING: "Sitting",
    m.Position.STANDING: "Standing",
}


def category_words(category: m.Category) -> str:
    return CATEGORY_WORDS.get(category, category.value.replace("-", " ").capitalize())


def position_words(position: m.Position) -> str:
    return POSITION_WORDS.get(position, position.value.replace("-", " ").capitalize())


def search_text(exercise: m.Exercise) -> str:
    """Everything a search looks through: name, category, position, equipment, all text."""
    parts = [exercise.name, exercise.id.replace("-", " "), category_words(exercise.category),
             exercise.category.value, position_words(exercise.position),
             exercise.position.value.replace("-", " "), *exercise.equipment, *exercise.steps,
             exercise.key_cue, exercise.tip or "", exercise.why, *exercise.stop_if,
             exercise.caution or ""]
    return "\n".join(parts).casefold()


def matches(haystack: str, query: str) -> bool:
    """Every word of the query starts a word somewhere in the haystack ("band" finds
    "band" and "bands", not "husband")."""
    return all(re.search(r"(?<!\w)" + re.escape(word), haystack)
               for word in query.casefold().split())
