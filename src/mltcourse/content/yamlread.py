"""Safe YAML reading that remembers where every value came from.

PyYAML's composer (the C one when present) builds a node tree; we turn it into plain dicts,
lists and scalars ourselves, so that we can refuse what a course file must never contain
(object tags, duplicate keys, alias bombs, absurd nesting) and keep the line and column of each
key and value for error messages. Nothing is ever constructed from a tag.
"""

from __future__ import annotations

import re

import yaml

from .diagnostics import ContentError, Diagnostic
from .yamlhints import syntax_problem

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2 core schema, as editors and the JSON Schema tools read files: only true/false are
# booleans, numbers have no underscores or sexagesimal form, and dates, yes/no and on/off are
# text. Read any other way, the validator and the editor would disagree about the same file.
_CORE_RESOLVERS = (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    (
        "tag:yaml.org,2002:int",
        r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$",
        "-+0123456789",
    ),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+.0123456789",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader with the YAML 1.2 core schema's implicit types and nothing else."""

    yaml_implicit_resolvers: dict = {}


for _tag, _pattern, _first in _CORE_RESOLVERS:
    _Loader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))
# "<<" stays a merge key so that it can be refused with a message of its own.
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])

MAX_FILE_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 64

Pos = tuple[int, int]

_STR = "tag:yaml.org,2002:str"
_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_BRACKETS = re.compile(r"[\[\]{}]")


class YMap(dict):
    """A mapping that knows where it, each key and each value stand (1-based line, column)."""

    __slots__ = ("pos", "key_pos", "value_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.key_pos: dict[str, Pos] = {}
        self.value_pos: dict[str, Pos] = {}

    def where(self, key: str) -> Pos:
        return self.value_pos.get(key, self.key_pos.get(key, self.pos))


class YList(list):
    """A sequence that knows where it and each item stand."""

    __slots__ = ("pos", "item_pos")

    def __init__(self, pos: Pos):
        super().__init__()
        self.pos = pos
        self.item_pos: list[Pos] = []

    def where(self, index: int) -> Pos:
        return self.item_pos[index] if 0 <= index < len(self.item_pos) else self.pos


def where(container: object, key: object) -> Pos:
    """Position of ``container[key]`` (or of the container when it is not a located one)."""
    if isinstance(container, YMap | YList):
        return container.where(key)  # type: ignore[arg-type]
    return (1, 1)


def _pos(mark: yaml.Mark | None) -> Pos:
    return (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)


def _decode(data: bytes, file: str) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise ContentError(
            Diagnostic(
                file,
                1,
                1,
                f"file is {len(data):,} bytes; course files are limited to "
                f"{MAX_FILE_BYTES:,} bytes",
            )
        )
    if b"\x00" in data:
        offset = data.index(b"\x00")
        line = data.count(b"\n", 0, offset) + 1
        col = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise ContentError(Diagnostic(file, line, col, "binary data (a NUL byte) in a text file"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ContentError(
            Diagnostic(file, line, col, f"not valid UTF-8 (byte 0x{data[exc.start]:02x})")
        ) from None
    return text


def _check_flow_depth(text: str, file: str) -> None:
    """Refuse deep bracket nesting before the parser recurses into it.

    Brackets inside strings or comments are counted too; that only errs on the safe side.
    """
    if text.count("[") + text.count("{") < MAX_DEPTH:
        return
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                offset = match.start()
                line = text.count("\n", 0, offset) + 1
                col = offset - (text.rfind("\n", 0, offset) + 1) + 1
                raise ContentError(
                    Diagnostic(file, line, col, f"nesting deeper than {MAX_DEPTH} levels")
                )
        elif depth:
            depth -= 1


def read_yaml_text(text: str, file: str) -> object:
    """Parse one YAML document into located plain values, or raise ContentError."""
    _check_flow_depth(text, file)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        (line, col), message = syntax_problem(text, exc)
        raise ContentError(Diagnostic(file, line, col, message)) from None
    except yaml.YAMLError as exc:
        raise ContentError(Diagnostic(file, 1, 1, f"YAML error: {exc}")) from None
    except RecursionError:
        raise ContentError(Diagnostic(file, 1, 1, "structure nested too deeply")) from None
    if root is None:
        raise ContentError(Diagnostic(file, 1, 1, "the file is empty"))
    return _Builder(file).build(root)


def read_yaml(data: bytes, file: str) -> object:
    """Decode and parse a YAML file's bytes."""
    return read_yaml_text(_decode(data, file), file)


class _Builder:
    def __init__(self, file: str):
        self.file = file
        self.count = 0

    def error(self, node: yaml.Node, message: str) -> ContentError:
        line, col = _pos(node.start_mark)
        return ContentError(Diagnostic(self.file, line, col, message))

    def build(self, node: yaml.Node, depth: int = 0) -> object:
        self.count += 1
        if self.count > MAX_NODES:
            raise self.error(
                node,
                f"the document expands to more than {MAX_NODES:,} values "
                "(an alias bomb or a far too large file)",
            )
        if depth > MAX_DEPTH:
            raise self.error(node, f"nesting deeper than {MAX_DEPTH} levels")
        if isinstance(node, yaml.ScalarNode):
            return self.scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                raise self.error(node, f"tag {node.tag!r} is not allowed in course files")
            out = YList(_pos(node.start_mark))
            for item in node.value:
                out.append(self.build(item, depth + 1))
                out.item_pos.append(_pos(item.start_mark))
            return out
        if isinstance(node, yaml.MappingNode):
            if node.tag != "tag:yaml.org,2002:map":
                raise self.error(node, f"tag {node.tag!r} is not allowed in course files")
            out = YMap(_pos(node.start_mark))
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.error(key_node, "merge keys (<<) are not supported")
                key = self.build(key_node, depth + 1)
                if isinstance(key, YMap | YList):
                    raise self.error(key_node, "a mapping key must be a plain value")
                key = str(key) if not isinstance(key, str) else key
                if key in out:
                    first = out.key_pos[key]
                    raise self.error(
                        key_node, f"duplicate key {key!r} (first defined at line {first[0]})"
                    )
                out[key] = self.build(value_node, depth + 1)
                out.key_pos[key] = _pos(key_node.start_mark)
                out.value_pos[key] = _pos(value_node.start_mark)
            return out
        raise self.error(node, "unsupported YAML node")  # pragma: no cover

    def scalar(self, node: yaml.ScalarNode) -> object:
        if node.tag == _STR:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise self.error(node, f"tag {node.tag!r} is not allowed in course files")
        try:
            return _core_value(node.tag, node.value)
        except ValueError:
            kind = node.tag.rsplit(":", 1)[-1]
            raise self.error(node, f"{node.value!r} is not a YAML {kind} value") from None


def _core_value(tag: str, text: str) -> object:
    """A scalar's value under the YAML 1.2 core schema (also for explicit tags like !!int)."""
    if tag == "tag:yaml.org,2002:null":
        if text not in ("", "~", "null", "Null", "NULL"):
            raise ValueError(text)
        return None
    if tag == "tag:yaml.org,2002:bool":
        if text not in ("true", "True", "TRUE", "false", "False", "FALSE"):
            raise ValueError(text)
        return text.lower() == "true"
    if tag == "tag:yaml.org,2002:int":
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        if "_" in text:
            raise ValueError(text)
        return int(text, 10)
    if "_" in text:
        raise ValueError(text)
    special = text.lstrip("+-").lower()
    if special in (".inf", ".nan"):
        return float(text.replace(".", "", 1))
    return float(text)
