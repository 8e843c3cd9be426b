"""Keeping sessions: the history, the background writer and the recovery journal, for the app.

HistoryKeeper opens the history (on the window's thread, at launch and on
Try again), hands every session write to the background writer, and turns
the writer's reports into ``sig_changed`` on the window's thread. It knows
every session of this run that is not in the history yet, and the sessions
earlier runs left in the recovery journal, so the views count them all and
the banner and the quit question can say where each one is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from ..core.history import SessionRecord
from ..infra.journal import SessionJournal
from ..infra.recorder import SaveState, SessionDraft, SessionRecorder, session_key
from ..infra.store import BUSY_TIMEOUT, HistoryStore
from ..infra.store_errors import StoreError
from ..infra.writer import UNAVAILABLE, HistoryWriter

if TYPE_CHECKING:
    from .player.window import PlayerWindow

QUIT_WAIT = BUSY_TIMEOUT + 2.0
"""Seconds quitting waits for writes under way (one may wait out a locked file)."""


class HistoryKeeper(QObject):
    """The history and everything that keeps sessions until it can take them."""

    sig_written = Signal(str)
    """The writer finished a job (emitted on its thread, handled on the window's)."""
    sig_changed = Signal(str)
    """Sessions were saved ('saved'), kept in the journal ('kept'), merged ('merged'),
    or the history opened ('opened'): the views and notices may be out of date."""

    def __init__(self, data_dir: Path, *, journal: SessionJournal | None = None,
                 busy_timeout: float = BUSY_TIMEOUT, parent: QObject | None = None,
                 merge_later: bool = False) -> None:
        """With ``merge_later``, the journal is merged when ``merge_journal`` is called (once
        Today is on screen), not as the history opens."""
        super().__init__(parent)
        self._merge_pending = merge_later
        self.data_dir = Path(data_dir)
        self.busy_timeout = busy_timeout
        self.journal = journal or SessionJournal(self.data_dir)
        # Queued: the writer emits on its own thread, the handler runs on the window's.
        self.sig_written.connect(self._on_written)
        self.writer = HistoryWriter(self.journal, on_change=self.sig_written.emit)
        self.store: HistoryStore | None = None
        self.problem = ""
        """Why the history cannot be used ('' when it can)."""
        self.recovery_message = ""
        self.recorders: list[SessionRecorder] = []
        """Sessions of this run that are not known to be in the history."""
        self.earlier: list[SessionDraft] = []
        """Sessions earlier runs left in the journal, not merged yet."""
        self._done: set[SessionRecorder] = set()
        self._closed = False
        self.open()

    # --- Opening and trying again ----------------------------------------------------

    def open(self) -> bool:
        """Open the history if it is not open; True when it is."""
        if self.store is not None:
            return True
        try:
            store = HistoryStore.open(self.data_dir, busy_timeout=self.busy_timeout)
        except StoreError as err:
            self.problem = err.message
            self.writer.use(None, err.message)
            self.earlier = self._journaled()
            return False
        self.store, self.problem = store, ""
        self.recovery_message = store.recovery_message or ""
        self.writer.use(store.twin)
        if not self._merge_pending:
            self.writer.merge_journal()
        return True

    def merge_journal(self) -> None:
        """Merge the journal now, if opening the history left it for later (``merge_later``):
        at start-up the journal (nearly always empty) waits until Today is painted, and
        Today is refreshed once sessions from it are in."""
        if self._merge_pending:
            self._merge_pending = False
            if self.store is not None:
                self.writer.merge_journal()

    def retry(self) -> bool:
        """Try again now: open the history if it is closed, write every session not in it
        yet, merge the journal. True when the history is open (writes go on behind)."""
        was_open = self.store is not None
        if self.open():
            if was_open:
                self.writer.merge_journal()
            else:
                self.sig_changed.emit("opened")
        for recorder in self.recorders:
            if not recorder.saved:
                recorder.retry()
        return self.store is not None

    # --- Sessions --------------------------------------------------------------------

    def recorder(self, **info: object) -> SessionRecorder:
        """A recorder for a new session, writing through the background writer."""
        recorder = SessionRecorder(self.writer.save, **info)  # type: ignore[arg-type]
        recorder.history_problem = lambda: self.problem or UNAVAILABLE
        self.recorders.append(recorder)
        return recorder

    def unsaved(self) -> list[SessionRecorder]:
        """Sessions of this run that began and are not in the history (yet)."""
        return [r for r in self.recorders if r.started and not r.saved]

    def records_between(self, first: date, last: date) -> list[SessionRecord]:
        """Every session from ``first`` to ``last``: the history's, and those it does
        not have yet (this run's in memory, earlier runs' in the journal)."""
        records: list[SessionRecord] = []
        if self.store is not None:
            try:
                records = self.store.sessions_between(first, last)
            except StoreError as err:
                self.problem = err.message
        known = {session_key(r.routine_id, r.started_at): i for i, r in enumerate(records)}
        # This run's sessions as known in memory: newer than the history's copy while a
        # write is still on its way (the answers after a session count at once).
        for recorder in self.recorders:
            draft = recorder.draft
            if draft is None or recorder.state().saved:
                continue
            at = known.get(draft.key)
            if at is not None:
                records[at] = draft.record(session_id=records[at].id)
        # A journaled session with no end is one an earlier run never finished.
        drafts = [(d, None if d.summary else "interrupted") for d in self.earlier]
        drafts += [(r.draft, None) for r in self.recorders if r.draft is not None]
        for draft, status in drafts:
            if draft.key not in known and first <= draft.started_at.date() <= last:
                known[draft.key] = len(records)
                records.append(draft.record(status=status))
        records.sort(key=lambda r: r.started_at)
        return records

    def flush(self, timeout: float | None = None) -> bool:
        return self.writer.flush(timeout)

    def may_quit(self, ask: Callable[[list[SessionRecorder]], str],
                 ask_path: Callable[[str, str], Path | None],
                 tell: Callable[[str, int], None]) -> bool:
        """At Quit: wait briefly for writes under way, then, for sessions not in the
        history, ``ask`` ('copy', 'quit' or 'cancel'), saving a CSV copy where
        ``ask_path`` says. False when the person chose to stay."""
        self.flush(QUIT_WAIT)
        unsaved = self.unsaved()
        while unsaved:
            answer = ask(unsaved)
            if answer == "cancel":
                return False
            if answer == "quit":
                return True
            path = ask_path("Save a copy of the unsaved sessions",
                            "backrehab-unsaved-sessions.csv")
            if path is not None:
                problem = save_copy(path, unsaved)
                if problem is None:
                    return True
                tell(f"Not saved: {problem}", 15000)
        return True

    # --- Words ------------------------------------------------------------------------

    def describe(self, state: SaveState) -> str:
        """One session's save state, for its summary."""
        if state.saved:
            return "Saved in your history."
        if state.saving:
            return "Saving to your history\u2026"
        error = state.error or self.problem or UNAVAILABLE
        if state.journal_path is not None:
            return (f"Not in your history yet: {error} The session is kept safe in "
                    f"{state.journal_path} and goes into your history as soon as it can.")
        return f"Not saved: {error} {state.journal_error or ''}".strip()

    def notice(self) -> str:
        """The banner: what cannot be saved, and where it is kept meanwhile."""
        parts = []
        if self.problem:
            parts.append(f"Your history cannot be used right now: {self.problem} Sessions "
                         "still run; their results are kept in a recovery file and added to "
                         "your history when it opens again (Try again).")
        if self.recovery_message:
            parts.append(self.recovery_message)
        waiting = [r.state() for r in self.unsaved()]
        waiting = [s for s in waiting if not s.saving]
        kept = [s for s in waiting if s.journal_path is not None]
        lost = [s for s in waiting if s.journal_path is None]
        if kept:
            # The reason is said once: above when the history could not be opened at all.
            why = "" if self.problem else f" ({kept[-1].error})"
            parts.append(f"{_count(len(kept))} not in your history yet{why} "
                         f"{'is' if len(kept) == 1 else 'are'} kept safe in "
                         f"{kept[-1].journal_path}.")
        if lost:
            parts.append(f"{_count(len(lost))} could not be kept on disk: "
                         f"{lost[-1].journal_error or lost[-1].error}")
        if self.earlier:
            parts.append(f"{_count(len(self.earlier))} from an earlier run "
                         f"{'is' if len(self.earlier) == 1 else 'are'} waiting in a recovery "
                         "file and will be added to your history when it opens.")
        if self.writer.merge_problem:
            parts.append(self.writer.merge_problem)
        for problem in self.journal.problems:
            parts.append(problem)
        return "\n\n".join(parts)

    @property
    def needs_retry(self) -> bool:
        """Whether Try again has anything to do."""
        return bool(self.problem or self.earlier or any(
            not s.saving for s in (r.state() for r in self.unsaved())))

    # --- Reports from the writer -------------------------------------------------------

    def _on_written(self, kind: str) -> None:
        if self._closed:
            return
        if kind == "merged":
            self.earlier = self._journaled()
        if kind == "saved":
            # The history takes writes again: whatever waits goes in now, unasked.
            for recorder in self.unsaved():
                if not recorder.state().saving:
                    recorder.retry()
            if self.earlier:
                self.writer.merge_journal()
        self._forget_saved()
        self.sig_changed.emit(kind)

    def finished(self, recorder: SessionRecorder) -> None:
        """The session's window closed: nothing more will be added to it."""
        self._done.add(recorder)
        self._forget_saved()

    def _forget_saved(self) -> None:
        keep = [r for r in self.recorders if r not in self._done or (r.started and not r.saved)]
        self._done.intersection_update(keep)
        self.recorders = keep

    def _journaled(self) -> list[SessionDraft]:
        live = {r.key for r in self.recorders if r.key}
        return [d for d in self.journal.pending() if d.key not in live]

    # --- Closing -----------------------------------------------------------------------

    def close(self) -> None:
        """Finish the writes under way, then let go of the history. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self.writer.close()
        if self.store is not None:
            self.store.close()


def _count(n: int) -> str:
    return f"{n} session{'s' if n != 1 else ''}"


# --- Wiring a session ---------------------------------------------------------------------


def wire_recording(player: PlayerWindow, recorder: SessionRecorder,
                   wall_clock: Callable[[], datetime],
                   on_finished: Callable[[], None] = lambda: None) -> None:
    """Record what happens in a player window (each call only queues the write)."""
    controller = player.controller
    player.sig_started.connect(lambda pain: recorder.begin(wall_clock(), pain))
    controller.sig_exercise_finished.connect(recorder.exercise)
    controller.sig_finished.connect(lambda summary: (recorder.finish(summary), on_finished()))
    player.sig_feedback.connect(lambda pain, effort, note, lasted: recorder.feedback(
        pain, effort, note or None, lasted))


# --- Dialogs --------------------------------------------------------------------------


def ask_before_quitting(parent: QWidget | None, keeper: HistoryKeeper,
                        unsaved: Sequence[SessionRecorder]) -> str:
    """Ask what to do with sessions not in the history: 'copy', 'quit' or 'cancel'."""
    states = [r.state() for r in unsaved]
    lost = [s for s in states if not s.kept]
    kept = [s for s in states if s.kept]
    lines = [f"{_count(len(unsaved))} from today {'is' if len(unsaved) == 1 else 'are'} not "
             "in your history yet."]
    if kept:
        lines.append(f"Kept safe in {kept[-1].journal_path}: BackRehab adds "
                     f"{'it' if len(kept) == 1 else 'them'} to your history the next time "
                     "it can open it.")
    if lost:
        lines.append(f"{_count(len(lost))} could not be kept on disk "
                     f"({lost[-1].journal_error or lost[-1].error}). If you quit without "
                     "saving a copy, it is lost.")
    from PySide6.QtWidgets import QMessageBox  # its class and enums: when it is asked

    box = QMessageBox(QMessageBox.Icon.Warning, "Quit BackRehab?", "\n\n".join(lines),
                      QMessageBox.StandardButton.NoButton, parent)
    copy = box.addButton("Save a copy\u2026", QMessageBox.ButtonRole.AcceptRole)
    leave = box.addButton("Quit", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(copy if lost else leave)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    return "copy" if clicked is copy else "quit" if clicked is leave else "cancel"


def ask_copy_path(parent: QWidget | None, title: str, name: str) -> Path | None:
    """Where to save a CSV copy (None: cancelled)."""
    from PySide6.QtWidgets import QFileDialog

    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / name), "CSV (*.csv)")
    return Path(path) if path else None


def save_copy(path: Path, recorders: Sequence[SessionRecorder]) -> str | None:
    """Write the sessions as CSV; returns a plain problem, or None when written."""
    from ..infra import export  # csv loads only when someone saves a copy

    try:
        export.write_csv(path, [r.record() for r in recorders if r.started])
    except export.ExportError as err:
        return err.message
    return None
