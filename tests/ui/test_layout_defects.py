"""What a new user met, one test each; the layout audit (tests/ui/layout_audit) measures
every screen, these pin down the behaviour behind each fix."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui import theme
from backrehab_gui.ui.app import App


def make_app(qtbot, home, **settings) -> App:
    from datetime import date

    # The weekly urgent-sign check answered today: sessions start without it.
    settings.setdefault("checked_on", date.today().isoformat())
    SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-02", **settings))
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), clock=lambda: 0.0, tray_available=False)
    qtbot.addWidget(app.window)
    return app


def app_day(home):
    """The day the app will call today (the real clock: these tests do not fake it)."""
    from datetime import datetime

    return datetime.now().date()


def test_the_first_session_fills_the_screen_and_a_later_one_keeps_its_size(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    room = QApplication.primaryScreen().availableGeometry()
    player = app.start_routine("daily-evening")
    qtbot.addWidget(player)
    assert player.windowState() & Qt.WindowState.WindowMaximized
    qtbot.waitUntil(lambda: player.width() >= room.width() * 0.9 and
                    player.height() >= room.height() * 0.9)
    player.showNormal()
    player.resize(700, 500)
    player.close()
    assert app.settings.player_geometry
    again = app.start_routine("daily-evening")
    qtbot.addWidget(again)
    assert not again.windowState() & Qt.WindowState.WindowMaximized
    assert (again.width(), again.height()) == (700, 500)
    again.close()
    app.close()


def test_the_main_window_opens_no_larger_than_the_screen(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    room = QApplication.primaryScreen().availableGeometry()
    assert app.window.width() <= room.width() and app.window.height() <= room.height()
    app.close()


def test_an_open_player_follows_the_high_contrast_theme(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    player = app.start_routine("daily-evening")
    qtbot.addWidget(player)
    qapp = QApplication.instance()
    try:
        theme.apply(qapp, "high-contrast", 1.0)
        assert "#ffff00" in player.styleSheet() and "#000000" in player.styleSheet()
        theme.apply(qapp, "dark", 1.0)
        assert "#ffff00" not in player.styleSheet()
    finally:
        theme.apply(qapp, "system", 1.0)
        player.close()
        app.close()


def test_changing_the_text_size_keeps_the_text_size_control_in_view(qtbot, tmp_path):
    from backrehab_gui.ui.settings_view import SettingsView

    qapp = QApplication.instance()
    view = SettingsView(Settings(), RecordingSpeaker(), RecordingSoundPlayer(), tmp_path,
                        default_dir=tmp_path, choose_folder=lambda _start: None,
                        confirm=lambda _question: True)
    view.sig_preview_theme.connect(lambda name, scale: theme.apply(qapp, name, scale))
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    try:
        view.text_size.setFocus()
        for percent in (150, 200):
            view.text_size.setValue(percent)

            def in_view() -> bool:
                viewport = view._scroll.viewport()
                seen = viewport.rect()
                spot = view.text_size.mapTo(viewport, view.text_size.rect().center())
                return seen.contains(spot)

            qtbot.waitUntil(in_view, timeout=2000)
        assert view._columns == 1  # too wide for two columns: the Looks box moved down
    finally:
        theme.apply(qapp, "system", 1.0)
        view.close()


def test_today_fills_a_wide_screen(qtbot, tmp_path):
    """Today at 1920x1080 was a strip of text at the top: 70 % of it empty."""
    from datetime import timedelta

    from backrehab_gui.core.schedule import Enrolment
    from backrehab_gui.infra.store import HistoryStore

    with HistoryStore.open(tmp_path) as store:
        store.save_enrolment(Enrolment("lower-back-8-weeks",
                                       app_day(tmp_path) - timedelta(weeks=2)))
    app = make_app(qtbot, tmp_path)
    app.window.resize(1920, 1080)
    app.window.show()
    qtbot.waitExposed(app.window)
    view = app.today_view
    assert view.week.isVisible()  # this week's days, as in History
    lowest = max(w.mapTo(view, w.rect().bottomLeft()).y()
                 for w in view.findChildren(QWidget) if w.isVisible() and
                 w.parentWidget() is view.column)
    assert lowest > view.height() * 0.4
    app.close()


def test_the_players_words_fit_their_column_and_the_steps_give_way(qtbot):
    from backrehab_gui.ui.player.text_stack import ELIDED, TextStack

    stack = TextStack()
    qtbot.addWidget(stack)
    name = stack.add("exercise_name", bold=True)
    steps = stack.add("instruction", fill=True)
    stack.set_size(name, 60, 20)
    stack.set_size(steps, 30, 14)
    all_steps = "\n".join(f"Step {i}: move slowly and keep breathing out." for i in range(12))
    stack.set_texts({name: "Lying hamstring stretch with towel", steps: all_steps})
    stack.resize(260, 240)
    stack.show()
    qtbot.waitExposed(stack)
    # The name shrinks until it fits its column, whole.
    need = name.fontMetrics().boundingRect(0, 0, name.width(), 10_000,
                                           int(Qt.TextFlag.TextWordWrap), name.text())
    assert need.width() <= name.width() and need.height() <= name.height()
    assert name.text() == "Lying hamstring stretch with towel"
    # The steps show their start, say so, and keep all of them in the tooltip.
    assert steps.property(ELIDED) and steps.text().endswith("\u2026")
    assert "Step 11" in steps.toolTip() and "Step 11" not in steps.text()
    assert stack.text(steps) == all_steps
    # With room again they are whole.
    stack.resize(900, 900)
    qtbot.waitUntil(lambda: not steps.property(ELIDED))
    assert steps.text() == all_steps and not steps.toolTip()


def test_a_new_caption_is_never_hidden_behind_the_last_ones_shortened_text(qtbot):
    from backrehab_gui.ui.player.text_stack import TextStack

    stack = TextStack()
    qtbot.addWidget(stack)
    caption = stack.add("caption")
    stack.resize(200, 30)
    stack.show()
    stack.set_text(caption, "a long cue " * 40)
    assert caption.property("elided") and "a long cue" in caption.toolTip()
    stack.set_text(caption, "Hold")
    assert not caption.property("elided") and caption.toolTip() == ""
    assert caption.text() == "Hold"
