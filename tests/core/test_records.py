"""Records behave as the frozen dataclasses they stand in for (see core.records)."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import field

import pytest

from backrehab_gui.core.records import record_class


@record_class
class Visit:
    """A made-up record with every kind of field the app's records use."""

    place: str
    minutes: int = 10
    notes: tuple[str, ...] = field(default_factory=tuple)
    source: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.minutes < 0:
            raise ValueError("minutes cannot be negative")


@dataclasses.dataclass(frozen=True)
class Twin:
    place: str
    minutes: int = 10
    notes: tuple[str, ...] = field(default_factory=tuple)
    source: object = field(default=None, repr=False, compare=False)


def test_a_record_is_made_compared_and_shown_as_a_frozen_dataclass_is():
    for make in (Visit, Twin):
        a, b = make("park", 20, source="one"), make(place="park", minutes=20, source="two")
        assert a == b and hash(a) == hash(b) and a != make("park", 21)
        assert make("park").notes == ()
        assert repr(make("park", 5)) == f"{make.__qualname__}(place='park', minutes=5, notes=())"
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.minutes = 3
        with pytest.raises(TypeError):
            make()
        with pytest.raises(TypeError):
            make("park", 1, (), None, "one too many")
        with pytest.raises(TypeError):
            make("park", colour="green")
    assert Visit("park") != Twin("park")


def test_the_dataclass_tools_work_on_records():
    visit = Visit("park", 20, ("windy",))
    assert [f.name for f in dataclasses.fields(visit)] == ["place", "minutes", "notes", "source"]
    assert dataclasses.asdict(visit) == {"place": "park", "minutes": 20, "notes": ("windy",),
                                         "source": None}
    assert dataclasses.replace(visit, minutes=30) == Visit("park", 30, ("windy",))
    assert pickle.loads(pickle.dumps(visit)) == visit
    assert copy.deepcopy(visit) == visit


def test_post_init_checks_every_way_a_record_is_made():
    with pytest.raises(ValueError, match="negative"):
        Visit("park", -1)
    with pytest.raises(ValueError, match="negative"):
        dataclasses.replace(Visit("park"), minutes=-5)
