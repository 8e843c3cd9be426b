"""The JSON Schema of the routine format, generated from the models.

The shipped file ``routines/backrehab.schema.json`` is this function's
output (``backrehab schema --out routines/backrehab.schema.json``); a test
fails when the two differ, so the schema editors use can never drift from
what the loader accepts.
"""

from __future__ import annotations

import ast
import inspect
import json
import textwrap

from pydantic import BaseModel

from . import model
from .model import FORMAT_VERSION, RoutineFile

SCHEMA_FILE_NAME = "backrehab.schema.json"


def json_schema() -> dict:
    _describe_fields()
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


_described = False


def _describe_fields() -> None:
    """Each field's docstring (the string under it in ``core.model``) becomes its description,
    as editors show it on hover; a description given in ``Field`` stays.

    Done here, once, rather than by pydantic's ``use_attribute_docstrings`` at every
    import: reading the source costs the app's start-up and it needs no descriptions.
    The models are rebuilt in the order they are defined, each after those it uses.
    """
    global _described
    if _described:
        return
    _described = True
    models = [c for c in vars(model).values()
              if isinstance(c, type) and issubclass(c, BaseModel) and c is not BaseModel]
    for cls in models:
        docs: dict[str, str] = {}
        for base in reversed(cls.__mro__):
            if base in models:
                docs.update(_field_docstrings(base))
        for name, info in cls.model_fields.items():
            if info.description is None and name in docs:
                info.description = docs[name]
        cls.model_rebuild(force=True)


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
