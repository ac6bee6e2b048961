"""A course's own ids, written into its JSON Schema so that any YAML editor completes them.

The shape schema (``schema.py``) knows that ``raises:`` holds risk ids, but not which risks a
course has. ``with_course_ids`` adds them: an ``enum`` on every field that refers to a
principle, risk, module or lesson section, and on the keys of the principle scores, a property
per principle (what editors offer as keys) with its title. The field's name says what it
refers to, the same rule the language server's completion follows.
"""

from __future__ import annotations

import copy

from .model import Course

# Which ids the value (or the items, or the keys) of a field with this name must be.
REFERENCES = {
    "module": "module",
    "see_also": "module",
    "modules": "module",
    "principles": "principle",
    "raises": "risk",
    "mitigates": "risk",
    "materializes": "risk",
    "section": "section",
    "sources": "section",
    "tests": "test",
}


def course_ids(course: Course) -> dict[str, dict[str, str]]:
    """Each kind of id in the course, mapped to its title, in a stable order."""
    principles = {p.id: p.title for p in course.principles.values()}
    risks = {r.id: r.title for m in course.modules for r in m.risks}
    return {
        "principle": principles,
        "risk": risks,
        "test": {**principles, **risks},
        "module": {m.id: m.title for m in course.modules},
        "section": {
            f"{m.id}#{anchor}": m.title for m in course.modules for anchor in sorted(m.anchors)
        },
    }


def with_course_ids(schema: dict, course: Course) -> dict:
    """A copy of a file's JSON Schema with the course's ids enumerated where they belong."""
    ids = course_ids(course)
    out = copy.deepcopy(schema)
    _walk(out, ids)
    return out


def _walk(node: object, ids: dict[str, dict[str, str]]) -> None:
    if isinstance(node, list):
        for item in node:
            _walk(item, ids)
        return
    if not isinstance(node, dict):
        return
    for name, field in (node.get("properties") or {}).items():
        kind = REFERENCES.get(name)
        if kind and isinstance(field, dict):
            _enumerate(field, ids[kind])
    for value in node.values():
        _walk(value, ids)


def _enumerate(field: dict, known: dict[str, str]) -> None:
    """Restrict a string, a list of strings, or a mapping's keys to ``known`` ids."""
    if not known:
        return
    values = list(known)
    if field.get("type") == "string":
        field["enum"] = values
    elif field.get("type") == "array" and (field.get("items") or {}).get("type") == "string":
        field["items"]["enum"] = values
    elif field.get("type") == "object" and "propertyNames" in field:
        field["propertyNames"] = {**field["propertyNames"], "enum": values}
        value = field.get("additionalProperties")
        if isinstance(value, dict):
            field["properties"] = {
                ident: {**value, "description": title} for ident, title in known.items()
            }
