"""The JSON Schema of the routine format, generated from the models.

The shipped file ``routines/backrehab.schema.json`` is this function's
output (``backrehab schema --out routines/backrehab.schema.json``); a test
fails when the two differ, so the schema editors use can never drift from
what the loader accepts.

Each field's docstring (the string under it in ``core.model``) is its description, as
editors show it on hover; a description given in ``Field`` stays. pydantic reads a
class's own (``use_attribute_docstrings``, for the schema only: the checks need none),
and those of the fields a class takes from its base (a dose's sets, rest, source) are
added here.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap

from .model import FORMAT_VERSION, RoutineFile
from .strict import Strict, described

SCHEMA_FILE_NAME = "backrehab.schema.json"


def json_schema() -> dict:
    schema = described(RoutineFile).json_schema(mode="validation",
                                                schema_generator=_generator())
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


def _generator() -> type:
    from pydantic.json_schema import GenerateJsonSchema

    class Generator(GenerateJsonSchema):
        def get_default_value(self, schema):  # type: ignore[no-untyped-def]
            # A list left out is empty (``= []`` in the models: a new list for each record).
            if schema.get("default_factory") is list:
                return []
            return super().get_default_value(schema)

        def dataclass_schema(self, schema):  # type: ignore[no-untyped-def]
            out = super().dataclass_schema(schema)
            properties = out.get("properties", {})
            for cls in schema["cls"].__mro__[1:]:
                if issubclass(cls, Strict) and cls is not Strict:
                    for name, doc in _field_docstrings(cls).items():
                        if name in properties:
                            properties[name].setdefault("description", doc)
            return out

    return Generator


def _field_docstrings(cls: type) -> dict[str, str]:
    """{field: docstring} from the class's own source: a string right under a field."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(cls)))
    body = tree.body[0].body  # the class
    docs: dict[str, str] = {}
    for field, after in zip(body, body[1:]):
        if isinstance(field, ast.AnnAssign) and isinstance(field.target, ast.Name) and \
                isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and \
                isinstance(after.value.value, str):
            docs[field.target.id] = inspect.cleandoc(after.value.value)
    return docs
