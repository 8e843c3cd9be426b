"""Windows come back fully on a current screen: after a resolution change between runs, and
when the screens change while the app runs."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtCore import QByteArray, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.ui.app import App
from backrehab_gui.ui.screen_fit import fitted

EVENING = datetime(2026, 11, 23, 19, 0, tzinfo=timezone(timedelta(hours=1)))


def available() -> QRect:
    return QGuiApplication.primaryScreen().availableGeometry()


def saved_at(qtbot, x: int, y: int, width: int, height: int) -> str:
    """The geometry a window saved when it stood at this place on a bigger screen."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.setGeometry(x, y, width, height)
    widget.show()
    qtbot.waitExposed(widget)
    encoded = bytes(QByteArray(widget.saveGeometry()).toBase64()).decode("ascii")
    widget.hide()
    return encoded


def make_app(qtbot, home, **saved) -> App:
    SettingsStore(home).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                      checked_on="2026-11-23", **saved))
    app = App(home, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), tray_available=False,
              wall_clock=lambda: EVENING)
    qtbot.addWidget(app.window)
    return app


def wholly_visible(window: QWidget) -> bool:
    return available().contains(window.frameGeometry())


@pytest.mark.parametrize(("frame", "screen", "expected"), [
    ((100, 100, 400, 300), (0, 0, 800, 600), (100, 100, 400, 300)),   # fits: untouched
    ((2000, 1500, 400, 300), (0, 0, 800, 600), (400, 300, 400, 300)),  # off to the right
    ((-900, -50, 400, 300), (0, 0, 800, 600), (0, 0, 400, 300)),       # off to the left
    ((500, 100, 1800, 1200), (0, 0, 800, 600), (0, 0, 800, 600)),      # larger: shrunk
    ((3000, 100, 400, 300), (1920, 0, 1366, 768), (2886, 100, 400, 300)),  # second screen
])
def test_a_frame_is_moved_and_shrunk_into_the_available_area(frame, screen, expected):
    assert fitted(QRect(*frame), QRect(*screen)).getRect() == expected


def test_never_below_the_least_size_and_the_top_left_stays_on_screen():
    # A window that cannot be made small enough keeps its title bar and first controls on.
    assert fitted(QRect(300, 300, 900, 700), QRect(0, 0, 800, 600), 640, 620).getRect() == \
        (0, 0, 800, 620)


def test_a_main_window_saved_on_a_bigger_screen_comes_back_wholly_visible(qtbot, tmp_path):
    big = saved_at(qtbot, 2600, 1500, 1800, 1100)
    app = make_app(qtbot, tmp_path, main_geometry=big)
    app.show()
    qtbot.waitExposed(app.window)
    qtbot.waitUntil(lambda: wholly_visible(app.window), timeout=3000)
    assert app.window.width() <= available().width()
    app.close()


def test_a_player_saved_off_screen_comes_back_wholly_visible(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path, player_geometry=saved_at(qtbot, -1500, 900, 700, 500))
    player = app.start_routine("sitting-break")
    qtbot.addWidget(player)
    qtbot.waitUntil(lambda: wholly_visible(player), timeout=3000)
    assert player.width() >= player.minimumWidth()
    player.confirm_stop = lambda: True
    player.close()
    app.close()


def test_when_the_screen_changes_under_an_open_window_it_is_brought_back(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    app.show()
    qtbot.waitExposed(app.window)
    qtbot.wait(50)  # the fit that follows a show has run
    # The monitor it stood on went away: the window is now where no screen is.
    app.window.setGeometry(2400, 1600, 700, 500)
    assert not wholly_visible(app.window)
    screen = QGuiApplication.primaryScreen()
    screen.availableGeometryChanged.emit(screen.availableGeometry())
    qtbot.waitUntil(lambda: wholly_visible(app.window), timeout=3000)
    assert app.screens.fitted == [app.window]
    assert (app.window.width(), app.window.height()) == (700, 500)  # moved, not resized
    app.close()


def test_a_window_that_fits_is_left_where_the_person_put_it(qtbot, tmp_path):
    app = make_app(qtbot, tmp_path)
    app.show()
    qtbot.waitExposed(app.window)
    qtbot.wait(50)
    app.window.setGeometry(60, 70, 500, 400)
    place = app.window.geometry()
    screen = QGuiApplication.primaryScreen()
    screen.availableGeometryChanged.emit(screen.availableGeometry())
    qtbot.wait(app.screens.SETTLE_MS + 100)
    assert app.window.geometry() == place and app.screens.fitted == []
    app.close()
