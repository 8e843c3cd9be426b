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
    # Every field given in order, none left to its default: the values go in at once.
    cls.__record_names__ = (  # type: ignore[attr-defined]
        tuple(f.name for f in fields) if all(f.init for f in fields) else None)
    cls.__record_name_set__ = frozenset(f.name for f in fields)  # type: ignore[attr-defined]
    cls.__record_post_init__ = hasattr(cls, "__post_init__")  # type: ignore[attr-defined]
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
    cls = type(self)
    names = cls.__record_names__
    # The usual calls (a row read back, a step of a session) give every field, by position
    # or by name: the values go straight into the instance's dict (which a frozen
    # record's __setattr__ would refuse).
    if names is not None and not kwargs and len(args) == len(names):
        self.__dict__.update(zip(names, args))
    elif names is not None and not args and kwargs.keys() == cls.__record_name_set__:
        self.__dict__.update(kwargs)
    else:
        self.__dict__.update(_values(cls, args, kwargs))
    if cls.__record_post_init__:
        self.__post_init__()


def _values(cls: type, args: tuple, kwargs: dict) -> dict[str, object]:
    """Each field's value from the arguments, or its default."""
    spec = cls.__record_init__  # type: ignore[attr-defined]
    taking = sum(1 for _, _, _, init in spec if init)
    if len(args) > taking:
        raise TypeError(f"{cls.__name__}() takes {taking} positional arguments "
                        f"but {len(args)} were given")
    values: dict[str, object] = {}
    given = iter(args)
    for name, default, factory, init in spec:
        value = next(given, _MISSING) if init else _MISSING
        if value is not _MISSING:
            if name in kwargs:
                raise TypeError(f"{cls.__name__}() got multiple values for {name!r}")
            values[name] = value
        elif init and name in kwargs:
            values[name] = kwargs.pop(name)
        elif default is not _MISSING:
            values[name] = default
        elif factory is not _MISSING:
            values[name] = factory()
        elif init:
            raise TypeError(f"{cls.__name__}() missing required argument: {name!r}")
    if kwargs:
        raise TypeError(f"{cls.__name__}() got an unexpected keyword argument "
                        f"{next(iter(kwargs))!r}")
    return values


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
