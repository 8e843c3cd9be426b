"""The JSON Schema of the routine format, generated from the models.

The shipped file ``routines/backrehab.schema.json`` is this function's
output (``backrehab schema --out routines/backrehab.schema.json``); a test
fails when the two differ, so the schema editors use can never drift from
what the loader accepts.
"""

from __future__ import annotations

import json

from .model import FORMAT_VERSION, RoutineFile

SCHEMA_FILE_NAME = "backrehab.schema.json"


def json_schema() -> dict:
    schema = RoutineFile.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://backrehab.invalid/schema/routine-format-{FORMAT_VERSION}.json",
        "title": "BackRehab routine file",
        "description": (
            "Exercises, session routines, programs and safety information for BackRehab. "
            "See docs/routine-format.md."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
