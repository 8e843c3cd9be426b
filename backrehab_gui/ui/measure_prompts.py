"""When the app asks the questionnaires itself, and what it keeps of the answers.

PEG comes at the first session of each program week (``core.measures.asking_week``, the
same week as the red-flag check, which comes first), the PSFS right after enrolling and
then every two weeks, at the start of a session. Both are skippable, and a skip is
stored, so the question waits for its next due point instead of coming back at every
session. A session is never held up: Skip (or Esc) goes straight on to it, skipping
every questionnaire due at that moment.

Only with a program: PEG's week is a program week, and the PSFS starts at enrolment.
An answer or skip the history cannot take waits in memory and is written later, like
an unsaved session; the File menu ("How has my back been?") asks at any time.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from ..core.records import record_class
from ..core.wording import form, plural
from ..infra.store_errors import StoreError
from .single_instance import bring_to_front

if TYPE_CHECKING:
    from ..core import measures as ms
    from .app import App
    from .measure_screens import PegScreen, PsfsScreen

# The questionnaires, their scoring and their screens load when first asked about (before
# a session), not at start-up: nothing of them shows on Today.


@record_class
class _Pending:
    """An answer (``answer``) or a skip (``kind``, ``day``) not written yet."""

    at: datetime
    answer: ms.Answer | None = None
    kind: str = ""
    day: date | None = None


class MeasurePrompts(QObject):
    """Asks PEG and the PSFS when due, and stores the answers and skips."""

    def __init__(self, app: App) -> None:
        super().__init__(app)
        self.app = app
        self.pending: list[_Pending] = []
        self.problem = ""

    # --- What is due --------------------------------------------------------------------

    def due(self) -> list[str]:
        """The questionnaires due now (PEG, then PSFS); none without a program or a
        readable history."""
        from ..core import measures as ms
        from ..infra.record import read_answers, read_skips

        app = self.app
        if app.calendar is None or app.store is None:
            return []
        try:
            answers = read_answers(app.store)
            skips = read_skips(app.store)
        except StoreError:
            return []
        for waiting in self.pending:
            if waiting.answer is not None:
                answers.append(waiting.answer)
            elif waiting.day is not None:
                skips.setdefault(waiting.kind, []).append(waiting.day)
        today = app.today()
        first, last = ms.asking_week(today, app.calendar.enrolment.start)
        kinds = []
        if ms.peg_due(answers, first, last, skips.get(ms.PEG, ())):
            kinds.append(ms.PEG)
        if ms.psfs_due(answers, today, skips.get(ms.PSFS, ())):
            kinds.append(ms.PSFS)
        return kinds

    # --- Asking -------------------------------------------------------------------------

    def ask_due(self, then: Callable[[], object]) -> bool:
        """Before a session: show the first questionnaire due; ``then`` (the session)
        runs once every one due is answered or skipped. False when none is due."""
        kinds = self.due()
        if not kinds:
            return False
        self._show(kinds, then, "Skip and start the session")
        return True

    def after_enrolment(self) -> None:
        """Right after enrolling: the PSFS, if due (name the activities and rate them)."""
        from ..core import measures as ms

        if ms.PSFS in self.due():
            self._show([ms.PSFS], self.app.refresh, "Skip for now")

    def _show(self, kinds: list[str], then: Callable[[], object], skip_text: str,
              number: int = 1, total: int = 0) -> None:
        """Show ``kinds[0]``; the rest of ``kinds`` (still due) follow, then ``then``."""
        from ..core import measures as ms
        from .measure_screens import PegScreen, PsfsScreen

        app = self.app
        total = total or len(kinds)
        step = f"  ({number} of {total})" if total > 1 else ""
        screen: PegScreen | PsfsScreen
        if kinds[0] == ms.PEG:
            screen = PegScreen(step, skip_text)
        else:
            screen = PsfsScreen(self._activities(), step, skip_text)

        def answered(given: tuple) -> None:
            self._keep(_Pending(app.wall_clock(), self._answer(kinds[0], given)))
            app.today_view.close_form()
            app.refresh()   # History charts the new score
            rest = [k for k in kinds[1:] if k in self.due()]
            if rest:
                self._show(rest, then, skip_text, number + 1, total)
            else:
                then()

        screen.sig_answered.connect(answered)
        screen.sig_skipped.connect(lambda: self._on_skipped(kinds, then))
        app.today_view.close_form()
        app.today_view.show_form(screen)
        app.window.show_today()
        if not app.window.isVisible():
            # Started from the tray: the question must be seen, or nothing seems to happen.
            bring_to_front(app.window)
        screen.start()

    def _answer(self, kind: str, given: tuple) -> ms.Answer:
        from ..core import measures as ms

        day = self.app.today()
        if kind == ms.PEG:
            return ms.peg(day, *given)
        activities, ratings = given
        return ms.psfs(day, activities, ratings)

    def _activities(self) -> tuple[str, ...]:
        from ..core import measures as ms
        from ..infra.record import read_answers

        try:
            answers = read_answers(self.app.store) if self.app.store else []
        except StoreError:
            answers = []
        answers += [p.answer for p in self.pending if p.answer is not None]
        return ms.psfs_activities(answers)

    # --- The answers ----------------------------------------------------------------------

    def _on_skipped(self, kinds: list[str], then: Callable[[], object]) -> None:
        now, day = self.app.wall_clock(), self.app.today()
        for kind in kinds:      # "straight on": nothing else is asked this time
            self._keep(_Pending(now, kind=kind, day=day))
        self.app.today_view.close_form()
        then()

    # --- Writing -------------------------------------------------------------------------

    def _keep(self, item: _Pending) -> None:
        self.pending.append(item)
        self.retry()

    def retry(self) -> None:
        """Write what waits for the history, in order, stopping at the first refusal."""
        store = self.app.store
        while self.pending and store is not None:
            from ..infra.record import save_answer

            item = self.pending[0]
            try:
                if item.answer is not None:
                    save_answer(store, item.answer, item.at)
                elif item.day is not None:
                    store.skip_measure(item.kind, item.day, item.at)
            except StoreError as err:
                self.problem = err.message
                return
            self.pending.pop(0)

    def notice(self) -> str:
        """What to tell the person while answers wait for the history."""
        if not self.pending:
            return ""
        count = len(self.pending)
        return (f"{plural(count, 'questionnaire answer')} {form(count, 'is', 'are')} not in "
                f"your history yet ({self.problem or 'the history could not be opened'}). "
                f"BackRehab keeps {form(count, 'it', 'them')} and tries again.")
