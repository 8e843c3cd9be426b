"""Every screen a person meets, built once and put into a given state on demand.

The layout audit (``test_layout_audit.py``) and the contact-sheet script
(``scripts/layout_contact_sheet.py``) both go through ``SCREENS``: a list of
``Screen(name, show)``, where ``show(scenes)`` puts that screen into its state and
returns the window to measure. A new screen is one more entry: build what it needs
once (``Scenes.once``), then set its state in ``show``, cheaply, since it runs once
per size, text size and theme.

Everything runs on made-up clocks in temporary data folders, so every run shows the
same thing: the made-up history in ``audit_history``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import audit_history as data
from PySide6.QtWidgets import QApplication, QWidget

from backrehab_gui.core.engine import ExerciseResult, State, Summary
from backrehab_gui.core.timeline import StepKind, WorkKind, compile_routine
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui import theme
from backrehab_gui.ui.app import App
from backrehab_gui.ui.enrol_form import EnrolForm
from backrehab_gui.ui.player.controller import SessionController
from backrehab_gui.ui.player.window import PlayerWindow
from backrehab_gui.ui.settings_view import SettingsView

SIZES = ((800, 600), (1366, 768), (1920, 1080))
TEXT_SCALES = (1.0, 1.5, 2.0)
THEMES = ("light", "dark", "high-contrast")

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


class Clock:
    """A monotonic clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Scenes:
    """Owns the apps, windows and data folders; builds each part the first time it is
    asked for and keeps it until ``close``."""

    def __init__(self, qapp: QApplication, folder: Path | None = None) -> None:
        self.qapp = qapp
        self._tmp = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="backrehab-audit-")
            folder = Path(self._tmp.name)
        self.folder = folder
        self._built: dict[str, object] = {}
        self.players: list[PlayerWindow] = []
        self.shown: QWidget | None = None
        self.theme = ""
        self.scale = 0.0
        theme.original_font(qapp)  # the 100 % font, before any change

    # --- Building -----------------------------------------------------------------------

    def once(self, key: str, build: Callable[[], object]) -> object:
        if key not in self._built:
            self._built[key] = build()
        return self._built[key]

    def app(self, kind: str) -> App:
        """'first-run' (nothing answered yet) or 'enrolled' (five weeks of history)."""
        def build() -> App:
            home = self.folder / kind
            home.mkdir(parents=True, exist_ok=True)
            if kind == "enrolled":
                data.make_history(home)
                SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-04-12"))
            clock = Clock()
            app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
                      keep_awake=RecordingKeepAwake(), clock=clock,
                      wall_clock=lambda: data.NOW + timedelta(seconds=clock.now - 1000),
                      tray_available=False)
            return app
        return self.once(f"app:{kind}", build)

    def player(self, key: str, routine_id: str = "audit-every-step") -> tuple[PlayerWindow, Clock]:
        """A player window of its own for each state, on its own clock."""
        def build() -> tuple[PlayerWindow, Clock]:
            library = self.app("enrolled").library
            clock = Clock()
            timeline = compile_routine(library.routines[routine_id], library.exercises)
            controller = SessionController(timeline, RecordingSpeaker(), RecordingSoundPlayer(),
                                           clock=clock)
            window = PlayerWindow(controller, library.exercises, library.images,
                                  text_scale=self.scale or 1.0)
            window.confirm_stop = lambda: True
            self.players.append(window)
            return window, clock
        return self.once(f"player:{key}", build)

    # --- Showing ------------------------------------------------------------------------

    def apply(self, name: str, scale: float) -> None:
        """The theme and text size, as the settings apply them (players included)."""
        if (name, scale) == (self.theme, self.scale):
            return
        self.theme, self.scale = name, scale
        theme.apply(self.qapp, name, scale)
        for player in self.players:
            player.set_text_scale(scale)
        settle()

    def present(self, screen: Screen, size: tuple[int, int]) -> QWidget:
        """``screen`` in its state at ``size``, laid out and on (the offscreen) screen."""
        window = screen.show(self)
        if isinstance(window, PlayerWindow) and window.text_scale != self.scale:
            window.set_text_scale(self.scale)
        if self.shown is not None and self.shown is not window:
            self.shown.hide()
        self.shown = window
        window.resize(*size)
        window.show()
        settle()
        return window

    def close(self) -> None:
        for player in self.players:
            player.controller._timer.stop()
            player.hide()
            player.deleteLater()
        for key, value in self._built.items():
            if key.startswith("app:"):
                value.close()
                value.window.hide()
                value.window.deleteLater()
            elif isinstance(value, QWidget):
                value.hide()
                value.deleteLater()
        theme.apply(self.qapp, "system", 1.0)
        settle()
        if self._tmp is not None:
            self._tmp.cleanup()


def settle() -> None:
    """Let layouts, fonts and deferred refreshes finish (a few turns of the event loop)."""
    for _ in range(3):
        QApplication.processEvents()


@dataclass(frozen=True)
class Screen:
    name: str
    show: Callable[[Scenes], QWidget]
    """Put the screen into its state; returns the window."""


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
    app, _view = _tab(scenes, "Today")
    return app.window


def _history(scenes: Scenes) -> QWidget:
    app, view = _tab(scenes, "History")
    scenes.once("history-day", lambda: view.show_day(data.BUSY_DAY))
    return app.window


def _routines(scenes: Scenes, import_result: bool) -> QWidget:
    app, view = _tab(scenes, "Routines")

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


