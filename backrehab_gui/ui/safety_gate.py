"""The red-flag gate in front of the program: it keeps the screening state (in the
settings), writes every answer, clearance and "Stop: it hurts" to the history with its
date, and shows the screen the state calls for: the first-run screening, the emergency
lock, or the weekly check before a session. The rules are ``core.screening``'s.

A history that cannot be written does not lose a record: it waits in memory and is
written when the history works again (``retry``). And the lock does not depend on the
settings file alone: an emergency answer in the history that no clearance followed
locks the program again, should the settings be lost or reset.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ..core.screening import (
    EventKind,
    SafetyEvent,
    ScreeningLocked,
    ScreeningState,
    after_check,
    after_clearance,
    after_screening,
    answered_event,
    check_due,
    emergency_flags,
    open_emergency,
)
from ..core.wording import form, plural
from ..infra.store_errors import StoreError
from .single_instance import bring_to_front

if TYPE_CHECKING:
    from ..core import hurt as h
    from .app import App
    from .first_run import Screening

# The screens (welcome, checks, the lock) load when one is shown: a person who has passed
# the screening starts on Today without them.

WEEKLY_LEAD = ("Before this week's first session: has any of these started, or got worse, "
               "since you last answered? Tick any that has.")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def _ids(text: str) -> frozenset[str]:
    return frozenset(i for i in text.split(",") if i)


class SafetyGate(QObject):
    """The screening as the app shows and keeps it."""

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.app = app
        self.pending: list[SafetyEvent] = []
        """Records the history could not take yet, oldest first."""
        self.problem = ""
        self._hurt: SafetyEvent | None = None
        self._restore_lock()

    # --- The state ----------------------------------------------------------------------

    @property
    def state(self) -> ScreeningState:
        s = self.app.settings
        emergency_on = _day(s.emergency_on)
        if emergency_on is None and (s.emergency_on or s.emergency_flags):
            # A damaged date must not lift the lock: it holds from today.
            emergency_on = self.app.today()
        return ScreeningState(screened_on=_day(s.screened_on), yes=_ids(s.red_flags),
                              cleared_on=_day(s.cleared_on), emergency_on=emergency_on,
                              emergency_yes=_ids(s.emergency_flags),
                              checked_on=_day(s.checked_on))

    def _save(self, state: ScreeningState, **more: object) -> None:
        def text(day: date | None) -> str:
            return day.isoformat() if day else ""

        self.app._save_settings(
            screened_on=text(state.screened_on), red_flags=",".join(sorted(state.yes)),
            cleared_on=text(state.cleared_on), emergency_on=text(state.emergency_on),
            emergency_flags=",".join(sorted(state.emergency_yes)),
            checked_on=text(state.checked_on), **more)

    @property
    def passed(self) -> bool:
        return self.app.settings.welcome_done and self.state.passed

    def check_due(self) -> bool:
        """Whether the next session starts with the weekly emergency questions."""
        calendar = self.app.calendar
        start = calendar.enrolment.start if calendar else None
        return check_due(self.state, self.app.library.safety, self.app.today(), start)

    def _restore_lock(self) -> None:
        s = self.app.settings
        if (s.emergency_on or s.emergency_flags) and _day(s.emergency_on) is None:
            # Damaged: the lock holds from today, and is saved so that it can be cleared
            # tomorrow like any other.
            self._save(self.state)
            return
        store = self.app.store
        if store is None or self.state.locked:
            return
        try:
            events = store.safety_events_between(date.min, date.max)
        except StoreError:
            return
        found = open_emergency(events)
        if found is not None:
            known = {f.id for f in emergency_flags(self.app.library.safety)}
            flags = frozenset(found.flags) & known or frozenset(found.flags)
            self._save(replace(self.state, emergency_on=found.local_date,
                               emergency_yes=flags))

    # --- Records --------------------------------------------------------------------------

    def record(self, event: SafetyEvent) -> SafetyEvent:
        """Write ``event`` to the history now, or keep it until the history can take it.
        Returns it with its row id once written."""
        self.pending.append(event)
        return self.retry().get(id(event), event)

    def retry(self) -> dict[int, SafetyEvent]:
        """Write the records waiting for the history, in order, stopping at the first
        refusal; returns those written, by the ``id()`` of the record given."""
        written: dict[int, SafetyEvent] = {}
        store = self.app.store
        while self.pending and store is not None:
            event = self.pending[0]
            try:
                stored = replace(event, id=store.record_safety_event(event))
            except StoreError as err:
                self.problem = err.message
                break
            written[id(event)] = stored
            if self._hurt is event:
                self._hurt = stored
            self.pending.pop(0)
        return written

    def notice(self) -> str:
        """What to tell the person while records wait for the history."""
        if not self.pending:
            return ""
        count = len(self.pending)
        return (f"{plural(count, 'safety record')} (red-flag answers, a doctor's clearance, "
                f"\"it hurts\" in a session) {form(count, 'is', 'are')} not in your history yet "
                f"({self.problem or 'the history could not be opened'}). BackRehab keeps "
                f"{form(count, 'it', 'them')} and tries again.")

    # --- Screens in the Today view ----------------------------------------------------------

    def show(self) -> None:
        """The first-run screening, or the lock while an emergency is open."""
        from .first_run import FirstRun
        from .safety_screens import LockScreen

        app = self.app
        state = self.state
        if state.locked:
            form: QObject = LockScreen(app.library.safety, state, app.today())
            form.sig_cleared.connect(self._on_cleared)
        else:
            program = next(iter(app.library.programs.values()), None)
            form = FirstRun(app.library.safety, program, tuple(sorted(state.yes)),
                            closable=self.passed)
            form.sig_closed.connect(self._on_closed)
            form.sig_screened.connect(self._on_screened)
            form.sig_not_now.connect(self._on_not_cleared)
            form.sig_emergency.connect(self._on_screened)
        app.today_view.close_form()
        app.today_view.show_form(form)
        app.window.show_today()

    def ensure_shown(self) -> None:
        """While not passed: the lock replaces any other form; otherwise a form the person
        is filling in (the screening itself, the plan) stays."""
        from .safety_screens import LockScreen

        view = self.app.today_view
        if self.state.locked:
            if not isinstance(view.pages.currentWidget(), LockScreen):
                self.show()
        elif not view.showing_form:
            self.show()

    def show_check(self, then: Callable[[], object]) -> None:
        """The weekly emergency questions; ``then`` runs when none of them applies."""
        from .safety_screens import QuickCheck

        app = self.app
        check = QuickCheck(app.library.safety, "A quick safety check", WEEKLY_LEAD)
        check.sig_answered.connect(lambda yes: self._on_weekly(yes, then))
        app.today_view.close_form()
        app.today_view.show_form(check)
        app.window.show_today()
        if not app.window.isVisible():
            # Started from the tray: the question must be seen, or nothing seems to happen.
            bring_to_front(app.window)
        check.none.setFocus()

    def _on_screened(self, screening: Screening) -> None:
        app = self.app
        try:
            state = after_screening(self.state, app.library.safety, screening.red_flags,
                                    screening.cleared, app.today())
        except ScreeningLocked:     # a screen left open from before the lock
            self.show()
            return
        self.record(answered_event(EventKind.SCREENING, app.library.safety,
                                   screening.red_flags, app.wall_clock()))
        if state.cleared_on is not None:
            self.record(SafetyEvent(app.wall_clock(), EventKind.CLEARED,
                                    detail="Said a doctor has cleared them to exercise."))
        self._save(state, welcome_done=True)
        app.today_view.close_form()
        app.refresh()

    def _on_closed(self) -> None:
        """Left the revisited welcome without answering again: the answers stand."""
        self.app.today_view.close_form()
        self.app.refresh()

    def _on_not_cleared(self, screening: Screening) -> None:
        app = self.app
        state = after_screening(self.state, app.library.safety, screening.red_flags, False,
                                app.today())
        self.record(answered_event(EventKind.SCREENING, app.library.safety,
                                   screening.red_flags, app.wall_clock()))
        self._save(state, welcome_done=True)
        app.today_view.close_form()
        app.today_view.set_notice(
            "The program waits until a doctor has cleared you to exercise. When they have, "
            "open Help → Welcome and safety check.")

    def _on_weekly(self, yes: tuple[str, ...], then: Callable[[], object]) -> None:
        self.checked(yes, "Weekly check.")
        self.app.today_view.close_form()
        if self.state.locked:
            self.app.refresh()      # shows the lock
        else:
            then()

    def checked(self, yes: tuple[str, ...], note: str) -> None:
        """The emergency questions were answered (weekly, or during a session)."""
        app = self.app
        self.record(answered_event(EventKind.CHECK, app.library.safety, yes,
                                   app.wall_clock(), note))
        self._save(after_check(self.state, app.library.safety, yes, app.today()))

    def _on_cleared(self) -> None:
        app = self.app
        state = self.state
        try:
            cleared = after_clearance(state, app.today())
        except ScreeningLocked:
            self.show()
            return
        self.record(SafetyEvent(
            app.wall_clock(), EventKind.EMERGENCY_CLEARED,
            tuple(sorted(state.emergency_yes)),
            f"Confirmed that a doctor has examined them since the urgent signs reported on "
            f"{state.emergency_on:%d %b %Y} and cleared exercise."))
        # Asked again next week, not now: the doctor has just seen these signs.
        self._save(replace(cleared, checked_on=app.today()))
        app.today_view.close_form()
        app.refresh()

    # --- "Stop: it hurts" in a session ------------------------------------------------------

    def hurt(self, what: h.Hurt, exercise_id: str | None, exercise_name: str | None,
             session_id: int | None) -> None:
        """Record what happened on the exercise, at once; the action follows."""
        from ..core import hurt as h

        self._hurt = self.record(SafetyEvent(
            self.app.wall_clock(), EventKind.HURT, detail=h.REPORT_WORDS[what],
            session_id=session_id, exercise_id=exercise_id, exercise_name=exercise_name,
            what=what.value))

    def hurt_action(self, action: h.Action) -> None:
        """What the person chose after the last "Stop: it hurts"."""
        event = self._hurt
        if event is None:
            return
        updated = replace(event, action=action.value)
        waiting = next((i for i, e in enumerate(self.pending) if e is event), None)
        if waiting is not None:
            self.pending[waiting] = self._hurt = updated
            self.retry()
            return
        self._hurt = updated
        try:
            if self.app.store is None or event.id is None:
                raise StoreError("the history could not be opened")
            self.app.store.set_safety_action(event.id, action.value)
        except StoreError as err:
            # Written again in full later: the store keeps one row per kind and time and
            # takes the action from the second write.
            self.problem = err.message
            self.pending.append(updated)
