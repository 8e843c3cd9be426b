"""Importing what a therapist sent: checked first, copied in whole (pictures too) or not at all."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

from backrehab_gui.infra.routine_import import MAX_PICTURE_BYTES, import_file, import_folder
from backrehab_gui.infra.routines import load_for_app

GOOD = """\
format: 1
routines:
  - id: from-my-therapist
    name: From my therapist
    exercises:
      - exercise: bird-dog
        dose: {reps: 6, hold: 5s, sides: alternating}
"""

WITH_PICTURES = """\
format: 1
exercises:
  - id: my-tilt
    name: My pelvic tilt
    category: mobility
    position: on-back
    steps: [Flatten your back gently against the floor.]
    key_cue: Slowly
    why: It wakes the deep belly muscles.
    dose: {reps: 8}
    illustration: {start: pictures/tilt-start.svg, end: tilt-end.png}
  - id: my-bridge
    name: My bridge
    category: core
    position: on-back
    steps: [Lift your hips.]
    key_cue: Squeeze
    why: Strong hips spare the back.
    dose: {reps: 8}
    illustration: {start: illustrations/glute-bridge-start.svg}
routines:
  - id: my-evening
    name: My evening
    exercises:
      - exercise: my-tilt
      - exercise: my-bridge
"""

SVG = '<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>\n'


def png() -> bytes:
    """A real one-pixel PNG."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b""))


def sent_with_pictures(folder: Path, name: str = "plan.yaml") -> Path:
    (folder / "pictures").mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(WITH_PICTURES)
    (folder / "pictures" / "tilt-start.svg").write_text(SVG)
    (folder / "tilt-end.png").write_bytes(png())
    (folder / "pictures" / "unused.svg").write_text(SVG)
    return folder / name


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


# --- One file --------------------------------------------------------------------------


def test_a_good_file_is_copied_in_and_loads_with_the_bundled_library(tmp_path):
    sent = tmp_path / "Downloads" / "plan.yaml"
    sent.parent.mkdir()
    sent.write_text(GOOD)
    data = tmp_path / "data"
    result = import_file(sent, data)
    assert result.problems == [] and result.target == data / "routines" / "plan.yaml"
    assert "from-my-therapist" in load_for_app(data).routines
    again = tmp_path / "Downloads" / "other" / "plan.yaml"
    again.parent.mkdir()
    again.write_text(GOOD.replace("from-my-therapist", "second-one"))
    result = import_file(again, data)
    assert result.problems == [] and result.target.name == "plan-2.yaml"
    assert files_under(data / "routines") == ["plan-2.yaml", "plan.yaml"]


def test_a_bad_file_is_refused_with_located_problems_and_nothing_is_copied(tmp_path):
    sent = tmp_path / "plan.yaml"
    sent.write_text(GOOD.replace("bird-dog", "bird-dgo").replace("sides:", "sidez:"))
    data = tmp_path / "data"
    result = import_file(sent, data)
    assert result.target is None and result.problems  # reported, not half-checked
    assert all(p.file == str(sent) and p.line for p in result.problems)
    assert not (data / "routines").exists()


def test_an_id_that_clashes_with_the_bundled_program_is_refused(tmp_path):
    sent = tmp_path / "plan.yaml"
    sent.write_text(GOOD.replace("from-my-therapist", "daily-evening"))
    result = import_file(sent, tmp_path / "data")
    assert result.target is None and "already used" in str(result.problems[0])


def test_only_yaml_files(tmp_path):
    sent = tmp_path / "plan.txt"
    sent.write_text(GOOD)
    result = import_file(sent, tmp_path / "data")
    assert result.target is None and "should end in .yaml" in result.problems[0].message


def test_a_broken_file_already_in_the_folder_does_not_block_an_import(tmp_path):
    data = tmp_path / "data"
    (data / "routines").mkdir(parents=True)
    (data / "routines" / "half-written.yaml").write_text("format: 1\nroutines: [\n")
    sent = tmp_path / "plan.yaml"
    sent.write_text(GOOD)
    assert import_file(sent, data).ok


def test_a_file_brings_the_pictures_it_shows_into_a_folder_of_its_own(tmp_path):
    sent = sent_with_pictures(tmp_path / "mail")
    data = tmp_path / "data"
    result = import_file(sent, data)
    assert result.problems == []
    home = data / "routines" / "plan"
    assert result.target == home / "plan.yaml"
    # Only what it shows: not the unused drawing, nor BackRehab's own bridge drawing.
    assert files_under(home) == ["pictures/tilt-start.svg", "plan.yaml", "tilt-end.png"]
    assert sorted(result.pictures) == [home / "pictures" / "tilt-start.svg",
                                       home / "tilt-end.png"]
    lib = load_for_app(data)
    assert lib.ok
    assert lib.images["my-tilt"] == ((home / "pictures" / "tilt-start.svg").resolve(),
                                     (home / "tilt-end.png").resolve())
    assert lib.images["my-bridge"][0].parent.name == "illustrations"


def test_a_picture_that_is_missing_refuses_the_import(tmp_path):
    sent = sent_with_pictures(tmp_path / "mail")
    (sent.parent / "tilt-end.png").unlink()
    data = tmp_path / "data"
    result = import_file(sent, data)
    assert not result.ok and "'tilt-end.png' was not found" in str(result.problems)
    assert not (data / "routines").exists()


