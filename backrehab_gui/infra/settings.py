"""The person's settings: one JSON file in the data folder, with defaults.

Read once at start-up. A missing file means the defaults; a damaged file or a
value of the wrong type never stops the app: that setting falls back to its
default and the problem is reported, and the file is rewritten on the next
save. Writes are atomic (a temporary file renamed over the old one), so a
crash mid-write cannot leave a half-written file.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import field, fields
from datetime import time
from pathlib import Path

from ..core.records import record_class

# Not imported from core.history: the window opens before the models load.
_LATEST_DAY_END = time(6, 0)
"""core.history.LATEST_DAY_END (a test keeps them equal)."""

FILE_NAME = "settings.json"

FOLDER_KINDS = ("import", "export", "backup", "picture", "handout", "send")
"""The kinds of file dialog that remember their folder: routine files to import, history
exports and session copies, backups (made and restored), drawings for the exercise editor,
printed handouts, and folders sent to a patient."""


@record_class
class Settings:
    # Voice and sounds
    voice_enabled: bool = True
    voice_id: str = ""
    """A pyttsx3 voice id; empty for the engine's default voice."""
    voice_rate: int = 165
    """Words per minute."""
    voice_volume: float = 1.0
    sounds_enabled: bool = True
    # Timing
    prepare_seconds: int = 10
    """Get-ready countdown before the first exercise."""
    resume_seconds: int = 3
    """Get-ready countdown after a pause."""
    countdown_seconds: int = 3
    """Last seconds of holds and rests counted down aloud."""
    default_rest_seconds: int = 30
    """Rest between sets when a routine does not say."""
    # Looks
    theme: str = "system"
    """'system', 'light', 'dark' or 'high-contrast'."""
    text_scale: float = 1.0
    """Text size everywhere, 1.0 = the desktop's own."""
    # Reminders (times are "HH:MM"; empty turns one off)
    reminders_enabled: bool = True
    remind_morning: str = "07:30"
    remind_midday: str = "12:30"
    remind_evening: str = "19:00"
    remind_session: str = "18:00"
    """On phase-session days."""
    sitting_break_minutes: int = 25
    """Offer a stand-and-stretch break after this long; 0 turns it off."""
    quiet_start: str = "22:00"
    quiet_end: str = "07:00"
    """No reminders between these times."""
    reminders_paused_on: str = ""
    """A date (YYYY-MM-DD) on which the person paused reminders for the rest of the day."""
    start_with_desktop: bool = False
    # The record
    day_ends_at: str = "03:00"
    """"My day ends at": a session started before this time belongs to the day before,
    in the calendar, adherence, advice and exports. 00:00 to 06:00."""
    # First run and safety screening
    welcome_done: bool = False
    screened_on: str = ""
    """Date the red-flag questions were answered."""
    red_flags: str = ""
    """Comma-separated ids of red flags answered yes ('' when none)."""
    cleared_on: str = ""
    """Date the person confirmed a doctor cleared them, after a red flag."""
    emergency_on: str = ""
    """Date an emergency sign was reported that no doctor has cleared yet ('' when none):
    the program stays locked (core.screening)."""
    emergency_flags: str = ""
    """Comma-separated ids of those emergency signs."""
    checked_on: str = ""
    """Date the emergency questions were last answered (screening or weekly check)."""
    spine_sensitive: str = ""
    """Comma-separated spine movements that make the person's pain worse
    ('bend-forward', 'bend-backward', 'twist'); exercises that move so are swapped."""
    # The player window
    player_fullscreen: bool = False
    player_geometry: str = ""
    """Saved window geometry (Qt's own encoding, base64)."""
    main_geometry: str = ""
    # File dialogs
    last_folders: dict[str, str] = field(default_factory=dict)
    """kind (FOLDER_KINDS) -> the folder its dialog last used, where it opens next time."""

    def changed(self, **values: object) -> Settings:
        return dataclasses.replace(self, **values)


