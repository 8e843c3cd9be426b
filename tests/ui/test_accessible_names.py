"""Every screen, as the accessibility interfaces Qt hands to screen readers describe it.

The AT-SPI test (test_screen_reader.py) reads Today, History and a session over
the real bus; this one walks every view in process, quickly: each control has
a name a person would understand, and no text is hidden behind a developer's
name for it.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication

from backrehab_gui.core.schedule import Enrolment
from backrehab_gui.infra.keep_awake import RecordingKeepAwake
from backrehab_gui.infra.settings import Settings, SettingsStore
from backrehab_gui.infra.sound import RecordingSoundPlayer
from backrehab_gui.infra.speech import RecordingSpeaker
from backrehab_gui.infra.store import HistoryStore
from backrehab_gui.ui.app import App

MONDAY = datetime(2026, 11, 23, 18, 30, tzinfo=timezone(timedelta(hours=1)))
Role = QAccessible.Role
CONTROLS = {Role.Button, Role.CheckBox, Role.RadioButton, Role.ComboBox, Role.EditableText,
            Role.Slider, Role.SpinBox, Role.PageTab, Role.List, Role.Table, Role.ProgressBar}


def walk(iface, found: list) -> None:
    if iface is None or iface.state().invisible:
        return
    found.append(iface)
    for index in range(iface.childCount()):
        walk(iface.child(index), found)


def read(widget) -> list:
    widget.show()
    QApplication.processEvents()
    found: list = []
    walk(QAccessible.queryAccessibleInterface(widget), found)
    return found


def assert_readable(interfaces: list) -> None:
    assert len(interfaces) > 10
    for iface in interfaces:
        name = iface.text(QAccessible.Text.Name)
        obj = iface.object()
        developer = obj.objectName() if obj is not None else ""
        where = f"{iface.role().name} {name!r} ({type(obj).__name__} {developer!r})"
        if iface.role() in CONTROLS:
            assert name.strip(), where
        if developer and "_" in developer:
            assert name != developer.replace("_", " "), where


@pytest.fixture
def app(qtbot, tmp_path):
    # The weekly urgent-sign check done today and the questionnaires skipped: sessions
    # start straight away (those screens are read in their own tests).
    SettingsStore(tmp_path).save(Settings(welcome_done=True, screened_on="2026-11-01",
                                          checked_on=MONDAY.date().isoformat()))
    store = HistoryStore.open(tmp_path)
    store.save_enrolment(Enrolment("lower-back-8-weeks", MONDAY.date() - timedelta(weeks=3)))
    for kind in ("peg", "psfs"):
        store.skip_measure(kind, MONDAY.date(), MONDAY)
    store.close()
    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), wall_clock=lambda: MONDAY)
    qtbot.addWidget(app.window)
    yield app
    app.close()


def test_every_tab_of_the_main_window(app):
    window = app.window
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        window.view_of(index)
        assert_readable(read(window))


def test_the_forms_shown_in_place_of_today(app):
    app.safety_check()
    assert_readable(read(app.window))
    app.change_plan()
    found = read(app.window)
    assert_readable(found)
    names = [i.text(QAccessible.Text.Name) for i in found]
    assert "Phase sessions on Wednesday" in names and "Start date" in names


def test_the_settings(app):
    assert_readable(read(app.open_settings()))


def test_the_player_and_its_summary(app, qtbot):
    player = app.start_routine("daily-morning")
    qtbot.addWidget(player)
    assert_readable(read(player))
    assert QAccessible.queryAccessibleInterface(player).role() is Role.Window
    player._pages.setCurrentWidget(player._summary_view)
    assert_readable(read(player))
