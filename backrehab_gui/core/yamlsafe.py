"""Safe YAML reading with a source map.

Routine files come from therapists and from e-mail attachments, so this
reader trusts nothing in them:

- only YAML's plain data types (no Python object tags, no custom tags);
- a size limit on the file, a depth limit on nesting, and a limit on the
  number of values after aliases are expanded, so a "billion laughs" file is
  refused after a few thousand steps instead of filling memory;
- duplicate keys are an error instead of the later one silently winning.

Alongside the data it returns a source map from each value's path (a tuple of
keys and list indexes) to its line and column, so every later problem can
point at the exact place in the file.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING

from .records import record_class

if TYPE_CHECKING:
    import yaml

from .plaintext import quoted

_yaml: ModuleType | None = None
"""PyYAML, imported when a file is first read: the app starts from routine files it has
already checked (infra.routine_cache), and then needs no YAML at all."""


def _pyyaml() -> tuple[ModuleType, type]:
    """PyYAML and its fastest safe loader."""
    global _yaml
    if _yaml is None:
        import yaml as module

        _yaml = module
    # The C parser is much faster; the pure one gives identical nodes.
    return _yaml, getattr(_yaml, "CSafeLoader", None) or _yaml.SafeLoader

MAX_FILE_BYTES = 1024 * 1024
MAX_VALUES = 50_000
MAX_DEPTH = 40

Path_ = tuple  # a path into the data: ("exercises", 3, "dose", "reps")

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_SCALARS = {
    _STR,
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
# A date such as 2026-01-05 stays the text the author wrote.
_AS_TEXT = {"tag:yaml.org,2002:timestamp"}


@record_class
class Place:
    """A 1-based line and column in a file."""

    line: int
    column: int


@record_class
class YamlProblem(Exception):
    """The text is not safe, well-formed YAML; ``place`` says where."""

    message: str
    place: Place | None = None
    path: Path_ = ()

    def __str__(self) -> str:
        return self.message


@record_class(frozen=False)
class SourceMap:
    """Where each value (and each mapping key) sits in the file: (line, column) by path.

    Plain pairs rather than ``Place`` records: a file's map is kept in the routine cache
    and read back at every start, and thousands of records take several times as long to
    read back as pairs do."""

    values: dict[Path_, tuple[int, int]]
    keys: dict[Path_, tuple[int, int]]

    def place(self, path: Path_) -> Place | None:
        """The place of the value at ``path``, or of its nearest parent."""
        path = tuple(path)
        while True:
            if path in self.keys:
                return Place(*self.keys[path])
            if path in self.values:
                return Place(*self.values[path])
            if not path:
                return None
            path = path[:-1]


def _place(mark: yaml.Mark | None) -> Place | None:
    return None if mark is None else Place(mark.line + 1, mark.column + 1)


def _at(mark: yaml.Mark) -> tuple[int, int]:
    """A place in the source map: (line, column), 1-based."""
    return mark.line + 1, mark.column + 1


def load_yaml(data: bytes | str) -> tuple[object, SourceMap]:
    """Parse one YAML document into plain Python values and a source map.

    Raises ``YamlProblem`` for anything that is not plain, safe YAML within
    the limits above. Never raises anything else.
    """
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise YamlProblem(
                f"the file is {len(data) // 1024} KiB; routine files may be at most "
                f"{MAX_FILE_BYTES // 1024} KiB"
            )
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            raise YamlProblem(
                f"the file is not UTF-8 text (byte {err.start}); save it as UTF-8"
            ) from None
    else:
        text = data
        if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
            raise YamlProblem(f"the text is larger than {MAX_FILE_BYTES // 1024} KiB")
    yaml_, loader_class = _pyyaml()
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
    except yaml_.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        raise YamlProblem(_yaml_message(err, text, mark), _place(mark)) from None
    except yaml_.reader.ReaderError as err:
        # A raw control character in the text: name it and where it is, never echo it.
        line = text.count("\n", 0, err.position) + 1
        column = err.position - text.rfind("\n", 0, err.position)
        code = ord(err.character) if isinstance(err.character, str) else err.character
        raise YamlProblem(
            f"the file holds a control character (U+{code:04X}); routine files hold "
            "plain text only: remove it", Place(line, column)) from None
    except yaml_.YAMLError as err:
        raise YamlProblem(f"not valid YAML: {err}") from None
    except RecursionError:
        raise YamlProblem(f"values are nested too deeply (more than {MAX_DEPTH} levels)") from None
    finally:
        loader.dispose()
    if node is None:
        return None, SourceMap({}, {})
    return _Builder(loader).build(node)


def _yaml_message(err: yaml.MarkedYAMLError, source: str, mark: yaml.Mark | None) -> str:
    parts = [p for p in (err.context, err.problem) if p]
    text = "; ".join(parts) or "not valid YAML"
    if "expected a single document" in text:
        return "the file holds more than one YAML document (a second '---'); use one per file"
    if mark is not None:
        lines = source.splitlines()
        line = lines[mark.line] if mark.line < len(lines) else ""
        if "\t" in line[: mark.column + 1]:
            return "a tab is used for indentation; YAML needs spaces"
    return f"not valid YAML: {text}"


class _Builder:
    """Turns a node tree into plain values, counting every value it makes."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self._constructor = loader
        self._count = 0
        self.values: dict[Path_, tuple[int, int]] = {}
        self.keys: dict[Path_, tuple[int, int]] = {}

    def build(self, node: yaml.Node) -> tuple[object, SourceMap]:
        value = self._value(node, (), 0)
        return value, SourceMap(self.values, self.keys)

    def _value(self, node: yaml.Node, path: Path_, depth: int) -> object:
        self._count += 1
        if self._count > MAX_VALUES:
            raise YamlProblem(
                f"the file expands to more than {MAX_VALUES} values (too many aliases "
                "or a very large file); it is refused to protect memory",
                _place(node.start_mark),
                path[:1],
            )
        if depth > MAX_DEPTH:
            raise YamlProblem(
                f"values are nested more than {MAX_DEPTH} levels deep",
                _place(node.start_mark),
                path,
            )
        self.values.setdefault(path, _at(node.start_mark))
        if isinstance(node, _yaml.MappingNode):
            self._check_tag(node, _MAP, path)
            return self._mapping(node, path, depth)
        if isinstance(node, _yaml.SequenceNode):
            self._check_tag(node, _SEQ, path)
            return [self._value(item, path + (i,), depth + 1) for i, item in enumerate(node.value)]
        return self._scalar(node, path)

    def _check_tag(self, node: yaml.Node, expected: str, path: Path_) -> None:
        if node.tag != expected:
            raise YamlProblem(_tag_message(node.tag), _place(node.start_mark), path)

    def _scalar(self, node: yaml.Node, path: Path_) -> object:
        if node.tag in _AS_TEXT:
            return node.value
        if node.tag not in _SCALARS:
            raise YamlProblem(_tag_message(node.tag), _place(node.start_mark), path)
        if node.tag == "tag:yaml.org,2002:int" and ":" in node.value:
            # YAML 1.1 reads 19:30 as the base-60 number 1170; nobody writing a
            # routine means that, so it stays the text (a time, or a duration).
            return node.value
        try:
            return self._constructor.construct_object(node, deep=True)
        except (_yaml.YAMLError, ValueError, TypeError, OverflowError):
            raise YamlProblem(
                f"{quoted(node.value)} cannot be read as {node.tag.rsplit(':', 1)[-1]}",
                _place(node.start_mark),
                path,
            ) from None

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem(
                    "merge keys ('<<') are not supported; write the fields out, or use "
                    "an alias for a whole value",
                    _place(key_node.start_mark),
                    path,
                )
            if not isinstance(key_node, _yaml.ScalarNode):
                raise YamlProblem(
                    "a key must be plain text, not a list or mapping",
                    _place(key_node.start_mark),
                    path,
                )
            key = self._scalar(key_node, path)
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                key = str(key_node.value)
            if key in result:
                first = self.keys.get(path + (key,))
                where = f" (first at line {first[0]})" if first else ""
                raise YamlProblem(
                    f"the key {quoted(key)} appears twice in the same mapping{where}",
                    _place(key_node.start_mark),
                    path + (key,),
                )
            self.keys[path + (key,)] = _at(key_node.start_mark)
            result[key] = self._value(value_node, path + (key,), depth + 1)
        return result


def _tag_message(tag: str) -> str:
    if tag.startswith("tag:yaml.org,2002:python/"):
        return (
            f"the Python tag {quoted('!!' + tag.split(':', 2)[-1])} is not allowed: routine files "
            "hold plain data only"
        )
    short = tag.replace("tag:yaml.org,2002:", "!!")
    return (f"the tag {quoted(short)} is not allowed: routine files hold plain text, numbers, "
            "lists and mappings")
