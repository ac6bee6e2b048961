"""Hypothesis fuzz of the whole loader: arbitrary text, and valid files with one value broken."""

import shutil

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import CORE_COURSE
from mltcourse.content.loader import load_course

FUZZ = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

junk = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False)
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


def paths(value, prefix=()):
    """Every path to a value inside nested dicts and lists."""
    yield prefix
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, prefix + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, prefix + (index,))


def replaced(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {k: replaced(v, rest, new) if k == head else v for k, v in value.items()}
    return [replaced(v, rest, new) if i == head else v for i, v in enumerate(value)]


def course_with(tmp_path, relative: str, text: str):
    root = tmp_path / "course"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(CORE_COURSE, root)
    (root / relative).write_text(text, encoding="utf-8")
    return root


def assert_loads_with_diagnostics(root):
    course = load_course(root)  # must not raise
    for diagnostic in course.diagnostics:
        assert diagnostic.line >= 1 and diagnostic.column >= 1 and diagnostic.message


@FUZZ
@given(st.text(max_size=500))
def test_arbitrary_text_as_a_scenario(tmp_path, text):
    assert_loads_with_diagnostics(course_with(tmp_path, "scenarios/crossroads.yaml", text))


@pytest.mark.parametrize("relative", ["scenarios/crossroads.yaml", "modules/01-basics/module.yaml"])
@FUZZ
@given(data=st.data())
def test_one_value_broken_anywhere(tmp_path, relative, data):
    original = yaml.safe_load((CORE_COURSE / relative).read_text())
    path = data.draw(st.sampled_from(list(paths(original))))
    broken = replaced(original, path, data.draw(junk))
    text = yaml.safe_dump(broken, allow_unicode=True)
    assert_loads_with_diagnostics(course_with(tmp_path, relative, text))
