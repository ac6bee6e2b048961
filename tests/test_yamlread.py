import pytest

from mltcourse.content.diagnostics import ContentError
from mltcourse.content.yamlread import YList, YMap, read_yaml, read_yaml_text


def error_of(text: str | bytes) -> str:
    with pytest.raises(ContentError) as info:
        if isinstance(text, bytes):
            read_yaml(text, "f.yaml")
        else:
            read_yaml_text(text, "f.yaml")
    return str(info.value)


def test_positions_of_keys_and_values():
    data = read_yaml_text("a: 1\nb:\n  - x\n  - {c: d}\n", "f.yaml")
    assert isinstance(data, YMap)
    assert data.key_pos["b"] == (2, 1)
    assert data.where("a") == (1, 4)
    assert isinstance(data["b"], YList)
    assert data["b"].where(1) == (4, 5)
    assert data["b"][1].where("c") == (4, 9)


def test_duplicate_keys_name_both_lines():
    message = error_of("id: a\ntitle: x\nid: b\n")
    assert message.startswith("f.yaml:3:1:")
    assert "duplicate key 'id' (first defined at line 1)" in message


def test_object_tags_are_refused():
    message = error_of("a: !!python/object/apply:os.system ['echo hi']\n")
    assert "f.yaml:1:4:" in message and "not allowed" in message


def test_syntax_error_has_line_and_column():
    message = error_of("a: [1, 2\nb: 3\n")
    assert message.startswith("f.yaml:2:")
    assert "YAML syntax" in message


def test_tabs_get_a_hint():
    message = error_of("a:\n\tb: 1\n")
    assert "tab" in message.lower()


def test_empty_file_and_binary_and_bad_utf8():
    assert "empty" in error_of("")
    assert "NUL byte" in error_of(b"a: 1\nb: \x00\n")
    message = error_of(b"a: 1\nb: caf\xe9\n")
    assert message.startswith("f.yaml:2:") and "UTF-8" in message


def test_alias_bomb_is_refused_quickly():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    message = error_of("\n".join(lines) + "\n")
    assert "alias bomb" in message


def test_deep_nesting_is_refused():
    assert "nesting deeper" in error_of("a: " + "[" * 5000 + "]" * 5000 + "\n")
    block = "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "v\n"
    assert "nesting deeper" in error_of(block)


def test_large_files_are_refused():
    assert "limited to" in error_of(b"a: " + b"x" * 3_000_000)
