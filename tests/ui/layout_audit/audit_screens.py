"""Every screen a person meets, built once and put into a given state on demand.

The layout audit (``test_layout_audit.py``) and the contact-sheet script
(``scripts/layout_contact_sheet.py``) both go through ``SCREENS``: a list of
``Screen(name, show)``, where ``show(scenes)`` puts that screen into its state and
returns the window to measure. A new screen is one more entry: build what it needs
once (``Scenes.once``), then set its state in ``show``, cheaply, since it runs once
per size, text size and theme.

The stage (``Scenes``, ``settle``) is in ``audit_scenes``; the player's screens in
``audit_player``; the safety screens, questionnaires, dialogs and editors in
``audit_forms``; this module has the first run and the main window's tabs. Everything
runs on made-up clocks in temporary data folders, so every run shows the same thing:
the made-up history in ``audit_history``.
"""

from __future__ import annotations

import audit_forms as forms
import audit_history as data
import audit_player as player
from audit_scenes import SIZES, TEXT_SCALES, THEMES, Scenes, Screen, settle
from PySide6.QtWidgets import QWidget

from backrehab_gui.infra.audio_check import BUSY
from backrehab_gui.infra.settings import Settings
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui.app import App
from backrehab_gui.ui.enrol_form import EnrolForm
from backrehab_gui.ui.settings_view import SettingsView

__all__ = ["SCREENS", "SIZES", "TEXT_SCALES", "THEMES", "Scenes", "Screen", "settle"]

VOICES = [("gmw/en-gb-x-gbclan", "English (Lancaster)"), ("gmw/en-us", "English (America)"),
          ("roa/pt-br", "Portuguese (Brazil)"), ("gmw/de", "German"), ("roa/es", "Spanish")]
BAD_ROUTINE = """\
format: 1
routines:
  - id: from-the-clinic
    name: From the clinic
    exercises:
      - exercise: bird-dgo
        dose: {reps: 600}
      - exercise: glute-bridge
        dose: {hold: 0s}
"""


# --- First run ---------------------------------------------------------------------------


def _first_run(scenes: Scenes, page: str) -> QWidget:
    app = scenes.app("first-run")
    flow = app.today_view.pages.widget(1)
    if page == "enrolment":
        form = scenes.once("enrol-form", lambda: _enrol_form(app))
        app.today_view.pages.setCurrentWidget(form)
        return app.window
    if page == "doctor":
        def answer_yes() -> None:
            # A see-a-doctor sign (an urgent one locks the program instead: its own screen).
            for flag in flow.safety.red_flags:
                urgent = flag.tier.value == "emergency"
                flow.flag_groups[flag.id].button(0 if urgent else 1).setChecked(True)
            flow._on_flags_done()
        scenes.once("doctor", answer_yes)
    app.today_view.pages.setCurrentWidget(flow)
    flow.pages.setCurrentWidget({"welcome": flow.welcome, "flags": flow.flags_page,
                                 "doctor": flow.doctor_page,
                                 "checklist": flow.checklist_page}[page])
    return app.window


def _enrol_form(app: App) -> EnrolForm:
    form = EnrolForm(app.library.programs, data.TODAY)
    app.today_view.pages.addWidget(form)
    return form


# --- The main window's tabs --------------------------------------------------------------


def _tab(scenes: Scenes, title: str) -> tuple[App, QWidget]:
    app = scenes.app("enrolled")
    tabs = app.window.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == title)
    view = app.window.view_of(index)
    tabs.setCurrentIndex(index)
    return app, view


def _today(scenes: Scenes) -> QWidget:
    app, view = _tab(scenes, "Today")
    view.pages.setCurrentWidget(view.body)  # not a form (audit_forms shows them here)
    return app.window


def _history(scenes: Scenes) -> QWidget:
    app, view = _tab(scenes, "History")
    scenes.once("history-day", lambda: view.show_day(data.BUSY_DAY))
    return app.window


REPLACE_CHANGES = [
    "The routine 'Core for the office' (core.yaml) is replaced by the version sent:",
    "  \u2022 adds Dead bug (10 reps (8-12), per side, alternating)",
    "  \u2022 Bird dog: now 8 reps, 5s hold each, per side, alternating (was 6 reps, 5s hold "
    "each, per side, alternating)",
    "The exercise 'My pelvic tilt' changes; your 'Evening stretch' uses the new version from "
    "now on (the old one is taken out of evening.yaml):",
    "  \u2022 its usual dose: now 12 reps (was 8 reps)"]


