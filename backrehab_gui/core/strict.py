"""The base of the routine format's models: plain immutable records, checked by pydantic
only when data comes in.

A model here is a standard-library dataclass whose annotations name the field types of
``fields`` (each with its limits). pydantic checks data against those annotations, but
is loaded only when something is checked: a routine file the cache has not seen, an
editor's form, the JSON Schema. The app's usual start reads its routine files from the
cache (``infra.routine_cache``) and so never loads pydantic at all, which is most of
what a start would otherwise cost.

So the annotations are text until pydantic reads them (``from __future__ import
annotations`` in the model modules), and the names they use that need pydantic (the
field types, ``Field``, ``Tag``...) are given to those modules when the first check is
built (``__validation_names__``, see ``_prepare``).

The methods pydantic's ``BaseModel`` offers and the app uses keep their names and
meaning: ``model_validate``, ``model_copy``, ``model_dump``, ``model_fields``,
``model_construct``, ``model_json_schema``.

Each model class is made a dataclass by ``Strict`` itself, without the generated
``__init__``, ``__repr__``, ``__eq__`` and frozen ``__setattr__`` of ``dataclass``:
Python 3.11 compiles each of those from text for each class (see ``core.records``);
the ones here are written once, for every model.
"""

from __future__ import annotations

import dataclasses
import functools
import sys
from typing import Any, ClassVar

CONFIG = {
    "extra": "forbid",
    "frozen": True,
    "str_strip_whitespace": True,
    "arbitrary_types_allowed": True,
}
"""pydantic's settings for every model (a ``ConfigDict``, which is a plain dict): unknown
keys are errors, text is trimmed. The fields' docstrings become their descriptions only
in the JSON Schema (``core.schema``): reading them from the source for every check would
slow the first launch."""


class _Fields:
    """``Model.model_fields``: pydantic's ``FieldInfo`` of each field, built when asked."""

    def __get__(self, obj: object, owner: type[Strict]) -> dict[str, Any]:
        return _field_infos(owner)


class Strict:
    """Base of every part of the format: immutable, unknown keys rejected, checked on the
    way in.

    A subclass may define ``_check(self)``, raising ValueError with a plain message, for
    rules across its fields; it runs after the fields are checked, like pydantic's
    ``model_validator(mode="after")``.
    """

    __pydantic_config__: ClassVar[dict] = CONFIG
    model_fields: ClassVar[_Fields] = _Fields()

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            # ``= []`` means a new empty list for each record, as in pydantic.
            if name in cls.__dict__.get("__annotations__", {}) and isinstance(value, list) \
                    and not value:
                setattr(cls, name, dataclasses.field(default_factory=list))
        dataclasses.dataclass(cls, init=False, repr=False, eq=False)

    # --- A frozen record -------------------------------------------------------------

    def __init__(self, **values: object) -> None:
        """Made in code (not from a file): no checks, the defaults filled in."""
        for name, spec in self.__dataclass_fields__.items():  # type: ignore[attr-defined]
            if name in values:
                value = values.pop(name)
            elif spec.default is not dataclasses.MISSING:
                value = spec.default
            elif spec.default_factory is not dataclasses.MISSING:
                value = spec.default_factory()
            else:
                raise TypeError(f"{type(self).__name__}() needs {name!r}")
            object.__setattr__(self, name, value)
        if values:
            raise TypeError(f"{type(self).__name__}() has no field {next(iter(values))!r}")

    def __setattr__(self, name: str, value: object) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:
        return hash((type(self), *self.__dict__.values()))

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}"
                          for name in self.__dataclass_fields__)  # type: ignore[attr-defined]
        return f"{type(self).__name__}({shown})"

    # --- pydantic's model methods ------------------------------------------------------

    @classmethod
    def model_validate(cls, data: object):
        """A checked record from plain data; raises pydantic's ValidationError."""
        return _adapter(cls).validate_python(data)

    @classmethod
    def model_construct(cls, **values: object):
        """A record from values taken as they are (the defaults for the rest)."""
        return cls(**values)

    @classmethod
    def model_json_schema(cls, mode: str = "validation", **options: object) -> dict:
        return _adapter(cls).json_schema(mode=mode, **options)  # type: ignore[arg-type]

    def model_copy(self, *, update: dict | None = None):
        """A copy with some fields changed, unchecked (as pydantic's ``model_copy``)."""
        copy = object.__new__(type(self))
        copy.__dict__.update(self.__dict__)
        if update:
            copy.__dict__.update(update)
        return copy

    def model_dump(self, *, mode: str = "python", **options: object) -> dict:
        """Plain data, as pydantic serializes the record (``mode="json"``: JSON types)."""
        return _adapter(type(self)).dump_python(self, mode=mode, **options)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: type, handler: Any) -> Any:
        from pydantic_core import core_schema

        schema = handler(source)
        check = getattr(cls, "_check", None)
        if check is None:
            return schema

        def checked(value: Strict) -> Strict:
            check(value)
            return value

        return core_schema.no_info_after_validator_function(checked, schema)


def _prepare(cls: type) -> None:
    """Give the module of ``cls``, and of every model it may name, the names its
    annotations use (``__validation_names__``), before pydantic reads them."""
    for base in _model_modules():
        module = sys.modules[base]
        names = getattr(module, "__validation_names__", None)
        if names is not None and not getattr(module, "_names_given", False):
            vars(module).update(names())
            module._names_given = True  # type: ignore[attr-defined]


def _model_modules() -> list[str]:
    """Every module that defines a model (the format's models name one another)."""
    found: dict[str, None] = {}
    pending = list(Strict.__subclasses__())
    while pending:
        cls = pending.pop()
        found[cls.__module__] = None
        pending.extend(cls.__subclasses__())
    return list(found)


@functools.cache
def _adapter(cls: type) -> Any:
    """pydantic's checker for ``cls``, built once (pydantic loads here)."""
    from pydantic import TypeAdapter

    _prepare(cls)
    return TypeAdapter(cls)


def described(cls: type) -> Any:
    """pydantic's adapter for ``cls`` with every field's docstring as its description, for
    the JSON Schema (``core.schema``); built afresh each time."""
    from pydantic import TypeAdapter

    _prepare(cls)
    plain = Strict.__pydantic_config__
    Strict.__pydantic_config__ = {**plain, "use_attribute_docstrings": True}
    try:
        return TypeAdapter(cls)
    finally:
        Strict.__pydantic_config__ = plain


@functools.cache
def _field_infos(cls: type) -> dict[str, Any]:
    from pydantic.fields import FieldInfo

    _prepare(cls)
    infos: dict[str, Any] = {}
    for name, spec in cls.__dataclass_fields__.items():  # type: ignore[attr-defined]
        annotation = _annotation(cls, name)
        if spec.default is not dataclasses.MISSING:
            info = FieldInfo.from_annotated_attribute(annotation, spec.default)
        elif spec.default_factory is not dataclasses.MISSING:
            from pydantic import Field

            info = FieldInfo.from_annotated_attribute(
                annotation, Field(default_factory=spec.default_factory))
        else:
            info = FieldInfo.from_annotation(annotation)
        infos[name] = info
    return infos


def _annotation(cls: type, name: str) -> object:
    """A field's annotation, read in the module of the class that declares the field."""
    for base in cls.__mro__:
        annotations = base.__dict__.get("__annotations__", {})
        if name in annotations:
            text = annotations[name]
            if not isinstance(text, str):
                return text
            return eval(text, vars(sys.modules[base.__module__]))  # the module's own text
    raise KeyError(name)
