"""The pain thresholds: each written down with its meaning and source, and the docs agree."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from backrehab_gui.core import pain_rules
from backrehab_gui.core.pain_rules import (
    HIGH_PAIN,
    LASTING_MINUTES,
    MEAN_RISE,
    MIN_RATED_SESSIONS,
    MODERATE,
    MORE_THAN_LIGHT,
    RISE_LIMIT,
)

ROOT = Path(__file__).resolve().parents[2]


def test_every_threshold_says_what_it_means_and_where_it_comes_from():
    tree = ast.parse(Path(pain_rules.__file__).read_text(encoding="utf-8"))
    body = tree.body
    sources = ast.get_docstring(tree)
    found = []
    for node, after in zip(body, body[1:]):
        if not (isinstance(node, ast.Assign) and node.targets[0].id.isupper()):
            continue
        name = node.targets[0].id
        if name in ("PAIN_MIN", "PAIN_MAX"):
            continue
        assert isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant), name
        doc = after.value.value
        cited = re.findall(r"([A-Z][a-z]+) et al\. (\d{4})", doc)
        assert cited or "Our own choice" in doc or "guide-faq" in doc, name
        for author, year in cited:           # every citation is in the list of sources
            assert re.search(rf"{author} .*\. {year};", sources, re.S), (name, author)
        found.append(name)
    assert {"RISE_LIMIT", "HIGH_PAIN", "MODERATE", "LASTING_MINUTES", "NEXT_DAY_WITHIN",
            "HOLD_AFTER_FLAG_WEEKS", "MEAN_RISE", "MIN_RATED_SESSIONS"} <= set(found)


def test_the_docs_state_the_thresholds_the_code_uses():
    text = " ".join((ROOT / "docs" / "adherence.md").read_text(encoding="utf-8").split())
    assert f"**{RISE_LIMIT} or more points higher**" in text
    assert f"**{HIGH_PAIN} or more**" in text
    assert f"**{MODERATE[0]} to {MODERATE[1]}**" in text
    assert f"more than light ({MORE_THAN_LIGHT} or more) lasted **longer than " \
           f"{LASTING_MINUTES} minutes**" in text
    assert f"less than {MEAN_RISE:g} point above the first week's" in text
    assert f"at least {MIN_RATED_SESSIONS} sessions in the phase with a pain-after score" \
        in text
    assert "core/pain_rules.py" in text


def test_the_bands_fit_together():
    assert MODERATE[0] == MORE_THAN_LIGHT and MODERATE[1] < HIGH_PAIN
    assert 0 < MEAN_RISE < RISE_LIMIT
