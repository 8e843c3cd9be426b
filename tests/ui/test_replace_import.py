"""A new version of a routine, imported in the app: the Routines tab says what changes and
asks; Replace swaps it in and keeps the old file; Keep what I have changes nothing; the
sessions done with the old version stay in the history."""

from __future__ import annotations

import pytest

from backrehab_gui.ui.record_actions import AwayDialog, log_away

from ..infra.test_routine_replace import CORE, CORE_WEEK_3, send
from .test_today import MONDAY, make_app


@pytest.fixture
def week_1(qtbot, enrolled, tmp_path_factory):
    """The app with week 1's core.yaml imported from a sent folder; and the mail folder,
    where the next week's version is sent."""
    mail = tmp_path_factory.mktemp("mail")
    app, _ = make_app(qtbot, enrolled)
    assert app.import_routine(send(mail / "week-1", "core.yaml", CORE))
    return app, mail


def test_a_new_version_is_asked_about_replaced_and_its_history_stays(qtbot, week_1, enrolled):
    app, mail = week_1
    view = app.window.routines
    # A session done with the first version, recorded as the File menu does it.
    dialog = AwayDialog(app.library, app.wall_clock(), "my-core")
    qtbot.addWidget(dialog)
    assert log_away(app, dialog).startswith("Recorded My core")

    sent = send(mail / "week-3", "core.yaml", CORE_WEEK_3)
    assert not app.import_routine(sent)
    assert view.question.isVisibleTo(view)
    assert view.question.question.text() == ("Replace what you have with core.yaml? This is "
                                             "what changes:")
    changes = view.question.changes.toPlainText()
    assert changes.startswith("The routine 'My core' (core.yaml) is replaced by the version "
                              "sent:\n  \u2022 adds Dead bug")
    assert "nothing is deleted" in view.question.note.text()
    assert view.message.text() == ("core.yaml is a new version of what you have: nothing is "
                                   "changed until you choose.")
    routines = enrolled / "routines"
    assert (routines / "core.yaml").read_text() == CORE  # nothing yet

    view.question.replace_button.click()
    assert not view.question.isVisibleTo(view)
    kept = enrolled / "replaced" / f"{MONDAY:%Y-%m-%d %H.%M.%S}"
    assert view.message.text() == ("Replaced with the version in core.yaml. Your old files "
                                   f"are kept in:\n{kept}")
    assert (kept / "core.yaml").read_text() == CORE
    assert [i.exercise for i in app.library.routines["my-core"].exercises][-1] == "dead-bug"
    assert view.selected_id() == "my-core"  # shown with its new exercises
    assert "Dead bug" in view.details.text()

    app.window.tabs.setCurrentIndex(1)
    history = app.window.history
    history.show_day(MONDAY.date())
    assert "My core" in history.day_panel.text()  # done with the old version, still there
    app.close()


def test_keep_what_i_have_changes_nothing(week_1, enrolled):
    app, mail = week_1
    view = app.window.routines
    assert not app.import_routine(send(mail / "week-3", "core.yaml", CORE_WEEK_3))
    view.question.keep_button.click()
    assert not view.question.isVisibleTo(view)
    assert view.message.text() == ("Not imported: you kept what you have. core.yaml was not "
                                   "copied.")
    assert (enrolled / "routines" / "core.yaml").read_text() == CORE
    assert not (enrolled / "replaced").exists()
    assert len(app.library.routines["my-core"].exercises) == 2
    # The same file again: there already, nothing asked.
    assert app.import_routine(mail / "week-1" / "core.yaml")
    assert not view.question.isVisibleTo(view)
    assert view.message.text() == ("You already have everything in core.yaml, exactly as "
                                   "sent; nothing was changed.")
    app.close()


def test_a_plan_that_changed_before_the_answer_is_asked_again(week_1, enrolled):
    app, mail = week_1
    view = app.window.routines
    sent = send(mail / "week-3", "core.yaml", CORE_WEEK_3)
    assert not app.import_routine(sent)
    sent.write_text(CORE_WEEK_3.replace("reps: 8,", "reps: 10,"))  # changed meanwhile
    view.question.replace_button.click()
    assert view.question.isVisibleTo(view)
    assert "now 10 reps" in view.question.changes.toPlainText()
    assert view.message.text().startswith("Something changed since you were asked")
    assert (enrolled / "routines" / "core.yaml").read_text() == CORE
    view.question.replace_button.click()
    assert "reps: 10," in (enrolled / "routines" / "core.yaml").read_text()
    app.close()


def test_a_replacement_that_fails_says_so_and_keeps_the_routine(week_1, enrolled):
    app, mail = week_1
    view = app.window.routines
    (enrolled / "replaced").write_text("in the way")
    assert not app.import_routine(send(mail / "week-3", "core.yaml", CORE_WEEK_3))
    view.question.replace_button.click()
    assert view.message.text().startswith("Nothing was replaced, because the folder for "
                                          "the old files could not be made")
    assert view.message.text().endswith("Your routines are as they were.")
    assert (enrolled / "routines" / "core.yaml").read_text() == CORE
    assert len(app.library.routines["my-core"].exercises) == 2
    app.close()


def test_a_new_version_that_would_break_a_routine_they_keep_is_refused_in_words(week_1,
                                                                                enrolled):
    app, mail = week_1
    view = app.window.routines
    (enrolled / "routines" / "walk.yaml").write_text(
        "format: 1\nroutines:\n  - {id: my-walk, name: My walk, exercises: "
        "[{exercise: my-tilt}]}\n")
    app.reload_routines()
    shorter = CORE.replace("name: My core", "name: My core, lighter").replace(
        "  - id: my-tilt", "  - id: my-tilt-2").replace("exercise: my-tilt\n",
                                                        "exercise: my-tilt-2\n")
    assert not app.import_routine(send(mail / "week-3", "core.yaml", shorter))
    assert not view.question.isVisibleTo(view)
    assert view.message.text().startswith("Not imported: core.yaml would replace or change "
                                          "core.yaml, and then walk.yaml would no longer load")
    assert "there is no exercise with the id 'my-tilt'" in view.problems.toPlainText()
    assert (enrolled / "routines" / "core.yaml").read_text() == CORE
    app.close()
