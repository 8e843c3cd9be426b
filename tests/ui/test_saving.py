"""No session is lost, whatever keeps the history from opening at launch.

Each launch fault (another program holding the file, a file from a newer
version, a read-only data folder, a full disk) is made for real; a session is
run to the end, kept in the recovery journal, and is in the history once the
fault is gone: after Try again, or the next time the app opens.
"""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime, timedelta, timezone

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from backrehab_gui.infra import journal as journal_module
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.infra.store import FILE_NAME, HistoryStore, schema_version
from backrehab_gui.ui.app import App

MONDAY = datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=1)))
JOURNAL = journal_module.JOURNAL_NAME
ROUTINE = "breathing-break"


class Clocks:
    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    def local(self) -> datetime:
        return MONDAY + timedelta(seconds=self.now)


def prepare(folder) -> None:
    """A history with nothing in it, and the safety check done."""
    HistoryStore.open(folder).close()
    SettingsStore(folder).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                        checked_on=MONDAY.date().isoformat()))


def make_app(qtbot, folder, busy_timeout: float = 0.2) -> tuple[App, Clocks]:
    clocks = Clocks()
    app = App(folder, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=clocks.monotonic,
              wall_clock=clocks.local, busy_timeout=busy_timeout)
    qtbot.addWidget(app.window)
    return app, clocks


def run_session(app: App, clocks: Clocks, pain_after: int = 2):
    """Start, skip the question before, run to the end, answer the pain question."""
    player = app.start_routine(ROUTINE)
    assert player is not None
    QTest.keyClick(player, Qt.Key.Key_S)
    while not player.controller.finished:
        clocks.now += 0.5
        if player.controller.engine.current.is_open:
            player.controller.enter()
        player.controller.update_now()
    player._summary_view.pain_after.choose(pain_after)
    return player


def status(player) -> str:
    return player._summary_view.save_status.text()


def wait_kept(qtbot, player) -> str:
    qtbot.waitUntil(lambda: "kept safe in" in status(player), timeout=10000)
    return status(player)


def finish(qtbot, app: App, player) -> None:
    """Close the summary as a person does (the answers go with it)."""
    with qtbot.waitSignal(player.sig_closed):
        player._summary_view.close_button.click()
    assert app.player is None


def saved_sessions(folder) -> list:
    # Read-only, as an export does: a plain open would mark the running session interrupted.
    with HistoryStore.open(folder, read_only=True) as store:
        return store.all_sessions(with_results=True)


def wait_merged(qtbot, app: App, journal_file) -> None:
    qtbot.waitUntil(lambda: app.store is not None and not journal_file.exists(), timeout=10000)
    app.keeper.flush(10)


def test_a_history_locked_by_another_program_loses_nothing_and_try_again_works(
        qtbot, tmp_path, lock_history):
    prepare(tmp_path)
    locker = lock_history(tmp_path)
    app, clocks = make_app(qtbot, tmp_path)
    view = app.today_view
    assert app.store is None
    assert "another program" in view.notice.text() and view.retry_button.isVisibleTo(app.window)
    player = run_session(app, clocks)
    assert str(tmp_path / JOURNAL) in wait_kept(qtbot, player)
    # Try again while the file is still held: the reason is still given, never a blank.
    player._summary_view.retry_button.click()
    qtbot.waitUntil(lambda: "another program" in status(player) and "kept safe" in status(player),
                    timeout=10000)
    locker.release()
    player._summary_view.retry_button.click()
    qtbot.waitUntil(lambda: "Saved in your history" in status(player), timeout=10000)
    finish(qtbot, app, player)
    app.keeper.flush(10)
    (saved,) = app.store.all_sessions(with_results=True)
    assert (saved.routine_id, saved.status, saved.pain_after) == (ROUTINE, "completed", 2)
    assert saved.results and not (tmp_path / JOURNAL).exists()
    assert "History" in [app.window.tabs.tabText(i).replace("&", "")
                         for i in range(app.window.tabs.count())]
    assert not view.notice.isVisibleTo(app.window)
    app.close()


def test_a_history_from_a_newer_version_keeps_the_session_for_the_next_opening(
        qtbot, tmp_path):
    prepare(tmp_path)
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        conn.execute("PRAGMA user_version = 99")
    app, clocks = make_app(qtbot, tmp_path)
    assert app.store is None and "newer version" in app.today_view.notice.text()
    player = run_session(app, clocks, pain_after=4)
    wait_kept(qtbot, player)
    finish(qtbot, app, player)
    app.keeper.flush(10)
    # It counts today already, though the history could not take it.
    assert [r.routine_id for r in app._records(MONDAY.date(), MONDAY.date())] == [ROUTINE]
    app.close()
    # The person updates BackRehab (here: the file's format is one this version reads).
    with sqlite3.connect(tmp_path / FILE_NAME) as conn:
        conn.execute(f"PRAGMA user_version = {schema_version()}")
    again, _ = make_app(qtbot, tmp_path)
    wait_merged(qtbot, again, tmp_path / JOURNAL)
    (saved,) = again.store.all_sessions(with_results=True)
    assert (saved.status, saved.pain_after) == ("completed", 4)
    again.close()
    third, _ = make_app(qtbot, tmp_path)  # opening once more adds nothing
    third.keeper.flush(10)
    assert len(third.store.all_sessions()) == 1
    third.close()


