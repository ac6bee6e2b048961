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

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

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
        mark = exc.problem_mark or exc.context_mark
        line, col = _pos(mark)
        message = exc.problem or "invalid YAML"
        if exc.context and exc.context not in message:
            message = f"{message} ({exc.context})"
        if _char_at(text, line, col) == "\t" or ("\t" in text and "tab" in message.lower()):
            message = "a tab character here: indent YAML with spaces, not tabs"
        raise ContentError(Diagnostic(file, line, col, f"YAML syntax: {message}")) from None
    except yaml.YAMLError as exc:
        raise ContentError(Diagnostic(file, 1, 1, f"YAML error: {exc}")) from None
    except RecursionError:
        raise ContentError(Diagnostic(file, 1, 1, "structure nested too deeply")) from None
    if root is None:
        raise ContentError(Diagnostic(file, 1, 1, "the file is empty"))
    return _Builder(file).build(root)


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n")
    if 0 < line <= len(lines) and 0 < col <= len(lines[line - 1]):
        return lines[line - 1][col - 1]
    return ""


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
        constructor = yaml.SafeLoader.yaml_constructors[node.tag]
        try:
            return constructor(_SCALAR_LOADER, node)
        except (ValueError, yaml.YAMLError) as exc:
            raise self.error(node, f"bad value {node.value!r}: {exc}") from None


_SCALAR_LOADER = yaml.SafeLoader("")
