"""Before Start, the Routines tab shows the selected routine's exercises, doses and time,
as the session will do them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from PySide6.QtCore import Qt

from backrehab_gui.core.dose_text import describe
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.core.units import format_about
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui.app import App
from backrehab_gui.ui.routines_view import RoutinesView

REPO = Path(__file__).resolve().parents[2]
MONDAY = datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=1)))


def test_selecting_a_routine_lists_its_exercises_with_doses_and_the_time(qtbot):
    library = load_library([REPO / "routines"], [REPO / "assets"])
    view = RoutinesView(library)
    qtbot.addWidget(view)
    view.select("daily-morning")
    routine = library.routines["daily-morning"]
    lines = view.details.text().splitlines()
    assert lines[0] == routine.name
    assert lines[1].startswith("About ") and lines[1].endswith(
        f", {len(routine.exercises)} exercises:")
    expected = [f"{n}. {library.exercises[item.exercise].name}: "
                f"{describe(library.dose_for(item))}"
                for n, item in enumerate(routine.exercises, start=1)]
    assert lines[2:] == expected
    assert view.details.textFormat() == Qt.TextFormat.PlainText
    view.select("daily-walk")
    assert view.details.text().splitlines()[0] == library.routines["daily-walk"].name


def test_the_details_show_this_weeks_doses_and_swaps_as_the_player_will(qtbot, tmp_path):
    store = HistoryStore.open(tmp_path)
    # Week 4 of the program: the plank has grown from 20 s to 25 s.
    store.save_enrolment(Enrolment("lower-back-8-weeks", MONDAY.date() - timedelta(weeks=3)))
    for kind in ("peg", "psfs"):     # the questionnaires are tested on their own
        store.skip_measure(kind, MONDAY.date(), MONDAY)
    store.close()
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                          checked_on="2026-11-23",
                                          spine_sensitive="bend-forward"))
    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), tray_available=False,
              wall_clock=lambda: MONDAY)
    qtbot.addWidget(app.window)
    view = app.window.routines
    view.select("phase-2-strength")
    text = view.details.text()
    assert "Plank: 2 x hold 25s" in text, text
    # Cat-cow rounds the back, which this person said hurts: the swap is shown and named.
    assert "Cat-cow" not in text.split("\n\n")[0] and "Swapped:" in text
    player = app.start_routine("phase-2-strength")
    qtbot.addWidget(player)
    timeline = player.controller.engine.timeline
    assert f"About {format_about(timeline.estimate)[6:]}" in text
    names = [line.split(". ", 1)[1].split(":")[0] for line in text.split("\n\n")[0]
             .splitlines()[2:]]
    shown = list(dict.fromkeys(s.name for s in timeline.steps if s.kind.value == "work"))
    assert names == shown
    player.confirm_stop = lambda: True
    player.close()
    app.close()
