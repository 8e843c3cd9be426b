"""The one place that builds the app's parts and wires them together.

What the app does with those parts is mixed into App from modules named for it, which
make only what they open for a while (a session's player, an editor, the settings
screen) and wire only that: ``today_plan`` (what Today shows, the plan behind it),
``session_start`` (what comes before, during and after a session), ``routine_library``
(the routine files: loaded, reloaded, imported, edited), ``settings_apply`` (the
settings screen, its values put into effect) and ``export_actions`` (the File menu's
exports).

Start-up order: what Today shows first (settings, routine files, history, the
Today view), and only then the rest (speech, sounds, tray and reminders, the
folder watcher), once Today is on screen (``today_first``). The modules for
sessions, forms, exports and settings load when first used.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from ..core import model as m
from ..core.history import session_day
from ..core.loading import Library
from ..core.next_day import NextDayCheck
from ..core.progression import HOLD, RESUME, STEP_BACK, DoseHistory, ProgressionChoice
from ..core.schedule import ProgramCalendar
from ..core.swaps import parse_sensitive
from ..core.today import Today
from ..infra import paths
from ..infra.settings import Settings, SettingsStore, day_end_of, start_folder, with_folder
from ..infra.store import BUSY_TIMEOUT, HistoryStore
from ..infra.store_errors import StoreError
from . import file_dialogs
from .clock import local_wall_clock
from .export_actions import ExportActions
from .file_dialogs import FileDialogs
from .main_window import MainWindow
from .measure_prompts import MeasurePrompts
from .routine_library import RoutineLibrary
from .safety_gate import SafetyGate
from .saving import HistoryKeeper, ask_before_quitting
from .screen_fit import ScreenWatch
from .session_start import SessionStart
from .settings_apply import SettingsApply
from .today_plan import TodayPlan

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

    from ..core.history import SessionRecord
    from ..infra.audio import AudioOutput
    from ..infra.audio_check import AudioChecker
    from ..infra.keep_awake import KeepAwake
    from ..infra.recorder import SessionRecorder
    from ..infra.sound import SoundPlayer
    from ..infra.speech import Speaker
    from .audio_notice import AudioNotice
    from .next_day_dialog import NextDayDialog
    from .player.window import PlayerWindow


class App(TodayPlan, SessionStart, RoutineLibrary, SettingsApply, ExportActions, QObject):
    """Holds the long-lived parts: settings, library, history, speech, sounds, windows; builds
    them and wires them together. What it does with them is mixed in (see the module's
    docstring)."""

    sig_keep_awake = Signal()
    """Keeping the screen awake started or failed (reported from a helper thread)."""

    def __init__(self, data_dir: Path, *, speaker: Speaker | None = None,
                 sounds: SoundPlayer | None = None, keep_awake: KeepAwake | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], datetime] = local_wall_clock,
                 tray_available: bool | None = None,
                 window: MainWindow | None = None, settings: Settings | None = None,
                 audio: AudioChecker | None = None,
                 busy_timeout: float = BUSY_TIMEOUT, today_first: bool = False) -> None:
        """With ``today_first``, only Today is built now and ``finish_start`` must follow
        (once Today is on screen); otherwise everything is built at once."""
        super().__init__()
        self.data_dir = data_dir
        self.clock = clock
        self.wall_clock = wall_clock
        self.settings_store = SettingsStore(data_dir)
        self.settings: Settings = settings or self.settings_store.load()
        self.library: Library = self._load_library()
        self.keeper = HistoryKeeper(data_dir, busy_timeout=busy_timeout, merge_later=today_first)
        self.keeper.sig_changed.connect(self._on_history_changed)
        self.ask_quit = lambda unsaved: ask_before_quitting(self.window, self.keeper, unsaved)
        """What to do with sessions not in the history at quit: 'copy', 'quit', 'cancel'."""
        self.ask_copy_path = lambda parent, title, name: self.dialogs.save_file(
            parent, "export", title, name, "CSV (*.csv)")
        """Where to save a CSV copy (None: cancelled). Tests replace both dialogs."""
        self._closed = False
        self._set_day_end()
        self.gate = SafetyGate(self)
        self.measures = MeasurePrompts(self)
        self._given = (speaker, sounds, keep_awake, tray_available, audio)
        self.tray = None  # with the reminders, in finish_start
        # In finish_start: nothing of the sound device is on Today.
        self.audio_output: AudioOutput | None = None
        self.audio: AudioNotice | None = None
        self._plan: Today | None = None
        self._awake_notice_shown = False
        self.player: PlayerWindow | None = None
        self._recorder: SessionRecorder | None = None
        self.calendar: ProgramCalendar | None = None
        self.dose_history: DoseHistory | None = None
        """Flags and the person's progression choices: what decides the dose given."""
        self.next_day_dialog: NextDayDialog | None = None
        self._asked_about: set[date] = set()
        """Session days asked about in this run (the answer may not have been saved)."""
        self._after_next_day: list[Callable[[], object]] = []
        """What to do once the next-day question is answered (start a session)."""
        self._voice_notice_shown = False
        self.window = window or MainWindow()
        self.window.install(self.library)
        if window is None:
            self.window.restore(self.settings.main_geometry)
        # A saved place may be off every screen now, and screens change while we run.
        self.screens = ScreenWatch(self)
        self.screens.watch(self.window)
        self.window.sig_start.connect(lambda rid: self.start_routine(rid))
        self.window.sig_geometry.connect(lambda g: self._save_settings(main_geometry=g))
        self.window.sig_export.connect(self.export_dialog)
        self.window.sig_record.connect(self._on_record)
        self._history_tab = False
        self._add_history_tab()
        self.today_view = self.window.today
        self.today_view.sig_retry.connect(self.retry_history)
        self.today_view.sig_start.connect(self.start_item)
        self.today_view.sig_other_routines.connect(self.window.show_routines)
        self.today_view.sig_change_plan.connect(self.change_plan)
        self.today_view.sig_move_on.connect(self._on_move_on)
        self.today_view.sig_repeat.connect(self._on_repeat)
        self.today_view.sig_hold.connect(lambda e: self._on_progression(e, HOLD))
        self.today_view.sig_step_back.connect(lambda e: self._on_progression(e, STEP_BACK))
        self.today_view.sig_resume.connect(lambda e: self._on_progression(e, RESUME))
        self.window.sig_safety_check.connect(self.safety_check)
        self.window.sig_quit.connect(lambda: self.quit())
        self.window.may_close = self._window_may_close
        self.window.sig_settings.connect(self.open_settings)
        self.settings_window = None
        self.open_url: Callable[[QUrl], bool] = QDesktopServices.openUrl
        """Opens a folder in the file manager; tests pass their own."""
        # Every file dialog starts where its kind of file was last taken from or put.
        self.dialogs = FileDialogs(
            lambda kind: start_folder(self.settings, kind),
            lambda kind, folder: self._save_settings(
                last_folders=with_folder(self.settings, kind, folder).last_folders))
        file_dialogs.install(self.dialogs)
        """Opens a folder in the file manager; tests pass their own."""
        self.window.sig_import.connect(self.import_dialog)
        self.window.sig_import_folder.connect(self.import_folder_dialog)
        self.window.sig_open_folder.connect(self.open_routines_folder)
        self.refresh()
        if not today_first:
            self.finish_start()

    def finish_start(self) -> None:
        """Everything Today does not show: the recovery journal merged (Today follows if it
        held sessions), the menus, the sound device and the check that sound plays at all,
        speech (its engine starts in a thread), sounds, keeping the screen awake, the tray
        and reminders, the routines folder watcher, the Routines tab's preview and editors."""
        from ..infra.audio import make_audio_output
        from ..infra.audio_check import FixedAudioCheck, make_audio_check
        from ..infra.keep_awake import make_keep_awake
        from ..infra.sound import make_sound_player
        from ..infra.speech import make_speaker
        from . import accessible
        from .audio_notice import AudioNotice

        accessible.install()
        self.keeper.merge_journal()
        self.window.add_menus()
        speaker, sounds, keep_awake, tray_available, audio = self._given
        # Whether sound plays at all concerns the real voice and sounds, not a test's fakes.
        real_devices = speaker is None or sounds is None
        # One owner of the sound device for the voice and the sounds (infra/audio.py);
        # the check tries the very player it plays through.
        self.audio_output = make_audio_output()
        self.audio = AudioNotice(
            audio or (make_audio_check(output=self.audio_output) if real_devices
                      else FixedAudioCheck()),
            player=lambda: self.player, settings=lambda: self.settings_window, parent=self)
        self.speaker = speaker or make_speaker(
            self.settings.voice_enabled, voice=self.settings.voice_id or None,
            rate=self.settings.voice_rate, volume=self.settings.voice_volume,
            output=self.audio_output)
        self.sounds = sounds or make_sound_player(self.settings.sounds_enabled,
                                                  paths.assets() / "sounds",
                                                  output=self.audio_output)
        self.keep_awake = keep_awake or make_keep_awake(True,
                                                        on_change=self.sig_keep_awake.emit)
        self.sig_keep_awake.connect(self._on_keep_awake)
        self.window.routines.set_preview(self.preview_routine)
        self.today_view.set_preview(self.preview_routine)  # Today's "Up next"
        self._connect_bench()
        self._watch_routines()
        self._build_reminders(tray_available)
        if self._plan is not None:
            self.tray.set_today(self._plan)
        self.reminders.replan()
        self.tray.set_paused(self.reminders.paused)
        if self.settings.voice_enabled or self.settings.sounds_enabled:
            self.audio.start()

    @property
    def store(self) -> HistoryStore | None:
        return self.keeper.store

    @property
    def store_problem(self) -> str:
        return self.keeper.notice()

    def _set_day_end(self) -> None:
        """Sessions read back belong to the person's day (``day_ends_at``)."""
        if self.store is not None:
            self.store.day_end = day_end_of(self.settings)

    def show(self) -> None:
        self.window.show()

    def _make_history(self) -> QWidget:
        from .history_view import HistoryView  # charts and all, when first looked at

        view = HistoryView(self.store, self.library, self.calendar, self.today)
        view.sig_report_requested.connect(lambda: self.export_dialog("pdf"))
        return view

    # --- Shared by the parts: the person's day, their sessions, Today's notices --------

    def today(self) -> date:
        """The person's day: before their end of day (settings) it is still yesterday."""
        return session_day(self.wall_clock(), day_end_of(self.settings))

    @property
    def sensitive(self) -> frozenset[m.SpineMove]:
        """The spine movements the person said make their pain worse."""
        return parse_sensitive(self.settings.spine_sensitive)

    def _records(self, first: date, last: date) -> list[SessionRecord]:
        # Sessions not saved yet still count: they happened.
        end = day_end_of(self.settings)
        # Sessions not in the history yet count too; each belongs to the person's day.
        return [dataclasses.replace(r, local_date=session_day(r.started_at, end))
                for r in self.keeper.records_between(min(first, last), last)]

    def _pain_answers(self, first: date) -> tuple[list[NextDayCheck],
                                                   list[ProgressionChoice]]:
        """The next-day answers from ``first`` on and the progression choices."""
        if self.store is None:
            return [], []
        try:
            return self.store.next_day_checks(first), self.store.progression_choices()
        except StoreError:
            return [], []      # the history's own notice says what is wrong with it

    def _show_notices(self) -> None:
        notices = [n for n in (self.keeper.notice(), self._library_notice(),
                               self.gate.notice(), self.measures.notice()) if n]
        self.today_view.set_notice("\n\n".join(notices), retry=self.keeper.needs_retry)

    # --- The history: saving, trying again ---------------------------------------------

    def _add_history_tab(self) -> None:
        if self.store is not None and not self._history_tab:
            self._history_tab = True
            self.window.add_history(self._make_history)

    def retry_history(self) -> None:
        """Try again: open the history if it could not be, and write what is waiting."""
        self.keeper.retry()
        self._show_notices()
        self._show_save_status()

    def _on_history_changed(self, kind: str) -> None:
        if self._closed:
            return
        if kind in ("opened", "merged"):
            self._set_day_end()
            self._add_history_tab()
            self.refresh()
        elif kind == "saved" and self.player is None:
            self.refresh()     # what Today and its advice show follows what was written
        else:
            self._show_notices()
        self._show_save_status()

    def _show_save_status(self) -> None:
        recorder = self._recorder
        if self.player is None or recorder is None or not recorder.started:
            return
        state = recorder.state()
        self.player.set_save_status(state.saved, self.keeper.describe(state),
                                    busy=state.saving)

    def _store_write(self, write: Callable[[], None]) -> bool:
        if self.store is None:
            self.today_view.set_notice(self.store_problem)
            return False
        try:
            write()
        except StoreError as err:
            self.today_view.set_notice(f"Not saved: {err.message}")
            return False
        return True

    # --- Reminders and the tray ------------------------------------------------------

    def _build_reminders(self, tray_available: bool | None) -> None:
        from .reminder_service import ReminderService
        from .tray import TrayIcon, should_hide_on_close

        today = self.today
        self.reminders = ReminderService(
            self.settings, calendar=lambda: self.calendar,
            done_today=lambda: self._records(today(), today()), now=self.wall_clock,
            names={r.id: r.name for r in self.library.routines.values()},
            day_of=lambda moment: session_day(moment, day_end_of(self.settings)))
        self.tray = TrayIcon(available=tray_available)
        self.reminders.sig_due.connect(self.tray.notify)
        self.reminders.sig_pause_changed.connect(self._on_pause_changed)
        self.reminders.sig_day_changed.connect(lambda _day: self.refresh())
        self.tray.sig_open.connect(self.raise_window)
        self.tray.sig_start.connect(lambda rid: self.start_routine(rid))
        self.tray.sig_snooze.connect(self.reminders.snooze)
        self.tray.sig_pause_today.connect(self.reminders.pause_today)
        self.tray.sig_resume.connect(self.reminders.resume)
        self.tray.sig_dismissed.connect(self.reminders.dismiss)
        self.tray.sig_quit.connect(self.quit)
        self.window.hide_on_close = lambda: should_hide_on_close(self.settings,
                                                                 self.tray.available)

    def start_reminders(self, catch_up: bool = False) -> None:
        self.tray.show()
        self.reminders.start(catch_up=catch_up)

    def _on_pause_changed(self, day: str) -> None:
        self._save_settings(reminders_paused_on=day)
        self.tray.set_paused(bool(day))

    def quit(self) -> bool:
        """Quit (File > Quit, Ctrl+Q, the tray): ends a running session, asks about sessions
        not in the history, releases everything. False when the person chose to stay."""
        if not self._may_close():
            return False
        self.close()
        QApplication.quit()
        return True

    def _window_may_close(self) -> bool:
        # With a session on screen the app goes on in its window; else closing ends the app.
        return self._closed or self.player is not None or self._may_close()

    def _may_close(self) -> bool:
        """Whether the app may end now: a running session is stopped (if the person agrees)
        and sessions not in the history are kept, copied or knowingly left."""
        if self.player is not None:
            self.player.close()
            if self.player is not None:  # the person chose to keep going
                return False
        return self.keeper.may_quit(self.ask_quit, lambda title, name: self.ask_copy_path(
            self.window, title, name), self.window.statusBar().showMessage)

    # --- First run and safety screening -----------------------------------------------

    @property
    def screening_passed(self) -> bool:
        """Welcomed and screened, with no red flag open (``safety_gate``)."""
        return self.gate.passed

    def safety_check(self) -> None:
        """Show the welcome, red flags and checklist (first run, or revisited from the menu),
        or the lock while an emergency sign is open."""
        self.gate.show()

    # --- Bringing the app forward, keeping the screen awake ----------------------------

    def raise_window(self, token: str = "") -> None:
        """A second launch asked this copy to come to the front."""
        from .single_instance import bring_to_front

        bring_to_front(self.player or self.window, token)
        if self.player is None:
            self.ask_next_day()

    def _on_keep_awake(self) -> None:
        reason = self.keep_awake.reason
        if reason and not self._awake_notice_shown:
            self._awake_notice_shown = True
            self.window.statusBar().showMessage(reason, 15000)

    # --- The routine files' watcher; the Routines tab's editors, handouts, sending --------

    def _watch_routines(self) -> None:
        """Pick up edited or added routine files without a restart."""
        self._watcher = QFileSystemWatcher(self)
        self._reload_soon = QTimer(self)
        self._reload_soon.setSingleShot(True)
        # Editors save in bursts (write, rename, touch): reload once they settle.
        self._reload_soon.setInterval(400)
        self._reload_soon.setTimerType(Qt.TimerType.CoarseTimer)
        self._reload_soon.timeout.connect(self.reload_routines)
        self._watcher.directoryChanged.connect(lambda _p: self._reload_soon.start())
        self._watcher.fileChanged.connect(lambda _p: self._reload_soon.start())
        self._rewatch()

    def _connect_bench(self) -> None:
        view = self.window.routines
        view.sig_new.connect(lambda: self.edit_routine(None))
        view.sig_edit.connect(self.edit_routine)
        view.sig_handout.connect(lambda rid: self._bench_message(
            self._actions().ask_handout(self.window, self.library, rid)))
        view.sig_send.connect(lambda rid: self._bench_message(
            self._actions().ask_send(self.window, self.library, self.library.routines[rid])))
        view.sig_program.connect(self.edit_program)
        self.editors: list[QWidget] = []

    # --- The File menu's record actions ------------------------------------------------

    def _on_record(self, kind: str) -> None:
        """File menu: a session done away from the laptop, backup or restore."""
        from . import record_actions

        action = {"away": record_actions.log_away, "backup": record_actions.backup,
                  "restore": record_actions.restore,
                  "measures": record_actions.ask_measures}[kind]
        message = action(self)
        if message:
            self.window.statusBar().showMessage(message, 10000)

    # --- Settings and shutdown -------------------------------------------------------

    def _save_settings(self, **values: object) -> None:
        self.settings = self.settings.changed(**values)
        try:
            self.settings_store.save(self.settings)
        except OSError as err:
            # Losing a window size is not worth interrupting anyone for.
            print(f"backrehab: settings not saved: {err}", file=sys.stderr)

    def close(self) -> None:
        """Release everything: reminders, the tray, keep-awake, speech, the history (after
        the writes under way). Safe to call more than once (Quit, then the launcher)."""
        if self._closed:
            return
        self._closed = True
        if self.tray is not None:  # else closed before finish_start: none of it was made
            # A reload still waiting (the folder just changed, or a file was saved just
            # before closing) must not run on a closed history or on windows that are gone.
            self._reload_soon.stop()
            self._watcher.deleteLater()
            if self.settings_window is not None:
                self.settings_window.revert()   # ending: unsaved edits go without asking
                self.settings_window.close()
            if self.player is not None:
                self.player.confirm_stop = lambda: True  # ending: stop, keeping what was done
                self.player.close()
            self.reminders.stop()
            self.tray.close()
            self.keep_awake.stop()
            self.speaker.close()
            self.sounds.close()
        # Every clip still playing stops and its process is collected.
        if self.audio_output is not None:
            self.audio_output.close()
        self.keeper.close()
