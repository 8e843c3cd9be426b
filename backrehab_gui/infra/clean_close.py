"""Was the history closed cleanly? If not, the store checks all of it.

``PRAGMA quick_check`` is quick because it does not compare an index
with its table, so a damaged index goes unnoticed by it, and a query that
takes a date from that index reads the date wrong. ``PRAGMA integrity_check``
compares them too, in time that grows with the file (about 50 ms for ten
years of history: ``benchmarks/store_check.py``). The store runs the full check whenever
the file was not closed cleanly: after a crash, a power cut, a kill mid-write,
which is when damage is most likely, and after anything changed the file while
BackRehab was closed. Otherwise the quick check is enough.

"Closed cleanly" is a small marker file beside the database that ``close()``
writes and ``open()`` removes, holding the size and modification time of the
database and its WAL at that close. Why this rather than the alternatives:

* a flag inside the database would be read from the very file being checked,
  and setting it at close is a write that a full disk can refuse;
* a leftover ``-wal`` file is no sure sign: a clean close leaves one when
  another program still had the file open, and without WAL (some network
  folders) there is none to leave;
* the marker fails safe: when it is missing, unreadable, or does not match the
  file (a crash before close, a failed write of the marker, a history copied
  in from elsewhere, a file changed by another program while BackRehab was
  closed), the only cost is one full check.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

MARKER_SUFFIX = ".closed-cleanly"


def _marker(db: Path) -> Path:
    return db.with_name(db.name + MARKER_SUFFIX)


def _identity(db: Path) -> dict[str, list[int] | None]:
    """The size and modification time of the database and its WAL.

    An empty WAL counts as none: a read-only reader (an export while BackRehab
    is closed) leaves one behind, and it holds nothing.
    """
    found: dict[str, list[int] | None] = {}
    for key, path in (("db", db), ("wal", db.with_name(db.name + "-wal"))):
        try:
            stat = path.stat()
        except FileNotFoundError:
            found[key] = None
        else:
            found[key] = [stat.st_size, stat.st_mtime_ns] if stat.st_size else None
    return found


def note(db: Path) -> None:
    """Record that the history ``db`` was just closed cleanly, as it is now."""
    # Should this fail, the next open checks the whole file: slower, never wrong.
    with contextlib.suppress(OSError):
        _marker(db).write_text(json.dumps(_identity(db)), encoding="utf-8")


def vouches(db: Path) -> bool:
    """Whether ``db`` was closed cleanly and has not changed since."""
    try:
        saved = json.loads(_marker(db).read_text(encoding="utf-8"))
        return bool(saved == _identity(db))
    except (OSError, ValueError):
        return False


def forget(db: Path) -> None:
    """The file is about to be written: a crash from now on must not pass as clean."""
    # Failing cannot happen where the history can be written at all; and a marker
    # left behind still stops vouching once a write changes the file.
    with contextlib.suppress(OSError):
        _marker(db).unlink(missing_ok=True)
