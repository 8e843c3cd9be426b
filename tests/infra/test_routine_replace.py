"""A new version of what the person has: asked first, done with the old files kept aside,
refused in plain words when it would break a routine they keep or touch BackRehab's own."""

from __future__ import annotations

import errno
import shutil
from datetime import datetime
from pathlib import Path

import pytest

from backrehab_gui.infra import routine_import
from backrehab_gui.infra.put_aside import ReplaceFailed
from backrehab_gui.infra.routine_import import import_path
from backrehab_gui.infra.routines import load_for_app

from ..sample_routines import SVG, TILT, png, sent_with_pictures, therapist_folder
from .test_routine_import import files_under

NOW = datetime(2026, 3, 2, 18, 30)
KEPT = "replaced/2026-03-02 18.30.00"

CORE = """\
format: 1
# Week 1, from Alex (physio)
exercises:
""" + TILT + """\
routines:
  - id: my-core
    name: My core
    exercises:
      - exercise: bird-dog
        dose: {reps: 6, hold: 5s, sides: alternating}
      - exercise: my-tilt
"""

CORE_WEEK_3 = CORE.replace("reps: 6,", "reps: 8,") + "      - exercise: dead-bug\n"


def send(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder / name


def evening(text: str = CORE, ident: str = "my-evening", name: str = "My evening") -> str:
    """Another routine that carries the same custom exercise."""
    return text.replace("id: my-core", f"id: {ident}").replace("name: My core", f"name: {name}")


@pytest.fixture
def data(tmp_path):
    """A data folder with the first week's routine imported."""
    data = tmp_path / "data"
    assert import_path(send(tmp_path / "mail-1", "core.yaml", CORE), data).ok
    return data


# --- An updated routine --------------------------------------------------------------


def test_an_updated_routine_is_asked_about_then_replaces_the_old_one_which_is_kept(
        data, tmp_path):
    sent = send(tmp_path / "mail-2", "core.yaml", CORE_WEEK_3)
    asked = import_path(sent, data)
    assert asked.asks and not asked.ok and asked.problems == []
    assert asked.replacing.changes == [
        "The routine 'My core' (core.yaml) is replaced by the version sent:",
        "  \u2022 adds Dead bug (10 reps (8-12), per side, alternating)",
        "  \u2022 Bird dog: now 8 reps, 5s hold each, per side, alternating (was 6 reps, 5s "
        "hold each, per side, alternating)",
    ]
    # Asking changed nothing.
    assert (data / "routines" / "core.yaml").read_text() == CORE
    assert not (data / "replaced").exists()
    done = import_path(sent, data, replace=asked.replacing, now=NOW)
    assert done.ok and done.kept == data / KEPT
    assert done.target == data / "routines" / "core.yaml"
    assert (data / "routines" / "core.yaml").read_text() == CORE_WEEK_3
    assert (data / KEPT / "core.yaml").read_text() == CORE  # nothing lost
    lib = load_for_app(data)
    assert lib.ok, [str(p) for p in lib.problems]
    assert [i.exercise for i in lib.routines["my-core"].exercises] == ["bird-dog", "my-tilt",
                                                                     "dead-bug"]
    assert lib.routines["my-core"].exercises[0].dose.reps.low == 8


def test_a_plan_that_changed_since_it_was_shown_is_asked_about_again(data, tmp_path):
    sent = send(tmp_path / "mail-2", "core.yaml", CORE_WEEK_3)
    asked = import_path(sent, data)
    sent.write_text(CORE_WEEK_3.replace("reps: 8,", "reps: 10,"))  # a later correction
    again = import_path(sent, data, replace=asked.replacing, now=NOW)
    assert again.asks and "now 10 reps" in "\n".join(again.replacing.changes)
    assert (data / "routines" / "core.yaml").read_text() == CORE
    # The command line's --replace takes whatever is planned now.
    assert import_path(sent, data, replace=True, now=NOW).ok
    assert "reps: 10," in (data / "routines" / "core.yaml").read_text()


def test_the_same_routine_again_is_already_there_and_nothing_is_copied(data, tmp_path):
    again = import_path(send(tmp_path / "mail-2", "core.yaml", CORE), data)
    assert again.ok and again.already and not again.asks
    assert again.target == data / "routines" / "core.yaml"
    assert files_under(data) == ["routines/core.yaml"]


def test_an_updated_folder_replaces_the_folder_and_brings_its_pictures(tmp_path):
    data = tmp_path / "data"
    first = therapist_folder(tmp_path / "week-1")
    assert import_path(first, data).ok
    second = therapist_folder(tmp_path / "week-3")
    (second / "pictures" / "tilt-start.svg").write_text(SVG.replace('width="10"',
                                                                    'width="20"'))
    (second / "week-1.yaml").write_text((second / "week-1.yaml").read_text().replace(
        "reps: 6,", "reps: 8,"))
    asked = import_path(second, data)
    assert asked.asks
    changes = "\n".join(asked.replacing.changes)
    assert "The exercise 'My pelvic tilt' changes:\n  \u2022 its pictures change" in changes
    assert "'From my therapist' (For Sam/week-1.yaml) is replaced" in changes
    assert "'My evening' (For Sam/exercises.yaml) stays as it is" in changes
    done = import_path(second, data, replace=asked.replacing, now=NOW)
    assert done.ok and done.target == data / "routines" / "For Sam"
    assert files_under(data / "routines") == [
        "For Sam/exercises.yaml", "For Sam/pictures/tilt-start.svg", "For Sam/tilt-end.png",
        "For Sam/week-1.yaml"]
    assert 'width="20"' in (data / "routines" / "For Sam" / "pictures" /
                            "tilt-start.svg").read_text()
    # The old folder is kept whole, its pictures too.
    assert 'width="10"' in (data / KEPT / "For Sam" / "pictures" / "tilt-start.svg").read_text()
    assert load_for_app(data).ok


def test_a_routine_left_out_of_the_new_version_is_named_and_kept_aside(tmp_path):
    data = tmp_path / "data"
    both = CORE + evening(CORE).split("routines:\n")[1]
    assert import_path(send(tmp_path / "mail-1", "plan.yaml", both), data).ok
    asked = import_path(send(tmp_path / "mail-2", "plan.yaml", CORE_WEEK_3), data)
    assert ("The routine 'My evening' (plan.yaml) is not in what was sent: it is put aside "
            "with the old file.") in asked.replacing.changes
    assert import_path(tmp_path / "mail-2" / "plan.yaml", data, replace=True, now=NOW).ok
    lib = load_for_app(data)
    assert "my-evening" not in lib.routines and (data / KEPT / "plan.yaml").read_text() == both


def test_a_file_of_their_own_loses_only_the_routine_sent_again_and_keeps_its_comments(
        data, tmp_path):
    mine = data / "routines" / "mine.yaml"
    mine.write_text("format: 1\n# my own two\nroutines:\n"
                    "  - id: my-copy\n    name: My copy\n    exercises: [{exercise: plank}]\n"
                    "  - id: my-walk  # keep this one\n    name: My walk\n"
                    "    exercises: [{exercise: plank}]\n")
    sent = send(tmp_path / "mail-2", "copy.yaml", "format: 1\nroutines:\n"
                "  - {id: my-copy, name: My copy, exercises: [{exercise: bird-dog}]}\n")
    asked = import_path(sent, data)
    assert asked.replacing.changes == [
        "The routine 'My copy' (mine.yaml) is replaced by the version sent:",
        "  \u2022 adds Bird dog (10 reps (8-10), 3s hold each, per side, alternating)",
        "  \u2022 leaves out Plank",
        "mine.yaml keeps its other entries; the routine 'my-copy' is taken out of it."]
    assert import_path(sent, data, replace=asked.replacing, now=NOW).ok
    text = mine.read_text()
    assert "my-copy" not in text and "# my own two" in text and "# keep this one" in text
    assert (data / KEPT / "mine.yaml").read_text().count("my-copy") == 1
    lib = load_for_app(data)
    assert lib.ok and {"my-walk", "my-copy", "my-core"} <= set(lib.routines)


# --- A custom exercise sent again ------------------------------------------------------


def test_a_second_routine_with_the_same_exercise_word_for_word_shares_it(data, tmp_path):
    result = import_path(send(tmp_path / "mail-2", "evening.yaml", evening()), data)
    assert result.ok and not result.asks and result.replacing is None
    assert files_under(data / "routines") == ["core.yaml", "evening.yaml"]
    lib = load_for_app(data)
    assert lib.ok and {"my-core", "my-evening"} <= set(lib.routines)
    assert list(lib.exercises).count("my-tilt") == 1


def test_the_same_exercise_with_the_same_pictures_is_shared_and_another_picture_asks(
        tmp_path):
    data = tmp_path / "data"
    assert import_path(sent_with_pictures(tmp_path / "mail-1"), data).ok
    again = sent_with_pictures(tmp_path / "mail-2", "again.yaml")
    again.write_text(again.read_text().replace("id: my-evening", "id: my-night"))
    assert import_path(again, data).ok
    assert load_for_app(data).ok
    other = sent_with_pictures(tmp_path / "mail-3", "other.yaml")
    other.write_text(other.read_text().replace("id: my-evening", "id: my-late"))
    (other.parent / "tilt-end.png").write_bytes(png() + b"\0")  # another picture
    asked = import_path(other, data)
    assert asked.asks
    assert "  \u2022 its pictures change" in asked.replacing.changes


def test_an_exercise_sent_with_changes_asks_then_replaces_the_older_copy(data, tmp_path):
    changed = evening(CORE.replace("dose: {reps: 8}", "dose: {reps: 12}"))
    asked = import_path(send(tmp_path / "mail-2", "evening.yaml", changed), data)
    assert asked.asks and asked.replacing.changes == [
        "New: the routine 'My evening'.",
        "The exercise 'My pelvic tilt' changes; your 'My core' uses the new version from "
        "now on (the old one is taken out of core.yaml):",
        "  \u2022 its usual dose: now 12 reps (was 8 reps)"]
    assert (data / "routines" / "core.yaml").read_text() == CORE
    assert import_path(tmp_path / "mail-2" / "evening.yaml", data, replace=asked.replacing,
                       now=NOW).ok
    core = (data / "routines" / "core.yaml").read_text()
    assert "id: my-tilt" not in core and "# Week 1, from Alex (physio)" in core
    assert (data / KEPT / "core.yaml").read_text() == CORE
    lib = load_for_app(data)
    assert lib.ok, [str(p) for p in lib.problems]
    assert lib.exercises["my-tilt"].dose.reps.low == 12  # for My core too


def test_an_exercise_change_that_would_break_a_routine_they_keep_is_refused(tmp_path):
    data = tmp_path / "data"
    held = CORE.replace("dose: {reps: 8}", "dose: {hold: 30s}")
    cued = held.replace("      - exercise: my-tilt\n", "      - exercise: my-tilt\n"
                        "        cues: [{at: 25s, say: Keep breathing}]\n")
    assert import_path(send(tmp_path / "mail-1", "core.yaml", cued), data).ok
    shorter = evening(held.replace("dose: {hold: 30s}", "dose: {hold: 10s}"))
    result = import_path(send(tmp_path / "mail-2", "evening.yaml", shorter), data)
    assert not result.ok and not result.asks and result.problems == []
    assert result.breaks_message("evening.yaml", data) == (
        "evening.yaml would change core.yaml so that it would no longer load "
        "(below). Nothing was changed. Ask whoever sent it for a version that suits "
        "core.yaml, or move it out of your routines folder first.")
    # Its line would be in the file as changed, which is not the file as it is: none.
    assert [(p.file, p.line, p.field) for p in result.breaks] == [
        (str(data / "routines" / "core.yaml"), None,
         "routines[my-core].exercises[my-tilt].cues[#1].at")]
    assert "comes 25s into a set that lasts 10s" in result.breaks[0].message
    assert (data / "routines" / "core.yaml").read_text() == cued
    assert files_under(data / "routines") == ["core.yaml"]


def test_a_new_version_that_drops_an_exercise_another_routine_needs_is_refused(data, tmp_path):
    (data / "routines" / "walk.yaml").write_text(
        "format: 1\nroutines:\n  - {id: my-walk, name: My walk, exercises: "
        "[{exercise: my-tilt}]}\n")
    assert load_for_app(data).ok
    without = CORE.replace(TILT, "").replace("exercises:\nroutines:", "routines:").replace(
        "      - exercise: my-tilt\n", "")
    result = import_path(send(tmp_path / "mail-2", "core.yaml", without), data)
    assert not result.ok and not result.asks and result.problems == []
    assert result.breaks_message("core.yaml", data) == (
        "core.yaml would replace or change core.yaml, and then walk.yaml would "
        "no longer load (below). Nothing was changed. Ask whoever sent it for a version that "
        "suits walk.yaml, or move it out of your routines folder first.")
    assert [str(p) for p in result.breaks] == [
        f"{data}/routines/walk.yaml:3:47: routines[my-walk].exercises[my-tilt].exercise: "
        "there is no exercise with the id 'my-tilt'"]
    assert (data / "routines" / "core.yaml").read_text() == CORE


# --- BackRehab's own ids ---------------------------------------------------------------


def test_an_exercise_of_backrehabs_own_is_refused_even_word_for_word(tmp_path):
    from backrehab_gui.infra import paths

    bundled = (paths.bundled_routines() / "exercises.yaml").read_text()
    start = bundled.index("  - id: bird-dog\n")
    end = bundled.index("\n  - id:", start + 1) + 1
    copy = "format: 1\nexercises:\n" + bundled[start:end]
    for text in (copy, copy.replace("name: Bird dog", "name: My bird dog")):
        result = import_path(send(tmp_path / "mail", "dog.yaml", text), tmp_path / "data")
        assert not result.ok and [p.message for p in result.problems] == [
            "'bird-dog' is one of BackRehab's own exercises, and a routine file may not bring "
            "its own version of one; ask whoever sent it to give their exercise an id of its "
            "own (such as my-bird-dog)"]
    assert not (tmp_path / "data" / "routines").exists()


# --- When replacing fails --------------------------------------------------------------


def test_when_the_old_files_cannot_be_kept_nothing_is_replaced(data, tmp_path):
    (data / "replaced").write_text("a file where the folder for old files goes")
    sent = send(tmp_path / "mail-2", "core.yaml", CORE_WEEK_3)
    with pytest.raises(ReplaceFailed) as failed:
        import_path(sent, data, replace=True, now=NOW)
    assert failed.value.message.startswith("nothing was replaced, because the folder for the "
                                           "old files could not be made")
    assert failed.value.message.endswith("Your routines are as they were")
    assert (data / "routines" / "core.yaml").read_text() == CORE
    assert files_under(data) == ["replaced", "routines/core.yaml"]  # no staging left behind


def test_a_replacement_that_fails_halfway_puts_everything_back(data, tmp_path, monkeypatch):
    (data / "routines" / "evening.yaml").write_text(evening())
    changed = evening(CORE.replace("dose: {reps: 8}", "dose: {reps: 12}"), "my-night",
                      "My night")
    sent = send(tmp_path / "mail-2", "core.yaml", CORE_WEEK_3.replace(
        "dose: {reps: 8}", "dose: {reps: 12}"))
    send(tmp_path / "mail-2", "night.yaml", changed)
    before = {p: p.read_bytes() for p in (data / "routines").iterdir()}

    def refuse(_staged, target):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(routine_import, "_move_in", refuse)
    with pytest.raises(ReplaceFailed) as failed:
        import_path(sent.parent, data, replace=True, now=NOW)
    assert failed.value.message.startswith("nothing was replaced, because a file could not be "
                                           "kept or moved (No space left on device")
    assert "Everything was put back" in failed.value.message
    assert {p: p.read_bytes() for p in (data / "routines").iterdir()} == before
    assert not (data / "replaced").exists()
    assert load_for_app(data).ok


def test_a_read_only_routines_folder_loses_nothing_and_says_so(data, tmp_path, disk):
    # The routines folder lives on a disk of its own, which then turns read-only.
    own = disk.path / "routines"
    shutil.move(data / "routines", own)
    (data / "routines").symlink_to(own)
    disk.read_only()
    sent = send(tmp_path / "mail-2", "core.yaml", CORE_WEEK_3)
    with pytest.raises(ReplaceFailed) as failed:
        import_path(sent, data, replace=True, now=NOW)
    assert "Read-only file system" in failed.value.message
    assert "Everything was put back" in failed.value.message
    assert (own / "core.yaml").read_text() == CORE
    assert not (data / "replaced").exists()
    assert load_for_app(data).ok


# --- The whole round: the therapist sends, revises, sends again ----------------------------


def test_a_routine_sent_revised_and_sent_again_replaces_the_first_with_its_pictures(
        tmp_path):
    from backrehab_gui.infra.send import new_folder, package

    clinic = tmp_path / "clinic"
    mine = sent_with_pictures(clinic / "routines", "mine.yaml")

    def send_out() -> Path:
        library = load_for_app(clinic)
        assert library.ok, [str(p) for p in library.problems]
        routine = library.routines["my-evening"]
        return package(new_folder(tmp_path / "outbox", routine), library, routine).folder

    first = send_out()
    patient = tmp_path / "patient"
    assert import_path(first, patient).ok
    mine.write_text(mine.read_text().replace("    dose: {reps: 8}\n    illustration: {start: "
                                             "pictures/tilt-start.svg",
                                             "    dose: {reps: 10}\n    illustration: {start: "
                                             "pictures/tilt-start.svg", 1))
    second = send_out()
    assert second.name == "BackRehab - My evening (2)"
    asked = import_path(second, patient)
    assert asked.asks, asked.problems
    assert asked.replacing.changes[:2] == [
        "The routine 'My evening' (BackRehab - My evening/my-evening.yaml) is replaced by the "
        "version sent:",
        "  \u2022 My pelvic tilt: now 10 reps (was 8 reps)"]
    done = import_path(second, patient, replace=asked.replacing, now=NOW)
    assert done.ok and [p.name for p in (patient / "routines").iterdir()] == [second.name]
    assert (patient / KEPT / first.name / "my-evening.yaml").is_file()
    library = load_for_app(patient)
    assert library.ok, [str(p) for p in library.problems]
    assert library.exercises["my-tilt"].dose.reps.low == 10
    assert library.images["my-tilt"][0].is_relative_to((patient / "routines" /
                                                        second.name).resolve())


def test_a_read_only_routines_folder_keeps_a_sent_folder_whole(tmp_path, disk):
    data = tmp_path / "data"
    assert import_path(therapist_folder(tmp_path / "week-1"), data).ok
    own = disk.path / "routines"
    shutil.move(data / "routines", own)
    (data / "routines").symlink_to(own)
    before = files_under(own)
    disk.read_only()
    second = therapist_folder(tmp_path / "week-3")
    (second / "week-1.yaml").write_text((second / "week-1.yaml").read_text().replace(
        "reps: 6,", "reps: 8,"))
    with pytest.raises(ReplaceFailed) as failed:
        import_path(second, data, replace=True, now=NOW)
    assert "Everything was put back" in failed.value.message
    assert files_under(own) == before and not (data / "replaced").exists()


def test_a_folder_whose_move_stopped_halfway_is_made_whole_again(tmp_path):
    from backrehab_gui.infra.put_aside import _move_back

    kept = therapist_folder(tmp_path / "kept")  # the whole copy, made first
    left = therapist_folder(tmp_path / "routines")  # what the removal left behind
    (left / "pictures" / "tilt-start.svg").unlink()
    (left / "week-1.yaml").unlink()
    _move_back(left, kept)
    assert files_under(left) == files_under(therapist_folder(tmp_path / "fresh"))
    assert not kept.exists()
