"""A physiotherapist cites their own source for a dose in the routine editor."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from backrehab_gui.core.yamlsafe import load_yaml
from backrehab_gui.infra import paths, routines
from backrehab_gui.ui.editor.window import RoutineEditor


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "therapist"


def editor_with(qtbot, data: Path, *exercises: str) -> RoutineEditor:
    editor = RoutineEditor(data, routines.load_for_app(data))
    qtbot.addWidget(editor)
    editor.name.selectAll()
    qtbot.keyClicks(editor.name, "Week 1 for Sam")
    for words in exercises:
        editor.picker.search.clear()
        qtbot.keyClicks(editor.picker.search, words)
        qtbot.keyClick(editor.picker.search, Qt.Key.Key_Return)
    return editor


def own_dose(editor: RoutineEditor, row: int) -> None:
    editor.items.setCurrentRow(row)
    editor.item_editor.usual.setChecked(False)


def test_a_new_source_is_chosen_for_a_dose_saved_and_named_after_a_reload(qtbot, data):
    editor = editor_with(qtbot, data, "bird dog", "cat cow")
    own_dose(editor, 0)
    dose = editor.item_editor.dose
    assert dose.new_source_button.isVisibleTo(editor) and dose.new_source_button.isEnabled()
    form = editor.source_form(dose)
    qtbot.addWidget(form)
    form.title.setText("My clinical judgement")
    form.edits["author"].setText("Jordan Lee, PT")
    form.edits["url"].setText("https://example.org/notes")
    assert form.try_accept()
    # Offered and chosen at once; the routine checks clean with it.
    assert dose.source.currentText() == "My clinical judgement"
    assert dose.source.currentData() == "my-clinical-judgement"
    assert editor.check_now().ok
    assert editor.save()

    path = editor.document.path
    assert path.parent == paths.user_routines(data)
    saved, _ = load_yaml(path.read_text())
    assert saved["sources"] == [{"id": "my-clinical-judgement", "title": "My clinical judgement",
                                 "author": "Jordan Lee, PT",
                                 "url": "https://example.org/notes"}]
    library = routines.load_for_app(data)
    assert library.ok, [str(p) for p in library.problems]
    routine = library.routines["week-1-for-sam"]
    assert routine.exercises[0].dose.source == "my-clinical-judgement"
    assert library.sources["my-clinical-judgement"].author == "Jordan Lee, PT"

    # Edited again: the source is offered and kept, and saving keeps it in the file.
    again = RoutineEditor(data, library, routine)
    qtbot.addWidget(again)
    assert again.item_editor.dose.source.currentText() == "My clinical judgement"
    own_dose(again, 1)
    again.item_editor.dose.source.setCurrentIndex(
        again.item_editor.dose.source.findData("my-clinical-judgement"))
    assert again.save()
    library = routines.load_for_app(data)
    assert library.ok, [str(p) for p in library.problems]
    assert [i.dose.source for i in library.routines["week-1-for-sam"].exercises] == [
        "my-clinical-judgement", "my-clinical-judgement"]


def test_an_empty_title_is_refused_and_nothing_typed_is_lost(qtbot, data):
    editor = editor_with(qtbot, data, "bird dog")
    own_dose(editor, 0)
    form = editor.source_form(editor.item_editor.dose)
    qtbot.addWidget(form)
    form.title.setText("   ")
    form.edits["author"].setText("Jordan Lee, PT")
    assert not form.try_accept()
    assert form.problems["title"].text() == "Give the source a title, e.g. My clinical judgement."
    assert not form.problems["title"].isHidden()
    assert form.edits["author"].text() == "Jordan Lee, PT"
    assert not editor.custom_sources and form.result_tree is None

    form.title.setText("x" * 121)  # longer than a title may be
    assert not form.try_accept()
    assert "120" in form.problems["title"].text()
    assert form.title.text() == "x" * 121
    form.title.setText("Bad\x07title")
    assert not form.try_accept()
    assert form.problems["title"].text() and form.title.text() == "Bad\x07title"
    form.title.setText("Notes")
    form.edits["date"].setText("d" * 41)
    assert not form.try_accept()
    assert form.problems["date"].text() and not form.problems["title"].text()
    form.edits["date"].setText("Sept 2025")
    assert form.try_accept()
    assert editor.custom_sources["notes"] == {"id": "notes", "title": "Notes",
                                              "author": "Jordan Lee, PT", "date": "Sept 2025"}


def test_a_new_sources_id_never_clashes(qtbot, data):
    editor = editor_with(qtbot, data, "bird dog")
    own_dose(editor, 0)
    dose = editor.item_editor.dose
    assert "guide-trainer" in editor.library.sources  # one of BackRehab's own
    made = []
    for title in ("Guide trainer", "Guide trainer", "Guide: trainer!"):
        form = editor.source_form(dose)
        qtbot.addWidget(form)
        form.title.setText(title)
        assert form.try_accept()
        made.append(dose.source.currentData())
    assert made == ["guide-trainer-2", "guide-trainer-3", "guide-trainer-4"]
    assert editor.check_now().ok
    assert editor.save()
    library = routines.load_for_app(data)
    assert library.ok, [str(p) for p in library.problems]
    assert library.sources["guide-trainer"].title == "Your Guide to Working Out With Lower " \
        "Back Pain"
    assert {library.sources[i].title for i in made} == {"Guide trainer", "Guide: trainer!"}
    assert library.routines["week-1-for-sam"].exercises[0].dose.source == "guide-trainer-4"


def test_a_new_exercises_usual_dose_can_cite_a_new_source(qtbot, data):
    editor = editor_with(qtbot, data, "bird dog")
    exercise = editor.exercise_form()
    qtbot.addWidget(exercise)
    assert exercise.dose.new_source_button.isVisibleTo(exercise)
    form = editor.source_form(exercise.dose)
    qtbot.addWidget(form)
    assert form.parent() is exercise
    form.title.setText("Prescription for Sam")
    assert form.try_accept()
    assert exercise.dose.source.currentData() == "prescription-for-sam"
    exercise.name.setText("Towel stretch")
    exercise.steps.setPlainText("Lie down.\nLoop a towel round one foot.")
    exercise.key_cue.setText("Keep the other leg long.")
    exercise.why.setText("It eases tight hamstrings.")
    assert exercise.try_accept()
    assert editor.save()
    library = routines.load_for_app(data)
    assert library.ok, [str(p) for p in library.problems]
    assert library.exercises["towel-stretch"].dose.source == "prescription-for-sam"
