"""The background writer: session writes happen here, never on the window's thread.

A history write can wait: SQLite gives another program holding the file
``BUSY_TIMEOUT`` (2 s) before giving up, and a slow disk syncs slowly. Done
on the window's thread, that froze the player at every exercise change. So
one plain Python thread (infra never uses Qt) owns its own connection to the
history and takes jobs from a queue, in order:

* ``save(recorder)``: write what the recorder's latest draft adds to the
  history; when the history refuses, append the draft to the recovery journal
  instead, and tell the recorder either way;
* ``merge_journal()``: move sessions left in the journal by earlier runs into
  the history (never doubling or downgrading one);
* ``use(connect)``: the history (re)opened, or became unavailable.

Drafts are whole snapshots, so a save that finds newer changes writes them
too, and later queued saves of the same session have nothing left to do.
``on_change`` is called on the writer's thread after each job that changed
something ("saved", "kept", "merged"); the window turns that into a Qt signal.
"""

from __future__ import annotations

import contextlib
import queue
import sys
import threading
import traceback
from collections.abc import Callable

from .journal import JournalError, SessionJournal
from .recorder import SessionDraft, SessionRecorder, merge_draft, write_draft
from .store import HistoryStore, StoreError

UNAVAILABLE = "The history could not be opened."


class HistoryWriter:
    """One thread that writes sessions to the history, or keeps them in the journal."""

    def __init__(self, journal: SessionJournal, *,
                 on_change: Callable[[str], None] = lambda _kind: None) -> None:
        self.journal = journal
        self._on_change = on_change
        self._jobs: queue.Queue[tuple] = queue.Queue()
        self._closed = False
        # Owned by the writer's thread from here on.
        self._connect: Callable[[], HistoryStore] | None = None
        self._problem = UNAVAILABLE
        self._store: HistoryStore | None = None
        self._written: dict[str, tuple[int, SessionDraft]] = {}
        """Per session: its id and the draft last written whole, in the current store."""
        self._journaled: set[str] = set()
        self._live: set[str] = set()
        """Sessions of this run: their recorders write them, a merge leaves them alone."""
        self.merge_problem = ""
        """Why the last merge stopped early ('' when it did not)."""
        self._thread = threading.Thread(target=self._run, name="backrehab-history-writer",
                                        daemon=True)
        self._thread.start()

    # --- Asked from the window's thread ---------------------------------------------------

    def use(self, connect: Callable[[], HistoryStore] | None, problem: str = "") -> None:
        """Write through ``connect()`` (called on the writer's thread) from now on; None:
        the history is unavailable, for ``problem``."""
        self._put("use", connect, problem)

    def save(self, recorder: SessionRecorder, retry: bool = False) -> None:
        """Write the recorder's latest draft. ``retry``: even if that very draft was refused."""
        self._put("save", recorder, retry)

    def merge_journal(self) -> None:
        self._put("merge")

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every job queued so far is done; False on timeout."""
        if self._closed:
            return True
        done = threading.Event()
        self._put("mark", done)
        return done.wait(timeout)

    def close(self, timeout: float = 10.0) -> bool:
        """Finish the queued jobs, close the connection and stop; False if still busy."""
        if not self._closed:
            self._closed = True
            self._jobs.put(("stop",))
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _put(self, kind: str, *args: object) -> None:
        if self._closed:
            # Too late for the thread; still never drop a session.
            if kind == "save":
                self._save(*args)  # type: ignore[arg-type]
            return
        self._jobs.put((kind, *args))

    # --- The thread ------------------------------------------------------------------------

    def _run(self) -> None:
        while True:
            kind, *args = self._jobs.get()
            if kind == "stop":
                self._drop_store()
                return
            try:
                changed = getattr(self, "_" + kind)(*args)
            except Exception:  # a bug: say so, and keep writing the next sessions
                traceback.print_exc(file=sys.stderr)
                changed = None
            if changed:
                self._notify(changed)

    def _notify(self, kind: str) -> None:
        try:
            self._on_change(kind)
        except Exception:  # the window went away while closing
            traceback.print_exc(file=sys.stderr)

    def _mark(self, done: threading.Event) -> None:
        done.set()

    def _use(self, connect: Callable[[], HistoryStore] | None, problem: str) -> str:
        self._drop_store()
        self._connect, self._problem = connect, problem or UNAVAILABLE
        self._written.clear()
        return "use"

    def _open(self) -> tuple[HistoryStore | None, str]:
        if self._store is None and self._connect is not None:
            try:
                self._store = self._connect()
            except StoreError as err:
                return None, err.message
        return self._store, self._problem

    def _drop_store(self) -> None:
        if self._store is not None:
            with contextlib.suppress(Exception):  # already gone: nothing to let go of
                self._store.close()
            self._store = None

    def _save(self, recorder: SessionRecorder, retry: bool) -> str | None:
        draft = recorder.draft
        if draft is None:
            return None
        self._live.add(draft.key)
        if recorder.saved or (not retry and recorder._tried(draft.revision)):
            return None  # written already, or refused as it is: wait for a change or a retry
        recorder._settle(draft, saving=True)
        store, problem = self._open()
        if store is not None:
            try:
                since = self._written.get(draft.key)
                session_id = write_draft(store, draft, since[1] if since else None,
                                         since[0] if since else None)
            except StoreError as err:
                problem = err.message
                self._written.pop(draft.key, None)  # something is missing: all of it next time
            except Exception as err:
                traceback.print_exc(file=sys.stderr)
                problem = f"BackRehab could not save the session ({err})."
                self._written.pop(draft.key, None)
            else:
                self._written[draft.key] = (session_id, draft)
                recorder._settle(draft, saved=True)
                if draft.key in self._journaled:
                    self.journal.forget([draft.key])
                    self._journaled.discard(draft.key)
                return "saved"
        kept = recorder.state().journal_path
        if store is None and kept is not None:
            # Already on disk as it is: only the reason may have changed.
            recorder._settle(draft, error=problem, journal_path=kept)
            return "kept"
        try:
            path = self.journal.append(draft)
        except JournalError as err:
            recorder._settle(draft, error=problem, journal_error=err.message)
        else:
            self._journaled.add(draft.key)
            recorder._settle(draft, error=problem, journal_path=path)
        return "kept"

    def _merge(self) -> str | None:
        store, _problem = self._open()
        if store is None:
            return None
        merged: list[str] = []
        self.merge_problem = ""
        for draft in self.journal.pending():
            if draft.key in self._live:
                continue
            try:
                merge_draft(store, draft)
            except StoreError as err:
                self.merge_problem = err.message
                break
            except (ValueError, KeyError) as err:  # a line this history cannot take
                self.merge_problem = (f"A session from {draft.started_at:%Y-%m-%d %H:%M} "
                                      f"could not be added ({err}); it stays in "
                                      f"{self.journal.where()}.")
                continue
            merged.append(draft.key)
        self.journal.forget(merged)
        return "merged" if merged or self.merge_problem else None
