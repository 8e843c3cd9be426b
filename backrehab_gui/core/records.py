"""``@record_class``: a dataclass whose methods are written once, not compiled for each class.

``@dataclass`` writes each class's ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``
and, when frozen, ``__setattr__`` and ``__delattr__`` as Python source and compiles it,
some 0.7 ms a class on Python 3.11. The app's start loads about fifty such classes
before Today is on screen, which made those compilations a fifth of what the app added
to a bare window's start (``benchmarks/startup.py``). A record has the same fields,
defaults, ``field()`` options (``default_factory``, ``repr``, ``compare``, ``hash``),
``__post_init__``, ``dataclasses.fields``/``replace``/``asdict`` and pickling; its
methods are the general ones below, which look the fields up when called.

``@record_class`` is ``@dataclass(frozen=True)``; ``@record_class(frozen=False)`` is
``@dataclass``; ``eq=False`` keeps identity equality. A record has no ``__slots__``:
a class that needs them stays a dataclass.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T", bound=type)

_MISSING = dataclasses.MISSING


def record_class(cls: T | None = None, /, *, frozen: bool = True,
           eq: bool = True) -> T | Callable[[T], T]:
    def wrap(cls: T) -> T:
        return _make(cls, frozen=frozen, eq=eq)

    return wrap if cls is None else wrap(cls)


def _make(cls: T, *, frozen: bool, eq: bool) -> T:
    own = dict(cls.__dict__)
    if "__init__" not in own:
        # Before dataclass() looks at the class: a class without a docstring gets one from
        # its signature, which for object's own __init__ is parsed from text (~0.5 ms).
        cls.__init__ = _init  # type: ignore[misc]
    # The fields and everything dataclasses.fields(), replace() and asdict() read; no
    # methods are compiled for that.
    dataclasses.dataclass(cls, init=False, repr=False, eq=False)
    fields = dataclasses.fields(cls)
    cls.__record_init__ = tuple((f.name, f.default, f.default_factory, f.init)  # type: ignore
                                for f in fields)
    cls.__record_repr__ = tuple(f.name for f in fields if f.repr)  # type: ignore[attr-defined]
    compared = tuple(f.name for f in fields if f.compare)
    cls.__record_compare__ = compared  # type: ignore[attr-defined]
    cls.__record_hash__ = tuple(  # type: ignore[attr-defined]
        f.name for f in fields if (f.compare if f.hash is None else f.hash))
    if "__repr__" not in own:
        cls.__repr__ = _repr  # type: ignore[method-assign]
    if eq and "__eq__" not in own:
        cls.__eq__ = _eq  # type: ignore[method-assign]
    if "__hash__" not in own or own["__hash__"] is None and eq:
        if eq and frozen:
            cls.__hash__ = _hash  # type: ignore[method-assign]
        elif eq:
            cls.__hash__ = None  # type: ignore[assignment]
    if frozen:
        cls.__setattr__ = _frozen_setattr  # type: ignore[method-assign]
        cls.__delattr__ = _frozen_delattr  # type: ignore[method-assign]
    return cls


def _init(self: Any, *args: object, **kwargs: object) -> None:
    spec = type(self).__record_init__
    if len(args) > len(spec):
        raise TypeError(f"{type(self).__name__}() takes {len(spec)} positional arguments "
                        f"but {len(args)} were given")
    given = len(args)
    for index, (name, default, factory, init) in enumerate(spec):
        if not init:
            value = default if default is not _MISSING else (
                factory() if factory is not _MISSING else _MISSING)
            if value is _MISSING:
                continue
        elif index < given:
            value = args[index]
            if name in kwargs:
                raise TypeError(f"{type(self).__name__}() got multiple values for {name!r}")
        elif name in kwargs:
            value = kwargs.pop(name)
        elif default is not _MISSING:
            value = default
        elif factory is not _MISSING:
            value = factory()
        else:
            raise TypeError(f"{type(self).__name__}() missing required argument: {name!r}")
        object.__setattr__(self, name, value)
    if kwargs:
        raise TypeError(f"{type(self).__name__}() got an unexpected keyword argument "
                        f"{next(iter(kwargs))!r}")
    post_init = getattr(self, "__post_init__", None)
    if post_init is not None:
        post_init()


def _repr(self: Any) -> str:
    shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in type(self).__record_repr__)
    return f"{type(self).__qualname__}({shown})"


def _eq(self: Any, other: object) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    names = type(self).__record_compare__
    return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, n) for n in type(self).__record_hash__))


def _frozen_setattr(self: Any, name: str, value: object) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: Any, name: str) -> None:
    raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
