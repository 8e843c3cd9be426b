"""The wall clock: now, in the system's time zone with its daylight-saving rules."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from PySide6.QtCore import QTimeZone


def local_wall_clock() -> datetime:
    """Now, in the system's time zone with its daylight-saving rules.

    ``datetime.now().astimezone()`` gives a fixed UTC offset, which is an hour
    wrong for times planned across a daylight-saving change; Qt knows the
    zone's IANA name, and zoneinfo knows its rules.
    """
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
    try:
        return datetime.now(ZoneInfo(name))
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return datetime.now().astimezone()
