"""The player's screens for the layout audit: each kind of step, paused and resuming, the
summary, "Stop: it hurts" page by page, and the notice that no sound can be played.

Each state runs a player window of its own to that point on its own clock and leaves it
there (its timer stopped); pages that only differ in what they show share one window.
"""

from __future__ import annotations

from audit_scenes import Clock, Scenes
from PySide6.QtWidgets import QWidget

from backrehab_gui.core import hurt as h
from backrehab_gui.core.engine import ExerciseResult, State, Summary
from backrehab_gui.core.screening import emergency_flags
from backrehab_gui.core.timeline import StepKind, WorkKind
from backrehab_gui.infra.audio_check import BUSY
from backrehab_gui.ui.player.window import PlayerWindow


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


def _hurt(scenes: Scenes, page: str) -> QWidget:
    """"Stop: it hurts" during a hold: what happened, the urgent-sign questions (after a
    leg or numbness), what now (the easier variant offered), and the urgent page."""
    library = scenes.app("enrolled").library
    # The easier variant with the longest name, whatever the exercise: the longest button.
    easier = max(library.exercises.values(), key=lambda e: len(e.name))
    window, clock = scenes.player("hurt", safety=library.safety,
                                  easier_for=lambda _ident: easier)

    def stop_it_hurts() -> None:
        _drive(window, clock, "hold")
        window.hurt.start()
    scenes.once("state:hurt", stop_it_hurts)
    view = window.hurt.view
    step = window.controller.engine.current
    view.begin(step.name, True, easier)
    if page == "check":
        view.choose(h.Hurt.LEG)
    elif page == "options":
        view.choose(h.Hurt.BACK)
    elif page == "emergency":
        view.show_emergency(frozenset(f.id for f in emergency_flags(library.safety)))
    window.show_page(view)
    return window


def _audio_notice(scenes: Scenes) -> QWidget:
    """A session on a computer that plays no sound: the notice above the step."""
    window, clock = scenes.player("audio-notice", voice_notice=BUSY)
    scenes.once("state:audio-notice", lambda: _drive(window, clock, "hold"))
    return window


PLAYER_STATES = ("pain-before", "prepare", "hold", "self-paced-reps", "paced-reps", "breaths",
                 "open-hold", "rest", "switch", "paused", "resuming")
HURT_PAGES = ("ask", "check", "options", "emergency")
