"""Whatever text arrives, the loader answers with problems, never with a crash."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backrehab_gui.core.loading import ParsedFile, parse_text

yaml_alphabet = string.printable + "äé–→\u00a0"
yaml_tokens = st.sampled_from([
    "format: 1\n", "exercises:\n", "routines:\n", "  - ", "id: a\n", "dose: {", "reps: ", "hold: ",
    "}", "[", "]", "&x ", "*x", "!!python/object:os.system ", "!tag ", "<<: ", "---\n", "- ",
    "'", '"', "\t", ": ", "max", "-1", "8-12", "1:30", "null", "~", "?", "|\n", ">\n", "#",
])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=yaml_alphabet, max_size=400))
def test_arbitrary_text_never_raises(text):
    result = parse_text(text, "fuzz.yaml")
    assert isinstance(result, ParsedFile)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(yaml_tokens | st.text(max_size=8), max_size=60).map("".join))
def test_yaml_shaped_text_never_raises(text):
    result = parse_text(text, "fuzz.yaml")
    assert all(p.file == "fuzz.yaml" and p.message for p in result.problems)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True)
    | st.text(max_size=12),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(["id", "name", "reps", "hold", "dose", "exercises",
                                       "format", "sets", "sides", "x"]), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["format", "exercises", "routines", "programs",
                                        "safety", "sources"]), json_values, max_size=6))
def test_arbitrary_structures_never_raise(doc):
    import yaml

    text = yaml.safe_dump(doc, allow_unicode=True)
    result = parse_text(text, "fuzz.yaml")
    assert isinstance(result, ParsedFile)
