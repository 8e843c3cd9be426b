"""The history's faults as plain sentences: the StoreError kinds, and SQLite's errors
translated into them.

Every fault reaches the caller as a ``StoreError`` subclass whose message a
person can act on (read-only folder, full disk, another copy of the app holding
the file, damaged file, file from a newer version). A full disk is called full
even where SQLite reports it as an I/O error.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path


class StoreError(Exception):
    """A history problem, with a message meant for the person using the app."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class StoreReadOnlyError(StoreError):
    """The folder or the file cannot be written."""


class StoreFullError(StoreError):
    """The disk is full."""


class StoreLockedError(StoreError):
    """Another program (most likely another BackRehab) holds the file."""


class StoreCorruptError(StoreError):
    """The file is damaged and could not be set aside."""


class StoreTooNewError(StoreError):
    """The file was written by a newer version of the app."""


class StoreMigrationError(StoreError):
    """Updating the file to this version's format failed; it was left as it was."""


# --- Messages ------------------------------------------------------------------

_LOCKED = ("The session history is in use by another program. Another BackRehab seems to be "
           "open: close it, then try again.")


def read_only_message(path: Path) -> str:
    return (f"BackRehab cannot save to its session history: {path} or its folder is "
            f"read-only. Check that you may write to {path.parent}, or choose another "
            "data folder.")


def too_new_message(path: Path, found: int, current: int) -> str:
    return (f"The session history {path} was written by a newer version of BackRehab "
            f"(history format {found}; this version reads up to {current}). Update BackRehab "
            "to open it. The file was not changed.")


# --- Faults ------------------------------------------------------------------------------

# SQLite's primary result codes (the sqlite3 module only names them from Python 3.11).
_BUSY, _LOCKED_CODE, _READONLY, _IOERR, _CORRUPT, _FULL, _CANTOPEN, _NOTADB = \
    5, 6, 8, 10, 11, 13, 14, 26


def _code(err: sqlite3.Error) -> int | None:
    """SQLite's primary result code (Python 3.11+), else guessed from the message."""
    code = getattr(err, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF
    text = str(err).lower()
    for needle, guess in (("disk is full", _FULL),
                          ("database is locked", _BUSY),
                          ("readonly", _READONLY),
                          ("unable to open", _CANTOPEN),
                          ("not a database", _NOTADB),
                          ("malformed", _CORRUPT)):
        if needle in text:
            return guess
    return None


LOW_SPACE = 1 << 20
"""Bytes free under which a disk error is taken for a full disk."""


def _disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (almost) no space left.

    SQLite reports some writes on a full disk as a plain I/O error (growing its
    shared-memory file, for one: SQLITE_IOERR_SHMSIZE), and Python does not
    pass on the errno, so the free space says which it was.
    """
    for folder in (path.parent, *path.parent.parents):
        try:
            return shutil.disk_usage(folder).free < LOW_SPACE
        except OSError:
            continue
    return False


def full_message(folder: Path) -> str:
    return (f"The disk holding {folder} is full, so BackRehab could not save your session "
            "history. Free some space on it, then try again.")


def translate(err: sqlite3.Error, path: Path) -> StoreError:
    code = _code(err)
    if code == _FULL or (code == _IOERR and _disk_full(path)):
        return StoreFullError(full_message(path.parent))
    if code in (_BUSY, _LOCKED_CODE):
        return StoreLockedError(_LOCKED)
    if code == _READONLY or (code == _CANTOPEN and
                                           not os.access(path.parent, os.W_OK)):
        return StoreReadOnlyError(read_only_message(path))
    if code == _CANTOPEN:
        return StoreError(f"BackRehab could not open its session history {path}. Check that "
                          "the folder exists and that you may write to it.")
    if code in (_CORRUPT, _NOTADB):
        return StoreCorruptError(
            f"The session history {path} is damaged. Restart BackRehab: it will set the "
            "damaged file aside and start a new history.")
    if code == _IOERR:
        return StoreError(f"BackRehab could not read or write its session history {path} "
                          f"(the disk reported an error: {err}). Check the disk, then try "
                          "again.")
    return StoreError(f"BackRehab could not use its session history {path} ({err}).")


def is_damage(err: sqlite3.Error) -> bool:
    """Whether SQLite found the file damaged (or not a database at all)."""
    return _code(err) in (_CORRUPT, _NOTADB)
