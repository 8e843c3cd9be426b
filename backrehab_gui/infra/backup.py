"""Everything a person keeps, in one file: for changing laptops, or just for safety.

A backup is a zip file holding a consistent copy of the history database
(sessions and their results, the enrolment with its repeats, "move on"
answers and progression holds, the outcome measures and skips, the safety records
and the next-day answers), ``settings.json`` and the person's own routine
files, with a ``backrehab-backup.json`` manifest naming what is inside. The
database is copied with SQLite's online backup, so a backup made while the app
runs is consistent. The file is written atomically.

Restoring merges into the data folder, empty or not, and never loses or
doubles anything:

- each session comes in unless the history already has the same routine
  started at the same moment (a session, its results and its answers);
- each measure comes in unless the same one (kind and moment) is there; so does
  each safety record (kind and moment), and each next-day answer about a day the
  folder has no answer for;
- the enrolment (with its repeats and answers) comes in when the folder has
  none; a folder that already has one keeps it, and the summary says so;
- settings come in when the folder has none; routine files come in when the
  folder has no file of that name (an identical one is simply there already).

Restoring the same backup twice changes nothing the second time.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ..core.wording import plural
from . import paths
from .export import ExportError, write_atomically
from .settings import FILE_NAME as SETTINGS_FILE
from .store import FILE_NAME as HISTORY_FILE
from .store import HistoryStore, StoreError

MANIFEST = "backrehab-backup.json"
FORMAT = 1
ROUTINES = "routines/"
MAX_MEMBER = 512 * 1024 * 1024
"""Refuse members bigger than this when restoring (a damaged or hostile file)."""


class BackupError(ExportError):
    """A backup could not be made or restored, with a message meant for a person."""


@dataclass
class RestoreSummary:
    sessions_added: int = 0
    sessions_present: int = 0
    measures_added: int = 0
    enrolment: str = ""
    settings: str = ""
    routines_added: list[str] = field(default_factory=list)
    routines_kept: list[str] = field(default_factory=list)

    def text(self) -> str:
        parts = [f"{plural(self.sessions_added, 'session')} added, {self.sessions_present} already "
                 f"there", f"{plural(self.measures_added, 'questionnaire answer')} added",
                 self.enrolment, self.settings]
        if self.routines_added:
            parts.append(f"routine files added: {', '.join(self.routines_added)}")
        if self.routines_kept:
            parts.append(f"routine files kept as they were here: "
                         f"{', '.join(self.routines_kept)}")
        return "; ".join(p for p in parts if p) + "."


def write_backup(data_dir: Path, out: Path, now: datetime) -> int:
    """Write a backup of ``data_dir`` to ``out``; returns the number of sessions in it.
    Raises BackupError."""
    data_dir = Path(data_dir)
    history = data_dir / HISTORY_FILE
    with tempfile.TemporaryDirectory(prefix="backrehab-backup-") as tmp:
        copy = Path(tmp) / HISTORY_FILE
        sessions = 0
        if history.exists():
            try:
                source = sqlite3.connect(f"{history.resolve().as_uri()}?mode=ro", uri=True)
                target = sqlite3.connect(copy)
                try:
                    source.backup(target)
                    sessions = target.execute("SELECT count(*) FROM sessions").fetchone()[0]
                finally:
                    target.close()
                    source.close()
            except sqlite3.Error as err:
                raise BackupError(f"BackRehab could not read its history {history} to back "
                                  f"it up ({err}). Nothing was written.") from err
        routine_dir = paths.user_routines(data_dir)
        routine_files = sorted(p for p in routine_dir.glob("*") if p.is_file()
                               and p.suffix.lower() in (".yaml", ".yml")) \
            if routine_dir.is_dir() else []
        settings = data_dir / SETTINGS_FILE
        manifest = {"format": FORMAT, "made_at": now.isoformat(), "sessions": sessions,
                    "history": history.exists(), "settings": settings.exists(),
                    "routines": [p.name for p in routine_files]}

        def write(handle) -> None:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
                if history.exists():
                    archive.write(copy, HISTORY_FILE)
                if settings.exists():
                    archive.write(settings, SETTINGS_FILE)
                for routine in routine_files:
                    archive.write(routine, ROUTINES + routine.name)

        try:
            write_atomically(Path(out), write, what="backup")
        except ExportError as err:
            raise BackupError(err.message) from err
        except OSError as err:
            raise BackupError(f"The backup could not be read from {data_dir} "
                              f"({err.strerror or err}). Nothing was written.") from err
    return sessions


def restore_backup(source: Path, data_dir: Path, now: datetime) -> RestoreSummary:
    """Merge the backup ``source`` into ``data_dir`` (see the module's rules).
    Raises BackupError (nothing changed) or StoreError (the history refused a write)."""
    source, data_dir = Path(source), Path(data_dir)
    try:
        archive = zipfile.ZipFile(source)
    except FileNotFoundError:
        raise BackupError(f"There is no file {source}.") from None
    except (zipfile.BadZipFile, OSError) as err:
        raise BackupError(f"{source} is not a BackRehab backup (it is not a zip file: "
                          f"{err}). Nothing was changed.") from err
    with archive, tempfile.TemporaryDirectory(prefix="backrehab-restore-") as tmp:
        manifest = _manifest(archive, source)
        for info in archive.infolist():
            if info.file_size > MAX_MEMBER:
                raise BackupError(f"{source} holds a file too big for a backup "
                                  f"({info.filename}). Nothing was changed.")
        summary = RestoreSummary()
        if manifest.get("history") and HISTORY_FILE in archive.namelist():
            folder = Path(tmp)
            (folder / HISTORY_FILE).write_bytes(archive.read(HISTORY_FILE))
            _merge_history(folder, data_dir, now, summary)
        _restore_settings(archive, data_dir, summary)
        _restore_routines(archive, data_dir, summary)
    return summary


def _manifest(archive: zipfile.ZipFile, source: Path) -> dict:
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except KeyError:
        raise BackupError(f"{source} is not a BackRehab backup (it has no {MANIFEST}). "
                          "Nothing was changed.") from None
    except (ValueError, zipfile.BadZipFile) as err:
        raise BackupError(f"{source} is damaged ({err}). Nothing was changed.") from err
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        raise BackupError(f"{source} is not a BackRehab backup. Nothing was changed.")
    if manifest["format"] > FORMAT:
        raise BackupError(f"{source} was made by a newer version of BackRehab (backup "
                          f"format {manifest['format']}). Update BackRehab to restore it. "
                          "Nothing was changed.")
    return manifest


def _merge_history(folder: Path, data_dir: Path, now: datetime,
                   summary: RestoreSummary) -> None:
    try:
        # Opened as a history of its own: an older backup is brought up to date first.
        backup = HistoryStore.open(folder, now=lambda: now)
    except StoreError as err:
        raise BackupError(f"The history in the backup cannot be read: {err.message} "
                          "Nothing was changed.") from err
    try:
        sessions = backup.all_sessions(with_results=True)
        enrolment = backup.enrolment()
        moved_on = backup.moved_on()
        measures = backup.measures()
        skips = backup.measure_skips()
        safety = backup.safety_events_between(date.min, date.max)
        next_day = backup.next_day_checks()
        choices = backup.progression_choices()
    finally:
        backup.close()
    with HistoryStore.open(data_dir, now=lambda: now) as store:
        for record in sessions:
            if store.import_session(record):
                summary.sessions_added += 1
            else:
                summary.sessions_present += 1
        for kind, day, answered_at, items in measures:
            summary.measures_added += store.save_measure(kind, day, answered_at, items)
        for kind, day, skipped_at in skips:     # so a skipped question is not asked again
            store.skip_measure(kind, day, skipped_at)
        # Red-flag answers, clearances and "it hurts" records: stored once by kind and
        # moment. The link to a session is by this file's row ids, which differ in the
        # other history, so it is dropped; the exercise's name stays on the record.
        for event in safety:
            store.record_safety_event(dataclasses.replace(event, session_id=None, id=None))
        answered = {check.about for check in store.next_day_checks()}
        for check in next_day:                  # the folder's own answer about a day wins
            if check.about not in answered:
                store.record_next_day(check)
        current = store.enrolment()
        if enrolment is None:
            summary.enrolment = ""
        elif current is None:
            store.save_enrolment(enrolment)
            for phase_id in moved_on:
                store.record_moved_on(phase_id)
            for choice in choices:              # holds and step backs of that enrolment
                store.record_progression_choice(choice)
            summary.enrolment = (f"enrolment restored ({enrolment.program_id} from "
                                 f"{enrolment.start:%d %b %Y})")
        elif (current.program_id, current.start) == (enrolment.program_id, enrolment.start):
            for phase_id in moved_on - store.moved_on():
                store.record_moved_on(phase_id)
            summary.enrolment = "enrolment already here"
        else:
            summary.enrolment = (f"this folder's enrolment ({current.program_id} from "
                                 f"{current.start:%d %b %Y}) was kept; the backup's "
                                 f"({enrolment.program_id} from {enrolment.start:%d %b %Y}) "
                                 "was not applied")


def _restore_settings(archive: zipfile.ZipFile, data_dir: Path,
                      summary: RestoreSummary) -> None:
    if SETTINGS_FILE not in archive.namelist():
        return
    target = data_dir / SETTINGS_FILE
    if target.exists():
        summary.settings = "this folder's settings were kept"
        return
    data = archive.read(SETTINGS_FILE)
    write_atomically(target, lambda handle: handle.write(data), what="settings")
    summary.settings = "settings restored"


def _restore_routines(archive: zipfile.ZipFile, data_dir: Path,
                      summary: RestoreSummary) -> None:
    folder = paths.user_routines(data_dir)
    for name in archive.namelist():
        if not name.startswith(ROUTINES) or name.endswith("/"):
            continue
        base = name[len(ROUTINES):]
        # Only plain file names: a backup never writes outside the routines folder.
        if not base or "/" in base or "\\" in base or base.startswith(".") or \
                Path(base).suffix.lower() not in (".yaml", ".yml"):
            continue
        data = archive.read(name)
        target = folder / base
        if target.exists():
            if target.read_bytes() != data:
                summary.routines_kept.append(base)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(target, lambda handle, d=data: handle.write(d), what="routine file")
        summary.routines_added.append(base)


