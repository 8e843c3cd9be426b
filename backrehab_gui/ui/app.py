"""The one place that builds the app's parts and wires them together."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

from ..core import adherence, advice
from ..core.engine import EngineSettings
from ..core.history import SessionRecord, routine_fingerprint
from ..core.loading import Library
from ..core.schedule import Enrolment, PlannedSession, ProgramCalendar
from ..core.today import Today, TodayItem, planned_timeline, today
from ..infra import autostart, paths, routines
from ..infra.audio import make_audio_output
from ..infra.keep_awake import KeepAwake, make_keep_awake
from ..infra.recorder import SessionRecorder
from ..infra.settings import Settings, SettingsStore
from ..infra.sound import SoundPlayer, make_sound_player
from ..infra.speech import Speaker, make_speaker
from ..infra.store import HistoryStore, StoreError
from . import theme
from .enrol_form import EnrolForm
from .first_run import FirstRun, Screening
from .main_window import MainWindow
from .player.controller import SessionController
from .player.window import PlayerWindow
from .single_instance import bring_to_front

if TYPE_CHECKING:
    from .settings_view import SettingsView
from .tray import ReminderService, TrayIcon, local_wall_clock, should_hide_on_close


class App(QObject):
    """Holds the long-lived parts: settings, library, history, speech, sounds, windows."""

    sig_keep_awake = Signal()
    """Keeping the screen awake started or failed (reported from a helper thread)."""

    def __init__(self, data_dir: Path, *, speaker: Speaker | None = None,
                 sounds: SoundPlayer | None = None, keep_awake: KeepAwake | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], datetime] = local_wall_clock,
                 tray_available: bool | None = None,
                 window: MainWindow | None = None, settings: Settings | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self.clock = clock
        self.wall_clock = wall_clock
        self.settings_store = SettingsStore(data_dir)
        self.settings: Settings = settings or self.settings_store.load()
        self.library: Library = routines.load_for_app(data_dir)
        self.store, self.store_problem = self._open_store()
        # One owner of the sound device for the voice and the sounds (infra/audio.py).
        self.audio = make_audio_output()
        self.speaker = speaker or make_speaker(
            self.settings.voice_enabled, voice=self.settings.voice_id or None,
            rate=self.settings.voice_rate, volume=self.settings.voice_volume, output=self.audio)
        self.sounds = sounds or make_sound_player(self.settings.sounds_enabled,
                                                  paths.assets() / "sounds", output=self.audio)
        self.keep_awake = keep_awake or make_keep_awake(True,
                                                        on_change=self.sig_keep_awake.emit)
        self.sig_keep_awake.connect(self._on_keep_awake)
        self._awake_notice_shown = False
        self.unsaved: list[SessionRecorder] = []
        self.player: PlayerWindow | None = None
        self.calendar: ProgramCalendar | None = None
        self._voice_notice_shown = False
        self.window = window or MainWindow()
        self.window.install(self.library)
        if window is None:
            self.window.restore(self.settings.main_geometry)
        self.window.sig_start.connect(lambda rid: self.start_routine(rid))
        self.window.sig_geometry.connect(lambda g: self._save_settings(main_geometry=g))
        self.window.sig_export.connect(self.export_dialog)
        if self.store is not None:
            self.window.add_history(self._make_history)
        self.today_view = self.window.today
        self.today_view.sig_start.connect(self.start_item)
        self.today_view.sig_other_routines.connect(self.window.show_routines)
        self.today_view.sig_change_plan.connect(self.change_plan)
        self.today_view.sig_move_on.connect(self._on_move_on)
        self.today_view.sig_repeat.connect(self._on_repeat)
        self.window.sig_safety_check.connect(self.safety_check)
        self.window.sig_quit.connect(lambda: self.quit())
        self.window.sig_settings.connect(self.open_settings)
        self.settings_window = None
        self.window.routines.sig_import.connect(self.import_dialog)
        self.window.routines.sig_open_folder.connect(self.open_routines_folder)
        self._watch_routines()
        self._build_reminders(tray_available)
        self.refresh()
        self.tray.set_paused(self.reminders.paused)

    def _open_store(self) -> tuple[HistoryStore | None, str]:
        try:
            store = HistoryStore.open(self.data_dir)
        except StoreError as err:
            return None, (f"Your history cannot be used right now: {err.message} Sessions "
                          "still run; their results stay in the app until it can save them.")
        return store, store.recovery_message or ""

    def show(self) -> None:
        self.window.show()

    def _make_history(self) -> QWidget:
        from .history_view import HistoryView  # charts and all, when first looked at

        view = HistoryView(self.store, self.library, self.calendar, self.today)
        view.sig_report_requested.connect(lambda: self.export_dialog("pdf"))
        return view

    # --- Today -----------------------------------------------------------------------

    def today(self) -> date:
        return self.wall_clock().date()

    def refresh(self) -> None:
        """Bring every view up to date: after start-up, a session, or a plan change."""
        self._retry_unsaved()
        notices = [n for n in (self.store_problem, self._library_notice(),
                               self._unsaved_notice()) if n]
        self.today_view.set_notice("\n\n".join(notices))
        if not self.screening_passed:
            if not self.today_view.showing_form:
                self.safety_check()
            return
        enrolment = self.store.enrolment() if self.store else None
        program = self.library.programs.get(enrolment.program_id) if enrolment else None
        if enrolment is None or program is None:
            self.calendar = None
            if self.library.programs and not self.today_view.showing_form:
                self._show_enrol_form(None)
            return
        self.calendar = ProgramCalendar(program, enrolment)
        day = self.today()
        records = self._records(enrolment.start, day)
        plan = today(self.calendar, self.library, records, day)
        self.today_view.set_today(plan, self._focus(plan), self._stats(records, day))
        due = advice.due_advice(self.calendar, day, self.store.moved_on() if self.store
                                else ())
        self.today_view.set_advice(advice.phase_advice(self.calendar, records, due, day)
                                   if due else None)
        self.window.set_calendar(self.calendar)
        self.tray.set_today(plan)
        self.reminders.replan()

    def _records(self, first: date, last: date) -> list[SessionRecord]:
        records: list[SessionRecord] = []
        if self.store is not None:
            try:
                records = self.store.sessions_between(min(first, last), last)
            except StoreError as err:
                self.store_problem = err.message
        # Sessions not saved yet still count: they happened.
        records += [r.record() for r in self.unsaved if r.started_at is not None]
        return records

    @staticmethod
    def _focus(plan: Today) -> str:
        phase = plan.plan.phase
        return phase.focus or "" if phase else ""

    def _stats(self, records: list[SessionRecord], day: date) -> str:
        stats = adherence.compute(self.calendar, records, day)
        week = next((w for w in stats.weeks if w.first <= day <= w.last), None)
        parts = []
        if week is not None and week.planned:
            done = f"{week.credit:.1f}".removesuffix(".0")
            parts.append(f"This week: {done} of {week.planned} sessions done "
                         f"({week.adherence:.0f}%)")
        parts.append(f"streak: {stats.streak} week{'s' if stats.streak != 1 else ''} at "
                     f"{stats.target:.0f}% or more")
        parts.append(f"habit strength {stats.score:.0f}/100")
        return "  \u00b7  ".join(parts)

    def _library_notice(self) -> str:
        if not self.library.problems:
            return ""
        first = "\n".join(str(p) for p in self.library.problems[:3])
        return (f"{len(self.library.problems)} problem(s) in routine files; those entries are "
                f"left out and everything else loaded:\n{first}")

    def _unsaved_notice(self) -> str:
        if not self.unsaved:
            return ""
        return (f"{len(self.unsaved)} session(s) are not in your history yet "
                f"({self.unsaved[-1].error}). BackRehab keeps them and tries again.")

    def _retry_unsaved(self) -> None:
        if self.store is None:
            return
        self.unsaved = [r for r in self.unsaved if not r.retry()]

    # --- Reminders and the tray ------------------------------------------------------

    def _build_reminders(self, tray_available: bool | None) -> None:
        today = self.today
        self.reminders = ReminderService(
            self.settings, calendar=lambda: self.calendar,
            done_today=lambda: self._records(today(), today()), now=self.wall_clock,
            names={r.id: r.name for r in self.library.routines.values()})
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

    def quit(self) -> None:
        if self.player is not None:
            self.player.close()
            if self.player is not None:  # the person chose to keep going
                return
        self.reminders.stop()
        self.tray.close()
        QApplication.quit()

    # --- First run and safety screening -----------------------------------------------

    @property
    def screening_passed(self) -> bool:
        """Welcomed and screened, with no red flag or cleared by a doctor since."""
        s = self.settings
        return s.welcome_done and bool(s.screened_on) and (not s.red_flags or
                                                            bool(s.cleared_on))

    def safety_check(self) -> None:
        """Show the welcome, red flags and checklist (first run, or revisited from the menu)."""
        previous = tuple(f for f in self.settings.red_flags.split(",") if f)
        program = next(iter(self.library.programs.values()), None)
        first_run = FirstRun(self.library.safety, program, previous)
        first_run.sig_screened.connect(self._on_screened)
        first_run.sig_not_now.connect(self._on_not_cleared)
        self.today_view.close_form()
        self.today_view.show_form(first_run)
        self.window.show_today()

    def _on_screened(self, screening: Screening) -> None:
        day = self.today().isoformat()
        self._save_settings(welcome_done=True, screened_on=day,
                            red_flags=",".join(screening.red_flags),
                            cleared_on=day if screening.red_flags and screening.cleared else "")
        self.today_view.close_form()
        self.refresh()

    def _on_not_cleared(self, screening: Screening) -> None:
        self._save_settings(welcome_done=True, screened_on=self.today().isoformat(),
                            red_flags=",".join(screening.red_flags), cleared_on="")
        self.today_view.close_form()
        self.today_view.set_notice(
            "The program waits until a doctor has cleared you to exercise. When they have, "
            "open Help → Welcome and safety check.")

    # --- Enrolment and phases --------------------------------------------------------

    def _show_enrol_form(self, current: Enrolment | None) -> None:
        form = EnrolForm(self.library.programs, self.today(), current)
        form.sig_enrol.connect(self.enrol)
        form.sig_cancel.connect(self.today_view.close_form)
        self.today_view.show_form(form)
        self.window.show_today()

    def change_plan(self) -> None:
        self._show_enrol_form(self.store.enrolment() if self.store else None)

    def enrol(self, enrolment: Enrolment) -> None:
        current = self.store.enrolment() if self.store else None
        if current and (current.program_id, current.start) == (enrolment.program_id,
                                                               enrolment.start):
            # Same program and start: keep the phases already repeated.
            enrolment = Enrolment(enrolment.program_id, enrolment.start,
                                  enrolment.session_days, enrolment.blocks, current.repeats)
        if not self._store_write(lambda: self.store.save_enrolment(enrolment)):
            return
        self.today_view.close_form()
        self.refresh()

    def _on_move_on(self, phase_id: str) -> None:
        if self._store_write(lambda: self.store.record_moved_on(phase_id)):
            self.refresh()

    def _on_repeat(self, phase_id: str) -> None:
        enrolment = self.store.enrolment() if self.store else None
        if enrolment and self._store_write(
                lambda: self.store.save_enrolment(enrolment.with_repeat(phase_id, 1))):
            self.refresh()

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

    # --- Sessions ----------------------------------------------------------------------

    def start_item(self, item: TodayItem) -> PlayerWindow | None:
        return self.start_routine(item.routine.id, item.planned)

    def start_routine(self, routine_id: str,
                      planned: PlannedSession | None = None) -> PlayerWindow | None:
        if self.player is not None:
            self.player.raise_()
            self.player.activateWindow()
            return self.player
        if not self.screening_passed:
            # Safety first: no session before the red-flag screen says it is safe.
            self.safety_check()
            return None
        routine = self.library.routines[routine_id]
        day_plan = self.calendar.day(self.today()) if self.calendar else None
        if planned is None and day_plan is not None:
            planned = next((p for p in day_plan.sessions if p.routine_id == routine_id), None)
        week = day_plan.program_week if day_plan and day_plan.started else 1
        program = self.calendar.program if self.calendar else None
        timeline = planned_timeline(self.library, routine, program, week,
                                    prepare=float(self.settings.prepare_seconds),
                                    rest=float(self.settings.default_rest_seconds))
        engine_settings = EngineSettings(resume_prepare=float(self.settings.resume_seconds),
                                         countdown=self.settings.countdown_seconds,
                                         speech_wpm=float(self.settings.voice_rate))
        controller = SessionController(timeline, self.speaker, self.sounds, engine_settings,
                                       clock=self.clock)
        recorder = SessionRecorder(
            self.store, routine_id=routine.id, routine_name=routine.name,
            fingerprint=routine_fingerprint(routine, self.library.exercises),
            kind=planned.kind if planned else "extra",
            block=planned.block.value if planned and planned.block else None,
            program_week=week if day_plan and day_plan.started else None,
            phase_id=day_plan.phase.id if day_plan and day_plan.phase else None,
            item_weights=timeline.item_weights(), unavailable=self.store_problem)
        player = PlayerWindow(controller, self.library.exercises, self.library.images,
                              self._voice_notice(), text_scale=self.settings.text_scale)
        self._wire_recording(player, controller, recorder)
        player.restore_geometry(self.settings.player_geometry)
        player.sig_window_state.connect(self._on_player_state)
        player.sig_closed.connect(lambda _s, r=recorder: self._on_player_closed(r))
        self.player = player
        if self.settings.player_fullscreen:
            player.showFullScreen()
        else:
            player.show()
        self.keep_awake.start(f"Exercise session: {routine.name}")
        self.reminders.session_started()
        controller.sig_finished.connect(lambda _s: self.keep_awake.stop())
        player.begin()
        return player

    def raise_window(self, token: str = "") -> None:
        """A second launch asked this copy to come to the front."""
        bring_to_front(self.player or self.window, token)

    def _on_keep_awake(self) -> None:
        reason = self.keep_awake.reason
        if reason and not self._awake_notice_shown:
            self._awake_notice_shown = True
            self.window.statusBar().showMessage(reason, 15000)

    def _voice_notice(self) -> str | None:
        if self.speaker.available or not self.settings.voice_enabled or \
                self._voice_notice_shown or not self.speaker.reason:
            return None
        self._voice_notice_shown = True
        return f"{self.speaker.reason} The session still runs with sounds, captions and flashes."

    def _wire_recording(self, player: PlayerWindow, controller: SessionController,
                        recorder: SessionRecorder) -> None:
        def status() -> None:
            player.set_save_status(recorder.saved, recorder.error or "")

        player.sig_started.connect(lambda pain: recorder.begin(self.wall_clock(), pain))
        controller.sig_exercise_finished.connect(
            lambda result: recorder.exercise(result, self.wall_clock()))
        controller.sig_finished.connect(
            lambda summary: (recorder.finish(summary, self.wall_clock()), status()))
        player.sig_feedback.connect(lambda pain, effort, note: recorder.feedback(
            pain, effort, note or None))
        player.sig_retry_save.connect(lambda: (recorder.retry(), status()))
        player.sig_save_copy.connect(lambda: self._save_copy(player, recorder))

    def _save_copy(self, player: PlayerWindow, recorder: SessionRecorder) -> None:
        from ..infra import export  # icalendar and csv load only when someone exports

        path, _ = QFileDialog.getSaveFileName(player, "Save a copy of this session",
                                              str(Path.home() / "backrehab-session.csv"),
                                              "CSV (*.csv)")
        if path:
            try:
                export.write_csv(Path(path), [recorder.record()])
            except export.ExportError as err:
                player.set_save_status(False, err.message)

    def _on_player_state(self, fullscreen: bool, geometry: str) -> None:
        values: dict[str, object] = {"player_fullscreen": fullscreen}
        if geometry:
            values["player_geometry"] = geometry
        self._save_settings(**values)

    def _on_player_closed(self, recorder: SessionRecorder) -> None:
        self.player = None
        self.keep_awake.stop()
        if recorder.started_at is not None and not recorder.saved:
            self.unsaved.append(recorder)
        self.refresh()
        self.reminders.session_ended()

    # --- Routine files ----------------------------------------------------------------

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Import a routine file",
                                              str(Path.home()), "Routine files (*.yaml *.yml)")
        if path:
            self.import_routine(Path(path))

    def import_routine(self, source: Path) -> bool:
        """Check and copy in a routine file; show what happened in the Routines view."""
        try:
            target, problems = routines.import_file(source, self.data_dir)
        except OSError as err:
            self.window.routines.show_message(f"Not imported: {err.strerror or err}")
            return False
        view = self.window.routines
        if problems:
            view.show_message(f"Not imported: {source.name} has {len(problems)} problem(s). "
                              "Fix them (or ask whoever sent it), then import it again.",
                              [str(p) for p in problems])
            return False
        self.reload_routines()
        view.show_message(f"Imported {source.name} into your routines folder.")
        return True

    def open_routines_folder(self) -> None:
        folder = paths.user_routines(self.data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

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

    def _rewatch(self) -> None:
        folder = paths.user_routines(self.data_dir)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        watched = set(self._watcher.files()) | set(self._watcher.directories())
        wanted = {str(folder), *(str(p) for p in routines.expand([folder]))}
        if wanted - watched:
            self._watcher.addPaths(sorted(wanted - watched))

    def reload_routines(self) -> None:
        self.library = routines.load_for_app(self.data_dir)
        self.window.set_library(self.library)
        self.reminders.set_names({r.id: r.name for r in self.library.routines.values()})
        self._rewatch()
        problems = [str(p) for p in self.library.problems]
        if problems:
            self.window.routines.show_message("Some routine files have problems; those "
                                              "entries are left out:", problems)
        self.refresh()

    # --- Exports -----------------------------------------------------------------------

    def export_dialog(self, kind: str) -> None:
        """Ask where, then write a CSV, ICS or PDF of the whole history."""
        suffix = {"csv": "CSV (*.csv)", "ics": "Calendar (*.ics)", "pdf": "PDF (*.pdf)"}[kind]
        default = Path.home() / f"backrehab-history.{kind}"
        path, _ = QFileDialog.getSaveFileName(self.window, "Export", str(default), suffix)
        if path:
            self.window.statusBar().showMessage(self.export(kind, Path(path)), 8000)

    def export(self, kind: str, path: Path, first: date | None = None,
               last: date | None = None) -> str:
        """Write an export; returns a sentence saying what happened."""
        from ..infra import export  # icalendar loads only when someone exports

        if self.store is None:
            return self.store_problem
        last = last or self.today()
        first = first or (self.calendar.enrolment.start if self.calendar
                          else last - timedelta(days=365))
        try:
            records = self.store.sessions_between(first, last, with_results=True)
            if kind == "csv":
                count = export.write_csv(path, records)
                return f"Saved {count} rows to {path}"
            if kind == "ics":
                planned = export.planned_between(self.calendar, first, last + timedelta(
                    days=28)) if self.calendar else []
                names, estimates = export.routine_details(self.library)
                count = export.write_ics(path, records, planned, names, estimates)
                return f"Saved {count} events to {path}"
            from .report import write_report

            write_report(path, store=self.store, library=self.library,
                         calendar=self.calendar,
                         program=self.calendar.program if self.calendar else None,
                         today=self.today(), first=first, last=last)
            return f"Saved the report to {path}"
        except (export.ExportError, StoreError) as err:
            return f"Not exported: {err.message}"
        except OSError as err:
            return f"Not exported: {err.strerror or err}"

    # --- The settings screen --------------------------------------------------------

    def open_settings(self) -> SettingsView:
        from .settings_view import SettingsView

        view = self.settings_window
        if view is None:
            view = SettingsView(self.settings, self.speaker, self.sounds, self.data_dir,
                                folder_note=self._folder_note())
            view.setWindowTitle("BackRehab settings")
            view.resize(900, 680)
            view.sig_saved.connect(self.apply_settings)
            view.sig_preview_theme.connect(self._preview_theme)
            view.sig_autostart.connect(self._on_autostart)
            view.sig_data_folder.connect(self._on_data_folder)
            self.settings_window = view
        view.set_settings(self.settings.changed(start_with_desktop=autostart.enabled()))
        view.show()
        view.raise_()
        view.activateWindow()
        return view

    def _folder_note(self) -> str:
        if os.environ.get(paths.HOME_ENV):
            return (f"${paths.HOME_ENV} is set, so BackRehab uses {self.data_dir} whatever "
                    "is chosen here.")
        return ""

    @staticmethod
    def _preview_theme(name: str, scale: float) -> None:
        app = QApplication.instance()
        if app is not None:
            theme.apply(app, name, scale)

    def apply_settings(self, new: Settings) -> None:
        """Save the settings screen's values and put each one into effect."""
        from .settings_view import SettingsView

        old = self.settings
        self.settings = SettingsView.merge(self.settings, new)
        try:
            self.settings_store.save(self.settings)
        except OSError as err:
            if self.settings_window is not None:
                self.settings_window.show_problem(
                    f"Not saved: {err.strerror or err}. The new settings apply until you quit.")
        self._preview_theme(self.settings.theme, self.settings.text_scale)
        if self.settings.voice_enabled != old.voice_enabled:
            if self.player is None:
                # A running session keeps its speaker; the new one starts with the next.
                self.speaker.close()
            self.speaker = make_speaker(
                self.settings.voice_enabled, voice=self.settings.voice_id or None,
                rate=self.settings.voice_rate, volume=self.settings.voice_volume,
                output=self.audio)
            self._voice_notice_shown = False
        else:
            self.speaker.configure(voice=self.settings.voice_id or None,
                                   rate=self.settings.voice_rate,
                                   volume=self.settings.voice_volume)
        if self.settings.sounds_enabled != old.sounds_enabled:
            self.sounds = make_sound_player(self.settings.sounds_enabled,
                                            paths.assets() / "sounds", output=self.audio)
        if self.settings_window is not None:
            self.settings_window.set_speaker(self.speaker)
            self.settings_window.set_sounds(self.sounds)
        self.reminders.set_settings(self.settings)

    def _on_autostart(self, on: bool) -> None:
        try:
            autostart.enable() if on else autostart.disable()
        except autostart.AutostartError as err:
            if self.settings_window is not None:
                self.settings_window.show_problem(err.message)
        self._save_settings(start_with_desktop=autostart.enabled())

    def _on_data_folder(self, folder: Path | None) -> None:
        try:
            paths.choose_data_dir(folder)
        except OSError as err:
            if self.settings_window is not None:
                self.settings_window.show_problem(
                    f"The folder was not changed: {err.strerror or err}")

    # --- Settings and shutdown -------------------------------------------------------

    def _save_settings(self, **values: object) -> None:
        self.settings = self.settings.changed(**values)
        try:
            self.settings_store.save(self.settings)
        except OSError as err:
            # Losing a window size is not worth interrupting anyone for.
            print(f"backrehab: settings not saved: {err}", file=sys.stderr)

    def close(self) -> None:
        if self.settings_window is not None:
            self.settings_window.close()
        self.reminders.stop()
        self.tray.close()
        self.keep_awake.stop()
        self.speaker.close()
        self.audio.close()
        if self.store is not None:
            self.store.close()
