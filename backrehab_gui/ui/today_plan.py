"""What Today shows and the plan behind it: every view brought up to date from the program
followed and the history (the day's sessions, the week, the figures, progressions and
advice); the program chosen or changed, phases moved on from or repeated, progressions
held, stepped back or resumed.

A mixin for App (``app``), which builds and wires every part used here.
"""

from __future__ import annotations

from datetime import date, timedelta

from ..core import adherence, advice
from ..core import model as m
from ..core.holds import progress_lines
from ..core.progression import STEP_BACK, ProgressionChoice
from ..core.schedule import Enrolment, ProgramCalendar
from ..core.setbacks import dose_history
from ..core.swaps import format_sensitive
from ..core.today import Today, today
from ..core.wording import plural


class TodayPlan:
    """Today brought up to date, and the person's plan changed; a mixin for App."""

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
