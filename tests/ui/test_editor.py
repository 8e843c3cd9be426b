"""The routine editor, driven as a physiotherapist would: from scratch to the patient's player."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from backrehab_gui.core import model as m
from backrehab_gui.core.engine import SessionEngine, State
from backrehab_gui.core.loading import load_library
from backrehab_gui.core.timeline import compile_routine
from backrehab_gui.infra import paths, routines
from backrehab_gui.infra.routine_import import import_path
from backrehab_gui.ui.editor.actions import HandoutChoice, send_to_patient
from backrehab_gui.ui.editor.window import RoutineEditor


def add(qtbot, editor: RoutineEditor, words: str) -> None:
    """Type in the library search and press Enter: the first match joins the routine."""
    editor.picker.search.clear()
    qtbot.keyClicks(editor.picker.search, words)
    qtbot.keyClick(editor.picker.search, Qt.Key.Key_Return)


def choose(combo, data) -> None:
    index = combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)


def dose(editor: RoutineEditor, row: int, kind: str, **values) -> None:
    editor.items.setCurrentRow(row)
    item = editor.item_editor
    item.usual.setChecked(False)
    d = item.dose
    choose(d.kind, kind)
    for name, value in values.items():
        if name in ("sides", "source"):
            choose(getattr(d, name), value)
        elif name in ("reps", "breaths"):
            low, high, target = value
            box = getattr(d, name)
            box.low.setValue(low)
            box.high.setValue(high)
            box.target.setValue(target)
        elif name == "pace":
            d.pace.setChecked(value)
        else:
            getattr(d, name).setValue(value)


def play_to_the_end(routine: m.Routine, library) -> object:
    engine = SessionEngine(compile_routine(routine, library.exercises))
    now = 0.0
    engine.start(now)
    while engine.state is not State.FINISHED:
        step = engine.current
        if step.is_open:
            now += 1.0
            for _ in range(step.total_reps or 1):
                now += 0.5
                engine.enter(now)
        else:
            now = engine.next_deadline()
            engine.tick(now)
    return engine.summary


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "therapist"


def test_a_routine_with_every_dose_kind_made_saved_imported_and_played(qtbot, data, tmp_path):
    library = routines.load_for_app(data)
    editor = RoutineEditor(data, library)
    qtbot.addWidget(editor)
    editor.show()
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Every dose, week 1")
    assert editor.ident.text() == "every-dose-week-1"
    for words in ("plank", "side plank", "glute bridge", "dead bug", "bird dog",
                  "diaphragmatic", "walking", "cat cow"):
        add(qtbot, editor, words)
    assert editor.items.count() == 8
    # Keyboard: the last one (cat-cow) up one place, then removed again.
    editor.items.setFocus()
    editor.items.setCurrentRow(7)
    qtbot.keyClick(editor.items, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert editor.items.currentRow() == 6 and "Cat-cow" in editor.items.item(6).text()
    qtbot.keyClick(editor.items, Qt.Key.Key_Delete)
    assert editor.items.count() == 7

    dose(editor, 0, "hold", hold=20, sets=3, rest=15)
    dose(editor, 1, "open", goal=45, sides="both")
    dose(editor, 2, "reps", reps=(8, 12, 10), sets=2, rest=30, source="guide-trainer")
    dose(editor, 3, "tempo", reps=(6, 0, 0), up=1.5, down=3, sides="alternating")
    dose(editor, 4, "rep-hold", reps=(5, 0, 0), rep_hold=3, sides="alternating", pace=True,
         up=2, down=2)
    dose(editor, 5, "breaths", breaths=(5, 10, 6), inhale=4, exhale=6)
    dose(editor, 6, "activity", activity=300)
    editor.items.setCurrentRow(3)
    editor.item_editor.cues.add(4, "Slow and steady.")
    editor.item_editor.note.setPlainText("Keep your back on the mat.")
    editor.item_editor.rest_after.setValue(20)

    checked = editor.check_now()
    assert checked.ok, [str(p.problem) for p in checked.problems]
    assert editor.estimate.text().startswith("Estimated time: about ")
    assert editor.steps.count() > 20
    assert "Dead bug: 6 reps, paced per side, alternating" in " ".join(
        editor.steps.item(i).text() for i in range(editor.steps.count()))
    assert editor.save() and editor.status.text().startswith("Saved")
    saved = routines.load_for_app(data).routines["every-dose-week-1"]
    kinds = [type(i.dose).__name__ for i in saved.exercises]
    assert kinds == ["HoldDose", "HoldDose", "RepsDose", "RepsDose", "RepsDose",
                     "BreathsDose", "ActivityDose"]
    assert saved.exercises[1].dose.is_open and saved.exercises[1].dose.goal == 45
    assert str(saved.exercises[2].dose.reps) == "8-12" and saved.exercises[2].dose.target == 10
    assert saved.exercises[3].cues[0].say == "Slow and steady."
    assert saved.exercises[3].rest_after == 20

    # The patient: a fresh data folder imports the file and plays it to the end.
    patient = tmp_path / "patient"
    imported = import_path(editor.document.path, patient)
    assert imported.ok and imported.target is not None, imported.problems
    patient_library = routines.load_for_app(patient)
    routine = patient_library.routines["every-dose-week-1"]
    assert routine == saved
    summary = play_to_the_end(routine, patient_library)
    assert summary.completed
    assert [r.status for r in summary.results] == ["done"] * 7


def test_problems_show_at_their_field_and_block_saving(qtbot, data):
    library = routines.load_for_app(data)
    editor = RoutineEditor(data, library)
    qtbot.addWidget(editor)
    checked = editor.check_now()
    assert not checked.ok and not editor.save_button.isEnabled()
    assert editor.field_problems["exercises"].text() == "needs at least 1 entry"
    add(qtbot, editor, "bird dog")
    editor.ident.setText("daily-evening")  # the id of a bundled routine
    editor.check_now()
    assert "already used" in editor.field_problems["id"].text()
    editor.ident.setText("mine")
    dose(editor, 0, "reps", reps=(8, 12, 0))
    editor.item_editor.dose.reps.high.setValue(6)  # 8 up to 6
    editor.check_now()
    problem = editor.item_editor.dose.problem_labels["reps"].text()
    assert "must not be larger" in problem
    assert editor.items.item(0).text().startswith("\u26a0")
    assert not editor.save()
    assert not (paths.user_routines(data)).exists() or not list(
        paths.user_routines(data).glob("*.yaml"))


def test_a_bundled_routine_is_edited_as_a_copy_and_a_saved_one_in_place(qtbot, data):
    library = routines.load_for_app(data)
    bundled = paths.bundled_routines() / "daily.yaml"
    before = bundled.read_bytes()
    editor = RoutineEditor(data, library, library.routines["daily-evening"])
    qtbot.addWidget(editor)
    assert editor.copying and "never changed" in editor.notice.text()
    assert editor.ident.text() == "daily-evening-copy"
    dose(editor, 1, "reps", reps=(12, 0, 0), sets=3)
    assert editor.save()
    assert bundled.read_bytes() == before
    path = paths.user_routines(data) / "daily-evening-copy.yaml"
    path.write_text("# My own comment\n" + path.read_text())
    library = routines.load_for_app(data)
    copy = library.routines["daily-evening-copy"]
    assert copy.exercises[1].dose.sets == 3
    again = RoutineEditor(data, library, copy)
    qtbot.addWidget(again)
    assert not again.copying and again.document.path == path
    dose(again, 1, "reps", reps=(12, 0, 0), sets=2)
    assert again.save()
    assert path.read_text().count("# My own comment") == 1
    assert routines.load_for_app(data).routines["daily-evening-copy"].exercises[1].dose.sets == 2


def test_a_custom_exercise_with_its_own_drawing_is_sent_and_imported(qtbot, data, tmp_path):
    picture = tmp_path / "My Drawing.png"
    image = QImage(120, 80, QImage.Format.Format_RGB32)
    image.fill(QColor("#336699"))
    assert image.save(str(picture))
    library = routines.load_for_app(data)
    editor = RoutineEditor(data, library)
    qtbot.addWidget(editor)
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Three for Sam")
    add(qtbot, editor, "cat cow")
    add(qtbot, editor, "bird dog")
    form = editor.exercise_form()
    qtbot.addWidget(form)
    assert not form.try_accept()  # nothing filled in yet
    assert form.problems["name"].text() == "should not be empty"
    assert form.problems["steps"].text() == "needs at least 1 entry"
    form.name.setText("Towel hamstring stretch")
    choose(form.category, "stretch")
    form.steps.setPlainText("Lie on your back.\nLoop a towel round one foot.\nStraighten the knee.")
    form.key_cue.setText("Keep the other leg long.")
    form.why.setText("It eases tight hamstrings that pull on the pelvis.")
    form.stop_if.setPlainText("Pain runs down the leg.")
    choose(form.dose.kind, "hold")
    form.dose.hold.setValue(30)
    choose(form.dose.sides, "both")
    not_an_image = tmp_path / "fake.png"
    not_an_image.write_text("hello")
    assert not form.start.use_file(not_an_image)
    assert "not a PNG, JPEG or SVG" in form.picture_problem.text()
    assert form.start.use_file(picture)
    assert form.end.combo.findText("Bird dog, end") >= 0
    choose(form.end.combo, form.end.combo.itemData(form.end.combo.findText("Bird dog, end")))
    assert form.try_accept()
    assert editor.items.count() == 3 and "Towel hamstring stretch" in editor.items.item(2).text()
    assert editor.save()

    library = routines.load_for_app(data)
    assert library.ok, [str(p) for p in library.problems]
    routine = library.routines["three-for-sam"]
    package = send_to_patient(tmp_path / "outbox", library, routine,
                              HandoutChoice("Sam", "Every evening.", "letter"))
    names = sorted(p.relative_to(package.folder).as_posix() for p in package.folder.rglob("*"))
    assert names == ["pictures", f"pictures/{package.pictures[0].name}", "read-me.txt",
                     "three-for-sam-handout.pdf", "three-for-sam.yaml"]
    text = package.routine_file.read_text()
    assert "illustrations/bird-dog-end.svg" in text and "pictures/my-drawing-" in text
    # On its own beside the bundled library (what the patient's BackRehab loads).
    sent = load_library(routines.with_bundled([package.folder]), asset_roots=[paths.assets()])
    assert sent.ok, [str(p) for p in sent.problems]
    assert sent.routines["three-for-sam"] == routine
    assert sent.images["towel-hamstring-stretch"][0].parent == package.folder / "pictures"
    # The patient imports the folder on a fresh data folder and plays the routine.
    patient = tmp_path / "patient"
    imported = import_path(package.folder, patient)
    assert imported.ok, [str(p) for p in imported.problems]
    assert len(imported.pictures) == 1  # the custom drawing came along; the PDF stayed
    patient_library = routines.load_for_app(patient)
    assert patient_library.ok, [str(p) for p in patient_library.problems]
    assert patient_library.routines["three-for-sam"] == routine
    assert patient_library.images["towel-hamstring-stretch"][0].is_file()
    summary = play_to_the_end(patient_library.routines["three-for-sam"], patient_library)
    assert summary.completed


def test_the_program_copy_gets_its_own_weeks_and_daily_blocks(qtbot, data, tmp_path):
    from backrehab_gui.ui.editor.program_form import ProgramEditor
    from backrehab_gui.ui.handout import handout_for, write_handout

    library = routines.load_for_app(data)
    bundled = library.programs["lower-back-8-weeks"]
    editor = ProgramEditor(data, library, bundled)
    qtbot.addWidget(editor)
    assert editor.copying and editor.ident.text() == "lower-back-8-weeks-copy"
    assert [p.weeks.value() for p in editor.phases] == [2, 4, 2]
    editor.phases[0].weeks.setValue(3)  # a slower start: the later phases move on a week
    editor.phases[1].sessions[0].per_week.setValue(2)
    morning, remind, time = editor.blocks[m.Block.MORNING]
    morning.setCurrentIndex(0)  # no morning block
    assert editor.check_now().ok
    assert editor.overview.text().startswith("9 weeks:")
    assert editor.save()
    copy = routines.load_for_app(data).programs["lower-back-8-weeks-copy"]
    assert [str(p.weeks) for p in copy.phases] == ["1-3", "4-7", "8-9"]
    assert [p.id for p in copy.phases] == [p.id for p in bundled.phases]
    assert copy.phases[1].sessions[0].per_week == 2
    assert [d.block for d in copy.daily] == [m.Block.MIDDAY, m.Block.EVENING]
    assert copy.progressions == bundled.progressions and copy.maintenance == bundled.maintenance
    assert write_handout(tmp_path / "p.pdf", handout_for(routines.load_for_app(data),
                                                         copy.id)) >= 2
    # A phase with no name is marked in that phase, and nothing is saved.
    editor.phases[2].name.setText("")
    assert not editor.save()
    assert "should not be empty" in editor.phases[2].problem.text()


def test_the_routines_tab_opens_the_editor_and_a_save_shows_up_in_the_list(qtbot, tmp_path):
    from PySide6.QtWidgets import QPushButton

    from backrehab_gui.infra.keep_awake import RecordingKeepAwake
    from backrehab_gui.infra.sound import RecordingSoundPlayer
    from backrehab_gui.infra.speech import RecordingSpeaker
    from backrehab_gui.ui.app import App

    app = App(tmp_path, speaker=RecordingSpeaker(), sounds=RecordingSoundPlayer(),
              keep_awake=RecordingKeepAwake(), tray_available=False)
    qtbot.addWidget(app.window)
    view = app.window.routines
    view.select("daily-morning")
    view.findChild(QPushButton, "edit_a_copy").click()
    editor = app.editors[-1]
    assert isinstance(editor, RoutineEditor) and editor.copying
    editor.name.setText("Morning, gentler")
    assert editor.save()
    assert view.selected_id() == "morning-gentler"
    assert "morning-gentler" in app.library.routines
    view.findChild(QPushButton, "program").click()
    assert app.editors[-1].copying
    for window in list(app.editors):
        window.close()
    app.close()


def test_dragging_an_exercise_reorders_the_routine(qtbot, data):
    library = routines.load_for_app(data)
    editor = RoutineEditor(data, library, library.routines["daily-evening"], copy=True)
    qtbot.addWidget(editor)
    before = [i.exercise for i in editor.model.exercises]
    # What a drop does to the list: the first row moved below the last.
    editor.items.model().moveRow(editor.items.rootIndex(), 0, editor.items.rootIndex(), 3)
    # The preview follows by itself, a moment after the drop.
    qtbot.waitUntil(lambda: [i.exercise for i in editor.model.exercises] ==
                    before[1:] + before[:1], timeout=2000)
    assert editor.items.item(0).text().startswith("1. ")
