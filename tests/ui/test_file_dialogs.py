"""File dialogs open where that kind of file was last taken from or put, across restarts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from backrehab_gui.infra import routines
from backrehab_gui.infra.settings import (
    FOLDER_KINDS,
    Settings,
    SettingsStore,
    start_folder,
    with_folder,
)
from backrehab_gui.ui import file_dialogs, record_actions
from backrehab_gui.ui.editor.window import RoutineEditor

from ..infra.test_routine_import import GOOD
from .test_today import make_app


class Chooser:
    """Stands in for the file dialog: notes where it opened, answers with the next choice."""

    def __init__(self) -> None:
        self.opened_at: list[tuple[str, str]] = []
        self.answers: list[str] = []

    def __call__(self, mode, parent, title, start, filter_) -> str:
        self.opened_at.append((mode, start))
        return self.answers.pop(0) if self.answers else ""


@pytest.fixture
def chooser(qtbot, tmp_path):
    app, _ = make_app(qtbot, tmp_path / "data")
    fake = Chooser()
    app.dialogs.ask = fake
    yield app, fake
    app.close()


def test_importing_opens_next_time_where_the_last_file_came_from(chooser, tmp_path):
    app, fake = chooser
    downloads = tmp_path / "Downloads"
    downloads.mkdir()
    (downloads / "plan.yaml").write_text(GOOD)
    fake.answers = [str(downloads / "plan.yaml")]
    app.import_dialog()
    assert fake.opened_at == [("open", str(Path.home()))]  # nothing remembered yet
    assert "from-my-therapist" in app.library.routines
    assert app.settings.last_folders == {"import": str(downloads)}
    app.import_dialog()  # cancelled: nothing changes
    assert fake.opened_at[-1] == ("open", str(downloads))
    # A folder sent by e-mail is taken from Downloads too: it opens there, and remembers
    # the place the folder was in, not the folder itself.
    sent = downloads / "For Sam"
    sent.mkdir()
    (sent / "sam.yaml").write_text(GOOD.replace("from-my-therapist", "for-sam"))
    fake.answers = [str(sent)]
    app.import_folder_dialog()
    assert fake.opened_at[-1] == ("folder", str(downloads))
    assert "for-sam" in app.library.routines
    assert app.settings.last_folders["import"] == str(downloads)
    # Kept in the settings file, so the next start opens there too.
    saved = json.loads((app.data_dir / "settings.json").read_text())
    assert saved["last_folders"] == {"import": str(downloads)}
    assert start_folder(SettingsStore(app.data_dir).load(), "import") == downloads


def test_export_and_backup_each_keep_their_own_folder(chooser, tmp_path):
    app, fake = chooser
    reports, stick = tmp_path / "Reports", tmp_path / "stick"
    reports.mkdir()
    stick.mkdir()
    fake.answers = [str(reports / "history.csv")]
    app.export_dialog("csv")
    assert (reports / "history.csv").is_file()
    fake.answers = [str(stick / "backrehab-backup.zip")]
    assert "Backed up" in record_actions.backup(app)
    assert fake.opened_at[-1] == ("save", str(Path.home() / "backrehab-backup.zip"))
    fake.answers = [""]
    record_actions.restore(app)  # cancelled, but it opened on the stick
    assert fake.opened_at[-1] == ("open", str(stick))
    app.export_dialog("ics")
    assert fake.opened_at[-1] == ("save", str(reports / "backrehab-history.ics"))
    assert app.settings.last_folders == {"export": str(reports), "backup": str(stick)}


def test_a_folder_that_is_gone_falls_back_to_the_home_folder(chooser, tmp_path):
    app, fake = chooser
    gone = tmp_path / "unplugged-stick"
    app.settings = with_folder(app.settings, "backup", gone)
    record_actions.restore(app)
    assert fake.opened_at == [("open", str(Path.home()))]


def test_the_editors_drawing_picker_uses_the_same_memory(chooser, qtbot, tmp_path):
    app, fake = chooser
    assert file_dialogs.current() is app.dialogs
    drawings = tmp_path / "Drawings"
    drawings.mkdir()
    picture = drawings / "towel.png"
    image = QImage(60, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(picture))
    editor = RoutineEditor(tmp_path / "therapist", routines.load_for_app(tmp_path / "therapist"))
    qtbot.addWidget(editor)
    form = editor.exercise_form()
    qtbot.addWidget(form)
    fake.answers = [str(picture)]
    form.start.file_button.click()
    assert form.start.combo.currentText() == "towel.png"
    form.end.file_button.click()  # cancelled; it opened where the last drawing was
    assert fake.opened_at == [("open", str(Path.home())), ("open", str(drawings))]
    assert app.settings.last_folders == {"picture": str(drawings)}


@pytest.mark.parametrize("bad", [
    {"import": "relative/folder"},
    {"somewhere": "/tmp"},
    {"import": "/tmp/\x1b[2Jevil"},
    {"import": 42},
    ["/tmp"],
])
def test_a_bad_remembered_folder_is_dropped_and_said(tmp_path, bad):
    (tmp_path / "settings.json").write_text(json.dumps({"last_folders": bad, "voice_rate": 200}))
    store = SettingsStore(tmp_path)
    loaded = store.load()
    assert loaded.last_folders == {} and loaded.voice_rate == 200
    assert any("last_folders" in p for p in store.problems)


def test_every_kind_round_trips_through_the_settings_file(tmp_path):
    settings = Settings()
    for kind in FOLDER_KINDS:
        settings = with_folder(settings, kind, tmp_path)
    SettingsStore(tmp_path).save(settings)
    loaded = SettingsStore(tmp_path).load()
    assert all(start_folder(loaded, kind) == tmp_path for kind in FOLDER_KINDS)
    with pytest.raises(ValueError):
        with_folder(settings, "elsewhere", tmp_path)
