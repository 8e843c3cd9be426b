"""The shipped JSON Schema is generated from the models and accepts what the loader accepts."""

import json
from pathlib import Path

import jsonschema
import pytest

from backrehab_gui.core.schema import SCHEMA_FILE_NAME, json_schema, schema_text
from backrehab_gui.core.yamlsafe import load_yaml

ROUTINES = Path(__file__).resolve().parents[2] / "routines"


def test_shipped_schema_is_current():
    shipped = (ROUTINES / SCHEMA_FILE_NAME).read_text(encoding="utf-8")
    assert shipped == schema_text(), (
        "routines/backrehab.schema.json is out of date: run "
        "`backrehab schema --out routines/backrehab.schema.json`")


def test_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json_schema())


@pytest.mark.parametrize("path", sorted(ROUTINES.glob("*.yaml")), ids=lambda p: p.name)
def test_bundled_files_pass_the_schema_an_editor_uses(path):
    data, _ = load_yaml(path.read_bytes())
    jsonschema.Draft202012Validator(json_schema()).validate(data)


def test_schema_catches_a_typo_like_the_loader_does():
    validator = jsonschema.Draft202012Validator(json_schema())
    bad = {"format": 1, "routines": [{"id": "x", "name": "X",
                                      "exercises": [{"exercise": "a", "dose": {"rep": 3}}]}]}
    assert list(validator.iter_errors(bad))
    good = json.loads(json.dumps(bad).replace('"rep"', '"reps"'))
    assert not list(validator.iter_errors(good))
