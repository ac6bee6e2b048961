"""The JSON Schema written for a course enumerates its ids, so plain YAML editors complete them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml
from jsonschema import Draft202012Validator

from helpers import REPO, copy_course
from mltcourse.content.loader import discover, load_course
from mltcourse.content.schema import json_schema


def write_schemas(root, target) -> dict[str, dict]:
    """Run ``mltcourse schema --write`` on a course, as an author would."""
    done = subprocess.run(
        [sys.executable, "-m", "mltcourse", "--content", str(root), "schema", "--write", target],
        capture_output=True,
        text=True,
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    return {
        kind: json.loads((target / f"{kind}.schema.json").read_text())
        for kind in ("scenario", "module", "principles", "glossary")
    }


def choice_fields(schema: dict) -> dict:
    scene = schema["properties"]["scenes"]["additionalProperties"]
    return scene["properties"]["choices"]["items"]["properties"]


def test_the_written_schema_enumerates_the_course_ids(tmp_path):
    root = copy_course(tmp_path)
    schemas = write_schemas(root, tmp_path / "schema")
    choice = choice_fields(schemas["scenario"])
    assert choice["principles"]["propertyNames"]["enum"] == ["ownership", "coordination", "rights"]
    assert set(choice["principles"]["properties"]) == {"ownership", "coordination", "rights"}
    assert choice["principles"]["properties"]["rights"]["description"] == "Rights"
    assert set(choice["raises"]["items"]["enum"]) == {"basics.gap", "basics.backlash"}
    assert {"basics#why-it-matters", "basics#who-leads", "basics#risks"} <= set(
        choice["section"]["enum"]
    )
    assert schemas["scenario"]["properties"]["module"]["enum"] == ["basics"]
    module = schemas["module"]["properties"]
    assert module["principles"]["items"]["enum"] == ["ownership", "coordination", "rights"]
    tests = module["checks"]["items"]["properties"]["tests"]["items"]["enum"]
    assert set(tests) == {"ownership", "coordination", "rights", "basics.gap", "basics.backlash"}
    sources = schemas["principles"]["properties"]["principles"]["items"]["properties"]["sources"]
    assert "basics#overview" in sources["items"]["enum"]


def test_a_new_principle_appears_in_the_next_schema_written(tmp_path):
    root = copy_course(tmp_path)
    catalogue = root / "modules" / "principles.yaml"
    catalogue.write_text(
        catalogue.read_text()
        + "  - id: candour\n    title: Candour\n    statement: Say what you see.\n"
        + "    sources: [basics#overview]\n"
    )
    choice = choice_fields(write_schemas(root, tmp_path / "schema")["scenario"])
    assert "candour" in choice["principles"]["propertyNames"]["enum"]


def _course_files():
    files = discover(REPO)
    return (
        [("principles", files.principles), ("glossary", files.glossary)]
        + [("module", path) for path in files.modules]
        + [("scenario", path) for path in files.scenarios]
    )


@pytest.fixture(scope="module")
def shipped_schemas():
    course = load_course(REPO)
    assert not course.errors
    return {
        kind: json_schema(kind, course) for kind in ("scenario", "module", "principles", "glossary")
    }


@pytest.mark.parametrize(("kind", "path"), _course_files(), ids=lambda v: getattr(v, "name", v))
def test_every_shipped_file_is_valid_against_the_schema_written_for_its_course(
    kind, path, shipped_schemas
):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems = list(Draft202012Validator(shipped_schemas[kind]).iter_errors(data))
    assert problems == []


def test_an_unknown_id_is_refused_by_the_schema(shipped_schemas):
    path = REPO / "scenarios" / "hearts-and-minds.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    choice = next(iter(data["scenes"].values()))["choices"][0]
    choice["principles"]["do-no-harmm"] = 1
    choice["section"] = "humanitarian#no-such-section"
    choice["raises"] = ["humanitarian.no-such-risk"]
    data["module"] = "humanitarianism"
    validator = Draft202012Validator(shipped_schemas["scenario"])
    refused = {tuple(error.absolute_path)[-1] for error in validator.iter_errors(data)}
    assert {"principles", "section", 0, "module"} <= refused
