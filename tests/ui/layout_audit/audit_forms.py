"""The forms and dialogs for the layout audit: the safety screens (the lock an urgent
answer puts on the program, the weekly check), the questionnaires, the next-day check,
and the therapist's bench (routine and program editors, a new exercise, the handout's
options).

The forms show in the main window's Today tab, where the app puts them; dialogs and the
editors are windows of their own. Each is built once; its state is set when shown.
"""

from __future__ import annotations

from datetime import timedelta

import audit_history as data
from audit_scenes import Scenes
from PySide6.QtWidgets import QDialog, QWidget

from backrehab_gui.core.next_day import WORSE
from backrehab_gui.core.screening import ScreeningState, emergency_flags
from backrehab_gui.ui.editor import actions
from backrehab_gui.ui.editor.actions import HandoutOptions
from backrehab_gui.ui.editor.exercise_form import ExerciseForm
from backrehab_gui.ui.editor.program_form import ProgramEditor
from backrehab_gui.ui.editor.source_form import SourceForm
from backrehab_gui.ui.editor.window import RoutineEditor
from backrehab_gui.ui.measure_screens import PegScreen, PsfsScreen
from backrehab_gui.ui.next_day_dialog import NextDayDialog
from backrehab_gui.ui.safety_gate import WEEKLY_LEAD
from backrehab_gui.ui.safety_screens import LockScreen, QuickCheck

ACTIVITIES = ("lifting my granddaughter out of her car seat without a twinge",
              "sitting through a whole film at the cinema",
              "putting on socks and shoes standing up",
              "gardening: weeding the vegetable beds for an hour",
              "carrying the shopping up three flights of stairs")
"""Five activities near the longest the PSFS takes (80 characters)."""


def _in_today(scenes: Scenes, key: str, build) -> QWidget:
    """A form in the Today tab of the enrolled app's window, as the app shows it."""
    app = scenes.app("enrolled")
    view = app.today_view

    def add() -> QWidget:
        form = build(app)
        view.pages.addWidget(form)
        return form
    form = scenes.once(f"form:{key}", add)
    tabs = app.window.tabs
    tabs.setCurrentIndex(next(i for i in range(tabs.count())
                              if tabs.tabText(i).replace("&", "") == "Today"))
    view.pages.setCurrentWidget(form)
    return app.window


# --- Safety -------------------------------------------------------------------------------


def _lock(scenes: Scenes, clearable: bool) -> QWidget:
    """Every urgent sign answered yes: today (get help today), or days ago (a doctor's
    clearance can be confirmed)."""
    def build(app) -> LockScreen:
        safety = app.library.safety
        on = data.TODAY - timedelta(days=3 if clearable else 0)
        state = ScreeningState(screened_on=on, emergency_on=on, checked_on=on,
                               emergency_yes=frozenset(f.id for f in emergency_flags(safety)))
        return LockScreen(safety, state, data.TODAY)
    return _in_today(scenes, f"lock-{clearable}", build)


def _weekly_check(scenes: Scenes) -> QWidget:
    return _in_today(scenes, "weekly-check", lambda app: QuickCheck(
        app.library.safety, "A quick safety check", WEEKLY_LEAD))


# --- Questionnaires -------------------------------------------------------------------------


def _peg(scenes: Scenes) -> QWidget:
    def build(_app) -> PegScreen:
        screen = PegScreen("  (1 of 2)", "Skip this week")
        screen.ratings[0].choose(6)
        screen.show_problem("Answer all three questions, or skip them for this week.")
        return screen
    return _in_today(scenes, "peg", build)


def _psfs(scenes: Scenes, rating: bool) -> QWidget:
    def build(_app) -> PsfsScreen:
        if rating:
            screen = PsfsScreen(ACTIVITIES, "  (2 of 2)", "Skip for now")
            screen.ratings[0].choose(3)
            return screen
        screen = PsfsScreen((), "  (2 of 2)", "Skip for now")
        screen.names[0].setText(ACTIVITIES[0])
        screen._on_next()  # too few named: the problem shows under the fields
        return screen
    return _in_today(scenes, f"psfs-{rating}", build)


# --- Dialogs and windows of their own -----------------------------------------------------------


def _next_day(scenes: Scenes, worse: bool) -> QWidget:
    def build() -> NextDayDialog:
        dialog = NextDayDialog(data.TODAY - timedelta(days=1), data.TODAY,
                               ["Phase 2: Strength", "Evening strength and stretch"])
        if worse:
            dialog.choose(WORSE)
            dialog.scale.choose(6)
        return dialog
    return scenes.once(f"next-day-{worse}", build)


def _editor(scenes: Scenes, problems: bool) -> QWidget:
    """A bundled routine opened (as a copy), its first exercise chosen; with
    ``problems``, the name emptied: the problem shows at the field and below."""
    def build() -> RoutineEditor:
        app = scenes.app("enrolled")
        editor = RoutineEditor(app.data_dir, app.library,
                               app.library.routines["phase-2-strength"])
        if problems:
            editor.name.setText("")
            editor.check_now()
        return editor
    return scenes.once(f"editor-{problems}", build)


def _exercise_form(scenes: Scenes) -> QWidget:
    """A new exercise, Add pressed with nothing filled in: every problem at its field."""
    def build() -> ExerciseForm:
        editor = _editor(scenes, False)
        form = ExerciseForm(editor.library, editor.document.path.parent, editor.taken_ids(),
                            editor.check_exercise)
        form.try_accept()
        return form
    return scenes.once("exercise-form", build)


def _source_form(scenes: Scenes) -> QWidget:
    """A new source for a dose, Add pressed with a long title and no link yet: the
    problem shows under the title."""
    def build() -> SourceForm:
        editor = _editor(scenes, False)
        form = editor.source_form(editor.item_editor.dose)
        form.setParent(None)
        form.title.setText("A title pasted from a paper " * 6)
        form.edits["author"].setText("Jordan Lee, PT")
        form.try_accept()
        return form
    return scenes.once("source-form", build)


def _program_editor(scenes: Scenes) -> QWidget:
    def build() -> ProgramEditor:
        app = scenes.app("enrolled")
        return ProgramEditor(app.data_dir, app.library, app.library.programs[data.PROGRAM])
    return scenes.once("program-editor", build)


def _handout_options(scenes: Scenes) -> QWidget:
    """The options before a routine is sent to the patient (its intro is the longer)."""
    def build() -> HandoutOptions:
        library = scenes.app("enrolled").library
        asked: list[HandoutOptions] = []
        shown = HandoutOptions.exec
        HandoutOptions.exec = lambda dialog: asked.append(dialog) or \
            QDialog.DialogCode.Rejected
        try:
            actions.ask_send(None, library, library.routines["phase-2-strength"])
        finally:
            HandoutOptions.exec = shown
        return asked[0]
    return scenes.once("handout-options", build)
