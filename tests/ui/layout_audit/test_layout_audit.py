"""The layout audit: every screen at every window size, text size and theme.

Every screen in ``audit_screens.SCREENS`` is built once, in one process; each test
puts it in a theme, text size and window size and measures it:

- geometry (every combination): the window fits the screen, no visible widget lies
  over a sibling or runs out of its parent, every label, button and group title has
  the room its text needs (wrapped text measured at its width), nothing scrolls
  sideways, and no painted chart text is cut or lies over another;
- contrast (every theme and text size, at 1366x768): each text's glyphs against their
  ground, both read from the painted pixels: 4.5:1, and 7:1 in high contrast.

A failure lists every problem with the widget and its numbers. To add a screen, add
an entry to ``SCREENS``. ``scripts/layout_contact_sheet.py`` draws the same
combinations for a person to look at.
"""

from __future__ import annotations

import fnmatch
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import audit_checks as checks  # noqa: E402
import audit_contrast  # noqa: E402
import audit_screens as screens  # noqa: E402

CONTRAST_SIZE = (1366, 768)
MINIMUM_CONTRAST = {"light": 4.5, "dark": 4.5, "high-contrast": 7.0}

KNOWN_DEFECTS: dict[str, list[str]] = {
    "History's questionnaire panel (PEG, PSFS) is given a few pixels less height than "
    "its wrapped words need, so their last line is cut": ["geometry/*/*/*/history"],
    "The summary's pain warning at 150 % in a small window is cut by a few pixels in some "
    "runs (it passes on its own)": ["geometry/*/150/800x600/summary-pain-warning"],
}
"""Combinations known to fail, by defect: {"what a person sees": ['check/theme/percent/
WxH/screen' patterns (fnmatch)]}, e.g. {"the summary's scales overlap": ["geometry/*/150/
800x600/summary-*"]}. Empty: every combination passes. For a new screen with known
defects while they are fixed; each is a defect still to fix, named in the open issue."""


def _marks(key: str) -> list:
    # Not strict while these are open: some of the matched combinations pass already.
    return [pytest.mark.xfail(reason=reason, strict=False)
            for reason, patterns in KNOWN_DEFECTS.items()
            if any(fnmatch.fnmatchcase(key, p) for p in patterns)][:1]


def _geometry_cases():
    for theme in screens.THEMES:
        for scale in screens.TEXT_SCALES:
            for screen in screens.SCREENS:
                for size in screens.SIZES:
                    key = f"geometry/{theme}/{round(scale * 100)}/{size[0]}x{size[1]}/" \
                          f"{screen.name}"
                    yield pytest.param(theme, scale, screen, size, id=key.split("/", 1)[1],
                                       marks=_marks(key))


def _contrast_cases():
    for theme in screens.THEMES:
        for scale in screens.TEXT_SCALES:
            for screen in screens.SCREENS:
                key = f"contrast/{theme}/{round(scale * 100)}/" \
                      f"{CONTRAST_SIZE[0]}x{CONTRAST_SIZE[1]}/{screen.name}"
                yield pytest.param(theme, scale, screen, id=key.split("/", 1)[1],
                                   marks=_marks(key))


@pytest.fixture(scope="module")
def scenes(qapp):
    started = time.perf_counter()
    built = screens.Scenes(qapp)
    yield built
    built.close()
    print(f"\nlayout audit: {time.perf_counter() - started:.1f} s")


@pytest.fixture(scope="module")
def probe():
    with pytest.MonkeyPatch.context() as patch:
        recorder = checks.ChartProbe()
        recorder.install(patch)
        yield recorder


def _report(problems: list[checks.Problem]) -> str:
    lines = [str(p) for p in problems[:40]]
    if len(problems) > 40:
        lines.append(f"... and {len(problems) - 40} more")
    return "\n".join(lines)


@pytest.mark.parametrize(("theme", "scale", "screen", "size"), list(_geometry_cases()))
def test_geometry(scenes, probe, theme, scale, screen, size):
    scenes.apply(theme, scale)
    window = scenes.present(screen, size)
    problems = checks.geometry(window, size) + checks.window_charts(window, probe)
    assert not problems, _report(problems)


@pytest.mark.parametrize(("theme", "scale", "screen"), list(_contrast_cases()))
def test_contrast(scenes, probe, theme, scale, screen):
    scenes.apply(theme, scale)
    window = scenes.present(screen, CONTRAST_SIZE)
    problems = audit_contrast.window_contrast(window, MINIMUM_CONTRAST[theme], probe)
    assert not problems, _report(problems)
