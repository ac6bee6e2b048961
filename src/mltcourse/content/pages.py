"""A lesson as pages: its Markdown sections and the parts built from module.yaml.

One page is shown at a time, so painting a lesson costs the same whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from .lessons import LessonSection, lesson_sections
from .model import Course, Module

# Pages the learner reads; a lesson is marked read once they have all been seen.
READING_KINDS = frozenset(
    {"text", "objectives", "activities", "benchmarks", "risks", "considerations"}
)


@dataclass(frozen=True)
class Page:
    anchor: str
    title: str
    kind: str  # "text", one of the module.yaml parts, "checks" or "scenarios"
    section: LessonSection | None = None
    extra_anchors: frozenset[str] = frozenset()

    @property
    def anchors(self) -> frozenset[str]:
        own = self.section.anchors if self.section else frozenset({self.anchor})
        return own | self.extra_anchors


def lesson_pages(module: Module, has_scenarios: bool) -> tuple[Page, ...]:
    sections = lesson_sections(module.lesson)
    overview, rest = sections[0], sections[1:]
    pages = [
        Page("overview", "Overview", "text", overview),
        Page("objectives", "Objectives", "objectives"),
        *(Page(s.anchor, s.title, "text", s) for s in rest),
        Page("activities", "Key activities", "activities"),
        Page("benchmarks", "Benchmarks", "benchmarks"),
    ]
    if module.risks:
        risk_anchors = frozenset(r.anchor.split("#", 1)[1] for r in module.risks)
        pages.append(Page("risks", "Challenges and risks", "risks", extra_anchors=risk_anchors))
    if module.considerations:
        pages.append(Page("considerations", "Considerations for the MLT", "considerations"))
    pages.append(Page("checks", "Knowledge checks", "checks"))
    if has_scenarios:
        pages.append(Page("scenarios", "Scenarios", "scenarios"))
    return tuple(pages)


def page_index(pages: tuple[Page, ...], anchor: str) -> int:
    """The page holding an anchor; the first page when no page has it."""
    return next((i for i, page in enumerate(pages) if anchor in page.anchors), 0)


def reading_anchors(pages: tuple[Page, ...]) -> frozenset[str]:
    return frozenset(page.anchor for page in pages if page.kind in READING_KINDS)


def page_text(page: Page, module: Module, course: Course) -> str:
    """The words on a page, for looking up the glossary terms in it."""
    if page.section is not None:
        return "\n".join(page.section.chunks)
    parts: dict[str, list[str]] = {
        "objectives": [o.text for o in module.objectives],
        "activities": list(module.activities),
        "benchmarks": [b for tier in module.benchmarks.values() for b in tier],
        "risks": [f"{r.title} {r.text}" for r in module.risks],
        "considerations": [f"{c.title} {c.text}" for c in module.considerations],
        "checks": [c.prompt for c in module.checks],
        "scenarios": [f"{s.title} {s.summary}" for s in course.scenarios_for(module.id)],
    }
    return "\n".join(parts.get(page.kind, []))


def section_title(course: Course, reference: str) -> str:
    """``MODULE#ANCHOR`` as a learner reads it: "Lesson title › Section title"."""
    module_id, _, anchor = reference.partition("#")
    module = course.module(module_id)
    if module is None:
        return reference
    anchor = anchor or "overview"
    pages = lesson_pages(module, bool(course.scenarios_for(module_id)))
    page = pages[page_index(pages, anchor)]
    title = page.title
    if page.section is not None:
        title = next((text for _, text, a in page.section.headings if a == anchor), title)
    for risk in module.risks:
        if risk.anchor == reference:
            title = f"{page.title}: {risk.title}"
    return f"{module.title} › {title}"
