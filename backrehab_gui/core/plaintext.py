"""What text from a routine file may contain, and how to show any text safely.

Routine files arrive by e-mail, so their text is checked before it reaches a
screen, a terminal or the voice:

- no control characters (an escape sequence could clear or recolour a
  terminal), except line breaks in long text;
- no characters that reverse or embed the text direction (U+202E and its
  kin can make ``gnp.exe`` read as ``exe.png``);
- in ids, names and other one-line text, no invisible formatting characters
  at all (a zero-width space makes two names look the same).

``printable`` and ``shorten`` are for the other direction: echoing a value that
was refused, or any text at all, without letting it do harm or fill the screen.
"""

from __future__ import annotations

import unicodedata

SHORT_ECHO = 60
"""Characters of a refused value that a message repeats before cutting it off."""

# Embeddings, overrides and isolates: they change the order text is drawn in.
_DIRECTION = frozenset({*range(0x202A, 0x202F), *range(0x2066, 0x206A)})
# Control, surrogate (cannot be printed), format (invisible), line and paragraph separators.
_HIDDEN_CATEGORIES = frozenset({"Cc", "Cs", "Cf", "Zl", "Zp"})


def _describe(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "")
    return f"{code} {name}" if name else code


def bad_character(text: str, *, lines: bool = False, invisible: bool = False) -> str | None:
    """Why ``text`` may not be used, or None when it is fine.

    ``lines``: line breaks are allowed (long text). ``invisible``: invisible
    formatting characters other than direction changes are allowed (long text,
    where a zero-width joiner may belong to an emoji or a script).
    """
    for position, char in enumerate(text, start=1):
        if char == "\n" and lines:
            continue
        category = unicodedata.category(char)
        if category not in _HIDDEN_CATEGORIES:
            continue
        where = f"(character {position}, {_describe(char)})"
        if ord(char) in _DIRECTION or char in "\u200e\u200f\u061c":
            return (f"contains a character that changes the text direction {where}, which "
                    "can disguise what is shown; remove it")
        if category == "Cf":
            if invisible:
                continue
            return f"contains an invisible formatting character {where}; remove it"
        if char == "\n":
            return f"must be one line; remove the line break {where}"
        return f"contains a control character {where}; remove it"
    return None


def printable(text: str, *, newlines: bool = False) -> str:
    """``text`` with every control, invisible or direction character shown as an escape.

    The result is safe to print to a terminal or a log: ``\\x1b`` instead of an
    escape character, ``\\u202e`` instead of a direction override.
    """
    if text.isprintable():
        return text
    out = []
    for char in text:
        if (char == "\n" and newlines) or char == " ":
            out.append(char)
        elif unicodedata.category(char) in _HIDDEN_CATEGORIES or char == "\t":
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else
                       f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def shorten(text: str, limit: int = SHORT_ECHO) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis when it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def echo(value: object, limit: int = SHORT_ECHO) -> str:
    """A value as a message repeats it: printable and short (for numbers)."""
    return printable(shorten(str(value), limit))


def quoted(value: object, limit: int = SHORT_ECHO) -> str:
    """A value as a message repeats it: in quotes, printable and short (for text)."""
    return f"'{echo(value, limit)}'"
