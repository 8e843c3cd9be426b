"""Starting a session, as App does it: first the safety screening, the week's emergency
questions, the day-after question and the questionnaires, each in turn; then the routine
as it is done today (swaps, this week's doses), the player, and the recording and saving
of what was done.

A mixin for App (``app``), which builds and wires every part used here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..core.hurt import easier_variant
from ..core.next_day import NextDayCheck, due_check, session_names
from ..core.progression import DoseHistory
from ..core.schedule import PlannedSession
from ..core.today import (
    SessionPreview,
    TodayItem,
    for_person,
    planned_timeline,
    routine_for_day,
    session_preview,
)
from ..infra.store_errors import StoreError
from .saving import save_copy, wire_recording

if TYPE_CHECKING:
    from ..infra.recorder import SessionRecorder
    from .next_day_dialog import NextDayDialog
    from .player.window import PlayerWindow


class SessionStart:
    """Start a routine, and what comes before and after it; a mixin for App."""

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
