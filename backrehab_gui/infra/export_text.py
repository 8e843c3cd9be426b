"""Values as the exports write them, the same in CSV and iCalendar: text fit for a
file, numbers as plain text, and the words for a session's kind and its pain flag.
"""

from __future__ import annotations

import math
import re

from backrehab_gui.core.pain import HIGH, LASTING, PainFlag
from backrehab_gui.core.pain_rules import LASTING_MINUTES

KIND_LABELS = {
    "phase": "Phase session",
    "maintenance": "Maintenance session",
    "daily": "Daily block",
    "extra": "Extra session",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def number(value: float | int | None) -> str:
    """A number as plain text with at most one decimal ('45', '12.5'); '' for none."""
    if value is None or isinstance(value, bool) or not finite(value):
        return ""
    if isinstance(value, int):
        return str(value)
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded.is_integer() else f"{rounded:.1f}"


def finite(value: object) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)


def flag_reason(flag: PainFlag) -> str:
    if flag.reason == LASTING:
        return f"pain more than light for longer than {LASTING_MINUTES} minutes"
    if flag.reason == HIGH:
        return f"pain {flag.after} out of 10 after the session"
    return f"pain went up from {flag.before} to {flag.after} during the session"


def plain(value: object) -> str:
    """A str-valued enum (such as Block) as its plain text; '' for None."""
    if value is None:
        return ""
    return str(getattr(value, "value", value))


def clean(text: object) -> str:
    """Text fit for a file: line breaks as \\n, no other control codes, no lone surrogates."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.encode("utf-8", "replace").decode("utf-8")
