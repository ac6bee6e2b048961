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


def test_yaml_1_2_core_types_as_editors_read_them():
    data = read_yaml_text(
        "a: yes\nb: on\nc: off\nd: 1_0\ne: 2032-03-01\nf: 010\ng: 0x1f\nh: 1.5\n"
        "i: ~\nj: True\nk: 1:30\nl: -3\nm: false\nn: No\n",
        "f.yaml",
    )
    assert data == {
        "a": "yes",
        "b": "on",
        "c": "off",
        "d": "1_0",
        "e": "2032-03-01",
        "f": 10,
        "g": 31,
        "h": 1.5,
        "i": None,
        "j": True,
        "k": "1:30",
        "l": -3,
        "m": False,
        "n": "No",
    }


def test_explicit_tags_follow_the_core_schema_too():
    assert read_yaml_text("a: !!int '7'\nb: !!str 3\n", "f.yaml") == {"a": 7, "b": "3"}
    assert error_of("a: !!int 1_0\n") == "f.yaml:1:4: error: '1_0' is not a YAML int value"


def test_colon_in_unquoted_text_says_quote_it():
    message = error_of("a: 1\ntitle: Matu says: no\nb: 2\n")
    assert message == (
        "f.yaml:2:17: error: a colon followed by a space inside unquoted text: "
        'quote the text, e.g. title: "Matu says: no"'
    )


def test_unclosed_quote_is_reported_where_it_opens():
    text = 'a: 1\nscenes:\n  x:\n    title: "Matu says\n    text: t\n' + "    b: c\n" * 40
    text += '  y:\n    title: "ok"\n    text: u\n'
    message = error_of(text)
    assert message.startswith('f.yaml:4:12: error: this " is not closed on its line')
    assert 'end the text with " on the same line' in message


def test_quote_never_closed_before_the_end():
    message = error_of("a: 1\ntitle: 'Matu says\nb: 2\n")
    assert message.startswith("f.yaml:2:8: error: this ' is never closed")
    assert 'quote it with " instead' in message


def test_indentation_one_column_off_names_the_columns():
    message = error_of(
        "scenes:\n  a:\n    choices:\n      - id: a\n        text: b\n       - id: c\n"
    )
    assert message == (
        "f.yaml:6:8: error: this line is indented to column 8, which lines up with nothing "
        "above: the list that starts on line 4 has its items at column 7 and their keys at "
        "column 9"
    )


def test_line_indented_into_the_text_above():
    message = error_of("choices:\n  - id: a\n    text: b\n       - id: c\n")
    assert message.startswith("f.yaml:4:8: error: this line is indented to column 8, deeper")
    assert "reads it as more of the text on line 3" in message
