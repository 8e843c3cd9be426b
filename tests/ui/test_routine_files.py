"""Routine files in the app: a file that breaks loading is set aside with a notice, and a
folder a therapist sent is imported with its pictures."""

from __future__ import annotations

from pathlib import Path

from backrehab_gui.infra import routine_import, routines
from backrehab_gui.ui.widgets import Illustration

from ..sample_routines import fail_reading, own_routines, therapist_folder
from .test_today import make_app


def test_the_app_starts_with_a_file_that_breaks_loading_and_names_it(qtbot, enrolled,
                                                                    monkeypatch):
    own_routines(enrolled)
    fail_reading(monkeypatch, "mine.yaml",
                 AttributeError("'NoneType' object has no attribute 'line'"))
    app, _ = make_app(qtbot, enrolled)
    view = app.window.routines
    assert view.set_aside.isVisibleTo(view)
    banner = view.set_aside.text()
    assert "mine.yaml" in banner and "the file was set aside" in banner
    assert "AttributeError" in banner
    assert "mine.yaml" in app.today_view.notice.text()
    listed = [view.listing.item(i).text() for i in range(view.listing.count())]
    assert any(t.startswith("Another routine") for t in listed)
    assert not any(t.startswith("My evening") for t in listed)
    assert app.today_view.rows  # today's plan is there as ever
    monkeypatch.undo()  # "BackRehab is fixed": the file loads on the next reload
    app.reload_routines()
    assert not view.set_aside.isVisibleTo(view) and "my-evening" in app.library.routines
    assert "mine.yaml" not in app.today_view.notice.text()
    app.close()


def test_a_folder_is_imported_from_its_own_button(qtbot, enrolled, tmp_path_factory):
    sent = therapist_folder(tmp_path_factory.mktemp("mail"))
    app, _ = make_app(qtbot, enrolled)
    app.dialogs.ask = lambda mode, *args: str(sent) if mode == "folder" else ""
    view = app.window.routines
    view.import_folder_button.click()
    assert view.message.text() == ("Imported 2 routine files with 2 pictures into your "
                                   "routines folder (in the folder 'For Sam').")
    assert {"my-evening", "from-my-therapist"} <= set(app.library.routines)
    assert app.library.images["my-tilt"][0].is_relative_to(
        (enrolled / "routines" / "For Sam").resolve())
    assert not (enrolled / "routines" / "For Sam" / "handout.pdf").exists()
    # Both pictures show: the SVG drawing and the PNG one (not only SVG).
    for path, width in zip(app.library.images["my-tilt"], (10, 1)):
        picture = Illustration()
        qtbot.addWidget(picture)
        picture.show_image(path)
        assert picture.has_image and picture.natural_size().width() == width
    picture.resize(40, 40)
    assert picture.grab().toImage().pixelColor(20, 20).name() == "#ff0000"  # the red pixel
    app.close()


def test_a_folder_with_problems_is_refused_with_all_of_them(qtbot, enrolled, tmp_path_factory):
    sent = therapist_folder(tmp_path_factory.mktemp("mail"))
    (sent / "pictures" / "tilt-start.svg").unlink()
    (sent / "week-1.yaml").write_text((sent / "week-1.yaml").read_text().replace(
        "bird-dog", "bird-dgo"))
    app, _ = make_app(qtbot, enrolled)
    assert not app.import_routine(sent)
    view = app.window.routines
    assert view.message.text().startswith("Not imported: For Sam has 2 problems, so nothing "
                                          "was copied.")
    text = view.problems.toPlainText()
    assert "tilt-start.svg' was not found" in text and "did you mean 'bird-dog'" in text
    assert not (enrolled / "routines" / "For Sam").exists()
    app.close()


def test_a_fault_while_importing_is_told_and_the_app_carries_on(qtbot, enrolled, monkeypatch,
                                                               tmp_path_factory):
    sent = therapist_folder(tmp_path_factory.mktemp("mail"))

    def broken(*_args):
        raise IndexError("list index out of range")

    monkeypatch.setattr(routine_import, "_pictures", broken)
    app, _ = make_app(qtbot, enrolled)
    assert not app.import_routine(sent)
    assert app.window.routines.message.text() == (
        "Not imported: BackRehab went wrong while importing For Sam (IndexError: list index "
        "out of range). Your routines folder was not changed.")
    assert not any(Path(enrolled / "routines").glob("*.yaml"))
    app.close()


def test_even_a_fault_around_all_the_files_leaves_a_working_window(qtbot, enrolled, monkeypatch):
    def broken(_data):
        raise MemoryError("out of memory")

    monkeypatch.setattr(routines, "load_for_app", broken)
    app, _ = make_app(qtbot, enrolled)
    assert "none were loaded (MemoryError: out of memory)" in app.today_view.notice.text()
    assert app.window.routines.set_aside.isVisibleTo(app.window.routines)
    assert app.window.routines.listing.count() == 0
    app.close()


def test_a_folder_is_imported_from_the_file_menu_and_shown_on_the_routines_tab(
        qtbot, enrolled, tmp_path_factory):
    sent = therapist_folder(tmp_path_factory.mktemp("mail"))
    app, _ = make_app(qtbot, enrolled)
    app.dialogs.ask = lambda mode, *args: str(sent) if mode == "folder" else ""
    app.window.show_today()
    file_menu = app.window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]
    assert "&Import a routine file\u2026" in texts
    folder_item = next(a for a in file_menu.actions()
                       if a.text() == "Import a routine fol&der\u2026")
    folder_item.trigger()
    view = app.window.routines
    assert app.window.tabs.currentWidget() is view  # what happened is said where it shows
    assert view.message.text().startswith("Imported 2 routine files")
    assert {"my-evening", "from-my-therapist"} <= set(app.library.routines)
    app.close()