LIMITS: dict[str, tuple[float, float]] = {
    "voice_rate": (80, 320),
    "voice_volume": (0.0, 1.0),
    "prepare_seconds": (0, 120),
    "resume_seconds": (0, 30),
    "countdown_seconds": (0, 10),
    "default_rest_seconds": (0, 600),
    "text_scale": (0.75, 2.5),
    "sitting_break_minutes": (0, 240),
}
"""The range each number may take; the Settings screen's fields offer the same."""
CHOICES: dict[str, tuple[str, ...]] = {
    "theme": ("system", "light", "dark", "high-contrast"),
}
"""The values a setting may take, where it is one of a few."""
_TIMES = ("remind_morning", "remind_midday", "remind_evening", "remind_session",
          "quiet_start", "quiet_end")


class SettingsStore:
    """Loads and saves Settings in ``folder/settings.json``."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / FILE_NAME
        self.problems: list[str] = []

    def load(self) -> Settings:
        self.problems = []
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return Settings()
        except (OSError, ValueError) as err:
            self.problems.append(f"{self.path} could not be read ({err}); using the defaults")
            return Settings()
        if not isinstance(raw, dict):
            self.problems.append(f"{self.path} is not a settings file; using the defaults")
            return Settings()
        values: dict[str, object] = {}
        for f in fields(Settings):
            if f.name not in raw:
                continue
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            value = _checked(f.name, raw[f.name], default)
            if value is None:
                self.problems.append(f"setting '{f.name}' has a bad value "
                                     f"({raw[f.name]!r}); using {default!r}")
            else:
                values[f.name] = value
        return Settings(**values)

    def save(self, settings: Settings) -> None:
        """Write atomically. Raises OSError (read-only folder, full disk) for the caller."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        import tempfile  # only when saving: it is slow to import and start-up reads only

        data = json.dumps(dataclasses.asdict(settings), indent=2, sort_keys=True) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=".settings-", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _checked(name: str, value: object, default: object) -> object | None:
    """The value if it has the default's type and sits within limits, else None."""
    kind = type(default)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if type(value) is not kind:
        return None
    if name in LIMITS:
        low, high = LIMITS[name]
        if not low <= value <= high:  # type: ignore[operator]
            return None
    if name in CHOICES and value not in CHOICES[name]:
        return None
    if name in _TIMES and value and parse_time(value) is None:
        return None
    if name == "day_ends_at" and day_end(str(value)) is None:
        return None
    if name == "last_folders" and not all(
            key in FOLDER_KINDS and _is_folder_text(folder) for key, folder in value.items()):
        return None
    return value


def _is_folder_text(value: object) -> bool:
    """An absolute path of sane length, with no control characters (it is shown in dialogs)."""
    return (isinstance(value, str) and 0 < len(value) <= 4096 and os.path.isabs(value)
            and not any(ord(c) < 32 or ord(c) == 127 for c in value))


def start_folder(settings: Settings, kind: str) -> Path | None:
    """The folder a dialog of ``kind`` last used, if it is still there."""
    text = settings.last_folders.get(kind, "")
    return Path(text) if text and Path(text).is_dir() else None


def with_folder(settings: Settings, kind: str, folder: Path) -> Settings:
    """``settings`` remembering ``folder`` for dialogs of ``kind``."""
    if kind not in FOLDER_KINDS:
        raise ValueError(f"unknown kind of file dialog: {kind!r}")
    return settings.changed(last_folders={**settings.last_folders, kind: str(folder)})


def day_end(text: str) -> time | None:
    """The "my day ends at" setting as a time: '03:00' -> 03:00, '' -> midnight;
    None for anything else or later than core.history.LATEST_DAY_END."""
    if not text:
        return time(0, 0)
    parsed = parse_time(text)
    if parsed is None:
        return None
    value = time(*parsed)
    return value if value <= _LATEST_DAY_END else None


def day_end_of(settings: Settings) -> time:
    """The settings' end of day (the default when the value is bad)."""
    return day_end(settings.day_ends_at) or day_end(Settings.day_ends_at) or time(0, 0)


def parse_time(text: str) -> tuple[int, int] | None:
    """'07:30' -> (7, 30); None for anything else."""
    parts = text.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    return (hour, minute) if 0 <= hour < 24 and 0 <= minute < 60 else None