def test_a_read_only_data_folder_keeps_the_session_in_the_state_folder(qtbot, disk):
    prepare(disk.path)
    disk.read_only()
    app, clocks = make_app(qtbot, disk.path)
    assert app.store is None and "read-only" in app.today_view.notice.text()
    player = run_session(app, clocks)
    (kept,) = [p for p in journal_module.fallback_files(disk.path)[:1]]
    assert str(kept) in wait_kept(qtbot, player)
    assert not (disk.path / JOURNAL).exists()
    finish(qtbot, app, player)
    disk.writable()
    app.today_view.retry_button.click()
    wait_merged(qtbot, app, kept)
    (saved,) = app.store.all_sessions()
    assert saved.status == "completed" and not app.keeper.unsaved()
    app.close()


def test_a_full_disk_is_called_full_and_loses_nothing(qtbot, disk):
    prepare(disk.path)
    disk.fill()
    app, clocks = make_app(qtbot, disk.path)
    notice = app.today_view.notice.text()
    assert app.store is None and "is full" in notice and "I/O" not in notice
    player = run_session(app, clocks)
    (fallback,) = journal_module.fallback_files(disk.path)[:1]
    assert str(fallback) in wait_kept(qtbot, player)
    finish(qtbot, app, player)
    disk.free()
    app.today_view.retry_button.click()
    wait_merged(qtbot, app, fallback)
    (saved,) = app.store.all_sessions()
    assert saved.status == "completed"
    app.close()


def test_a_history_locked_mid_session_is_completed_not_interrupted_on_the_next_opening(
        qtbot, tmp_path, lock_history):
    prepare(tmp_path)
    app, clocks = make_app(qtbot, tmp_path)
    player = app.start_routine(ROUTINE)
    assert player is not None
    QTest.keyClick(player, Qt.Key.Key_S)  # the session's row is written: 'running'
    app.keeper.flush(10)
    assert [s.status for s in saved_sessions(tmp_path)] == ["running"]
    locker = lock_history(tmp_path)
    while not player.controller.finished:
        clocks.now += 0.5
        if player.controller.engine.current.is_open:
            player.controller.enter()
        player.controller.update_now()
    wait_kept(qtbot, player)
    finish(qtbot, app, player)
    app.ask_quit = lambda unsaved: "quit"  # it is in the journal: nothing to copy
    assert app.quit()
    locker.release()
    # Opening marks the 'running' row interrupted; the journal then completes it.
    again, _ = make_app(qtbot, tmp_path)
    wait_merged(qtbot, again, tmp_path / JOURNAL)
    (saved,) = again.store.all_sessions(with_results=True)
    assert saved.status == "completed" and saved.ended_at > saved.started_at
    again.close()


def test_exercise_changes_never_wait_for_a_locked_history(qtbot, tmp_path, lock_history):
    prepare(tmp_path)
    app, clocks = make_app(qtbot, tmp_path, busy_timeout=2.0)  # as the app waits
    player = app.start_routine(ROUTINE)
    assert player is not None
    QTest.keyClick(player, Qt.Key.Key_S)
    app.keeper.flush(10)
    lock_history(tmp_path)
    recorder = app._recorder
    while not recorder.draft.results:  # up to the end of the first exercise
        clocks.now += 0.5
        if player.controller.engine.current.is_open:
            player.controller.enter()
        player.controller.update_now()
    # The window went on at once: the write is still waiting for the file behind it.
    assert recorder.state().saving
    qtbot.waitUntil(lambda: recorder.state().journal_path is not None, timeout=10000)
    player.confirm_stop = lambda: True
    player.close()
    app.ask_quit = lambda unsaved: "quit"
    app.quit()


def test_quitting_with_a_session_not_in_the_history_asks_and_can_save_a_copy(
        qtbot, tmp_path, lock_history, tmp_path_factory):
    prepare(tmp_path)
    lock_history(tmp_path)
    app, clocks = make_app(qtbot, tmp_path)
    player = run_session(app, clocks)
    wait_kept(qtbot, player)
    finish(qtbot, app, player)
    asked: list[int] = []

    def ask(unsaved) -> str:
        asked.append(len(unsaved))
        return answers.pop(0)

    answers = ["cancel"]
    app.ask_quit = ask
    assert not app.quit()  # the person stays
    assert asked == [1] and not app.speaker.closed and app.keeper.writer._thread.is_alive()
    copy = tmp_path_factory.mktemp("copy") / "session.csv"
    chosen: list[str] = []
    app.ask_copy_path = lambda parent, title, name: chosen.append(name) or copy
    answers = ["copy"]
    assert app.quit()
    assert asked == [1, 1] and chosen
    rows = list(csv.DictReader(copy.open(encoding="utf-8")))
    assert rows and {r["Routine id"] for r in rows} == {ROUTINE}
    assert app.speaker.closed and not app.keep_awake.active and app.tray.closed
    assert not app.keeper.writer._thread.is_alive()
    app.close()  # the launcher closes again: harmless


def test_the_quit_question_says_where_the_session_is_and_offers_a_copy(
        qtbot, tmp_path, lock_history):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from backrehab_gui.ui.saving import ask_before_quitting

    prepare(tmp_path)
    lock_history(tmp_path)
    app, clocks = make_app(qtbot, tmp_path)
    player = run_session(app, clocks)
    wait_kept(qtbot, player)
    finish(qtbot, app, player)
    seen: list[str] = []

    def answer(button: str) -> None:
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        seen.append(box.text())
        next(b for b in box.buttons() if b.text().startswith(button)).click()

    for button, expected in (("Save a copy", "copy"), ("Quit", "quit"), ("Cancel", "cancel")):
        QTimer.singleShot(0, lambda b=button: answer(b))
        assert ask_before_quitting(app.window, app.keeper, app.keeper.unsaved()) == expected
    assert "1 session from today is not in your history yet" in seen[0]
    assert str(tmp_path / JOURNAL) in seen[0]
    app.close()
