"""The authoring guide is kept true: its examples validate and it documents every field."""

import re
import shutil

import pytest

from helpers import REPO
from mltcourse.content.loader import load_course
from mltcourse.content.schema import FILE_SCHEMAS
from mltcourse.content.schema_types import ListOf, MapOf, Obj, conform
from mltcourse.content.yamlread import read_yaml_text
from mltcourse.engine.lint import lint_scenario

GUIDE = (REPO / "docs" / "authoring.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```yaml\n(.*?)```", GUIDE, re.S)


def block_with(first_line: str) -> str:
    matches = [b for b in BLOCKS if b.startswith(first_line)]
    assert len(matches) == 1, f"expected one yaml example starting with {first_line!r}"
    return matches[0]


@pytest.fixture(scope="module")
def course_with_examples(tmp_path_factory):
    root = tmp_path_factory.mktemp("course")
    for folder in ("modules", "scenarios"):
        shutil.copytree(REPO / folder, root / folder)
    example = root / "modules" / "99-example"
    example.mkdir()
    (example / "module.yaml").write_text(block_with("id: example\n"))
    (example / "lesson.md").write_text("# Example\n\nAn example lesson.\n")
    (root / "scenarios" / "example-wells.yaml").write_text(block_with("id: example-wells"))
    return load_course(root)


def test_module_and_scenario_examples_validate(course_with_examples):
    course = course_with_examples
    assert [str(d) for d in course.errors if "example" in d.file] == []
    assert "example-wells" in course.scenarios
    assert course.module("example") is not None


def test_scenario_example_is_lint_clean(course_with_examples):
    scenario = course_with_examples.scenarios["example-wells"]
    assert [str(w) for w in lint_scenario(scenario)] == []


@pytest.mark.parametrize(
    ("kind", "first_line"),
    [("principles", "principles:"), ("glossary", "terms:"), ("course", "completion:")],
)
def test_catalogue_examples_have_the_right_shape(kind, first_line):
    data = read_yaml_text(block_with(first_line), "example.yaml")
    assert conform(data, FILE_SCHEMAS[kind], "example.yaml") == []


def _objects(schema):
    if isinstance(schema, Obj):
        yield schema
        for field in schema.fields:
            yield from _objects(field.type)
    elif isinstance(schema, ListOf):
        yield from _objects(schema.item)
    elif isinstance(schema, MapOf):
        yield from _objects(schema.value)


def test_every_field_is_documented():
    documented = set(re.findall(r"^\| `([a-z_]+)`", GUIDE, re.M))
    documented |= {
        n
        for row in re.findall(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)+) \|", GUIDE, re.M)
        for n in re.findall(r"`([a-z_]+)`", row)
    }
    missing = {
        f"{obj.name}.{field.name}"
        for schema in FILE_SCHEMAS.values()
        for obj in _objects(schema)
        for field in obj.fields
        if field.name not in documented
    }
    assert missing == set()