def _settings(scenes: Scenes) -> QWidget:
    def build() -> SettingsView:
        home = scenes.folder / "enrolled"
        view = SettingsView(Settings(voice_id="gmw/en-us", remind_midday=""),
                            RecordingSpeaker(VOICES), RecordingSoundPlayer(), home,
                            default_dir=home, choose_folder=lambda _start: None,
                            confirm=lambda _question: False)
        view.setWindowTitle("BackRehab settings")
        return view
    return scenes.once("settings", build)


# --- The player ----------------------------------------------------------------------------


def _player(scenes: Scenes, state: str) -> QWidget:
    window, clock = scenes.player(state)
    scenes.once(f"state:{state}", lambda: _drive(window, clock, state))
    return window


def _drive(window: PlayerWindow, clock: Clock, state: str) -> None:
    """Run the player to ``state`` on its clock, then stop its timer: it stays there."""
    controller = window.controller
    if state == "pain-before":
        window.begin()
        return
    window.begin()
    window._before_scale.choose(3)

    def advance(seconds: float) -> None:
        end = clock.now + seconds
        while clock.now < end - 1e-9:
            clock.now = min(end, clock.now + 0.25)
            controller.update_now()

    def skip_to(kind: StepKind, work: WorkKind | None = None, item: int | None = None) -> None:
        for _ in range(200):
            step = controller.engine.current
            if step.kind is kind and (work is None or step.work is work) and \
                    (item is None or step.item == item):
                return
            controller.skip()
        raise AssertionError(f"no {kind} {work} step in the audit routine")

    if state == "prepare":
        advance(3.2)
    elif state in ("hold", "paused", "resuming"):
        skip_to(StepKind.WORK, WorkKind.HOLD)
        advance(12.4)
        if state in ("paused", "resuming"):
            controller.toggle_pause()
            advance(20)
        if state == "resuming":
            controller.toggle_pause()
            advance(1.2)
    elif state == "switch":
        skip_to(StepKind.SWITCH)
        advance(1.5)
    elif state == "rest":
        for _ in range(200):
            step = controller.engine.current
            if step.kind is StepKind.REST and step.before_next_exercise:
                break
            controller.skip()
        advance(4.6)
    elif state == "self-paced-reps":
        skip_to(StepKind.WORK, WorkKind.REPS)
        for _ in range(5):
            advance(2.0)
            controller.enter()
    elif state == "paced-reps":
        skip_to(StepKind.WORK, WorkKind.GUIDED_REPS)
        advance(12.6)
    elif state == "breaths":
        skip_to(StepKind.WORK, WorkKind.BREATHS)
        advance(13.1)
    elif state == "open-hold":
        skip_to(StepKind.WORK, WorkKind.OPEN_HOLD)
        advance(21.3)
    else:
        raise ValueError(state)
    assert controller.engine.state in (State.RUNNING, State.PAUSED), state
    controller._timer.stop()
    window._flash.hide()


def _summary(scenes: Scenes, kind: str) -> QWidget:
    window, _clock = scenes.player(f"summary-{kind}")

    def finish() -> None:
        library = scenes.app("enrolled").library
        names = sorted((e.name for e in library.exercises.values()), key=len, reverse=True)
        count = 1 if kind == "1" else 12
        results = tuple(
            ExerciseResult(i, f"ex-{i}", names[i % len(names)],
                           ("done", "partial", "skipped")[i % 3] if count > 1 else "done",
                           95.0 + i, 3 if i % 3 else 2, 3, (10 + i) if i % 2 else None,
                           12 + i if i % 2 else None, (31.5, 28.0) if i % 4 == 2 else (),
                           1.0)
            for i in range(count))
        summary = Summary("audit", "Every kind of step, with the longest words in the library",
                          results, count == 1, sum(r.seconds for r in results), 0.83)
        window.pain_before = 2
        window.controller.sig_finished.emit(summary)
        window.set_save_status(True)
        if kind == "pain-warning":
            window._summary_view.pain_after.choose(7)
    scenes.once(f"finished:{kind}", finish)
    return window


SCREENS: list[Screen] = [
    Screen("welcome", lambda s: _first_run(s, "welcome")),
    Screen("red-flags", lambda s: _first_run(s, "flags")),
    Screen("see-a-doctor", lambda s: _first_run(s, "doctor")),
    Screen("checklist", lambda s: _first_run(s, "checklist")),
    Screen("enrolment", lambda s: _first_run(s, "enrolment")),
    Screen("today", _today),
    *(Screen(f"player-{state}", lambda s, st=state: _player(s, st))
      for state in ("pain-before", "prepare", "hold", "self-paced-reps", "paced-reps",
                    "breaths", "open-hold", "rest", "switch", "paused", "resuming")),
    Screen("summary-1", lambda s: _summary(s, "1")),
    Screen("summary-12", lambda s: _summary(s, "12")),
    Screen("summary-pain-warning", lambda s: _summary(s, "pain-warning")),
    Screen("history", _history),
    Screen("settings", _settings),
    Screen("exercises", lambda s: _exercises(s, avoid=False)),
    Screen("exercises-avoid", lambda s: _exercises(s, avoid=True)),
    Screen("routines", lambda s: _routines(s, import_result=False)),
    Screen("import-result", lambda s: _routines(s, import_result=True)),
]
"""Every screen the audit measures, in the order a new person meets them. The report for a
therapist has no screen of its own (it is written straight to a PDF); its calendars and
charts are the ones History paints, measured there."""
