"""Opening the history file: its folder made, the file checked read-only first,
a damaged one rescued and set aside, then a connection set up for durability.

``infra/store.py`` calls these from ``HistoryStore.open`` and ``twin``.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .migrations import schema_version
from .store_errors import (
    StoreCorruptError,
    StoreError,
    StoreFullError,
    StoreReadOnlyError,
    StoreTooNewError,
    full_message,
    is_damage,
    too_new_message,
    translate,
)

if TYPE_CHECKING:
    from .salvage import SalvageReport


class Damaged(Exception):
    """The file is not a readable database."""


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except PermissionError as err:
        raise StoreReadOnlyError(
            f"BackRehab cannot create its data folder {folder}: permission denied. "
            "Choose another data folder or check its permissions.") from err
    except OSError as err:
        if err.errno in (errno.ENOSPC, errno.EDQUOT):
            raise StoreFullError(full_message(folder)) from err
        if err.errno == errno.EROFS:
            raise StoreReadOnlyError(
                f"BackRehab cannot create its data folder {folder}: the disk is read-only. "
                "Choose another data folder.") from err
        raise StoreError(f"BackRehab cannot create its data folder {folder} "
                         f"({err.strerror or err}). Choose another data folder.") from err


def probe(path: Path, busy_timeout: float, connect: Callable[..., sqlite3.Connection], *,
          full: bool) -> None:
    """Check an existing file read-only (so a file we refuse is never changed).

    ``full``: PRAGMA integrity_check, which also finds an index that disagrees
    with its table; otherwise quick_check.

    Raises Damaged when it is not a readable database, StoreTooNewError when a
    newer version wrote it, other StoreErrors for other faults.
    """
    if not path.exists() or path.stat().st_size == 0:
        return
    try:
        conn = connect(_uri(path, read_only=True), uri=True, timeout=busy_timeout,
                       isolation_level=None)
    except sqlite3.Error as err:
        raise translate(err, path) from err
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > schema_version():
            raise StoreTooNewError(too_new_message(path, version, schema_version()))
        check = "integrity_check" if full else "quick_check"
        problems = [r[0] for r in conn.execute(f"PRAGMA {check}")]
        if problems != ["ok"]:
            raise Damaged("; ".join(str(p) for p in problems[:3]))
    except sqlite3.Error as err:
        if is_damage(err):
            raise Damaged(str(err)) from err
        raise translate(err, path) from err
    finally:
        conn.close()


def rescue(path: Path, when: datetime) -> tuple[Path, SalvageReport]:
    """Copy what can be read from the damaged ``path`` into a new file, move the
    damaged one aside unchanged, and put the new one in its place.

    The new file is complete before anything moves: should writing it fail (a
    full disk), the damaged file stays where it was and the next open tries
    again. Returns where the damaged file went, and what was recovered.
    """
    from . import salvage  # only for a damaged history

    rescued = path.with_name(path.name + ".rescued")
    salvage.discard(rescued)         # left by a rescue that was cut short
    try:
        report = salvage.salvage(path, rescued)
    except (sqlite3.Error, OSError) as err:
        salvage.discard(rescued)
        reason = translate(err, rescued) if isinstance(err, sqlite3.Error) else StoreError(
            f"Writing {rescued} failed ({err.strerror or err}).")
        raise type(reason)(
            f"The session history {path} is damaged, and BackRehab could not write a new "
            f"one with what it can read from it. {reason.message} The damaged file was left "
            "where it was; BackRehab tries again at the next start.") from err
    try:
        aside = _set_aside(path, when)
    except StoreError:
        salvage.discard(rescued)
        raise
    try:
        os.replace(rescued, path)
    except OSError as err:
        raise StoreError(
            f"BackRehab recovered what it could from the damaged session history into "
            f"{rescued} but could not put it in place ({err.strerror or err}). Rename it to "
            f"{path.name} yourself, then start BackRehab again.") from err
    return aside, report


def _set_aside(path: Path, when: datetime) -> Path:
    """Move a damaged file (and its WAL and shared-memory files) out of the way."""
    stamp = when.astimezone().strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 2
    while aside.exists():
        aside = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
        n += 1
    try:
        os.replace(path, aside)
        # Named so that SQLite finds them beside the moved file, should anyone try to
        # rescue it.
        for suffix in ("-wal", "-shm"):
            extra = path.with_name(path.name + suffix)
            if extra.exists():
                os.replace(extra, aside.with_name(aside.name + suffix))
    except OSError as err:
        raise StoreCorruptError(
            f"The session history {path} is damaged and could not be moved aside "
            f"({err.strerror or err}). Move or rename it yourself, then start BackRehab "
            "again.") from err
    return aside


def _uri(path: Path, *, read_only: bool) -> str:
    return path.resolve().as_uri() + ("?mode=ro" if read_only else "?mode=rwc")


def open_connection(path: Path, busy_timeout: float, read_only: bool,
                    connect: Callable[..., sqlite3.Connection]) -> sqlite3.Connection:
    try:
        conn = connect(_uri(path, read_only=read_only), uri=True, timeout=busy_timeout,
                       isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # FULL: in WAL mode, NORMAL may lose the last commits on a power cut.
        conn.execute("PRAGMA synchronous = FULL")
    except sqlite3.Error as err:
        raise translate(err, path) from err
    return conn
