"""The one place that builds the app's parts and wires them together.

Start-up order: what Today shows first (settings, routine files, history, the
Today view), and only then the rest (speech, sounds, tray and reminders, the
folder watcher), once Today is on screen (``today_first``). The modules for
sessions, forms, exports and settings load when first used.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QWidget

from ..core import adherence, advice
from ..core import model as m
from ..core.history import session_day
from ..core.holds import progress_lines
from ..core.hurt import easier_variant
from ..core.loading import Library, Problem
from ..core.next_day import NextDayCheck, due_check, session_names
from ..core.progression import HOLD, RESUME, STEP_BACK, DoseHistory, ProgressionChoice
from ..core.schedule import Enrolment, PlannedSession, ProgramCalendar
from ..core.setbacks import dose_history
from ..core.swaps import format_sensitive, parse_sensitive
from ..core.today import (
    SessionPreview,
    Today,
    TodayItem,
    for_person,
    planned_timeline,
    routine_for_day,
    session_preview,
    today,
)
from ..core.wording import form, plural
from ..infra import autostart, paths, routines
from ..infra.settings import Settings, SettingsStore, day_end_of, start_folder, with_folder
from ..infra.store import BUSY_TIMEOUT, HistoryStore, StoreError
from . import file_dialogs
from .clock import local_wall_clock
from .file_dialogs import FileDialogs
from .main_window import MainWindow
from .measure_prompts import MeasurePrompts
from .safety_gate import SafetyGate
from .saving import (
    HistoryKeeper,
    ask_before_quitting,
    save_copy,
    wire_recording,
)
from .screen_fit import ScreenWatch

if TYPE_CHECKING:
    from PySide6.QtCore import QUrl

    from ..core.history import SessionRecord
    from ..infra.audio_check import AudioChecker
    from ..infra.keep_awake import KeepAwake
    from ..infra.recorder import SessionRecorder
    from ..infra.sound import SoundPlayer
    from ..infra.speech import Speaker
    from .audio_notice import AudioNotice
    from .next_day_dialog import NextDayDialog
    from .player.window import PlayerWindow
    from .settings_view import SettingsView


class App(QObject):
    """Holds the long-lived parts: settings, library, history, speech, sounds, windows."""

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
        self.audio: AudioNotice | None = None  # in finish_start: nothing of it is on Today
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
        held sessions), the menus, speech (its engine starts in a thread), sounds and the
        check that sound plays at all, keeping the screen awake, the tray and reminders,
        the routines folder watcher, the Routines tab's preview and editors."""
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
        self.audio = AudioNotice(
            audio or (make_audio_check() if real_devices else FixedAudioCheck()),
            player=lambda: self.player, settings=lambda: self.settings_window, parent=self)
        self.speaker = speaker or make_speaker(
            self.settings.voice_enabled, voice=self.settings.voice_id or None,
            rate=self.settings.voice_rate, volume=self.settings.voice_volume)
        self.sounds = sounds or make_sound_player(self.settings.sounds_enabled,
                                                  paths.assets() / "sounds")
        self.keep_awake = keep_awake or make_keep_awake(True,
                                                        on_change=self.sig_keep_awake.emit)
        self.sig_keep_awake.connect(self._on_keep_awake)
        self.window.routines.set_preview(self.preview_routine)
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

    # --- Today -----------------------------------------------------------------------

    def today(self) -> date:
        """The person's day: before their end of day (settings) it is still yesterday."""
        return session_day(self.wall_clock(), day_end_of(self.settings))

    @property
    def sensitive(self) -> frozenset[m.SpineMove]:
        """The spine movements the person said make their pain worse."""
        return parse_sensitive(self.settings.spine_sensitive)

    def refresh(self) -> None:
        """Bring every view up to date: after start-up, a session, or a plan change."""
        if self._closed:
            return
        # Safety records and questionnaire answers waiting for the history, then notices.
        self.gate.retry()
        self.measures.retry()
        self._show_notices()
        if not self.screening_passed:
            self.today_view.set_blocked("Sessions wait for the safety check (Help \u2192 "
                                        "Welcome and safety check)")
            self.gate.ensure_shown()
            return
        enrolment = self.store.enrolment() if self.store else None
        program = self.library.programs.get(enrolment.program_id) if enrolment else None
        if enrolment is None or program is None:
            self.calendar = None
            if self.library.programs and not self.today_view.showing_form:
                self._show_enrol_form(None)
            return
        self.calendar = ProgramCalendar(program, enrolment)
        self.window.set_sensitive(self.sensitive)
        day = self.today()
        records = self._records(enrolment.start, day)
        checks, choices = self._pain_answers(enrolment.start)
        self.dose_history = dose_history(self.calendar, records, checks, choices)
        plan = today(self.calendar, self.library, records, day, self.sensitive,
                     self.dose_history)
        # One pass for the figures and this program week's days (to its end: the days
        # still to come show as such).
        week = self.calendar.week(day)
        week_days = [self.calendar.week_start(week) + timedelta(days=i)
                     for i in range(7)] if week >= 1 else []
        stats = adherence.compute(self.calendar, records, day,
                                  last=week_days[-1] if week_days else None)
        self.today_view.set_today(plan, self._focus(plan), self._stats(stats, day))
        self.today_view.set_week([(d, stats.day(d)) for d in week_days], day)
        self.today_view.set_progress(progress_lines(self.calendar, self.library,
                                                    self.dose_history, day))
        due = advice.due_advice(self.calendar, day, self.store.moved_on() if self.store
                                else ())
        self.today_view.set_advice(advice.phase_advice(self.calendar, records, due, day, checks)
                                   if due else None)
        self.window.set_calendar(self.calendar)
        self._plan = plan
        if self.tray is not None:  # at start-up, finish_start does this once Today is shown
            self.tray.set_today(plan)
            self.reminders.replan()
        if self.window.routines_built is not None:
            self.window.routines.show_details()  # doses follow the program week and swaps

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

    @staticmethod
    def _focus(plan: Today) -> str:
        phase = plan.plan.phase
        return phase.focus or "" if phase else ""

    @staticmethod
    def _stats(stats: adherence.Adherence, day: date) -> str:
        week = next((w for w in stats.weeks if w.first <= day <= w.last), None)
        parts = []
        if week is not None and week.planned:
            done = f"{week.credit:.1f}".removesuffix(".0")
            parts.append(f"This week: {done} of {plural(week.planned, 'session')} done "
                         f"({week.adherence:.0f}%)")
        parts.append(f"streak: {plural(stats.streak, 'week')} at "
                     f"{stats.target:.0f}% or more")
        parts.append(f"habit strength {stats.score:.0f}/100")
        return "  \u00b7  ".join(parts)

    def _library_notice(self) -> str:
        notices = []
        if self.library.set_aside:
            from .routines_view import set_aside_notice  # with its view: not for every start

            notices.append(set_aside_notice(self.library))
        others = [p for p in self.library.problems if p not in self.library.set_aside]
        if others:
            first = "\n".join(str(p) for p in others[:3])
            notices.append(f"{plural(len(others), 'problem')} in routine files; those entries are "
                           f"left out and everything else loaded:\n{first}")
        return "\n\n".join(notices)

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

    # --- Reminders and the tray ------------------------------------------------------

    def _build_reminders(self, tray_available: bool | None) -> None:
        from .tray import ReminderService, TrayIcon, should_hide_on_close

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

    # --- Enrolment and phases --------------------------------------------------------

    def _show_enrol_form(self, current: Enrolment | None) -> None:
        from .enrol_form import EnrolForm

        form = EnrolForm(self.library.programs, self.today(), current,
                         sensitive=self.sensitive)
        form.sig_enrol.connect(lambda enrolment: self.enrol(enrolment, form.sensitive()))
        form.sig_cancel.connect(self.today_view.close_form)
        self.today_view.show_form(form)
        self.window.show_today()

    def change_plan(self) -> None:
        self._show_enrol_form(self.store.enrolment() if self.store else None)

    def enrol(self, enrolment: Enrolment,
              sensitive: frozenset[m.SpineMove] | None = None) -> None:
        if sensitive is not None and sensitive != self.sensitive:
            self._save_settings(spine_sensitive=format_sensitive(sensitive))
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
        self.measures.after_enrolment()

    def _on_move_on(self, phase_id: str) -> None:
        if self._store_write(lambda: self.store.record_moved_on(phase_id)):
            self.refresh()

    def _on_repeat(self, phase_id: str) -> None:
        enrolment = self.store.enrolment() if self.store else None
        if enrolment and self._store_write(
                lambda: self.store.save_enrolment(enrolment.with_repeat(phase_id, 1))):
            self.refresh()

    def _on_progression(self, exercise: str, action: str) -> None:
        """Hold (from next week), step back (now) or resume (from next week) a progression."""
        if self.calendar is None:
            return
        week = self.calendar.week(self.today())
        choice = ProgressionChoice(exercise, week if action == STEP_BACK else week + 1,
                                   action)
        if self._store_write(lambda: self.store.record_progression_choice(choice)):
            self.refresh()

    # --- The next-day check ------------------------------------------------------------

    def next_day_due(self) -> date | None:
        """The session day to ask about now, or None (see core.next_day)."""
        if self.store is None or self.calendar is None or not self.screening_passed:
            return None
        day = self.today()
        records = self._records(day - timedelta(days=7), day)
        checks, _ = self._pain_answers(day - timedelta(days=7))
        about = due_check(records, checks, day)
        return None if about in self._asked_about else about

    def ask_next_day(self, then: Callable[[], object] | None = None) -> NextDayDialog | None:
        """Ask how the back is since the last session day, when due; ``then`` runs once it
        is answered or skipped (at once when nothing is due)."""
        if self.next_day_dialog is not None:
            # Already asking (a tray "Start" while the question is open): run this too.
            if then is not None:
                self._after_next_day.append(then)
            self.next_day_dialog.raise_()
            return self.next_day_dialog
        about = self.next_day_due()
        if about is None:
            if then is not None:
                then()
            return None
        day = self.today()
        names = session_names(self._records(about, about), about)
        from .next_day_dialog import NextDayDialog

        dialog = NextDayDialog(about, day, names, self.window)
        self._after_next_day = [then] if then is not None else []
        dialog.sig_answered.connect(lambda answer, pain: self._on_next_day(about, answer, pain))
        self.next_day_dialog = dialog
        self.window.show_today()
        dialog.open()
        return dialog

    def _on_next_day(self, about: date, answer: str | None, pain: int | None) -> None:
        self._asked_about.add(about)
        self.next_day_dialog = None
        check = NextDayCheck(about, self.wall_clock(), answer, pain)
        self._store_write(lambda: self.store.record_next_day(check))
        self.refresh()
        waiting, self._after_next_day = self._after_next_day, []
        for then in waiting[:1]:      # one session at a time: the first one asked for
            then()

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
        from ..core.engine import EngineSettings
        from ..core.history import routine_fingerprint
        from .player.controller import SessionController
        from .player.window import PlayerWindow

        if self.player is not None:
            self.player.raise_()
            self.player.activateWindow()
            return self.player
        if not self.screening_passed:
            # Safety first: no session before the red-flag screen says it is safe.
            self.safety_check()
            return None
        if self.gate.check_due():
            # The first session of a program week asks the emergency questions first.
            self.gate.show_check(lambda: self.start_routine(routine_id, planned))
            return None
        if self.next_day_due() is not None:
            # How did yesterday's session sit? Asked before today's first session.
            self.ask_next_day(lambda: self.start_routine(routine_id, planned))
            return None
        if self.ask_measures(lambda: self.start_routine(routine_id, planned)):
            return None
        routine, _note, day_plan, planned, week, program = self._as_done(routine_id, planned)
        dose_week, history = self._dose_week(day_plan, week)
        timeline = planned_timeline(self.library, routine, program, dose_week,
                                    prepare=float(self.settings.prepare_seconds),
                                    rest=float(self.settings.default_rest_seconds),
                                    history=history)
        engine_settings = EngineSettings(resume_prepare=float(self.settings.resume_seconds),
                                         countdown=self.settings.countdown_seconds,
                                         speech_wpm=float(self.settings.voice_rate))
        controller = SessionController(timeline, self.speaker, self.sounds, engine_settings,
                                       clock=self.clock)
        recorder = self.keeper.recorder(
            routine_id=routine.id, routine_name=routine.name,
            fingerprint=routine_fingerprint(routine, self.library.exercises),
            kind=planned.kind if planned else "extra",
            block=planned.block.value if planned and planned.block else None,
            program_week=week if day_plan and day_plan.started else None,
            phase_id=day_plan.phase.id if day_plan and day_plan.phase else None,
            item_weights=timeline.item_weights(), clock=self.clock)
        player = PlayerWindow(
            controller, self.library.exercises, self.library.images, self._voice_notice(),
            text_scale=self.settings.text_scale, safety=self.library.safety,
            easier_for=lambda ident: easier_variant(ident, self.library.exercises,
                                                    self.library.safety, self.sensitive),
            set_rest=float(self.settings.default_rest_seconds))
        self._wire_recording(player, recorder)
        player.sig_hurt.connect(lambda what, ident, name: self.gate.hurt(
            what, ident, name, self._session_id(recorder)))
        player.sig_hurt_action.connect(self.gate.hurt_action)
        player.sig_checked.connect(
            lambda yes: self.gate.checked(yes, f"During a session ({routine.name})."))
        player.restore_geometry(self.settings.player_geometry)
        self.screens.watch(player)
        player.sig_window_state.connect(self._on_player_state)
        player.sig_closed.connect(lambda _s, r=recorder: self._on_player_closed(r))
        self.player, self._recorder = player, recorder
        if self.settings.player_fullscreen:
            player.showFullScreen()
        elif self.settings.player_geometry:
            player.show()
        else:
            # The first session fills the screen: it is read from a mat two metres away
            # (a window of its own size cut the steps and squeezed the summary).
            player.showMaximized()
        self.keep_awake.start(f"Exercise session: {routine.name}")
        self.reminders.session_started()
        controller.sig_finished.connect(lambda _s: self.keep_awake.stop())
        player.begin()
        return player

    def _as_done(self, routine_id: str, planned: PlannedSession | None = None):
        """The routine as Start does it today: swapped for the person, in this program week;
        with the note saying what changed, the day's plan, the planned session, the week
        and the program."""
        routine = self.library.routines[routine_id]
        day_plan = self.calendar.day(self.today()) if self.calendar else None
        if planned is None and day_plan is not None:
            planned = next((p for p in day_plan.sessions if p.routine_id == routine_id), None)
        if planned is not None and day_plan is not None:
            routine, note = routine_for_day(self.library, day_plan, planned, self.sensitive)
        else:
            routine, note = for_person(self.library, routine, self.sensitive)
        week = day_plan.program_week if day_plan and day_plan.started else 1
        program = self.calendar.program if self.calendar else None
        return routine, note, day_plan, planned, week, program

    def _dose_week(self, day_plan, week: int) -> tuple[int, DoseHistory | None]:
        """The week to take doses for, and the history that changes them: the calendar
        week as given (holds after a flag, the person's choices) once the program has
        started, else the program week as planned."""
        if day_plan is not None and day_plan.started and self.dose_history is not None:
            return day_plan.week, self.dose_history
        return week, None

    def preview_routine(self, routine_id: str) -> SessionPreview:
        """What Start would do with this routine now, for the Routines tab to show first."""
        routine, note, day_plan, _planned, week, program = self._as_done(routine_id)
        dose_week, history = self._dose_week(day_plan, week)
        return session_preview(self.library, routine, program, dose_week, note,
                               prepare=float(self.settings.prepare_seconds),
                               rest=float(self.settings.default_rest_seconds),
                               history=history)
    def ask_measures(self, then: Callable[[], object]) -> bool:
        """PEG (weekly) and the PSFS (every two weeks) when due, one screen after the other,
        then ``then``; Skip goes straight on. False when none is due (``measure_prompts``)."""
        return self.measures.ask_due(then)

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

    def _voice_notice(self) -> str | None:
        if self.settings.voice_enabled or self.settings.sounds_enabled:
            no_sound = self.audio.take_for_player()
            if no_sound:
                return no_sound
        if self.speaker.available or not self.settings.voice_enabled or \
                self._voice_notice_shown or not self.speaker.reason:
            return None
        self._voice_notice_shown = True
        return f"{self.speaker.reason} The session still runs with sounds, captions and flashes."

    def _wire_recording(self, player: PlayerWindow, recorder: SessionRecorder) -> None:
        # Each call only queues the write: the window never waits for the disk.
        wire_recording(player, recorder, self.wall_clock, self._show_save_status)
        player.sig_retry_save.connect(self.retry_history)
        player.sig_save_copy.connect(lambda: self._save_copy(player, recorder))

    def _session_id(self, recorder: SessionRecorder) -> int | None:
        """The session's row in the history, for a safety record to point at: its start
        was written long before anything hurts; None when it is not in the history."""
        if self.store is None or not recorder.started:
            return None
        record = recorder.record()
        try:
            found = self.store.find_session(record.routine_id, record.started_at)
        except StoreError:
            return None
        return found.id if found is not None else None

    def _save_copy(self, player: PlayerWindow, recorder: SessionRecorder) -> None:
        path = self.ask_copy_path(player, "Save a copy of this session",
                                  "backrehab-session.csv")
        if path is not None:
            problem = save_copy(path, [recorder])
            if problem is not None:
                player.set_save_status(False, f"Not saved: {problem}")

    def _on_player_state(self, fullscreen: bool, geometry: str) -> None:
        values: dict[str, object] = {"player_fullscreen": fullscreen}
        if geometry:
            values["player_geometry"] = geometry
        self._save_settings(**values)

    def _on_player_closed(self, recorder: SessionRecorder) -> None:
        self.player, self._recorder = None, None
        self.keep_awake.stop()
        self.keeper.finished(recorder)
        self.refresh()
        self.reminders.session_ended()

    # --- Routine files ----------------------------------------------------------------

    def import_dialog(self) -> None:
        path = self.dialogs.open_file(self.window, "import", "Import a routine file",
                                      "Routine files (*.yaml *.yml)")
        if path:
            self.import_routine(path)

    def import_folder_dialog(self) -> None:
        # A sent folder sits in Downloads or on a stick: next time, start beside it.
        path = self.dialogs.choose_folder(self.window, "import",
                                          "Import a folder of routine files",
                                          remember_parent=True)
        if path:
            self.import_routine(path)

    def import_routine(self, source: Path) -> bool:
        """Check and copy in a routine file, or a folder of them with their pictures; show
        what happened in the Routines view."""
        from ..infra.routine_import import import_path

        view = self.window.routines
        try:
            result = import_path(source, self.data_dir)
        except OSError as err:
            where = f" ({err.filename})" if err.filename else ""
            view.show_message(f"Not imported: {err.strerror or err}{where}. Your routines "
                              "folder was not changed.")
            return False
        except Exception as err:  # noqa: BLE001 - a fault of ours must not close the app
            view.show_message(f"Not imported: BackRehab went wrong while importing "
                              f"{source.name} ({type(err).__name__}: {err}). Your routines "
                              "folder was not changed.")
            return False
        if not result.ok:
            count = len(result.problems)
            view.show_message(f"Not imported: {source.name} has {plural(count, 'problem')}, "
                              f"so nothing was copied. Fix {form(count, 'it', 'them')} (or "
                              "ask whoever sent it), then import it again.",
                              [str(p) for p in result.problems])
            return False
        self.reload_routines()
        files, pictures = len(result.routine_files), len(result.pictures)
        what = plural(files, "routine file") if source.is_dir() else source.name
        if pictures:
            what += f" with {plural(pictures, 'picture')}"
        view.show_message(f"Imported {what} into your routines folder"
                          + (f" (in the folder '{result.target.name}')." if source.is_dir()
                             or pictures else "."))
        return True

    def open_routines_folder(self) -> bool:
        """Show the routines folder in the file manager, or, when none opens, its path."""
        folder = paths.user_routines(self.data_dir)
        view = self.window.routines
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            view.show_message(f"Your routines folder could not be made ({err.strerror or err}). "
                              f"It should be here:\n{folder}")
            return False
        from PySide6.QtCore import QUrl

        if self.open_url(QUrl.fromLocalFile(str(folder))):
            return True
        # No file manager here (or no xdg-open to find one): the path, to copy.
        view.show_message("No file manager could be opened on this computer. Your routines "
                          f"folder is:\n{folder}\nSelect that line and copy it into a file "
                          "manager or a file dialog to open the folder.")
        return False

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

    def _load_library(self) -> Library:
        """The routine files; each file's failures are contained already (infra.routines),
        this is the last guard so that even a fault there leaves a working app."""
        try:
            return routines.load_for_app(self.data_dir)
        except Exception as err:  # noqa: BLE001
            problem = Problem(str(paths.user_routines(self.data_dir)),
                              f"BackRehab went wrong while loading the routine files, so none "
                              f"were loaded ({type(err).__name__}: {err})")
            return Library(problems=[problem], set_aside=[problem])

    def reload_routines(self) -> None:
        if self._closed:
            return  # a file change noticed while quitting
        self.library = self._load_library()
        self.window.set_library(self.library)
        self.reminders.set_names({r.id: r.name for r in self.library.routines.values()})
        self._rewatch()
        problems = [str(p) for p in self.library.problems if p not in self.library.set_aside]
        if problems:
            self.window.routines.show_message("Some routine files have problems; those "
                                              "entries are left out:", problems)
        self.refresh()

    # --- The routine editor, handouts, sending -----------------------------------------

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

    @staticmethod
    def _actions():
        from .editor import actions  # the editor loads when first used

        return actions

    def _bench_message(self, text: str) -> None:
        if text:
            self.window.routines.show_message(text)

    def edit_routine(self, routine_id: str | None, copy: bool = False) -> QWidget:
        """Open the routine editor on a new routine, a routine, or a copy of one."""
        from .editor.window import RoutineEditor

        routine = self.library.routines.get(routine_id) if routine_id else None
        editor = RoutineEditor(self.data_dir, self.library, routine, copy=copy)
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.sig_saved.connect(self._on_routine_saved)
        editor.sig_handout.connect(lambda r, e=editor: e.status.setText(
            self._actions().ask_handout(e, e.checked.library, r.id)))
        editor.sig_send.connect(lambda r, e=editor: e.status.setText(
            self._actions().ask_send(e, e.checked.library, r)))
        editor.destroyed.connect(lambda _o=None, e=editor: self.editors.remove(e)
                                 if e in self.editors else None)
        self.editors.append(editor)
        editor.resize(1280, 820)
        editor.show()
        return editor

    def edit_program(self) -> QWidget:
        """The program editor on the person's own program, else on a copy of the bundled one."""
        from .editor.document import is_bundled
        from .editor.program_form import ProgramEditor

        programs = list(self.library.programs.values())
        own = [p for p in programs if not is_bundled(Path(
            self.library.origins[("programs", p.id)].file))]
        editor = ProgramEditor(self.data_dir, self.library, (own or programs or [None])[0])
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.sig_saved.connect(lambda _id: self.reload_routines())
        editor.sig_handout.connect(lambda what, e=editor: e.status.setText(
            self._actions().ask_handout(e, *what)))
        editor.destroyed.connect(lambda _o=None, e=editor: self.editors.remove(e)
                                 if e in self.editors else None)
        self.editors.append(editor)
        editor.resize(900, 820)
        editor.show()
        return editor

    def _on_routine_saved(self, routine_id: str) -> None:
        self.reload_routines()
        self.window.routines.select(routine_id)

    # --- Exports -----------------------------------------------------------------------

    def export_dialog(self, kind: str) -> None:
        """Ask where, then write a CSV, ICS or PDF of the whole history."""
        suffix = {"csv": "CSV (*.csv)", "ics": "Calendar (*.ics)", "pdf": "PDF (*.pdf)"}[kind]
        path = self.dialogs.save_file(self.window, "export", "Export",
                                      f"backrehab-history.{kind}", suffix)
        if path:
            self.window.statusBar().showMessage(self.export(kind, path), 8000)

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
            records, where = export.read_for_export(self.store, self.calendar, first, last,
                                                    self.today())
            if kind == "csv":
                count = export.write_csv(path, records, where, self.library)
                return f"Saved {plural(count, 'row')} to {path}"
            if kind == "ics":
                planned = export.planned_between(
                    self.calendar, first, last + timedelta(days=28),
                    self._records(self.calendar.enrolment.start, self.today()),
                    self.today()) if self.calendar else []
                names, estimates = export.routine_details(self.library)
                count = export.write_ics(path, records, planned, names, estimates,
                                         where=where)
                return f"Saved {plural(count, 'event')} to {path}"
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

    def _on_record(self, kind: str) -> None:
        """File menu: a session done away from the laptop, backup or restore."""
        from . import record_actions

        action = {"away": record_actions.log_away, "backup": record_actions.backup,
                  "restore": record_actions.restore,
                  "measures": record_actions.ask_measures}[kind]
        message = action(self)
        if message:
            self.window.statusBar().showMessage(message, 10000)

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
            self.audio.attach_settings(view)

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
            from . import theme

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
        if self.settings.day_ends_at != old.day_ends_at and self.store is not None:
            self.store.day_end = day_end_of(self.settings)
            self.refresh()
        if self.settings.voice_enabled != old.voice_enabled:
            if self.player is None:
                # A running session keeps its speaker; the new one starts with the next.
                self.speaker.close()
            from ..infra.speech import make_speaker

            self.speaker = make_speaker(
                self.settings.voice_enabled, voice=self.settings.voice_id or None,
                rate=self.settings.voice_rate, volume=self.settings.voice_volume)
            self._voice_notice_shown = False
        else:
            self.speaker.configure(voice=self.settings.voice_id or None,
                                   rate=self.settings.voice_rate,
                                   volume=self.settings.voice_volume)
        if self.settings.sounds_enabled != old.sounds_enabled:
            from ..infra.sound import make_sound_player

            self.sounds = make_sound_player(self.settings.sounds_enabled,
                                            paths.assets() / "sounds")
        if (self.settings.voice_enabled and not old.voice_enabled) or \
                (self.settings.sounds_enabled and not old.sounds_enabled):
            self.audio.start()
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
        self.keeper.close()
