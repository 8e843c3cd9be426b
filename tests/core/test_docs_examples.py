"""Every YAML example in docs/routine-format.md is checked, so the page never lies.

Each ```yaml block is one of three kinds, chosen by an HTML comment on the
closest non-blank line before it (invisible when the page is rendered):

- a complete file: it has a top-level ``format:`` line and no marker (or
  ``<!-- example: complete -->``). It must load with ``parse_text`` and, after
  ``combine``, have no problems at all (so references inside the block are
  checked too); every routine in it must compile to a timeline. The marker may
  add ``estimate ROUTINE-ID=M:SS`` to pin the estimated session time the page
  quotes.
- ``<!-- example: invalid -->``: a complete file that deliberately shows an
  error. It must have problems, and the ```text block that comes straight
  after it must be exactly the problems the loader reports for it when the
  file is called my-routine.yaml.
- ``<!-- example: fragment -->``: part of a file. It must be safe, valid YAML
  (``load_yaml``). Beyond that, a fragment shaped like a known part is also
  validated: a mapping of file sections (``exercises:``, ``routines:``...) as a
  file of its own, a ``dose:`` as a dose and ``cues:`` as a list of cues.

An unmarked block without ``format:`` fails, so no example goes unchecked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from backrehab_gui.core import model as m
from backrehab_gui.core.loading import combine, parse_text
from backrehab_gui.core.timeline import compile_routine
from backrehab_gui.core.yamlsafe import load_yaml

DOC = Path(__file__).resolve().parents[2] / "docs" / "routine-format.md"
EXAMPLE_NAME = "my-routine.yaml"
SECTIONS = {"sources", "exercises", "routines", "programs", "safety"}

_FENCE = re.compile(r"^```(\w*)\s*$")
_MARKER = re.compile(r"^<!--\s*example:\s*(\w+)(.*?)-->\s*$")
_ESTIMATE = re.compile(r"estimate\s+([a-z0-9-]+)\s*=\s*(\d+):([0-5]\d)")
_FORMAT_LINE = re.compile(r"^format:", re.MULTILINE)


@dataclass
class Block:
    lang: str
    text: str
    line: int
    """1-based line of the opening fence in the page."""
    kind: str | None
    extra: str

    def __str__(self) -> str:
        return f"{DOC.name}:{self.line}"


def _blocks() -> list[Block]:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].rstrip() != "```":
            body.append(lines[i])
            i += 1
        assert i < len(lines), f"{DOC.name}:{start + 1}: code block is never closed"
        i += 1
        kind, extra = None, ""
        before = start - 1
        while before >= 0 and not lines[before].strip():
            before -= 1
        if before >= 0 and (marker := _MARKER.match(lines[before].strip())):
            kind, extra = marker.group(1), marker.group(2).strip()
        blocks.append(Block(opening.group(1), "\n".join(body) + "\n", start + 1, kind, extra))
    return blocks


BLOCKS = _blocks()
YAML_BLOCKS = [b for b in BLOCKS if b.lang in ("yaml", "yml")]


def _output_after(block: Block) -> Block | None:
    """The code block that directly follows ``block`` in the page."""
    index = BLOCKS.index(block)
    return BLOCKS[index + 1] if index + 1 < len(BLOCKS) else None


def _load(text: str, folder: Path):
    """parse_text + combine, with any illustration the example names made to exist."""
    parsed = parse_text(text, EXAMPLE_NAME, folder)
    for _, exercise in parsed.entries["exercises"]:
        picture = exercise.illustration
        if picture is None:
            continue
        for rel in (picture.start, picture.end):
            if rel is None:
                continue
            target = (folder / rel).resolve()
            if target.is_relative_to(folder.resolve()) and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    return parsed, combine([parsed])


def test_the_page_has_examples_of_every_kind() -> None:
    kinds = {b.kind or ("complete" if _FORMAT_LINE.search(b.text) else None)
             for b in YAML_BLOCKS}
    assert {"complete", "fragment", "invalid"} <= kinds
    assert len(YAML_BLOCKS) >= 20


@pytest.mark.parametrize("block", YAML_BLOCKS, ids=str)
def test_example(block: Block, tmp_path: Path) -> None:
    has_format = bool(_FORMAT_LINE.search(block.text))
    kind = block.kind
    assert kind in (None, "complete", "fragment", "invalid"), (
        f"{block}: unknown marker 'example: {kind}'; use complete, fragment or invalid")
    if kind is None:
        assert has_format, (
            f"{block}: a YAML example without 'format:' must be marked "
            "<!-- example: fragment --> (or invalid) so it is checked")
        kind = "complete"
    if kind == "fragment":
        assert not has_format, f"{block}: has 'format:', so check it as a complete file"
        _check_fragment(block)
    elif kind == "invalid":
        assert has_format, f"{block}: an invalid example must be a whole file with 'format:'"
        _check_invalid(block, tmp_path)
    else:
        _check_complete(block, tmp_path)


def _check_complete(block: Block, tmp_path: Path) -> None:
    parsed, library = _load(block.text, tmp_path)
    assert not parsed.problems, f"{block}:\n" + "\n".join(map(str, parsed.problems))
    assert library.ok, f"{block}:\n" + "\n".join(map(str, library.problems))
    _check_steps(block, library.exercises.values())
    timelines = {rid: compile_routine(routine, library.exercises)
                 for rid, routine in library.routines.items()}
    for rid, minutes, seconds in _ESTIMATE.findall(block.extra):
        assert rid in timelines, f"{block}: no routine '{rid}' to estimate"
        assert round(timelines[rid].estimate) == int(minutes) * 60 + int(seconds), (
            f"{block}: the page says {rid} takes {minutes}:{seconds}, "
            f"the timeline says {timelines[rid].estimate:.0f} s")


def _check_steps(block: Block, exercises) -> None:
    """Each step is a sentence: one that starts in lower case was split at a comma."""
    for exercise in exercises:
        for step in exercise.steps:
            assert step[:1].isupper(), (
                f"{block}: step {step!r} of {exercise.id} does not start a sentence; was a "
                "one-line [list] split at a comma?")


def _check_invalid(block: Block, tmp_path: Path) -> None:
    _, library = _load(block.text, tmp_path)
    reported = [str(p) for p in library.problems]
    assert reported, f"{block}: marked invalid, but it loads without problems"
    output = _output_after(block)
    assert output is not None and output.lang == "text", (
        f"{block}: an invalid example must be followed by a ```text block with its errors")
    shown = [line for line in output.text.splitlines() if line.strip()]
    assert shown == reported, f"{block}: the page shows other errors than the loader reports"


def _check_fragment(block: Block) -> None:
    data, _ = load_yaml(block.text)
    if not isinstance(data, dict) or not data:
        return
    keys = set(data)
    if keys <= SECTIONS:
        parsed = parse_text("format: 1\n" + block.text, EXAMPLE_NAME)
        assert not parsed.problems, f"{block}:\n" + "\n".join(map(str, parsed.problems))
        _check_steps(block, [e for _, e in parsed.entries["exercises"]])
    elif keys == {"dose"}:
        TypeAdapter(m.Dose).validate_python(data["dose"])
    elif keys == {"cues"}:
        TypeAdapter(list[m.Cue]).validate_python(data["cues"])


def test_a_broken_example_is_caught(tmp_path: Path) -> None:
    """The checks above really fail on a bad example (a guard against a test that passes on air)."""
    broken = Block("yaml", "format: 1\nexercises:\n  - id: x\n", 1, None, "")
    with pytest.raises(AssertionError):
        _check_complete(broken, tmp_path)
    with pytest.raises(Exception):  # noqa: B017 - any validation error will do
        _check_fragment(Block("yaml", "dose:\n  hold: 0\n", 1, "fragment", ""))
