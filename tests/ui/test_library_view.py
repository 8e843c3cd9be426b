"""The exercise library view: search, read an exercise, variants, cautions, what to avoid."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from backrehab_gui.core import model as m
from backrehab_gui.core.loading import Library
from backrehab_gui.infra import routines
from backrehab_gui.ui.exercise_words import matches
from backrehab_gui.ui.library_view import LibraryView

MARKUP = "<b>Dead</b> bug & <i>co</i>"

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20">'
       '<rect width="40" height="20" fill="#246"/></svg>')


def exercise(ident: str, name: str, **fields) -> m.Exercise:
    data = {"id": ident, "name": name, "category": "core", "position": "on-back",
            "steps": [f"Do {name} well."], "key_cue": f"Cue for {name}.",
            "why": f"{name} helps.", "dose": {"reps": 10}, **fields}
    return m.Exercise.model_validate(data)


@pytest.fixture
def library(tmp_path) -> Library:
    start, end = tmp_path / "start.svg", tmp_path / "end.svg"
    start.write_text(SVG)
    end.write_text(SVG)
    exercises = [
        exercise("dead-bug", MARKUP, equipment=["mat"],
                 steps=["Lie on your <back>.", "Lift & reach.", "Lower slowly."],
                 key_cue="Keep <u>your</u> back down.", tip="Small & slow.",
                 why="It <em>steadies</em> the spine.", easier=["leg-slides"],
                 harder=["plank"], stop_if=["Your back arches & hurts."],
                 illustration={"start": "start.svg", "end": "end.svg"},
                 dose={"reps": "8-12", "target": 10, "sides": "alternating"}),
        exercise("leg-slides", "Leg slides", harder=["dead-bug"]),
        exercise("plank", "Plank", position="on-front", easier=["leg-slides"],
                 dose={"hold": 20}),
        exercise("partial-curl", "Partial curl",
                 caution="Curling up strains the discs of a sore back."),
        exercise("band-row", "Standing row", category="upper-back", position="standing",
                 equipment=["resistance band with handles"]),
        exercise("band-walk", "Band side walk", category="glutes", position="standing",
                 equipment=["loop resistance band"]),
        exercise("husband-stretch", "Towel stretch", category="stretch",
                 steps=["Ask your husband to hold the towel."]),
    ]
    safety = m.Safety.model_validate({
        "disclaimer": "Not medical advice.",
        "avoid": [
            {"id": "sit-ups", "name": "Sit-ups & crunches",
             "why": "They strain the <discs>.", "instead": ["plank", "dead-bug"],
             "covers": ["partial-curl"]},
            {"id": "flare", "name": "Exercising through a flare-up",
             "why": "Pushing on makes it worse.", "instead_text": "Rest, then walk gently.",
             "instead": ["leg-slides"]},
        ],
    })
    return Library(exercises={e.id: e for e in exercises}, safety=safety,
                   images={"dead-bug": (start, end)})


@pytest.fixture
def view(qtbot, library) -> LibraryView:
    widget = LibraryView(library)
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def labels_text(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel)]


def test_searching_band_finds_the_band_exercises_in_the_bundled_library(qtbot, tmp_path):
    view = LibraryView(routines.load_for_app(tmp_path))
    qtbot.addWidget(view)
    view.search.setText("band")
    found = view.visible_ids()
    assert {"band-glute-bridge", "band-side-walk", "standing-band-row",
            "band-pull-apart"} <= set(found)
    for ident in found:
        ex = view.library.exercises[ident]
        text = " ".join([ex.name, *ex.equipment, *ex.steps, ex.why, ex.tip or ""]).lower()
        assert "band" in text
    assert view.count.text() == f"{len(found)} of {len(view.library.exercises)} exercises"
    assert view.selected_id() in found


def test_search_matches_name_equipment_position_and_text_by_word_start(view):
    view.search.setText("band")
    assert set(view.visible_ids()) == {"band-row", "band-walk"}  # not "husband"
    # Name matches come first.
    assert view.visible_ids()[0] == "band-walk"
    view.search.setText("standing resistance")
    assert set(view.visible_ids()) == {"band-row", "band-walk"}
    view.search.setText("front")  # the position, in words
    assert view.visible_ids() == ["plank"]
    view.search.setText("towel")  # a step
    assert view.visible_ids() == ["husband-stretch"]
    view.search.setText("CRUNCH")
    assert view.visible_ids() == []
    assert view.empty.isVisible() and "CRUNCH" in view.empty.text()
    assert view.detail is None
    view.search.clear()
    assert len(view.visible_ids()) == 7 and not view.empty.isVisible()


def test_matches_is_case_blind_and_needs_every_word():
    assert matches("loop resistance band", "Band LOOP")
    assert not matches("loop resistance band", "band mat")
    assert matches("anything", "   ")


def test_the_category_filter(view):
    view.category.setCurrentIndex(view.category.findData("glutes"))
    assert view.visible_ids() == ["band-walk"]
    assert view.selected_id() == "band-walk"
    assert view.category.itemText(view.category.currentIndex()) == "Glutes (1)"
    view.search.setText("plank")
    assert view.visible_ids() == []
    view.category.setCurrentIndex(0)
    assert view.visible_ids() == ["plank"]


def test_selecting_shows_the_steps_key_cue_dose_and_drawings(view):
    assert view.select("dead-bug")
    detail = view.detail
    assert detail.name.text() == MARKUP
    assert [s.text() for s in detail.steps] == ["Lie on your <back>.", "Lift & reach.",
                                                "Lower slowly."]
    numbers = [lbl.text() for lbl in detail.findChildren(QLabel)
               if lbl.objectName().startswith("step_number_")]
    assert numbers == ["1.", "2.", "3."]
    assert detail.key_cue.text() == "Keep <u>your</u> back down."
    assert detail.tip.text() == "Small & slow."
    assert detail.why.text() == "It <em>steadies</em> the spine."
    assert detail.dose.text() == "Usual dose: 10 reps (8-12), per side, alternating"
    assert "Core" in detail.meta.text() and "Lying on your back" in detail.meta.text()
    assert "Needs: mat" in detail.meta.text()
    assert [s.text() for s in detail.stop_if] == ["\u2022  Your back arches & hurts."]
    assert len(detail.pictures) == 2 and all(p.has_image for p in detail.pictures)
    assert detail.caution is None


def test_routine_text_with_markup_shows_literally(view):
    view.select("dead-bug")
    for label in view.findChildren(QLabel):
        assert label.textFormat() == Qt.TextFormat.PlainText
        assert not label.openExternalLinks()
    assert MARKUP in labels_text(view.detail)
    item = view.listing.currentItem()
    assert item.text().startswith(MARKUP + "\n")
    # A button shows & only when written &&; the accessible name keeps the real name.
    view.select("leg-slides")
    button = view.detail.variant_buttons["dead-bug"]
    assert button.text() == "Harder: <b>Dead</b> bug && <i>co</i> \u25b6"
    assert button.accessibleName() == f"Harder variant: {MARKUP}"


def test_a_variant_button_selects_that_exercise(qtbot, view):
    view.select("dead-bug")
    assert set(view.detail.variant_buttons) == {"leg-slides", "plank"}
    assert view.detail.variant_buttons["leg-slides"].text().startswith("\u25c0 Easier:")
    qtbot.mouseClick(view.detail.variant_buttons["plank"], Qt.MouseButton.LeftButton)
    assert view.selected_id() == "plank"
    assert view.detail.name.text() == "Plank"
    QApplication.processEvents()  # the old page is deleted later, safely


def test_enter_on_a_variant_selects_it_even_when_the_search_hides_it(qtbot, view):
    view.search.setText("leg")
    assert view.visible_ids() == ["leg-slides"]
    button = view.detail.variant_buttons["dead-bug"]
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Return)
    assert view.selected_id() == "dead-bug"
    assert view.search.text() == ""  # cleared so the list shows what is chosen
    assert "dead-bug" in view.visible_ids()
    assert view.listing.hasFocus() or QApplication.focusWidget() is view.listing


def test_the_caution_is_shown_with_a_symbol_and_the_word(view):
    view.select("partial-curl")
    detail = view.detail
    assert detail.caution is not None and detail.caution.isVisibleTo(view)
    texts = labels_text(detail.caution)
    assert "\u26a0 Caution" in texts
    assert detail.caution_text.text() == "Curling up strains the discs of a sore back."
    assert detail.caution.accessibleName() == "Caution"
    # It is covered by an avoid entry: the reason and the alternatives are right there.
    assert detail.avoid_note is not None
    assert any("Sit-ups & crunches" in t for t in labels_text(detail.avoid_note))
    assert set(detail.instead_buttons) == {"plank", "dead-bug"}


def test_the_avoid_list_shows_why_and_the_alternatives(qtbot, view):
    qtbot.mouseClick(view.avoid_button, Qt.MouseButton.LeftButton)
    assert view.showing_avoid and view.avoid_button.isChecked()
    page = view.avoid_list
    assert set(page.entries) == {"sit-ups", "flare"}
    sit_ups = labels_text(page.entries["sit-ups"])
    assert "\u2717 Avoid: Sit-ups & crunches" in sit_ups
    assert "They strain the <discs>." in sit_ups
    assert [b.text() for b in page.instead_buttons["sit-ups"]] == [
        "Plank \u25b6", "<b>Dead</b> bug && <i>co</i> \u25b6"]
    assert "Instead: Rest, then walk gently." in labels_text(page.entries["flare"])
    button = page.instead_buttons["flare"][0]
    button.setFocus()
    QTest.keyClick(button, Qt.Key.Key_Enter)
    assert not view.showing_avoid and not view.avoid_button.isChecked()
    assert view.selected_id() == "leg-slides"
    # Pressing the button again toggles back to the exercise.
    qtbot.mouseClick(view.avoid_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.avoid_button, Qt.MouseButton.LeftButton)
    assert not view.showing_avoid and view.selected_id() == "leg-slides"


def test_no_safety_section_hides_the_avoid_button(qtbot, library):
    bare = Library(exercises=library.exercises)
    widget = LibraryView(bare)
    qtbot.addWidget(widget)
    assert widget.avoid_button.isHidden()


def test_ctrl_f_focuses_the_search_and_keys_move_through_the_list(qtbot, view):
    view.activateWindow()
    view.listing.setFocus()
    qtbot.waitUntil(lambda: view.listing.hasFocus())
    QTest.keyClick(view.listing, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.search.hasFocus()
    QTest.keyClicks(view.search, "stand")
    # "Standing row" has it in its name; "Band side walk" only in its position.
    assert view.visible_ids() == ["band-row", "band-walk"]
    QTest.keyClick(view.search, Qt.Key.Key_Down)
    assert view.listing.hasFocus()
    assert view.selected_id() == "band-row"
    QTest.keyClick(view.listing, Qt.Key.Key_Down)
    assert view.selected_id() == "band-walk"
    assert view.detail.name.text() == "Band side walk"
    QTest.keyClick(view.listing, Qt.Key.Key_Up)
    assert view.selected_id() == "band-row"
    view.search.setFocus()
    QTest.keyClick(view.search, Qt.Key.Key_Escape)
    assert view.search.text() == ""


def test_controls_have_accessible_names(view):
    view.select("dead-bug")
    for widget in (view.search, view.category, view.listing, view.avoid_button):
        assert widget.accessibleName()
    for button in view.findChildren(QPushButton):
        assert button.accessibleName(), button.text()
    assert view.listing.currentItem().data(Qt.ItemDataRole.AccessibleTextRole).startswith(
        MARKUP)


def test_text_size_follows_the_widget_font(qtbot, view):
    view.select("dead-bug")
    small = view.detail.name.font().pointSizeF()
    heading = view.heading.font().pointSizeF()
    body = view.detail.steps[0].font().pointSizeF()
    bigger = QFont(view.font())
    bigger.setPointSizeF(view.font().pointSizeF() * 2)
    view.setFont(bigger)
    qtbot.waitUntil(lambda: view.heading.font().pointSizeF() > heading)
    assert view.detail.name.font().pointSizeF() == pytest.approx(small * 2)
    assert view.heading.font().pointSizeF() == pytest.approx(heading * 2)
    assert view.detail.steps[0].font().pointSizeF() == pytest.approx(body * 2)
    assert view.selected_id() == "dead-bug"


def test_try_this_exercise_when_the_app_can(qtbot, library):
    widget = LibraryView(library, can_try=True)
    qtbot.addWidget(widget)
    widget.select("plank")
    with qtbot.waitSignal(widget.sig_try) as tried:
        qtbot.mouseClick(widget.detail.try_button, Qt.MouseButton.LeftButton)
    assert tried.args == ["plank"]
    plain = LibraryView(library)
    qtbot.addWidget(plain)
    assert plain.detail.try_button is None


def test_set_library_keeps_the_selection(qtbot, view, library):
    view.select("plank")
    view.set_library(library)
    assert view.selected_id() == "plank"
    assert view.count.text() == "7 exercises"


def test_unknown_ids_are_ignored(view):
    assert view.select("no-such-exercise") is False


def test_missing_drawings_show_nothing(qtbot, library, tmp_path):
    broken = Library(exercises=library.exercises, safety=library.safety,
                     images={"dead-bug": (Path(tmp_path / "gone.svg"), None)})
    widget = LibraryView(broken)
    qtbot.addWidget(widget)
    widget.select("dead-bug")
    assert widget.detail.pictures == []
