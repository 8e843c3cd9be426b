"""The wall clock: now, in the system's time zone with its daylight-saving rules."""

from __future__ import annotations

import os
import sys
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def local_wall_clock() -> datetime:
    """Now, in the system's time zone with its daylight-saving rules.

    ``datetime.now().astimezone()`` gives a fixed UTC offset, which is an hour
    wrong for times planned across a daylight-saving change; the zone's IANA name
    (Linux says it in ``TZ`` or where /etc/localtime links to, Qt knows it everywhere)
    gives zoneinfo its rules.
    """
    for find in (_linux_zone_name, _qt_zone_name):
        name = find()
        if name is None:
            continue
        try:
            return datetime.now(ZoneInfo(name))
        except (ZoneInfoNotFoundError, ValueError, OSError):
            continue
    return datetime.now().astimezone()


def _linux_zone_name() -> str | None:
    """The zone's name as Linux gives it, or None to ask Qt (whose first answer takes
    some 5 ms, at start-up)."""
    if not sys.platform.startswith("linux"):
        return None
    given = os.environ.get("TZ")
    if given is not None:
        name = given.removeprefix(":")
        return name if name and not name.startswith("/") else None
    try:
        target = os.readlink("/etc/localtime")
    except OSError:
        return None
    _, found, name = target.rpartition("zoneinfo/")
    return name if found and name else None


def _qt_zone_name() -> str:
    from PySide6.QtCore import QTimeZone

    return bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "replace")