def test_pictures_are_checked_for_kind_and_size_and_every_problem_is_told(tmp_path):
    sent = sent_with_pictures(tmp_path / "mail")
    (sent.parent / "pictures" / "tilt-start.svg").write_bytes(png())  # a PNG named .svg
    with (sent.parent / "tilt-end.png").open("r+b") as handle:
        handle.truncate(MAX_PICTURE_BYTES + 1)
    data = tmp_path / "data"
    result = import_file(sent, data)
    said = {p.field: p.message for p in result.problems}
    assert said["exercises[my-tilt].illustration.start"] == (
        "the picture 'pictures/tilt-start.svg' is a PNG image with a name ending in .svg; "
        "rename it to end in .png and change the routine file to match")
    assert "at most 5 MiB" in said["exercises[my-tilt].illustration.end"]
    assert all(p.file == str(sent) and p.line == 3 for p in result.problems)
    assert not (data / "routines").exists()
    (sent.parent / "tilt-end.png").write_text("not a picture at all")
    said = {p.field: p.message for p in import_file(sent, data).problems}
    assert "is not a PNG image" in said["exercises[my-tilt].illustration.end"]


def test_a_picture_reached_by_a_link_inside_the_folder_is_copied_as_the_picture(tmp_path):
    sent = sent_with_pictures(tmp_path / "mail")
    real = sent.parent / "drawings" / "tilt.svg"
    real.parent.mkdir()
    (sent.parent / "pictures" / "tilt-start.svg").rename(real)
    (sent.parent / "pictures" / "tilt-start.svg").symlink_to(real)
    data = tmp_path / "data"
    assert import_file(sent, data).ok
    copied = data / "routines" / "plan" / "pictures" / "tilt-start.svg"
    assert not copied.is_symlink() and copied.read_text() == SVG
    assert load_for_app(data).ok


# --- A folder --------------------------------------------------------------------------


def therapist_folder(tmp_path: Path) -> Path:
    """What "send to patient" writes: routine files, the pictures they show, a handout."""
    folder = tmp_path / "For Sam"
    sent_with_pictures(folder, "exercises.yaml")
    (folder / "week-1.yaml").write_text(GOOD)
    (folder / "handout.pdf").write_bytes(b"%PDF-1.7\n...")
    return folder


def test_a_folder_brings_every_routine_file_and_its_pictures_but_not_the_handout(tmp_path):
    folder = therapist_folder(tmp_path)
    data = tmp_path / "data"
    result = import_folder(folder, data)
    assert result.problems == [] and result.target == data / "routines" / "For Sam"
    assert files_under(result.target) == ["exercises.yaml", "pictures/tilt-start.svg",
                                          "tilt-end.png", "week-1.yaml"]
    assert len(result.routine_files) == 2 and len(result.pictures) == 2
    lib = load_for_app(data)
    assert lib.ok and {"my-evening", "from-my-therapist"} <= set(lib.routines)
    assert lib.images["my-tilt"][0].is_relative_to(result.target.resolve())


def test_a_folder_with_any_problem_copies_nothing_and_tells_them_all(tmp_path):
    folder = therapist_folder(tmp_path)
    (folder / "week-1.yaml").write_text(GOOD.replace("bird-dog", "bird-dgo"))
    (folder / "tilt-end.png").write_text("not a picture")
    data = tmp_path / "data"
    result = import_folder(folder, data)
    assert not result.ok
    assert {Path(p.file).name for p in result.problems} == {"week-1.yaml", "exercises.yaml"}
    assert any("did you mean 'bird-dog'" in p.message for p in result.problems)
    assert any("is not a PNG image" in p.message for p in result.problems)
    assert not (data / "routines").exists()


def test_folders_that_are_not_a_sent_folder_are_refused_in_plain_words(tmp_path):
    data = tmp_path / "data"
    (data / "routines").mkdir(parents=True)
    empty = tmp_path / "empty"
    (empty / "only-a-pdf").mkdir(parents=True)
    (empty / "handout.pdf").write_bytes(b"%PDF")
    said = import_folder(empty, data).problems[0].message
    assert said == "has no routine files in it (files ending in .yaml)"
    assert "already in your routines folder" in import_folder(data / "routines",
                                                             data).problems[0].message
    assert "holds your routines folder" in import_folder(data, data).problems[0].message


def test_a_folder_imported_twice_keeps_both_copies_apart(tmp_path):
    folder = therapist_folder(tmp_path)
    (folder / "week-1.yaml").unlink()
    data = tmp_path / "data"
    assert import_folder(folder, data).ok
    # The same ids again clash with the first copy: refused, the first copy untouched.
    second = import_folder(folder, data)
    assert not second.ok and "already used" in str(second.problems)
    assert [p.name for p in (data / "routines").iterdir()] == ["For Sam"]
    (folder / "exercises.yaml").write_text(WITH_PICTURES.replace("my-", "our-"))
    third = import_folder(folder, data)
    assert third.ok and third.target.name == "For Sam-2"
    assert load_for_app(data).ok
