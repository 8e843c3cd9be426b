"""A drawing reached through a link that leads out of the routine folder is named as such."""

from backrehab_gui.core.loading import load_library

FILE = """\
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
    illustration: {start: pictures/tilt.svg}
"""
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'


def _folder(tmp_path):
    folder = tmp_path / "sent"
    (folder / "pictures").mkdir(parents=True)
    (folder / "plan.yaml").write_text(FILE)
    return folder


def test_a_link_to_a_picture_outside_says_so_rather_than_not_found(tmp_path):
    folder = _folder(tmp_path)
    (tmp_path / "tilt.svg").write_text(SVG)
    (folder / "pictures" / "tilt.svg").symlink_to(tmp_path / "tilt.svg")
    lib = load_library([folder / "plan.yaml"])
    [problem] = lib.problems
    assert "is a link to a file outside the routine folder" in problem.message
    assert problem.field == "exercises[my-tilt].illustration.start"


def test_a_linked_folder_leading_outside_is_named_too(tmp_path):
    folder = _folder(tmp_path)
    (folder / "pictures").rmdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "tilt.svg").write_text(SVG)
    (folder / "pictures").symlink_to(tmp_path / "elsewhere")
    [problem] = load_library([folder / "plan.yaml"]).problems
    assert "is a link to a file outside" in problem.message


def test_a_link_within_the_folder_is_fine_and_a_missing_picture_is_not_found(tmp_path):
    folder = _folder(tmp_path)
    (folder / "real.svg").write_text(SVG)
    (folder / "pictures" / "tilt.svg").symlink_to(folder / "real.svg")
    lib = load_library([folder / "plan.yaml"])
    assert lib.ok and lib.images["my-tilt"][0] == (folder / "real.svg").resolve()
    (folder / "pictures" / "tilt.svg").unlink()
    [problem] = load_library([folder / "plan.yaml"]).problems
    assert "was not found" in problem.message
