"""The history's connection as its parts share it: every write one short transaction
(``BEGIN IMMEDIATE``), every read one consistent snapshot, and SQLite's faults
turned into ``StoreError`` sentences.

``HistoryStore`` and its parts (``store_enrolment``, ``store_safety``,
``store_measures``, ``pain_answers``) inherit it; ``HistoryStore`` sets the
attributes declared here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from .store_errors import StoreError, StoreReadOnlyError, is_damage, read_only_message, translate

_T = TypeVar("_T")


class Transactions:
    """Writes and reads on one connection, each in a transaction of its own."""

    _conn: sqlite3.Connection
    path: Path
    read_only: bool
    _now: Callable[[], datetime]
    _damage_seen: bool

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise StoreReadOnlyError(read_only_message(self.path))
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise self._translate(err) from err
        except BaseException:
            self._rollback()
            raise

    def _read(self, fn: Callable[[sqlite3.Connection], _T]) -> _T:
        conn = self._conn
        try:
            conn.execute("BEGIN")
            try:
                return fn(conn)
            finally:
                conn.execute("COMMIT")
        except sqlite3.Error as err:
            self._rollback()
            raise self._translate(err) from err

    def _rollback(self) -> None:
        try:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass

    def _translate(self, err: sqlite3.Error) -> StoreError:
        if is_damage(err):
            self._damage_seen = True     # so the next open checks the whole file
        return translate(err, self.path)