def _routines(scenes: Scenes, import_result: bool, replace: bool = False) -> QWidget:
    app, view = _tab(scenes, "Routines")
    if replace:
        view.show_message("core.yaml is a new version of what you have: nothing is changed "
                          "until you choose.")
        view.question.ask("Replace what you have with core.yaml? This is what changes:",
                          REPLACE_CHANGES, lambda: None, lambda: None)
        return app.window
    view.question.clear()

    def failed_import() -> tuple[str, list[str]]:
        bad = scenes.folder / "from-the-clinic.yaml"
        bad.write_text(BAD_ROUTINE, encoding="utf-8")
        app.import_routine(bad)
        return view.message.text(), view.problems.toPlainText().splitlines()

    message, problems = scenes.once("import-result", failed_import)
    if import_result:
        view.show_message(message, problems)
    else:
        view.show_message("")
    return app.window


def _exercises(scenes: Scenes, avoid: bool) -> QWidget:
    app, view = _tab(scenes, "Exercises")
    longest = scenes.once("longest-exercise", lambda: max(
        app.library.exercises.values(),
        key=lambda e: len(" ".join([e.name, *e.steps, e.key_cue, e.tip or "", e.why,
                                    *e.stop_if, e.caution or ""]))).id)
    if avoid:
        view.show_avoid()
    else:
        view.select(longest, focus_list=False)
    return app.window


def _settings(scenes: Scenes, audio_problem: str = "") -> QWidget:
    """Settings; with ``audio_problem``, the computer plays no sound (the audio notice,
    beside the voice and sound tests)."""
    def build() -> SettingsView:
        home = scenes.folder / "enrolled"
        view = SettingsView(Settings(voice_id="gmw/en-us", remind_midday=""),
                            RecordingSpeaker(VOICES), RecordingSoundPlayer(), home,
                            default_dir=home, choose_folder=lambda _start: None,
                            confirm=lambda _question: False)
        view.setWindowTitle("BackRehab settings")
        return view
    view = scenes.once("settings", build)
    view.set_audio_problem(audio_problem)
    return view


SCREENS: list[Screen] = [
    Screen("welcome", lambda s: _first_run(s, "welcome")),
    Screen("red-flags", lambda s: _first_run(s, "flags")),
    Screen("see-a-doctor", lambda s: _first_run(s, "doctor")),
    Screen("checklist", lambda s: _first_run(s, "checklist")),
    Screen("enrolment", lambda s: _first_run(s, "enrolment")),
    Screen("lock-today", lambda s: forms._lock(s, clearable=False)),
    Screen("lock-clearable", lambda s: forms._lock(s, clearable=True)),
    Screen("today", _today),
    Screen("weekly-check", forms._weekly_check),
    Screen("peg", forms._peg),
    Screen("psfs-naming", lambda s: forms._psfs(s, rating=False)),
    Screen("psfs-rating", lambda s: forms._psfs(s, rating=True)),
    Screen("next-day", lambda s: forms._next_day(s, worse=False)),
    Screen("next-day-worse", lambda s: forms._next_day(s, worse=True)),
    *(Screen(f"player-{state}", lambda s, st=state: player._player(s, st))
      for state in player.PLAYER_STATES),
    Screen("player-audio-notice", player._audio_notice),
    *(Screen(f"hurt-{page}", lambda s, p=page: player._hurt(s, p))
      for page in player.HURT_PAGES),
    Screen("summary-1", lambda s: player._summary(s, "1")),
    Screen("summary-12", lambda s: player._summary(s, "12")),
    Screen("summary-pain-warning", lambda s: player._summary(s, "pain-warning")),
    Screen("history", _history),
    Screen("settings", _settings),
    Screen("settings-no-sound", lambda s: _settings(s, BUSY)),
    Screen("exercises", lambda s: _exercises(s, avoid=False)),
    Screen("exercises-avoid", lambda s: _exercises(s, avoid=True)),
    Screen("routines", lambda s: _routines(s, import_result=False)),
    Screen("import-result", lambda s: _routines(s, import_result=True)),
    Screen("replace-question", lambda s: _routines(s, import_result=False, replace=True)),
    Screen("routine-editor", lambda s: forms._editor(s, problems=False)),
    Screen("routine-editor-problems", lambda s: forms._editor(s, problems=True)),
    Screen("new-exercise", forms._exercise_form),
    Screen("editor-new-source", forms._source_form),
    Screen("program-editor", forms._program_editor),
    Screen("handout-options", forms._handout_options),
]
"""Every screen the audit measures, in the order a new person meets them. The report for a
therapist and the handout have no screen of their own (they are written straight to a PDF,
checked by their own tests); the report's calendars and charts are the ones History paints,
measured there."""
